"""The EPUB 3 of the whole book, for e-readers, made by pandoc from the PDF's own assembly.

``make_epub(site_dir)`` takes the one HTML document scripts/pdf.py assembles from the
built site (:func:`scripts.pdf.book_html`: the chapters in nav order, ids prefixed with
their chapter, links pointing inside the book, callouts opened and labelled) and adapts
it for pandoc's EPUB writer:

- the PDF's cover page and page-numbered contents go: the EPUB has its own cover image,
  title page and navigation document, which pandoc builds from the same chapters and
  their sections (h1 and h2, without each chapter's References, as in the PDF);
- each chapter's ``<section>`` is unwrapped so that pandoc starts a new file at its h1,
  and the chapter's id moves into the h1;
- ids on elements whose attributes pandoc drops (paragraphs, footnote marks, definition
  terms…) move onto an empty ``<span>`` inside them, so every link still has a target;
- each inline SVG figure becomes an SVG file shown by an ``<img>`` whose alt text is the
  figure's accessible name (SVG names are case-sensitive; the HTML parser lowered them);
- an image whose file is missing stops the build with the chapter and the file.

pandoc writes the EPUB to a temporary name, EPUBCheck (when installed) must report no
error and no warning, and only then is it renamed to
``<site_dir>/epub/risks-from-learned-optimization-notes.epub``: a failed build leaves the
last good EPUB in place.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from . import downloads
from . import pdf as book
from . import site as site_model
from .template import BOOK_TITLE, PAPER, REFERENCES

EPUB_PATH = Path(downloads.BY_KEY["epub"].path)
DATA = Path(__file__).parent / "data" / "epub"
STYLESHEET = DATA / "epub.css"
EPUBCHECK_JARS = (Path("/usr/share/java/epubcheck.jar"),)  # Debian's epubcheck package
LANGUAGE = "en"
SUBTITLE = "Section-by-section notes, a glossary and a bibliography for “{title}” ({authors}, {year}; arXiv:{arxiv})"

# Elements whose id pandoc keeps (as a section, div, span, link, figure, table, image…).
KEEPS_ID = {"h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "span", "a", "img", "pre", "code", "li"}
# Blocks whose id pandoc keeps but does not follow across chapter files: wrapped in a div.
WRAP_ID = {"figure", "table", "blockquote"}
VOID = {"br", "hr", "img", "input", "wbr", "col"}
# Where an id of a container goes: into its first item.
CONTAINERS = {"ul", "ol", "dl", "thead", "tbody", "tfoot", "tr", "colgroup"}

# The HTML parser lowers every name; SVG's mixed-case names (from the HTML standard's
# "adjust SVG attributes" and tag-name tables) are restored before a figure is written.
SVG_TAGS = {name.lower(): name for name in (
    "altGlyph altGlyphDef altGlyphItem animateColor animateMotion animateTransform clipPath feBlend "
    "feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap "
    "feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge "
    "feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence "
    "foreignObject glyphRef linearGradient radialGradient textPath"
).split()}
SVG_ATTRIBUTES = {name.lower(): name for name in (
    "attributeName attributeType baseFrequency baseProfile calcMode clipPathUnits diffuseConstant edgeMode "
    "filterUnits glyphRef gradientTransform gradientUnits kernelMatrix kernelUnitLength keyPoints keySplines "
    "keyTimes lengthAdjust limitingConeAngle markerHeight markerUnits markerWidth maskContentUnits maskUnits "
    "numOctaves pathLength patternContentUnits patternTransform patternUnits pointsAtX pointsAtY pointsAtZ "
    "preserveAlpha preserveAspectRatio primitiveUnits refX refY repeatCount repeatDur requiredExtensions "
    "requiredFeatures specularConstant specularExponent spreadMethod startOffset stdDeviation stitchTiles "
    "surfaceScale systemLanguage tableValues targetX targetY textLength viewBox viewTarget xChannelSelector "
    "yChannelSelector zoomAndPan"
).split()}
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# SVG attributes that only mean something on a web page (accessibility is the img's alt).
SVG_DROPPED = {"role", "aria-label", "aria-hidden", "focusable", "tabindex"}


class EpubError(Exception):
    """The EPUB cannot be made; the message names the file and the reason."""


@dataclass
class EpubResult:
    path: Path
    chapters: int
    figures: int
    checked: str  # what EPUBCheck said, or why it did not run


# --- Adapting the assembled book ---------------------------------------------------------


def chapter_of(element, sources: dict[str, str]) -> str:
    """The Markdown source of the chapter an element is in (for error messages)."""
    for ancestor in element.iterancestors("section"):
        if ancestor.get("id") in sources:
            return sources[ancestor.get("id")]
    return "the book"


def move_id_into_span(element) -> None:
    """Put an element's id on an empty span inside it (or before it, if it is void)."""
    anchor_id = element.attrib.pop("id")
    target = element
    while target.tag in CONTAINERS and len(target) and isinstance(target[0].tag, str):
        target = target[0]
    span = lxml.html.Element("span", {"id": anchor_id})
    if target.tag in VOID or target.tag == "svg":
        target.addprevious(span)
        return
    span.tail = target.text
    target.text = None
    target.insert(0, span)


def svg_markup(svg) -> str:
    """A standalone SVG file for an inline figure, with SVG's names in their own case."""
    copy = etree.fromstring(lxml.html.tostring(svg, encoding="unicode"), etree.HTMLParser()).find(".//svg")
    out = etree.Element(f"{{{SVG_NS}}}svg", nsmap={None: SVG_NS, "xlink": XLINK_NS})

    def convert(source, target) -> None:
        for name, value in source.attrib.items():
            if name in SVG_DROPPED or name.startswith("xmlns") or (source is copy and name == "class"):
                continue
            if name == "xlink:href":
                target.set(f"{{{XLINK_NS}}}href", value)
            elif name.startswith("xml:"):
                target.set(f"{{http://www.w3.org/XML/1998/namespace}}{name[4:]}", value)
            elif ":" not in name:
                target.set(SVG_ATTRIBUTES.get(name, name), value)
        target.text = source.text
        for child in source:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "a":  # a link inside an image cannot be followed: keep its drawing
                holder = etree.SubElement(target, f"{{{SVG_NS}}}g")
            else:
                holder = etree.SubElement(target, f"{{{SVG_NS}}}{SVG_TAGS.get(child.tag, child.tag)}")
            convert(child, holder)
            holder.tail = child.tail

    convert(copy, out)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(out, encoding="unicode")


def extract_figures(body, folder: Path) -> int:
    """Write each inline SVG to folder/figures/ and show it with an <img> and its alt text."""
    count = 0
    (folder / "figures").mkdir(parents=True, exist_ok=True)
    for svg in list(body.iter("svg")):
        if svg.getparent() is None or any(a.tag == "svg" for a in svg.iterancestors()):
            continue
        count += 1
        name = f"figures/figure-{count}.svg"
        (folder / name).write_text(svg_markup(svg), encoding="utf-8")
        alt = " ".join((svg.get("aria-label") or "").split())
        img = lxml.html.Element("img", {"src": name, "alt": alt, "class": "figure"})
        if svg.get("id"):
            img.set("id", svg.get("id"))
        img.tail = svg.tail
        svg.getparent().replace(svg, img)
    return count


def check_images(body, site_dir: Path, sources: dict[str, str]) -> list[str]:
    """Every <img> must be a local file (in the site, or a figure just written)."""
    problems = []
    for img in body.iter("img"):
        src = img.get("src") or ""
        if src.startswith("figures/"):
            continue
        parts = urlsplit(src)
        where = chapter_of(img, sources)
        if parts.scheme or parts.netloc:
            problems.append(f"{where}: the image {src} is not a file of the site (an EPUB carries its images)")
        elif not (site_dir / unquote(parts.path)).is_file():
            problems.append(f"{where}: the image {src} is missing from the built site")
    return problems


def epub_document(book_html: str, chapters: list[book.Chapter], site_dir: Path, folder: Path) -> tuple[str, int]:
    """The book's HTML as pandoc should read it, and how many figures it has."""
    root = lxml.html.fromstring(book_html)
    body = root.find("body")
    sources = {chapter.slug: chapter.src for chapter in chapters}
    for unwanted in body.xpath('./section[@id="_cover"] | ./nav[@id="_contents"]'):
        body.remove(unwanted)
    figures = extract_figures(body, folder)
    problems = check_images(body, site_dir, sources)
    if problems:
        raise EpubError("\n  ".join(["images the EPUB cannot carry:", *problems]))
    for img in body.iter("img"):  # the pages' own images, at their site paths
        src = unquote(urlsplit(img.get("src") or "").path)
        if not src.startswith("figures/"):
            (folder / src).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(site_dir / src, folder / src)
    for section in body.xpath('./section[contains(concat(" ", @class, " "), " chapter ")]'):
        h1 = section.find(".//h1")
        if h1 is None:
            raise EpubError(f"{sources.get(section.get('id'), section.get('id'))}: the chapter has no h1")
        if h1.get("id"):  # the h1's own id stays on its text (an empty span would be an empty nav entry)
            span = lxml.html.Element("span", {"id": h1.attrib.pop("id")})
            span.text, h1.text = h1.text, None
            for child in list(h1):
                span.append(child)
            h1.append(span)
        h1.set("id", section.get("id"))
        for h2 in section.iter("h2"):
            if (h2.get("id") or "").endswith("--" + REFERENCES[0]):
                h2.set("class", " ".join([*(h2.get("class") or "").split(), "unlisted"]))  # not in the contents, as in the PDF
        at = body.index(section)
        body[at : at + 1] = list(section)
    for element in list(body.iter(tag=etree.Element)):
        if element.get("id") and element.tag in WRAP_ID:
            wrapper = lxml.html.Element("div", {"id": element.attrib.pop("id")})
            element.addprevious(wrapper)
            wrapper.append(element)  # moves the element, and its tail, into the div
            wrapper.tail, element.tail = element.tail, None
        elif element.get("id") and element.tag not in KEEPS_ID:
            move_id_into_span(element)
    for link in body.iter("a"):
        if link.get("title") == "":
            del link.attrib["title"]
    return "<!DOCTYPE html>\n" + lxml.html.tostring(root, encoding="unicode"), figures


# --- Cover and metadata -----------------------------------------------------------------


def book_identifier(config: dict) -> str:
    """A stable identifier for this book: a name-based UUID of the site's address."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, (config.get("site_url") or BOOK_TITLE) + EPUB_PATH.as_posix()))


def cover_svg() -> str:
    """The cover image: the title and the paper, in SVG (no fonts to ship)."""
    main, _, rest = BOOK_TITLE.partition(" — ")
    texts, y = [], 110
    for part in wrap(main, 13):
        y += 70
        texts.append(f'<text x="60" y="{y}" font-size="60" fill="#1a237e" font-weight="bold">{html.escape(part)}</text>')
    y += 62
    texts.append(f'<text x="60" y="{y}" font-size="40" fill="#3949ab">{html.escape(rest or "Reading notes")}</text>')
    paper = PAPER
    y += 80
    for part in wrap(f"on “{paper['title']}”", 32):
        texts.append(f'<text x="60" y="{y}" font-size="30" fill="#212121">{html.escape(part)}</text>')
        y += 40
    y += 30
    for part in wrap(f"{paper['authors']}, {paper['year']}, arXiv:{paper['arxiv']}", 40):
        texts.append(f'<text x="60" y="{y}" font-size="24" fill="#424242">{html.escape(part)}</text>')
        y += 32
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="900" viewBox="0 0 600 900">'
        f"<title>{html.escape(BOOK_TITLE)}</title>"
        '<rect width="600" height="900" fill="#e8eaf6"/><rect x="0" y="0" width="24" height="900" fill="#3949ab"/>'
        '<g font-family="serif">' + "".join(texts) + "</g></svg>\n"
    )


def wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + ([line] if line else [])


def metadata_xml(config: dict, built: str) -> str:
    """Dublin Core metadata for pandoc's --epub-metadata: the paper is the book's source.
    (The title, language and date are given to pandoc as metadata, and the notes' authors
    come from the assembled book's ``<meta name="author">``.)"""
    paper = PAPER
    fields = [
        ("identifier", book_identifier(config), ' id="BookId"'),
        ("source", f"arXiv:{paper['arxiv']}", ""),
        ("relation", f"https://arxiv.org/abs/{paper['arxiv']}", ""),
        ("description", " ".join((config.get("site_description") or "").split()), ""),
        ("subject", "AI safety", ""),
        ("rights", " ".join((config.get("copyright") or "").split()), ""),
    ]
    return "\n".join(f"<dc:{name}{extra}>{html.escape(value)}</dc:{name}>" for name, value, extra in fields if value) + "\n"


# --- pandoc and EPUBCheck -----------------------------------------------------------------


def pandoc_path() -> str:
    import pypandoc

    try:
        return pypandoc.get_pandoc_path()
    except OSError as error:
        raise EpubError(f"pandoc is not available (pypandoc-binary, requirements.txt): {error}") from error


def run_pandoc(folder: Path, target: Path, config: dict, built: str) -> None:
    """pandoc: book.html in ``folder`` -> ``target``; any warning is an error."""
    command = [
        pandoc_path(), "book.html", "--from=html", "--to=epub3", f"--output={target}",
        "--split-level=1", "--toc-depth=2", "--wrap=none",
        f"--css={STYLESHEET}", "--epub-cover-image=cover.svg", "--epub-metadata=metadata.xml",
        "--resource-path=.", f"--metadata=title:{BOOK_TITLE}", f"--metadata=subtitle:{SUBTITLE.format(**PAPER)}",
        f"--metadata=lang:{LANGUAGE}", f"--metadata=date:{built}",
        "--fail-if-warnings",
    ]
    try:
        result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.SubprocessError) as error:
        raise EpubError(f"pandoc could not run: {error}") from error
    if result.returncode != 0:
        raise EpubError(f"pandoc failed (exit {result.returncode}):\n{result.stderr.strip()}")


def epubcheck_command() -> list[str] | None:
    """How to run EPUBCheck: $EPUBCHECK (a jar or a command), else Debian's jar with java."""
    named = os.environ.get("EPUBCHECK")
    java = shutil.which("java")
    if named:
        return ["java", "-jar", named] if named.endswith(".jar") else [named]
    for jar in EPUBCHECK_JARS:
        if jar.is_file() and java:
            return [java, "-jar", str(jar)]
    return None


@dataclass
class CheckReport:
    returncode: int
    messages: list[str]  # ERROR / WARNING / FATAL lines
    output: str


def epubcheck(path: Path) -> CheckReport:
    """Run EPUBCheck on an EPUB; raise EpubError if it is not installed."""
    command = epubcheck_command()
    if command is None:
        raise EpubError("EPUBCheck is not installed (apt-get install epubcheck; .ci/run does it)")
    result = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    messages = [line.strip() for line in output.splitlines() if re.match(r"\s*(ERROR|WARNING|FATAL|USAGE)\(", line)]
    return CheckReport(result.returncode, messages, output)


# --- The whole step ---------------------------------------------------------------------


def build_epub(site_dir: Path, model: site_model.Site | None = None, check: bool = True) -> EpubResult:
    """Assemble the book from a built site and write ``site_dir/epub/…epub``.

    ``model`` is the site that was built (scripts/site.py; the repository's mkdocs.yml if None)."""
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise EpubError(f"{site_dir}: no such folder (build the site first: make build)")
    model = site_model.load() if model is None else model
    config = model.config
    try:
        assembled, chapters = book.book_html(site_dir, model)
    except book.PdfError as error:  # the shared assembly says which page and why
        raise EpubError(str(error)) from error
    built = book.build_date()
    target = site_dir / EPUB_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".epub-", dir=target.parent))
    try:
        document, figures = epub_document(assembled, chapters, site_dir, work)
        (work / "book.html").write_text(document, encoding="utf-8")
        (work / "cover.svg").write_text(cover_svg(), encoding="utf-8")
        (work / "metadata.xml").write_text(metadata_xml(config, built), encoding="utf-8")
        partial = work / f"{target.name}.partial.epub"
        run_pandoc(work, partial, config, built)
        checked = "not checked"
        if check:
            command = epubcheck_command()
            if command is None:
                checked = "EPUBCheck is not installed: not checked (apt-get install epubcheck)"
            else:
                report = epubcheck(partial)
                if report.returncode != 0 or report.messages:
                    shown = "\n  ".join(report.messages[:40] or report.output.strip().splitlines()[-20:])
                    shown = shown or f"EPUBCheck ({' '.join(epubcheck_command())}) exited {report.returncode} without a message"
                    raise EpubError(f"{EPUB_PATH.as_posix()}: EPUBCheck found problems:\n  {shown}")
                checked = "EPUBCheck: no errors or warnings"
        partial.replace(target)
        return EpubResult(target, len(chapters), figures, checked)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def make_epub(site_dir: Path, check: bool = True, config_file: Path | None = None) -> int:
    """Make ``<site_dir>/epub/risks-from-learned-optimization-notes.epub``; 0 on success.

    ``config_file`` is the mkdocs.yml the site was built from (the repository's if None).

    Any failure is printed as ``epub: error: …`` (the file and the reason) and returns 1;
    the last good EPUB stays where it was.
    """
    started = time.perf_counter()
    try:
        result = build_epub(Path(site_dir), site_model.load(config_file), check=check)
    except (EpubError, site_model.SiteError) as error:
        print(f"epub: error: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # lxml, the file system: report, never hide
        print(f"epub: error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(
        f"epub: wrote {EPUB_PATH.as_posix()} ({result.chapters} chapters, {result.figures} figures, "
        f"{result.path.stat().st_size // 1024} KiB; {result.checked}) in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0
