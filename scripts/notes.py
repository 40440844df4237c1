"""What the build adds to notes pages: facts from the front matter, the terms list,
"Used in" places for the glossary, and hover definitions on glossary links."""

from __future__ import annotations

import html as html_lib
import posixpath
import re
from pathlib import Path

from . import glossary
from .findings import InputError
from .pages import docs_pages, read_page

KEY_TAKEAWAYS = re.compile(r"^## Key takeaways\b", re.MULTILINE)
H1 = re.compile(r"^# .*$", re.MULTILINE)
GLOSS_LINK = re.compile(r'<a href="([^"]*glossary/#([a-z0-9-]+))"')


def page_title(page) -> str:
    if page.meta.get("title"):
        return str(page.meta["title"])
    for heading in page.headings:
        if heading.level == 1:
            return heading.text
    return page.rel


def used_in(docs: Path, gloss: glossary.Glossary) -> dict[str, list[glossary.Place]]:
    """For every glossary id, the pages (and headings) that link to it, in reading order."""
    places: dict[str, list[glossary.Place]] = {}
    for path in docs_pages(docs):
        try:
            page = read_page(path, docs)
        except InputError:
            continue  # the checker reports it
        if page.rel == glossary.GLOSSARY_PAGE or "terms" not in page.meta:
            continue
        for use in glossary.uses(page, None, {}):  # links only: no prose scan needed
            heading = page.section_of(use.line)
            anchor, text = ("", "") if heading is None or heading.level == 1 else (heading.anchor, heading.text)
            place = glossary.Place(page.rel, page_title(page), anchor, text or page_title(page))
            bucket = places.setdefault(use.id, [])
            if place not in bucket:
                bucket.append(place)
    return places


def glossary_href(src_uri: str) -> str:
    return posixpath.relpath(glossary.GLOSSARY_PAGE, posixpath.dirname(src_uri) or ".")


def insert_terms(markdown: str, terms: list, gloss: glossary.Glossary, src_uri: str) -> str:
    """Add "Terms on this page" (from front matter) just before "Key takeaways"."""
    by_id = gloss.by_id
    href = glossary_href(src_uri)
    # The definitions on show here are also what the hover cards of the page's glossary
    # links read (see add_tooltips), so each definition is on the page once.
    items = [f"- [{by_id[t].term}]({href}#{t}){{ .gloss-listed }}: {definition_span(by_id[t])}" for t in terms if t in by_id]
    if not items:
        return markdown
    block = "## Terms on this page { #terms-on-this-page }\n\n" + "\n".join(items) + "\n\n"
    match = KEY_TAKEAWAYS.search(markdown)
    if match:
        return markdown[: match.start()] + block + markdown[match.start() :]
    return markdown.rstrip() + "\n\n" + block


def insert_page_facts(markdown: str, meta: dict) -> str:
    """A line under the title: which part of the paper, which forum post, how long."""
    facts = [f"Paper §{meta['section']}"]
    subs = meta.get("subsections") or []
    if subs:
        facts.append(f"subsections {subs[0]}–{subs[-1]}" if len(subs) > 1 else f"subsection {subs[0]}")
    post = meta.get("post") or {}
    if post.get("url"):
        facts.append(f'Alignment Forum: <a href="{html_lib.escape(post["url"])}">{html_lib.escape(post.get("title", "post"))}</a>')
    if meta.get("reading_time"):
        facts.append(f"about {meta['reading_time']} min to read")
    line = f'<p class="page-facts">{" · ".join(facts)}</p>'
    match = H1.search(markdown)
    if not match:
        return line + "\n\n" + markdown
    return markdown[: match.end()] + "\n\n" + line + "\n" + markdown[match.end() :]


def definition_span(entry: glossary.Entry, hidden: bool = False) -> str:
    attrs = f'class="gloss-def" data-gloss-id="{entry.id}" data-gloss-term="{html_lib.escape(entry.term)}"'
    return f"<span {attrs}{' hidden' if hidden else ''}>{html_lib.escape(entry.plain_definition)}</span>"


def add_tooltips(html: str, gloss: glossary.Glossary) -> str:
    """Mark every link to a glossary entry for the hover card (docs/assets/javascripts/glossary.js).

    The card shows the entry's definition from a ``span.gloss-def`` on the same page: the
    "Terms on this page" list, or, on pages without one, a hidden block added here.
    """
    by_id = gloss.by_id
    used: list[str] = []

    def repl(m: re.Match) -> str:
        entry = by_id.get(m.group(2))
        if entry is None:
            return m.group(0)
        if entry.id not in used:
            used.append(entry.id)
        return f'<a class="gloss" href="{m.group(1)}" data-gloss="{entry.id}"'

    html = GLOSS_LINK.sub(repl, html)
    missing = [by_id[i] for i in used if f'data-gloss-id="{i}"' not in html]
    if missing:
        html += '\n<div class="gloss-defs" hidden>' + "".join(definition_span(e, hidden=True) for e in missing) + "</div>\n"
    return html
