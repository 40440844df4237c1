"""Contributed content in a real browser: nothing runs, nothing loads from another host.

- Every page of the real site, scrolled to the bottom (so lazy images and anything else
  that waits for the reader fire), makes no request beyond 127.0.0.1 and logs no error
  (a Content-Security-Policy that broke Material would show up here as console errors).
- The stored-script fixtures (tests/data/checker/policy-*) are built into a throwaway site
  with the layers that *refuse* them taken out (the checker, the file rules and the site
  scan), so that what is left must hold on its own: glossary text rendered inert, SVG
  figures sanitised, and the Content-Security-Policy. No dialog may open, not even when
  the reader clicks the javascript: links.
- The same fixtures built with no policy at all show that the test can fail: there a
  dialog does open, and the lazy image from another host is requested once scrolled to.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from browser_helpers import StaticServer, assert_clean, built_pages, is_local, visit
from conftest import DATA, make_project, run

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in requirements.txt: run `make setup`")

SCROLL = """async () => {
    const step = Math.max(200, innerHeight / 2);
    for (let y = 0; y <= document.scrollingElement.scrollHeight; y += step) {
        scrollTo(0, y);
        await new Promise(r => setTimeout(r, 60));
    }
    scrollTo(0, document.scrollingElement.scrollHeight);
    await new Promise(r => setTimeout(r, 200));
}"""
CSP_ONLY_HOOK = '''"""Test hook: the Content-Security-Policy without the site scan."""
from mkdocs.plugins import event_priority
from scripts import sitescan


@event_priority(-110)
def on_post_page(output, page, config):
    return sitescan.add_csp(output)
'''
FAR = "https://evil.example/far-lazy.png"
FAR_LAZY = f'<img src="{FAR}" loading="lazy" alt="far down">'
NAV = """nav:
  - Home: index.md
  - Notes:
      - notes/01-introduction.md
  - Script: xss.md
  - Foreign: foreign.md
  - Glossary: glossary.md
  - Bibliography: bibliography.md
"""


def scroll_to_bottom(page) -> None:
    page.evaluate(SCROLL)
    page.wait_for_load_state("networkidle")


def test_no_page_reaches_another_host_even_scrolled(site: Path, base_url: str, open_context):
    context, recorder = open_context()
    for url in built_pages(site):
        page = visit(context, base_url + url)
        scroll_to_bottom(page)
        page.close()
    assert len(recorder.requests) > 20
    assert_clean(recorder, "the real site, every page scrolled to the bottom")


# --------------------------------------------------------------------------- the fixtures in a throwaway site


def hostile_project(tmp: Path, guarded: bool) -> Path:
    """The minisite with every stored-script and foreign-resource fixture in it."""
    src = tmp / "src"
    docs = src / "docs"
    shutil.copytree(DATA / "minisite" / "docs", docs)
    for case in ("policy-glossary-html", "policy-front-matter", "policy-svg"):
        shutil.copytree(DATA / "checker" / case / "docs", docs, dirs_exist_ok=True)
    xss = (DATA / "checker" / "policy-script" / "docs" / "index.md").read_text(encoding="utf-8")
    xss = xss.replace("title: Home", "title: Script") + "\n![A hostile figure](assets/figures/figure-1.svg)\n"
    (docs / "xss.md").write_text(xss, encoding="utf-8")
    foreign = (DATA / "checker" / "policy-foreign" / "docs" / "index.md").read_text(encoding="utf-8")
    filler = "\n\n".join(f"Filler paragraph {i}, so that the last image is far below the first screen." for i in range(300))
    foreign = foreign.replace("title: Home", "title: Foreign") + f"\n{filler}\n\n" + FAR_LAZY + "\n"
    (docs / "foreign.md").write_text(foreign, encoding="utf-8")
    (src / "nav.yml").write_text(NAV, encoding="utf-8")
    project = make_project(tmp, docs)
    shutil.copytree(DATA / "checker" / "policy-svg" / "docs", project / "docs", dirs_exist_ok=True)  # over the real figure
    config = project / "mkdocs.yml"
    text = re.sub(r"\n  - overrides/hooks/(checks|policy|sitescan)\.py[^\n]*", "", config.read_text(encoding="utf-8"))
    if guarded:
        (project / "overrides" / "hooks" / "csp_only.py").write_text(CSP_ONLY_HOOK, encoding="utf-8")
        text = text.replace("\nhooks:\n", "\nhooks:\n  - overrides/hooks/csp_only.py\n", 1)
    config.write_text(text, encoding="utf-8")
    site = tmp / "site"
    # not strict: MkDocs warns about the fixtures' javascript: links, which is not what this tests
    result = run([sys.executable, "-m", "mkdocs", "build", "--no-strict", "--config-file", str(config), "--site-dir", str(site)])
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def open_all(context, base: str, site: Path) -> list[str]:
    """Visit every page, scroll it, click each javascript: link; the dialogs that opened."""
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    context.on("page", lambda p: p.on("dialog", on_dialog))
    for url in built_pages(site):
        page = visit(context, base + url)
        scroll_to_bottom(page)
        for link in page.locator("a[href^='javascript' i]").all():
            if link.is_visible():
                link.click(timeout=2000)
                page.wait_for_timeout(100)
        page.close()
    return dialogs


@pytest.fixture(scope="module")
def guarded_site(tmp_path_factory) -> Path:
    return hostile_project(tmp_path_factory.mktemp("guarded"), guarded=True)


@pytest.fixture(scope="module")
def unguarded_site(tmp_path_factory) -> Path:
    return hostile_project(tmp_path_factory.mktemp("unguarded"), guarded=False)


def test_no_dialog_opens_from_the_stored_script_fixtures(guarded_site: Path, open_context):
    html = (guarded_site / "xss" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(\"script in a page\")</script>" in html  # the fixture is really there
    assert "Content-Security-Policy" in html
    context, recorder = open_context()
    network: list[str] = []  # what got past the browser's policy to the network (the recorder's route)
    context.route("**/*", lambda route: (network.append(route.request.url), route.fallback()))
    with StaticServer(guarded_site) as server:
        dialogs = open_all(context, server.url, guarded_site)
    assert dialogs == []
    assert [u for u in network if not is_local(u)] == [], "the policy must stop requests to other hosts too"
    assert recorder.foreign, "the fixtures do try to load from another host"
    assert all(f"{u} (csp)" in recorder.failed for u in recorder.foreign), recorder.failed
    glossary_html = (guarded_site / "glossary" / "index.html").read_text(encoding="utf-8")
    article = glossary_html.split("<article", 1)[1]
    assert "&lt;img src=" in article and '<img src="x"' not in article, "glossary HTML is shown as text"


def test_without_the_policy_the_fixtures_do_run(unguarded_site: Path, open_context):
    """The control: with no policy at all, the same pages open a dialog, and the lazy image
    from another host is requested only once the page is scrolled to it."""
    context, recorder = open_context()
    with StaticServer(unguarded_site) as server:
        page = visit(context, server.url + "foreign/")
        page.wait_for_timeout(300)
        before_scroll = list(recorder.foreign)
        scroll_to_bottom(page)
        page.close()
        dialogs = open_all(context, server.url, unguarded_site)
    assert any("script in a page" in d for d in dialogs), dialogs
    assert "https://evil.example/image.png" in before_scroll
    assert FAR not in before_scroll, "the far image should wait for the reader"
    assert FAR in recorder.foreign, "scrolled to, the lazy image is requested"
