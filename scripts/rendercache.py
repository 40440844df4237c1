"""A page whose Markdown has not changed is not converted again.

Converting Markdown to HTML is half of a build, and an edit changes one page. MkDocs
converts every page on every build, so each page's conversion is kept, keyed by a digest
of everything the conversion reads:

- the page's Markdown as the hooks left it (the glossary's entries, the citations, the
  terms list are all in it, so a change to glossary.yml or references.bib changes it);
- the page's own path and URL, and every file's path and URL (links are resolved
  against them: a page added or removed changes the key of every page);
- the Markdown extensions and their settings, and MkDocs' link validation settings;
- the installed versions of MkDocs, Python-Markdown, PyMdown Extensions and Material.

A page with a line that may include a snippet (``--8<--``, as pymdownx.snippets reads
it) reads another file while it is converted, so it is always converted again. Every
hook still sees every page (on_page_markdown before, on_page_content after), so the
"Used in" lists, the citations' places and the Practice page stay whole; the warnings a
conversion logged are logged again when it is reused, so a strict build fails as before.

Two layers (overrides/hooks/rendercache.py turns them on):
- on disk, in ``.cache/pages/`` beside mkdocs.yml, for every build: plain JSON (the HTML,
  the table of contents, the anchors, the warnings), never code; only when every Markdown
  extension is an installed package, whose version is in the key. A fresh checkout (CI,
  the publish workflow) starts with none; `make clean` removes them;
- in memory, under ``make serve`` only, where MkDocs' listing of the theme's files is
  reused too while the theme's folders are the same (``_reuse_theme_files``), and
  Material's search plugin reuses the sections it found in a page whose HTML has not
  changed (``_reuse_search_sections``). Nothing of it outlives the server.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import re
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

SNIPPET = re.compile(r"^[ \t]*;*-+8<-+", re.M)  # a line pymdownx.snippets may read a file for
FORMAT = "1"  # of an entry; a new one makes every key new
MAX_ENTRIES = 2000  # in memory: a long session's older conversions are dropped past this many
MAX_ON_DISK = 1000  # in .cache/pages/ (a page's entry is about its HTML's size): the newest stay

state = {"on": False, "installed": False, "disk": None}
_entries: dict[str, dict] = {}
_files_key: dict[int, tuple[object, str]] = {}  # id(files) -> (files, digest): one digest per build


def enable() -> None:
    """Reuse conversions in memory from now on in this process (``mkdocs serve``)."""
    state["on"] = True
    _install()
    if not state.get("serving"):
        state["serving"] = True
        _reuse_search_sections()
        _reuse_theme_files()


def use_disk(folder: Path | None) -> None:
    """Keep conversions in ``folder`` (None: not on disk) for this build and the next."""
    state["disk"] = Path(folder) if folder is not None else None
    _install()


def _install() -> None:
    if state["installed"]:
        return
    from mkdocs.structure.pages import Page

    original = Page.render

    def render(page, config, files):
        if not (state["on"] or state["disk"] is not None):
            return original(page, config, files)
        return _render(original, page, config, files)

    render.__doc__ = original.__doc__
    Page.render = render
    state["installed"] = True


_sections: dict[bytes, list] = {}


def _reuse_search_sections() -> None:
    """Material's search plugin splits each page's HTML into sections with Python's HTML
    parser, the slowest part of indexing. A page whose HTML is unchanged gets the sections
    it had (fresh copies: the plugin fills in empty titles), keyed by a digest of the HTML."""
    try:
        from material.plugins.search import plugin as search
    except ImportError:
        return
    parser = search.Parser

    class ReusingParser(parser):
        _digest = None
        _reused = False

        def feed(self, data):
            if not state["on"] or self._digest is not None or self.rawdata:
                return super().feed(data)  # only a whole page, fed at once, as the plugin does
            self._digest = hashlib.blake2b(data.encode("utf-8", "surrogatepass"), digest_size=20).digest()
            kept = _sections.get(self._digest)
            if kept is not None:
                self.data = [_fresh(section) for section in kept]
                self._reused = True
                return None
            return super().feed(data)

        def close(self):
            if self._reused:
                return None
            result = super().close()
            if self._digest is not None:
                if len(_sections) > MAX_ENTRIES:
                    _sections.clear()
                _sections[self._digest] = [_fresh(section) for section in self.data]
            return result

    search.Parser = ReusingParser


def _fresh(section):
    copied = copy.copy(section)
    copied.text, copied.title = list(section.text), list(section.title)
    return copied


_theme_files: dict[str, list[tuple[str, str]]] = {}


def _theme_key(files, config) -> str:
    h = hashlib.blake2b(digest_size=20)
    parts = [_versions(), repr((list(config.theme.dirs), sorted(config.theme.static_templates), config.site_dir, config.use_directory_urls))]
    parts += sorted(f.src_uri for f in files)
    for folder in config.theme.dirs:
        if not _installed(folder):  # the project's own theme folder is listed on every rebuild
            for dirpath, dirnames, filenames in sorted(os.walk(folder)):
                parts += [os.path.join(dirpath, name) for name in sorted(filenames)]
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _reuse_theme_files() -> None:
    """MkDocs lists every file of the theme on every build (Material's 10,000 icons among
    them) to find the few dozen it copies. The list found once is reused while the theme's
    folders, the docs' files and the settings it depends on are the same."""
    from mkdocs.structure.files import File, Files

    original = Files.add_files_from_theme

    def add_files_from_theme(files, env, config):
        if not state["on"]:
            return original(files, env, config)
        digest = _theme_key(files, config)
        kept = _theme_files.get(digest)
        if kept is None:
            before = {id(f) for f in files}
            original(files, env, config)
            _theme_files.clear()
            _theme_files[digest] = [(f.src_uri, f.src_dir) for f in files if id(f) not in before]
            return None
        for path, folder in kept:
            if files.get_file_from_path(path) is None:
                files.append(File(path, folder, config.site_dir, config.use_directory_urls))
        return None

    add_files_from_theme.__doc__ = original.__doc__
    Files.add_files_from_theme = add_files_from_theme


@lru_cache(maxsize=1)
def _versions() -> str:
    found = []
    for package in ("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material"):
        try:
            found.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            found.append(f"{package}=?")
    return ",".join(found)


def _installed(folder: str) -> bool:
    """Whether ``folder`` is inside the installed packages (which do not change while a
    build runs, and whose versions are in the key); a folder of the project may."""
    import sysconfig

    real = os.path.realpath(folder)
    roots = {os.path.realpath(sysconfig.get_paths()[k]) for k in ("purelib", "platlib")}
    return any(real == r or real.startswith(r + os.sep) for r in roots)


@lru_cache(maxsize=64)
def _extension_installed(name: str) -> bool:
    """Whether the Markdown extension ``name`` (as mkdocs.yml names it) comes from an
    installed package: a local one's code is not in the key, so it is never kept on disk."""
    import importlib.util

    for candidate in (name, f"markdown.extensions.{name}"):
        try:
            spec = importlib.util.find_spec(candidate.split(":")[0])
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.origin:
            return _installed(spec.origin)
    return False


def _files_digest(files) -> str:
    known = _files_key.get(id(files))
    if known is not None and known[0] is files:
        return known[1]
    h = hashlib.blake2b(digest_size=16)
    for f in files:
        h.update(f"{f.src_uri}\0{f.dest_uri}\0{f.url}\0{f.inclusion}\n".encode())
    digest = h.hexdigest()
    _files_key.clear()
    _files_key[id(files)] = (files, digest)
    return digest


def key(page, config, files) -> str | None:
    """The digest of what converting ``page`` reads, or None when it cannot be kept."""
    markdown = page.markdown
    if markdown is None or SNIPPET.search(markdown):
        return None
    settings = repr((config["markdown_extensions"], config["mdx_configs"], config["use_directory_urls"], config["validation"]))
    if " at 0x" in settings:  # an object without a stable repr: never reuse
        return None
    h = hashlib.blake2b(digest_size=20)
    for part in (FORMAT, _versions(), settings, _files_digest(files), page.file.src_uri, page.file.dest_uri, page.file.url, markdown):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0\1")
    return h.hexdigest()


def _on_disk(config) -> Path | None:
    folder = state["disk"]
    if folder is None:
        return None
    names = [e for e in config["markdown_extensions"] if isinstance(e, str)]
    if len(names) != len(config["markdown_extensions"]) or not all(_extension_installed(n) for n in names):
        return None
    return folder


class _Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        if record not in self.records:  # a record that reaches both loggers is kept once
            self.records.append(record)


def _tokens(items) -> list[dict]:
    return [{"level": i.level, "id": i.id, "name": i.title, "children": _tokens(i.children)} for i in items]


def _apply(entry: dict, page, files) -> None:
    from mkdocs.structure.toc import get_toc

    page.content = entry["content"]
    page.toc = get_toc(copy.deepcopy(entry["toc"]))
    page._title_from_render = entry["title"]
    page.present_anchor_ids = set(entry["anchors"])
    if entry["links"] is not None:
        links = {}
        for src_uri, found in entry["links"].items():
            target = files.get_file_from_path(src_uri)
            if target is not None:
                links[target] = dict(found)
        page.links_to_anchors = links
    for name, level, message in entry["records"]:
        logging.getLogger(name).log(level, "%s", message)


def _load(folder: Path, digest: str) -> dict | None:
    path = folder / f"{digest}.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != digest:
        return None
    try:
        os.utime(path)  # the newest use: kept longest
    except OSError:
        pass
    return entry


def _store(folder: Path, digest: str, entry: dict) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{digest}.json"
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
        if not state.get("pruned"):  # once per process: a build writes many entries
            state["pruned"] = True
            kept = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in kept[MAX_ON_DISK:]:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs the next build its time


def _render(original, page, config, files) -> None:
    digest = key(page, config, files)
    disk = _on_disk(config) if digest else None
    entry = _entries.get(digest) if digest and state["on"] else None
    if entry is None and disk is not None:
        entry = _load(disk, digest)
        if entry is not None and state["on"]:
            _entries[digest] = entry
    if entry is not None:
        _apply(entry, page, files)
        return
    recorder = _Recorder()
    # MkDocs' own logger does not propagate to the root logger: listen on both.
    loggers = [logging.getLogger(), logging.getLogger("mkdocs")]
    for logger in loggers:
        logger.addHandler(recorder)
    try:
        original(page, config, files)
    finally:
        for logger in loggers:
            logger.removeHandler(recorder)
    if digest is None:
        return
    links = page.links_to_anchors
    entry = {
        "format": FORMAT,
        "key": digest,
        "content": page.content,
        "toc": _tokens(page.toc),
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
        "records": [(r.name, r.levelno, r.getMessage()) for r in recorder.records],
    }
    if state["on"]:
        _entries[digest] = entry
        while len(_entries) > MAX_ENTRIES:
            _entries.pop(next(iter(_entries)))
    if disk is not None:
        _store(disk, digest, entry)
