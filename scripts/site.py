"""The one model of the site: its config and its pages in nav order, as MkDocs sees them.

The config is read with MkDocs' own loader (``mkdocs.config.load_config``: INHERIT, !ENV,
defaults and validation), and the pages, their order, their nav sections and their URLs come
from MkDocs' ``File`` and ``Navigation`` API, so nothing here re-implements MkDocs' rules.
The PDF, the EPUB, the offline bundle, the deck, the bench and the tests take a :class:`Site`
(or a config path to build one from); none of them walks the nav by hand.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, get_files
from mkdocs.structure.nav import get_navigation

from . import ROOT

CONFIG_FILE = ROOT / "mkdocs.yml"


class SiteError(Exception):
    """The config cannot be read, or has no nav."""


@dataclass(frozen=True)
class NavPage:
    """One Markdown page of the nav, where MkDocs puts it."""

    src: str  # relative to docs/: notes/01-introduction.md
    url: str  # relative to the site root: '', notes/01-introduction/
    dest: str  # the HTML file MkDocs writes, relative to the site: notes/01-introduction/index.html
    title: str | None  # the nav title, if the nav gives one
    sections: tuple[str, ...]  # the nav sections it sits in, outermost first

    @property
    def part(self) -> str | None:
        """The top-level nav section it belongs to, if any."""
        return self.sections[0] if self.sections else None


@dataclass
class Site:
    """A config and the pages of its nav, in reading order."""

    config: MkDocsConfig
    pages: list[NavPage]

    @property
    def config_file(self) -> Path:
        return Path(self.config.config_file_path)

    @property
    def docs_dir(self) -> Path:
        return Path(self.config.docs_dir)

    @property
    def sources(self) -> list[str]:
        """The Markdown files of the nav, in reading order."""
        return [page.src for page in self.pages]

    def without_sections(self, titles) -> list[NavPage]:
        """The pages, leaving out those inside any nav section named in ``titles``."""
        return [page for page in self.pages if not set(page.sections) & set(titles)]


def _sections(item) -> tuple[str, ...]:
    titles = []
    parent = item.parent
    while parent is not None:
        titles.append(parent.title)
        parent = parent.parent
    return tuple(reversed(titles))


def from_config(config: MkDocsConfig) -> Site:
    """The model of an already loaded config (the PDF test's fixture, a hook's config)."""
    if not config.nav:
        raise SiteError(f"{config.config_file_path}: no nav: the pages' reading order comes from it")
    navigation = get_navigation(get_files(config), config)
    pages = [
        NavPage(page.file.src_uri, page.url, page.file.dest_uri, page.title, _sections(page))
        for page in navigation.pages
    ]
    return Site(config, pages)


def load(config_file: Path | str | None = None, **overrides) -> Site:
    """Load ``config_file`` (the repository's mkdocs.yml by default) with MkDocs' loader.

    ``overrides`` replace config keys as ``mkdocs build`` options do (e.g. ``nav=[...]``).
    """
    path = Path(config_file or CONFIG_FILE).resolve()
    if not overrides:
        return _load_cached(path)
    return _load(path, **overrides)


@functools.lru_cache(maxsize=8)
def _load_cached(path: Path) -> Site:
    return _load(path)


def _load(path: Path, **overrides) -> Site:
    if not path.is_file():
        raise SiteError(f"{path}: no such config file")
    try:
        config = load_config(str(path), **overrides)
    except Exception as error:  # mkdocs' ConfigurationError, YAML errors, a missing INHERIT file
        raise SiteError(f"{path}: cannot load the config: {error}") from error
    return from_config(config)


def page_url(src: str, use_directory_urls: bool = True) -> str:
    """The URL MkDocs gives a Markdown page, relative to the site root ('' for index.md)."""
    url = File(src, "", "", use_directory_urls).url
    return "" if url == "./" else url
