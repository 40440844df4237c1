"""Our figures (issue 13): readable on a phone, whole on a desktop, whole in the PDF.

In a real Chromium, at 390 px and at 1280 px, on every page with a figure, light and dark:
no figure is wider than the column or scrolls sideways, no text in it renders under 9 CSS
px, no label is cut off at its edge or lies on another label, and its lines and labels
follow the theme. Screenshots of every figure go to test-artifacts/figures/.

In the PDF: every text of every figure survives WeasyPrint (it drops text between nested
<tspan>s), both on its own and in the book's pages, which are drawn to PNGs as well.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pytest
from pypdf import PdfReader

from browser_helpers import (
    DESKTOP,
    PHONE,
    ROOT,
    Recorder,
    nav_files,
    page_id,
    page_url,
)
from scripts import figures
from scripts import pdf as book
from scripts import site as site_model
from scripts.figures import prepare_svg, screen_figures
from scripts.findings import InputError

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in requirements.txt: run `make setup`")

DOCS = ROOT / "docs"
FIGURES = DOCS / "assets" / "figures"
SVG_NS = "{http://www.w3.org/2000/svg}"
SCHEMES = {"light": "default", "dark": "slate"}
DEVICES = {"phone": PHONE, "desktop": DESKTOP}
MIN_TEXT_PX = 9
FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1", re.MULTILINE | re.DOTALL)
TIMEOUT_MS = 10_000


def figures_by_page() -> dict[str, list[str]]:
    """Nav page (Markdown source) -> the figures it shows, in order, from the Markdown."""
    found = {}
    for src in nav_files():
        text = FENCE.sub("", (DOCS / src).read_text(encoding="utf-8"))  # an example in a code block is not shown
        names = re.findall(r"!\[[^\]]*\]\([^)]*assets/figures/([\w-]+)\.svg\)", text)
        if names:
            found[src] = names
    return found


FIGURE_PAGES = figures_by_page()
ALL_FIGURES = sorted(p.stem for p in FIGURES.glob("*.svg"))


def test_every_figure_is_shown_somewhere():
    """So that the tests below, which walk the pages, see every figure."""
    shown = {name for names in FIGURE_PAGES.values() for name in names}
    assert shown == set(ALL_FIGURES)


def test_the_root_keeps_its_classes_and_the_page_names_the_figure():
    out = prepare_svg('<svg class="x" viewBox="0 0 1 1"><title>T</title><desc>D</desc><text>t</text></svg>', "figure-9", "Alt")
    assert out == '<svg class="figure-svg x" role="img" aria-label="Alt" viewBox="0 0 1 1"><text>t</text></svg>'


def test_nested_tspans_stop_the_build_with_file_line_and_column(tmp_path: Path):
    figures = tmp_path / "assets" / "figures"
    figures.mkdir(parents=True)
    (figures / "bad.svg").write_text('<svg>\n<text>a<tspan>b <tspan dy="4">c</tspan> d</tspan></text>\n</svg>', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        screen_figures('<p><img alt="A" src="../assets/figures/bad.svg" /></p>', tmp_path / "notes")
    assert caught.value.finding.format().endswith(":2:17: figure-nested-tspan: a <tspan> inside another <tspan> loses its text in the PDF; make them siblings")
    assert caught.value.finding.path.endswith("assets/figures/bad.svg")
    siblings = '<svg><text>a<tspan>b</tspan> → <tspan dy="4">c</tspan></text></svg>'
    (figures / "good.svg").write_text(siblings, encoding="utf-8")
    assert 'src="assets/figures/good.svg#only-dark"' in screen_figures('<img alt="A" src="assets/figures/good.svg">', tmp_path)


# --------------------------------------------------------------------------- browser


PAGE_JS = """(img) => {
    const r = img.getBoundingClientRect();
    const figure = img.closest('figure');
    const column = img.closest('article').getBoundingClientRect();
    return {
        loaded: img.complete && img.naturalWidth > 0, src: img.getAttribute('src'),
        alt: img.getAttribute('alt') || '',
        left: r.left, right: r.right, width: r.width, height: r.height,
        columnLeft: column.left, columnRight: column.right,
        scrollWidth: figure.scrollWidth, clientWidth: figure.clientWidth,
        text: getComputedStyle(img.closest('article')).color,
    };
}"""

# Run in the figure's own file, opened at the image's fragment in a window of the image's
# size, with the root's width and height taken off: the drawing then fills the window as
# it fills the image's box on the page (an image's SVG is laid out in the box it is given),
# so its own stylesheet sees the same shape and picks the same layout.
DRAWING_JS = """() => {
    const svg = document.documentElement;
    svg.removeAttribute('width');
    svg.removeAttribute('height');
    const drawn = [...svg.querySelectorAll('text, tspan')].filter(t => t.getClientRects().length);
    const sizes = drawn.map(t => {
        const m = t.getScreenCTM();  // the drawing's scale, with any transform of the narrow layout
        return {text: t.textContent.trim(), px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)};
    });
    const boxes = drawn.filter(t => t.tagName === 'text').map(t => ({text: t.textContent.trim(), b: t.getBoundingClientRect()}));
    const overlaps = [], clipped = [];
    boxes.forEach((p, i) => boxes.slice(i + 1).forEach(q => {
        const w = Math.min(p.b.right, q.b.right) - Math.max(p.b.left, q.b.left);
        const h = Math.min(p.b.bottom, q.b.bottom) - Math.max(p.b.top, q.b.top);
        if (w > 2 && h > 2) overlaps.push(`"${p.text}" and "${q.text}" (${w.toFixed(0)} x ${h.toFixed(0)} px)`);
    }));
    boxes.forEach(({text, b}) => {
        if (b.left < -1 || b.top < -1 || b.right > innerWidth + 1 || b.bottom > innerHeight + 1)
            clipped.push(`"${text}" spans x ${b.left.toFixed(0)}..${b.right.toFixed(0)}, y ${b.top.toFixed(0)}..${b.bottom.toFixed(0)} `
                         + `outside the image's ${innerWidth} x ${innerHeight} px`);
    });
    const muted = svg.querySelector('.fig-muted');
    return {sizes, overlaps, clipped, color: getComputedStyle(svg).color, muted: muted ? getComputedStyle(muted).fill : null};
}"""


def figure_problems(m: dict) -> list[str]:
    """What a reader would suffer from one measured figure (its image on the page, ``m``,
    and its drawing, ``m["drawing"]``)."""
    out = []
    if not m["loaded"]:
        out.append(f"its image {m['src']} did not load")
    if not m["alt"]:
        out.append("its image has no alt text")
    if m["width"] < 100:
        out.append(f"it is only {m['width']:.0f} px wide")
    if m["left"] < m["columnLeft"] - 1 or m["right"] > m["columnRight"] + 1:
        out.append(f"it spans x {m['left']:.0f}..{m['right']:.0f}, outside the column {m['columnLeft']:.0f}..{m['columnRight']:.0f}")
    if m["scrollWidth"] > m["clientWidth"] + 1:
        out.append(f"it scrolls sideways: {m['scrollWidth']} px of drawing in a {m['clientWidth']} px box")
    d = m["drawing"]
    small = sorted((s for s in d["sizes"] if s["px"] < MIN_TEXT_PX), key=lambda s: s["px"])
    if small:
        shown = ", ".join(f'"{s["text"]}" {s["px"]:.1f} px' for s in small[:5])
        out.append(f"{len(small)} texts under {MIN_TEXT_PX} px: {shown}")
    if not d["sizes"]:
        out.append("no text is drawn")
    out += [f"labels overlap: {o}" for o in d["overlaps"]]
    out += [f"clipped: {c}" for c in d["clipped"]]
    if d["color"] != m["text"]:
        out.append(f"its lines and labels are {d['color']}, not the text colour {m['text']}")
    return out


def measure_drawing(browser, base: str, measured: dict) -> dict:
    """DRAWING_JS in the figure's file, at the image's fragment and size. Not in a phone's
    context: a document without a viewport tag gets a phone's 980 px wide layout there,
    where an image is drawn at the size of its box."""
    from urllib.parse import urljoin

    context = browser.new_context(viewport={"width": round(measured["width"]), "height": round(measured["height"])})
    try:
        recorder = Recorder()
        recorder.attach(context)
        page = context.new_page()
        response = page.goto(urljoin(base, measured["src"]), wait_until="load")
        assert response is not None and response.status == 200, measured["src"]
        drawing = page.evaluate(DRAWING_JS)
        assert recorder.problems() == [], recorder.problems()
        return drawing
    finally:
        context.close()


def screenshot(page, img, path: Path, viewport: dict) -> None:
    """The figure and a little around it, scrolled clear of the sticky header."""
    figure = img.locator("xpath=ancestor::figure[1]")
    top = figure.evaluate("e => e.getBoundingClientRect().top + window.scrollY")
    page.evaluate("(y) => window.scrollTo(0, y)", max(0, top - 70))
    page.wait_for_timeout(300)
    box = figure.bounding_box()
    y = max(0, box["y"] - 4)
    page.screenshot(path=str(path), animations="disabled",
                    clip={"x": 0, "y": y, "width": viewport["width"], "height": min(box["height"] + 8, viewport["height"] - y)})


@pytest.mark.parametrize("device", list(DEVICES))
@pytest.mark.parametrize("src", list(FIGURE_PAGES), ids=[page_id(page_url(s)) for s in FIGURE_PAGES])
def test_figures_fit_and_read_well(browser, base_url: str, artifacts: Path, src: str, device: str):
    """At 390 px every figure fits the column (no sideways scrolling) with text of at least
    9 px; at 1280 px too. No label is cut off or lies on another; lines and labels take the
    theme's text colour in light and dark, and the page shows one image per figure, the
    one of its colour scheme. Screenshots: test-artifacts/figures/."""
    viewport, phone = DEVICES[device], device == "phone"
    folder = artifacts / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    problems, colours = [], {}
    for scheme in SCHEMES:
        context = browser.new_context(viewport=viewport, color_scheme=scheme, is_mobile=phone, has_touch=phone)
        context.set_default_timeout(TIMEOUT_MS)
        recorder = Recorder()
        recorder.attach(context)
        try:
            page = context.new_page()
            response = page.goto(base_url + page_url(src), wait_until="networkidle")
            assert response is not None and response.status == 200
            assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]
            images = page.locator("article figure img.figure-img")
            shown = [images.nth(i) for i in range(images.count()) if images.nth(i).is_visible()]
            assert len(shown) == len(FIGURE_PAGES[src]), f"{src}: {len(shown)} figures shown, the Markdown shows {len(FIGURE_PAGES[src])}"
            assert images.count() == 2 * len(shown), f"{src}: not one image per colour scheme for each figure"
            for img, name in zip(shown, FIGURE_PAGES[src]):
                img.scroll_into_view_if_needed()
                measured = img.evaluate(PAGE_JS)
                assert measured["src"].endswith(f"{name}.svg#only-{scheme}"), measured["src"]
                measured["drawing"] = measure_drawing(browser, page.url, measured)
                problems += [f"{name} ({scheme}): {p}" for p in figure_problems(measured)]
                colours.setdefault(name, {})[scheme] = (measured["drawing"]["color"], measured["drawing"]["muted"])
                screenshot(page, img, folder / f"{name}-{viewport['width']}-{scheme}.png", viewport)
            problems += [f"{scheme}: {p}" for p in recorder.problems()]
        finally:
            context.close()
    for name, by_scheme in colours.items():
        if by_scheme["light"] == by_scheme["dark"]:
            problems.append(f"{name}: the same colours in light and dark mode: {by_scheme['light']}")
    if problems:
        pytest.fail(f"/{page_url(src)} at {viewport['width']} px:\n  " + "\n  ".join(problems), pytrace=False)


# --------------------------------------------------------------------------- PDF


def squeeze(text: str) -> str:
    """Text without whitespace (the PDF breaks lines where the SVG does not), ligatures undone."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).replace("\u00ad", ""))


def figure_texts(name: str) -> list[str]:
    """The texts a figure draws in print, in drawing order: not those of its narrow layout
    (display="none"), and those of a <use> where it is used."""
    root = ET.parse(FIGURES / f"{name}.svg").getroot()
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    found = []

    def walk(element, in_use=False):
        tag = element.tag.removeprefix(SVG_NS)
        if element.get("display") == "none" or tag in ("title", "desc", "style") or (tag == "defs" and not in_use):
            return
        if tag == "text":
            found.append("".join(element.itertext()))
        elif tag == "use":
            walk(by_id[element.get("href").lstrip("#")], in_use=True)
        else:
            for child in element:
                walk(child, in_use)

    walk(root)
    return [t for t in (squeeze(t) for t in found) if t]


def pdf_pages(path: Path) -> list[str]:
    return [squeeze(page.extract_text() or "") for page in PdfReader(path).pages]


def test_figure_texts_are_read_from_the_drawings():
    """The helper the PDF tests rely on: the alignment map's proxy rows, arrows included."""
    texts = figure_texts("figure-alignment-map")
    assert "Omesa→Obase" in texts and "Obase→Omesa" in texts and "X→OmesaandX→Obase" in texts
    assert figure_texts("figure-3").count("A") == 5  # one per grid, through <use>


@pytest.mark.parametrize("name", ALL_FIGURES)
def test_print_keeps_every_text_of_the_figure(tmp_path: Path, name: str):
    """The figure alone, inlined as on its page and made ready for print by scripts/pdf.py,
    rendered by WeasyPrint: every text it draws is in the PDF's text."""
    svg = prepare_svg((FIGURES / f"{name}.svg").read_text(encoding="utf-8"), name, f"{name} alone")
    article = lxml.html.fromstring(f"<article><figure>{svg}</figure></article>")
    book.style_figures(article, book.FIGURE_STYLESHEET.read_text(encoding="utf-8"))
    html = f"<!DOCTYPE html><html><body>{lxml.html.tostring(article, encoding='unicode')}</body></html>"
    book.render_pdf(html, tmp_path, tmp_path / "figure.pdf")
    text = "".join(pdf_pages(tmp_path / "figure.pdf"))
    missing = [t for t in figure_texts(name) if t not in text]
    assert not missing, f"{name}: lost in print: {missing} (the PDF has: {text[:300]})"


def test_the_book_keeps_the_figures_labels(site: Path, artifacts: Path, tmp_path: Path):
    """The book's chapters that hold figures, as scripts/pdf.py makes them: each figure's texts,
    in drawing order, are on one page of the PDF, so the alignment map's O_mesa → O_base and
    O_base → O_mesa are there. The pages are drawn to test-artifacts/figures/pdf-*.png."""
    model = site_model.load(nav=[{"Notes": list(FIGURE_PAGES)}])  # the real config, a nav of only these pages
    html, chapters = book.book_html(site, model)
    assert [c.src for c in chapters] == list(FIGURE_PAGES)
    target = tmp_path / "figures.pdf"
    book.render_pdf(html, site, target)
    pages = pdf_pages(target)
    problems, shown = [], {}
    for name in (n for names in FIGURE_PAGES.values() for n in names):
        block = "".join(figure_texts(name))
        where = [i for i, text in enumerate(pages) if block in text]
        if where:
            shown[name] = where[0]
        else:
            best = max(range(len(pages)), key=lambda i: sum(t in pages[i] for t in figure_texts(name)))
            problems.append(f"{name}: no page holds all its texts in order; missing on page {best + 1}: "
                            f"{[t for t in figure_texts(name) if t not in pages[best]]}")
    assert not problems, "\n".join(problems)
    if shutil.which("pdftoppm"):
        (artifacts / "figures").mkdir(parents=True, exist_ok=True)
        for name, index in shown.items():
            subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", str(index + 1), "-l", str(index + 1),
                            str(target), str(artifacts / "figures" / f"pdf-{name}")], check=True)


def test_the_figures_colours_are_the_palettes(site: Path):
    """The figures' own stylesheet writes out Material's colours (an image sees no page
    style): the primary and accent colours of mkdocs.yml's palette, as Material defines them."""
    css = figures.SCREEN_CSS.read_text(encoding="utf-8")
    palette_css = next((site / "assets" / "stylesheets").glob("palette.*.min.css")).read_text(encoding="utf-8")
    schemes = {entry.get("scheme"): entry for entry in site_model.load().config["theme"]["palette"] if entry.get("scheme")}
    primary = re.search(rf"\[data-md-color-primary={schemes['default']['primary']}\]\{{[^}}]*--md-primary-fg-color:(#[0-9a-f]+)", palette_css)
    accent = re.search(rf"\[data-md-color-accent={schemes['slate']['accent'].replace(' ', '-')}\]\{{[^}}]*--md-accent-fg-color:(#[0-9a-f]+)", palette_css)
    assert primary and accent, "Material's palette stylesheet no longer defines the palette's colours this way"
    assert f".fig-accent {{ fill: color-mix(in srgb, {primary.group(1)} 22%" in css
    assert f"svg:has(#only-dark:target) .fig-accent {{ fill: color-mix(in srgb, {accent.group(1)} 30%" in css
