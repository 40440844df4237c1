"""Self-checks as practice cards: their ids, sections and terms, and the checks on them.

A self-check is a ``??? selfcheck "Question?"`` callout on a notes page or on Since the
paper; its body is the answer. Its first line is a marker comment that the reader never
sees, giving the card a stable id (the anchor of the question on its page, the Anki
note's GUID) and, optionally, the glossary terms it tests beyond those it names::

    ??? selfcheck "Is a bottle cap an optimizer?"
        <!-- id: bottle-cap; tests: optimizer -->

        No. It was optimized …

The terms a card tests are the glossary terms its question names, the glossary entries
its answer links, and those listed after ``tests:``. The Practice page
(overrides/hooks/practice.py), the Anki deck (scripts/deck.py) and the PDF's appendix
read the cards from here; the checker reports what is wrong with them.
"""

from __future__ import annotations

import html as html_lib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import glossary
from .findings import Finding
from .pages import LINK, Page, display_path, resolve_link
from .template import SELF_CHECK

PRACTICE_PAGE = "practice.md"
MARKER = "<!-- practice-cards -->"
# Pages whose self-checks are practice cards besides the notes (which carry `section:`).
EXTRA_PAGES = {"since-the-paper.md": ("since", "Since the paper")}
PAPER_GROUPS = ("1", "2", "3", "4")  # the paper's own glossary (Sections 1-4)
ID_MARKER = re.compile(r"^\s*<!--\s*id:\s*(?P<id>[^;]*?)\s*(?:;\s*tests:\s*(?P<tests>[^;]*?)\s*)?-->\s*$")
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# anchors a page already has: { #id } and id="…" (where \bid= is written i(?<!\wi)d=, the
# same test, so that both branches begin with a character and re skips to the candidates)
PAGE_IDS = re.compile(r'\{:?[^}\n]*?#([\w.:-]+)|i(?<!\wi)d="([^"]+)"')


@dataclass
class Card:
    id: str
    page: Page
    line: int  # of the question
    col: int
    section: str  # "1" … "6", or "since"
    section_label: str  # "§3", "Since the paper"
    page_title: str
    question: str
    answer: str  # Markdown, dedented, links relative to the page
    terms: list[str] = field(default_factory=list)

    @property
    def rel(self) -> str:
        return self.page.rel


@dataclass
class Cards:
    cards: list[Card]
    findings: list[Finding]

    def by_section(self) -> list[tuple[str, str, list[Card]]]:
        """(section, label, cards) in reading order."""
        groups: dict[str, tuple[str, list[Card]]] = {}
        for card in self.cards:
            groups.setdefault(card.section, (card.section_label, []))[1].append(card)
        return [(key, label, cards) for key, (label, cards) in sorted(groups.items(), key=lambda kv: section_order(kv[0]))]


def section_order(section: str) -> tuple[int, str]:
    return (int(section), "") if section.isdigit() else (99, section)


def page_section(page: Page) -> tuple[str, str] | None:
    """(section, label) of a page whose self-checks are cards, else None."""
    if page.rel in EXTRA_PAGES:
        return EXTRA_PAGES[page.rel]
    if page.rel.startswith("notes/") and page.meta.get("section") is not None:
        number = str(page.meta["section"])
        return number, f"§{number}"
    return None


def has_practice(docs: Path) -> bool:
    """The rules on cards apply once the site has a Practice page (docs/practice.md)."""
    return (docs / PRACTICE_PAGE).is_file()


def collect(pages: list[Page], gloss: glossary.Glossary | None) -> Cards:
    """Every card of every page, in reading order, and what is wrong with them."""
    findings: list[Finding] = []
    cards: list[Card] = []
    entries = gloss.by_id if gloss else {}
    pattern, owner = glossary.term_pattern(gloss.entries) if gloss else (None, {})
    seen: dict[str, Card] = {}
    for page in pages:
        where = page_section(page)
        if where is None:
            continue
        taken = {h.anchor for h in page.headings} | {a or b for a, b in PAGE_IDS.findall(page.text)}
        for callout in page.callouts:
            if callout.kind != "selfcheck":
                continue
            card = _card(page, callout, where, pattern, owner, entries, findings)
            if card is None:
                continue
            if card.id in taken:
                findings.append(page.finding(card.line, card.col, "selfcheck-id", f"id '{card.id}' is already an anchor on this page (a heading or an element); choose another"))
                continue
            if card.id in seen:
                first = seen[card.id]
                findings.append(page.finding(card.line, card.col, "selfcheck-id", f"id '{card.id}' is already used by the self-check at {first.page.display}:{first.line}; give each self-check its own id"))
                continue
            seen[card.id] = card
            cards.append(card)
    cards.sort(key=lambda c: (section_order(c.section), c.rel, c.line))
    return Cards(cards, findings)


def _card(page, callout, where, pattern, owner, entries, findings) -> Card | None:
    body = page.lines[callout.line : callout.end]
    indent = callout.indent + 4
    first = next((i for i, text in enumerate(body) if text.strip()), None)
    title = callout.title or "?"
    marker = ID_MARKER.match(body[first]) if first is not None else None
    if marker is None:
        findings.append(page.finding(callout.line, callout.col, "selfcheck-id", f"self-check '{title}' needs an id: make '<!-- id: some-words -->' the first line of its answer"))
        return None
    card_id = marker.group("id")
    marker_line = callout.line + first + 1
    if not ID.match(card_id):
        findings.append(page.finding(marker_line, 1, "selfcheck-id", f"id '{card_id}' must be lowercase words joined by hyphens"))
        return None
    answer_lines = [text[indent:] if text[:indent].strip() == "" else text.lstrip() for text in body[first + 1 :]]
    answer = "\n".join(answer_lines).strip("\n")
    if not answer.strip():
        findings.append(page.finding(callout.line, callout.col, "selfcheck-answer", f"self-check '{title}' has no answer: write it under the id line, indented by four spaces"))
        return None
    terms: list[str] = []
    if pattern is not None:
        for m in pattern.finditer(glossary.prepare(title)):
            terms.append(owner[glossary.normalise(m.group(0))])
    for link in page.links:
        if marker_line < link.line <= callout.end and not link.image and glossary.glossary_target(page, link.path) and link.fragment:
            terms.append(link.fragment)
    for term in (marker.group("tests") or "").split(","):
        term = term.strip()
        if not term:
            continue
        if entries and term not in entries:
            findings.append(page.finding(marker_line, 1, "selfcheck-terms", f"'{term}' after 'tests:' is not a glossary id"))
            continue
        terms.append(term)
    unique = list(dict.fromkeys(t for t in terms if not entries or t in entries))
    title_text = str(page.meta.get("title") or page.rel)
    return Card(card_id, page, callout.line, callout.col, where[0], where[1], title_text, title, answer, unique)


def check_coverage(cards: Cards, gloss: glossary.Glossary) -> list[Finding]:
    """Every term of the paper's own glossary (groups 1-4) is tested by some card."""
    tested = {t for card in cards.cards for t in card.terms}
    shown = display_path(gloss.path)
    return [
        Finding(shown, entry.line, 3, "selfcheck-coverage", f"paper term '{entry.term}' ({entry.id}, group {entry.group}) is tested by no self-check; name it in a question or add it after 'tests:'")
        for entry in gloss.entries
        if entry.group in PAPER_GROUPS and entry.id not in tested
    ]


def paper_terms(gloss: glossary.Glossary) -> list[glossary.Entry]:
    return [e for e in gloss.entries if e.group in PAPER_GROUPS]


# ---------------------------------------------------------------------------
# The Practice page: every card, grouped by section, readable without scripts
# ---------------------------------------------------------------------------


def relink(answer: str, page_rel: str, target_rel: str) -> str:
    """The answer's relative links, rewritten for a page at ``target_rel``."""
    base = posixpath.dirname(target_rel)

    def repl(m: re.Match) -> str:
        target = m.group(3)
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith(("/", "#")):
            return m.group(0)
        path, _, fragment = target.partition("#")
        moved = posixpath.relpath(resolve_link(page_rel, path), base or ".")
        new = moved + (f"#{fragment}" if fragment else "")
        return m.group(0).replace(f"({target}", f"({new}", 1)

    return LINK.sub(repl, answer)


def card_link(card: Card, from_rel: str) -> str:
    """The Markdown link target of a card's question on its page, from page ``from_rel``."""
    return posixpath.relpath(card.rel, posixpath.dirname(from_rel) or ".") + f"#{card.id}"


def render_page(cards: Cards, gloss: glossary.Glossary | None, page_rel: str = PRACTICE_PAGE) -> str:
    """Markdown for the Practice page's marker: every card as a folded question.

    Without scripts this is the page: each question with its answer in a ``<details>``.
    docs/assets/javascripts/practice.js reads the same elements (their ``data-`` fields)
    and clones them into its one-card-at-a-time view.
    """
    entries = gloss.by_id if gloss else {}
    glossary_href = posixpath.relpath(glossary.GLOSSARY_PAGE, posixpath.dirname(page_rel) or ".")
    out: list[str] = []
    for section, label, members in cards.by_section():
        title = members[0].page_title if section.isdigit() else label
        out += [f"## {html_lib.escape(title, quote=False)} {{ #practice-{section} }}", ""]
        for card in members:
            attrs = (
                f'class="selfcheck practice-card" id="{card.id}" data-card="{card.id}" data-section="{section}" '
                f'data-section-label="{html_lib.escape(label)}" data-terms="{" ".join(card.terms)}"'
            )
            out += [f"<details {attrs} markdown>", f"<summary>{html_lib.escape(card.question, quote=False)}</summary>", ""]
            out += [relink(card.answer, card.rel, page_rel), ""]
            where = f"[In the notes: {html_lib.escape(label)} › {SELF_CHECK[1]}]({card_link(card, page_rel)})"
            tested = ", ".join(f"[{html_lib.escape(entries[t].term, quote=False)}]({glossary_href}#{t})" for t in card.terms if t in entries)
            line = where + (f" · Tests: {tested}" if tested else "")
            out += [f'<p class="practice-where" markdown="span">{line}</p>', "", "</details>", ""]
    return "\n".join(out)


ID_LINE = re.compile(r"^(?P<indent>[ \t]*)<!--\s*id:\s*(?P<id>[a-z0-9-]+)\s*(?:;[^>]*?)?-->[ \t]*$", re.MULTILINE)
ANCHOR = '<span class="selfcheck-anchor" id="{id}"></span>'
ANCHORED = re.compile(
    r'(<details class="(?:[^"]*\s)?selfcheck(?:\s[^"]*)?")([^>]*>\s*<summary>.*?</summary>\s*)'
    r'(?:<p>)?<span class="selfcheck-anchor" id="([a-z0-9-]+)"></span>(?:</p>)?\s*',
    re.DOTALL,
)


def mark_anchors(markdown: str) -> str:
    """Each marker comment becomes an element with the id, so MkDocs knows the anchor
    (and checks links to it); ``anchor_questions`` then moves the id onto the question."""
    return ID_LINE.sub(lambda m: m.group("indent") + ANCHOR.format(id=m.group("id")), markdown)


def anchor_questions(html: str) -> str:
    """Give each self-check on a built page the id from its marker as its own id."""
    return ANCHORED.sub(lambda m: f'{m.group(1)} id="{m.group(3)}"{m.group(2)}', html)


STYLESHEET = "assets/stylesheets/practice.css"
SCRIPT = "assets/javascripts/practice.js"


def with_assets(html: str, root: str) -> str:
    """The built Practice page with its stylesheet (in the head, after the site's) and its
    script (deferred, at the end of the body); ``root`` is the site root relative to it."""
    root = root.rstrip("/") + "/" if root not in ("", ".") else ""
    link = f'<link class="web-only" rel="stylesheet" href="{root}{STYLESHEET}">'
    script = f'<script src="{root}{SCRIPT}" defer></script>'
    html = html.replace("</head>", link + "</head>", 1)
    return html.replace("</body>", script + "</body>", 1)
