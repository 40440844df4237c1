"""The glossary: load ``docs/glossary.yml``, validate it, find terms (scripts/glossary_html.py
renders it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

import yaml

from . import hints, limits
from .findings import Finding, InputError
from .pages import Page, cached_on_mtime, cited_works, display_path, parse_yaml, resolve_link, yaml_finding

GROUPS = {
    "1": "Section 1 glossary: the framework",
    "2": "Section 2 glossary: conditions for mesa-optimization",
    "3": "Section 3 glossary: pseudo-alignment",
    "4": "Section 4 glossary: deceptive alignment",
    "supporting": "Supporting terms the notes use",
    "later": "Terms from later work",
}
REQUIRED = ("id", "term", "group", "cite", "definition")
OPTIONAL = ("aliases", "match", "kind_of", "contrasts_with", "see_also")
RELATIONS = {"kind_of": "Kind of", "contrasts_with": "Contrasts with", "see_also": "See also"}
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GLOSSARY_PAGE = "glossary.md"


@dataclass
class Entry:
    id: str
    term: str
    group: str
    cite: str
    definition: str
    line: int
    aliases: list[str] = field(default_factory=list)
    match: list[str] | None = None
    kind_of: list[str] = field(default_factory=list)
    contrasts_with: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def phrases(self) -> list[str]:
        """What counts as a use of this term in prose."""
        if self.match is not None:
            return list(self.match)
        return [self.term, *self.aliases]

    def citations(self) -> list[tuple[str, str]]:
        """(key, locator) for each work the ``cite`` field names."""
        return cited_works(self.cite)

    def cite_keys(self) -> list[str]:
        return [key for key, _ in self.citations()]

    @property
    def plain_definition(self) -> str:
        text = re.sub(r"[*_`]", "", self.definition)
        return " ".join(text.split())


@dataclass
class Glossary:
    path: Path
    entries: list[Entry]
    findings: list[Finding]

    @cached_property
    def by_id(self) -> dict[str, Entry]:
        """Entries by id, made once (a loaded glossary's entries do not change)."""
        return {e.id: e for e in self.entries}


@cached_on_mtime
def load(path: Path) -> Glossary:
    """Load and validate the glossary. Raises InputError if the YAML cannot be read.

    Cached on the file's modification time, so the build's hooks and checker share one read.
    """
    shown = display_path(path)
    if not path.exists():
        raise InputError(Finding(shown, 1, 1, "glossary-file", "cannot read the glossary: No such file or directory"))
    text = limits.read_source(path, shown, "glossary", "glossary-file")
    limits.check_yaml(text, shown, "glossary-yaml")
    try:
        root, values = parse_yaml(text)
    except yaml.YAMLError as exc:
        raise InputError(yaml_finding(exc, shown, "glossary-yaml")) from None
    if root is None or not isinstance(root, yaml.SequenceNode):
        raise InputError(Finding(shown, 1, 1, "glossary-yaml", "the glossary must be a YAML list of entries"))

    findings: list[Finding] = []
    entries: list[Entry] = []
    for node, data in zip(root.value, values):
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            findings.append(Finding(shown, line, 1, "glossary-field", "each entry must be a mapping with id, term, group, cite and definition"))
            continue
        lines = {k.value: k.start_mark.line + 1 for k, _ in node.value}
        col = node.start_mark.column + 1
        name = data.get("id") or data.get("term") or "?"
        bad = False
        for key in REQUIRED:
            value = data.get(key)
            if not isinstance(value, str) or not value.strip():
                findings.append(Finding(shown, lines.get(key, line), col, "glossary-field", f"entry '{name}' needs a non-empty '{key}'"))
                data[key] = ""
                bad = bad or key in ("id", "term")  # without these the entry cannot be used at all
        for key in data:
            if key not in REQUIRED and key not in OPTIONAL:
                findings.append(Finding(shown, lines.get(str(key), line), col, "glossary-field", f"entry '{name}' has an unknown field '{key}'"))
        for key in OPTIONAL:
            value = data.get(key)
            if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
                findings.append(Finding(shown, lines[key], col, "glossary-field", f"entry '{name}': '{key}' must be a list of strings"))
                bad = True
            elif value is not None and key in ("aliases", "match") and not all(v.strip() for v in value):
                findings.append(Finding(shown, lines[key], col, "glossary-field", f"entry '{name}': '{key}' has an empty phrase; remove it"))
                data[key] = [v for v in value if v.strip()]  # an empty phrase would match everywhere
        if bad:
            continue
        if not ID.match(data["id"]):
            findings.append(Finding(shown, lines["id"], col, "glossary-field", f"id '{data['id']}' must be lowercase words joined by hyphens"))
        if data["group"] not in GROUPS:
            findings.append(Finding(shown, lines["group"], col, "glossary-field", f"entry '{name}': group must be one of {', '.join(GROUPS)}"))
        entries.append(
            Entry(
                id=data["id"],
                term=data["term"].strip(),
                group=data["group"],
                cite=data["cite"].strip(),
                definition=" ".join(data["definition"].split()),
                line=line,
                aliases=data.get("aliases") or [],
                match=data.get("match"),
                kind_of=data.get("kind_of") or [],
                contrasts_with=data.get("contrasts_with") or [],
                see_also=data.get("see_also") or [],
                lines=lines,
            )
        )

    seen: dict[str, Entry] = {}
    phrase_owner: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in seen:
            findings.append(Finding(shown, entry.lines["id"], 3, "glossary-duplicate", f"id '{entry.id}' is already used by the entry on line {seen[entry.id].line}"))
        seen.setdefault(entry.id, entry)
        for phrase in entry.phrases:
            norm = normalise(phrase)
            owner = phrase_owner.get(norm)
            if owner and owner is not entry:
                findings.append(Finding(shown, entry.line, 3, "glossary-duplicate", f"'{phrase}' of '{entry.id}' is also a term or alias of '{owner.id}'"))
            phrase_owner.setdefault(norm, entry)
    for entry in entries:
        if entry.cite and not entry.cite_keys():
            findings.append(Finding(shown, entry.lines["cite"], 3, "glossary-cite", f"entry '{entry.id}' cites nothing; write it as [@key, sec. N]"))
        for relation in RELATIONS:
            for target in getattr(entry, relation):
                if target not in seen:
                    findings.append(Finding(shown, entry.lines[relation], 3, "glossary-related", f"entry '{entry.id}': {relation} names '{target}', which is not a glossary id" + hints.did_you_mean(target, seen)))
    for index, after in hints.out_of_order([e.id for e in entries]):
        entry = entries[index]
        where = f"after '{entries[after].id}' (line {entries[after].line})" if after is not None else "to the top of the list"
        findings.append(Finding(shown, entry.lines["id"], 3, "glossary-order", f"'{entry.id}' is out of alphabetical order of id; move it {where}"))
    return Glossary(path, entries, findings)


SEPARATOR = r"[\s\-\u2013]+"  # between words of a term: spaces, hyphens or an en dash
TERM_BEFORE = r"(?<![\w\-\u2013])"  # a term starts after none of these
TERM_AFTER = r"(?![\w\-\u2013])"  # and ends before none of them


@lru_cache(maxsize=65536)
def normalise(phrase: str) -> str:
    phrase = phrase.strip().lower().replace("\u2019", "'")
    return re.sub(SEPARATOR, " ", phrase)


def term_pattern(entries: list[Entry]) -> tuple[re.Pattern | None, dict[str, str]]:
    """One regex for every term and alias and a phrase -> id map.

    The regex is a trie of the phrases, so it runs in time close to linear in the text
    (Python's re does not optimise a long list of alternatives), and at every position it
    prefers the longest phrase. A space or a hyphen in a phrase matches either, so "mesa
    optimizer" and "mesa-optimizer" are the same use. Match it against ``prepare(text)``.
    Made once for the same phrases: the checker asks for it on every run.
    """
    pattern, owner = _term_pattern(tuple((entry.id, tuple(entry.phrases)) for entry in entries))
    return pattern, dict(owner)


@lru_cache(maxsize=8)
def _term_pattern(phrases: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[re.Pattern | None, dict[str, str]]:
    owner: dict[str, str] = {}
    for entry_id, entry_phrases in phrases:
        for phrase in entry_phrases:
            owner.setdefault(normalise(phrase), entry_id)
    if not owner:
        return None, owner
    trie: dict = {}
    for phrase in owner:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    pattern = re.compile(TERM_BEFORE + _trie_regex(trie) + TERM_AFTER)
    return pattern, owner


def _trie_regex(node: dict) -> str:
    branches = [(SEPARATOR if char == " " else re.escape(char)) + _trie_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def prepare(text: str) -> str:
    """Text as the term regex expects it: lower case, straight apostrophes (same length)."""
    return text.lower().replace("\u2019", "'")


def glossary_target(page: Page, link_path: str) -> bool:
    """Does a link path (relative to the page) point at the glossary page?"""
    if not link_path.endswith(GLOSSARY_PAGE):
        return False
    return resolve_link(page.rel, link_path) == GLOSSARY_PAGE


class Use(NamedTuple):
    """A glossary term met on a page: linked, or used in prose (a tuple: pages have
    hundreds of uses, and a checker run makes them for every page)."""

    line: int
    col: int
    id: str
    linked: bool
    text: str


def uses(page: Page, pattern: re.Pattern | None, owner: dict[str, str]) -> list[Use]:
    """Every glossary link and every prose use of a term on a page, in reading order."""
    found = [
        Use(link.line, link.col, link.fragment, True, link.text)
        for link in page.links
        if not link.image and glossary_target(page, link.path)
    ]
    if pattern is not None:
        found += _prose_uses(page, pattern, owner)
    found.sort(key=_READING_ORDER)
    return found


_READING_ORDER = attrgetter("line", "col")
LINE_BREAK = "\x00"  # between lines in one search: not a word, hyphen or space character


def _prose_uses(page: Page, pattern: re.Pattern, owner: dict[str, str]) -> list[Use]:
    """Every term in the page's prose (not on an ignored line), in order.

    One search over the whole prose, the lines joined by a character that no phrase
    holds and that bounds a term as the end of a line does (a term never runs on to
    the next line), instead of one search per line: the same matches.
    """
    ignored = page.ignored_lines
    lines = ["" if number in ignored else line for number, line in enumerate(page.prose, 1)]
    text = LINE_BREAK.join(lines)
    prepared = prepare(text)
    found = []
    if len(prepared) != len(text) or LINE_BREAK in pattern.pattern:  # lower() lengthened a character
        for number, line in enumerate(lines, 1):
            if line and not line.isspace():
                for m in pattern.finditer(prepare(line)):
                    start, end = m.span()
                    found.append(Use(number, start + 1, owner[normalise(m.group(0))], False, line[start:end]))
        return found
    index, line_start = 0, 0
    line_end = len(lines[0]) if lines else 0
    for start, end in _term_spans(prepared, pattern):
        while start > line_end:  # the match is on a later line
            index += 1
            line_start = line_end + 1
            line_end = line_start + len(lines[index])
        found.append(Use(index + 1, start - line_start + 1, owner[normalise(prepared[start:end])], False, text[start:end]))
    return found


def _term_spans(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) of every match of the term pattern in ``text``, as ``finditer`` finds them.

    The pattern's look-behind runs at every character, and that is most of its cost. The
    same search in about half the time on our pages: two patterns that match the
    character before a term instead, one for ASCII characters (a table look-up) and one
    for the others (rare in prose), taking the nearer match each time, from the last
    character of the previous term on (a term may end with a character a term can follow).
    """
    searches = _boundary_searches(pattern)
    if searches is None:
        return [m.span() for m in pattern.finditer(text)]
    text = LINE_BREAK + text  # a term can start the text: LINE_BREAK is a character before it
    ascii_search, other_search = searches
    spans = []
    a, b = ascii_search(text), other_search(text)
    while a is not None or b is not None:
        m = a if b is None or (a is not None and a.start() < b.start()) else b
        start, end = m.span(1)
        spans.append((start - 1, end - 1))
        if a is not None and a.start() < end - 1:
            a = ascii_search(text, end - 1)
        if b is not None and b.start() < end - 1:
            b = other_search(text, end - 1)
    return spans


# the characters before a term (not in [\w\-\u2013]): ASCII ones, then all others
ASCII_BOUNDARY = r"[\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]"
OTHER_BOUNDARY = r"[^\x00-\x7f\w\u2013]"


@lru_cache(maxsize=8)
def _boundary_searches(pattern: re.Pattern):
    """The term pattern as two searches for (a character before a term)(the term), or
    None for a pattern not made by ``term_pattern``."""
    source = pattern.pattern
    if not (source.startswith(TERM_BEFORE) and source.endswith(TERM_AFTER)):
        return None
    trie = source[len(TERM_BEFORE) : -len(TERM_AFTER)]
    return tuple(re.compile(f"{before}({trie}){TERM_AFTER}").search for before in (ASCII_BOUNDARY, OTHER_BOUNDARY))
