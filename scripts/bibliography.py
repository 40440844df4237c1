"""The bibliography: read ``docs/references.bib`` with line numbers, validate, render."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pybtex.errors
from pybtex.database import BibliographyData, BibliographyDataError, parse_string
from pybtex.scanner import PybtexError, PybtexSyntaxError

from . import limits
from .findings import Finding, InputError
from .pages import cached_on_mtime, display_path

GROUPS = {
    "paper": "The paper and its posts",
    "cited": "Works the paper cites",
    "background": "Earlier work the paper does not cite",
    "later": "Later work cited in these notes",
}
KEY = re.compile(r"^[a-z]+(?:\d{4}|nd)[a-z0-9]+$")
ENTRY_HEAD = re.compile(r"^\s*@(\w+)\s*[{(]\s*([^,\s]*)\s*(,?)", re.MULTILINE)
FIELD_NAME = re.compile(r"^[ \t]*([A-Za-z][\w-]*)[ \t]*=", re.MULTILINE)


@dataclass
class Bibliography:
    path: Path
    data: BibliographyData
    lines: dict[str, int]
    findings: list[Finding]

    def group_of(self, key: str) -> str:
        return self.data.entries[key].fields.get("keywords", "").strip()


def check_syntax(path: Path) -> tuple[str, dict[str, int]]:
    """Read the .bib file and check what would stop any BibTeX parser: entry heads and
    balanced braces. Returns the text and each key's line; raises InputError.

    This is all the build needs before mkdocs-bibtex parses the file; ``load`` (the
    checker's) goes on to a strict parse and the field rules.
    """
    shown = display_path(path)
    if not path.exists():
        raise InputError(Finding(shown, 1, 1, "bib-file", "cannot read the bibliography: No such file or directory"))
    text = limits.read_source(path, shown, "bib", "bib-file")
    lines: dict[str, int] = {}
    lowered: dict[str, str] = {}
    heads = list(ENTRY_HEAD.finditer(text))
    line_of = lambda m: text.count("\n", 0, m.start(1)) + 1  # noqa: E731  (the "@", not the blank lines before it)
    for m in heads:
        kind, key, comma = m.groups()
        line = line_of(m)
        if kind.lower() in ("comment", "preamble", "string"):
            continue
        if not key or not comma:
            raise InputError(Finding(shown, line, 1, "bib-syntax", f"@{kind} entry needs a key followed by a comma, as in @{kind}{{key,"))
        if key.lower() in lowered:
            first = lowered[key.lower()]
            same = "" if first == key else f" as '{first}' (BibTeX keys ignore case)"
            raise InputError(Finding(shown, line, 1, "bib-duplicate", f"key '{key}' is already defined on line {lines[first]}{same}"))
        lines[key] = line
        lowered[key.lower()] = key
    for i, m in enumerate(heads):
        chunk = text[m.start() : heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        # BibTeX counts every brace, a backslash before it or not. The entry ends where
        # its braces balance; what follows it, up to the next entry, is a comment.
        depth, end = 0, None
        for offset, char in enumerate(chunk):
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth == 0 and char == "}":
                end = offset
                break
        if end is None and "{" in m.group(0):
            raise InputError(Finding(shown, line_of(m), 1, "bib-syntax", f"entry '{m.group(2)}' has an unclosed '{{'; check its fields' braces"))
        rest = chunk[end + 1 :] if end is not None else ""
        stray = re.search(r"[=}]", rest)
        if stray and "{" in m.group(0):
            line = text.count("\n", 0, m.start() + end + 1 + stray.start()) + 1
            raise InputError(Finding(shown, line, 1, "bib-syntax", f"entry '{m.group(2)}' has a '}}' too many: it ends before this line (a backslash does not escape a brace in BibTeX)"))
        if end is not None:
            field_names: dict[str, int] = {}
            body = chunk[: end + 1]
            for field in FIELD_NAME.finditer(body):
                name = field.group(1).lower()
                line = text.count("\n", 0, m.start() + field.start(1)) + 1
                if name in field_names:
                    raise InputError(Finding(shown, line, 1, "bib-duplicate", f"entry '{m.group(2)}' has a second '{field.group(1)}' field (first on line {field_names[name]}; field names ignore case)"))
                field_names[name] = line
    return text, lines


@cached_on_mtime
def load(path: Path) -> Bibliography:
    """Parse the .bib file strictly and apply the field rules. Raises InputError when it
    cannot be parsed at all. Cached on the file's modification time.
    """
    shown = display_path(path)
    text, lines = check_syntax(path)
    findings: list[Finding] = []
    previous = pybtex.errors.strict
    pybtex.errors.set_strict_mode(True)
    try:
        data = parse_string(text, "bibtex")
    except PybtexSyntaxError as exc:
        raise InputError(Finding(shown, exc.lineno or 1, 1, "bib-syntax", exc.args[0] if exc.args else str(exc))) from None
    except (BibliographyDataError, PybtexError) as exc:
        raise InputError(Finding(shown, 1, 1, "bib-syntax", str(exc))) from None
    finally:
        pybtex.errors.set_strict_mode(previous)

    for key, entry in data.entries.items():
        line = lines.get(key, 1)
        if not KEY.match(key):
            findings.append(Finding(shown, line, 1, "bib-key", f"key '{key}' does not follow the convention surname + year (or nd) + title word, lowercase"))
        if "title" not in entry.fields:
            findings.append(Finding(shown, line, 1, "bib-field", f"entry '{key}' has no title"))
        if not entry.persons.get("author") and "organization" not in entry.fields:
            findings.append(Finding(shown, line, 1, "bib-field", f"entry '{key}' has no author"))
        group = entry.fields.get("keywords", "").strip()
        if group not in GROUPS:
            findings.append(Finding(shown, line, 1, "bib-field", f"entry '{key}' needs keywords = {{{'|'.join(GROUPS)}}} to place it on the Bibliography page"))
        if not any(f in entry.fields for f in ("url", "doi", "eprint")):
            findings.append(Finding(shown, line, 1, "bib-field", f"entry '{key}' has no url, doi or eprint for readers to follow"))
    return Bibliography(path, data, lines, findings)


def links(entry) -> list[tuple[str, str]]:
    """(label, url) pairs a reader can follow, most durable first."""
    fields = entry.fields
    found = []
    if "eprint" in fields and fields.get("archiveprefix", fields.get("archivePrefix", "arXiv")).lower() == "arxiv":
        found.append((f"arXiv:{fields['eprint']}", f"https://arxiv.org/abs/{fields['eprint']}"))
    if "doi" in fields and not fields["doi"].lower().startswith("10.48550/arxiv"):
        found.append(("DOI", f"https://doi.org/{fields['doi']}"))
    if "url" in fields and not any(fields["url"] == url for _, url in found):
        if not ("eprint" in fields and "arxiv.org" in fields["url"]):
            found.append(("Link", fields["url"]))
    return found


CITED_IN_SLOT = '<span class="cited-in-slot" data-key="{key}"></span>'


def render_page(data: BibliographyData, refs: dict) -> str:
    """HTML for the Bibliography page: grouped, each group in bibliography order, each
    entry with its links and a slot for "Cited in" (filled once every page is built)."""
    out: list[str] = []
    for group, title in GROUPS.items():
        keys = [k for k, entry in data.entries.items() if entry.fields.get("keywords", "").strip() == group and k in refs]
        if not keys:
            continue
        keys.sort(key=lambda k: (refs[k].text.lower(), k))
        out += [f"## {title} {{ #{group} }}", ""]
        for key in keys:
            slot = CITED_IN_SLOT.format(key=key)
            out += [f'<div class="bib-entry" id="ref-{key}"><p>{refs[key].html}</p>{slot}</div>', ""]
    return "\n".join(out)


def fill_cited_in(html: str, cited_in) -> str:
    """Replace each entry's slot with ``cited_in(key)`` (HTML)."""
    return re.sub(r'<span class="cited-in-slot" data-key="([\w:-]+)"></span>', lambda m: cited_in(m.group(1)), html)
