"""Definition before use, in the paper's reading order: forward references.

A glossary term is introduced where its entry's ``cite:`` locator says (the first
``[@hubinger2019risks, sec. N…]`` in it). A notes page for Section N that relies on a term
the paper introduces in a later section marks the term's first (linked) use on the page
as a forward reference, with the class ``.forward`` after the link::

    [deceptive alignment](../glossary.md#deceptive-alignment){ .forward }

The build then writes "(see §4)" after the link, pointing at the notes where the term is
introduced (``render``); the checker reports an unmarked forward use, and a marker on a
use that is not one (``check``).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache

from . import glossary
from .findings import Finding
from .pages import FENCE, LINK, Page, cited_works

INLINE_CODE = re.compile(r"((`+).+?\2)")  # split() gives text, code, its backticks, text, …

PAPER_KEY = "hubinger2019risks"
MARK = re.compile(r"\{:?\s*\.forward\s*\}")
SECTION = re.compile(r"^sec\.\s*(\d+)((?:\.\d+)*)$")
# "[text](target){ .forward }" in Markdown: the link and its marker
MARKED_LINK = re.compile(LINK.pattern + r"\{:?\s*\.forward\s*\}")


@dataclass(frozen=True)
class Introduced:
    section: int  # the paper's section (1-6)
    place: str  # "4.3" or "4"


def introduced(entry: glossary.Entry) -> Introduced | None:
    """Where the paper introduces an entry's term, from its ``cite:`` locator."""
    return _introduced(entry.cite)


@lru_cache(maxsize=4096)
def _introduced(cite: str) -> Introduced | None:
    """``introduced`` by the text of the ``cite:`` field: the checker asks for every use of a
    term on every page, and a cite field is read once."""
    for key, locator in cited_works(cite):
        if key != PAPER_KEY:
            continue
        m = SECTION.match(locator.strip())
        if m:
            return Introduced(int(m.group(1)), m.group(1) + m.group(2))
    return None


def page_section(page: Page) -> int | None:
    """The paper section a notes page covers, as a number; None for other pages."""
    value = str(page.meta.get("section", ""))
    return int(value) if page.rel.startswith("notes/") and value.isdigit() else None


def marked(page: Page, use: glossary.Use) -> bool:
    """Is this (linked) use followed by the ``{ .forward }`` marker?"""
    if not use.linked:
        return False
    raw = page.lines[use.line - 1]
    m = LINK.match(raw, use.col - 1)
    return bool(m and MARK.match(raw, m.end()))


def check(page: Page, uses: list[glossary.Use], entries: dict[str, glossary.Entry]) -> list[Finding]:
    here = page_section(page)
    if here is None:
        return []
    findings = []
    seen: set[str] = set()
    for use in uses:
        entry = entries.get(use.id)
        if entry is None:
            continue
        intro = introduced(entry)
        forward = intro is not None and intro.section > here
        is_marked = use.linked and marked(page, use)
        if use.id not in seen and forward and not is_marked:
            findings.append(page.finding(use.line, use.col, "forward-reference", f"'{use.text}' is introduced in sec. {intro.place} of the paper, after this page's §{here}; mark its first use as a forward reference: [{use.text}](…#{use.id}){{ .forward }}"))
        elif is_marked and not forward:
            where = f"in sec. {intro.place}" if intro else "nowhere in the paper"
            findings.append(page.finding(use.line, use.col, "forward-reference", f"'{use.text}' is introduced {where}, not after this page's §{here}; remove {{ .forward }}"))
        seen.add(use.id)
    return findings


def render(markdown: str, page_rel: str, entries: dict[str, glossary.Entry], notes_pages: dict[int, tuple[str, list[str]]]) -> str:
    """Replace each ``{ .forward }`` marker with "(see §4.3)", linked to the notes.

    ``notes_pages`` maps a section number to (its notes page, its subsections).
    """

    def repl(m: re.Match) -> str:
        link = m.group(0)[: m.group(0).rindex("{")]
        fragment = m.group(3).partition("#")[2]
        entry = entries.get(fragment)
        intro = introduced(entry) if entry else None
        if intro is None or intro.section not in notes_pages:
            return link
        target, subsections = notes_pages[intro.section]
        href = posixpath.relpath(target, posixpath.dirname(page_rel) or ".")
        if intro.place in subsections:
            href += "#sec-" + intro.place.replace(".", "-")
        return f'{link} <span class="forward-ref">(see [§{intro.place}]({href}))</span>'

    out = []
    fence = None
    for line in markdown.split("\n"):
        mark = FENCE.match(line)
        if fence:
            fence = None if mark and mark.group(2)[0] == fence else fence
        elif mark:
            fence = mark.group(2)[0]
        elif "{" in line:
            # outside inline code only: code shows the syntax, it does not use it
            pieces = INLINE_CODE.split(line)
            line = "".join(MARKED_LINK.sub(repl, piece) if i % 3 == 0 else piece for i, piece in enumerate(pieces) if i % 3 != 2)
        out.append(line)
    return "\n".join(out)
