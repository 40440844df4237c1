"""The edit loop under `make serve`: one edit, one reload, and the pages built from every
page are right in it; and a rebuild that reuses conversions writes what a fresh one writes.

`make serve` reuses the conversion of each page whose Markdown has not changed
(scripts/rendercache.py: in memory, over .cache/pages/). These tests run the real server on a copy of the real site,
edit one notes page, and read the pages the server has after its first "Reloading
browsers": the glossary's "Used in" list and the bibliography's "Cited in" list must
already name the edit's new heading, and lose it again when the edit is undone.
Nothing here measures time.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import urllib.request

import pytest

from scripts.bench import ServeLog, copy_project, free_port

PAGE = "notes/06-conclusion.md"
PAGE_URL = "notes/06-conclusion/"
ANCHOR = "serve-test-heading"
HEADING = "A heading the serve test adds"
TERM = "base-optimizer"  # linked under the new heading
KEY = "filan2018bottlecaps"  # not cited on the page before the edit
MISSING = "no-such-glossary-entry"
ADDED = (
    f"## {HEADING} {{ #{ANCHOR} }}\n\n"
    f"The [base optimizer](../glossary.md#{TERM}) of this sentence and its citations [@{KEY}] "
    f"[@hubinger2019risks, sec. 6] exist only in this test.\n\n"
)
TAKEAWAYS = "## Key takeaways"


def with_section(text: str, extra: str = "") -> str:
    """The page with the test's section before its "Key takeaways" (where the notes
    template allows a section), so the edit itself makes no finding."""
    at = text.index(TAKEAWAYS)
    return text[:at] + ADDED + extra + text[at:]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("serve") / "project")
    port = free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "--dev-addr", f"127.0.0.1:{port}"]
    env = {**__import__("os").environ, "PYTHONPATH": str(project)}
    process = subprocess.Popen(command, cwd=project, env=env, text=True, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    log = ServeLog(process)
    try:
        log.wait_for("Serving on", timeout=600)
        yield project, f"http://127.0.0.1:{port}/risks-from-learned-optimization/", log
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def fetch(base: str, path: str) -> str:
    with urllib.request.urlopen(base + path, timeout=60) as response:  # noqa: S310 - 127.0.0.1 only
        return response.read().decode("utf-8")


def used_in(glossary_html: str, term: str) -> str:
    """The "Used in" list of one glossary entry: from its heading to the next heading."""
    at = glossary_html.index(f'id="{term}"')
    end = re.compile(r"<h[1-3]\b").search(glossary_html, at + 1)
    entry = glossary_html[at : end.start() if end else len(glossary_html)]
    found = re.search(r'<div class="gloss-used">.*?</div>', entry, re.S)
    assert found, f"the glossary entry {term} has no Used in list"
    return found.group(0)


def cited_in(bibliography_html: str, key: str) -> str:
    """The bibliography entry of ``key``, with its "Cited in" list."""
    at = bibliography_html.index(f'id="ref-{key}"')
    end = bibliography_html.find('class="bib-entry"', at + 1)
    return bibliography_html[at : end if end > 0 else len(bibliography_html)]


def edit(project, log: ServeLog, text: str) -> list[str]:
    """Write the page and wait for the server's first reload after it."""
    (project / "docs" / PAGE).write_text(text, encoding="utf-8")
    log.wait_for("Detected file changes", timeout=120)
    _, lines = log.wait_for("Reloading browsers", timeout=600)
    return lines


def test_an_edit_updates_used_in_and_cited_in_in_the_same_reload(server):
    project, base, log = server
    source = project / "docs" / PAGE
    original = source.read_text(encoding="utf-8")
    link = f'href="../{PAGE_URL}#{ANCHOR}"'

    assert link not in used_in(fetch(base, "glossary/"), TERM)
    assert HEADING not in cited_in(fetch(base, "bibliography/"), KEY)

    lines = edit(project, log, with_section(original))
    assert not [line for line in lines if line.startswith("ERROR")], lines

    page = fetch(base, PAGE_URL)
    assert f'id="{ANCHOR}"' in page and f'href="#ref-{KEY}"' in page, "the edited page is not the new one"
    assert 'class="dev-findings"' not in page
    assert link in used_in(fetch(base, "glossary/"), TERM), "the glossary's Used in list missed the edit"
    entry = cited_in(fetch(base, "bibliography/"), KEY)
    assert f'../{PAGE_URL}#cite-' in entry and HEADING in entry, "the bibliography's Cited in list missed the edit"

    # a finding made by an edit is in the banner of that same reload (the checker's answer
    # is this rebuild's, not the last one's), and gone with the edit
    edit(project, log, with_section(original, f"A [broken term](../glossary.md#{MISSING}) link [@hubinger2019risks, sec. 6].\n\n"))
    page = fetch(base, PAGE_URL)
    assert 'class="dev-findings"' in page and MISSING in page.split('class="dev-findings"', 1)[1].split("</div>", 1)[0]

    edit(project, log, original)  # undone: the lists lose it again, in the next reload
    page = fetch(base, PAGE_URL)
    assert f'id="{ANCHOR}"' not in page and 'class="dev-findings"' not in page
    assert link not in used_in(fetch(base, "glossary/"), TERM)
    assert HEADING not in cited_in(fetch(base, "bibliography/"), KEY)


BUILD = """
import logging, sys
from pathlib import Path
import mkdocs.config
from mkdocs.commands.build import build
from scripts import rendercache
project, site, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
logging.basicConfig(level=logging.ERROR)
url = "http://127.0.0.1:8000/risks-from-learned-optimization/"

def config():
    c = mkdocs.config.load_config(config_file=str(project / "mkdocs.yml"), site_dir=site, strict=False)
    c.site_url = url
    return c

c = config()
c.plugins.on_startup(command="serve", dirty=False)  # what `mkdocs serve` sends: the caches on
if mode == "fresh":  # nothing reused: neither the server's memory nor .cache/pages/
    rendercache.state["on"] = False
    rendercache.use_disk = lambda folder: None
    rendercache.state["disk"] = None
build(c, serve_url=url)
if mode == "cached":  # edit, then rebuild as the server does, reusing what did not change
    page = project / "docs" / sys.argv[4]
    page.write_text(page.read_text(encoding="utf-8") + sys.argv[5], encoding="utf-8")
    build(config(), serve_url=url)
"""


def test_a_rebuild_that_reuses_conversions_writes_what_a_fresh_build_writes(tmp_path):
    """Every file of a serve rebuild after an edit, byte for byte against a build of the
    edited sources that reuses nothing."""
    from conftest import run, tree_digest

    project = copy_project(tmp_path / "project")
    cached, fresh = tmp_path / "cached", tmp_path / "fresh"
    result = run([sys.executable, "-c", BUILD, str(project), str(cached), "cached", PAGE, "\n\n" + ADDED], cwd=project,
                 env_extra={"PYTHONPATH": str(project)})
    assert result.returncode == 0, result.stderr[-2000:]
    result = run([sys.executable, "-c", BUILD, str(project), str(fresh), "fresh"], cwd=project, env_extra={"PYTHONPATH": str(project)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert ANCHOR in (cached / PAGE_URL / "index.html").read_text(encoding="utf-8")
    a, b = tree_digest(cached), tree_digest(fresh)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []

