"""The offline bundle (scripts/offline.py): the website as a zip that works from disk.

The zip is made once into the real site (``site`` in conftest.py), unzipped into a
temporary folder and opened in Chromium from ``file://``, with no server: search, the
glossary card, figures in light and dark, and internal links with anchors. Every request
is recorded: each must be a file of the bundle, and none may fail. Screenshots go to
test-artifacts/offline/.
"""

from __future__ import annotations

import contextlib
import functools
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser_helpers import DESKTOP, INLINE_SCHEMES, PHONE, Recorder, assert_clean
from scripts import downloads, offline

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

NOTES_1 = "notes/01-introduction.html"


@dataclass
class Bundle:
    zip_path: Path
    folder: Path  # the unzipped top folder
    names: list[str]
    stderr: str

    def url(self, path: str = "index.html") -> str:
        return (self.folder / path).as_uri()


@pytest.fixture(scope="module")
def bundle(site: Path, tmp_path_factory) -> Bundle:
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = offline.make_offline(site)
    assert status == 0, stderr.getvalue()
    zip_path = site / offline.ZIP_PATH
    out = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        archive.extractall(out)
    return Bundle(zip_path, out / offline.FOLDER, names, stderr.getvalue())


@pytest.fixture(scope="module")
def shots(artifacts: Path) -> Path:
    folder = artifacts / "offline"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- Recording what the browser loads --------------------------------------------------


class FileRecorder(Recorder):
    """Every request of a context; only file:// inside the bundle (and data:) may load, the
    rest is recorded and aborted. A failed request or a console warning counts too."""

    FOREIGN = "request outside the bundle"
    CONSOLE_TYPES = ("error", "warning")

    def __init__(self, root: Path):
        super().__init__()
        self.root = root.resolve()

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in INLINE_SCHEMES:
            return True
        return parts.scheme == "file" and Path(unquote(parts.path)).resolve().is_relative_to(self.root)

    def problems(self) -> list[str]:
        return super().problems() + [f"failed request: {u}" for u in self.failed]


@pytest.fixture
def open_file_context(open_context, bundle: Bundle):
    """conftest's open_context, recording with a FileRecorder of the bundle."""
    return functools.partial(open_context, new_recorder=lambda: FileRecorder(bundle.folder))


def open_page(context, url: str):
    page = context.new_page()
    page.goto(url, wait_until="load")
    return page


# --- The zip ---------------------------------------------------------------------------


def test_the_zip_has_one_folder_with_the_whole_site(bundle: Bundle):
    assert bundle.zip_path == bundle.zip_path.parent.parent / downloads.BY_KEY["offline"].path
    assert all(name.startswith(offline.FOLDER + "/") for name in bundle.names)
    for wanted in ("index.html", NOTES_1, "glossary.html", "bibliography.html", "download.html",
                   "search/search_index.js", "search/glossary.js", offline.SHIM_URL):
        assert f"{offline.FOLDER}/{wanted}" in bundle.names, wanted
    # No directory URLs, no page that needs a server, no copy of the zip inside itself.
    assert f"{offline.FOLDER}/notes/01-introduction/index.html" not in bundle.names
    assert f"{offline.FOLDER}/404.html" not in bundle.names
    assert not [n for n in bundle.names if n.endswith(".zip")]
    assert "offline: wrote" in bundle.stderr


def test_the_bundle_loads_nothing_from_another_host_and_every_link_lands(bundle: Bundle):
    assert offline.check_bundle(bundle.folder) == []
    for page in bundle.folder.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in text, f"{page.name} still loads Material's polyfill from unpkg"


def test_check_bundle_finds_what_breaks_from_disk(tmp_path: Path):
    # The check must be able to fail: a remote script, a directory URL and a lost anchor.
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<h1 id='top'>A</h1>", encoding="utf-8")
    (site / "index.html").write_text(
        '<script src="https://unpkg.com/iframe-worker/shim"></script>'
        '<a href="a/">folder</a> <a href="a/index.html#nowhere">anchor</a> <a href="a/index.html#top">ok</a>',
        encoding="utf-8",
    )
    problems = offline.check_bundle(site)
    assert 'index.html: <script src="https://unpkg.com/iframe-worker/shim"> loads from another host' in problems
    assert "index.html: link a/ points to a folder (a directory URL)" in problems
    assert "index.html: link a/index.html#nowhere: no id 'nowhere' in a/index.html" in problems
    assert not [p for p in problems if "#top" in p]


def test_a_failed_offline_build_keeps_the_last_zip(tmp_path: Path, capsys):
    site = tmp_path / "site"
    (site / "offline").mkdir(parents=True)
    last = site / offline.ZIP_PATH
    last.write_bytes(b"the last good zip")
    broken = tmp_path / "mkdocs.yml"
    broken.write_text("site_name: broken\nnav: [missing.md]\ndocs_dir: nowhere\n", encoding="utf-8")
    assert offline.make_offline(site, config=broken) == 1
    err = capsys.readouterr().err
    assert "offline: error:" in err
    assert last.read_bytes() == b"the last good zip"
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".offline-")], "the staging folder was left behind"


# --- In the browser, from file:// --------------------------------------------------------


def test_search_from_disk(open_file_context, bundle: Bundle, shots: Path):
    context, recorder = open_file_context()
    page = open_page(context, bundle.url())
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.type("mesa-optimizer", delay=40)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    results = page.locator(".md-search-result__item a.md-search-result__link")
    assert results.count() >= 3
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert all(urlsplit(h).scheme in ("", "file") and ".html" in h for h in hrefs), hrefs
    # The glossary card above the results (search/glossary.js, not a fetch).
    expect(page.locator(".search-terms .search-term").first).to_be_visible()
    expect(page.locator(".search-terms .search-term__name").first).to_have_text("mesa-optimizer", ignore_case=True)
    page.screenshot(path=str(shots / "search-1280.png"))
    # A result opens its page.
    results.first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith("file://") and ".html" in page.url
    assert_clean(recorder, "search from disk")


def test_glossary_and_citation_cards_from_disk(open_file_context, bundle: Bundle, shots: Path):
    context, recorder = open_file_context()
    page = open_page(context, bundle.url(NOTES_1))
    for selector in ("article a.gloss", "article a.cite"):
        link = page.locator(selector).first
        link.scroll_into_view_if_needed()
        link.hover()
        card = page.locator("#rlo-card")
        expect(card).to_be_visible()
        assert len(card.inner_text().strip()) > 20, f"{selector}: the card is empty"
        page.screenshot(path=str(shots / f"card-{selector.split('.')[-1]}-1280.png"))
        page.keyboard.press("Escape")
        page.mouse.move(0, 0)
        expect(card).to_be_hidden()
    assert_clean(recorder, "cards from disk")


def figure_ink(image) -> tuple[int, float]:
    """The figure as drawn (an element screenshot, in grey levels): its background level and
    the share of its ink (pixels far from the background) darker than the background. From
    disk the drawing is an image whose colours no page script may read back."""
    from PIL import Image

    pixels = sorted(Image.open(io.BytesIO(image.screenshot())).convert("L").tobytes())
    background = pixels[len(pixels) // 2]  # most of a drawing is the page behind it
    ink = [p for p in pixels if abs(p - background) > 60]
    assert ink, "nothing is drawn in the figure"
    return background, sum(p < background for p in ink) / len(ink)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_figures_follow_light_and_dark_from_disk(open_file_context, bundle: Bundle, shots: Path, viewport):
    colours = {}
    for scheme in ("light", "dark"):
        context, recorder = open_file_context(viewport=viewport, color_scheme=scheme)
        page = open_page(context, bundle.url(NOTES_1))
        figure = page.locator(f"img.figure-img[src$='#only-{scheme}']").first
        figure.scroll_into_view_if_needed()
        expect(figure).to_be_visible()
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=figure.element_handle())
        expect(page.locator(f"img.figure-img[src$='#only-{'dark' if scheme == 'light' else 'light'}']").first).to_be_hidden()
        colours[scheme] = figure_ink(figure)
        page.screenshot(path=str(shots / f"figure-{scheme}-{viewport['width']}.png"))
        assert_clean(recorder, f"figure, {scheme}")
    (light_bg, light_dark_ink), (dark_bg, dark_dark_ink) = colours["light"], colours["dark"]
    assert light_bg > 200 and light_dark_ink > 0.9, f"light: not dark lines and labels on a light page: {colours}"
    assert dark_bg < 60 and dark_dark_ink < 0.1, f"dark: not light lines and labels on a dark page: {colours}"


# (start page, link selector, expected file, expected anchor or "")
JOURNEY = [
    ("index.html", "article a[href^='notes/01-introduction.html#']", NOTES_1, "in-one-paragraph"),
    ("index.html", "article a[href='summary.html']", "summary.html", ""),
    (NOTES_1, "article a.gloss", "glossary.html", "*"),
    (NOTES_1, "nav.md-footer__inner a.md-footer__link--next", "notes/02-conditions-for-mesa-optimization.html", ""),
    ("index.html", "article a[href='download.html']", "download.html", ""),
]


@pytest.mark.parametrize("start,selector,target,anchor", JOURNEY, ids=[f"{j[0]}->{j[2]}" for j in JOURNEY])
def test_internal_links_land_on_the_right_page_and_heading(open_file_context, bundle: Bundle, start, selector, target, anchor):
    context, recorder = open_file_context()
    page = open_page(context, bundle.url(start))
    link = page.locator(selector).first
    expect(link).to_be_attached()
    href = link.get_attribute("href")
    if anchor == "*":
        anchor = href.split("#", 1)[1]
        assert anchor, f"{selector} has no anchor: {href}"
    link.scroll_into_view_if_needed()
    landed = []

    def arrived(url: str) -> bool:  # the navigation itself: navigation.tracking may rewrite the hash later
        if unquote(urlsplit(url).path).endswith("/" + target):
            landed.append(url)
            return True
        return False

    with page.expect_navigation(url=arrived):
        if link.is_visible():
            link.click(modifiers=[]) if "gloss" not in selector else page.evaluate("(a) => a.click()", link.element_handle())
        else:
            page.evaluate("(a) => a.click()", link.element_handle())
    page.wait_for_load_state("load")
    assert unquote(urlsplit(landed[0]).path) == str((bundle.folder / target).resolve())
    assert urlsplit(landed[0]).fragment == anchor
    if anchor:
        heading = page.locator(f"[id='{anchor}']")
        expect(heading).to_be_attached()
        expect(heading).to_be_in_viewport()
    else:
        expect(page.locator("article h1").first).to_be_visible()
    assert_clean(recorder, f"{start} -> {target}")


def test_the_download_page_in_the_bundle_links_to_the_website(bundle: Bundle):
    text = (bundle.folder / "download.html").read_text(encoding="utf-8")
    for d in downloads.DOWNLOADS:
        assert f'href="https://mesa-notes.github.io/risks-from-learned-optimization/{d.path}"' in text, d.path
    assert "not built yet" not in text and "on the website" in text
