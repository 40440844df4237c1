"""Reading contributed files without letting them hang, flood or crash a step.

Every source file a contributor can change goes through here before it is parsed:

- ``read_source`` refuses a file over its size limit and a file that is not UTF-8 (with
  the line and column of the first bad byte), each as an ``InputError`` carrying
  ``path:line:col``; a byte-order mark is dropped, as MkDocs drops it (symbolic links
  under docs/ are refused by the content policy before anything is read);
- ``check_yaml`` refuses YAML aliases (``*name``, the "billion laughs" bomb) and nesting
  deeper than any of our files needs, before anything builds the data.

The limits are generous for prose (the largest notes page is under 40 kB) and small
enough that no step takes minutes over one file (a 2 MB table took the PDF 233 s).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .findings import Finding, InputError

KB = 1000
MB = 1000 * KB
# What each kind of source may weigh, in bytes: far above what the content needs.
MAX_BYTES = {
    "page": 1 * MB,  # one Markdown page
    "glossary": 1 * MB,  # docs/glossary.yml
    "bib": 1 * MB,  # docs/references.bib
    "figure": 200 * KB,  # one SVG figure
}
NOUNS = {"page": "a page", "glossary": "the glossary", "bib": "the bibliography", "figure": "a figure"}
MAX_TABLE_ROWS = 500  # rows in one Markdown table (the largest has about 20)
MAX_BACKTICK_RUN = 16  # backticks in a row (a code fence needs 3 or 4)
MAX_YAML_DEPTH = 20  # nested lists and mappings in one YAML document
BOM = "\ufeff"


def human(size: int) -> str:
    return f"{size / MB:.1f} MB".replace(".0 ", " ") if size >= MB else f"{size / KB:.0f} kB"


def read_source(path: Path, shown: str, kind: str, rule: str) -> str:
    """The text of a contributed file, or an InputError naming ``shown`` and the problem."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(Finding(shown, 1, 1, rule, "is a folder, not a file")) from None
    except OSError as exc:
        raise InputError(Finding(shown, 1, 1, rule, f"the file cannot be read: {exc.strerror or exc}")) from None
    limit = MAX_BYTES[kind]
    if len(data) > limit:
        raise InputError(Finding(shown, 1, 1, rule, f"the file is {human(len(data))}; {NOUNS[kind]} may be at most {human(limit)}; split it"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[start : exc.start].decode("utf-8", errors="replace")) + 1
        raise InputError(Finding(shown, line, col, rule, f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} here); save it as UTF-8")) from None
    return text[1:] if text.startswith(BOM) else text


def check_yaml(text: str, shown: str, rule: str, first_line: int = 1) -> None:
    """Refuse aliases and deep nesting in a YAML text; ``first_line`` is the line the text
    starts on in its file (front matter starts on line 2). Syntax errors are left to the
    loader, which reports them with their position."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            mark = event.start_mark
            where = (shown, mark.line + first_line, mark.column + 1, rule)
            if isinstance(event, yaml.AliasEvent):
                raise InputError(Finding(*where, f"YAML aliases ('*{event.anchor}') are not allowed; write the value out"))
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise InputError(Finding(*where, f"YAML nested more than {MAX_YAML_DEPTH} levels deep"))
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return  # the loader reports it with its own message


LONG_BACKTICKS = re.compile("`{%d,}" % (MAX_BACKTICK_RUN + 1))
TOO_MANY_BACKTICKS = "`" * (MAX_BACKTICK_RUN + 1)


def check_page_text(text: str, shown: str) -> None:
    """The limits on one Markdown page, for the checker and for the build before MkDocs
    converts the page: its size, its tables' length, its runs of backticks."""
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES["page"]:
        raise InputError(Finding(shown, 1, 1, "page-limit", f"the page is {human(size)}; a page may be at most {human(MAX_BYTES['page'])}; split it"))
    if text.count("|") <= MAX_TABLE_ROWS and TOO_MANY_BACKTICKS not in text:
        return  # too few "|" for a table that long, and no long run: nothing to find line by line
    run = 0
    for index, line in enumerate(text.split("\n")):
        if line.lstrip().startswith("|"):
            run += 1
            if run == MAX_TABLE_ROWS + 1:
                raise InputError(Finding(shown, index - MAX_TABLE_ROWS + 1, 1, "page-limit", f"a table of more than {MAX_TABLE_ROWS} rows; split it"))
        else:
            run = 0
        if TOO_MANY_BACKTICKS in line:
            col = LONG_BACKTICKS.search(line).start() + 1
            raise InputError(Finding(shown, index + 1, col, "page-limit", f"more than {MAX_BACKTICK_RUN} backticks in a row; Markdown reads long runs slowly"))
