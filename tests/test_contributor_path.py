"""The contributor's path: `make test` with one content mistake stops at `make check`
and prints a screenful (the finding and its hint), not the whole suite's failures."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT

LEFT_OUT = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "site.*", ".site-*", "test-artifacts", ".cache", ".pytest_cache", "__pycache__", ".lockenv")
MISTAKE = ("[@hubinger2019risks, sec. 1", "[@hubbinger2019risks, sec. 1")


def project_copy(tmp_path: Path) -> Path:
    """The repository as a contributor has it, sharing our installed .venv and node_modules."""
    copy = tmp_path / "repo"
    shutil.copytree(ROOT, copy, ignore=LEFT_OUT, symlinks=True)
    for name in (".venv", "node_modules"):
        (copy / name).symlink_to((ROOT / name).resolve())
    return copy


def test_make_test_with_a_planted_mistake_stops_at_the_check(tmp_path):
    copy = project_copy(tmp_path)
    page = copy / "docs" / "notes" / "01-introduction.md"
    text = page.read_text(encoding="utf-8")
    assert MISTAKE[0] in text
    page.write_text(text.replace(MISTAKE[0], MISTAKE[1], 1), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "MAKEFLAGS", "MAKELEVEL")}
    # -o: the shared .venv and node_modules count as installed (never reinstalled from here)
    result = subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "-o", "node_modules/.installed", "test"],
        cwd=copy, env=env, text=True, capture_output=True, timeout=600,
    )
    output = (result.stdout + result.stderr).splitlines()
    assert result.returncode != 0
    assert "test session starts" not in result.stdout, "pytest ran although make check had findings"
    assert any(": unknown-key: citation key 'hubbinger2019risks'" in line and "did you mean 'hubinger2019risks'?" in line for line in output), output
    assert "1 finding" in output
    assert len(output) < 60, "\n".join(output)
