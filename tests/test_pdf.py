"""The offline PDF of the whole book (issue 7).

The real site is built once (``site`` in conftest.py) and the PDF made into it once; the
tests then read that PDF with pypdf: its outline, its table of contents, where its links
land, its text and its fonts. ``test_page_pictures`` writes a few pages as PNGs into
test-artifacts/pdf/ for a person to look at.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import Destination

from scripts import mkdocs_env
from scripts import pdf as book
from scripts import site as site_model

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY_YML = ROOT / "docs" / "glossary.yml"
NUMBERED = re.compile(r"^\d+\.\d+\s")  # "1.1 Base optimizers and mesa-optimizers"


# --- Helpers ----------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Text as compared here: ligatures undone, whitespace collapsed, line-end hyphens joined."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"(\w)- (\w)", r"\1-\2", text).strip()


def built_article(site: Path, src: str):
    """The article element of a built page."""
    dest = {page.src: page.dest for page in site_model.load().pages}[src]
    root = lxml.html.parse(str(site / dest)).getroot()
    return root.xpath('//article[contains(@class, "md-content__inner")]')[0]


def heading_text(element) -> str:
    """A heading's text without Material's ¶ permalink."""
    return normalise("".join(element.itertext()).replace("¶", ""))


@dataclass
class Book:
    """The PDF made from the real site, and what the tests need from it."""

    site: Path
    path: Path
    returncode: int
    stderr: str
    reader: PdfReader
    texts: list[str]  # normalised text of each page
    outline: list[tuple[int, str, int]]  # (level, title, 0-based page)
    chapters: list[tuple[str, str]]  # (Markdown source, h1 title) in nav order

    def page_of(self, destination: str) -> int:
        """The 0-based page a named destination (an element id) points to."""
        return self.reader.get_destination_page_number(self.reader.named_destinations[destination])

    def chapter_pages(self, title: str) -> range:
        """The pages of the chapter with this title."""
        starts = [(page, text) for level, text, page in self.outline if level == 1]
        for index, (page, text) in enumerate(starts):
            if text == title:
                end = starts[index + 1][0] if index + 1 < len(starts) else len(self.texts)
                return range(page, max(end, page + 1))
        raise AssertionError(f"no chapter {title!r} in the outline")

    def links(self, pages: range) -> list[str]:
        """The named destinations of the internal links on these pages."""
        found = []
        for index in pages:
            for annotation in self.reader.pages[index].get("/Annots") or []:
                annotation = annotation.get_object()
                destination = annotation.get("/Dest")
                if destination is None and "/A" in annotation:
                    destination = annotation["/A"].get("/D")
                if isinstance(destination, str):
                    found.append(str(destination))
        return found


def flatten_outline(reader: PdfReader, items, level: int = 1) -> list[tuple[int, str, int]]:
    found = []
    for item in items:
        if isinstance(item, list):
            found += flatten_outline(reader, item, level + 1)
        elif isinstance(item, Destination):
            found.append((level, normalise(item.title), reader.get_destination_page_number(item)))
    return found


@pytest.fixture(scope="session")
def pdf_book(site: Path) -> Book:
    """make_pdf run once into the real site (its stderr captured), and the PDF read."""
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        returncode = book.make_pdf(site)
    path = site / "pdf" / "risks-from-learned-optimization-notes.pdf"
    assert returncode == 0, stderr.getvalue()
    reader = PdfReader(path)
    chapters = []
    for src in book.in_book_order([page.src for page in site_model.load().without_sections(book.LEFT_OUT_SECTIONS)]):
        h1 = built_article(site, src).find(".//h1")
        chapters.append((src, heading_text(h1)))
    return Book(
        site=site,
        path=path,
        returncode=returncode,
        stderr=stderr.getvalue(),
        reader=reader,
        texts=[normalise(page.extract_text() or "") for page in reader.pages],
        outline=flatten_outline(reader, reader.outline),
        chapters=chapters,
    )


@pytest.fixture(scope="session")
def glossary() -> dict[str, str]:
    """Glossary id -> term, from docs/glossary.yml."""
    entries = yaml.safe_load(GLOSSARY_YML.read_text(encoding="utf-8"))
    return {entry["id"]: entry["term"] for entry in entries}


# --- The PDF as a whole -----------------------------------------------------------------


def test_make_pdf_writes_the_linked_file_quietly(pdf_book: Book):
    assert pdf_book.path.is_file()
    assert pdf_book.path.read_bytes().startswith(b"%PDF-")
    # The landing page links to the PDF by this exact path.
    landing = (pdf_book.site / "index.html").read_text(encoding="utf-8")
    assert 'href="pdf/risks-from-learned-optimization-notes.pdf"' in landing
    assert "pdf: error" not in pdf_book.stderr
    assert "pdf: wrote" in pdf_book.stderr  # its time is a row of `make bench`, not a test


def test_nothing_was_fetched_from_outside_the_site(pdf_book: Book):
    assert "pdf: refused" not in pdf_book.stderr, pdf_book.stderr


def test_our_stylesheet_raises_no_warnings(pdf_book: Book):
    css_warnings = [line for line in pdf_book.stderr.splitlines() if "pdf: warning" in line and ".css" in line]
    assert not css_warnings


def test_metadata(pdf_book: Book):
    metadata = pdf_book.reader.metadata
    assert metadata.title == book.BOOK_TITLE


# --- Outline and contents ---------------------------------------------------------------


def test_outline_has_every_chapter_in_nav_order(pdf_book: Book):
    chapters = [title for level, title, page in pdf_book.outline if level == 1 and title != "Contents"]
    assert chapters == [title for src, title in pdf_book.chapters]
    assert pdf_book.outline[0][:2] == (1, "Contents")


def test_contributing_is_left_out_of_the_book(pdf_book: Book):
    assert not any(src.startswith("contributing/") for src, title in pdf_book.chapters)
    assert "Contributing" not in [title for level, title, page in pdf_book.outline]


def test_outline_has_the_sections_of_each_notes_page(pdf_book: Book):
    numbered = []
    for src, title in pdf_book.chapters:
        if not src.startswith("notes/"):
            continue
        pages = pdf_book.chapter_pages(title)
        in_outline = {text for level, text, page in pdf_book.outline if level == 2 and page in pages}
        sections = [heading_text(h2) for h2 in built_article(pdf_book.site, src).iter("h2")]
        assert set(sections) <= in_outline, f"{src}: missing from the outline: {set(sections) - in_outline}"
        numbered += [text for text in sections if NUMBERED.match(text)]
    assert len(numbered) >= 10, f"expected the paper's numbered sections (1.1 …), found {numbered}"


def test_glossary_entries_are_level_3_bookmarks_only_in_the_glossary(pdf_book: Book, glossary):
    level3 = [(text, page) for level, text, page in pdf_book.outline if level == 3]
    glossary_pages = pdf_book.chapter_pages("Glossary")
    assert {normalise(term) for term in glossary.values()} <= {text for text, page in level3}
    assert all(page in glossary_pages for text, page in level3)


def test_contents_lists_every_chapter_with_its_page_number(pdf_book: Book):
    first_chapter = min(page for level, title, page in pdf_book.outline if level == 1 and title != "Contents")
    contents_page = next(page for level, title, page in pdf_book.outline if title == "Contents")
    contents = "\n".join(
        pdf_book.reader.pages[index].extract_text() for index in range(contents_page, first_chapter)
    )
    contents = unicodedata.normalize("NFKC", contents)
    for src, title in pdf_book.chapters:
        expected = pdf_book.chapter_pages(title).start + 1
        line = re.search(r"^\s*" + re.escape(title) + r"[ .]*?\s(\d+)\s*$", contents, re.MULTILINE)
        assert line, f"no line for {title!r} with a page number in the contents"
        assert int(line.group(1)) == expected, f"{title!r}: contents says {line.group(1)}, it starts on {expected}"


# --- Links land where they should -------------------------------------------------------


def test_glossary_links_land_on_their_entries(pdf_book: Book, glossary):
    src, title = next((src, title) for src, title in pdf_book.chapters if src == "notes/01-introduction.md")
    targets = {d for d in pdf_book.links(pdf_book.chapter_pages(title)) if d.startswith("glossary--")}
    terms = {d: glossary[d.removeprefix("glossary--")] for d in targets if d.removeprefix("glossary--") in glossary}
    assert terms, "no glossary links in the §1 chapter"
    glossary_pages = pdf_book.chapter_pages("Glossary")
    for destination, term in terms.items():
        page = pdf_book.page_of(destination)
        assert page in glossary_pages, f"{destination} does not land in the glossary"
        assert normalise(term) in pdf_book.texts[page], f"{destination} lands on page {page + 1}, without {term!r}"


def test_citations_land_on_their_references(pdf_book: Book):
    src, title = next((src, title) for src, title in pdf_book.chapters if src == "notes/01-introduction.md")
    slug = book.page_slug(src)
    article = built_article(pdf_book.site, src)
    targets = {d for d in pdf_book.links(pdf_book.chapter_pages(title)) if d.startswith(f"{slug}--ref-")}
    assert targets, "no citation links in the §1 chapter"
    for destination in targets:
        note = article.xpath(f'.//li[@id="{destination.removeprefix(slug + "--")}"]')[0]
        opening = " ".join(normalise(note.text_content()).split()[:5])
        page = pdf_book.page_of(destination)
        assert opening in pdf_book.texts[page], f"{destination} lands on page {page + 1}, without {opening!r}"


def test_used_in_links_land_on_their_sections(pdf_book: Book):
    slugs = {book.page_slug(src): src for src, title in pdf_book.chapters}
    destinations = [d for d in pdf_book.links(pdf_book.chapter_pages("Glossary")) if "--" in d]
    cross = {d for d in destinations if not d.startswith("glossary--")}
    assert cross, "the glossary's Used in lists have no links"
    checked = 0
    for destination in sorted(cross):
        slug, anchor = destination.split("--", 1)
        heading = built_article(pdf_book.site, slugs[slug]).xpath(f'.//*[@id="{anchor}"]')[0]
        if heading.tag not in ("h1", "h2", "h3", "h4", "h5", "h6"):
            continue
        checked += 1
        page = pdf_book.page_of(destination)
        assert heading_text(heading) in pdf_book.texts[page], f"{destination} lands on page {page + 1}"
    assert checked, "no Used in link points to a section heading"


def test_every_internal_link_has_a_destination(pdf_book: Book):
    named = set(pdf_book.reader.named_destinations)
    links = pdf_book.links(range(len(pdf_book.texts)))
    assert len(links) > 100
    assert not [d for d in links if d not in named]


# --- Text -------------------------------------------------------------------------------


def test_every_section_title_and_glossary_term_is_in_the_text(pdf_book: Book, glossary):
    text = " ".join(pdf_book.texts)
    for src, title in pdf_book.chapters:
        assert title in text
        if src.startswith("notes/"):
            for h2 in built_article(pdf_book.site, src).iter("h2"):
                assert heading_text(h2) in text, f"{src}: {heading_text(h2)!r} missing"
    missing = [term for term in glossary.values() if normalise(term) not in text]
    assert not missing


def test_cover_has_the_paper_reference_date_and_version(pdf_book: Book):
    cover = pdf_book.texts[0]
    assert normalise(book.BOOK_TITLE) in cover
    for part in ("Evan Hubinger", "Chris van Merwijk", "Vladimir Mikulik", "Joar Skalse", "Scott Garrabrant"):
        assert part in cover
    assert "Risks from Learned Optimization in Advanced Machine Learning Systems" in cover
    assert "arXiv:1906.01820" in cover
    assert re.search(r"Built \d{4}-\d{2}-\d{2}", cover)
    assert re.search(r"Version \S+", cover)


def test_callouts_are_labelled_and_answers_printed(pdf_book: Book):
    text = " ".join(pdf_book.texts)
    assert "ANALOGY" in text or "Analogy" in text
    assert "OUR NOTE — NOT THE PAPER" in text.upper()
    assert "SELF-CHECK" in text.upper()
    article = built_article(pdf_book.site, "notes/01-introduction.md")
    selfcheck = article.xpath('.//details[contains(@class, "selfcheck")]')[0]
    answer = selfcheck.xpath("./p")[0]
    assert " ".join(normalise(answer.text_content()).split()[:8]) in text


def test_no_web_chrome(pdf_book: Book):
    text = " ".join(pdf_book.texts)
    assert "¶" not in text
    assert "Edit this page" not in text


# --- Fonts --------------------------------------------------------------------------------


def fonts_in(resources, seen: set) -> list:
    """Every font dictionary reachable from a resources dictionary (through XObjects too)."""
    resources = resources.get_object() if resources is not None else {}
    found = []
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) not in seen:
            seen.add(id(font))
            found.append(font)
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if "/Resources" in xobject and id(xobject) not in seen:
            seen.add(id(xobject))
            found += fonts_in(xobject["/Resources"], seen)
    return found


def test_fonts_are_embedded(pdf_book: Book):
    seen: set = set()
    fonts = [font for page in pdf_book.reader.pages for font in fonts_in(page.get("/Resources"), seen)]
    assert fonts
    for font in fonts:
        if font.get("/Subtype") == "/Type3":
            continue  # drawn glyphs, nothing to embed
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")


# --- Failure, fetching and link rewriting without the real site ---------------------------


def test_a_failure_is_loud(tmp_path: Path, capsys):
    assert book.make_pdf(tmp_path / "no-such-site") != 0
    assert "pdf: error:" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert book.make_pdf(tmp_path / "empty") != 0
    assert "pdf: error:" in capsys.readouterr().err


def test_the_fetcher_serves_only_the_site_and_data(tmp_path: Path):
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "a.css").write_text("p {}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("no", encoding="utf-8")
    fetcher = book.SiteFetcher(site)
    assert fetcher.fetch((site / "assets" / "a.css").as_uri()).read() == b"p {}"
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    for url in ("https://example.org/font.woff2", "http://example.org/x.png", (tmp_path / "secret.txt").as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 3


PAGE = """<!doctype html><html><body><header class="md-header">chrome</header>
<article class="md-content__inner md-typeset">
<a class="md-content__button md-icon" href="https://example.org/edit">edit</a>
{body}
</article></body></html>"""


def fake_site(tmp_path: Path) -> tuple[Path, site_model.Site]:
    """Two pages, a glossary and a left-out page, built the way Material builds them."""
    site = tmp_path / "site"
    pages = {
        "index.html": '<h1 id="home">Home<a class="headerlink" href="#home">¶</a></h1>'
        '<p><a href="notes/one/#sec-1-1">see 1.1</a> <a href="contributing/">help</a> '
        '<a href="https://example.org/">out</a> <a href="references.bib">bib</a></p>',
        "notes/one/index.html": '<h1 id="one">One</h1><h2 id="sec-1-1">1.1 First</h2>'
        '<p><a class="gloss" data-gloss-def="long" href="../../glossary/#term">term</a>'
        ' (<a class="cite" id="cite-1" href="#ref-k">K 2020</a>) <a href="../../glossary/#gone">x</a></p>'
        '<details class="selfcheck"><summary>Question?</summary><p>Answer.</p></details>'
        '<div class="admonition annotation"><p class="admonition-title">Ours</p><p>Opinion.</p></div>'
        '<figure><svg class="figure-svg" viewBox="0 0 10 10"><title id="t">T</title>'
        '<rect class="fig-muted" fill="url(#t)" width="5" height="5"/></svg></figure>'
        '<ul class="references"><li id="ref-k"><span class="ref-text">Ref.</span> <span class="ref-back">'
        '<span aria-hidden="true">↩</span> <a href="#cite-1">a</a> <a href="#cite-2">b</a></span></li></ul>',
        "glossary/index.html": '<h1 id="glossary">Glossary</h1><h3 id="term">term</h3>'
        '<p>Used in: <a href="../notes/one/#sec-1-1">One › 1.1 First</a></p>',
        "contributing/index.html": '<h1 id="c">Contributing</h1>',
    }
    for url, body in pages.items():
        (site / url).parent.mkdir(parents=True, exist_ok=True)
        (site / url).write_text(PAGE.format(body=body), encoding="utf-8")
    for src in ("index.md", "notes/one.md", "glossary.md", "contributing/index.md"):
        (tmp_path / "docs" / src).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / src).write_text("# Page\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Fake\nsite_url: https://example.org/book/\nnav:\n  - Home: index.md\n  - Notes: [notes/one.md]\n"
        "  - Reference:\n      - Glossary: glossary.md\n  - Contributing: [contributing/index.md]\n",
        encoding="utf-8",
    )
    return site, site_model.load(tmp_path / "mkdocs.yml")


def test_assembly_rewrites_links_ids_and_callouts(tmp_path: Path):
    site, config = fake_site(tmp_path)
    html, chapters = book.book_html(site, config)
    assert [c.slug for c in chapters] == ["home", "notes-one", "glossary"]
    doc = lxml.html.fromstring(html)
    hrefs = {a.text_content(): a.get("href") for a in doc.iter("a")}
    assert hrefs["see 1.1"] == "#notes-one--sec-1-1"
    assert hrefs["term"] == "#glossary--term"
    assert hrefs["x"] == "#glossary"  # a missing anchor falls back to the chapter
    assert hrefs["K 2020"] == "#notes-one--ref-k"
    assert hrefs["One › 1.1 First"] == "#notes-one--sec-1-1"
    assert hrefs["help"] == "https://example.org/book/contributing/"
    assert hrefs["bib"] == "https://example.org/book/references.bib"
    assert hrefs["out"] == "https://example.org/"
    ids = [element.get("id") for element in doc.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    assert {"notes-one--ref-k", "notes-one--cite-1", "glossary--term", "notes-one--t"} <= set(ids)
    assert doc.xpath('//rect[@fill="url(#notes-one--t)"]')
    assert not doc.xpath('//*[contains(@class, "ref-back")]') and "↩" not in doc.text_content()  # no way back on paper
    assert not doc.xpath("//details | //summary | //header")
    assert not doc.xpath('//*[@data-gloss-def] | //a[contains(@class, "headerlink")]')
    assert "edit" not in [a.text_content() for a in doc.iter("a")]
    text = doc.text_content()
    assert "Self-check" in text and "Question?" in text and "Answer." in text
    assert "Our note — not the paper" in text
    assert doc.xpath("//svg/style")


def test_an_external_image_is_refused_and_reported(tmp_path: Path):
    site, config = fake_site(tmp_path)
    page = site / "notes" / "one" / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("<h2", '<p><img src="https://example.org/tracker.png" alt="x"></p><h2'),
        encoding="utf-8",
    )
    result = book.build_pdf(site, config)
    assert result.refused == ["https://example.org/tracker.png"]
    assert (site / "pdf" / "risks-from-learned-optimization-notes.pdf").is_file()
    reader = PdfReader(site / "pdf" / "risks-from-learned-optimization-notes.pdf")
    assert [item.title for item in reader.outline if not isinstance(item, list)] == ["Contents", "Home", "One", "Glossary"]


def test_page_urls_and_slugs():
    assert site_model.page_url("index.md") == ""
    assert site_model.page_url("notes/01-introduction.md") == "notes/01-introduction/"
    assert site_model.page_url("contributing/index.md") == "contributing/"
    assert site_model.page_url("summary.md", use_directory_urls=False) == "summary.html"
    assert book.page_slug("index.md") == "home"
    assert book.page_slug("notes/01-introduction.md") == "notes-01-introduction"
    assert book.page_slug("contributing/index.md") == "contributing"


# --- Pictures for a person to look at ------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (pdftoppm)")
def test_page_pictures(pdf_book: Book, artifacts: Path):
    """PNGs of the cover, the contents, an analogy, a figure and the glossary."""
    out = artifacts / "pdf"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    texts = pdf_book.texts
    contents = next(page for level, title, page in pdf_book.outline if title == "Contents")
    pages = {
        "cover": 0,
        "contents": contents,
        "analogy": next(i for i, text in enumerate(texts) if "ANALOGY" in text),
        "figure": next(i for i, text in enumerate(texts) if re.search(r"Figure 1\b", text) and i > contents + 1),
        "glossary": pdf_book.chapter_pages("Glossary").start,
    }
    for name, index in pages.items():
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(index + 1), "-l", str(index + 1),
             str(pdf_book.path), str(out / name)],
            check=True,
        )
        assert (out / f"{name}.png").stat().st_size > 1000


# --- Citations in the PDF (see also tests/test_citations.py) -------------------------------


def test_no_markup_or_working_words_in_the_pdf(pdf_book: Book):
    from leaks import leaks_in

    found = []
    for number, text in enumerate(pdf_book.texts, start=1):
        found += leaks_in(text, f"PDF page {number}")
    assert not found, "\n".join(found[:20])


def test_pdf_citations_read_as_on_the_website(pdf_book: Book):
    """Labels and year suffixes match the site, each citation is one marker, no ↩ is printed."""
    text = " ".join(pdf_book.texts)
    assert "(Hubinger et al. 2019a, sec. 1.1)" in text
    assert "↩" not in text
    assert not re.search(r"sec\. [\d.]+\)\d", text), "a citation followed by a footnote number"
    assert "Cited in: §1 › Before 1.1" in text, "the Bibliography chapter says where each entry is cited"
    assert not re.search(r"Cited in \d+ places", text), "a folded Cited-in list must print open, as a paragraph"


# --- Tagged for screen readers (PDF/UA: scripts/pdf.py PDF_VARIANT) -------------------------


def structure_tags(reader: PdfReader) -> list[tuple[str, str | None]]:
    """(tag, /Alt) of every element of the PDF's structure tree, in document order."""
    found, seen = [], set()

    def walk(node) -> None:
        if hasattr(node, "idnum"):
            if node.idnum in seen:
                return
            seen.add(node.idnum)
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "get"):
            return  # a marked-content id
        if node.get("/S") is not None:
            found.append((str(node["/S"]).lstrip("/"), str(node["/Alt"]) if "/Alt" in node else None))
        if node.get("/K") is not None:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_pdf_is_tagged_for_screen_readers(pdf_book: Book):
    catalog = pdf_book.reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog, "no structure tree: the PDF is untagged"
    assert catalog["/MarkInfo"]["/Marked"].value is True  # a pypdf BooleanObject
    assert str(catalog["/Lang"]) == "en"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True, "the viewer would show the file name, not the title"
    assert pdf_book.reader.metadata.title == book.BOOK_TITLE

    tags = structure_tags(pdf_book.reader)
    counts = {name: sum(1 for tag, _ in tags if tag == name) for name in ("H1", "H2", "H3", "L", "LI", "Table", "TH", "Figure")}
    # Against the contents: every chapter of the book, and every section its contents lists, is a heading.
    assembled = lxml.html.fromstring(book.book_html(pdf_book.site)[0])
    contents = assembled.get_element_by_id("_contents")
    chapters = contents.xpath('.//li[@class="toc-chapter"]')
    sections = contents.xpath('.//li[@class="toc-section"]')
    assert len(chapters) == len(pdf_book.chapters)
    for level in ("h1", "h2", "h3"):
        # at least one tag per heading (a heading laid out as several boxes, like the
        # cover's title and subtitle, may give more than one)
        assert counts[level.upper()] >= len(assembled.xpath(f"//body//{level}")), (level, counts)
    assert counts["H1"] >= len(chapters) + 1  # the chapters and "Contents"
    assert counts["H2"] >= len(sections)
    assert counts["L"] > 50 and counts["LI"] > 200 and counts["Table"] > 10 and counts["TH"] > 10, counts
    figures = [alt for tag, alt in tags if tag == "Figure"]
    assert len(figures) == len(assembled.xpath('//svg[contains(@class, "figure-svg")]')) and all(figures), figures


SHORT_BOOK = ROOT / "tests" / "data" / "short-book"  # INHERITs base.yml, keeps 2 of its 3 pages


def test_the_pdf_follows_the_config_it_was_built_with(tmp_path: Path):
    """``build --config-file X --pdf`` makes X's book: X's nav, not the repository's mkdocs.yml."""
    site = tmp_path / "site"
    command = [sys.executable, "-m", "scripts", "build", "--config-file", str(SHORT_BOOK / "mkdocs.yml"), "--site", str(site), "--pdf"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, env=mkdocs_env())
    assert result.returncode == 0, result.stderr
    reader = PdfReader(site / book.PDF_PATH)
    titles = [normalise(item.title) for item in reader.outline if not isinstance(item, list)]
    assert titles == ["Contents", "Short home", "Chapter one"]  # two.md is in base.yml's nav only
    text = normalise(" ".join(page.extract_text() or "" for page in reader.pages))
    assert "Left out of the short nav" not in text
    assert reader.metadata.author == "Fixture author"  # base.yml's !ENV default, through INHERIT
