"""The Download page (scripts/downloads.py) and what the Pages workflow publishes.

Runs after tests/test_pdf.py, test_epub.py and test_offline.py (file order), which make
the PDF, the EPUB and the offline zip into the real site; any that is missing (a single
file run) is made here. The page's sizes and dates are then filled in as the build does
(``downloads.stamp``), and each link must lead to a file that exists and has that size.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest
import yaml

from scripts import downloads

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def published(site: Path) -> Path:
    """The real site with all three downloads in it and its Download page stamped."""
    from scripts.epub import make_epub
    from scripts.offline import make_offline
    from scripts.pdf import make_pdf

    makers = {"pdf": make_pdf, "epub": lambda s: make_epub(s, check=False), "offline": make_offline}
    for d in downloads.DOWNLOADS:
        if not (site / d.path).is_file():
            stderr = io.StringIO()
            with contextlib.redirect_stderr(stderr):
                assert makers[d.key](site) == 0, stderr.getvalue()
    assert downloads.stamp(site) is not None
    return site


def test_each_download_link_leads_to_a_file_with_the_size_and_date_shown(published: Path):
    page = published / "download" / "index.html"
    root = lxml.html.parse(str(page)).getroot()
    items = root.xpath('//article//ul[@class="downloads"]/li')
    assert len(items) == len(downloads.DOWNLOADS)
    base = "https://site.invalid/download/"
    for item, d in zip(items, downloads.DOWNLOADS):
        link = item.xpath('.//a[@class="download-link"]')[0]
        target = urlsplit(urljoin(base, link.get("href")))
        assert target.netloc == "site.invalid", f"{d.key}: {link.get('href')} leaves the site"
        file = published / unquote(target.path).lstrip("/")
        assert file.is_file(), f"{d.key}: {link.get('href')} -> {file} does not exist"
        size = file.stat().st_size
        assert size > 10_000, f"{d.key}: {file} has {size} bytes"
        facts = " ".join(item.xpath('.//span[@class="download-facts"]')[0].text_content().split())
        assert re.fullmatch(re.escape(downloads.human_size(size)) + r", made on \d{4}-\d\d-\d\d", facts), facts
        assert " ".join(item.xpath('.//p[@class="download-what"]')[0].text_content().split()) == d.what
        assert link.text_content().strip() == d.label


def test_the_download_page_is_in_the_nav_and_on_the_home_page_first_screen(published: Path):
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    assert {"Download": [downloads.DOWNLOAD_PAGE]} in nav
    home = lxml.html.parse(str(published / "index.html")).getroot()
    article = home.xpath('//article[contains(@class, "md-content__inner")]')[0]
    first_screen = []
    for element in article.iter("p", "h2"):
        if element.tag == "h2":
            break
        first_screen.append(element)
    links = [a.get("href") for p in first_screen for a in p.iter("a")]
    assert "download/" in links, f"no link to the Download page before the home page's first section: {links}"


# --- Units ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path,page_url,expected",
    [
        ("pdf/x.pdf", "download/", "../pdf/x.pdf"),
        ("pdf/x.pdf", "download.html", "pdf/x.pdf"),
        ("offline/y.zip", "a/b/", "../../offline/y.zip"),
    ],
)
def test_links_are_relative_to_the_page(path, page_url, expected):
    assert downloads.relative(path, page_url) == expected


@pytest.mark.parametrize("size,shown", [(512, "512 bytes"), (1536, "1.5 KB"), (2_400_000, "2.3 MB")])
def test_human_size(size, shown):
    assert downloads.human_size(size) == shown


def test_a_download_page_without_its_marker_is_an_error():
    with pytest.raises(ValueError, match=r"docs/download\.md: the Download page needs the line"):
        downloads.render_page("<p>no table here</p>", "download/")


def test_stamp_fills_what_exists_and_says_what_does_not(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    site = tmp_path / "site"
    (site / "download").mkdir(parents=True)
    (site / "download" / "index.html").write_text(downloads.render_page(downloads.MARKER, "download/"), encoding="utf-8")
    pdf = site / downloads.BY_KEY["pdf"].path
    pdf.parent.mkdir()
    pdf.write_bytes(b"x" * 3000)
    downloads.stamp(site, {"offline": "https://example.invalid/offline.zip"})
    text = (site / "download" / "index.html").read_text(encoding="utf-8")
    assert f'<span class="download-facts" data-file="{downloads.BY_KEY["pdf"].path}">2.9 KB, made on 2026-01-01</span>' in text
    assert f'<span class="download-facts" data-file="{downloads.BY_KEY["epub"].path}">not built yet</span>' in text
    assert 'href="https://example.invalid/offline.zip"' in text and "on the website" in text
