"""What the build writes from the glossary: the glossary page's entries, their "Used in"
lists, each notes page's "Terms on this page" list, and the hover definitions on glossary
links.

scripts/glossary.py is the glossary itself (load, validate, find terms); this module only
renders it, and overrides/hooks/glossary.py decides which page gets what. The glossary
page is written as Markdown (so its citations are formatted like any page's); the rest is
HTML, added once the page is HTML and indexed for search.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from .glossary import GROUPS, RELATIONS, Entry, Glossary, normalise
from .policy import code_spans
from .template import TERMS, TERMS_HEADING

GLOSS_LINK = re.compile(r'<a href="([^"]*glossary(?:/|\.html)#([a-z0-9-]+))"')  # .html: the offline build
LISTED_TERM = re.compile(r'<a class="gloss-listed" href="[^"]*#([a-z0-9-]+)"')  # a term of the "Terms on this page" list


# ---------------------------------------------------------------------------
# The glossary page
# ---------------------------------------------------------------------------


def render_page(glossary: Glossary) -> str:
    """The Markdown that replaces the marker on the glossary page; each entry's "Used in"
    list is a slot, filled in by ``fill_used_in``."""
    by_id = glossary.by_id
    out: list[str] = []
    for group, title in GROUPS.items():
        members = sorted((e for e in glossary.entries if e.group == group), key=lambda e: e.term.lower())
        if not members:
            continue
        out += [f"## {title} {{ #group-{group} }}", ""]
        for entry in members:
            out += [f"### {inert(entry.term)} {{ #{entry.id} }}", "", inert(entry.definition), ""]
            facts = [f"*Introduced:* {inert(entry.cite)}"]
            for relation, label in RELATIONS.items():
                targets = [by_id[t] for t in getattr(entry, relation) if t in by_id]
                if targets:
                    facts.append(f"*{label}:* " + ", ".join(f"[{t.term}](#{t.id})" for t in targets))
            variants = distinct_variants(entry)
            if variants:
                facts.append("*Also written:* " + ", ".join(f"“{inert(a)}”" for a in variants))
            out += [" · ".join(facts), ""]
            out += [USED_IN_SLOT.format(id=entry.id), ""]
    return "\n".join(out)


def inert(text: str) -> str:
    """Glossary text as Markdown with its raw HTML escaped: outside code spans, ``<`` becomes
    ``&lt;`` (shown as written, never a tag) and ``{`` becomes ``&#123;`` (never an
    attribute list). The checker refuses both anyway (scripts/policy.py); this keeps the page
    safe even for a glossary it never saw."""
    out, last = [], 0
    for start, end in code_spans(text):
        out += [_escape_outside(text[last:start]), text[start:end]]
        last = end
    out.append(_escape_outside(text[last:]))
    return "".join(out)


def _escape_outside(text: str) -> str:
    return text.replace("<", "&lt;").replace("{", "&#123;")


def distinct_variants(entry: Entry) -> list[str]:
    """Aliases that differ from the term (and each other) by more than a hyphen or a space."""
    seen = {normalise(entry.term)}
    shown = []
    for alias in entry.aliases:
        if normalise(alias) not in seen:
            seen.add(normalise(alias))
            shown.append(alias)
    return shown


# ---------------------------------------------------------------------------
# "Used in": where the notes use each entry, from the built pages
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a term is used: a page and the heading above the use."""

    page_rel: str
    page_title: str
    anchor: str
    heading: str

    @property
    def label(self) -> str:
        """What a "Used in" link says: the page, and the section when the use is under one."""
        return f"{self.page_title} › {self.heading}" if self.anchor else self.page_title


# A level-1 or level-2 heading (level, id, inner HTML), or a glossary link (href, id) as GLOSS_LINK finds it.
HEADING_OR_GLOSS = re.compile(r'<h([12])\b[^>]*?\bid="([^"]+)"[^>]*>(.*?)</h\1>|' + GLOSS_LINK.pattern, re.DOTALL)
HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def places_in(html: str, page_rel: str, title: str, known) -> dict[str, list[Place]]:
    """Where a built page links glossary entries: for each id, the level-1 or level-2
    heading above each link, in the order of the page (the "Used in" lists)."""
    found: dict[str, list[Place]] = {}
    anchor = heading = ""
    for m in HEADING_OR_GLOSS.finditer(html):
        if m.group(1):
            anchor, heading = ("", "") if m.group(1) == "1" else (m.group(2), html_lib.unescape(TAG.sub("", HEADERLINK.sub("", m.group(3)))).strip())
        elif m.group(5) in known:
            place = Place(page_rel, title, anchor, heading or title)
            bucket = found.setdefault(m.group(5), [])
            if place not in bucket:
                bucket.append(place)
    return found


def used_in(places_by_page: dict[str, dict[str, list[Place]]]) -> dict[str, list[Place]]:
    """Merge ``places_in`` results into one list per glossary id, pages in path order."""
    merged: dict[str, list[Place]] = {}
    for rel in sorted(places_by_page, key=PurePosixPath):
        for gloss_id, places in places_by_page[rel].items():
            merged.setdefault(gloss_id, []).extend(places)
    return merged


USED_IN_SLOT = "<!-- used-in:{id} -->"
USED_IN_SLOTS = re.compile(r"<!-- used-in:([a-z0-9-]+) -->")


def fill_used_in(html: str, places_by_page: dict[str, dict[str, list[Place]]], url_of) -> str:
    """Replace each entry's slot on the built glossary page with its "Used in" list, made
    from every page's ``places_in`` (page -> id -> places).

    This runs once the page is HTML and indexed for search (the lists are navigation, not
    text to search), and it costs no Markdown parsing however many pages the site has.
    ``url_of(page_rel)`` gives a page's URL relative to the glossary page, or None.
    """
    merged = used_in(places_by_page)

    def repl(m: re.Match) -> str:
        links = []
        for place in merged.get(m.group(1), []):
            url = url_of(place.page_rel)
            if url is None:
                continue
            href = f"{url}#{place.anchor}" if place.anchor else url
            links.append(f'<a href="{html_lib.escape(href)}">{html_lib.escape(place.label, quote=False)}</a>')
        if not links:
            return ""
        return f'<div class="gloss-used"><p><em>Used in:</em> {" · ".join(links)}</p></div>'

    return USED_IN_SLOTS.sub(repl, html)


# ---------------------------------------------------------------------------
# "Terms on this page"
# ---------------------------------------------------------------------------


TERMS_SLOT = f"<!-- {TERMS[0]} -->"


def insert_terms(markdown: str, terms: list, gloss: Glossary) -> str:
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


def fill_terms(html: str, terms: list, gloss: Glossary, href: str) -> str:
    """Replace the slot left by ``insert_terms`` with the list; ``href`` is the glossary
    page's URL relative to this page.

    The list is folded (a ``<details>`` block one line high until the reader opens it),
    so it never pushes the end of the page far down; opened, it is a definition list,
    terms beside their definitions on a wide screen. Each definition in it is also what
    the page's hover cards read (see add_tooltips), so it is on the page once, folded or
    not. The PDF prints a shorter form (scripts/pdf.py, ``compact_terms``).

    The ``<dl>`` sits in a ``<noscript>`` inside the ``<details>``: with JavaScript on, the
    browser keeps a noscript's content as one text node, so the folded list costs the page
    no elements (some 90 on a notes page) until cards.js turns that text into the list, the
    first time the reader opens it, prints, follows a link into it or points at a glossary
    term. With JavaScript off the browser parses it as the list itself, and so does lxml
    (the PDF and EPUB, scripts/pdf.py ``unwrap_terms``; the site scan). A definition is
    escaped text, so nothing in it can end the noscript early.
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
        f'<noscript><dl class="gloss-terms__list">\n{items}</dl></noscript>\n</details>'
    )
    return html.replace(TERMS_SLOT, block, 1)


# ---------------------------------------------------------------------------
# Hover definitions
# ---------------------------------------------------------------------------


def definition_span(entry: Entry) -> str:
    """A definition a hover card reads (cards.js) on a page without a terms list: hidden,
    and naming its term itself. In a terms list the card reads the ``<dd>`` after the
    ``<dt>`` whose link names the entry, so the list carries no second copy."""
    return (f'<span class="gloss-def" data-gloss-id="{entry.id}" data-gloss-term="{html_lib.escape(entry.term)}" hidden>'
            f"{html_lib.escape(entry.plain_definition)}</span>")


def add_tooltips(html: str, gloss: Glossary) -> str:
    """Mark every link to a glossary entry for the hover card (docs/assets/javascripts/cards.js).

    The card reads the entry's id from the link's own fragment (``#mesa-optimizer``) and
    its definition from the same page: the "Terms on this page" list (which it first
    unfolds from its noscript, see fill_terms), or, on pages without one, a hidden block
    added here.
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
