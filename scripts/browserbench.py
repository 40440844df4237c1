"""Browser benchmarks: what the heaviest notes page costs a reader's browser, ours against
bare Material with the same Markdown, measured side by side in one run.

- **Page cost** (Chromium through Playwright and CDP ``Performance.getMetrics``): style
  recalculation, layout and script time, the element count, and the bytes transferred
  gzipped, with and without the search index. Style and layout are also read from a trace
  of the same load as main-thread CPU time, which a busy machine inflates far less than
  wall-clock time, with the number of elements styled. Each load is a fresh browser context (an
  empty cache); ours and bare alternate; medians with their min–max.
- **Time to a usable search** on a throttled network (1.6 Mbps down, 150 ms round trip,
  as Lighthouse's mobile preset): from navigation to the first result for "mesa". The
  throttling is done by the local server, per connection (each response waits one round
  trip, then streams at the rate), so the search worker's requests are slowed too.
- **Lighthouse** (pinned in package.json, mobile preset, Debian's Chromium): performance,
  accessibility, best practices and SEO scores, total blocking time, first and largest
  contentful paint; alternating runs, medians.

Both sites are served from 127.0.0.1 with gzip, as GitHub Pages serves them. Nothing is
asserted: the rows go into ``make bench``'s table with the targets next to them.
"""

from __future__ import annotations

import gzip
import http.server
import json
import mimetypes
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import ROOT
from .browser import CHROMIUM_ARGS, chromium_path
from .rows import Row, judge

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
THROTTLED = {"rtt": 0.150, "bytes_per_second": 1.6e6 / 8}
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
SEARCH_WORD = "mesa"


# --------------------------------------------------------------------------- server


def _handler(root: Path, throttle: dict | None):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def do_GET(self):  # noqa: N802 - the standard library's name
            path = (root / self.path.split("?", 1)[0].split("#", 1)[0].lstrip("/")).resolve()
            if path.is_dir():
                path = path / "index.html"
            if root not in path.parents or not path.is_file():
                self.send_error(404)
                return
            body = path.read_bytes()
            headers = {"Content-Type": mimetypes.guess_type(path.name)[0] or "application/octet-stream",
                       "Cache-Control": "max-age=600"}
            if path.suffix in COMPRESSIBLE and "gzip" in (self.headers.get("Accept-Encoding") or ""):
                body = gzip.compress(body, compresslevel=6)
                headers["Content-Encoding"] = "gzip"
            headers["Content-Length"] = str(len(body))
            if throttle:
                time.sleep(throttle["rtt"])
            self.send_response(200)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if not throttle:
                self.wfile.write(body)
                return
            chunk = 4096
            for start in range(0, len(body), chunk):
                self.wfile.write(body[start : start + chunk])
                time.sleep(len(body[start : start + chunk]) / throttle["bytes_per_second"])

    return Handler


@contextmanager
def serve(root: Path, throttle: dict | None = None):
    """Serve ``root`` on 127.0.0.1 with gzip; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(root.resolve(), throttle))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- Chromium


@dataclass
class Load:
    style: float  # seconds of style recalculation
    layout: float
    script: float
    elements: int
    bytes_all: int  # transferred (gzipped) bytes, everything the page fetched
    bytes_no_index: int  # the same without the search index
    style_cpu: float = 0.0  # seconds of the renderer main thread's CPU in style recalculation (trace)
    layout_cpu: float = 0.0  # the same in layout
    styled: int = 0  # elements styled, summed over every style recalculation of the load


TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline"]


def cpu_times(trace: dict) -> tuple[float, float, int]:
    """Style and layout CPU seconds (each event's thread time, ``tdur``) and the elements styled.

    Wall-clock durations (CDP ``Performance.getMetrics``) grow with whatever else the machine
    runs; a thread's CPU time barely does, so these rows stay comparable on a busy machine."""
    style = layout = 0.0
    styled = 0
    for event in trace.get("traceEvents", []):
        if event.get("ph") != "X":
            continue
        if event.get("name") == "UpdateLayoutTree":
            style += event.get("tdur", 0) / 1e6
            styled += (event.get("args") or {}).get("elementCount") or 0
        elif event.get("name") == "Layout":
            layout += event.get("tdur", 0) / 1e6
    return style, layout, styled


def page_load(browser, url: str) -> Load:
    """One fresh load of ``url``: CDP timings once the page and its search worker settled."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    sizes: list[tuple[str, int]] = []

    def finished(request):
        try:
            s = request.sizes()
            sizes.append((request.url, s["responseBodySize"] + s["responseHeadersSize"]))
        except Exception:  # noqa: BLE001 - a request that failed has no sizes
            pass

    context.on("requestfinished", finished)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    style_cpu, layout_cpu, styled = cpu_times(json.loads(browser.stop_tracing()))
    elements = page.evaluate("document.getElementsByTagName('*').length")
    context.close()
    total = sum(n for _, n in sizes)
    index = sum(n for u, n in sizes if u.split("?")[0].endswith("search_index.json"))
    return Load(metrics.get("RecalcStyleDuration", 0.0), metrics.get("LayoutDuration", 0.0),
                metrics.get("ScriptDuration", 0.0), elements, total, total - index, style_cpu, layout_cpu, styled)


def search_ready(browser, url: str) -> float:
    """Seconds from navigation to the first search result for SEARCH_WORD."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    page.locator("label.md-search__icon, input.md-search__input").first.wait_for()
    page.keyboard.press("s")  # Material's shortcut: focus the search field
    page.locator("input.md-search__input").fill(SEARCH_WORD)
    page.locator(".md-search-result__item").first.wait_for(timeout=120_000)
    seconds = time.perf_counter() - start
    context.close()
    return seconds


# --------------------------------------------------------------------------- Lighthouse


def lighthouse(url: str) -> dict | None:
    """One Lighthouse run (mobile preset) of ``url``; None when Lighthouse is not installed."""
    node, chromium = shutil.which("node"), chromium_path()
    if not (node and chromium and LIGHTHOUSE.is_file()):
        return None
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as profile:
        flags = " ".join([*CHROMIUM_ARGS, f"--user-data-dir={profile}"])
        result = subprocess.run(
            [node, str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
             "--only-categories=performance,accessibility,best-practices,seo", f"--chrome-flags={flags}"],
            env={**os.environ, "CHROME_PATH": chromium}, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError("lighthouse failed: " + (result.stderr.strip().splitlines() or ["?"])[-1])
    report = json.loads(result.stdout)
    audits, categories = report["audits"], report["categories"]
    return {
        "performance": categories["performance"]["score"] * 100,
        "accessibility": categories["accessibility"]["score"] * 100,
        "best-practices": categories["best-practices"]["score"] * 100,
        "seo": categories["seo"]["score"] * 100,
        "tbt": audits["total-blocking-time"]["numericValue"] / 1000,
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
    }


# --------------------------------------------------------------------------- rows

# Where our page's extra elements come from: each feature's elements, counted in the built
# HTML (the page's own scripts add none before a reader opens a card).
FEATURES = {
    "citations": '//a[contains(concat(" ", @class, " "), " cite ")]',
    "reference list": '//ul[@class="references"]/descendant-or-self::*',
    "terms list": '//details[contains(@class, "gloss-terms")]/descendant-or-self::*[not(ancestor::noscript)]',  # the <dl> is text until needed
    "figure images": "//article//figure//img[contains(concat(' ', @class, ' '), ' figure-img ')]",
}


def element_sources(html_file: Path) -> dict[str, int]:
    from lxml import html as lxml_html

    tree = lxml_html.parse(str(html_file))
    return {name: len(tree.xpath(xpath)) for name, xpath in FEATURES.items()}



def spread(values: list[float], scale: float = 1.0, digits: int = 0) -> str:
    lo, hi = min(values) * scale, max(values) * scale
    return f"{lo:.{digits}f}–{hi:.{digits}f}"


def browser_rows(ours: Path, bare: Path, page: str, runs: int, lighthouse_runs: int) -> list:
    """Rows for the heaviest notes page (``page``, relative to both sites)."""
    from playwright.sync_api import sync_playwright


    executable = chromium_path()
    if executable is None:
        return [Row("browser: the heaviest notes page in Chromium", "skipped", "", "—", "no Chromium (apt-get install chromium, or set $CHROMIUM)")]
    loads: dict[str, list[Load]] = {"ours": [], "bare": []}
    ready: dict[str, list[float]] = {"ours": [], "bare": []}
    with sync_playwright() as p, serve(ours) as ours_url, serve(bare) as bare_url, \
            serve(ours, THROTTLED) as ours_slow, serve(bare, THROTTLED) as bare_slow:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for name, url in (("ours", ours_url), ("bare", bare_url)):
                page_load(browser, url + page)  # warm-up, not counted: the server's first reads
            for _ in range(runs):
                for name, url in (("ours", ours_url), ("bare", bare_url)):
                    loads[name].append(page_load(browser, url + page))
            for _ in range(max(1, runs // 2)):
                for name, url in (("ours", ours_slow), ("bare", bare_slow)):
                    ready[name].append(search_ready(browser, url + page))
        finally:
            browser.close()

    def med(name: str, field: str) -> float:
        return statistics.median(getattr(load, field) for load in loads[name])

    def values(name: str, field: str) -> list[float]:
        return [getattr(load, field) for load in loads[name]]

    label = f"browser, {page} (median of {runs} fresh loads, min–max)"
    rows = []
    for field, title in (("style", "style recalculation"), ("layout", "layout"), ("script", "script")):
        for name in ("ours", "bare"):
            rows.append(Row(f"{label}: {title}, {name} ({spread(values(name, field), 1000)} ms)", med(name, field) * 1000, "ms"))
    style_layout = (med("ours", "style") + med("ours", "layout")) / (med("bare", "style") + med("bare", "layout"))
    rows.append(Row(f"{label}: style + layout, ours / bare", style_layout, "×", "≤ 1.3", judge(style_layout <= 1.3)))
    for name in ("ours", "bare"):
        cpu = [(load.style_cpu + load.layout_cpu) * 1000 for load in loads[name]]
        rows.append(Row(f"{label}: style + layout, main-thread CPU time (trace), {name} ({spread(cpu)} ms)", statistics.median(cpu), "ms"))
    cpu_ratio = (med("ours", "style_cpu") + med("ours", "layout_cpu")) / (med("bare", "style_cpu") + med("bare", "layout_cpu"))
    rows.append(Row(f"{label}: style + layout, main-thread CPU time, ours / bare", cpu_ratio, "×", "≤ 1.3", judge(cpu_ratio <= 1.3)))
    styled = med("ours", "styled") / med("bare", "styled")
    rows.append(Row(f"{label}: elements styled over the load (every recalculation), ours / bare", styled, "×"))
    script = med("ours", "script") / med("bare", "script")
    rows.append(Row(f"{label}: script, ours / bare", script, "×"))
    for name in ("ours", "bare"):
        rows.append(Row(f"{label}: elements, {name}", med(name, "elements"), ""))
    elements = med("ours", "elements") / med("bare", "elements")
    rows.append(Row(f"{label}: elements, ours / bare", elements, "×", "≤ 1.3", judge(elements <= 1.3)))
    parts = ", ".join(f"{name} {count}" for name, count in element_sources(ours / page / "index.html").items())
    rows.append(Row(f"{page}: elements of the features bare Material does not have, in the built HTML", parts, ""))
    for field, title in (("bytes_all", "with the search index"), ("bytes_no_index", "without the search index")):
        for name in ("ours", "bare"):
            rows.append(Row(f"{label}: transferred {title}, {name} ({spread(values(name, field), 1 / 1000)} KB)", med(name, field) / 1000, "KB"))
        ratio = med("ours", field) / med("bare", field)
        rows.append(Row(f"{label}: transferred {title}, ours / bare", ratio, "×", "≤ 1.3", judge(ratio <= 1.3)))
    n = len(ready["ours"])
    for name in ("ours", "bare"):
        rows.append(Row(f"browser: time to a usable search at 1.6 Mbps and 150 ms RTT, {name} "
                        f"(median of {n}, {spread(ready[name], 1, 1)} s)", statistics.median(ready[name]), "s"))
    rows.append(Row("browser: time to a usable search, ours / bare",
                    statistics.median(ready["ours"]) / statistics.median(ready["bare"]), "×"))
    rows += lighthouse_rows(ours, bare, page, lighthouse_runs)
    return rows


def lighthouse_rows(ours: Path, bare: Path, page: str, runs: int) -> list:

    if runs <= 0:
        return []
    results: dict[str, list[dict]] = {"ours": [], "bare": []}
    with serve(ours) as ours_url, serve(bare) as bare_url:
        try:
            for _ in range(runs):
                for name, url in (("ours", ours_url), ("bare", bare_url)):
                    result = lighthouse(url + page)
                    if result is None:
                        return [Row("Lighthouse", "skipped", "", "—", "not installed: npm ci (package.json pins it)")]
                    results[name].append(result)
        except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError, KeyError) as exc:
            return [Row("Lighthouse", "failed", "", "—", str(exc).splitlines()[0][:100])]

    def med(name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[name])

    def sp(name: str, key: str, digits: int) -> str:
        return spread([r[key] for r in results[name]], 1, digits)

    label = f"Lighthouse, mobile, {page} (median of {runs} alternating runs, min–max)"
    rows = []
    for name in ("ours", "bare"):
        rows.append(Row(f"{label}: performance score, {name} ({sp(name, 'performance', 0)})", med(name, "performance"), ""))
    ok = med("ours", "performance") >= med("bare", "performance")
    rows.append(Row(f"{label}: performance score, ours − bare", med("ours", "performance") - med("bare", "performance"), "points", "≥ 0", judge(ok)))
    for key, title in (("accessibility", "accessibility"), ("best-practices", "best practices"), ("seo", "SEO")):
        value = med("ours", key)
        rows.append(Row(f"{label}: {title} score, ours ({sp('ours', key, 0)})", value, "", "100", judge(value >= 100)))
    for key, title, target in (("tbt", "total blocking time", 1.15), ("fcp", "first contentful paint", 1.15), ("lcp", "largest contentful paint", None)):
        for name in ("ours", "bare"):
            rows.append(Row(f"{label}: {title}, {name} ({sp(name, key, 2)} s)", med(name, key), "s"))
        bare_value = med("bare", key)
        ratio = med("ours", key) / bare_value if bare_value else float("nan")
        if target:
            rows.append(Row(f"{label}: {title}, ours / bare", ratio, "×", f"≤ {target}", judge(ratio <= target)))
        else:
            rows.append(Row(f"{label}: {title}, ours / bare", ratio, "×"))
    return rows
