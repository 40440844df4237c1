"""The spell check in the checker's stream: `path:line:col: spelling: …`, annotated in CI,
counted in the one summary line, and a codespell that cannot run is an error (exit 2)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from conftest import DATA, run
from scripts import spelling

EXPECTED = (DATA / "checker" / "spelling" / "expected.txt").read_text(encoding="utf-8").strip()


def site(tmp_path: Path) -> Path:
    shutil.copytree(DATA / "minisite" / "docs", tmp_path / "docs")
    shutil.copytree(DATA / "checker" / "spelling" / "docs", tmp_path / "docs", dirs_exist_ok=True)
    return tmp_path


def check(cwd: Path, env_extra: dict | None = None):
    return run([sys.executable, "-m", "scripts", "check", "--no-originality"], cwd=cwd, env_extra=env_extra)


def test_one_stream_one_exit_code_one_summary(tmp_path):
    result = check(site(tmp_path))
    assert result.returncode == 1
    assert result.stdout.strip() == EXPECTED
    assert result.stderr.strip().splitlines()[-1] == "1 finding"
    assert "no findings" not in result.stderr + result.stdout


def test_spelling_findings_are_annotated_in_ci(tmp_path):
    result = check(site(tmp_path), {"GITHUB_ACTIONS": "true"})
    assert "::error file=docs/notes/01-introduction.md,line=16,col=29,title=spelling::" in result.stdout


def test_no_spelling_skips_it(tmp_path):
    result = run([sys.executable, "-m", "scripts", "check", "--no-originality", "--no-spelling"], cwd=site(tmp_path))
    assert (result.returncode, result.stdout) == (0, "")


def test_codespell_that_cannot_run_is_an_error_not_a_clean_result(tmp_path):
    root = site(tmp_path)
    (root / ".codespellrc").write_text("[codespell]\nignore-words = no-such-file.txt\n", encoding="utf-8")
    result = check(root)
    assert result.returncode == 2
    assert "error: codespell failed" in result.stderr


def test_parse_gives_the_column_and_every_suggestion(tmp_path):
    one, two = bytes([116, 101, 104]).decode(), bytes([97, 100, 110]).decode()  # spelt out so that tests/ stays clean
    page = tmp_path / "a.md"
    page.write_text(f"First line.\nSome text with {one} word and {two} more.\n", encoding="utf-8")
    found = spelling.parse(f"./a.md:2: {one} ==> the\na.md:2: {two} ==> and, add | a reason\n", tmp_path)
    assert [f.format() for f in found] == [
        f"a.md:2:16: spelling: '{one}' looks misspelt; did you mean 'the'? (a word we mean goes in .codespell-words)",
        f"a.md:2:29: spelling: '{two}' looks misspelt; did you mean 'and' or 'add'? (a reason) (a word we mean goes in .codespell-words)",
    ]
