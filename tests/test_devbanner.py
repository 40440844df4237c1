"""Under `make serve` a page with findings shows them in a banner at its top; a build never does."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


from conftest import DATA, ROOT, make_project, run
from scripts import devbanner
from scripts.findings import Finding
from scripts.pages import display_path

MOUNT = "/risks-from-learned-optimization/"  # the path of site_url in mkdocs.yml


def project_with_a_typo(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    shutil.copytree(DATA / "minisite" / "docs", docs)
    shutil.copytree(DATA / "checker" / "did-you-mean" / "docs", docs, dirs_exist_ok=True)
    shutil.copy(DATA / "minisite" / "nav.yml", tmp_path / "nav.yml")
    return make_project(tmp_path, docs)


def test_banner_escapes_every_text():
    hostile = Finding("docs/<b>x</b>.md", 3, 4, "unknown-key", "citation key '<script>alert(1)</script>' & more")
    html = devbanner.banner([hostile])
    assert "<script>" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&amp; more" in html
    assert "1 finding on this page" in html


def test_banner_goes_to_the_top_of_the_article():
    page = '<html><body><main><article class="md-content__inner md-typeset"><h1>T</h1></article></main></body></html>'
    out = devbanner.inject(page, [Finding("docs/a.md", 1, 1, "template", "m")])
    assert out.index('class="dev-findings"') < out.index("<h1>T</h1>")
    assert devbanner.inject(page, []) == page


def test_shared_sources_show_on_their_page(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DATA / "minisite" / "docs", docs)
    found = [
        Finding(display_path(docs / "glossary.yml"), 1, 3, "glossary-order", "m"),
        Finding(display_path(docs / "references.bib"), 1, 1, "bib-field", "m"),
        Finding(display_path(docs / "notes" / "01-introduction.md"), 2, 1, "template", "n"),
        Finding("scripts/check.py", 1, 1, "spelling", "not a page"),
    ]
    by_page = devbanner.findings_by_page(docs, found)
    assert {page: [f.rule for f in fs] for page, fs in by_page.items()} == {
        "glossary.md": ["glossary-order"],
        "bibliography.md": ["bib-field"],
        "notes/01-introduction.md": ["template"],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_serve_shows_the_findings_and_a_build_never_does(tmp_path):
    project = project_with_a_typo(tmp_path)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        printed = f"Serving on http://127.0.0.1:{port}{MOUNT}"
        deadline = time.monotonic() + 120
        while printed not in (tmp_path / "serve.log").read_text() and time.monotonic() < deadline:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            time.sleep(0.3)
        assert printed in (tmp_path / "serve.log").read_text(), "the URL make serve prints (the contributing guide gives it)"
        url = f"http://127.0.0.1:{port}{MOUNT}notes/01-introduction/"
        page = fetch(url)
        home = fetch(f"http://127.0.0.1:{port}{MOUNT}")
        # fix one finding: the rebuild (which reloads the hooks) shows the ones left
        source = project / "docs" / "notes" / "01-introduction.md"
        source.write_text(source.read_text(encoding="utf-8").replace("@hubbinger2019risks", "@hubinger2019risks"), encoding="utf-8")
        rebuilt = page
        while "2 findings on this page" not in rebuilt and time.monotonic() < deadline + 60:
            time.sleep(0.5)
            rebuilt = fetch(url)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert page.count('class="dev-findings"') == 1
    banner = page[page.index('class="dev-findings"') :]
    banner = banner[: banner.index("</div>")]
    assert "docs/notes/01-introduction.md:21:18</code> <strong>unknown-key</strong>: citation key &#x27;hubbinger2019risks&#x27;" in banner
    assert "did you mean &#x27;hubinger2019risks&#x27;?" in banner
    assert page.index('class="dev-findings"') < page.index("<h1")  # at the top of the page
    assert 'class="dev-findings"' not in home  # a page without findings has no banner
    assert "3 findings on this page" in page
    assert "2 findings on this page" in rebuilt and "hubbinger2019risks" not in rebuilt

    site = tmp_path / "built"
    result = run([sys.executable, "-m", "mkdocs", "build", "--no-strict", "--site-dir", str(site)], cwd=project)
    assert result.returncode == 0, result.stderr
    assert "zzz1900qqq" in result.stderr  # a finding is a warning of the build …
    assert not [p for p in site.rglob("*.html") if "dev-findings" in p.read_text(encoding="utf-8")]  # … never a banner
