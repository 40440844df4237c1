"""Benchmarks: build, live-reload rebuild, checker, PDF and page weight, in one run.

``python -m scripts bench [--quick]`` (or ``make bench``) prints the machine and then one
Markdown table, one row per measurement: name, value, unit, target, verdict. Nothing here
asserts on time; the verdicts are for people reading the table.

- Build: our strict build against a bare Material build of the same Markdown (our hooks
  and the bibtex plugin off, strict off), each ``python -m mkdocs build`` in a subprocess,
  alternated, median of 3 runs (1 with --quick); then the same with generated notes pages.
- Rebuild: ``mkdocs serve`` on a copy of the project; one page is edited and the time to
  the log's "Reloading browsers" is taken.
- Checker: ``scripts.check.check(docs)`` in this process, on the site and on generated pages.
- PDF: ``scripts.pdf.make_pdf`` on a fresh build.
- EPUB and offline bundle: ``scripts.epub.make_epub`` (then EPUBCheck, timed apart) and
  ``scripts.offline.make_offline`` on the same build, as ``make epub`` and ``make offline`` do.
- Page weight: the heaviest notes page with everything it loads (HTML, CSS, JS, fonts,
  images), raw and gzipped at level 6 file by file; the search index separately.
- Browser: that page in Chromium and in Lighthouse, ours against bare Material, in
  scripts/browserbench.py.

Every build happens in a temporary copy of the project; the working tree is not touched.
"""

from __future__ import annotations

import argparse
import gzip
import html.parser
import json
import os
import platform
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from . import BIB_NAME, ROOT, mkdocs_env

from .rows import Row, judge, table
from .template import TEMPLATE_IDS

PROJECT_PARTS = ("docs", "overrides", "scripts", "mkdocs.yml")
NOTES = "notes"
# Bytecode is written and reused, as in a developer's repeated builds: the project copies
# are temporary, and the first of the runs (not the median) pays for compiling.
ENV = mkdocs_env()
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
ENV.pop("GITHUB_ACTIONS", None)


# --------------------------------------------------------------------------- results


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- machine


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = []
    for package in ("mkdocs", "mkdocs-material"):
        try:
            from importlib.metadata import version

            versions.append(f"{package} {version(package)}")
        except Exception:  # noqa: BLE001 - informational only
            pass
    return "\n".join(
        [
            f"- machine: {cores} cores (nproc), {cpu}, {memory} memory",
            f"- {platform.system()} {platform.release()}, Python {platform.python_version()}, " + ", ".join(versions),
        ]
    )


# --------------------------------------------------------------------------- projects


class _Tagged:
    """A YAML value with a tag we do not interpret (e.g. !!python/name:...), kept as it was."""

    def __init__(self, tag: str, value):
        self.tag, self.value = tag, value


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return _Tagged(node.tag, value)


def _represent_tagged(dumper, data: _Tagged):
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_Loader.add_multi_constructor("!", _construct_tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_Dumper.add_representer(_Tagged, _represent_tagged)


def load_config(path: Path) -> dict:
    """The raw YAML of a config, tags kept, to write derived configs from (write_configs).

    Reading the site (its nav, pages, URLs) is scripts/site.py's job, with MkDocs' loader."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a safe loader that keeps unknown tags


def dump_config(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


def copy_project(dest: Path) -> Path:
    """A copy of what a build needs (docs, overrides, scripts, mkdocs.yml)."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, dest / part)
    return dest


def notes_template(docs: Path) -> Path:
    """The largest notes page: the one generated pages are cloned from."""
    pages = sorted((docs / NOTES).glob("*.md"), key=lambda p: p.stat().st_size)
    if not pages:
        raise SystemExit(f"bench: no notes pages in {docs / NOTES}")
    return pages[-1]


SECTION_ID = re.compile(r"^sec-[\d-]+$")  # the notes template's subsection anchors ({ #sec-3-1 })
ANCHOR = re.compile(r"\{\s*#([\w-]+)\s*\}|\bid=\"([\w-]+)\"|<!-- id: ([\w-]+)")  # headings, raw ids, self-check ids


def clone_page(text: str, number: int) -> str:
    """A notes page with a new title, new anchors and new self-check ids (the notes
    template's own sections keep theirs), so the checker finds nothing twice."""
    tag = f"bench copy {number:04d}"
    suffix = f"-b{number:04d}"
    ids = {i for i in (a or b or c for a, b, c in ANCHOR.findall(text)) if i not in TEMPLATE_IDS and not SECTION_ID.match(i)}
    text = re.sub(r'^title:\s*"?(.*?)"?\s*$', lambda m: f'title: "{m.group(1)} ({tag})"', text, count=1, flags=re.M)
    text = re.sub(r"^# (.+)$", lambda m: f"# {m.group(1)} ({tag})", text, count=1, flags=re.M)
    if ids:
        names = "|".join(sorted((re.escape(i) for i in ids), key=len, reverse=True))
        # anchors, links to them, self-check ids and the front matter's `covers:` keys
        text = re.sub(r"(\{\s*#|\bid=\"|\]\(#|<!-- id: |^  )(" + names + r")(?=[\s}\");:])", lambda m: m.group(1) + m.group(2) + suffix, text, flags=re.M)
    return text


def add_pages(docs: Path, count: int) -> list[str]:
    """Write ``count`` notes-like pages into docs/notes/; returns their docs-relative paths."""
    template = notes_template(docs)
    text = template.read_text(encoding="utf-8")
    made = []
    for number in range(1, count + 1):
        rel = f"{NOTES}/bench-{number:04d}-{template.stem}.md"
        (docs / rel).write_text(clone_page(text, number), encoding="utf-8")
        made.append(rel)
    return made


def nav_with(nav: list, pages: list[str]) -> list:
    """The nav with ``pages`` added after the last notes page (at the end if there is none)."""
    nav = json.loads(json.dumps(nav))  # a deep copy of plain data

    def visit(items: list) -> bool:
        for item in items:
            children = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else None
            if isinstance(children, list):
                if any(isinstance(c, str) and c.startswith(NOTES + "/") for c in children):
                    children.extend(pages)
                    return True
                if visit(children):
                    return True
        return False

    if not visit(nav):
        nav.append({"Bench pages": pages})
    return nav


def write_configs(project: Path, extra_pages: list[str]) -> tuple[Path, Path]:
    """Beside the project's own mkdocs.yml: ours (with the extra pages) and a bare Material one.

    Both inherit mkdocs.yml (MkDocs' INHERIT), so everything else (theme, Markdown
    extensions, validation) is the same. The bare one has no hooks, no bibtex plugin and
    is not strict; its validation warnings may differ, which does not matter for timing.
    """
    config = load_config(project / "mkdocs.yml")
    nav = nav_with(config.get("nav") or [], extra_pages) if extra_pages else config.get("nav")
    plugins = [p for p in config.get("plugins") or [] if not (p == "bibtex" or (isinstance(p, dict) and "bibtex" in p))]
    ours = {"INHERIT": "mkdocs.yml", "nav": nav}
    bare = {"INHERIT": "mkdocs.yml", "nav": nav, "hooks": [], "plugins": plugins or ["search"], "strict": False}
    # Ours without the bibliography: no bibtex plugin and none of the hooks that serve it.
    hooks = [h for h in config.get("hooks") or [] if not h.endswith(("citations.py", "bibliography.py"))]
    nobib = {"INHERIT": "mkdocs.yml", "nav": nav, "hooks": hooks, "plugins": plugins or ["search"], "strict": False}
    (project / "mkdocs.ours.yml").write_text(dump_config(ours), encoding="utf-8")
    (project / "mkdocs.bare.yml").write_text(dump_config(bare), encoding="utf-8")
    (project / "mkdocs.nobib.yml").write_text(dump_config(nobib), encoding="utf-8")
    return project / "mkdocs.ours.yml", project / "mkdocs.bare.yml"


# --------------------------------------------------------------------------- builds


@dataclass
class Build:
    seconds: float
    ok: bool
    warnings: int


def mkdocs_build(project: Path, config: Path, site: Path, strict: bool) -> Build:
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "--strict" if strict else "--no-strict", "-f", str(config), "-d", str(site)]
    env = {**ENV, "PYTHONPATH": str(project)}
    start = time.perf_counter()
    result = subprocess.run(command, cwd=project, env=env, text=True, capture_output=True)
    seconds = time.perf_counter() - start
    warnings = sum(1 for line in result.stderr.splitlines() if line.startswith("WARNING"))
    if result.returncode != 0 and "Aborted with" not in result.stderr:
        tail = "\n".join(result.stderr.splitlines()[-15:])
        raise SystemExit(f"bench: mkdocs build failed in {project} ({config.name}):\n{tail}")
    return Build(seconds, result.returncode == 0, warnings)


def compare_builds(project: Path, extra_pages: list[str], runs: int) -> tuple[list[Build], list[Build], list[Build], Path]:
    """Our strict build, the bare one and ours without the bibliography, alternated ``runs``
    times; returns the three series and our last site."""
    ours_config, bare_config = write_configs(project, extra_pages)
    ours, bare, nobib = [], [], []
    for _ in range(runs):
        ours.append(mkdocs_build(project, ours_config, project / "site-ours", strict=True))
        bare.append(mkdocs_build(project, bare_config, project / "site-bare", strict=False))
        nobib.append(mkdocs_build(project, project / "mkdocs.nobib.yml", project / "site-nobib", strict=False))
    return ours, bare, nobib, project / "site-ours"


def hook_costs(project: Path) -> list[Row]:
    """Where our build's extra time goes: one profiled build of the site, with the time spent
    in each hook and in the bibtex plugin (functions of theirs called from outside them)."""
    out = project / "build.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "mkdocs", "build", "--no-strict",
               "-f", str(project / "mkdocs.ours.yml"), "-d", str(project / "site-profiled")]
    result = subprocess.run(command, cwd=project, env={**ENV, "PYTHONPATH": str(project)}, text=True, capture_output=True)
    if result.returncode != 0 or not out.exists():
        return [Row("build site, profiled: time per hook", "failed", "", "—", (result.stderr.splitlines() or ["?"])[-1][:80])]
    import pstats

    stats = pstats.Stats(str(out)).stats  # (file, line, function) -> (cc, nc, tt, ct, callers)
    hooks_dir = str((project / "overrides" / "hooks").resolve())

    def owner(filename: str) -> str | None:
        if filename.startswith(hooks_dir):
            return "overrides/hooks/" + Path(filename).name
        if f"{os.sep}mkdocs_bibtex{os.sep}" in filename:
            return "the bibtex plugin (mkdocs-bibtex)"
        return None

    spent: dict[str, float] = {}
    total = max((ct for (_, _, _), (_, _, _, ct, _) in stats.items()), default=0.0)
    for (filename, _, _), (_, _, _, cumulative, callers) in stats.items():
        name = owner(filename)
        if name and any(owner(c[0]) != name for c in callers):  # an entry point into it
            spent[name] = spent.get(name, 0.0) + cumulative
    rows = []
    for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        rows.append(Row(f"build site, profiled ({total:.1f} s under cProfile): in {name}", seconds, "s", "—",
                        f"{seconds / total:.0%} of the build" if total else "info"))
    return rows


def bibliography_rows(label: str, ours: list[Build], nobib: list[Build]) -> list[Row]:
    """What the bibliography (mkdocs-bibtex and its hooks) adds to our build."""
    ours_s = statistics.median(b.seconds for b in ours)
    nobib_s = statistics.median(b.seconds for b in nobib)
    added = ours_s / nobib_s - 1
    return [
        Row(f"build {label}: ours without the bibliography", nobib_s, "s"),
        Row(f"build {label}: the bibliography adds", added * 100, "%", "≤ 30 %", judge(added <= 0.30)),
    ]


BIBTEX_COSTS = """
import sys, time
import mkdocs.commands.build, material.plugins.search.plugin  # what every build imports
start = time.perf_counter()
import mkdocs_bibtex.plugin
from mkdocs_bibtex.registry import PandocRegistry
imported = time.perf_counter()
from scripts import citations
PandocRegistry([sys.argv[1]], citations.csl_path(), None)
print(imported - start, time.perf_counter() - imported)
"""


def bibtex_fixed_costs(project: Path, bare_seconds: float, runs: int) -> list[Row]:
    """What mkdocs-bibtex costs before the first page: importing it (it brings requests,
    pypandoc and pybtex) and building its registry (parsing the .bib, asking pandoc its
    version). The bare build pays neither, so this much of our build is fixed."""
    imports, registry = [], []
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-c", BIBTEX_COSTS, str(project / "docs" / BIB_NAME)],
                                cwd=project, env={**ENV, "PYTHONPATH": str(project)}, text=True, capture_output=True)
        if result.returncode != 0:
            return [Row("mkdocs-bibtex before the first page", "failed", "", "—", result.stderr.strip().splitlines()[-1])]
        a, b = (float(x) for x in result.stdout.split())
        imports.append(a)
        registry.append(b)
    fixed = statistics.median(imports) + statistics.median(registry)
    return [
        Row(f"mkdocs-bibtex before the first page: importing it (median of {runs})", statistics.median(imports), "s"),
        Row(f"mkdocs-bibtex before the first page: its registry, parsing references.bib (median of {runs})", statistics.median(registry), "s"),
        Row("mkdocs-bibtex before the first page, against the bare site build (a ≤ 1.3× build leaves 30 % for everything we add)",
            fixed / bare_seconds * 100, "%"),
    ]


def build_rows(label: str, pages: int, ours: list[Build], bare: list[Build], per_page: bool) -> list[Row]:
    ours_s = statistics.median(b.seconds for b in ours)
    bare_s = statistics.median(b.seconds for b in bare)
    note = ""
    if not all(b.ok for b in ours):
        note = f" (strict build failed: {ours[-1].warnings} warnings; time still covers the whole build)"
    runs = f"median of {len(ours)}" if len(ours) > 1 else "1 run"
    ratio = ours_s / bare_s
    rows = [
        Row(f"build {label}: ours, strict ({runs}){note}", ours_s, "s"),
        Row(f"build {label}: bare Material, no hooks/bibtex ({runs})", bare_s, "s"),
        Row(f"build {label}: ours / bare", ratio, "×", "≤ 1.3", judge(ratio <= 1.3)),
    ]
    if len(ours) > 1:  # the later builds reuse .cache/ (conversions, the checker's answer): the first shows what they save
        rows.append(Row(f"build {label}: ours, the first build of the fresh copy (nothing in .cache/ yet)", ours[0].seconds, "s"))
    if per_page:
        rows += [
            Row(f"build {label}: ours per page ({pages} pages)", ours_s / pages * 1000, "ms/page"),
            Row(f"build {label}: bare per page ({pages} pages)", bare_s / pages * 1000, "ms/page"),
        ]
    return rows


def count_pages(config_file: Path) -> int:
    """The pages in the nav of ``config_file``, as MkDocs reads it (scripts/site.py)."""
    from . import site as site_model

    return len(site_model.load(config_file).pages)


# --------------------------------------------------------------------------- serve


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeLog:
    """Lines of a running `mkdocs serve`, each with the time it arrived."""

    def __init__(self, process: subprocess.Popen):
        self.lines: queue.Queue[tuple[float, str | None]] = queue.Queue()
        threading.Thread(target=self._read, args=(process,), daemon=True).start()

    def _read(self, process) -> None:
        for line in process.stdout:
            self.lines.put((time.perf_counter(), line.rstrip()))
        self.lines.put((time.perf_counter(), None))  # the output ended

    def wait_for(self, text: str, timeout: float) -> tuple[float, list[str]]:
        """When a line containing ``text`` arrived, and the lines up to it."""
        seen: list[str] = []
        deadline = time.perf_counter() + timeout
        while True:
            try:
                at, line = self.lines.get(timeout=max(0.0, deadline - time.perf_counter()))
            except queue.Empty:
                raise TimeoutError(f"no '{text}' within {timeout:.0f} s; last lines: " + " | ".join(seen[-5:])) from None
            if line is None:
                raise RuntimeError("mkdocs serve ended: " + " | ".join(seen[-5:]))
            seen.append(line)
            if text in line:
                return at, seen


def serve_rebuild(project: Path, edits: int) -> list[Row]:
    """Edit one page under `mkdocs serve` and time until it says "Reloading browsers"."""
    port = free_port()
    # --no-strict: under --strict a content warning would stop the server instead of timing it.
    command = [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "--dev-addr", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.ours.yml")]
    process = subprocess.Popen(command, cwd=project, env={**ENV, "PYTHONPATH": str(project)}, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    page = notes_template(project / "docs")
    reloads, builds, detects = [], [], []
    try:
        log = ServeLog(process)
        log.wait_for("Serving on", timeout=300)
        time.sleep(1.0)  # let the file watcher settle
        for number in range(edits):
            start = time.perf_counter()
            with page.open("a", encoding="utf-8") as f:
                f.write(f"\nAn edit made by the benchmark ({number}).\n")
            detected, _ = log.wait_for("Detected file changes", timeout=60)
            done, lines = log.wait_for("Reloading browsers", timeout=300)
            reloads.append(done - start)
            detects.append(detected - start)
            for line in lines:
                match = re.search(r"Documentation built in ([\d.]+) seconds", line)
                if match:
                    builds.append(float(match.group(1)))
            time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGINT)  # lets mkdocs remove its temporary site
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    runs = f"median of {edits}" if edits > 1 else "1 edit"
    reload = statistics.median(reloads)
    rows = [Row(f"rebuild after editing one page under `mkdocs serve`: edit → \"Reloading browsers\" ({runs}, {min(reloads):.2f}–{max(reloads):.2f} s)",
                reload, "s", "≤ 1.0 s", judge(reload <= 1.0))]
    if builds:
        rows.append(Row("rebuild: the build itself, as logged (\"Documentation built in\")", statistics.median(builds), "s"))
    rows.append(Row("rebuild: edit → \"Detected file changes\" (the file watcher)", statistics.median(detects), "s"))
    return rows


# --------------------------------------------------------------------------- checker


def time_checker(docs: Path, runs: int) -> tuple[list[float], int]:
    """Seconds of each ``check(docs)`` call in this process (the first one is cold, as in a
    fresh `make check`; later ones reuse the checker's caches) and the number of findings."""
    from .check import check

    times, findings = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        findings = len(check(docs))
        times.append(time.perf_counter() - start)
    return times, findings


def hostile_lines() -> list[Row]:
    """The scanner over one hostile line each (100,000 characters): every pattern over
    contributed text must stay linear; the cubic code-span regex took minutes on 20,000."""
    from .citations import protect_code
    from .originality import page_tokens, quotations
    from .pages import code_spans, scan
    from .robustness_inputs import HOSTILE_LINES

    rows = []
    for name, line in HOSTILE_LINES.items():
        start = time.perf_counter()
        code_spans(line)
        protect_code(line + "@")
        scan(f"---\ntitle: x\n---\n{line}\n")
        quotations(scan(f'---\ntitle: x\n---\n"{line}"\n'))  # the copied-text and quotation checks
        page_tokens(f'"{line}"')
        seconds = time.perf_counter() - start
        rows.append(Row(f"scanner on a hostile line: {name}", seconds * 1000, "ms", "< 1000 ms", judge(seconds < 1)))
    return rows


# --------------------------------------------------------------------------- PDF


def time_pdf(site: Path) -> Row:
    from .pdf import make_pdf

    start = time.perf_counter()
    status = make_pdf(site)
    seconds = time.perf_counter() - start
    if status != 0:
        return Row("`make pdf`: make_pdf on a fresh build", seconds, "s", "< 60 s", f"failed (exit {status})")
    return Row("`make pdf`: make_pdf on a fresh build", seconds, "s", "< 60 s", judge(seconds < 60))


def time_epub(site: Path) -> list[Row]:
    """``make epub``: the book assembled and written by pandoc, then EPUBCheck on its own."""
    from .epub import EPUB_PATH, epubcheck, epubcheck_command, make_epub

    name = "`make epub`: make_epub on a fresh build (assembly + pandoc)"
    start = time.perf_counter()
    status = make_epub(site, check=False)
    seconds = time.perf_counter() - start
    rows = [Row(name, seconds, "s", "< 60 s", judge(seconds < 60) if status == 0 else f"failed (exit {status})")]
    if status == 0 and epubcheck_command() is not None:
        start = time.perf_counter()
        report = epubcheck(site / EPUB_PATH)
        seconds = time.perf_counter() - start
        verdict = "info" if report.returncode == 0 and not report.messages else f"{len(report.messages)} message(s)"
        rows.append(Row("`make epub`: EPUBCheck on the EPUB (Java)", seconds, "s", "—", verdict))
    return rows


def time_offline(site: Path) -> Row:
    """``make offline``: the second build with the offline plugin, its check, and the zip."""
    from .offline import ZIP_PATH, make_offline

    start = time.perf_counter()
    status = make_offline(site)
    seconds = time.perf_counter() - start
    if status != 0:
        return Row("`make offline`: make_offline on a fresh build", seconds, "s", "< 60 s", f"failed (exit {status})")
    size = (site / ZIP_PATH).stat().st_size / 1024
    return Row(f"`make offline`: make_offline on a fresh build (zip {size:,.0f} KB)", seconds, "s", "< 60 s", judge(seconds < 60))


# --------------------------------------------------------------------------- page weight


class _Assets(html.parser.HTMLParser):
    """What a built page asks the browser to load: stylesheets, scripts, images, icons, the search worker."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self._config = False
        self.config_text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = (a.get("rel") or "").lower().split()
        if tag == "link" and a.get("href") and ({"stylesheet", "icon", "preload", "modulepreload"} & set(rel)):
            self.urls.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "script" and a.get("id") == "__config":
            self._config = True
        elif tag in ("img", "source", "video", "audio", "input") and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "image" and (a.get("href") or a.get("xlink:href")):  # inside inline SVG
            self.urls.append(a.get("href") or a.get("xlink:href"))

    def handle_endtag(self, tag):
        if tag == "script":
            self._config = False

    def handle_data(self, data):
        if self._config:
            self.config_text += data


CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


def local_file(base: Path, url: str, site: Path) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or url.startswith("#"):
        return None
    path = (site / parts.path.lstrip("/")) if parts.path.startswith("/") else (base.parent / parts.path)
    path = path.resolve()
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() and site.resolve() in path.parents else None


def page_assets(page: Path, site: Path) -> tuple[set[Path], list[str]]:
    """The local files the page loads (following url() and @import in CSS), and what could not be found."""
    parser = _Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    missing: list[str] = []
    found: set[Path] = {page.resolve()}
    todo = [(page, u) for u in parser.urls]
    if parser.config_text.strip():
        try:
            worker = json.loads(parser.config_text).get("search")
        except json.JSONDecodeError:
            worker = None
        if worker:  # the search worker's script, relative to the page like every other URL
            todo.append((page, worker))
    while todo:
        base, url = todo.pop()
        if url.startswith("data:"):
            continue
        path = local_file(base, url, site)
        if path is None:
            if not urlsplit(url).scheme:
                missing.append(url)
            continue
        if path in found:
            continue
        found.add(path)
        if path.suffix == ".css":
            for m in CSS_URL.finditer(path.read_text(encoding="utf-8", errors="replace")):
                todo.append((path, m.group(2) or m.group(4)))
    return found, missing


def weigh(files: set[Path]) -> tuple[int, int]:
    raw = zipped = 0
    for path in files:
        data = path.read_bytes()
        raw += len(data)
        zipped += len(gzip.compress(data, compresslevel=6))
    return raw, zipped


def heaviest(site: Path) -> tuple[tuple[int, int], Path, set[Path], list[str]] | None:
    """The notes page that weighs most gzipped with everything it loads (the search index
    aside): its (raw, gzipped) weight, its file, those files and what was missing."""
    weighed = []
    for page in sorted((site / NOTES).glob("*/index.html")):
        files, missing = page_assets(page, site)
        files = {f for f in files if f.name != "search_index.json"}
        weighed.append((weigh(files), page, files, missing))
    return max(weighed, key=lambda w: w[0][1]) if weighed else None


def page_weight(site: Path) -> list[Row]:
    found = heaviest(site)
    if found is None:
        return [Row("page weight of the heaviest notes page", "no notes pages built", "", "< 100 KB gzipped", "n/a")]
    (raw, zipped), page, files, missing = found
    name = page.parent.relative_to(site).as_posix()
    by_file = sorted(((weigh({f})[1], f) for f in files), reverse=True)
    split = ", ".join(f"{f.name if f != page.resolve() else 'the HTML'} {z / 1000:.1f}" for z, f in by_file)
    kinds = sorted({f.suffix.lstrip(".") for f in files})
    rows = [
        Row(f"page weight, heaviest notes page ({name}/): {len(files)} files ({', '.join(kinds)}), raw", raw / 1000, "KB"),
        Row(f"page weight, heaviest notes page ({name}/): gzipped (level 6, per file)", zipped / 1000, "KB", "< 100 KB gzipped", judge(zipped < 100 * 1000)),
        Row("page weight: gzipped by file", split, "KB"),
    ]
    if missing:
        rows.append(Row("page weight: referenced but not in the site", ", ".join(sorted(set(missing))[:5]), "", "none", "missing files"))
    index = site / "search" / "search_index.json"
    if index.is_file():
        i_raw, i_zip = weigh({index})
        rows.append(Row("search index (search/search_index.json), raw / gzipped, loaded by the search worker", f"{i_raw / 1000:.0f} / {i_zip / 1000:.0f}", "KB"))
    return rows


# --------------------------------------------------------------------------- main


def main(args: argparse.Namespace) -> int:
    quick = getattr(args, "quick", False)
    runs = 1 if quick else 3
    scaled_pages = 50 if quick else 200
    checker_pages = 250 if quick else 1000
    rows: list[Row] = []
    say(f"{'quick: ' if quick else ''}{runs} run(s) per build, {scaled_pages} generated pages, checker on {checker_pages}")

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)

        say("building the site: ours (strict) and bare Material, alternated")
        project = copy_project(tmp / "site-project")
        site_pages = count_pages(project / "mkdocs.yml")
        ours, bare, nobib, built = compare_builds(project, [], runs)
        rows += build_rows(f"site ({site_pages} pages)", site_pages, ours, bare, per_page=True)
        rows += bibliography_rows(f"site ({site_pages} pages)", ours, nobib)
        rows += bibtex_fixed_costs(project, statistics.median(b.seconds for b in bare), runs)
        say("profiling one build of the site: time per hook")
        rows += hook_costs(project)

        say(f"building with {scaled_pages} generated notes pages")
        big = copy_project(tmp / "big-project")
        extra = add_pages(big / "docs", scaled_pages)
        ours, bare, nobib, _ = compare_builds(big, extra, runs)
        label = f"+{scaled_pages} generated pages ({site_pages + scaled_pages} pages)"
        rows += build_rows(label, site_pages + scaled_pages, ours, bare, per_page=True)
        rows += bibliography_rows(label, ours, nobib)
        shutil.rmtree(big, ignore_errors=True)

        say("timing a rebuild under mkdocs serve")
        serve_project = copy_project(tmp / "serve-project")
        write_configs(serve_project, [])
        try:
            rows += serve_rebuild(serve_project, edits=1 if quick else 3)
        except (TimeoutError, RuntimeError) as exc:
            rows.append(Row("rebuild under `mkdocs serve`", "failed", "", "—", str(exc).splitlines()[0]))

        say("timing the scanner on hostile lines")  # before the checker: the heap it leaves slows the collector
        rows += hostile_lines()

        say("timing the checker")
        site_docs = copy_project(tmp / "checker-site") / "docs"  # a fresh path: nothing cached for it yet
        times, findings = time_checker(site_docs, runs=2 if quick else 6)
        rows.append(Row(f"checker on the site: check(docs), first call, cold ({findings} findings)", times[0], "s"))
        rows.append(Row(f"checker on the site: check(docs), repeated, warm caches (median of {len(times) - 1})", statistics.median(times[1:]), "s"))
        many = copy_project(tmp / "checker-project")
        add_pages(many / "docs", checker_pages)
        (seconds,), findings = time_checker(many / "docs", runs=1)
        target = 10 * checker_pages / 1000
        rows.append(Row(f"checker on the site + {checker_pages} generated pages ({findings} findings)", seconds, "s",
                        f"< {target:g} s" + ("" if checker_pages == 1000 else " (10 s per 1,000)"), judge(seconds < target)))
        shutil.rmtree(many, ignore_errors=True)

        say("weighing the heaviest notes page")
        rows += page_weight(built)

        found = heaviest(built)
        if found is not None:
            page = found[1].parent.relative_to(built).as_posix() + "/"
            say(f"loading {page} in Chromium, ours and bare alternated; then Lighthouse")
            from .browserbench import browser_rows

            rows += browser_rows(built, built.parent / "site-bare", page, runs=2 if quick else 5, lighthouse_runs=1 if quick else 5)

        say("making the PDF")
        rows.append(time_pdf(built))

        say("making the EPUB")
        rows += time_epub(built)

        say("making the offline bundle")
        rows.append(time_offline(built))

    print(machine())
    print()
    print(table(rows))
    return 0
