"""Shared fixtures: the real site built once per test run, and small fixture projects."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
ARTIFACTS = ROOT / "test-artifacts"
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def run(args: list[str], cwd: Path = ROOT, env_extra: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run a command the way a contributor would, capturing its output."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)
    env.update(env_extra or {})
    return subprocess.run(args, cwd=cwd, env=env, text=True, capture_output=True, **kwargs)


def python(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return run([sys.executable, *args], cwd=cwd)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built strictly once for the whole test run.

    $RLO_TEST_SITE names a site built beforehand, to rerun a few tests quickly against it
    (never set in CI or by make test)."""
    if os.environ.get("RLO_TEST_SITE"):
        return Path(os.environ["RLO_TEST_SITE"])
    dest = tmp_path_factory.mktemp("built") / "site"
    result = python("-m", "mkdocs", "build", "--strict", "--site-dir", str(dest))
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return dest


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def make_project(tmp_path: Path, docs: Path) -> Path:
    """A copy of our MkDocs project (config, overrides) around fixture docs."""
    project = tmp_path / "project"
    shutil.copytree(docs, project / "docs")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(ROOT / "docs" / "assets", project / "docs" / "assets", dirs_exist_ok=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = (docs.parent / "nav.yml").read_text(encoding="utf-8")
    config = config[: config.index("\nnav:")] + "\n" + nav
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return project


def tree_digest(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
