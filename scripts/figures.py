"""Our SVG figures: an image file on the site, inline SVG in the PDF and the EPUB.

On the site a figure is an ``<img>`` of its SVG file, not inline SVG: an image is one
element of the page, drawn apart from it, where an inline drawing adds every one of its
shapes and labels to the page's elements and to its style and layout work. The build
writes each file with a small stylesheet of its own (scripts/data/figures/screen.css:
the theme's colours, written out, and the narrow layout), and each page shows the file
twice, ``…svg#only-light`` and ``…svg#only-dark``: Material shows the one that fits the
reader's colour scheme, and the file takes its dark colours when opened at
``#only-dark`` (CSS ``:target``). The PDF and the EPUB put the drawing inline again
(:func:`print_figures`), where their own stylesheet colours it.

A figure may hold two layouts of the same elements, so that a phone needs no second copy:

- the wide layout is the drawing as written; its ``width`` and ``height`` give its size
  and shape, and the PDF and wide screens show it;
- the narrow layout is written beside it in custom properties: ``--narrow: 468 / 570``
  on the root (the narrow layout's shape), ``--move: translate(-372px, 200px)`` on a
  group or text, ``--width`` on a rect, and the classes ``wide`` and ``narrow`` (a
  ``narrow`` element also carries ``display="none"``, so the PDF leaves it out). Below
  45em docs/assets/stylesheets/extra.css gives the image the narrow shape, and the
  file's own stylesheet, seeing a box of that shape, applies the rest;
- the ``viewBox`` is the part both layouts share, with
  ``preserveAspectRatio="xMinYMin meet"``: it fixes the scale (the layout's width fills
  the column), and the rest of either layout is drawn beyond it, inside the SVG's box.

Text in nested ``<tspan>``s is refused: WeasyPrint drops the text between them in the
PDF (``O<tspan>mesa</tspan> → …`` inside another tspan lost its arrow). Use sibling
tspans, each with its own attributes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from . import ROOT, limits, sanitize
from .findings import Finding, InputError

IMG = re.compile(r'<img\s+([^>]*?)src="([^"]*?assets/figures/([\w-]+)\.svg)"([^>]*?)/?>')
# A figure as screen_figures writes it: the light image, then the dark one.
SCREEN_IMG = re.compile(r'<img class="figure-img" src="([^"]*?assets/figures/([\w-]+)\.svg)#only-light" alt="([^"]*)"[^>]*>'
                        r'<img class="figure-img" src="[^"]*?#only-dark"[^>]*>')
SCREEN_CSS = Path(__file__).parent / "data" / "figures" / "screen.css"
MARKERS = '<g id="only-light"/><g id="only-dark"/>'  # the targets of the two images' fragments
SIZE = re.compile(r'\s(width|height)="([\d.]+)"')  # not stroke-width
NARROW = re.compile(r"--narrow:\s*([\d.]+)\s*/\s*([\d.]+)")
ALT = re.compile(r'alt="([^"]*)"')
XML_DECL = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*")
DESC = re.compile(r"\s*<(desc|title)>.*?</\1>", re.DOTALL)
COMMENT = re.compile(r"\s*<!--.*?-->", re.DOTALL)
ID = re.compile(r'\bid="([^"]+)"')
ROOT_TAG = re.compile(r"<svg\b[^>]*>")
CLASS = re.compile(r'\sclass="([^"]*)"')
TSPAN_TAG = re.compile(r"<(/?)tspan\b[^>]*?(/?)>")


def screen_figures(html: str, figures_root: Path) -> str:
    """The page's figures as images: each ``<img>`` of one of our SVG figures becomes the
    pair of images Material picks from by colour scheme, sized by the drawing's wide layout
    and carrying its narrow shape (``--narrow``) for extra.css."""
    def repl(m: re.Match) -> str:
        name = m.group(3)
        path = _find(figures_root, name)
        if path is None:
            return m.group(0)
        alt_match = ALT.search(m.group(1) + m.group(4))
        alt = alt_match.group(1) if alt_match else ""
        svg = read_figure(path)
        check_svg(svg, _shown(path))
        size, narrow = layouts(svg)
        attrs = f' alt="{alt}"'
        if size:
            attrs += f' width="{size[0]}" height="{size[1]}"'
        if narrow:
            attrs += f' style="--narrow: {narrow[0]} / {narrow[1]}"'
        src = m.group(2)
        return f'<img class="figure-img" src="{src}#only-light"{attrs}><img class="figure-img" src="{src}#only-dark"{attrs}>'

    return IMG.sub(repl, html)


def layouts(svg: str) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """The root's (width, height), its wide layout, and its ``--narrow`` shape, each as
    written, or None where the root does not give it."""
    root = ROOT_TAG.search(svg)
    tag = root.group(0) if root else ""
    size, narrow = dict(SIZE.findall(tag)), NARROW.search(tag)
    return ((size["width"], size["height"]) if "width" in size and "height" in size else None,
            narrow.groups() if narrow else None)


@lru_cache(maxsize=1)
def _screen_css_template() -> str:
    return re.sub(r"/\*.*?\*/", "", SCREEN_CSS.read_text(encoding="utf-8"), flags=re.DOTALL).strip()


def screen_css(svg: str) -> str:
    """The figure's own stylesheet (scripts/data/figures/screen.css) with its narrow-layout
    threshold: halfway between the aspect ratios of its wide and narrow layouts."""
    size, narrow = layouts(svg)
    if size and narrow:
        wide_ratio = float(size[0]) / float(size[1])
        narrow_ratio = float(narrow[0]) / float(narrow[1])
        ratio = f"{round((wide_ratio + narrow_ratio) / 2 * 1000)}/1000"
    else:
        ratio = "0/1"  # one layout only: the narrow rules never apply
    return _screen_css_template().replace("NARROW_RATIO", ratio)


def standalone_svg(svg: str) -> str:
    """The figure's file for the site: the drawing as the checker passed it (sanitised),
    with its stylesheet and the two fragment targets first inside the root."""
    svg = COMMENT.sub("", XML_DECL.sub("", sanitize.clean(svg))).strip()
    root = ROOT_TAG.search(svg)
    if root is None:
        return svg
    return svg[: root.end()] + f"<style>{screen_css(svg)}</style>{MARKERS}" + svg[root.end():]


def without_screen_style(svg: str) -> str:
    """A site figure file without what standalone_svg added, for the site scan: the
    stylesheet is the build's own, and only it is let through."""
    root = ROOT_TAG.search(svg)
    if root is None:
        return svg
    added = f"<style>{screen_css(svg)}</style>{MARKERS}"
    if svg.startswith(added, root.end()):
        return svg[: root.end()] + svg[root.end() + len(added):]
    return svg


def print_figures(html: str, figures_root: Path) -> str:
    """For the PDF and the EPUB: each figure the site shows as images, inline again (one
    drawing, its ids prefixed, labelled with the alt text), as they style it themselves."""
    def repl(m: re.Match) -> str:
        name, alt = m.group(2), m.group(3)
        path = _find(figures_root, name)
        if path is None:
            return m.group(0)
        return prepare_svg(sanitize.clean(read_figure(path)), name, alt)

    return SCREEN_IMG.sub(repl, html)


def read_figure(path: Path) -> str:
    """A figure's source, within its size limit and UTF-8, or an InputError at path:line."""
    return limits.read_source(path, _shown(path), "figure", "figure-file")


def _find(start: Path, name: str) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "assets" / "figures" / f"{name}.svg"
        if candidate.is_file():
            return candidate
    return None


def _shown(path: Path) -> str:
    """The path as findings show it: relative to the repository when inside it."""
    path = path.resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def nested_tspans(svg: str) -> list[tuple[int, int]]:
    """(line, column) of every <tspan> opened inside another tspan."""
    found, depth = [], 0
    for m in TSPAN_TAG.finditer(svg):
        if m.group(1):
            depth = max(0, depth - 1)
        elif not m.group(2):
            if depth:
                line = svg.count("\n", 0, m.start()) + 1
                found.append((line, m.start() - svg.rfind("\n", 0, m.start())))
            depth += 1
    return found


def check_svg(svg: str, path: str) -> None:
    """Refuse markup that would lose text in the PDF (``path:line:col`` of the first case)."""
    found = nested_tspans(svg)
    if found:
        line, col = found[0]
        raise InputError(Finding(path, line, col, "figure-nested-tspan",
                                 "a <tspan> inside another <tspan> loses its text in the PDF; make them siblings"))


def prepare_svg(svg: str, prefix: str, alt: str) -> str:
    """Make ids unique to the figure and label it for screen readers.

    The page's alt text becomes the figure's accessible name; the file's own <title> and
    <desc> (for the file on its own) would only repeat it and the caption, so they are
    left out, as are comments. The root keeps its own classes after ``figure-svg``.
    """
    svg = COMMENT.sub("", XML_DECL.sub("", svg)).strip()
    if alt:
        svg = DESC.sub("", svg)
    ids = ID.findall(svg)
    for old in ids:
        new = f"{prefix}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})").replace(f'href="#{old}"', f'href="#{new}"')
    label = f' role="img" aria-label="{alt}"' if alt else ' role="img"'
    root = ROOT_TAG.search(svg)
    if root is None:
        return svg
    tag = root.group(0)
    own = CLASS.search(tag)
    classes = " ".join(["figure-svg", *(own.group(1).split() if own else [])])
    tag = f'<svg class="{classes}"{label}' + CLASS.sub("", tag, count=1)[len("<svg"):]
    return svg[: root.start()] + tag + svg[root.end():]
