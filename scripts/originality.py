"""Copied-text check: no run of ten or more words may match a source word for word.

The sources (the paper's LaTeX, its first forum post, the seed documents and the shared
notes about the paper) are not stored here. Only fingerprints are: a short hash of every
run of ten consecutive words, in ``scripts/data/source-fingerprints.txt.gz``. They
reveal no text, and ``python -m scripts originality --refresh FILE...`` rebuilds them
from the source files when a source is added.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from .findings import Finding
from .pages import display_path

RUN = 10
FINGERPRINTS = Path(__file__).parent / "data" / "source-fingerprints.txt.gz"
ALLOWED = Path(__file__).parent / "data" / "allowed-phrases.txt"
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# Markdown we strip before reading words: what a reader does not read as prose.
MD_DROP = [
    re.compile(r"\[[^\[\]]*@[\w:-]+[^\[\]]*\]"),  # citations
    re.compile(r"!\[[^\]]*\]\([^)]*\)"),  # images
    re.compile(r"\]\([^)]*\)"),  # link targets (the text stays)
    re.compile(r"<[^>]+>"),  # HTML tags
    re.compile(r"\{[:#.][^}]*\}"),  # attribute lists
]
TEX_DROP = [
    re.compile(r"(?<!\\)%.*$", re.MULTILINE),
    re.compile(r"\\(?:cite|citep|citet|label|ref|cref|Cref|includegraphics|url|href)\*?(?:\[[^\]]*\])?\{[^}]*\}"),
    re.compile(r"\\[a-zA-Z]+\*?"),
]


def fingerprint(words: list[str]) -> str:
    return hashlib.blake2b(" ".join(words).encode(), digest_size=6).hexdigest()


def tex_words(text: str) -> list[str]:
    for pattern in TEX_DROP:
        text = pattern.sub(" ", text)
    return WORD.findall(text.replace("``", " ").replace("''", " ").lower())


def markdown_words(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("|")]
    return WORD.findall(strip_markdown("\n".join(lines)).lower())


def strip_markdown(text: str) -> str:
    for pattern in MD_DROP:
        text = pattern.sub(" ", text)
    return text.replace("’", "'")


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
def load(target: Path = FINGERPRINTS) -> dict[str, str]:
    """The source fingerprints, less those of allowed phrases (names and titles)."""
    if not target.exists():
        return {}
    with gzip.open(target, "rt", encoding="utf-8") as handle:
        table = dict(line.split(" ", 1) for line in handle.read().splitlines())
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


def check_originality(docs: Path, paths: list[Path] | None = None) -> list[Finding]:
    table = load()
    if not table:
        return []
    if paths:
        files = [p for p in paths if p.is_file()] + [f for p in paths if p.is_dir() for f in sorted(p.rglob("*.md"))]
    else:
        files = sorted(docs.rglob("*.md")) + [docs / "glossary.yml"]
    findings = []
    for path in files:
        if path.exists():
            findings += find_copies(path, table)
    return findings


def main(args) -> int:
    from .findings import render

    if args.refresh:
        missing = [p for p in args.refresh if not p.is_file()]
        if missing:
            print(f"{missing[0]}: error: no such file")
            return 2
        table = build_fingerprints(args.refresh)
        save(table)
        load.cache_clear()
        print(f"{len(table)} fingerprints from {len(args.refresh)} sources written to {display_path(FINGERPRINTS)}")
        return 0
    from . import DOCS

    findings = check_originality(DOCS, args.paths or None)
    if findings:
        print(render(findings))
    return 1 if findings else 0
