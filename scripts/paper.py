"""The paper's numbering, for checking locators: ``sec. 99.9`` or ``fig. 42`` cites nothing.

One source for each fact:

- sections: the notes pages' front matter (``section`` and ``subsections``, which the
  template rule holds to the page's headings), plus the paper's Glossary, section 7,
  which has no notes page of its own;
- figures: the ``id="figure-N"`` of the figures the notes pages show;
- footnotes: the paper has 31 (``\\footnote{`` in the authors' mesa_optimization.tex).

Read from the repository's own notes (not from a fixture site being checked), once.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import DOCS, locators

GLOSSARY_SECTIONS = ("7", "7.1", "7.2", "7.3", "7.4")  # the paper's glossary, one list per section 1-4
FOOTNOTES = 31
FIGURE_ID = re.compile(r'\bid="figure-(\d+)"')
SECTION_LABELS = {"sec.", "secs."}
FIGURE_LABELS = {"fig.", "figs."}
FOOTNOTE_LABELS = {"fn.", "fns.", "n.", "nn."}


@lru_cache(maxsize=1)
def outline() -> tuple[frozenset[str], frozenset[str]]:
    """(section numbers, figure numbers) of the paper, from the notes pages."""
    from .findings import InputError
    from .pages import read_page

    sections, figures = set(GLOSSARY_SECTIONS), set()
    for path in sorted((DOCS / "notes").glob("*.md")):
        try:
            page = read_page(path, DOCS)
        except InputError:
            continue  # the checker reports the page itself
        if isinstance(page.meta.get("section"), (str, int)):
            sections.add(str(page.meta["section"]))
        if isinstance(page.meta.get("subsections"), list):
            sections |= {str(s) for s in page.meta["subsections"]}
        figures |= set(FIGURE_ID.findall(page.text))
    return frozenset(sections), frozenset(figures)


def missing(locator: str) -> str:
    """The checker's message when a locator of the paper names a section, figure or
    footnote the paper does not have; "" when it names real ones (or another kind of place)."""
    parsed = locators.parse(locator)
    if parsed is None:
        return ""
    label, places = parsed
    sections, figures = outline()
    for place in re.split(r"\s*(?:,|–)\s*", places):
        if label in SECTION_LABELS and place not in sections:
            return f"the paper has no section {place}; its sections are {', '.join(sorted(sections, key=_order))}"
        if label in FIGURE_LABELS and place not in figures:
            return f"the paper has no figure {place}; it has figures {', '.join(sorted(figures, key=_order))}"
        if label in FOOTNOTE_LABELS and not (place.isdigit() and 1 <= int(place) <= FOOTNOTES):
            return f"the paper has no footnote {place}; its footnotes are numbered 1 to {FOOTNOTES}"
    return ""


def _order(number: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in number.split("."))
