"""Helpers for the browser tests: a local static server, Chromium, request and console
recording, and axe-core.

Nothing here leaves the machine: the server listens on 127.0.0.1, and every request the
browser makes to another host is recorded and aborted (so a regression shows up as a
failing test, never as traffic).
"""

from __future__ import annotations

import functools
import http.server
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest

from scripts import site as site_model
from scripts.browser import CHROMIUM_ARGS, chromium_path  # noqa: F401 - the one way to start Chromium

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LOCAL_HOST = "127.0.0.1"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
BAD_IMPACTS = ("serious", "critical")


# --------------------------------------------------------------------------- pages


def nav_files(config: Path = ROOT / "mkdocs.yml") -> list[str]:
    """The Markdown files of the nav, in reading order (scripts/site.py: MkDocs' own nav)."""
    return site_model.load(config).sources


def page_url(md_file: str) -> str:
    """The site-relative URL MkDocs gives a Markdown file: '', 'glossary/', 'contributing/'."""
    return site_model.page_url(md_file)


def page_id(url: str) -> str:
    return url.strip("/") or "home"


def built_pages(site: Path) -> list[str]:
    """Site-relative URLs of every page the build wrote (every index.html)."""
    urls = []
    for path in site.rglob("index.html"):
        folder = path.parent.relative_to(site).as_posix()
        urls.append("" if folder == "." else folder + "/")
    return sorted(urls)


# --------------------------------------------------------------------------- server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class StaticServer:
    """The built site on http://127.0.0.1:<free port>/, in a thread."""

    def __init__(self, root: Path):
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://{LOCAL_HOST}:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="site-server", daemon=True)

    def __enter__(self) -> "StaticServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


# --------------------------------------------------------------------------- recording


INLINE_SCHEMES = ("data", "blob", "about")  # URLs that load nothing from anywhere


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in INLINE_SCHEMES:
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname == LOCAL_HOST


@dataclass
class Recorder:
    """What a browser context did: every request URL, the non-local ones, console errors, page errors.

    What may load is ``allowed``: the local server; everything else is recorded in
    ``foreign`` and aborted. A subclass may allow something else and count more as a
    problem (tests/test_offline.py: the bundle's files, console warnings, failed requests).
    """

    FOREIGN: ClassVar[str] = "request to another host"  # how ``problems`` names a request it blocked
    CONSOLE_TYPES: ClassVar[tuple[str, ...]] = ("error",)  # the console messages recorded

    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def attach(self, context) -> None:
        context.route("**/*", self._route)
        context.on("request", self._request)
        context.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        context.on("page", self._page)
        for page in context.pages:
            self._page(page)

    def allowed(self, url: str) -> bool:
        return is_local(url)

    def _route(self, route) -> None:
        url = route.request.url
        if self.allowed(url):
            route.continue_()
        else:
            self._note_foreign(url)
            route.abort("blockedbyclient")

    def _request(self, request) -> None:
        self.requests.append(request.url)
        if not self.allowed(request.url):
            self._note_foreign(request.url)

    def _note_foreign(self, url: str) -> None:
        if url not in self.foreign:
            self.foreign.append(url)

    def _page(self, page) -> None:
        page.on("console", lambda m: m.type in self.CONSOLE_TYPES and self.console_errors.append(f"{m.type}: {m.text} [{m.location.get('url', '')}:{m.location.get('lineNumber', '')}]"))
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("worker", lambda w: w.on("console", lambda m: m.type in self.CONSOLE_TYPES and self.console_errors.append(f"{m.type}: worker: {m.text}")))

    def problems(self) -> list[str]:
        out = [f"{self.FOREIGN}: {u}" for u in self.foreign]
        out += [f"console {e}" for e in self.console_errors]
        out += [f"page error: {e}" for e in self.page_errors]
        return out


# --------------------------------------------------------------------------- pages in the browser


def visit(context, url: str):
    """Open a URL in a new page of the context; it must answer 200."""
    page = context.new_page()
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"
    return page


def assert_clean(recorder: Recorder, where: str = "") -> None:
    """Fail with every request to another host, console error and page error recorded."""
    problems = recorder.problems()
    if problems:
        pytest.fail(f"{where}\n  " + "\n  ".join(problems), pytrace=False)


# --------------------------------------------------------------------------- axe


def inject_axe(page) -> None:
    """Load axe-core into the page through the DevTools protocol: the pages' Content-Security-
    Policy refuses an injected <script> (page.add_script_tag), as it should."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;void 0")
        assert page.evaluate("() => typeof window.axe !== 'undefined'"), "axe-core did not load"


def axe_violations(page, impacts=BAD_IMPACTS) -> list[str]:
    """Run axe-core (from node_modules, injected locally) and describe violations of the given impacts."""
    inject_axe(page)
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), impact: n.impact, summary: n.failureSummary}))
            }));
        }"""
    )
    found = []
    for violation in results:
        nodes = [n for n in violation["nodes"] if (n["impact"] or violation["impact"]) in impacts]
        if not nodes:
            continue
        shown = "; ".join(f"{n['target']}: {(n['summary'] or '').splitlines()[-1].strip()}" for n in nodes[:5])
        more = f" (+{len(nodes) - 5} more)" if len(nodes) > 5 else ""
        found.append(f"{violation['id']} [{violation['impact']}] {violation['help']}: {shown}{more}")
    return found


# --------------------------------------------------------------------------- figures


def figure_image_problems(page) -> list[str]:
    """Our figures' images (scripts/figures.py) that a reader would miss: the one of the
    page's colour scheme not shown, not loaded, or out of its figure's box; the other one
    shown as well. (What the drawings themselves show is tests/test_figures.py's.)"""
    return page.evaluate(
        """() => {
            const out = [];
            const scheme = document.body.getAttribute('data-md-color-scheme') === 'slate' ? 'dark' : 'light';
            document.querySelectorAll('article figure').forEach((figure, i) => {
                const images = [...figure.querySelectorAll('img.figure-img')];
                if (!images.length) return;
                const shown = images.filter(img => img.getClientRects().length);
                const name = (images[0].getAttribute('alt') || 'unlabelled').slice(0, 40);
                if (shown.length !== 1 || !shown[0].getAttribute('src').endsWith('#only-' + scheme)) {
                    out.push(`figure ${i + 1} (${name}…): shows ${shown.map(img => img.getAttribute('src')).join(', ') || 'no image'} in ${scheme} mode`);
                    return;
                }
                const img = shown[0], r = img.getBoundingClientRect(), box = figure.getBoundingClientRect();
                if (!(img.complete && img.naturalWidth > 0)) out.push(`figure ${i + 1} (${name}…): ${img.getAttribute('src')} did not load`);
                if (r.left < box.left - 1 || r.right > box.right + 1)
                    out.push(`figure ${i + 1} (${name}…): the image spans x ${r.left.toFixed(0)}..${r.right.toFixed(0)}, outside its figure ${box.left.toFixed(0)}..${box.right.toFixed(0)}`);
            });
            return out;
        }"""
    )
