"""SVG figures through a strict allowlist, over a real XML parser.

An SVG is a document that can run script: as a file opened on its own, and inlined into a
page (scripts/figures.py). Contributed figures are read with lxml's XML parser with every
door shut (no DTD loaded, no entity expanded, no network, no huge trees) and then walked:
only the drawing elements and presentation attributes below are accepted, every
reference (``href``, ``url(…)``) must point inside the same document (``#id``), and a
DOCTYPE, an entity or a processing instruction is refused outright.

Why not a library: nh3 (ammonia) is an HTML sanitiser; it parses SVG as HTML foreign
content, lower-cases or drops attributes the figures need (``viewBox``,
``preserveAspectRatio``) and cleans silently, whereas the checker must say where the
problem is (``path:line:col``). defusedxml only guards the parse, which the parser
options below already do. lxml is pinned already (the PDF step).

``problems(svg)`` lists what is refused, with line and column, for the checker;
``clean(svg)`` returns the drawing with anything refused left out, for the build, so
that a figure the checker never saw still cannot run script in a reader's browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "title", "desc", "text", "tspan", "path", "rect",
    "circle", "ellipse", "line", "polyline", "polygon", "marker", "linearGradient",
    "radialGradient", "stop", "clipPath", "mask",
}
ATTRIBUTES = {
    # structure and accessibility
    "id", "class", "style", "role", "aria-label", "aria-hidden", "aria-labelledby",
    "aria-describedby", "focusable", "lang", "version", "viewBox", "preserveAspectRatio",
    "width", "height", "x", "y", "dx", "dy", "rotate", "textLength", "lengthAdjust",
    # geometry
    "d", "points", "cx", "cy", "r", "rx", "ry", "x1", "y1", "x2", "y2", "transform",
    "pathLength", "refX", "refY", "markerWidth", "markerHeight", "markerUnits", "orient",
    "gradientUnits", "gradientTransform", "offset", "fx", "fy", "spreadMethod",
    "clipPathUnits", "maskUnits", "maskContentUnits",
    # presentation
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "opacity", "display", "visibility", "color", "font-family",
    "font-size", "font-style", "font-weight", "font-variant", "letter-spacing",
    "word-spacing", "text-anchor", "dominant-baseline", "alignment-baseline",
    "baseline-shift", "text-decoration", "white-space", "stop-color", "stop-opacity",
    "marker-start", "marker-mid", "marker-end", "clip-path", "clip-rule", "mask",
    "vector-effect", "paint-order", "shape-rendering", "text-rendering", "writing-mode",
}
# attributes that may hold url(…): only url(#id) inside this drawing
URL_VALUED = {"fill", "stroke", "marker-start", "marker-mid", "marker-end", "clip-path", "mask", "style"}
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
CSS_DANGER = re.compile(r"@import|expression\s*\(|javascript:|(?:behavior|behaviour)\s*:|-moz-binding", re.IGNORECASE)
LOCAL_FRAGMENT = re.compile(r"^#[\w.:-]+$")


@dataclass(frozen=True)
class Problem:
    line: int
    col: int
    message: str


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, load_dtd=False, dtd_validation=False, no_network=True,
        huge_tree=False, remove_comments=False, remove_pis=False, strip_cdata=False,
    )


def _position(text: str, line: int, name: str) -> tuple[int, int]:
    """(line, col) of ``<name`` on or before ``line`` (lxml gives lines, not columns)."""
    lines = text.split("\n")
    for number in range(min(line, len(lines)), 0, -1):
        col = lines[number - 1].rfind("<" + name)
        if col >= 0:
            return number, col + 1
    return max(line, 1), 1


def _attr_position(text: str, line: int, attr: str, prefixed: bool = False) -> tuple[int, int]:
    lines = text.split("\n")
    name = (r"[\w-]+:" if prefixed else "") + re.escape(attr)
    for number in range(max(line, 1), len(lines) + 1):
        m = re.search(r"(?<![\w:-])" + name + r"\s*=", lines[number - 1])
        if m:
            return number, m.start() + 1
    return max(line, 1), 1


def _local_name(name: str) -> tuple[str | None, str]:
    q = etree.QName(name)
    return q.namespace, q.localname


def _attr_problem(key: str, value: str) -> str | None:
    """Why an attribute is refused, or None."""
    namespace, local = _local_name(key)
    if local.lower().startswith("on"):
        return f"event-handler attribute '{local}' is not allowed in an SVG figure"
    if namespace == XLINK_NS and local == "href" or namespace is None and local == "href":
        if not LOCAL_FRAGMENT.match(value.strip()):
            return f"'{local}' may only point inside the drawing (#id), not '{value.strip()[:60]}'"
        return None
    if namespace == XML_NS and local in ("space", "lang"):
        return None
    if namespace is not None:
        return f"attribute '{local}' in namespace {namespace} is not allowed in an SVG figure"
    if local not in ATTRIBUTES:
        return f"attribute '{local}' is not allowed in an SVG figure"
    if local in URL_VALUED:
        for m in CSS_URL.finditer(value):
            if not LOCAL_FRAGMENT.match(m.group(2).strip()):
                return f"'{local}' may only use url(#id) inside the drawing, not url({m.group(2).strip()[:60]})"
        if CSS_DANGER.search(value):
            return f"'{local}' holds {CSS_DANGER.search(value).group(0)!r}, which is not allowed in an SVG figure"
    return None


def _walk(svg: str, fix: bool) -> tuple[list[Problem], etree._Element | None]:
    problems: list[Problem] = []
    if re.search(r"<!DOCTYPE|<!ENTITY", svg, re.IGNORECASE):
        m = re.search(r"<!DOCTYPE|<!ENTITY", svg, re.IGNORECASE)
        line = svg.count("\n", 0, m.start()) + 1
        col = m.start() - svg.rfind("\n", 0, m.start())
        return [Problem(line, col, "a DOCTYPE or entity declaration is not allowed in an SVG figure")], None
    try:
        root = etree.fromstring(svg.encode("utf-8"), _parser())
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if getattr(exc, "position", None) else (1, 1)
        message = str(exc.msg if hasattr(exc, "msg") else exc).split(", line")[0]
        return [Problem(line or 1, col or 1, f"not well-formed XML: {message}")], None
    if root.tag not in (f"{{{SVG_NS}}}svg", "svg"):  # inlined into HTML, an <svg> needs no xmlns
        return [Problem(1, 1, f"the root element must be <svg> in the SVG namespace, not {root.tag!r}")], None
    doomed = []
    for node in root.iter():
        if isinstance(node, etree._Comment):
            continue
        if isinstance(node, etree._ProcessingInstruction) or isinstance(node, etree._Entity) or not isinstance(node.tag, str):
            problems.append(Problem(node.sourceline or 1, 1, "processing instructions and entities are not allowed in an SVG figure"))
            doomed.append(node)
            continue
        namespace, local = _local_name(node.tag)
        if namespace not in (SVG_NS, None) or local not in ELEMENTS:
            where = f" (namespace {namespace})" if namespace not in (SVG_NS, None) else ""
            line, col = _position(svg, node.sourceline or 1, local)
            what = "script" if local == "script" else f"element <{local}>{where}"
            problems.append(Problem(line, col, f"{what} is not allowed in an SVG figure"))
            doomed.append(node)
            continue
        for key, value in list(node.attrib.items()):
            why = _attr_problem(key, value)
            if why:
                namespace, local = _local_name(key)
                line, col = _attr_position(svg, node.sourceline or 1, local, prefixed=namespace is not None)
                problems.append(Problem(line, col, why))
                if fix:
                    del node.attrib[key]
    if fix:
        for node in doomed:
            parent = node.getparent()
            if parent is not None:
                if node.tail and not isinstance(node.tag, str):
                    pass
                parent.remove(node)
    return problems, root


def problems(svg: str) -> list[Problem]:
    """Everything the allowlist refuses, with line and column, in document order."""
    return _walk(svg, fix=False)[0]


def clean(svg: str) -> str:
    """The drawing with everything refused left out (an unreadable file becomes an empty <svg>)."""
    found, root = _walk(svg, fix=True)
    if root is None:
        return f'<svg xmlns="{SVG_NS}"></svg>'
    if not found:
        return svg
    return etree.tostring(root, encoding="unicode")
