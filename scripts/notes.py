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
    pattern, owner = glossary.term_pattern(gloss.entries)
    places: dict[str, list[glossary.Place]] = {}
    for path in docs_pages(docs):
        try:
            page = read_page(path, docs)
        except InputError:
            continue  # the checker reports it
        if page.rel == glossary.GLOSSARY_PAGE or "terms" not in page.meta:
            continue
        for use in glossary.uses(page, None, owner):
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
    items = [f"- [{by_id[t].term}]({href}#{t}): {by_id[t].plain_definition}" for t in terms if t in by_id]
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


def add_tooltips(html: str, gloss: glossary.Glossary) -> str:
    """Give every link to a glossary entry its definition, for the hover card."""
    by_id = gloss.by_id

    def repl(m: re.Match) -> str:
        entry = by_id.get(m.group(2))
        if entry is None:
            return m.group(0)
        return f'<a class="gloss" href="{m.group(1)}"{glossary.tooltip_attrs(entry)}'

    return GLOSS_LINK.sub(repl, html)
