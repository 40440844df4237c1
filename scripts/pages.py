"""Read a Markdown page into what the checks need, keeping line and column numbers.

The scanner does not render Markdown. It splits a page into front matter and body,
finds headings, callouts, links and citations, and builds a *prose view* of every
line: the same line with code, headings, callout titles, link targets and text,
citations, HTML and attribute lists blanked out, so that searching it for glossary
terms finds only words a reader reads as running text. Columns stay where they were.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml
from markdown.extensions.toc import slugify

from . import limits
from .findings import Finding, InputError

IGNORE_MARKER = "<!-- glossary: ignore -->"
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
# Every pattern here runs over contributed text, so none may backtrack more than
# linearly: no lazy group followed by an optional run of the same characters, no
# unbounded match that fails at the end of a long line (tests/test_robustness.py).
HEADING = re.compile(r"^(#{1,6})\s+(.*\S)?\s*$")
HEADING_ATTRS = re.compile(r"\{:?\s*([^}]*)\}\s*$")  # matched at the line's last "{"
CALLOUT = re.compile(r'^(\s*)(!!!|\?\?\?\+?)\s+([\w-]+)((?:\s+[\w-]+)*)(?:\s+"(.*)")?\s*$')
HTML_COMMENT = re.compile(r"<!--.*?-->")
BACKTICKS = re.compile(r"`+")
CITATION_BLOCK = re.compile(r"\[([^\[\]]*)\](?!\()")  # a citation if it holds @key (AT_KEY)
AT_KEY = re.compile(r"@[\w:-]")
# A key as pandoc reads one: word characters, with : . # $ % & - + ? < > ~ / inside
# (so "@langosco2022goal.v2" is one key, reported if unknown, not text left as written).
CITATION = re.compile(r"^(?P<prefix>(?:[^@]*[^\w@])?)@(?P<key>\w(?:[\w:.#$%&+?<>~/-]*\w)?)\s*(?:,\s*(?P<locator>.*\S)?)?\s*$")
LINK = re.compile(r"(!?)\[([^\[\]]*)\]\(\s*<?([^()\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
FOOTNOTE = re.compile(r"\[\^[^\]]+\]:?")
ATTR_LIST = re.compile(r"\{:?\s*[#.][^}]*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every inline code span on one line, as CommonMark finds them.

    A run of backticks opens a span that the next run of the same length closes; a run
    that nothing closes is literal. One pass over the runs: linear, where the regular
    expression ``(`+)(.+?)\1`` it replaces was cubic in a line of backticks.
    """
    runs = [(m.start(), m.end()) for m in BACKTICKS.finditer(text)]
    # for each length, the indexes of the runs of that length, to find a closer at once
    by_length: dict[int, list[int]] = {}
    for i, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(i)
    seen = {length: 0 for length in by_length}  # how far into each list we have looked
    spans = []
    i = 0
    while i < len(runs):
        start, end = runs[i]
        same = by_length[end - start]
        k = seen[end - start]
        while k < len(same) and same[k] <= i:
            k += 1
        seen[end - start] = k
        if k < len(same) and runs[same[k]][0] > end:  # a closer, with something between
            close = runs[same[k]]
            spans.append((start, close[1]))
            while i < len(runs) and runs[i][0] < close[1]:
                i += 1
        else:
            i += 1
    return spans


def replace_spans(text: str, spans: list[tuple[int, int]], change) -> str:
    """``text`` with each of the ordered, disjoint ``spans`` replaced by ``change(span text)``."""
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], change(text[start:end])]
        last = end
    out.append(text[last:])
    return "".join(out)


def citation_blocks(text: str):
    """The ``[...]`` blocks of ``text`` that hold a ``@key``."""
    return (m for m in CITATION_BLOCK.finditer(text) if AT_KEY.search(m.group(1)))


def cited_works(text: str) -> list[tuple[str, str]]:
    """(key, locator) for each work the citation blocks in ``text`` name, in order."""
    found = []
    for block in citation_blocks(text or ""):
        for part in block.group(1).split(";"):
            m = CITATION.match(part)
            if m:
                found.append((m.group("key"), (m.group("locator") or "").strip()))
    return found


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Link:
    line: int
    col: int
    text: str
    target: str
    image: bool

    @property
    def path(self) -> str:
        return self.target.split("#", 1)[0]

    @property
    def fragment(self) -> str:
        return self.target.split("#", 1)[1] if "#" in self.target else ""


@dataclass(frozen=True)
class Citation:
    line: int
    col: int
    key: str
    locator: str


@dataclass
class Callout:
    line: int
    col: int
    kind: str
    title: str
    indent: int
    end: int = 0  # last line of the body (inclusive)

    def body(self, page: "Page") -> str:
        return "\n".join(page.lines[self.line : self.end])


@dataclass
class Page:
    path: Path
    rel: str  # relative to docs/, posix
    display: str  # how messages name the file
    text: str
    meta: dict = field(default_factory=dict)
    meta_lines: dict = field(default_factory=dict)
    body_start: int = 1
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    callouts: list[Callout] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)  # index 0 = line 1
    ignored_lines: set[int] = field(default_factory=set)
    meta_node: object = None  # the front matter's YAML node tree (yaml.MappingNode), read once for every rule

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def finding(self, line: int, col: int, rule: str, message: str) -> Finding:
        return Finding(self.display, line, col, rule, message)


def parse_yaml(text: str):
    """(node tree, data) of a YAML text: fast with libyaml, and on an error the pure-Python
    parser's clearer message and position."""
    try:
        if "<<" in text or "!" in text:
            # a merge key (``<<``, or a tag) makes the constructor rewrite the node tree it
            # builds from: compose the tree apart from the data
            return yaml.compose(text, Loader=LOADER), yaml.load(text, Loader=LOADER)
        loader = LOADER(text)  # one parse for both, as yaml.load does it
        try:
            node = loader.get_single_node()
            return node, (loader.construct_document(node) if node is not None else None)
        finally:
            loader.dispose()
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader), yaml.safe_load(text)


def yaml_finding(exc: yaml.YAMLError, shown: str, rule: str, first_line: int = 1) -> Finding:
    """A YAML parser's error as a finding at its place; ``first_line`` is the line of the
    file that the YAML text starts on (2 for front matter, after its ``---``)."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    line, col = (mark.line + first_line, mark.column + 1) if mark else (1, 1)
    return Finding(shown, line, col, rule, f"invalid YAML: {problem}")


def cached_on_mtime(func):
    """Cache ``func(path)`` until the file changes (its size or modification time).

    The hooks and the checker of one build then share one read of each source file.
    """

    @lru_cache(maxsize=4096)
    def cached(path: Path, mtime: int, size: int, *args):
        return func(path, *args)

    def wrapper(path: Path, *args):
        try:
            stat = path.stat()
        except OSError:
            return func(path, *args)
        return cached(path, stat.st_mtime_ns, stat.st_size, *args)

    wrapper.__doc__ = func.__doc__
    wrapper.cache_clear = cached.cache_clear
    return wrapper


def resolve_link(rel: str, target: str) -> str:
    """The docs-relative path a relative link on page ``rel`` leads to."""
    parts = rel.split("/")[:-1]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)


def display_path(path: Path, base: Path | None = None) -> str:
    try:
        return path.resolve().relative_to(base.resolve() if base else _resolved(os.getcwd())).as_posix()
    except ValueError:
        return path.as_posix()


@lru_cache(maxsize=16)
def _resolved(folder: str) -> Path:
    """The current folder, resolved once (the checker names every page from it)."""
    return Path(folder).resolve()


def read_page(path: Path, docs: Path, text: str | None = None) -> Page:
    """Scan one Markdown file. Raises InputError on malformed front matter."""
    if text is None:
        return _read_file(path, docs)
    return _read(path, docs, text)


@cached_on_mtime
def _read_file(path: Path, docs: Path) -> Page:
    shown = display_path(path)
    return _read(path, docs, limits.read_source(path, shown, "page", "page-file"), shown)


def docs_relative(path: Path, docs: Path) -> str:
    """``path`` relative to docs/, as MkDocs names it (a symbolic link is not followed)."""
    return Path(os.path.abspath(path)).relative_to(os.path.abspath(docs)).as_posix()


def _read(path: Path, docs: Path, text: str, shown: str | None = None) -> Page:
    shown = shown or display_path(path)
    try:
        rel = docs_relative(path, docs)
    except ValueError:
        raise InputError(Finding(shown, 1, 1, "page-file", f"is not inside the docs folder {display_path(docs)}/")) from None
    text = text.removeprefix(limits.BOM)  # MkDocs reads the front matter after a byte-order mark
    limits.check_page_text(text, shown)
    page = Page(path=path, rel=rel, display=shown, text=text)
    _front_matter(page)
    _body(page)
    return page


def scan(text: str, rel: str = "page.md") -> Page:
    """The scanner alone, without the per-page limits: for the tests and the benchmark
    that prove every pattern linear on hostile lines (scripts/robustness_inputs.py)."""
    page = Page(path=Path(rel), rel=rel, display=rel, text=text)
    _front_matter(page)
    _body(page)
    return page


def _front_matter(page: Page) -> None:
    lines = page.lines
    if not lines or lines[0].strip() != "---":
        return
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        raise InputError(page.finding(1, 1, "front-matter", "front matter opened with '---' is never closed"))
    source = "\n".join(lines[1:end])
    limits.check_yaml(source, page.display, "front-matter", first_line=2)
    try:
        node, meta = parse_yaml(source)
        meta = meta or {}
    except yaml.YAMLError as exc:
        raise InputError(yaml_finding(exc, page.display, "front-matter", first_line=2)) from None
    if not isinstance(meta, dict):
        raise InputError(page.finding(2, 1, "front-matter", "front matter must be a mapping of keys to values"))
    page.meta = meta
    page.meta_node = node
    if isinstance(node, yaml.MappingNode):
        page.meta_lines = {k.value: k.start_mark.line + 2 for k, _ in node.value}
    page.body_start = end + 2


def _body(page: Page) -> None:
    lines = page.lines
    prose = [""] * len(lines)
    fence: tuple[str, int] | None = None
    open_callouts: list[Callout] = []
    for index in range(page.body_start - 1, len(lines)):
        number = index + 1
        raw = lines[index]
        # close callouts whose body has ended (a non-blank line indented too little)
        if open_callouts and raw and not raw.isspace():
            indent = len(raw) - len(raw.lstrip(" "))
            while open_callouts and indent < open_callouts[-1].indent + 4:
                open_callouts.pop()
        for callout in open_callouts:
            callout.end = number
        # each pattern only where its tell-tale characters are (most lines have none)
        match = FENCE.match(raw) if ("`" in raw or "~" in raw) else None
        if fence:
            if match and match.group(2)[0] == fence[0] and len(match.group(2)) >= fence[1]:
                fence = None
            continue
        if match:
            fence = (match.group(2)[0], len(match.group(2)))
            continue
        if IGNORE_MARKER in raw:
            page.ignored_lines.add(number)
        callout = CALLOUT.match(raw) if ("!!!" in raw or "???" in raw) else None
        if callout:
            found = Callout(
                line=number,
                col=len(callout.group(1)) + 1,
                kind=callout.group(3),
                title=callout.group(5) or "",
                indent=len(callout.group(1)),
                end=number,
            )
            page.callouts.append(found)
            open_callouts.append(found)
            continue
        heading = HEADING.match(raw) if raw.startswith("#") else None
        if heading and not raw.startswith(" "):
            text = heading.group(2) or ""
            anchor = ""
            attrs = HEADING_ATTRS.match(text, text.rfind("{")) if "{" in text else None
            if attrs:
                ids = re.findall(r"#([\w.:-]+)", attrs.group(1))
                anchor = ids[0] if ids else ""
                text = text[: attrs.start()]
            text = text.rstrip("#").strip()
            page.headings.append(Heading(number, len(heading.group(1)), text, anchor or slugify(text, "-")))
            _scan_inline(page, number, raw, record_only=True)
            continue
        if raw:  # an empty line's prose is empty
            prose[index] = _scan_inline(page, number, raw)
    page.prose = prose


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _scan_inline(page: Page, number: int, raw: str, record_only: bool = False) -> str:
    work = raw
    # Each pattern runs only when its tell-tale character is on the line: most lines
    # have none, and the checker reads every line of every page.
    if "<!--" in work:
        work = _blank_all(HTML_COMMENT, work, "-->")
    if "`" in work:
        work = replace_spans(work, code_spans(work), lambda code: " " * len(code))
    if "@" in work:
        for m in citation_blocks(work):
            for part, offset in _split(m.group(1), m.start(1)):
                cite = CITATION.match(part)
                if cite:
                    col = offset + part.index("@") + 1
                    page.citations.append(Citation(number, col, cite.group("key"), cite.group("locator") or ""))
            work = _blank(work, m.start(), m.end())
    if "](" in work:
        for m in LINK.finditer(work):
            page.links.append(Link(number, m.start() + 1, m.group(2), m.group(3), bool(m.group(1))))
            work = _blank(work, m.start(), m.end())
    if record_only:
        return ""
    if "[^" in work:
        work = _blank_all(FOOTNOTE, work, "]")
    if "{" in work:
        work = _blank_all(ATTR_LIST, work, "}")
    if "<" in work:
        work = _blank_all(HTML_TAG, work, ">")
    return work


def _blank_all(pattern: re.Pattern, text: str, closer: str) -> str:
    """Blank every match of ``pattern``, which ends with ``closer``. Only the text up to
    the last ``closer`` is searched: an opener after it could only fail, after reading
    the rest of the line, and a line full of openers would take quadratic time."""
    end = text.rfind(closer) + len(closer)
    if end < len(closer):
        return text
    return pattern.sub(lambda m: " " * len(m.group(0)), text[:end]) + text[end:]


def _split(block: str, start: int):
    offset = start
    for part in block.split(";"):
        yield part, offset
        offset += len(part) + 1


def read_pages(docs: Path) -> tuple[list[Page], list[Finding], list[str]]:
    """Every page under ``docs``: (the pages read, the input errors of those that could not
    be, their docs-relative paths). The one loop over the pages: the checker's
    ``load_site`` and the coverage report and page (scripts/coverage.py) read them here."""
    pages: list[Page] = []
    findings: list[Finding] = []
    unreadable: list[str] = []
    for path in docs_pages(docs):
        try:
            pages.append(read_page(path, docs))
        except InputError as exc:
            findings.append(exc.finding)
            try:
                unreadable.append(docs_relative(path, docs))
            except ValueError:
                pass
    return pages, findings, unreadable


def docs_pages(docs: Path, paths: list[Path] | None = None) -> list[Path]:
    if paths:
        found: list[Path] = []
        for path in paths:
            if path.is_dir():
                found += sorted(path.rglob("*.md"))
            else:
                found.append(path)
        return found
    return sorted(docs.rglob("*.md"))
