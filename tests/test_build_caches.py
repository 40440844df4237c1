"""What a build keeps for the next one (.cache/ beside mkdocs.yml) changes nothing it
writes or reports: the pages' conversions (scripts/rendercache.py) and the checker's
answer (scripts/beside.py). Nothing here measures time."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from conftest import DATA, run, tree_digest
from scripts.bench import copy_project
from scripts.beside import BesideRun, inputs_digest


def test_a_second_build_that_reuses_conversions_from_disk_writes_the_same_site(tmp_path):
    """`mkdocs build` keeps each page's conversion in .cache/pages/; the next build of the
    same sources reuses them and writes the same site, byte for byte."""
    project = copy_project(tmp_path / "project")
    sites = []
    for number in (1, 2):
        site = tmp_path / f"site-{number}"
        result = run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=project,
                     env_extra={"PYTHONPATH": str(project)})
        assert result.returncode == 0, result.stderr[-2000:]
        sites.append(tree_digest(site))
        if number == 1:
            kept = list((project / ".cache" / "pages").glob("*.json"))
            assert kept, "the first build kept no conversion"
    first, second = sites
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert differ == []


def test_the_checker_beside_the_build_reuses_an_answer_only_for_the_same_sources(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DATA / "minisite" / "docs", docs)
    cache = tmp_path / "cache"

    first = BesideRun(docs, cache=cache)
    assert first.process is not None and first.wait() == []
    again = BesideRun(docs, cache=cache)
    assert again.process is None, "the same sources were checked again"
    assert again.wait() == []

    page = next(p for p in sorted(docs.rglob("*.md")) if "terms" in p.read_text(encoding="utf-8"))
    page.write_text(page.read_text(encoding="utf-8") + "\nA [broken link](no-such-page.md).\n", encoding="utf-8")
    edited = BesideRun(docs, cache=cache)
    assert edited.process is not None, "an edited page was not checked"
    found = edited.wait()
    assert any("no-such-page.md" in line for line in found), found
    assert BesideRun(docs, cache=cache).wait() == found  # its findings are kept too

    link = docs / "a-link.md"
    link.symlink_to(page.name)  # a new kind of file: the policy's symlink rule must see it
    assert BesideRun(docs, cache=cache).process is not None
    link.unlink()
    crashed = BesideRun(docs, [sys.executable, "-c", "raise SystemExit(2)"], cache=cache)
    assert crashed.wait()[0].startswith("scripts/check.py:1:1: checker-crashed")
    assert BesideRun(docs, cache=cache).wait() == found  # a crash is never kept; the last answer is
    assert Path(cache).is_dir()


def test_the_checker_answer_is_not_reused_when_python_would_run_other_code(tmp_path):
    """A PYTHONPATH (or another PYTHON* variable) can put other code in front of the
    checker's, so it is part of the key; unrelated variables are not."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    command = [sys.executable, "-m", "scripts", "check", "--docs", str(docs)]
    plain = inputs_digest(docs, command, {"HOME": "/root"})
    assert inputs_digest(docs, command, {"HOME": "/elsewhere"}) == plain
    assert inputs_digest(docs, command, {"HOME": "/root", "PYTHONPATH": str(tmp_path)}) != plain
    assert inputs_digest(docs, command, {"HOME": "/root", "RLO_OFFLINE": "1"}) != plain
