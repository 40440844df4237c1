"""The offline bundle: the whole website as a zip that works opened straight from disk.

``make_offline(site_dir)`` builds the site a second time with Material's ``offline``
plugin switched on (``RLO_OFFLINE=1``; overrides/hooks/offline.py turns the plugin on,
and the plugin turns ``use_directory_urls`` off, for this build only), checks that the
result loads nothing from another host and that every internal link lands on a file and
an id, and zips it into ``<site_dir>/offline/risks-from-learned-optimization-notes-offline.zip``
with one top folder. The zip is written to a temporary name and renamed, so a failed
build leaves the last good zip in place.

What a page opened from ``file://`` cannot do, and what stands in for it:

- start a Web Worker (Material's search): ``scripts/data/offline/iframe-worker.js`` runs
  the worker in an iframe; the plugin's own polyfill would come from unpkg.com;
- fetch JSON: the plugin writes the search index as ``search/search_index.js``, and we
  write the glossary card's JSON as ``search/glossary.js`` (search-terms-card.js loads it
  as a script when the page is a file).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

from . import downloads

ENV = "RLO_OFFLINE"
ZIP_PATH = Path(downloads.BY_KEY["offline"].path)
ZIP_NAME = ZIP_PATH.name
FOLDER = "risks-from-learned-optimization-notes"  # the zip's one top folder
SHIM = Path(__file__).parent / "data" / "offline" / "iframe-worker.js"
SHIM_URL = "assets/javascripts/offline/iframe-worker.js"  # inside the site
GLOSSARY_JSON = "search/glossary.json"  # scripts/search.py TERMS_FILE
GLOSSARY_SCRIPT = "search/glossary.js"
GLOSSARY_GLOBAL = "__glossaryCard"  # search-terms-card.js reads this name
SEARCH_SCRIPT = "search/search_index.js"  # written by Material's offline plugin
FAKE_ORIGIN = "https://bundle.invalid/"
# Attributes through which a page loads something by itself (a link is only followed on a click).
LOADS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "audio": ("src",),
    "video": ("src", "poster"),
    "embed": ("src",),
    "object": ("data",),
    "image": ("href", "{http://www.w3.org/1999/xlink}href"),
    "use": ("href", "{http://www.w3.org/1999/xlink}href"),
}
LOADING_RELS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "apple-touch-icon"}


class OfflineError(Exception):
    """The offline bundle cannot be made; the message says which file and why."""


def enabled() -> bool:
    """Is this the offline build (``RLO_OFFLINE=1``)?"""
    return os.environ.get(ENV) == "1"


# --- Inside the MkDocs build (overrides/hooks/offline.py) ------------------------------


def configure(config) -> None:
    """Turn on Material's offline plugin, with our polyfill in place of unpkg's."""
    from material.plugins.offline.plugin import OfflinePlugin

    plugin = next((p for p in config["plugins"].values() if isinstance(p, OfflinePlugin)), None)
    if plugin is None:
        raise OfflineError("mkdocs.yml: the offline build needs Material's offline plugin in `plugins` (enabled: false)")
    plugin.config.enabled = True
    # The plugin adds https://unpkg.com/iframe-worker/shim unless a polyfill named
    # iframe-worker is already there.
    config["extra"]["polyfills"] = [SHIM_URL]


def post_build(site_dir: str | Path) -> None:
    """Copy the worker polyfill into the site and write the glossary card's data as a script."""
    site = Path(site_dir)
    target = site / SHIM_URL
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SHIM, target)
    source = site / GLOSSARY_JSON
    if not source.is_file():
        raise OfflineError(f"{GLOSSARY_JSON}: missing from the offline build (overrides/hooks/search.py writes it)")
    data = json.loads(source.read_text(encoding="utf-8"))
    (site / GLOSSARY_SCRIPT).write_text(
        f"var {GLOSSARY_GLOBAL} = {json.dumps(data, ensure_ascii=True, separators=(',', ':'))};\n", encoding="utf-8"
    )


# --- Checking the built bundle ---------------------------------------------------------


def _site_path(site: Path, page: Path, url: str) -> tuple[Path | None, str]:
    """The file a relative URL on a page points to, and its fragment (None if external)."""
    base = FAKE_ORIGIN + page.relative_to(site).as_posix()
    target = urlsplit(urljoin(base, url.strip()))
    if f"{target.scheme}://{target.netloc}/" != FAKE_ORIGIN:
        return None, ""
    return site / unquote(target.path).lstrip("/"), unquote(target.fragment)


def check_bundle(site: Path) -> list[str]:
    """Problems that would show when the bundle is opened from disk, one per line.

    - a page loads something from another host (script, stylesheet, image, frame…);
    - an internal link or resource points to a folder or to a file that is not there;
    - a link's #fragment is not an id on the page it points to.
    """
    site = Path(site)
    problems: list[str] = []
    for required in ("index.html", SEARCH_SCRIPT, GLOSSARY_SCRIPT, SHIM_URL):
        if not (site / required).is_file():
            problems.append(f"{required}: missing from the offline build")
    pages = sorted(site.rglob("*.html"))
    ids: dict[Path, set[str]] = {}
    trees = {}
    for page in pages:
        root = lxml.html.parse(str(page)).getroot()
        trees[page] = root
        ids[page.resolve()] = {e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id")} | {
            e.get("name") for e in root.iter("a") if e.get("name")
        }
    for page, root in trees.items():
        shown = page.relative_to(site).as_posix()
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            tag = element.tag.rsplit("}", 1)[-1]
            loads = list(LOADS.get(tag, ()))
            if tag == "link" and LOADING_RELS & set((element.get("rel") or "").lower().split()):
                loads.append("href")
            for name in loads:
                value = element.get(name)
                if not value or value.startswith(("data:", "#")):
                    continue
                for url in [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]:
                    path, _ = _site_path(site, page, url)
                    if path is None:
                        problems.append(f"{shown}: <{tag} {name}=\"{url}\"> loads from another host")
                    elif not path.is_file():
                        problems.append(f"{shown}: <{tag} {name}=\"{url}\"> is not a file in the bundle")
            href = element.get("href") if tag == "a" else None
            if not href or href.startswith(("mailto:", "javascript:")):
                continue
            path, fragment = _site_path(site, page, href)
            if path is None:
                continue  # a link to another site: followed only if the reader clicks it
            if not path.is_file():
                what = "a folder (a directory URL)" if path.is_dir() else "not a file in the bundle"
                problems.append(f"{shown}: link {href} points to {what}")
            elif fragment and path.suffix == ".html" and fragment not in ids.get(path.resolve(), set()):
                problems.append(f"{shown}: link {href}: no id {fragment!r} in {path.relative_to(site).as_posix()}")
    return sorted(set(problems))


HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^"#]+)"')


def link_downloads_online(bundle: Path, site_url: str) -> None:
    """Point links to the PDF, the EPUB or the zip at the published site: the bundle
    does not carry them (a zip inside itself, and two large files most readers of the
    bundle do not need)."""
    wanted = {d.path for d in downloads.DOWNLOADS}
    for page in sorted(bundle.rglob("*.html")):
        text = page.read_text(encoding="utf-8")

        def online(match: re.Match) -> str:
            path, _ = _site_path(bundle, page, html.unescape(match.group(2)))
            relative = path.relative_to(bundle).as_posix() if path is not None and path.is_relative_to(bundle) else None
            if relative in wanted and not path.is_file():
                return f'{match.group(1)}{html.escape(site_url + relative)}"'
            return match.group(0)

        changed = HREF.sub(online, text)
        if changed != text:
            page.write_text(changed, encoding="utf-8")


# --- The zip ---------------------------------------------------------------------------


def zip_time() -> tuple[int, int, int, int, int, int]:
    """The time stamped on every entry: SOURCE_DATE_EPOCH's if set, else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else datetime.now(timezone.utc)
    return max(moment, datetime(1980, 1, 1, tzinfo=timezone.utc)).timetuple()[:6]


def write_zip(site: Path, target: Path) -> None:
    """Zip ``site`` into ``target`` under FOLDER/, in sorted order (temporary name, then rename)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    stamp = zip_time()
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for path in sorted(p for p in site.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(f"{FOLDER}/{path.relative_to(site).as_posix()}", date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes(), compresslevel=9)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def build_offline(site_dir: Path, config: Path | None = None) -> Path:
    """Build the offline site beside ``site_dir``, check it, and write the zip into ``site_dir``."""
    from .runmkdocs import mkdocs_build
    from . import site as site_model

    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise OfflineError(f"{site_dir}: no such folder (build the site first: make build)")
    staging = Path(tempfile.mkdtemp(prefix=".offline-", dir=site_dir.parent))
    try:
        bundle = staging / FOLDER
        result = mkdocs_build(bundle, config, extra_env={ENV: "1"})
        if result.returncode != 0:
            sys.stderr.write(result.stderr)
            raise OfflineError("the offline build of the site failed (mkdocs build, above)")
        (bundle / "404.html").unlink(missing_ok=True)  # absolute /…/ links; a file is never "not found"
        site_url = site_model.load(config).config.site_url or ""
        if site_url:
            site_url = site_url.rstrip("/") + "/"
            downloads.stamp(bundle, {d.key: site_url + d.path for d in downloads.DOWNLOADS})
            link_downloads_online(bundle, site_url)
        problems = check_bundle(bundle)
        if problems:
            raise OfflineError("the offline build would not work from disk:\n  " + "\n  ".join(problems))
        target = site_dir / ZIP_PATH
        write_zip(bundle, target)
        return target
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def make_offline(site_dir: Path, config: Path | None = None) -> int:
    """Make ``<site_dir>/offline/…-offline.zip``; 0 on success, 1 with ``offline: error: …``."""
    started = time.perf_counter()
    try:
        target = build_offline(Path(site_dir), config)
    except OfflineError as error:
        print(f"offline: error: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # the file system, zipfile, lxml: report, never hide
        print(f"offline: error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(
        f"offline: wrote {ZIP_PATH.as_posix()} ({target.stat().st_size // 1024} KiB) in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0
