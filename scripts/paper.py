"""The paper's numbering, for checking locators: ``sec. 99.9`` or ``fig. 42`` cites nothing.

One source for all of it: the inventory of the paper's parts that the coverage map reads
(``scripts/data/paper-inventory.json``, written from the authors' mesa_optimization.tex by
``python -m scripts coverage --inventory``): its section numbers (the paper's Glossary is
section 7, with one list per section 1-4 as 7.1-7.4), its figures (``fig-N``) and its
footnotes (``fn-N``, 31 of them).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from . import ROOT, locators

INVENTORY = ROOT / "scripts" / "data" / "paper-inventory.json"
SECTION_LABELS = {"sec.", "secs."}
FIGURE_LABELS = {"fig.", "figs."}
FOOTNOTE_LABELS = {"fn.", "fns.", "n.", "nn."}


@lru_cache(maxsize=1)
def outline() -> tuple[frozenset[str], frozenset[str], int]:
    """(section numbers, figure numbers, number of footnotes) of the paper."""
    data = json.loads(INVENTORY.read_text(encoding="utf-8"))
    sections = {s for s in data["sections"].split() if s[0].isdigit()}
    sections |= {s.split(".")[0] for s in sections}  # "7" for the Glossary as a whole
    items = data["items"]
    figures = {i["id"].removeprefix("fig-") for i in items if i["kind"] == "figure"}
    footnotes = sum(1 for i in items if i["kind"] == "footnote")
    return frozenset(sections), frozenset(figures), footnotes


@lru_cache(maxsize=8192)  # asked for every citation of the paper on every page
def missing(locator: str) -> str:
    """The checker's message when a locator of the paper names a section, figure or
    footnote the paper does not have; "" when it names real ones (or another kind of place)."""
    parsed = locators.parse(locator)
    if parsed is None:
        return ""
    label, places = parsed
    sections, figures, footnotes = outline()
    for place in re.split(r"\s*(?:,|–)\s*", places):
        if label in SECTION_LABELS and place not in sections:
            return f"the paper has no section {place}; its sections are {', '.join(sorted(sections, key=_order))}"
        if label in FIGURE_LABELS and place not in figures:
            return f"the paper has no figure {place}; it has figures {', '.join(sorted(figures, key=_order))}"
        if label in FOOTNOTE_LABELS and not (place.isdigit() and 1 <= int(place) <= footnotes):
            return f"the paper has no footnote {place}; its footnotes are numbered 1 to {footnotes}"
    return ""


def _order(number: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in number.split("."))
