"""Fix hints a contributor can paste: links written from the page they go on, and
"did you mean …?" for near misses.

The checker's messages call these, so that a hint copied into the page fixes the
finding instead of raising a new one (tests/test_hints.py pastes each one back).
"""

from __future__ import annotations

import difflib
import posixpath
import re

CUTOFF = 0.75  # difflib's similarity ratio above which a name counts as a near miss


def link_from(page_rel: str, target_rel: str) -> str:
    """The relative link from page ``page_rel`` to ``target_rel`` (both relative to
    docs/, "#fragment" kept): ``link_from("notes/01-introduction.md", "glossary.md#proxy")``
    is ``"../glossary.md#proxy"``."""
    path, hash_, fragment = target_rel.partition("#")
    here = posixpath.dirname(page_rel) or "."
    return posixpath.relpath(path, here) + hash_ + fragment


def closest(word: str, candidates, cutoff: float = CUTOFF) -> str | None:
    """The candidate most like ``word``, or None when none is close (difflib)."""
    if not word:
        return None
    found = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=cutoff)
    return found[0] if found and found[0] != word else None


def did_you_mean(word: str, candidates, cutoff: float = CUTOFF, show=lambda c: f"'{c}'") -> str:
    """ "; did you mean 'x'?" to end a message with, or "" when nothing is close."""
    match = closest(word, candidates, cutoff)
    return f"; did you mean {show(match)}?" if match else ""


BOLD_START = re.compile(r"^\s*\*\*([^*\n]{3,60})\*\*")


def near_miss_paragraph(body: str, wanted: str) -> tuple[int, str] | None:
    """A bold paragraph opening in ``body`` that nearly spells ``wanted`` (such as
    "**Where it breaks down:**" for "Where it breaks down."): (line offset, text) or None."""
    target = _plain(wanted)
    for offset, line in enumerate(body.split("\n")):
        m = BOLD_START.match(line)
        if m and difflib.SequenceMatcher(None, _plain(m.group(1)), target).ratio() >= CUTOFF:
            return offset, m.group(0).strip()
    return None


def _plain(text: str) -> str:
    return re.sub(r"[^a-z ]", "", text.lower()).strip()


def out_of_order(keys: list[str]) -> list[tuple[int, int | None]]:
    """The fewest items to move to put ``keys`` in order: (index, index of the kept item
    it belongs after, or None for the top) for each. The items kept are a longest
    increasing run, so one misplaced item is named once, not everything after it."""
    import bisect

    tails: list[int] = []  # index of the smallest last item of an increasing run of each length
    parent: list[int | None] = [None] * len(keys)
    for i, key in enumerate(keys):
        pos = bisect.bisect_left([keys[t] for t in tails], key)
        parent[i] = tails[pos - 1] if pos else None
        if pos == len(tails):
            tails.append(i)
        else:
            tails[pos] = i
    kept: set[int] = set()
    i = tails[-1] if tails else None
    while i is not None:
        kept.add(i)
        i = parent[i]
    ordered = sorted(kept, key=lambda k: keys[k])
    moves = []
    for i, key in enumerate(keys):
        if i in kept:
            continue
        before = [k for k in ordered if keys[k] < key]
        moves.append((i, before[-1] if before else None))
    return moves
