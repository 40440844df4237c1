"""The checker on fixture sites: exact messages, exit codes, and sources left alone.

Each folder in tests/data/checker/ holds the files that differ from the clean fixture
site tests/data/minisite/ and, in expected.txt, the exact findings the checker prints.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT, copy_case, run, tree_digest

CASES = sorted(p.name for p in (DATA / "checker").iterdir() if p.is_dir())


def fixture(tmp_path: Path, case: str | None) -> Path:
    shutil.copytree(DATA / "minisite" / "docs", tmp_path / "docs")
    if case:
        copy_case(case, tmp_path / "docs")
        if (DATA / "checker" / case / "scripts").is_dir():  # the case's own paper inventory
            shutil.copytree(DATA / "checker" / case / "scripts", tmp_path / "scripts")
    return tmp_path


def check(cwd: Path, *args: str):
    return run([sys.executable, "-m", "scripts", "check", "--no-originality", *args], cwd=cwd)


def test_clean_fixture_has_no_findings(tmp_path):
    result = check(fixture(tmp_path, None))
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.splitlines()[-1] == "0 findings"


@pytest.mark.parametrize("case", CASES)
def test_broken_fixture(tmp_path, case):
    site = fixture(tmp_path, case)
    before = tree_digest(site / "docs")
    result = check(site)
    expected = (DATA / "checker" / case / "expected.txt").read_text(encoding="utf-8")
    assert result.stdout == expected
    assert result.returncode == (1 if expected else 0)
    assert "Traceback" not in result.stderr
    assert tree_digest(site / "docs") == before, "the checker must never modify sources"


def test_findings_are_sorted_compiler_style(tmp_path):
    """The checker's own output (not the expected file): path:line:col: rule: message, in
    file order, so line 9 comes before line 10."""
    lines = check(fixture(tmp_path, "template")).stdout.splitlines()
    assert len(lines) >= 3, lines
    places = []
    for line in lines:
        path, number, col, rule, message = line.split(":", 4)
        assert path.startswith("docs/") and number.isdigit() and col.isdigit() and rule.strip() and message.strip(), line
        places.append((path, int(number), int(col)))
    assert places == sorted(places)


def test_explicit_paths_limit_page_findings(tmp_path):
    site = fixture(tmp_path, "broken-link")
    assert check(site, "docs/notes").stdout == ""
    assert check(site, "docs/index.md").stdout.startswith("docs/index.md:7:24: broken-link:")


def test_json_format(tmp_path):
    result = check(fixture(tmp_path, "unknown-key"), "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout) == [
        {
            "path": "docs/notes/01-introduction.md",
            "line": 20,
            "col": 102,
            "rule": "unknown-key",
            "message": "citation key 'nobody2020nothing' is not in docs/references.bib",
        }
    ]


def test_github_annotations(tmp_path):
    site = fixture(tmp_path, "broken-link")
    result = run([sys.executable, "-m", "scripts", "check", "--no-originality"], cwd=site, env_extra={"GITHUB_ACTIONS": "true"})
    assert "::error file=docs/index.md,line=7,col=24,title=broken-link::'notes/01-intro.md' does not lead to a page in docs/" in result.stdout


def test_usage_errors_exit_2(tmp_path):
    assert check(fixture(tmp_path, None), "docs/nope.md").returncode == 2
    assert run([sys.executable, "-m", "scripts", "check", "--format", "xml"], cwd=tmp_path).returncode == 2


def test_real_site_is_clean():
    """The whole of docs/, including the copied-text check, has no findings."""
    result = run([sys.executable, "-m", "scripts", "check"], cwd=ROOT)
    assert result.returncode == 0, result.stdout


def test_fix_rewrites_only_the_terms_list(tmp_path):
    site = fixture(tmp_path, "terms-list")
    page = site / "docs" / "notes" / "01-introduction.md"
    before = page.read_text(encoding="utf-8")
    assert check(site).returncode == 1  # without --fix nothing is written
    assert page.read_text(encoding="utf-8") == before
    result = check(site, "--fix")
    assert result.returncode == 0, result.stdout
    assert "docs/notes/01-introduction.md: fixed front matter 'terms'" in result.stderr
    after = page.read_text(encoding="utf-8")
    assert after == before.replace("terms: [base-optimizer, inner-alignment]", "terms: [base-optimizer, mesa-optimizer]")


def test_spelling_is_clean():
    """codespell over the prose and code, with the project's own word list (.codespell-words)."""
    result = run([str(Path(sys.executable).parent / "codespell"), "docs", "README.md", "CONTRIBUTING.md", "scripts", "overrides", "tests"], cwd=ROOT)
    assert result.returncode == 0, result.stdout
