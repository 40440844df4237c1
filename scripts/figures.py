"""Inline our SVG figures into the page, so that they take the theme's colours.

A figure may hold two layouts of the same elements, so that a phone needs no second copy:

- the wide layout is the drawing as written; its ``width`` and ``height`` give its size
  and shape, and the PDF and wide screens show it;
- the narrow layout is written beside it in custom properties, which only
  docs/assets/stylesheets/extra.css reads, below 45em: ``--narrow: 468 / 570`` on the
  root (the narrow layout's shape), ``--move: translate(-372px, 200px)`` on a group or
  text, ``--width`` on a rect, and the classes ``wide`` and ``narrow`` (a
  ``narrow`` element also carries ``display="none"``, so the PDF leaves it out);
- the ``viewBox`` is the part both layouts share, with
  ``preserveAspectRatio="xMinYMin meet"``: it fixes the scale (the layout's width fills
  the column), and the rest of either layout is drawn beyond it, inside the SVG's box.

Text in nested ``<tspan>``s is refused: WeasyPrint drops the text between them in the
PDF (``O<tspan>mesa</tspan> → …`` inside another tspan lost its arrow). Use sibling
tspans, each with its own attributes.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import ROOT, limits, sanitize
from .findings import Finding, InputError

IMG = re.compile(r'<img\s+([^>]*?)src="([^"]*?assets/figures/([\w-]+)\.svg)"([^>]*?)/?>')
ALT = re.compile(r'alt="([^"]*)"')
XML_DECL = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*")
DESC = re.compile(r"\s*<(desc|title)>.*?</\1>", re.DOTALL)
COMMENT = re.compile(r"\s*<!--.*?-->", re.DOTALL)
ID = re.compile(r'\bid="([^"]+)"')
ROOT_TAG = re.compile(r"<svg\b[^>]*>")
CLASS = re.compile(r'\sclass="([^"]*)"')
TSPAN_TAG = re.compile(r"<(/?)tspan\b[^>]*?(/?)>")


def inline_svgs(html: str, figures_root: Path) -> str:
    def repl(m: re.Match) -> str:
        name = m.group(3)
        path = _find(figures_root, name)
        if path is None:
            return m.group(0)
        alt_match = ALT.search(m.group(1) + m.group(4))
        alt = alt_match.group(1) if alt_match else ""
        svg = limits.read_source(path, _shown(path), "figure", "figure-file")  # size, UTF-8: path:line
        check_svg(svg, _shown(path))
        return prepare_svg(sanitize.clean(svg), name, alt)  # the checker refuses these; the page never carries them

    return IMG.sub(repl, html)


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
