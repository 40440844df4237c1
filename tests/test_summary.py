"""The content summary CI writes to the job summary: two fixture trees, exact Markdown."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import DATA, ROOT, run
from scripts import summary

TREES = DATA / "summary"


def summarise(*args: str, cwd: Path = ROOT):
    return run([sys.executable, "-m", "scripts", "summary", *args], cwd=cwd)


def test_summary_of_two_fixture_trees_is_exact():
    result = summarise("--base-dir", "tests/data/summary/base", "--head-dir", "tests/data/summary/head")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (TREES / "expected.md").read_text(encoding="utf-8")


def test_same_tree_has_no_changes():
    result = summarise("--base-dir", "tests/data/summary/base", "--head-dir", "tests/data/summary/base")
    assert result.stdout.endswith("No changes to glossary terms, references, citations, pages, callouts or “Used in” lists.\n")


def test_base_from_a_git_revision(tmp_path):
    """What CI runs: the base branch's docs/ read with git archive, the head from the work tree."""
    repo = tmp_path / "repo"
    shutil.copytree(TREES / "base", repo)
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run([*git, *args], cwd=repo, check=True, capture_output=True)
    shutil.rmtree(repo / "docs")
    shutil.copytree(TREES / "head" / "docs", repo / "docs")
    result = summarise("--base", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stderr
    expected = (TREES / "expected.md").read_text(encoding="utf-8").replace("`tests/data/summary/base`", "`HEAD`")
    assert result.stdout == expected


def test_contributed_text_stays_text():
    assert summary.code("a`b") == "``a`b``"
    assert summary.code("`x") == "`` `x ``"
    assert summary.fenced(["- ````", "+ x"], "diff")[0] == "`````diff"
    assert summary.plain("<img src=x onerror=alert(1)> *b* [l](u)") == r"\<img src=x onerror=alert(1)\> \*b\* \[l\](u)"
