"""Copied-text check: no run of ten or more words may match a source word for word.

The sources (the paper's LaTeX, its first forum post, the seed documents and the shared
notes about the paper) are not stored here. Only fingerprints are: a short hash of every
run of ten consecutive words, in ``scripts/data/source-fingerprints.txt.gz``. They
reveal no text, and ``python -m scripts originality --refresh FILE...`` rebuilds them
from the source files when a source is added.

The same file holds the fingerprints that quotations are checked against: a shorter hash
of every run of one to four words of the paper's LaTeX, labelled ``quote:SOURCE``
(``python -m scripts originality --quotes mesa_optimization.tex`` rebuilds them). A
quotation the notes attribute to the paper matches when every run of up to four of its
words is one of them; an ellipsis splits it into parts that are matched separately
(``check_quotations``).
"""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import GLOSSARY_NAME, pages
from .findings import Finding, InputError
from .pages import FENCE, cited_works, display_path
from .template import PAPER_KEY

RUN = 10
FINGERPRINTS = Path(__file__).parent / "data" / "source-fingerprints.txt.gz"
ALLOWED = Path(__file__).parent / "data" / "allowed-phrases.txt"
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# Markdown we strip before reading words: what a reader does not read as prose.
# Each is searched only up to the last of its closing character (``_sub_upto``): an opener
# after it could only fail after reading the rest of the text, and a line of openers
# would take quadratic time. Citations are the bracket blocks that hold a @key.
BRACKETS = re.compile(r"\[([^\[\]]*)\]")
MD_DROP = [
    (re.compile(r"!\[[^\[\]]*\]\([^)]*\)"), ")"),  # images (alt text without brackets)
    (re.compile(r"\]\([^)]*\)"), ")"),  # link targets (the text stays)
    (re.compile(r"<[^>]+>"), ">"),  # HTML tags
    (re.compile(r"\{[:#.][^}]*\}"), "}"),  # attribute lists
]
TEX_DROP = [
    re.compile(r"(?<!\\)%.*$", re.MULTILINE),
    re.compile(r"\\(?:cite|citep|citet|label|ref|cref|Cref|includegraphics|url|href)\*?(?:\[[^\]]*\])?\{[^}]*\}"),
    re.compile(r"\\[a-zA-Z]+\*?"),
]


def fingerprint(words: list[str], size: int = 6) -> str:
    return hashlib.blake2b(" ".join(words).encode(), digest_size=size).hexdigest()


def tex_words(text: str) -> list[str]:
    for pattern in TEX_DROP:
        text = pattern.sub(" ", text)
    return WORD.findall(text.replace("``", " ").replace("''", " ").lower())


def markdown_words(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("|")]
    return WORD.findall(strip_markdown("\n".join(lines)).lower())


def strip_markdown(text: str) -> str:
    if "[" in text:
        text = BRACKETS.sub(lambda m: " " if pages.AT_KEY.search(m.group(1)) else m.group(0), text)
    for pattern, closer in MD_DROP:
        text = _sub_upto(pattern, text, closer, " ")
    return text.replace("’", "'")


def _sub_upto(pattern: re.Pattern, text: str, closer: str, repl) -> str:
    """``pattern.sub(repl, text)`` for a pattern that ends with ``closer``, searching only
    up to the last ``closer`` (linear where the whole text could be quadratic)."""
    end = text.rfind(closer) + len(closer)
    if end < len(closer):
        return text
    return pattern.sub(repl, text[:end]) + text[end:]


def source_words(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    return tex_words(text) if path.suffix == ".tex" else markdown_words(text)


def build_fingerprints(sources: list[Path]) -> dict[str, str]:
    table: dict[str, str] = {}
    for path in sources:
        words = source_words(path)
        for i in range(len(words) - RUN + 1):
            table.setdefault(fingerprint(words[i : i + RUN]), path.name)
    return table


def save(table: dict[str, str], target: Path = FINGERPRINTS) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"{h} {src}\n" for h, src in sorted(table.items()))
    with gzip.GzipFile(target, "wb", mtime=0) as out:
        out.write(body.encode())


@lru_cache(maxsize=4)
def load_all(target: Path = FINGERPRINTS) -> dict[str, str]:
    """Every fingerprint in the file: hash -> source (quotation ones: "quote:SOURCE").

    A missing or unreadable file is an ``InputError`` (the check fails closed: without
    its fingerprints it would find nothing, and say nothing)."""
    try:
        with gzip.open(target, "rt", encoding="utf-8") as handle:
            text = handle.read()
        rows = [line.split(" ", 1) for line in text.splitlines()]
        if any(len(row) != 2 for row in rows):
            raise ValueError("a line is not 'HASH SOURCE'")
    except FileNotFoundError:
        raise InputError(Finding(display_path(target), 1, 1, "originality", "no fingerprints file; rebuild it with python -m scripts originality --refresh SOURCE…")) from None
    except (OSError, EOFError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(Finding(display_path(target), 1, 1, "originality", f"the fingerprints file cannot be read ({exc}); rebuild it with python -m scripts originality --refresh SOURCE…")) from None
    return dict(rows)


def _kept(target: Path = FINGERPRINTS) -> dict[str, str]:
    """What a rebuild keeps of the file: nothing when there is none yet."""
    return load_all(target) if target.exists() else {}


@lru_cache(maxsize=4)
def load(target: Path = FINGERPRINTS) -> dict[str, str]:
    """The source fingerprints, less those of allowed phrases (names and titles)."""
    table = dict(load_all(target))
    for line in ALLOWED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words = WORD.findall(line.lower())
            for i in range(len(words) - RUN + 1):
                table.pop(fingerprint(words[i : i + RUN]), None)
    return table


def page_tokens(text: str) -> list[tuple[str, int, int]]:
    """(word, line, col) for the prose of a Markdown or YAML file; headings are titles, skipped."""
    tokens = []
    in_front = text.startswith("---\n")
    for number, line in enumerate(text.split("\n"), start=1):
        if in_front:
            if number > 1 and line.strip() in ("---", "..."):
                in_front = False
            continue
        if line.lstrip().startswith("#"):
            continue
        clean = strip_markdown(line)
        lowered = clean.lower()
        for m in WORD.finditer(lowered):
            tokens.append((m.group(0), number, m.start() + 1))
    return tokens


def find_copies(path: Path, table: dict[str, str], text: str | None = None) -> list[Finding]:
    text = path.read_text(encoding="utf-8") if text is None else text
    tokens = page_tokens(text)
    words = [t[0] for t in tokens]
    findings = []
    i = 0
    while i <= len(words) - RUN:
        source = table.get(fingerprint(words[i : i + RUN]))
        if source is None:
            i += 1
            continue
        j = i
        while j + 1 <= len(words) - RUN and fingerprint(words[j + 1 : j + 1 + RUN]) in table:
            j += 1
        length = j - i + RUN
        _, line, col = tokens[i]
        excerpt = " ".join(words[i : i + RUN])
        findings.append(Finding(display_path(path), line, col, "copied-text", f"{length} words match {source}: \"{excerpt} …\"; say it in our own words"))
        i = j + RUN
    return findings


def check_originality(docs: Path, paths: list[Path] | None = None, target: Path = FINGERPRINTS) -> list[Finding]:
    try:
        table = load(target)
    except InputError as exc:
        return [exc.finding]
    if paths:
        files = [p for p in paths if p.is_file()] + [f for p in paths if p.is_dir() for f in sorted(p.rglob("*.md"))]
    else:
        files = sorted(docs.rglob("*.md")) + [docs / GLOSSARY_NAME]
    findings = []
    for path in files:
        if path.exists():
            findings += find_copies(path, table)
    return findings


# ---------------------------------------------------------------------------
# Quotations attributed to the paper
# ---------------------------------------------------------------------------

QUOTE_RUN = 4  # runs of up to this many words of the paper are fingerprinted
QUOTE_SIZE = 4  # bytes of hash per quotation fingerprint (about 50 000 of them)
QUOTE_LABEL = "quote:"
ELLIPSIS = re.compile(r"…|\.\s*\.\s*\.|\[\s*…\s*\]")
QUOTED = re.compile(r'"([^"\n]+)"|“([^”\n]+)”')
# Markdown that is not quoted prose, blanked (same length) before quotations are looked for
QUOTE_BLANK = [
    re.compile(r"<!--.*?-->"),
    re.compile(r"(`+).+?\1"),
    re.compile(r"\]\([^)]*\)"),  # a link's target; its text stays
    re.compile(r"\[(?![^\[\]]*@)"),  # the bracket before a link's text (not a citation's)
    re.compile(r"</?[a-zA-Z][^>]*>"),
    re.compile(r"\{:?\s*[#.][^}]*\}"),
]
QUOTE_BLANK_CLOSERS = ["-->", None, ")", None, ">", "}"]  # for _sub_upto; None: see _blank


def build_quote_fingerprints(paper: Path) -> dict[str, str]:
    words = source_words(paper)
    label = QUOTE_LABEL + paper.name
    table: dict[str, str] = {}
    for n in range(1, QUOTE_RUN + 1):
        for i in range(len(words) - n + 1):
            table.setdefault(fingerprint(words[i : i + n], QUOTE_SIZE), label)
    return table


_QUOTE_TABLES: dict[Path, tuple[dict, frozenset[str]]] = {}  # target -> (load_all's table, its quotation hashes)


def quote_table(target: Path = FINGERPRINTS) -> frozenset[str]:
    """The quotation fingerprints, made once per table that ``load_all`` returns (a
    rebuild clears its cache and so gives a new table, and a new set here)."""
    table = load_all(target)
    made = _QUOTE_TABLES.get(target)
    if made is None or made[0] is not table:
        made = _QUOTE_TABLES[target] = (table, frozenset(h for h, src in table.items() if src.startswith(QUOTE_LABEL)))
    return made[1]


def unmatched(text: str, table: set[str]) -> str | None:
    """None when the quotation matches the paper, else the first words that do not."""
    for part in ELLIPSIS.split(text):
        words = WORD.findall(part.replace("’", "'").lower())
        if not words:
            continue
        n = min(len(words), QUOTE_RUN)
        for i in range(len(words) - n + 1):
            if fingerprint(words[i : i + n], QUOTE_SIZE) not in table:
                return " ".join(words[i : i + n])
    return None


@dataclass(frozen=True)
class Quotation:
    line: int
    col: int
    text: str
    locator: str  # of the paper, in the citation the quotation carries


# what each of QUOTE_BLANK's patterns must find on a line to match at all
QUOTE_BLANK_TELLS = ["<!--", "`", "](", "[", "<", "{"]


def _blank(line: str) -> str:
    """The line with comments, code, link targets, tags and attribute lists blanked. Code
    spans are found as scripts/pages.py finds them, and comments only up to the last
    ``-->``: the regular expressions for both take quadratic (comments) or cubic (a line of
    backticks) time on a hostile line."""
    for tell, pattern in zip(QUOTE_BLANK_TELLS, QUOTE_BLANK):
        if tell not in line:
            continue
        if tell == "`":
            line = pages.replace_spans(line, pages.code_spans(line), lambda span: " " * len(span))
        elif closer := QUOTE_BLANK_CLOSERS[QUOTE_BLANK_TELLS.index(tell)]:
            line = _sub_upto(pattern, line, closer, _spaces)
        else:
            line = pattern.sub(_spaces, line)
    return line


def _spaces(m: re.Match) -> str:
    return " " * len(m.group(0))


def _paper_locator(block: str) -> str | None:
    for key, locator in cited_works(f"[{block}]"):
        if key == PAPER_KEY:
            return locator
    return None


def quotations(page) -> list[Quotation]:
    """Quotations a page attributes to the paper: text in quotation marks followed, on
    the same line (one sentence per line), by a citation naming the paper; and
    blockquotes that cite it."""
    found: list[Quotation] = []
    fence = None
    block: list[tuple[int, str]] = []

    def close_block():
        if not block:
            return
        text = " ".join(t for _, t in block)
        blocks = list(pages.citation_blocks(text))
        locators = [loc for m in blocks if (loc := _paper_locator(m.group(1))) is not None]
        if locators:
            found.append(Quotation(block[0][0], 1, pages.replace_spans(text, [m.span() for m in blocks], lambda _: " "), locators[0]))
        block.clear()

    for number in range(page.body_start, len(page.lines) + 1):
        raw = page.lines[number - 1]
        mark = FENCE.match(raw) if ("`" in raw or "~" in raw) else None  # a fence has one or the other
        if fence:
            if mark and mark.group(2)[0] == fence:
                fence = None
            continue
        if mark:
            fence = mark.group(2)[0]
            continue
        stripped = raw.lstrip()
        if stripped.startswith(">"):
            block.append((number, _blank(stripped.lstrip("> ").rstrip())))
            continue
        if block:
            close_block()
        if stripped.startswith("#") or '"' not in raw and "“" not in raw:
            continue
        line = _blank(raw)
        cites = [(m.start(), _paper_locator(m.group(1))) for m in pages.citation_blocks(line)]
        for m in QUOTED.finditer(line):
            after = next((loc for start, loc in cites if start > m.end()), "missing")
            if after is None or after == "missing":
                continue  # attributed to another work, or to nobody
            found.append(Quotation(number, m.start() + 1, m.group(1) or m.group(2), after))
    close_block()
    return found


def check_quotations(pages, target: Path = FINGERPRINTS) -> list[Finding]:
    """Every quotation attributed to the paper matches its words (case, punctuation and
    whitespace aside; an ellipsis marks an omission)."""
    findings: list[Finding] = []
    table: set[str] | None = None
    for page in pages:
        for quote in quotations(page):
            if table is None:
                try:
                    table = quote_table(target)
                except InputError as exc:
                    return [exc.finding]
                if not table:
                    return [Finding(display_path(target), 1, 1, "misquote", "no quotation fingerprints of the paper; run python -m scripts originality --quotes PATH/TO/mesa_optimization.tex")]
            wrong = unmatched(quote.text, table)
            if wrong is not None:
                shown = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(quote.text.split()))
                shown = shown if len(shown) <= 80 else shown[:77] + "…"
                where = quote.locator or "no locator"
                findings.append(page.finding(quote.line, quote.col, "misquote", f"\"{shown}\" does not match the paper's words (cited at {where}): \"{wrong}\" is not in it; quote it exactly, with … for an omission"))
    return findings


def main(args) -> int:
    try:
        return _main(args)
    except InputError as exc:  # an unreadable fingerprints file, kept by a rebuild
        print(exc.finding.format())
        return 2


def _main(args) -> int:
    from .findings import render

    if args.quotes:
        if not args.quotes.is_file():
            print(f"{args.quotes}: error: no such file")
            return 2
        table = {h: src for h, src in _kept().items() if not src.startswith(QUOTE_LABEL)}
        quotes = build_quote_fingerprints(args.quotes)
        save({**table, **quotes})
        load.cache_clear()
        load_all.cache_clear()
        print(f"{len(quotes)} quotation fingerprints from {args.quotes.name} written to {display_path(FINGERPRINTS)}")
        return 0
    if args.refresh:
        missing = [p for p in args.refresh if not p.is_file()]
        if missing:
            print(f"{missing[0]}: error: no such file")
            return 2
        table = build_fingerprints(args.refresh)
        save({**table, **{h: src for h, src in _kept().items() if src.startswith(QUOTE_LABEL)}})  # keep the quotation fingerprints
        load.cache_clear()
        load_all.cache_clear()
        print(f"{len(table)} fingerprints from {len(args.refresh)} sources written to {display_path(FINGERPRINTS)}")
        return 0
    from .cli_paths import UsageError, resolve_paths

    try:
        docs, paths = resolve_paths(getattr(args, "docs", None), args.paths)
    except UsageError as exc:
        print(f"error: {exc}")
        return 2
    findings = check_originality(docs, paths or None, FINGERPRINTS)
    if findings:
        print(render(findings))
    return 1 if findings else 0
