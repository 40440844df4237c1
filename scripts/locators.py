"""Citation locators: the forms contributors may write after a key, and how they print.

One table for the checker (which reports a form it cannot print, as path:line:col) and
for the citations renderer (which prints it). A contributor writes
``[@hubinger2019risks, sec. 3.2]``; the reader sees "sec. 3.2". Ranges print with an
en dash ("pp. 12–15"), and several places of one work merge into one citation
("sec. 3.2, 3.3").
"""

from __future__ import annotations

import re
from functools import lru_cache

# label -> what it points to (for the message listing the accepted forms)
LABELS = {
    "sec.": "section",
    "secs.": "sections",
    "fig.": "figure",
    "figs.": "figures",
    "chap.": "chapter",
    "chaps.": "chapters",
    "p.": "page",
    "pp.": "pages",
    "n.": "note",
    "nn.": "notes",
    "fn.": "footnote",
    "fns.": "footnotes",
    "para.": "paragraph",
    "eq.": "equation",
    "tbl.": "table",
}
EXAMPLES = "sec. 3.1, secs. 3.1–3.3, fig. 2, chap. 8, p. 12, pp. 12–15, n. 4, para. 2, eq. 1, tbl. 1"

_PLACE = r"[A-Za-z]?\d+(?:\.\d+)*[A-Za-z]?"  # 3, 3.2, 4.4.1, A, A1, 12b
_ONE = rf"{_PLACE}(?:\s*(?:-{{1,2}}|–)\s*{_PLACE})?"  # a place or a range
LOCATOR = re.compile(rf"^(?P<label>[a-z]+\.)\s*(?P<places>{_ONE}(?:\s*,\s*{_ONE})*)$")
RANGE_DASH = re.compile(r"\s*(?:-{1,2}|–)\s*")


@lru_cache(maxsize=8192)  # the checker asks for every citation of every page; pages repeat locators
def parse(locator: str) -> tuple[str, str] | None:
    """("sec.", "3.2") for "sec. 3.2"; None when the form cannot be printed."""
    m = LOCATOR.match(locator.strip())
    if not m or m.group("label") not in LABELS:
        return None
    places = ", ".join(RANGE_DASH.sub("–", p.strip()) for p in m.group("places").split(","))
    return m.group("label"), places


def valid(locator: str) -> bool:
    return parse(locator) is not None


def problem(locator: str) -> str:
    """The checker's message for a locator that ``parse`` rejects."""
    return f"locator '{locator.strip()}' is not a form the citation style can print; write one of: {EXAMPLES}"


def join(locators: list[str]) -> str:
    """Print several locators of one work in one citation: "sec. 3.2, 3.3", "sec. 4, fig. 3".

    Places with the same label share it, in the order written; a repeated place is
    printed once. Locators that do not parse are printed as written (the checker has
    already reported them).
    """
    groups: dict[str, list[str]] = {}
    raw: list[str] = []
    for loc in locators:
        if not loc.strip():
            continue
        parsed = parse(loc)
        if parsed is None:
            if loc.strip() not in raw:
                raw.append(loc.strip())
            continue
        label, places = parsed
        bucket = groups.setdefault(label, [])
        for place in places.split(", "):
            if place not in bucket:
                bucket.append(place)
    return ", ".join([f"{label} {', '.join(places)}" for label, places in groups.items()] + raw)
