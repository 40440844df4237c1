"""What the build adds to notes pages: facts from the front matter, the terms list,
"Used in" places for the glossary, and hover definitions on glossary links."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import PurePosixPath

from . import glossary
from .template import TERMS, TERMS_HEADING

H1 = re.compile(r"^# .*$", re.MULTILINE)
GLOSS_LINK = re.compile(r'<a href="([^"]*glossary(?:/|\.html)#([a-z0-9-]+))"')  # .html: the offline build
LISTED_TERM = re.compile(r'<a class="gloss-listed" href="[^"]*#([a-z0-9-]+)"')  # a term of the "Terms on this page" list


# A level-1 or level-2 heading (level, id, inner HTML), or a glossary link (href, id) as GLOSS_LINK finds it.
HEADING_OR_GLOSS = re.compile(r'<h([12])\b[^>]*?\bid="([^"]+)"[^>]*>(.*?)</h\1>|' + GLOSS_LINK.pattern, re.DOTALL)
HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def places_in(html: str, page_rel: str, title: str, known) -> dict[str, list[glossary.Place]]:
    """Where a built page links glossary entries: for each id, the level-1 or level-2
    heading above each link, in the order of the page (the "Used in" lists)."""
    found: dict[str, list[glossary.Place]] = {}
    anchor = heading = ""
    for m in HEADING_OR_GLOSS.finditer(html):
        if m.group(1):
            anchor, heading = ("", "") if m.group(1) == "1" else (m.group(2), html_lib.unescape(TAG.sub("", HEADERLINK.sub("", m.group(3)))).strip())
        elif m.group(5) in known:
            place = glossary.Place(page_rel, title, anchor, heading or title)
            bucket = found.setdefault(m.group(5), [])
            if place not in bucket:
                bucket.append(place)
    return found


def used_in(places_by_page: dict[str, dict[str, list[glossary.Place]]]) -> dict[str, list[glossary.Place]]:
    """Merge ``places_in`` results into one list per glossary id, pages in path order."""
    merged: dict[str, list[glossary.Place]] = {}
    for rel in sorted(places_by_page, key=PurePosixPath):
        for gloss_id, places in places_by_page[rel].items():
            merged.setdefault(gloss_id, []).extend(places)
    return merged


TERMS_SLOT = f"<!-- {TERMS[0]} -->"


def insert_terms(markdown: str, terms: list, gloss: glossary.Glossary) -> str:
    """Add the "Terms on this page" heading (from front matter) at the end of the page.

    A notes page ends with "Key takeaways" and "Self-check" (the checker's template rule),
    so the reader meets the point of the page before the reference list; the build puts
    each page's references after it. The list itself is filled in by ``fill_terms`` once
    the page is HTML and indexed for search: the same definitions on every page would
    only crowd the search results, and HTML made once per entry costs nothing to render again.
    """
    if not any(t in gloss.by_id for t in listed_ids(terms)):
        return markdown
    return f"{markdown.rstrip()}\n\n{TERMS_HEADING}\n\n{TERMS_SLOT}\n"


def listed_ids(terms) -> list[str]:
    """The ids in front matter ``terms``, whatever a contributor wrote there (null, a
    string, nested lists): the checker reports a malformed list; the build goes on with
    the ids it can read, and fails on the checker's finding."""
    return [t for t in terms if isinstance(t, str)] if isinstance(terms, list) else []


def fill_terms(html: str, terms: list, gloss: glossary.Glossary, href: str) -> str:
    """Replace the slot left by ``insert_terms`` with the list; ``href`` is the glossary
    page's URL relative to this page.

    The list is folded (a ``<details>`` block one line high until the reader opens it),
    so it never pushes the end of the page far down; opened, it is a definition list,
    terms beside their definitions on a wide screen. Each definition in it is also what
    the page's hover cards read (see add_tooltips), so it is on the page once, folded or
    not. The PDF prints a shorter form (scripts/pdf.py, ``compact_terms``).
    """
    if TERMS_SLOT not in html:
        return html
    by_id = gloss.by_id
    listed = [by_id[t] for t in listed_ids(terms) if t in by_id]
    items = "".join(
        f'<dt><a class="gloss-listed" href="{href}#{e.id}">{html_lib.escape(e.term)}</a></dt>\n<dd>{html_lib.escape(e.plain_definition)}</dd>\n'
        for e in listed
    )
    summary = f"Definitions of the {len(listed)} glossary terms on this page" if len(listed) > 1 else "Definition of the glossary term on this page"
    block = (
        f'<details class="gloss-terms">\n<summary>{summary}</summary>\n'
        f'<dl class="gloss-terms__list">\n{items}</dl>\n</details>'
    )
    return html.replace(TERMS_SLOT, block, 1)


def insert_page_facts(markdown: str, meta: dict) -> str:
    """A line under the title: which part of the paper, which forum post, how long."""
    facts = [f"Paper §{meta['section']}"]
    subs = meta.get("subsections") if isinstance(meta.get("subsections"), list) else []
    if subs:
        facts.append(f"subsections {subs[0]}–{subs[-1]}" if len(subs) > 1 else f"subsection {subs[0]}")
    post = meta.get("post") if isinstance(meta.get("post"), dict) else {}  # malformed: the checker says so
    if isinstance(post.get("url"), str):
        facts.append(f'Alignment Forum: <a href="{html_lib.escape(post["url"])}">{html_lib.escape(str(post.get("title", "post")))}</a>')
    if meta.get("reading_time"):
        facts.append(f"about {meta['reading_time']} min to read")
    line = f'<p class="page-facts">{" · ".join(facts)}</p>'
    match = H1.search(markdown)
    if not match:
        return line + "\n\n" + markdown
    return markdown[: match.end()] + "\n\n" + line + "\n" + markdown[match.end() :]


def definition_span(entry: glossary.Entry) -> str:
    """A definition a hover card reads (cards.js) on a page without a terms list: hidden,
    and naming its term itself. In a terms list the card reads the ``<dd>`` after the
    ``<dt>`` whose link names the entry, so the list carries no second copy."""
    return (f'<span class="gloss-def" data-gloss-id="{entry.id}" data-gloss-term="{html_lib.escape(entry.term)}" hidden>'
            f"{html_lib.escape(entry.plain_definition)}</span>")


def add_tooltips(html: str, gloss: glossary.Glossary) -> str:
    """Mark every link to a glossary entry for the hover card (docs/assets/javascripts/cards.js).

    The card reads the entry's id from the link's own fragment (``#mesa-optimizer``) and
    its definition from the same page: the "Terms on this page" list, or, on pages
    without one, a hidden block added here.
    """
    by_id = gloss.by_id
    used: list[str] = []

    def repl(m: re.Match) -> str:
        entry = by_id.get(m.group(2))
        if entry is None:
            return m.group(0)
        if entry.id not in used:
            used.append(entry.id)
        return f'<a class="gloss" href="{m.group(1)}"'

    html = GLOSS_LINK.sub(repl, html)
    listed = set(LISTED_TERM.findall(html))
    missing = [by_id[i] for i in used if i not in listed]
    if missing:
        html += '\n<div class="gloss-defs" hidden>' + "".join(definition_span(e) for e in missing) + "</div>\n"
    return html
