"""Inline our SVG figures into the page, so that they take the theme's colours."""

from __future__ import annotations

import re
from pathlib import Path

IMG = re.compile(r'<img\s+([^>]*?)src="([^"]*?assets/figures/([\w-]+)\.svg)"([^>]*?)/?>')
ALT = re.compile(r'alt="([^"]*)"')
XML_DECL = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*")
DESC = re.compile(r"\s*<desc>.*?</desc>", re.DOTALL)
COMMENT = re.compile(r"\s*<!--.*?-->", re.DOTALL)
ID = re.compile(r'\bid="([^"]+)"')
SVG_OPEN = re.compile(r"<svg\b")


def inline_svgs(html: str, figures_root: Path) -> str:
    def repl(m: re.Match) -> str:
        name = m.group(3)
        path = _find(figures_root, name)
        if path is None:
            return m.group(0)
        alt_match = ALT.search(m.group(1) + m.group(4))
        alt = alt_match.group(1) if alt_match else ""
        return prepare_svg(path.read_text(encoding="utf-8"), name, alt)

    return IMG.sub(repl, html)


def _find(start: Path, name: str) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "assets" / "figures" / f"{name}.svg"
        if candidate.is_file():
            return candidate
    return None


def prepare_svg(svg: str, prefix: str, alt: str) -> str:
    """Make ids unique to the figure and label it for screen readers.

    The page's alt text becomes the figure's accessible name; the file's own <desc> (for
    the file on its own) would only repeat it, so it is left out, as are comments.
    """
    svg = COMMENT.sub("", XML_DECL.sub("", svg)).strip()
    if alt:
        svg = DESC.sub("", svg)
    ids = ID.findall(svg)
    for old in ids:
        new = f"{prefix}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})").replace(f'href="#{old}"', f'href="#{new}"')
    label = f' role="img" aria-label="{alt}"' if alt else ' role="img"'
    return SVG_OPEN.sub(f'<svg class="figure-svg"{label}', svg, count=1)
