"""The content policy: what contributed text may put into a reader's browser.

Notes arrive from people we do not know, so the checker treats them as untrusted input:

- raw HTML in Markdown is limited to the tags and attributes the notes need (``TAGS``);
  front matter and glossary.yml take no HTML at all (the glossary is rendered as
  Markdown with raw HTML escaped, scripts/glossary_html.py);
- no ``<script>``, no ``on*`` attribute, no ``javascript:``, ``vbscript:`` or ``data:`` URL,
  in raw HTML, Markdown links, attribute lists (``{ … }``) or front matter;
- nothing loaded from another host: images and every other attribute that loads a
  resource must be relative (a link to another site is fine, a ``ping`` is not);
- SVG files pass scripts/sanitize.py; HTML and JavaScript files are not published from
  docs/ as they are; symbolic links and special files under docs/ are refused, and so
  are snippets (``--8<--``) that leave docs/, enter ``.git`` or name anything but a page.

Every violation is a ``Finding`` (``path:line:col: rule: message``). ``check_tree`` runs
before MkDocs copies anything (overrides/hooks/policy.py); ``check_site`` adds the
page and glossary rules for the checker (scripts/check.py). The built site is scanned
again by scripts/sitescan.py, and the pages carry a Content-Security-Policy.
"""

from __future__ import annotations

import bisect
import html as html_lib
import os
import re
import stat
from html.parser import HTMLParser
from itertools import accumulate
from pathlib import Path

import yaml

from . import sanitize
from .findings import Finding
from .pages import LOADER, Page, display_path

# --------------------------------------------------------------------------- the allowlist

GLOBAL_ATTRS = {"id", "class", "title", "lang", "dir", "markdown", "role", "aria-label", "aria-hidden", "aria-describedby", "hidden"}
TAGS = {
    # tag: attributes beyond GLOBAL_ATTRS
    "p": {"style"}, "div": {"style"}, "span": {"style"},
    "figure": set(), "figcaption": set(),
    "sub": set(), "sup": set(), "em": set(), "strong": set(), "i": set(), "b": set(),
    "small": set(), "mark": set(), "abbr": set(), "cite": set(), "q": set(),
    "code": set(), "kbd": set(), "var": set(), "samp": set(), "br": set(), "wbr": set(),
    "a": {"href", "download", "rel", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "table": set(), "thead": set(), "tbody": set(), "tr": set(), "th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"},
    "ul": set(), "ol": {"start"}, "li": set(), "dl": set(), "dt": set(), "dd": set(),
    "details": {"open"}, "summary": set(), "blockquote": set(), "hr": set(),
}
# attributes Markdown's attribute lists ({ #id .class key=value }) may set
ATTR_LIST_KEYS = GLOBAL_ATTRS | {"data-search-exclude", "width", "height", "style", "alt", "target"}
URL_ATTRS = {"href", "src", "srcset", "poster", "data", "action", "formaction", "ping", "background",
             "cite", "longdesc", "manifest", "codebase", "archive", "usemap", "lowsrc", "dynsrc", "xlink:href", "icon"}
BAD_SCHEMES = ("javascript", "vbscript", "data")
LOADING_ATTRS = URL_ATTRS - {"href", "cite", "action", "formaction"}

# --------------------------------------------------------------------------- URLs and CSS

SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
CSS_DANGER = re.compile(r"@import|expression\s*\(|javascript:|vbscript:|(?:behavior|behaviour)\s*:|-moz-binding", re.IGNORECASE)


def normal_url(url: str) -> str:
    """A URL as a browser reads it: entities decoded, whitespace and controls dropped."""
    return INVISIBLE.sub("", html_lib.unescape(url or ""))


def bad_scheme(url: str) -> str | None:
    m = SCHEME.match(normal_url(url))
    if m and m.group(1).lower() in BAD_SCHEMES:
        return m.group(1).lower()
    return None


def is_foreign(url: str) -> bool:
    """Would loading ``url`` reach another host? Relative URLs and #fragments do not."""
    url = normal_url(url)
    return url.startswith("//") or url.startswith("\\\\") or bool(SCHEME.match(url))


def url_problem(url: str, loads: bool) -> tuple[str, str] | None:
    """(rule, message) if a URL is not allowed; ``loads``: the attribute fetches it."""
    scheme = bad_scheme(url)
    if scheme:
        return "unsafe-url", f"a {scheme}: URL is not allowed"
    if loads and is_foreign(url):
        return "foreign-resource", f"'{url.strip()[:80]}' would be loaded from another host; put the file under docs/ and link it relatively"
    return None


def css_problem(css: str) -> tuple[str, str] | None:
    danger = CSS_DANGER.search(css)
    if danger:
        return "unsafe-url", f"{danger.group(0)!r} is not allowed in a style"
    for m in CSS_URL.finditer(css):
        found = url_problem(m.group(2), loads=True)
        if found:
            return found
    return None


def srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


# --------------------------------------------------------------------------- raw HTML


HIDDEN_MARKUP = re.compile(r"<[a-zA-Z/!?]")


class _Tags(HTMLParser):
    """Every start tag with its attributes and (line, col), as Python-Markdown's parser sees it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]], int, int]] = []
        self.odd: list[tuple[str, int, int]] = []

    def handle_starttag(self, tag, attrs):
        line, offset = self.getpos()
        self.tags.append((tag, attrs, line, offset + 1))

    handle_startendtag = handle_starttag

    # Browsers end some comments and declarations earlier than this parser does (``<!-->``
    # is a whole comment to a browser, ``<![CDATA[`` ends at the first ``>``), so markup
    # this parser would read as hidden inside them is refused: it would run.
    def handle_comment(self, data):
        if data.startswith((">", "->")) or "--!>" in data or HIDDEN_MARKUP.search(data):
            self._odd("a comment that holds markup is not allowed (a browser may end it early and read the rest as HTML)")

    def unknown_decl(self, data):
        self._odd("a CDATA section or declaration is not allowed in a page")

    def handle_decl(self, decl):
        self._odd("a declaration (<!DOCTYPE …>) is not allowed in a page")

    def handle_pi(self, data):
        self._odd("a processing instruction (<?…>) is not allowed in a page")

    def _odd(self, message):
        line, offset = self.getpos()
        self.odd.append((message, line, offset + 1))


def tag_findings(text: str, where, allowlist: dict | None, first_line: int = 1) -> list[Finding]:
    """Findings for the raw HTML in ``text``; ``allowlist`` None means no HTML at all.

    ``where(line, col, rule, message)`` makes a Finding; lines count from ``first_line``.
    """
    parser = _Tags()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # html.parser is lenient; a failure here is itself suspicious
        return [where(first_line, 1, "raw-html", "raw HTML here could not be read; remove it")]
    found = [where(line + first_line - 1, col, "raw-html", message) for message, line, col in parser.odd]
    for tag, attrs, line, col in parser.tags:
        line += first_line - 1
        if tag == "script":
            found.append(where(line, col, "script", "<script> is not allowed; the site runs only its own scripts"))
            continue
        if allowlist is None:
            found.append(where(line, col, "raw-html", f"<{tag}> is raw HTML, which is not allowed here; write Markdown (*emphasis*, [links](…))"))
            continue
        if tag not in allowlist:
            found.append(where(line, col, "raw-html", f"<{tag}> is not an allowed HTML tag; allowed: {', '.join(sorted(allowlist))}"))
            continue
        for name, value in attrs:
            found += attr_findings(tag, name, value or "", allowlist[tag] | GLOBAL_ATTRS, lambda r, m: where(line, col, r, m))
    return found


def attr_findings(tag: str, name: str, value: str, allowed: set[str], make) -> list[Finding]:
    name = name.lower()
    if name.startswith("on"):
        return [make("event-handler", f"the event-handler attribute '{name}' is not allowed")]
    if name == "style":
        found = css_problem(value)
        if found:
            return [make(*found)]
    if name in URL_ATTRS:
        urls = srcset_urls(value) if name == "srcset" else [value]
        for url in urls:
            found = url_problem(url, loads=name in LOADING_ATTRS)
            if found:
                return [make(*found)]
    if name not in allowed and not name.startswith("aria-"):
        return [make("raw-html", f"the attribute '{name}' is not allowed on <{tag}>")]
    return []


# --------------------------------------------------------------------------- Markdown text

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
BACKTICKS = re.compile(r"`+")
AUTOLINK = re.compile(r"<(?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>]*>|<(?:mailto:)?[^<> !]+@[^@<> ]+>")
HTML_BLOCK_START = re.compile(r"^ {0,3}<([a-zA-Z][a-zA-Z0-9-]*)")
LINK_OPEN = re.compile(r"\]\(")
SIMPLE_DESTINATION = re.compile(r"[ \t]*+([^\s()<>\\&]*)(?=[\s)])")  # no parentheses, escapes or entities
REF_DEF = re.compile(r"^ {0,3}\[([^\]]+)\]:[ \t]*<?([^\s>]*)>?")
IMAGE_REF = re.compile(r"!\[([^\]]*)\](?:\[([^\]]*)\])?")
ATTR_LIST = re.compile(r"\{:?[ ]*([^\}\n ][^\}\n]*)[ ]*\}")
ATTR_TOKEN = re.compile(r'([^ =}]+)=(?:"(.*?)"|\'(.*?)\'|([^ =}]+))|([^ =}]+)')


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + "".join(c if c == "\n" else " " for c in text[start:end]) + text[end:]


def code_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each inline code span: a run of backticks up to the next run of the
    same length. One pass over the runs, so a line of backticks costs linear time."""
    runs = [(m.start(), m.end()) for m in BACKTICKS.finditer(line)]
    spans = []
    next_of_length: dict[int, list[int]] = {}
    for index in range(len(runs) - 1, -1, -1):
        next_of_length.setdefault(runs[index][1] - runs[index][0], []).append(index)
    i = 0
    used_until = -1
    while i < len(runs):
        start, end = runs[i]
        length = end - start
        candidates = next_of_length.get(length, [])
        while candidates and candidates[-1] <= i:
            candidates.pop()
        if candidates and start > used_until:
            j = candidates.pop()
            spans.append((start, runs[j][1]))
            used_until = runs[j][1]
            i = j + 1
        else:
            i += 1
    return spans


def blank_code(lines: list[str]) -> list[str]:
    """The lines with fenced code and inline code blanked (columns kept).

    Inline code is left as it is on lines of a raw HTML block (a line that starts with a
    tag, up to the next blank line), where Python-Markdown does not read Markdown.
    """
    out = []
    fence: tuple[str, int] | None = None
    in_html = False
    for raw in lines:
        match = FENCE.match(raw) if ("`" in raw or "~" in raw) else None
        if fence:
            if match and match.group(2)[0] == fence[0] and len(match.group(2)) >= fence[1]:
                fence = None
            out.append(" " * len(raw))
            continue
        if match and not in_html:
            fence = (match.group(2)[0], len(match.group(2)))
            out.append(" " * len(raw))
            continue
        if not raw.strip():
            in_html = False
        elif raw.lstrip(" ").startswith("<") and HTML_BLOCK_START.match(raw):
            in_html = True
        line = raw
        if not in_html and "`" in line:
            for start, end in code_spans(line):
                line = _blank(line, start, end)
        if "<" in line:
            line = AUTOLINK.sub(lambda m: " " * len(m.group(0)), line)
        out.append(line)
    return out


def _destination(text: str, start: int) -> tuple[str, int]:
    """The link destination that starts at ``text[start]`` (after ``](``), as Markdown reads it."""
    simple = SIMPLE_DESTINATION.match(text, start)
    if simple:
        return simple.group(1), simple.start(1)
    i = start
    while i < len(text) and text[i] in " \t\n":
        i += 1
    if i < len(text) and text[i] == "<":
        end = text.find(">", i)
        end = len(text) if end < 0 else end
        return text[i + 1 : end], i
    depth, j = 0, i
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c.isspace():
            break
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        j += 1
    return text[i:j], i


def markdown_findings(text: str, where, allowlist: dict | None, first_line: int = 1) -> list[Finding]:
    """Raw HTML, link and image destinations and attribute lists in Markdown ``text``."""
    lines = blank_code(text.split("\n"))
    body = "\n".join(lines)
    starts = [0, *accumulate(len(line) + 1 for line in lines)]

    def at(offset: int) -> tuple[int, int]:
        lo = bisect.bisect_right(starts, offset) - 1  # the last line that starts at or before it
        return lo + first_line, offset - starts[lo] + 1

    found = tag_findings(body, where, allowlist, first_line) if "<" in body else []
    if "](" in body:
        for m in LINK_OPEN.finditer(body):
            target, offset = _destination(body, m.end())
            problem = url_problem(target, loads=False)
            if problem is None and is_foreign(target) and _is_image(body, m.start()):
                problem = url_problem(target, loads=True)
            if problem:
                found.append(where(*at(offset), *problem))
    if "]:" in body or "![" in body:
        image_refs = set()
        for m in IMAGE_REF.finditer(body):
            image_refs.add((m.group(2) or m.group(1)).strip().lower())
        for number, line in enumerate(lines):
            m = REF_DEF.match(line) if "]:" in line else None
            if m:
                problem = url_problem(m.group(2), loads=m.group(1).strip().lower() in image_refs)
                if problem:
                    found.append(where(number + first_line, m.start(2) + 1, *problem))
    if "{" in body:
        for m in ATTR_LIST.finditer(body):
            found += _attr_list(m, at, where)
    return found


def _is_image(body: str, close: int) -> bool:
    """Is the ``]`` at ``close`` the end of an image's ``![…]``?"""
    depth = 0
    for i in range(close - 1, max(-1, close - 2000), -1):
        c = body[i]
        if c == "]":
            depth += 1
        elif c == "[":
            if depth == 0:
                return i > 0 and body[i - 1] == "!"
            depth -= 1
    return False


def _attr_list(m: re.Match, at, where) -> list[Finding]:
    found = []
    inner = m.group(1)
    if "=" not in inner and not re.search(r"(^|\s)[^#.\s]", inner):
        return found  # only #ids and .classes
    for token in ATTR_TOKEN.finditer(inner):
        key = token.group(1) or token.group(5)
        value = next((g for g in token.group(2, 3, 4) if g is not None), "")
        if key.startswith(("#", ".")) and token.group(5):
            continue
        line, col = at(m.start(1) + token.start())
        make = lambda rule, message: where(line, col, rule, message)  # noqa: E731
        if key.lower() not in ATTR_LIST_KEYS and not key.lower().startswith("on") and key.lower() not in URL_ATTRS:
            found.append(make("raw-html", f"the attribute list sets '{key}', which is not allowed; use #id, .class or one of {', '.join(sorted(ATTR_LIST_KEYS - {'markdown'}))}"))
            continue
        found += attr_findings("the element", key, value, ATTR_LIST_KEYS, make)
    return found


# --------------------------------------------------------------------------- YAML (front matter, glossary)

URL_KEYS = re.compile(r"(^|_)(url|href|link|src|location)$", re.IGNORECASE)
# Material writes these front matter values into an HTML attribute without escaping them
ATTRIBUTE_KEYS = {"description", "author"}
# front matter keys that would change how a page is built: a template (redirect.html sends
# the reader to any URL), scripts or styles of its own
REFUSED_KEYS = {"template", "extra_javascript", "extra_css"}
HTML_IN_TEXT = re.compile(r"<[a-zA-Z!/?]")


def yaml_scalars(text: str, root=None):
    """(key, ScalarNode) for every scalar in a YAML text (or in its node tree ``root``, when
    the caller has composed it already), each node visited once (an alias is not followed
    twice, so an alias bomb costs nothing here)."""
    if root is None:
        try:
            root = yaml.compose(text, Loader=LOADER)
        except yaml.YAMLError:
            return
    seen: set[int] = set()
    stack = [("", root)]
    while stack:
        key, node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            yield key, node
        elif isinstance(node, yaml.SequenceNode):
            stack += [(key, child) for child in reversed(node.value)]
        elif isinstance(node, yaml.MappingNode):
            for k, v in reversed(node.value):
                stack.append((k.value if isinstance(k, yaml.ScalarNode) else "", v))


def yaml_findings(text: str, display: str, first_line: int, markdown_keys: set[str], front_matter: bool = False, root=None) -> list[Finding]:
    """No HTML in YAML values; URL-valued keys hold safe URLs; Markdown-valued keys are
    checked as Markdown (links, attribute lists) with no HTML at all."""
    found = []
    for key, node in yaml_scalars(text, root):
        value = node.value if isinstance(node.value, str) else ""
        line = node.start_mark.line + first_line
        col = node.start_mark.column + 1

        def where(ln, cl, rule, message, _line=line, _col=col):
            return Finding(display, _line, _col, rule, f"'{key}': {message}" if key else message)

        if front_matter and key in REFUSED_KEYS:
            found.append(where(line, col, "raw-html", "a page may not choose its own template, scripts or styles"))
        if front_matter and key in ATTRIBUTE_KEYS and re.search(r"[\"<>]", value):
            found.append(where(line, col, "raw-html", "quotes and angle brackets are not allowed here (the theme writes it into an HTML attribute as it is)"))
            continue
        if URL_KEYS.search(key):
            problem = url_problem(value, loads=False)
            if problem:
                found.append(where(line, col, *problem))
            elif not re.match(r"^https?://", normal_url(value), re.IGNORECASE) and SCHEME.match(normal_url(value)):
                found.append(where(line, col, "unsafe-url", "a link must be http://, https:// or relative"))
        if key in markdown_keys:
            found += markdown_findings(value, where, None)
        elif HTML_IN_TEXT.search(value):
            found += tag_findings(value, where, None)
    return found


# --------------------------------------------------------------------------- files under docs/

SNIPPET_LINE = re.compile(r"^(\s*)(;?)(-+8<-+)[ \t]+(['\"])(.*?)\4")
SNIPPET_BLOCK = re.compile(r"^(\s*)(;?)(-+8<-+)\s*$")
PUBLISHED_AS_IS = {".html", ".htm", ".xhtml", ".shtml", ".xht", ".php"}
SCRIPTS_DIR = "assets/javascripts/"


def _walk_docs(docs: Path):
    """(path, lstat) of everything under docs/, not following symbolic links."""
    for folder, dirs, files in os.walk(docs, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            try:
                yield path, path.lstat()
            except OSError:
                continue


def check_tree(docs: Path, root: Path | None = None, texts: dict[Path, str] | None = None) -> list[Finding]:
    """The rules on files: what MkDocs would copy, and what snippets would pull in.

    Cheap enough to run before the build copies anything (overrides/hooks/policy.py).
    ``texts``: pages already read, by path; one without ``8<`` has no snippet to check.
    """
    docs = Path(docs)
    found: list[Finding] = []
    for path, st in _walk_docs(docs):
        shown = f"{display_path(path.parent)}/{path.name}"  # the link itself, not where it leads
        rel = path.relative_to(docs).as_posix()
        if stat.S_ISLNK(st.st_mode):
            try:
                target = os.readlink(path)
            except OSError:
                target = "?"
            found.append(Finding(shown, 1, 1, "symlink", f"a symbolic link (to {target}) under docs/ is not allowed; the build would publish what it points to"))
            continue
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            found.append(Finding(shown, 1, 1, "special-file", "only regular files and folders are allowed under docs/"))
            continue
        if stat.S_ISDIR(st.st_mode):
            if path.name == ".git":
                found.append(Finding(shown, 1, 1, "special-file", "a .git folder under docs/ is not allowed"))
            continue
        suffix = path.suffix.lower()
        if suffix in PUBLISHED_AS_IS:
            found.append(Finding(shown, 1, 1, "static-file", f"a {suffix} file would be published as it is, unchecked; write a Markdown page instead"))
        elif suffix in (".js", ".mjs") and not rel.startswith(SCRIPTS_DIR):
            found.append(Finding(shown, 1, 1, "static-file", f"scripts belong in docs/{SCRIPTS_DIR} and in mkdocs.yml's extra_javascript"))
        elif suffix == ".svg":
            found += svg_findings(path)
        elif suffix == ".md" and not (texts and path in texts and "8<" not in texts[path]):
            found += snippet_findings(path, docs)
    return found


def svg_findings(path: Path) -> list[Finding]:
    shown = display_path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return [Finding(shown, 1, 1, "svg-content", "an SVG must be UTF-8 text")]
    return [Finding(shown, p.line, p.col, "svg-content", p.message) for p in sanitize.problems(text)]


def snippet_findings(path: Path, docs: Path) -> list[Finding]:
    """Every snippet a page includes must be a Markdown page under docs/ (which the checker
    reads too), reached without a symbolic link, and never inside .git."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    if "8<" not in text:
        return []
    shown = display_path(path)
    found = []
    lines = text.split("\n")
    block = False
    for number, line in enumerate(lines, 1):
        names: list[tuple[str, int]] = []
        m = SNIPPET_LINE.match(line)
        if m and not m.group(2):
            names.append((m.group(5), m.start(5) + 1))
        elif SNIPPET_BLOCK.match(line):
            if not SNIPPET_BLOCK.match(line).group(2):
                block = not block
            continue
        elif block and line.strip() and not line.strip().startswith(";"):
            names.append((line.strip(), len(line) - len(line.lstrip()) + 1))
        for name, col in names:
            problem = snippet_problem(name, docs)
            if problem:
                found.append(Finding(shown, number, col, "snippet", problem))
    return found


def snippet_problem(name: str, docs: Path) -> str | None:
    target = re.sub(r"(:\d*)+$|:[\w-]+$", "", name.strip())  # file.md:3:5, file.md:section
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", target):
        return f"the snippet '{name}' is a URL; snippets may only include pages under docs/"
    pieces = Path(target).parts
    if ".git" in pieces or any(p.lower() == ".git" for p in pieces):
        return f"the snippet '{name}' reads from .git; snippets may only include pages under docs/"
    base = docs.resolve()
    candidate = Path(os.path.normpath(docs / target)) if not Path(target).is_absolute() else Path(target)
    here = docs
    for piece in Path(os.path.relpath(candidate, docs)).parts:
        here = here / piece
        if piece != ".." and here.is_symlink():
            return f"the snippet '{name}' goes through a symbolic link; snippets may only include pages under docs/"
    if not str(candidate.resolve()).startswith(str(base) + os.sep):
        return f"the snippet '{name}' resolves outside docs/; snippets may only include pages under docs/"
    if candidate.suffix.lower() != ".md":
        return f"the snippet '{name}' is not a Markdown page; snippets may only include .md files under docs/, which the checker reads"
    return None


# --------------------------------------------------------------------------- pages and glossary

FRONT_MATTER_MARKDOWN: set[str] = set()  # front matter values are shown as plain text
GLOSSARY_MARKDOWN = {"definition", "cite"}  # rendered as Markdown on the glossary page


def page_findings(page: Page) -> list[Finding]:
    found = []
    body_start = page.body_start
    if body_start > 1:
        front = "\n".join(page.lines[1 : body_start - 2])
        found += yaml_findings(front, page.display, 2, FRONT_MATTER_MARKDOWN, front_matter=True, root=page.meta_node)
    body = "\n".join(page.lines[body_start - 1 :])

    def where(line, col, rule, message):
        return page.finding(line, col, rule, message)

    found += markdown_findings(body, where, TAGS, first_line=body_start)
    return found


def glossary_findings(path: Path) -> list[Finding]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # the glossary loader reports an unreadable file
    return yaml_findings(text, display_path(path), 1, GLOSSARY_MARKDOWN)


def check_site(site) -> list[Finding]:
    """The page and glossary rules over a loaded site (scripts/check.py's ``Site``)."""
    found = check_tree(site.docs, texts={page.path: page.text for page in site.pages})
    for page in site.pages:
        found += page_findings(page)
    if site.glossary is not None:
        found += glossary_findings(site.glossary.path)
    return found
