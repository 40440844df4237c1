"""Belt and braces: the built site, scanned for anything that runs or loads from elsewhere,
and a Content-Security-Policy for every page.

The checker (scripts/policy.py) judges the sources; this pass judges what a reader's
browser receives, whatever produced it (a Markdown extension, a theme partial, a hook):

- every ``<script>``: a file of Material's or one of ours (mkdocs.yml ``extra_javascript``),
  Material's JSON configuration block, or one of Material's own inline scripts (read from
  the installed theme's templates, so an upgrade of Material needs no edit here);
- no event-handler attribute, no ``javascript:``/``vbscript:``/``data:`` URL, no frame,
  object, embed or ``<base>``;
- no resource loaded from another host: ``src``, ``srcset``, ``poster``, ``data``, ``ping``,
  stylesheets and icons, SVG ``href``, ``style`` and stylesheet ``url()`` and ``@import``;
- SVG files pass scripts/sanitize.py.

``scan_site(site)`` returns findings (``site/…:line:col: rule: message``); the build fails
on any (overrides/hooks/sitescan.py). ``add_csp(html)`` puts the policy's meta tag at the
top of ``<head>``, with the hash of each inline script the page is allowed to run.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from lxml import etree

from . import figures, policy, sanitize
from .findings import Finding
from .pages import resolve_link

NOT_LOADED_LINKS = {"canonical", "alternate", "prev", "next", "author", "license", "help", "search", "bookmark", "external"}
REFUSED_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "param"}
JSON_TYPES = {"application/json", "application/ld+json"}
INLINE_SCRIPT = re.compile(rb"<script(\s[^>]*)?>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)

# What the meta tag can say. It cannot set frame-ancestors, report-uri or sandbox (headers
# only), and it covers only what comes after it, so add_csp puts it first in <head>.
CSP = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
    "object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'self'"
)
HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
CHARSET = re.compile(r'<meta\s+charset="[^"]*"\s*/?>', re.IGNORECASE)
# A script tag that loads a file; the build writes these, so each is short and on one line.
SCRIPT_FILE = re.compile(r'<script\b([^>]*\bsrc="[^"]*"[^>]*)>', re.IGNORECASE)


# --------------------------------------------------------------------------- allowlists


@lru_cache(maxsize=1)
def material_templates() -> Path:
    import material

    return Path(material.__file__).parent / "templates"


@lru_cache(maxsize=1)
def material_inline_scripts() -> tuple[re.Pattern, ...]:
    """Material's own inline scripts, as patterns: each ``{{ … }}`` in the template (a
    relative URL such as ``../..``, or the site's path on the 404 page) may be any run of
    dots, slashes, letters, digits and hyphens."""
    patterns = []
    for template in sorted((material_templates() / "partials" / "javascripts").glob("*.html")):
        text = template.read_text(encoding="utf-8")
        for body in re.findall(r"<script>(.*?)</script>", text, re.DOTALL):
            if "{%" in body:
                continue
            pieces = re.split(r"\{\{.*?\}\}", body)
            patterns.append(re.compile("^" + r"[\w./-]*".join(re.escape(p) for p in pieces) + "$", re.DOTALL))
    return tuple(patterns)


def allowed_inline(script: str) -> bool:
    return any(p.match(script) for p in material_inline_scripts())


@lru_cache(maxsize=1)
def material_scripts() -> frozenset[str]:
    """Site paths of the scripts Material ships (assets/javascripts/…)."""
    root = material_templates()
    return frozenset(p.relative_to(root).as_posix() for p in (root / "assets" / "javascripts").rglob("*.js"))


def _site_path(page_rel: str, url: str) -> str:
    """The site path a relative URL on the page ``page_rel`` (e.g. notes/x/index.html) leads to."""
    return resolve_link(page_rel, url.split("#", 1)[0].split("?", 1)[0])


# --------------------------------------------------------------------------- one page


# XPath does the walking (in C): only what could be a problem comes back to Python.
# libxml2's HTML parser lower-cases tag and attribute names. A plain name is a node test
# (//@href), three times faster than a name() predicate over every attribute; a name
# with a colon (xlink:href, no namespace in HTML) needs the predicate.
_URL_NAMES = sorted(policy.URL_ATTRS | {"imagesrcset"})
_URL_ATTRS = " | ".join([f"//@{n}" for n in _URL_NAMES if ":" not in n] + [f"//@*[name()='{n}']" for n in _URL_NAMES if ":" in n])
FIND = {
    "refused": etree.XPath(" | ".join(f"//{t}" for t in sorted(REFUSED_TAGS))),
    "script": etree.XPath("//script"),
    "refresh": etree.XPath("//meta[@http-equiv]"),
    "style": etree.XPath("//style"),
    "handler": etree.XPath("//@*[starts-with(name(), 'on')]"),
    "css": etree.XPath("//@style"),
    "url": etree.XPath(_URL_ATTRS),
}
HTML_PARSER = etree.HTMLParser(no_network=True, huge_tree=False)


def _tag(element) -> str:
    return etree.QName(element).localname.lower()


def scan_html(text: str, shown: str, page_rel: str, own_scripts: frozenset[str]) -> list[Finding]:
    found: list[Finding] = []
    try:
        root = etree.fromstring(text.encode("utf-8"), HTML_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        return [Finding(shown, 1, 1, "site-html", "the page could not be parsed")]

    def add(element, rule, message):
        found.append(Finding(shown, element.sourceline or 1, 1, rule, message))

    for element in FIND["refused"](root):
        add(element, "site-html", f"<{_tag(element)}> is not allowed in the built site")
    for element in FIND["script"](root):
        found += _script(element, shown, page_rel, own_scripts)
    for element in FIND["refresh"](root):
        if element.get("http-equiv", "").lower() == "refresh":
            add(element, "site-html", "a <meta http-equiv=refresh> is not allowed in the built site")
    for element in FIND["style"](root):
        problem = policy.css_problem(element.text or "")
        if problem:
            add(element, problem[0], f"in a <style>: {problem[1]}")
    for attr in FIND["handler"](root):
        element = attr.getparent()
        add(element, "event-handler", f"<{_tag(element)}> has the event-handler attribute '{attr.attrname.split('}')[-1].lower()}'")
    for attr in FIND["css"](root):
        problem = policy.css_problem(str(attr))
        if problem:
            add(attr.getparent(), problem[0], f"<{_tag(attr.getparent())} style>: {problem[1]}")
    for attr in FIND["url"](root):
        element = attr.getparent()
        tag, local = _tag(element), attr.attrname.split("}")[-1].lower()
        plain = policy.normal_url(str(attr))  # entities libxml2 does not know (&colon;) decoded
        if ":" not in plain and not plain.startswith(("/", "\\")):
            continue  # a relative URL: neither unsafe nor foreign
        loads = _loads(tag, local, element)
        urls = policy.srcset_urls(str(attr)) if local in ("srcset", "imagesrcset") else [str(attr)]
        for url in urls:
            problem = policy.url_problem(url, loads=loads)
            if problem:
                add(element, problem[0], f"<{tag} {local}>: {problem[1]}")
                break
    return found


def _loads(tag: str, attr: str, element) -> bool:
    """Does this attribute make the browser fetch its URL?"""
    if attr in ("href", "xlink:href"):
        if tag == "link":
            rels = set((element.get("rel") or "").lower().split())
            return not rels or not rels <= NOT_LOADED_LINKS
        return tag in ("image", "use", "feimage", "script")  # SVG references load; <a href> navigates
    if attr in ("cite", "action", "formaction"):
        return False
    return True


def _script(element, shown: str, page_rel: str, own_scripts: frozenset[str]) -> list[Finding]:
    line = element.sourceline or 1
    src = element.get("src")
    if src is not None:
        if policy.is_foreign(src):
            return [Finding(shown, line, 1, "site-script", f"a script from another host ({src[:80]}) is not allowed")]
        allowed = material_scripts() | own_scripts
        target = _site_path(page_rel, src)
        if target in allowed or src.startswith("/") and any(src.split("?")[0].endswith("/" + a) for a in allowed):
            return []  # an absolute path (the 404 page) ends in the site path
        return [Finding(shown, line, 1, "site-script", f"the script {src[:80]} is neither Material's nor one of ours (mkdocs.yml extra_javascript, the Practice page's script)")]
    kind = (element.get("type") or "").lower()
    if kind in JSON_TYPES and element.get("id") == "__config":
        return []
    if allowed_inline(element.text or ""):
        return []
    excerpt = " ".join((element.text or "").split())[:60]
    return [Finding(shown, line, 1, "site-script", f"an inline script that is not one of Material's: {excerpt!r}")]


# --------------------------------------------------------------------------- the whole site


def own_scripts(extra_javascript: list, polyfills: list) -> list[str]:
    """Our scripts, as site paths: mkdocs.yml's extra_javascript, the Practice page's own
    script (scripts/practice.py) and the offline build's local worker polyfill
    (scripts/offline.py). A polyfill from another host is still refused, as any foreign script."""
    from .practice import SCRIPT

    return [str(getattr(s, "path", s)) for s in [*extra_javascript, *polyfills]] + [SCRIPT]



def scan_site(site: Path, own_scripts: list[str] | None = None, label: str = "site") -> list[Finding]:
    """Every HTML page, stylesheet and SVG in the built ``site``."""
    site = Path(site)
    own = frozenset(own_scripts or [])
    found: list[Finding] = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.is_symlink():
            if path.is_symlink():
                found.append(Finding(f"{label}/{path.relative_to(site).as_posix()}", 1, 1, "symlink", "a symbolic link in the built site"))
            continue
        rel = path.relative_to(site).as_posix()
        suffix = path.suffix.lower()
        if suffix in (".html", ".htm", ".xhtml", ".css", ".svg"):
            found += _scan_file_once(path.read_bytes(), suffix, f"{label}/{rel}", rel, own)
    return found


def _scan_file(data: bytes, suffix: str, shown: str, rel: str, own: frozenset[str]) -> list[Finding]:
    found: list[Finding] = []
    if suffix in (".html", ".htm", ".xhtml"):
        found += scan_html(_text(data), shown, rel, own)
    elif suffix == ".css":
        text = _text(data)
        for number, line in enumerate(text.split("\n"), 1):
            if "url(" in line or "@import" in line or "expression" in line:
                problem = policy.css_problem(line)
                if problem and not _material_data_url(line):
                    found.append(Finding(shown, number, 1, *problem))
    elif suffix == ".svg":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return [Finding(shown, 1, 1, "svg-content", "an SVG must be UTF-8 text")]
        found += [Finding(shown, p.line, p.col, "svg-content", p.message) for p in sanitize.problems(figures.without_screen_style(text))]
    return found


def _text(data: bytes) -> str:
    """As Path.read_text reads it: UTF-8 with replacements, universal newlines."""
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


_SCANNED: dict[bytes, list[Finding]] = {}  # digest of a file and where it is -> its findings


def _scan_file_once(data: bytes, suffix: str, shown: str, rel: str, own: frozenset[str]) -> list[Finding]:
    """_scan_file, remembered in this process by a digest of the file's bytes and place:
    under `make serve` a rebuild writes most pages and every asset unchanged, and they are
    not parsed again."""
    h = hashlib.blake2b(digest_size=20)
    for part in (suffix, shown, rel, *sorted(own)):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0\1")
    h.update(data)
    digest = h.digest()
    if digest not in _SCANNED:
        if len(_SCANNED) > 4000:
            _SCANNED.clear()
        _SCANNED[digest] = _scan_file(data, suffix, shown, rel, own)
    return list(_SCANNED[digest])


def _material_data_url(line: str) -> bool:
    """Material's stylesheets draw icons with data: URLs in url(); those are images, not
    script, and load nothing from another host."""
    urls = [m.group(2).strip() for m in policy.CSS_URL.finditer(line)]
    others = [u for u in urls if not policy.normal_url(u).lower().startswith("data:image/")]
    return bool(urls) and not others and not policy.CSS_DANGER.search(line) and not [u for u in others if policy.is_foreign(u)]


# --------------------------------------------------------------------------- the policy meta tag


def inline_script_hashes(html: str) -> list[str]:
    """'sha256-…' for each inline script on the page that Material is allowed to run."""
    hashes = []
    for m in INLINE_SCRIPT.finditer(html.encode("utf-8")):
        attrs, body = (m.group(1) or b"").decode("utf-8", "replace"), m.group(2)
        if "src=" in attrs or "application/json" in attrs:
            continue
        if allowed_inline(body.decode("utf-8", "replace")):
            token = "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii") + "'"
            if token not in hashes:
                hashes.append(token)
    return hashes


def csp(html: str) -> str:
    return CSP.format(hashes=" ".join(inline_script_hashes(html))).replace("  ", " ")


def defer_scripts(html: str) -> str:
    """Every script loaded from a file marked ``defer``.

    A policy meta tag stops Chromium's preload scanner where it stands: the scripts at the
    end of the body are then found only by the parser, one after the other, each waiting
    for the one before it to arrive and run, and at the priority of a script that blocks
    rendering. Deferred, the parser fetches them side by side and goes on; they still run in
    document order, after the page is parsed and before DOMContentLoaded, which is where
    Material's bundle and ours sit anyway (at the end of the body).
    """
    def repl(m: re.Match) -> str:
        attrs = m.group(1)
        if re.search(r"\b(?:defer|async)\b|\btype=\"module\"", attrs, re.IGNORECASE):
            return m.group(0)
        return f"<script{attrs} defer>"

    return SCRIPT_FILE.sub(repl, html)


def add_csp(html: str) -> str:
    """The page with its Content-Security-Policy meta tag first in <head> (after the charset),
    and its scripts deferred (see defer_scripts)."""
    if "Content-Security-Policy" in html[:4000]:
        return html
    html = defer_scripts(html)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{csp(html)}">'
    charset = CHARSET.search(html, 0, 4000)
    if charset:
        return html[: charset.end()] + tag + html[charset.end() :]
    head = HEAD.search(html)
    if head:
        return html[: head.end()] + tag + html[head.end() :]
    return html
