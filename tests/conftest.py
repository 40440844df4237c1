"""Shared fixtures: the real site built once per test run, and small fixture projects."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import MKDOCS_ENV

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
ARTIFACTS = ROOT / "test-artifacts"
os.environ.update(MKDOCS_ENV)  # every MkDocs a test starts inherits it


def run(args: list[str], cwd: Path = ROOT, env_extra: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run a command the way a contributor would, capturing its output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
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
    if result.returncode != 0 or "WARNING" in result.stderr:
        pytest.fail(f"the strict build of the site failed (run `make check` first):\n{distinct_lines(result.stderr)}", pytrace=False)
    return dest


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def distinct_lines(text: str) -> str:
    """``text`` without INFO lines, each repeated line kept once (a build repeats its warnings)."""
    return "\n".join(dict.fromkeys(line for line in text.splitlines() if not line.startswith("INFO")))


_setup_errors: dict[tuple[str, str], str] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Show a setup error (a failed site build) once; later tests it stops name the first."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "setup" and report.failed and call.excinfo is not None:
        key = (call.excinfo.typename, str(call.excinfo.value))
        first = _setup_errors.setdefault(key, item.nodeid)
        if first != item.nodeid:
            report.longrepr = f"the same setup error as {first} (shown there)"


def copy_case(case: str, docs: Path) -> None:
    """A checker case's files over a copy of the clean fixture docs. A case that needs a
    huge input (a page over the size limit) says how to make it in ``grow.txt``, one
    ``path count text`` line per file, instead of storing megabytes in the repository."""
    folder = DATA / "checker" / case
    shutil.copytree(folder / "docs", docs, dirs_exist_ok=True)
    grow = folder / "grow.txt"
    if grow.is_file():
        for line in grow.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                path, count, text = line.split(" ", 2)
                with (docs.parent / path).open("a", encoding="utf-8") as f:
                    f.write((text + "\n") * int(count))


def build_project(project: Path, site: Path, **kwargs) -> subprocess.CompletedProcess:
    """`python -m scripts build` of a fixture project into ``site`` (the safe build)."""
    return run([sys.executable, "-m", "scripts", "build", "--config-file", str(project / "mkdocs.yml"), "--site", str(site)], **kwargs)


@pytest.fixture(scope="session")
def good(tmp_path_factory) -> tuple[Path, Path]:
    """The clean fixture project and its good build, for drills that break a copy of it."""
    tmp = tmp_path_factory.mktemp("good")
    project = make_project(tmp, DATA / "minisite" / "docs")
    site = tmp / "site"
    result = build_project(project, site)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return project, site


def broken_copy(good: tuple[Path, Path], tmp_path: Path, case: str) -> tuple[Path, Path]:
    """A copy of the good project with a checker case's files over its docs, and a copy of
    its good site for the broken build to (fail to) replace."""
    project, good_site = good
    broken = tmp_path / "project"
    shutil.copytree(project, broken)
    copy_case(case, broken / "docs")
    site = tmp_path / "site"
    shutil.copytree(good_site, site)
    return broken, site


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


# --------------------------------------------------------------------------- browser
# One Chromium for the whole run: Playwright's sync API allows one running instance, so
# every browser test module shares these (tests/browser_helpers.py has the helpers).


@pytest.fixture(scope="session")
def base_url(site: Path):
    """The built site on http://127.0.0.1:<port>/."""
    from browser_helpers import StaticServer

    with StaticServer(site) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    from browser_helpers import AXE, CHROMIUM_ARGS, chromium_path

    playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in requirements.txt: run `make setup`")
    executable = chromium_path()
    if executable is None:
        pytest.fail("Chromium not found: `apt-get install chromium` (or set $CHROMIUM); .ci/run installs it")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make setup)")
    with playwright_api.sync_playwright() as p:
        # A launched (not persistent) browser gets a fresh temporary profile from Playwright.
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_context(browser):
    """Make fresh browser contexts (clean storage) that record requests and errors.

    ``new_recorder()`` makes the context's Recorder (browser_helpers.py): by default one that lets
    only the local server load; tests/test_offline.py passes one that lets only the bundle's
    files load."""
    from browser_helpers import DESKTOP, Recorder

    made = []

    def make(viewport=DESKTOP, color_scheme="light", new_recorder=Recorder, **kwargs):
        context = browser.new_context(viewport=viewport, color_scheme=color_scheme, **kwargs)
        context.set_default_timeout(10_000)
        recorder = new_recorder()
        recorder.attach(context)
        made.append(context)
        return context, recorder

    yield make
    for context in made:
        context.close()
