"""The EPUB of the whole book (scripts/epub.py), made from the PDF's own assembly.

The EPUB is made once into the real site (``site`` in conftest.py), run through EPUBCheck
once, and then opened as the zip it is: its spine, its navigation document against the
PDF's contents, its links, images, callouts, metadata and text. Small fixtures drill the
failures: a missing figure, pandoc failing, a site that was not built.
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from lxml import etree

from scripts import epub, pdf as book
from scripts import site as site_model

ROOT = Path(__file__).resolve().parent.parent
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
LEAKS = ("{.nocase}", "[@", "!!!", "???", "{: ", "{#")


def words(text: str) -> str:
    return " ".join(text.replace("¶", "").split())


@dataclass
class Epub:
    path: Path
    stderr: str
    archive: zipfile.ZipFile
    opf_path: str
    opf: etree._Element
    chapters: list[book.Chapter]  # the book's chapters, in nav order (the PDF's assembly)
    assembled: str  # the assembled book HTML both the PDF and the EPUB start from

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.archive.read(name))

    def href(self, item_href: str) -> str:
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.opf_path), unquote(item_href)))

    def manifest(self) -> dict[str, tuple[str, str, str]]:
        """id -> (zip path, media type, properties)."""
        return {
            item.get("id"): (self.href(item.get("href")), item.get("media-type"), item.get("properties") or "")
            for item in self.opf.iterfind("opf:manifest/opf:item", NS)
        }

    def spine(self) -> list[str]:
        manifest = self.manifest()
        return [manifest[ref.get("idref")][0] for ref in self.opf.iterfind("opf:spine/opf:itemref", NS)]

    def documents(self) -> list[str]:
        return [path for path, kind, _ in self.manifest().values() if kind == "application/xhtml+xml"]


@pytest.fixture(scope="module")
def made(site: Path) -> Epub:
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = epub.make_epub(site, check=False)  # EPUBCheck runs once, in its own test
    assert status == 0, stderr.getvalue()
    path = site / epub.EPUB_PATH
    archive = zipfile.ZipFile(path)
    container = etree.fromstring(archive.read("META-INF/container.xml"))
    opf_path = container.find(".//c:rootfile", NS).get("full-path")
    assembled, chapters = book.book_html(site)
    return Epub(path, stderr.getvalue(), archive, opf_path, etree.fromstring(archive.read(opf_path)), chapters, assembled)


# --- EPUBCheck ----------------------------------------------------------------------------


def test_epubcheck_reports_no_errors_and_no_warnings(made: Epub):
    if epub.epubcheck_command() is None:
        pytest.fail("EPUBCheck is not installed: `apt-get install epubcheck` (.ci/run installs it)")
    report = epub.epubcheck(made.path)
    assert report.returncode == 0 and not report.messages, "\n".join(report.messages) or report.output
    assert "No errors or warnings detected" in report.output, report.output


def test_epubcheck_is_not_a_rubber_stamp(made: Epub, tmp_path: Path):
    # The same EPUB with one link to an id that does not exist must fail.
    if epub.epubcheck_command() is None:
        pytest.fail("EPUBCheck is not installed: `apt-get install epubcheck` (.ci/run installs it)")
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(made.path) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("ch003.xhtml"):
                data = data.replace(b'.xhtml#', b'.xhtml#no-such-id-', 1)
            target.writestr(info, data, compress_type=zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED)
    report = epub.epubcheck(broken)
    assert report.returncode != 0 and any("RSC-012" in m for m in report.messages), report.output


# --- As a zip -------------------------------------------------------------------------------


def test_the_zip_starts_with_an_uncompressed_mimetype(made: Epub):
    first = made.archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert made.archive.read("mimetype") == b"application/epub+zip"


def chapter_titles(made: Epub, path: str) -> list[str]:
    return [words("".join(h.itertext())) for h in made.xml(path).iterfind(".//x:h1", NS)]


def test_every_chapter_is_in_the_spine_in_nav_order(made: Epub):
    spine = made.spine()
    titles = [title for path in spine for title in chapter_titles(made, path) if path.split("/")[-1].startswith("ch")]
    wanted = [chapter.title for chapter in made.chapters]
    assert titles == wanted
    sources = [chapter.src for chapter in made.chapters]
    assert [s for s in sources if s.startswith("notes/")] == sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs" / "notes").glob("*.md"))
    assert "glossary.md" in sources and "bibliography.md" in sources
    assert not [s for s in sources if s.startswith("contributing/") or s == "download.md"]
    # the cover comes first, then the title page, then the chapters
    assert spine[0].endswith("cover.xhtml") and spine[1].endswith("title_page.xhtml")


def toc_of(element, nav: bool) -> list[tuple[str, list[str]]]:
    """(chapter, [sections]) from a contents list: the EPUB's nav, or the PDF's nav.toc."""
    found = []
    ns = "{http://www.w3.org/1999/xhtml}" if nav else ""
    for item in element.iter(f"{ns}li"):
        link = item.find(f"{ns}a")
        if link is None:
            continue
        sub = item.find(f"{ns}ol")
        is_chapter = item.getparent().getparent().tag != f"{ns}li"
        if is_chapter:
            found.append((words("".join(link.itertext())), [words("".join(a.itertext())) for a in sub.iter(f"{ns}a")] if sub is not None else []))
    return found


def test_the_navigation_document_matches_the_pdf_contents(made: Epub):
    manifest = made.manifest()
    nav_path = next(path for path, kind, props in manifest.values() if "nav" in props.split())
    nav = made.xml(nav_path).find(".//x:nav[@epub:type='toc']", NS)
    epub_toc = toc_of(nav.find("x:ol", NS), nav=True)
    pdf_toc = toc_of(lxml.html.fromstring(made.assembled).get_element_by_id("_contents"), nav=False)
    assert epub_toc == pdf_toc
    assert len(pdf_toc) == len(made.chapters)


def ids_and_links(made: Epub) -> tuple[dict[str, set[str]], list[tuple[str, str]]]:
    ids, links = {}, []
    for path in made.documents():
        root = made.xml(path)
        ids[path] = {e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
        for a in root.iter("{http://www.w3.org/1999/xhtml}a"):
            if a.get("href"):
                links.append((path, a.get("href")))
    return ids, links


def test_every_internal_link_resolves_to_an_id(made: Epub):
    ids, links = ids_and_links(made)
    broken, internal = [], 0
    for path, href in links:
        parts = urlsplit(href)
        if parts.scheme:
            continue
        internal += 1
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), unquote(parts.path))) if parts.path else path
        if target not in ids:
            broken.append(f"{path}: {href} (no such file)")
        elif parts.fragment and unquote(parts.fragment) not in ids[target]:
            broken.append(f"{path}: {href} (no such id)")
    assert internal > 1000, f"only {internal} internal links: citations and glossary links should be internal"
    assert not broken, "\n".join(broken[:30])


def test_glossary_links_and_citations_point_into_the_book(made: Epub):
    ids, links = ids_and_links(made)
    glossary_doc = next(path for path in made.documents() if "Glossary" in chapter_titles(made, path))
    bibliography_doc = next(path for path in made.documents() if "Bibliography" in chapter_titles(made, path))
    notes_links = [href for path, href in links if path != glossary_doc]
    to_glossary = [h for h in notes_links if h.split("#")[0].endswith(posixpath.basename(glossary_doc))]
    to_references = [h for h in notes_links if "--ref-" in h]
    assert len(to_glossary) > 100 and len(to_references) > 100
    assert any(h.split("#")[0].endswith(posixpath.basename(bibliography_doc)) for h in notes_links)


def test_every_image_has_alt_text_and_figures_are_svg(made: Epub):
    missing, figures = [], 0
    manifest = {path: kind for path, kind, _ in made.manifest().values()}
    for path in made.documents():
        for img in made.xml(path).iter("{http://www.w3.org/1999/xhtml}img"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), img.get("src")))
            if manifest.get(target) == "image/svg+xml" and "cover" not in path:
                figures += 1
            if not (img.get("alt") or "").strip():
                missing.append(f"{path}: {img.get('src')}")
    assert not missing, missing
    assert figures == len(list((ROOT / "docs" / "assets" / "figures").glob("*.svg")))
    # the SVG files keep SVG's mixed-case names (viewBox), which the HTML parser had lowered
    svgs = [made.archive.read(path).decode() for path, kind in manifest.items() if kind == "image/svg+xml"]
    assert svgs and all("viewBox=" in svg and "viewbox=" not in svg for svg in svgs)


def test_no_leaked_markup_in_the_text(made: Epub):
    leaked = []
    for path in made.documents():
        text = words(" ".join(made.xml(path).itertext()))
        leaked += [f"{path}: {leak!r} in …{text[max(0, text.find(leak) - 40):text.find(leak) + 40]}…" for leak in LEAKS if leak in text]
    assert not leaked, "\n".join(leaked)


def test_callouts_are_readable(made: Epub):
    notes_1 = next(path for path in made.documents() if "§1 Introduction" in chapter_titles(made, path))
    root = made.xml(notes_1)
    analogies = root.xpath(".//x:div[contains(concat(' ', @class, ' '), ' analogy ')]", namespaces=NS)
    assert analogies, "no analogy callout in §1"
    text = words(" ".join(analogies[0].itertext()))
    assert text.startswith(("⇄ Analogy · ours", "⇄ Analogy")), text[:80]
    assert "Where it breaks down" in text
    assert analogies[0].find(".//x:table", NS) is not None, "the analogy's mapping table is missing"
    selfchecks = root.xpath(".//x:div[contains(concat(' ', @class, ' '), ' selfcheck ')]", namespaces=NS)
    assert selfchecks and all("Answer" in words(" ".join(s.itertext())) for s in selfchecks), "self-check answers are not printed"


def test_metadata(made: Epub):
    metadata = made.opf.find("opf:metadata", NS)

    def dc(name: str) -> list[str]:
        return [e.text for e in metadata.iterfind(f"dc:{name}", NS)]

    assert dc("title") == [book.BOOK_TITLE]
    assert dc("language") == ["en"]
    assert dc("creator") == [site_model.load().config.site_author]
    assert f"arXiv:{book.PAPER['arxiv']}" in dc("source")
    assert dc("identifier") == [epub.book_identifier(site_model.load().config)]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", dc("date")[0])
    cover = [path for path, kind, props in made.manifest().values() if "cover-image" in props.split()]
    assert cover and made.archive.read(cover[0]).startswith(b"<?xml")


def test_make_epub_reports_what_it_wrote(made: Epub):
    assert "epub: wrote epub/risks-from-learned-optimization-notes.epub (11 chapters" in made.stderr or "epub: wrote" in made.stderr
    assert "error" not in made.stderr


# --- Bad input ------------------------------------------------------------------------------


def test_a_site_that_was_not_built_fails_loudly_and_keeps_the_last_epub(tmp_path: Path, capsys):
    site = tmp_path / "site"
    (site / "epub").mkdir(parents=True)
    last = site / epub.EPUB_PATH
    last.write_bytes(b"last good epub")
    assert epub.make_epub(site) == 1
    err = capsys.readouterr().err
    assert "epub: error: index.md: the built page" in err and "is missing" in err
    assert last.read_bytes() == b"last good epub"
    assert [p.name for p in (site / "epub").iterdir()] == [last.name], "a temporary file was left behind"


def test_pandoc_failing_is_reported_and_keeps_the_last_epub(site: Path, tmp_path: Path, monkeypatch, capsys):
    copy = tmp_path / "site"
    import shutil

    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("*.zip", "*.pdf"))
    last = copy / epub.EPUB_PATH
    last.parent.mkdir(exist_ok=True)
    last.write_bytes(b"last good epub")
    fake = tmp_path / "pandoc"
    fake.write_text("#!/bin/sh\necho 'pandoc: cannot read book.html' >&2\nexit 65\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(epub, "pandoc_path", lambda: str(fake))
    assert epub.make_epub(copy) == 1
    err = capsys.readouterr().err
    assert "epub: error: pandoc failed (exit 65):" in err and "cannot read book.html" in err
    assert last.read_bytes() == b"last good epub"


def test_a_missing_figure_names_the_chapter_and_the_file(tmp_path: Path):
    html = (
        '<html><body><section class="chapter" id="notes-01-introduction"><h1>§1</h1>'
        '<figure><img src="assets/figures/gone.png" alt="x"></figure></section></body></html>'
    )
    chapter = book.Chapter(src="notes/01-introduction.md", url="notes/01-introduction/", file=tmp_path / "x", slug="notes-01-introduction")
    with pytest.raises(epub.EpubError, match=r"notes/01-introduction\.md: the image assets/figures/gone\.png is missing"):
        epub.epub_document(html, [chapter], tmp_path, tmp_path / "work")


def test_ids_pandoc_would_drop_move_onto_spans(tmp_path: Path):
    html = (
        '<html><body><section class="chapter" id="c"><h1 id="c--t">T</h1>'
        '<p id="c--p">para</p><dl><dt id="c--term">term</dt><dd>def</dd></dl><sup id="c--fn">1</sup>'
        '<figure id="c--fig"><p>x</p></figure></section></body></html>'
    )
    chapter = book.Chapter(src="c.md", url="c/", file=tmp_path / "x", slug="c")
    out, _ = epub.epub_document(html, [chapter], tmp_path, tmp_path / "work")
    root = lxml.html.fromstring(out)
    assert root.get_element_by_id("c").tag == "h1"
    for anchor in ("c--t", "c--p", "c--term", "c--fn"):
        assert root.get_element_by_id(anchor).tag == "span", anchor
    assert root.get_element_by_id("c--fig").tag == "div"
    assert root.get_element_by_id("c--term").getparent().tag == "dt"
