"""Fix hints a contributor can paste: each suggestion, pasted into the page as written,
leaves no finding on that line (tests/data/checker/<case>/ holds the broken pages)."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import DATA, copy_case, run
from scripts import hints

FINDING = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<rule>[\w-]+): (?P<message>.*)$")
LINK_AT = re.compile(r"!?\[[^\]]*\]\((?P<target>[^)\s]*)\)")


def fixture(tmp_path: Path, case: str) -> Path:
    shutil.copytree(DATA / "minisite" / "docs", tmp_path / "docs")
    copy_case(case, tmp_path / "docs")
    return tmp_path


def findings(site: Path) -> list[dict]:
    result = run([sys.executable, "-m", "scripts", "check", "--no-originality", "--no-spelling"], cwd=site)
    assert result.returncode in (0, 1), result.stderr
    return [FINDING.match(line).groupdict() for line in result.stdout.splitlines()]


def paste(line: str, col: int, rule: str, message: str) -> str | None:
    """The line with the finding's suggestion pasted in as written, or None (no suggestion)."""
    at = col - 1
    if rule == "unlinked-term":
        text, link = re.search(r"first use of '(.+)' should link to (\S+)$", message).groups()
        assert line[at : at + len(text)] == text
        return line[:at] + f"[{text}]({link})" + line[at + len(text) :]
    if rule == "glossary-anchor":
        hint = re.search(r"(?:e\.g\. |did you mean ')([^\s']+)'?\??$", message)
        if not hint:
            return None
        link = LINK_AT.match(line, at)
        return line[: link.start("target")] + hint.group(1) + line[link.end("target") :]
    if rule == "broken-link":
        hint = re.search(r"did you mean '([^']+)'\?$", message)
        if not hint:
            return None
        link = LINK_AT.match(line, at)
        path_end = link.start("target") + len(link.group("target").split("#")[0])
        return line[: link.start("target")] + hint.group(1) + line[path_end:]
    if rule == "unknown-key":
        hint = re.search(r"did you mean '([^']+)'\?$", message)
        if not hint:
            return None
        key = re.match(r"@([\w:-]+)", line[at:]).group(1)
        return line[: at + 1] + hint.group(1) + line[at + 1 + len(key) :]
    return None


def near_miss(lines: list[str], message: str) -> bool:
    """Apply 'line N has **X**: did you mean **Y**?' to the line it names."""
    hint = re.search(r"line (\d+) has (\*\*.+?\*\*): did you mean (\*\*.+?\*\*)\?$", message)
    if not hint:
        return False
    number, written, wanted = int(hint.group(1)), hint.group(2), hint.group(3)
    assert written in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(written, wanted, 1)
    return True


CASES = ["broken-link", "unlinked-term", "glossary-anchor", "glossary-anchor-missing", "did-you-mean", "analogy-near-miss"]


@pytest.mark.parametrize("case", CASES)
def test_pasted_hint_leaves_no_finding_on_its_line(tmp_path, case):
    site = fixture(tmp_path, case)
    before = findings(site)
    pasted: set[tuple[str, int]] = set()
    # right to left on each line, so the columns of the other findings stay true
    for f in sorted(before, key=lambda f: (f["path"], int(f["line"]), -int(f["col"]))):
        path = site / f["path"]
        lines = path.read_text(encoding="utf-8").split("\n")
        number = int(f["line"])
        if near_miss(lines, f["message"]):
            pasted.add((f["path"], int(re.search(r"line (\d+) has", f["message"]).group(1))))
        else:
            new = paste(lines[number - 1], int(f["col"]), f["rule"], f["message"])
            if new is None:
                continue
            lines[number - 1] = new
            pasted.add((f["path"], number))
        path.write_text("\n".join(lines), encoding="utf-8")
    assert pasted, f"{case}: no finding carries a hint to paste: {before}"
    after = findings(site)
    left = [f for f in after if (f["path"], int(f["line"])) in pasted]
    assert left == [], left
    # the callout's near misses are reported on the callout's line: gone there too
    if case == "analogy-near-miss":
        assert not [f for f in after if f["rule"].startswith("analogy-")]


def test_link_from_is_relative_to_the_page():
    assert hints.link_from("notes/01-introduction.md", "glossary.md#proxy") == "../glossary.md#proxy"
    assert hints.link_from("index.md", "glossary.md#proxy") == "glossary.md#proxy"
    assert hints.link_from("contributing/deep/page.md", "notes/01-introduction.md") == "../../notes/01-introduction.md"
    assert hints.link_from("glossary.md", "glossary.md#proxy") == "glossary.md#proxy"


def test_did_you_mean_only_for_near_misses():
    keys = ["hubinger2019risks", "langosco2022goal"]
    assert hints.did_you_mean("hubbinger2019risks", keys) == "; did you mean 'hubinger2019risks'?"
    assert hints.did_you_mean("zzz1900qqq", keys) == ""
    assert hints.did_you_mean("hubinger2019risks", keys) == ""  # not a near miss of itself


def test_out_of_order_names_the_fewest_moves():
    assert hints.out_of_order(["a", "b", "c"]) == []
    assert hints.out_of_order(["z", "a", "b", "c"]) == [(0, 3)]  # z goes after c, not a, b, c before z
    assert hints.out_of_order(["a", "b", "d", "c", "e"]) == [(2, 3)]
    assert hints.out_of_order(["b", "c", "a"]) == [(2, None)]  # a goes to the top
