"""The files a reader can take away, and the Download page that offers them.

One list (:data:`DOWNLOADS`) says where each file lives in the built site, what it is
called and what it is for. The Download page's source (``docs/download.md``) holds the
marker ``<div class="downloads"></div>``; the downloads hook replaces it with a list
built from this one (:func:`table`), with links relative to the page. A page is built
before the files exist, so each row's size and date are filled in afterwards, in the
built page, by :func:`stamp`, once the PDF, the EPUB and the offline bundle are written
(``python -m scripts build --pdf --epub --offline``, ``make publish``). A file that this
build did not make is said to be missing; in the offline bundle, which does not carry the
PDF and the EPUB, their rows link to the published site instead.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import deck

DOWNLOAD_PAGE = "download.md"
MARKER = '<div class="downloads"></div>'
FACTS = re.compile(r'<span class="download-facts" data-file="([^"]+)">[^<]*</span>')
LINK = re.compile(r'<a class="download-link" href="([^"]+)" data-file="([^"]+)"')


@dataclass(frozen=True)
class Download:
    key: str
    path: str  # inside the built site
    label: str
    what: str  # what it is for, in one sentence


DOWNLOADS = (
    Download(
        "pdf",
        "pdf/risks-from-learned-optimization-notes.pdf",
        "PDF",
        "To print, or to read on a laptop or tablet with page numbers: tagged for screen "
        "readers, with bookmarks, a contents page and links between chapters.",
    ),
    Download(
        "epub",
        "epub/risks-from-learned-optimization-notes.epub",
        "EPUB",
        "For e-readers and reading apps: the text reflows to your screen and font size, "
        "with the glossary and bibliography linked from the notes.",
    ),
    Download(
        "offline",
        "offline/risks-from-learned-optimization-notes-offline.zip",
        "Offline website (zip)",
        "The whole website with search and hover cards, for a laptop without a network: "
        "unzip it and open index.html in a browser; no server is needed.",
    ),
    Download(
        "anki",
        f"{deck.DOWNLOADS}/{deck.FILE_STEM}.apkg",
        "Anki deck of the self-checks",
        "Every self-check question with its answer as flashcards for Anki, tagged by section "
        "and glossary term; importing a newer deck updates your cards instead of adding copies.",
    ),
    Download(
        "csv",
        f"{deck.DOWNLOADS}/{deck.FILE_STEM}.csv",
        "Self-checks as CSV",
        "The same cards as a spreadsheet file, for other flashcard apps (a TSV sits beside it).",
    ),
)
BY_KEY = {d.key: d for d in DOWNLOADS}


def relative(path: str, page_url: str) -> str:
    """A site path as a link from a page with this URL (``download/`` or ``download.html``)."""
    folder = page_url if page_url.endswith("/") else posixpath.dirname(page_url)
    return posixpath.relpath(path, folder or ".")


def table(page_url: str) -> str:
    """The Download page's list of files; each one's size and date say "not built yet"
    until :func:`stamp` fills them in. (A list, not a table: it reads on a phone.)"""
    items = []
    for d in DOWNLOADS:
        href = html.escape(relative(d.path, page_url))
        name = html.escape(posixpath.basename(d.path))
        items.append(
            f'<li><p><strong><a class="download-link" href="{href}" data-file="{d.path}" download>{html.escape(d.label)}</a></strong>'
            f' · <span class="download-facts" data-file="{d.path}">not built yet</span>'
            f' · <code>{name}</code></p>'
            f'<p class="download-what">{html.escape(d.what)}</p></li>'
        )
    return '<ul class="downloads">' + "".join(items) + "</ul>"


def render_page(content: str, page_url: str, src: str = DOWNLOAD_PAGE) -> str:
    """Replace the page's marker with the table; a page without it is an error."""
    if MARKER not in content:
        raise ValueError(f"docs/{src}: the Download page needs the line {MARKER} where the table goes")
    return content.replace(MARKER, table(page_url), 1)


def human_size(size: int) -> str:
    """1536 -> '1.5 KB', 2_400_000 -> '2.3 MB' (powers of 1024, as file managers show)."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def file_date(path: Path) -> str:
    """The day a file was made (UTC), or SOURCE_DATE_EPOCH's day for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = int(epoch) if epoch and epoch.isdigit() else path.stat().st_mtime
    return datetime.fromtimestamp(stamp, timezone.utc).date().isoformat()


def built_page(site_dir: Path) -> Path | None:
    """The built Download page (directory URLs or not), if this site has one."""
    for candidate in (site_dir / "download" / "index.html", site_dir / "download.html"):
        if candidate.is_file():
            return candidate
    return None


def stamp(site_dir: Path, elsewhere: dict[str, str] | None = None) -> Path | None:
    """Fill in each file's size and date in the built Download page of ``site_dir``.

    ``elsewhere`` maps a file's key to a URL where the reader can get it instead (the
    offline bundle points the PDF and the EPUB at the published site). Returns the page,
    or None when the site has no Download page.
    """
    page = built_page(site_dir)
    if page is None:
        return None
    elsewhere = elsewhere or {}
    by_path = {d.path: d for d in DOWNLOADS}
    text = page.read_text(encoding="utf-8")

    def facts(match: re.Match) -> str:
        path = match.group(1)
        d = by_path.get(path)
        target = site_dir / path
        if d is not None and d.key in elsewhere:
            value = "on the website"
        elif target.is_file():
            value = f"{human_size(target.stat().st_size)}, made on {file_date(target)}"
        else:
            value = "not built yet"
        return f'<span class="download-facts" data-file="{path}">{value}</span>'

    def link(match: re.Match) -> str:
        d = by_path.get(match.group(2))
        if d is not None and d.key in elsewhere:
            return f'<a class="download-link" href="{html.escape(elsewhere[d.key])}" data-file="{match.group(2)}"'
        return match.group(0)

    text = LINK.sub(link, FACTS.sub(facts, text))
    partial = page.with_name(f".{page.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(page)
    return page
