"""The offline PDF of the whole book: the built pages, in nav order, as one document.

``make_pdf(site_dir)`` reads the pages MkDocs built into ``site_dir``, keeps only each
page's article (no Material chrome), and assembles one HTML document: a cover, a table
of contents with page numbers, then one chapter per page. Every id is prefixed with its
page's slug (``notes-01-introduction--sec-1-1``) and every internal link is rewritten to
point inside the document, so glossary terms, citations, cross-references and the
glossary's "Used in" lists keep working in the PDF. WeasyPrint lays it out with our own
print stylesheet (``scripts/data/pdf/print.css``) and may load nothing from outside the
site folder (:class:`SiteFetcher`).

The Contributing section is left out of the book: it is about working on the
repository, not about the paper. Links to it (and to any other file that is not a
chapter, such as ``references.bib``) become links to the published site.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

import jinja2
import lxml.html
from lxml import etree
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from . import ROOT
from . import figures
from . import site as site_model
from .template import BOOK_TITLE, CALLOUT_BADGES, DEFAULT_BADGE, PAPER, REFERENCES

PDF_NAME = "risks-from-learned-optimization-notes.pdf"
PDF_PATH = Path("pdf") / PDF_NAME  # inside the site; the landing page links here
PDF_VARIANT = "pdf/ua-1"  # PDF/UA: a structure tree (pdf_tags), /Lang, the title shown in the viewer
TEMPLATES = Path(__file__).parent / "data" / "pdf"
STYLESHEET = TEMPLATES / "print.css"  # the pages
FIGURE_STYLESHEET = TEMPLATES / "figures.css"  # copied into each inline SVG figure
COVER_TEMPLATE = "cover.html"
LEFT_OUT_SECTIONS = ("Contributing", "Download")  # nav sections that are not part of the book
APPENDIX_PAGES = ("practice.md",)  # printed last, as the book's appendix: every self-check with its answer
APPENDIX_PART = "Appendix"


# Web-only parts of a page's article.
CHROME_CLASSES = {"headerlink", "md-source-file", "md-tags", "md-feedback", "md-comments", "web-only"}
CHROME_TAGS = {"script", "noscript", "form", "input", "button", "template"}
# Attributes whose value is a list of ids in the same page.
ID_LIST_ATTRIBUTES = ("aria-labelledby", "aria-describedby", "aria-controls", "for", "headers")
# Attributes that may hold url(#id) references (SVG paint servers, markers, clips).
URL_REF_ATTRIBUTES = ("fill", "stroke", "marker-start", "marker-mid", "marker-end", "clip-path", "mask", "filter", "style")
URL_REF = re.compile(r"url\(\s*#([^)\s]+)\s*\)")
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
FAKE_ORIGIN = "https://book.invalid/"  # resolves relative links without touching the disk

HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8")  # MkDocs writes UTF-8
log = logging.getLogger(__name__)


class PdfError(Exception):
    """The PDF cannot be made; the message says why."""


@dataclass
class Chapter:
    """One built page as a chapter of the book."""

    src: str  # the Markdown source, relative to docs/: notes/01-introduction.md
    url: str  # the page's URL relative to the site root: notes/01-introduction/
    file: Path  # the built HTML file
    slug: str  # the prefix of every id in this chapter: notes-01-introduction
    part: str | None = None  # the nav section it belongs to, if any
    title: str = ""
    article: lxml.html.HtmlElement | None = None
    ids: set[str] = field(default_factory=set)  # the page's own ids, before prefixing


# --- Which pages, in which order --------------------------------------------------------


def page_slug(src: str) -> str:
    """A page's id prefix: its source path without .md, '/' as '-' (index.md is 'home')."""
    stem = src.removesuffix(".md")
    stem = stem.removesuffix("/index")
    return "home" if stem == "index" else stem.replace("/", "-")


def in_book_order(sources: list[str]) -> list[str]:
    """Nav order, with the appendix pages moved to the end."""
    return [s for s in sources if s not in APPENDIX_PAGES] + [s for s in sources if s in APPENDIX_PAGES]


def book_pages(model: site_model.Site) -> list[site_model.NavPage]:
    """The site's nav pages that make the book, in book order (left-out sections dropped)."""
    pages = model.without_sections(LEFT_OUT_SECTIONS)
    order = in_book_order([page.src for page in pages])
    return sorted(pages, key=lambda page: order.index(page.src))


def book_chapters(site_dir: Path, model: site_model.Site) -> list[Chapter]:
    """The chapters of the book, in nav order (without the left-out sections)."""
    return [
        Chapter(
            src=page.src,
            url=page.url,
            file=site_dir / page.dest,
            slug=page_slug(page.src),
            part=APPENDIX_PART if page.src in APPENDIX_PAGES else page.part,
        )
        for page in book_pages(model)
    ]


# --- One page as a chapter ------------------------------------------------------------


def read_article(chapter: Chapter, docs_dir: Path | None = None) -> lxml.html.HtmlElement:
    """The page's article element (Material's ``article.md-content__inner``), its figures
    inline again (the site shows them as images; scripts/figures.py) when ``docs_dir``,
    where their sources are, is given."""
    if not chapter.file.is_file():
        raise PdfError(f"{chapter.src}: the built page {chapter.file} is missing (was the site built?)")
    html = chapter.file.read_bytes().decode("utf-8")
    if docs_dir is not None:
        html = figures.print_figures(html, (docs_dir / chapter.src).parent)
    root = lxml.html.document_fromstring(html.encode("utf-8"), parser=HTML_PARSER)
    found = root.xpath('//article[contains(concat(" ", normalize-space(@class), " "), " md-content__inner ")]')
    if not found:
        raise PdfError(f"{chapter.file}: no article.md-content__inner (has the theme changed?)")
    return found[0]


def strip_chrome(article) -> None:
    """Remove what only makes sense on the web: edit buttons, ¶ anchors, scripts, forms."""
    for comment in article.xpath(".//comment()"):
        _remove(comment)
    for element in list(article.iter(tag=etree.Element)):
        classes = (element.get("class") or "").split()
        if element is not article and (
            any(c in CHROME_CLASSES or c.startswith("md-content__") for c in classes) or element.tag in CHROME_TAGS
        ):
            _remove(element)
    for anchor in article.xpath('.//a[starts-with(@id, "__codelineno")]'):
        anchor.drop_tag()  # line-number anchors of code blocks
    for element in article.iter(tag=etree.Element):
        for name in [a for a in element.attrib if a.startswith("data-")]:
            del element.attrib[name]  # hover-card payloads and the like


def _remove(element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def callout_label(kind: str) -> lxml.html.HtmlElement:
    """The visible label of a callout: its symbol and the name of its kind."""
    symbol, name = CALLOUT_BADGES.get(kind, DEFAULT_BADGE)
    label = lxml.html.Element("p", {"class": "callout-kind"})
    icon = etree.SubElement(label, "span", {"class": "callout-icon", "aria-hidden": "true"})
    icon.text = symbol
    icon.tail = " " + (name or kind.replace("-", " ").capitalize() or "Note")
    return label


def callout_kind(element) -> str:
    """The kind of an admonition or details block: its first class that is not generic."""
    generic = {"admonition", "details", "callout", "inline", "end", "open"}
    return next((c for c in (element.get("class") or "").split() if c not in generic), "note")


def unfold_cited_in(article) -> None:
    """On paper a folded "Cited in" list (the Bibliography's, scripts/citations.py) is
    printed open, as one plain paragraph, not as a callout."""
    for details in article.xpath('.//details[contains(concat(" ", normalize-space(@class), " "), " cited-in ")]'):
        listed = details.find("p")
        paragraph = lxml.html.Element("p", {"class": "cited-in"})
        paragraph.text = "Cited in: " + ((listed.text or "") if listed is not None else "")
        if listed is not None:
            for child in list(listed):
                paragraph.append(child)
        paragraph.tail = details.tail
        details.getparent().replace(details, paragraph)


def open_callouts(article) -> None:
    """Turn every callout into an open, labelled block.

    ``<details>`` becomes a ``<div class="details KIND">`` whose ``<summary>`` is a title
    paragraph, so self-check answers are printed; each admonition and details block gets
    a label saying what kind of callout it is (Analogy, Our note — not the paper…).
    """
    for details in article.xpath(".//details"):
        details.tag = "div"
        details.set("class", " ".join(["details", *(details.get("class") or "").split()]))
        details.attrib.pop("open", None)
        summary = next((child for child in details if child.tag == "summary"), None)
        if summary is not None:
            summary.tag = "p"
            summary.set("class", "details-title")
            body = lxml.html.Element("div", {"class": "details-body"})
            for child in list(details):
                if child is not summary:
                    body.append(child)
            if callout_kind(details) == "selfcheck":
                answer = lxml.html.Element("p", {"class": "answer-label"})
                answer.text = "Answer"
                body.insert(0, answer)
            details.append(body)
    for callout in article.xpath('.//div[contains(concat(" ", @class, " "), " admonition ") or contains(concat(" ", @class, " "), " details ")]'):
        kind = callout_kind(callout)
        if kind == "analogy" and "paper" in (callout.get("class") or "").split():
            kind = "analogy-paper"
        callout.insert(0, callout_label(kind))


def unwrap_terms(article) -> None:
    """Take each "Terms on this page" list out of its ``<noscript>`` (scripts/glossary_html.py,
    ``fill_terms``: the web page turns it into elements only when it is needed). lxml parses
    a noscript's content as elements, as a browser without JavaScript does; unwrapped, the
    list is what the book printed before, and strip_chrome, which drops every other
    noscript, leaves it alone."""
    for noscript in article.xpath('.//details[contains(concat(" ", normalize-space(@class), " "), " gloss-terms ")]/noscript'):
        noscript.drop_tag()


def compact_terms(article) -> None:
    """Print each "Terms on this page" list as the terms alone, in columns, each followed
    by the page of its entry (print.css): the definitions are in the Glossary chapter,
    and printing them again in every chapter took a sixth of the book."""
    for block in article.xpath('.//details[contains(concat(" ", normalize-space(@class), " "), " gloss-terms ")]'):
        links = block.xpath('.//a[contains(concat(" ", normalize-space(@class), " "), " gloss-listed ")]')
        if not links:
            _remove(block)
            continue
        lead = lxml.html.Element("p", {"class": "terms-lead"})
        lead.text = "Their definitions are in the "
        glossary = etree.SubElement(lead, "a", {"href": links[0].get("href", "").split("#")[0]})
        glossary.text = "Glossary"
        glossary.tail = "; the number after each term is the page of its entry."
        listing = lxml.html.Element("ul", {"class": "terms-compact"})
        for link in links:
            term = etree.SubElement(etree.SubElement(listing, "li"), "a", {"href": link.get("href", ""), "class": "gloss-listed"})
            term.text = link.text_content()
        parent = block.getparent()
        at = parent.index(block)
        listing.tail = block.tail
        parent[at : at + 1] = [lead, listing]


def flatten_tabs(article) -> None:
    """Show every tab of a tabbed block one after the other, each under its label."""
    for tabbed in article.xpath('.//div[contains(concat(" ", @class, " "), " tabbed-set ")]'):
        labels = [label.text_content().strip() for label in tabbed.xpath('.//div[contains(@class, "tabbed-labels")]/label')]
        blocks = tabbed.xpath('.//div[contains(@class, "tabbed-block")]')
        flat = lxml.html.Element("div", {"class": "tabs"})
        for index, block in enumerate(blocks):
            title = etree.SubElement(flat, "p", {"class": "tab-label"})
            title.text = labels[index] if index < len(labels) else f"Tab {index + 1}"
            flat.append(block)
        flat.tail = tabbed.tail
        tabbed.getparent().replace(tabbed, flat)


def drop_backrefs(article) -> None:
    """No ↩ on paper: a back-link returns a reader to where they clicked, and paper has no
    clicks to return from. Each reference's back-links (scripts/citations.py) go, and
    the ↩ of any footnote."""
    for back in article.xpath('.//*[contains(concat(" ", @class, " "), " ref-back ")] | .//a[contains(@class, "footnote-backref")]'):
        _remove(back)


def style_figures(article, figure_css: str) -> None:
    """Copy the figure stylesheet into each inline SVG (document CSS does not reach it),
    and give each labelled SVG a <title> with its label (the tagged PDF's alt text).

    Inside SVG a <style> is parsed as markup, so the CSS goes in without its comments
    and must not contain '<' or '&'.
    """
    css = re.sub(r"/\*.*?\*/", "", figure_css, flags=re.DOTALL).strip()
    if "<" in css or "&" in css:
        raise PdfError(f"{FIGURE_STYLESHEET}: '<' and '&' cannot be used in the figure stylesheet")
    for svg in article.xpath(".//svg"):
        style = lxml.html.Element("style")
        style.text = css
        svg.insert(0, style)
        if svg.get("aria-label"):  # the tagged PDF's alt text for a figure is its SVG <title>
            title = lxml.html.Element("title")
            title.text = svg.get("aria-label")
            svg.insert(0, title)


def clean_chapter(chapter: Chapter, figure_css: str, docs_dir: Path | None = None) -> None:
    """Read a page and reduce it to printable article content."""
    article = read_article(chapter, docs_dir)
    unwrap_terms(article)
    strip_chrome(article)
    compact_terms(article)
    unfold_cited_in(article)
    open_callouts(article)
    flatten_tabs(article)
    drop_backrefs(article)
    style_figures(article, figure_css)
    h1 = article.find(".//h1")
    if h1 is None:
        raise PdfError(f"{chapter.src}: the page has no h1 title")
    h1.set("class", " ".join(["chapter-title", *(h1.get("class") or "").split()]))
    chapter.title = " ".join(h1.text_content().split())
    chapter.ids = {element.get("id") for element in article.iter(tag=etree.Element) if element.get("id")}
    chapter.article = article


# --- Links and ids --------------------------------------------------------------------


def normal_path(path: str) -> str:
    """A site path with any trailing index.html dropped, so page URLs compare equal."""
    return path[: -len("index.html")] if path == "index.html" or path.endswith("/index.html") else path


def resolve_link(href: str, chapter: Chapter, chapters: dict[str, Chapter], site_url: str) -> str:
    """Where a link should point in the book.

    An external link stays as it is. A link to a chapter (with or without a fragment)
    becomes an in-document anchor; a fragment that does not exist falls back to the top
    of that chapter. A link to anything else on the site (a left-out page, a download)
    becomes a link to the published site.
    """
    href = href.strip()
    target = urlsplit(urljoin(FAKE_ORIGIN + chapter.url, href))
    if f"{target.scheme}://{target.netloc}/" != FAKE_ORIGIN:
        return href
    path = normal_path(unquote(target.path).lstrip("/"))
    fragment = unquote(target.fragment)
    page = chapters.get(path)
    if page is None:
        if site_url:
            return urljoin(site_url, path) + (f"#{target.fragment}" if target.fragment else "")
        log.warning("%s: link to %s, which is not in the book and there is no site_url", chapter.src, href)
        return href
    if fragment and fragment in page.ids:
        return f"#{page.slug}--{fragment}"
    if fragment:
        log.warning("%s: link %s: no id %r in %s; linking to the chapter", chapter.src, href, fragment, page.src)
    return f"#{page.slug}"


def prefix_ids(chapter: Chapter) -> None:
    """Prefix every id of a chapter, and every reference to an id inside it, with its slug."""
    prefix = f"{chapter.slug}--"

    def local(reference: str) -> str:
        return prefix + reference if reference in chapter.ids else reference

    for element in chapter.article.iter(tag=etree.Element):
        if element.get("id"):
            element.set("id", prefix + element.get("id"))
        if element.get("name") and element.tag == "a":
            del element.attrib["name"]
        for name in ID_LIST_ATTRIBUTES:
            if element.get(name):
                element.set(name, " ".join(local(part) for part in element.get(name).split()))
        for name in URL_REF_ATTRIBUTES:
            if element.get(name) and "url(" in element.get(name):
                element.set(name, URL_REF.sub(lambda found: f"url(#{local(found.group(1))})", element.get(name)))


def rewrite_links(chapter: Chapter, chapters: dict[str, Chapter], site_url: str) -> None:
    """Point every href and xlink:href of a chapter at its place in the book."""
    for element in chapter.article.iter(tag=etree.Element):
        for name in ("href", XLINK_HREF):
            if element.get(name) is not None:
                element.set(name, resolve_link(element.get(name), chapter, chapters, site_url))


def rewrite_sources(chapter: Chapter) -> None:
    """Make image sources relative to the site root (the document's base URL)."""
    for element in chapter.article.xpath(".//*[@src]"):
        target = urlsplit(urljoin(FAKE_ORIGIN + chapter.url, element.get("src")))
        if f"{target.scheme}://{target.netloc}/" == FAKE_ORIGIN:
            element.set("src", target.path.lstrip("/"))


# --- The document ---------------------------------------------------------------------


def headings(chapter: Chapter) -> list[tuple[str, str]]:
    """(anchor, text) of the chapter's h2 sections for the table of contents."""
    found = []
    for h2 in chapter.article.iter("h2"):
        anchor = h2.get("id")
        if anchor and anchor != f"{chapter.slug}--{REFERENCES[0]}":
            found.append((anchor, " ".join(h2.text_content().split())))
    return found


def table_of_contents(chapters: list[Chapter]) -> lxml.html.HtmlElement:
    """The contents: chapters grouped by nav section, with their sections; page numbers
    come from the stylesheet (target-counter)."""
    nav = lxml.html.Element("nav", {"class": "toc", "id": "_contents"})
    title = etree.SubElement(nav, "h1", {"class": "toc-title"})
    title.text = "Contents"
    current_part = object()
    listing = None
    for chapter in chapters:
        if chapter.part != current_part or listing is None:
            current_part = chapter.part
            if chapter.part:
                part = etree.SubElement(nav, "p", {"class": "toc-part"})
                part.text = chapter.part
            listing = etree.SubElement(nav, "ol", {"class": "toc-chapters"})
        item = etree.SubElement(listing, "li", {"class": "toc-chapter"})
        link = etree.SubElement(item, "a", {"href": f"#{chapter.slug}"})
        link.text = chapter.title
        sections = headings(chapter)
        if sections:
            sublist = etree.SubElement(item, "ol", {"class": "toc-sections"})
            for anchor, text in sections:
                entry = etree.SubElement(etree.SubElement(sublist, "li", {"class": "toc-section"}), "a", {"href": f"#{anchor}"})
                entry.text = text
    return nav


def version() -> str:
    """``git describe --always --dirty`` of the repository, or "unversioned"."""
    try:
        result = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return "unversioned"
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else "unversioned"


def build_date() -> str:
    """Today (UTC), or the date of SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else datetime.now(timezone.utc)
    return moment.date().isoformat()


def cover(config: dict, built: str, revision: str) -> lxml.html.HtmlElement:
    """The cover page, from scripts/data/pdf/cover.html."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined)
    try:
        text = environment.get_template(COVER_TEMPLATE).render(
            title=BOOK_TITLE, paper=PAPER, our_note=" ".join(CALLOUT_BADGES["annotation"]), date=built, version=revision,
            site_url=config.get("site_url") or "", copyright=config.get("copyright") or "",
        )
    except jinja2.TemplateError as error:
        raise PdfError(f"{TEMPLATES / COVER_TEMPLATE}: {error}") from error
    return lxml.html.fragment_fromstring(text)


def assemble(chapters: list[Chapter], config: dict, built: str, revision: str) -> str:
    """The whole book as one HTML document."""
    html = lxml.html.fromstring('<html lang="en"><head><meta charset="utf-8"></head><body></body></html>')
    head, body = html.find("head"), html.find("body")
    etree.SubElement(head, "title").text = BOOK_TITLE
    for name, content in (
        ("author", config.get("site_author") or "The reading-notes contributors"),
        ("description", " ".join((config.get("site_description") or "").split())),
        ("keywords", "mesa-optimization, inner alignment, deceptive alignment, AI safety"),
        ("dcterms.created", built),
    ):
        etree.SubElement(head, "meta", {"name": name, "content": content})
    body.append(cover(config, built, revision))
    body.append(table_of_contents(chapters))
    for chapter in chapters:
        section = etree.SubElement(body, "section", {"class": f"chapter chapter-{chapter.slug}", "id": chapter.slug})
        article = chapter.article
        if article.text and article.text.strip():
            etree.SubElement(section, "p").text = article.text
        for child in list(article):
            section.append(child)
    return "<!DOCTYPE html>\n" + lxml.html.tostring(html, encoding="unicode")


def book_html(site_dir: Path, model: site_model.Site | None = None) -> tuple[str, list[Chapter]]:
    """Read the built site and return the book's HTML and its chapters.

    ``model`` is the site that was built (scripts/site.py; the repository's mkdocs.yml if None)."""
    model = site_model.load() if model is None else model
    config = model.config
    figure_css = FIGURE_STYLESHEET.read_text(encoding="utf-8")
    chapters = book_chapters(site_dir, model)
    for chapter in chapters:
        clean_chapter(chapter, figure_css, model.docs_dir)
    by_url = {normal_path(chapter.url): chapter for chapter in chapters}
    site_url = config.get("site_url") or ""
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    for chapter in chapters:
        rewrite_links(chapter, by_url, site_url)
        rewrite_sources(chapter)
        prefix_ids(chapter)
    return assemble(chapters, config, build_date(), version()), chapters


# --- Rendering ------------------------------------------------------------------------


class SiteFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only files inside the site and data: URLs.

    Everything else (http, https, files outside the site) is refused and recorded in
    ``refused``, so the PDF never loads anything from another host.
    """

    def __init__(self, site_dir: Path) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.root = Path(site_dir).resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if path.is_file() and path.is_relative_to(self.root):
                return super().fetch(url, headers)
            if path.is_relative_to(self.root):  # inside the site, but not there: say so
                missing = path.relative_to(self.root).as_posix()
                self.refused.append(missing)
                raise ValueError(f"no file {missing} in the built site: a page links or shows a file that is not in docs/")
        shown = url if len(url) <= 200 else url[:200] + "…"
        self.refused.append(shown)
        raise ValueError(f"refused to load {shown}: only files inside {self.root} may be loaded")


class WarningLog(logging.Handler):
    """Collects the warnings of WeasyPrint and of this module while it is attached."""

    LOGGERS = ("weasyprint", __name__)

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def __enter__(self) -> WarningLog:
        for name in self.LOGGERS:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        for name in self.LOGGERS:
            logging.getLogger(name).removeHandler(self)


@dataclass
class PdfResult:
    """What making the PDF produced."""

    path: Path
    pages: int
    refused: list[str]  # URLs the fetcher would not load
    warnings: list[str]


def render_pdf(html: str, site_dir: Path, target: Path) -> tuple[int, list[str]]:
    """Lay out the book with WeasyPrint and write it to ``target`` (atomically).

    Returns the number of pages and the URLs the fetcher refused.
    """
    fetcher = SiteFetcher(site_dir)
    base_url = site_dir.resolve().as_uri() + "/"
    stylesheet = CSS(string=STYLESHEET.read_text(encoding="utf-8"), base_url=base_url, url_fetcher=fetcher)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(stylesheets=[stylesheet])
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    document.write_pdf(partial, pdf_variant=PDF_VARIANT)  # tagged: headings, lists, tables, figures for screen readers
    partial.replace(target)
    return len(document.pages), fetcher.refused


def build_pdf(site_dir: Path, model: site_model.Site | None = None) -> PdfResult:
    """Assemble the book from a built site and render it into ``site_dir/pdf/``."""
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise PdfError(f"{site_dir}: no such folder (build the site first: make build)")
    target = site_dir / PDF_PATH
    with WarningLog() as warnings:
        html, _ = book_html(site_dir, model)
        pages, refused = render_pdf(html, site_dir, target)
    return PdfResult(target, pages, refused, warnings.messages)


def make_pdf(site_dir: Path, config_file: Path | None = None) -> int:
    """Make ``<site_dir>/pdf/risks-from-learned-optimization-notes.pdf``; 0 on success.

    ``config_file`` is the mkdocs.yml the site was built from (the repository's if None):
    its nav is the book's reading order.

    Warnings and refused URLs are printed to stderr; any failure is printed as
    ``pdf: error: …`` and returns 1, so it is never silent.
    """
    started = time.perf_counter()
    try:
        result = build_pdf(Path(site_dir), site_model.load(config_file))
    except (PdfError, site_model.SiteError) as error:
        print(f"pdf: error: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # WeasyPrint, lxml, the file system: report, never hide
        print(f"pdf: error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    for message in result.warnings:
        print(f"pdf: warning: {message}", file=sys.stderr)
    for url in result.refused:
        print(f"pdf: refused: {url}", file=sys.stderr)
    print(
        f"pdf: wrote {PDF_PATH.as_posix()} ({result.pages} pages, {result.path.stat().st_size // 1024} KiB) "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0
