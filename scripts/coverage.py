"""The paper coverage map: an inventory of the paper's paragraphs and footnotes, and the check
that every item is covered by a notes heading or deliberately skipped.

Inventory (``python -m scripts coverage --inventory PATH/TO/mesa_optimization.tex``) writes
``scripts/data/paper-inventory.json``: one record per paragraph, list item, figure caption,
footnote and glossary entry of the paper, with a stable id, its section, kind, first line in the
.tex and a hash of its normalized text. It stores no text of the paper.

How the LaTeX is cut into items (documented for contributors on docs/contributing/conventions.md):

- The body is the abstract and sections 1–6; the paper's Glossary section is read as glossary
  items (below). Title-page notes (``\\thanks``), the table of contents and its per-section
  summaries (``\\cftchapterprecistoc``), comments and the bibliography are not items.
- A paragraph is what LaTeX calls one: text up to a blank line. Paragraphs are numbered from 1
  within the innermost numbered (sub)section: ``3.2-p4``; text of §3 before its first
  subsection is ``3-p1``…; the abstract is ``abstract-p1``.
- A list (enumerate/itemize) splits its paragraph: the text before the list is one paragraph,
  each top-level ``\\item`` is the next (kind ``item``; nested items belong to their parent),
  and text after the list up to the blank line is the next. Display maths stays in its paragraph.
- A figure's caption is one item, ``fig-1``…``fig-3`` in LaTeX's numbering, in the section it sits in.
- Footnotes are ``fn-1``…``fn-N`` in LaTeX's numbering order (``\\footnote`` in source order; the
  title page's ``\\thanks`` marks are separate symbols). A footnote's text is not part of its
  paragraph's hash; its record says which item it sits in (``in``).
- Glossary: each ``\\item`` of the paper's Glossary section, nested ones included, is
  ``gl-<term>`` (kind ``glossary``, section ``7.N``). The Glossary page covers it when
  docs/glossary.yml has an entry in group N whose id, term or an alias is that term; no
  declaration is needed.

Hash: sha256 (first 12 hex digits) of the item's words after removing comments, TeX commands,
braces, maths delimiters, punctuation and case, so a reformat or re-markup keeps it.
Each record keeps ``reviewed`` beside ``hash``: rewriting the inventory keeps ``reviewed``, and
``--accept ID…`` sets reviewed = hash once the notes were checked against the changed text.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import GLOSSARY_NAME, ROOT

INVENTORY_FILE = ROOT / "scripts" / "data" / "paper-inventory.json"
UPSTREAM = "evhub/mesa-optimization"
SOURCE_NAME = "mesa_optimization.tex"
GLOSSARY_SECTION = "Glossary"

# commands whose argument is not text of the paragraph
DROP_WITH_ARG = ("label", "cftchapterprecistoc", "includegraphics", "footnotemark", "bibliography", "bibliographystyle")
SECTIONING = re.compile(r"\\(section|subsection|subsubsection)\*?\{")


# ---------------------------------------------------------------------------
# Reading the LaTeX
# ---------------------------------------------------------------------------

def strip_comments(text: str) -> str:
    """Blank out % comments (not \\%), keeping every character's offset and line."""
    out = []
    for line in text.split("\n"):
        m = re.search(r"(?<!\\)%", line)
        out.append(line if m is None else line[: m.start()] + " " * (len(line) - m.start()))
    return "\n".join(out)


def matching_brace(text: str, start: int) -> int:
    """Index just past the group that opens at text[start] == '{' (or '[')."""
    open_ch = text[start]
    close_ch = "}" if open_ch == "{" else "]"
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == open_ch:
            depth += 1
        elif ch == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unbalanced {open_ch} at offset {start}")


def normalize(tex: str) -> str:
    """The words of a piece of LaTeX: no commands, braces, maths markup, punctuation or case."""
    text = strip_comments(tex)
    for name in DROP_WITH_ARG:
        text = re.sub(r"\\" + name + r"\s*(\[[^\]]*\])?(\{[^{}]*\})?", " ", text)
    text = re.sub(r"\\(begin|end)\{[^}]*\}", " ", text)
    text = re.sub(r"\\[A-Za-z@]+\*?", " ", text)   # command names; their arguments stay
    text = re.sub(r"\\.", " ", text)                # \\, \%, \', \, and the like
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def text_hash(tex: str) -> str:
    return hashlib.sha256(normalize(tex).encode("utf-8")).hexdigest()[:12]


@dataclass
class Item:
    id: str
    section: str
    kind: str            # paragraph | item | figure | footnote | glossary
    line: int
    hash: str
    reviewed: str | None = None
    parent: str | None = None   # the item a footnote sits in

    def record(self) -> dict:
        out = {"id": self.id, "section": self.section, "kind": self.kind, "line": self.line, "hash": self.hash, "reviewed": self.reviewed}
        if self.parent:
            out["in"] = self.parent
        return out


@dataclass
class _Block:
    """A run of body text that becomes one item, with its footnotes taken out."""
    kind: str
    start: int                       # offset of its first non-space character
    parts: list[str] = field(default_factory=list)
    footnotes: list[tuple[int, str]] = field(default_factory=list)


@lru_cache(maxsize=4096)  # the checker slugs every glossary name on every run
def slug(term: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalize(term)).strip("-")


class _Reader:
    def __init__(self, tex: str):
        self.text = strip_comments(tex)
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", self.text)]

    def line_of(self, offset: int) -> int:
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1


def _sections(reader: _Reader) -> list[tuple[int, int, str, str]]:
    """(start, end, number, title) for the abstract and every numbered (sub)section."""
    text = reader.text
    body_start = text.index("\\begin{document}")
    end_doc = text.index("\\end{document}")
    out = []
    m = re.search(r"\\begin\{abstract\}(.*?)\\end\{abstract\}", text, re.S)
    if m:
        out.append((m.start(1), m.end(1), "abstract", "Abstract"))
    heads = []
    sec = sub = 0
    for h in SECTIONING.finditer(text, body_start):
        close = matching_brace(text, h.end() - 1)
        title = text[h.end(): close - 1]
        if h.group(1) == "section":
            sec, sub = sec + 1, 0
            number = str(sec)
        else:
            sub += 1
            number = f"{sec}.{sub}"
        heads.append((h.start(), close, number, title))
    bib = text.find("\\bibliography{", body_start)
    stop = bib if bib != -1 else end_doc
    for i, (start, close, number, title) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else stop
        out.append((close, end, number, title))
    return out


def _blocks(reader: _Reader, start: int, end: int) -> list[_Block]:
    """Cut one section's text into paragraph, list-item and figure blocks."""
    text = reader.text
    blocks: list[_Block] = []
    current: _Block | None = None
    list_depth = 0
    i = start

    def flush():
        nonlocal current
        if current is not None and normalize("".join(current.parts)):
            blocks.append(current)
        current = None

    def add(piece: str, at: int):
        nonlocal current
        if not piece.strip():
            return
        if current is None:
            lead = len(piece) - len(piece.lstrip())
            current = _Block("paragraph", at + lead)
        current.parts.append(piece)

    token = re.compile(
        r"\n[ \t]*\n"                                  # blank line: a paragraph ends
        r"|\\footnote\s*\{"
        r"|\\begin\{(enumerate|itemize)\}(\[[^\]]*\])?"
        r"|\\end\{(enumerate|itemize)\}"
        r"|\\item\b"
        r"|\\begin\{figure\*?\}"
        r"|\\(?:" + "|".join(DROP_WITH_ARG) + r")\s*(\[[^\]]*\])?\{"
    )
    while i < end:
        m = token.search(text, i, end)
        if m is None:
            add(text[i:end], i)
            break
        add(text[i:m.start()], i)
        tok = m.group(0)
        if tok.startswith("\n"):
            if list_depth == 0:
                flush()
            i = m.end()
        elif tok.startswith("\\footnote"):
            close = matching_brace(text, m.end() - 1)
            if current is None:
                current = _Block("paragraph", m.start())
            current.footnotes.append((m.start(), text[m.end(): close - 1]))
            i = close
        elif tok.startswith("\\begin{enumerate") or tok.startswith("\\begin{itemize"):
            list_depth += 1
            if list_depth == 1:
                flush()          # the lead-in is its own paragraph
            i = m.end()
        elif tok.startswith("\\end{"):
            list_depth -= 1
            if list_depth == 0:
                flush()          # the last item ends; text after the list is a new paragraph
            i = m.end()
        elif tok.startswith("\\item"):
            if list_depth == 1:
                flush()
                current = _Block("item", m.start())
            i = m.end()
        elif tok.startswith("\\begin{figure"):
            flush()
            close = text.index("\\end{figure", m.end())
            body = text[m.end():close]
            cap = re.search(r"\\caption\s*\{", body)
            if cap:
                cap_start = m.end() + cap.end() - 1
                cap_end = matching_brace(text, cap_start)
                blocks.append(_Block("figure", m.start(), [text[cap_start + 1: cap_end - 1]]))
            i = text.index("}", close) + 1
        else:  # a command whose argument is dropped
            i = matching_brace(text, m.end() - 1)
    flush()
    return blocks


def read_inventory_items(tex: str) -> list[Item]:
    """Every item of the paper, in reading order (footnotes right after the item they sit in)."""
    reader = _Reader(tex)
    items: list[Item] = []
    fn_count = 0
    figures = 0
    glossary_number = None
    for start, end, number, title in _sections(reader):
        if normalize(title) == normalize(GLOSSARY_SECTION) and "." not in number:
            glossary_number = number
            continue
        if glossary_number and number.startswith(glossary_number + "."):
            items += _glossary_items(reader, start, end, number)
            continue
        blocks = _blocks(reader, start, end)
        para = 0
        for block in blocks:
            if block.kind == "figure":
                figures += 1
                items.append(Item(f"fig-{figures}", number, "figure", reader.line_of(block.start), text_hash("".join(block.parts))))
                continue
            para += 1
            item_id = f"{number}-p{para}"
            items.append(Item(item_id, number, block.kind, reader.line_of(block.start), text_hash("".join(block.parts))))
            for at, body in block.footnotes:
                fn_count += 1
                items.append(Item(f"fn-{fn_count}", number, "footnote", reader.line_of(at), text_hash(body), parent=item_id))
    return items


def _glossary_items(reader: _Reader, start: int, end: int, number: str) -> list[Item]:
    text = reader.text
    items = []
    for m in re.finditer(r"\\item\s*\\textbf\{", text[start:end]):
        at = start + m.start()
        open_brace = start + m.end() - 1
        close = matching_brace(text, open_brace)
        term = normalize(text[open_brace + 1: close - 1])
        rest_end = text.find("\\item", close)
        rest_end = end if rest_end == -1 or rest_end > end else rest_end
        body = text[close:rest_end]
        body = re.sub(r"\\(begin|end)\{itemize\}", " ", body)
        items.append(Item(f"gl-{slug(term)}", number, "glossary", reader.line_of(at), text_hash(body)))
    return items


# ---------------------------------------------------------------------------
# The inventory file
# ---------------------------------------------------------------------------

def load_inventory(path: Path = INVENTORY_FILE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def write_inventory(tex_path: Path, out: Path = INVENTORY_FILE, accept: list[str] | None = None) -> tuple[dict, list[str]]:
    """Read the paper, keep earlier ``reviewed`` hashes, write the JSON. Returns (data, notes)."""
    tex = tex_path.read_text(encoding="utf-8")
    items = read_inventory_items(tex)
    previous: dict[str, dict] = {}
    first = not out.exists()
    if not first:
        previous = {r["id"]: r for r in load_inventory(out).get("items", [])}
    for item in items:
        old = previous.get(item.id)
        item.reviewed = item.hash if first else (old or {}).get("reviewed")
    notes = []
    known = {i.id: i for i in items}
    for wanted in expand_ids(accept or [], list(known)):
        if wanted not in known:
            notes.append(f"--accept: no item '{wanted}'")
            continue
        known[wanted].reviewed = known[wanted].hash
    data = {
        "about": "Inventory of the paper's paragraphs and footnotes; no text of the paper. "
                 "Written by `python -m scripts coverage --inventory PATH/TO/mesa_optimization.tex`; "
                 "see docs/contributing/conventions.md.",
        "source": {"repository": UPSTREAM, "file": SOURCE_NAME, "sha256": hashlib.sha256(tex.encode("utf-8")).hexdigest()},
        "sections": " ".join(sorted({i.section for i in items}, key=section_key)),
        "items": [i.record() for i in items],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dump(data), encoding="utf-8")
    return data, notes


def dump(data: dict) -> str:
    """JSON with one item per line, so that a diff shows which items changed."""
    head = {k: v for k, v in data.items() if k != "items"}
    text = json.dumps(head, indent=1, ensure_ascii=False)[:-2]
    rows = ",\n  ".join(json.dumps(r, ensure_ascii=False) for r in data["items"])
    return f'{text},\n "items": [\n  {rows}\n ]\n}}\n'


def section_key(number: str) -> tuple:
    """Reading order of section numbers: abstract first, then 1, 1.1, …, 2."""
    if number == "abstract":
        return (0,)
    return (1, *(int(n) for n in number.split(".")))


def accept_ids(ids: list[str], path: Path = INVENTORY_FILE) -> list[str]:
    """Set reviewed = hash for these ids (ranges allowed) without the paper's source."""
    data = load_inventory(path)
    records = {r["id"]: r for r in data["items"]}
    notes = []
    for wanted in expand_ids(ids, list(records)):
        if wanted not in records:
            notes.append(f"--accept: no item '{wanted}'")
            continue
        records[wanted]["reviewed"] = records[wanted]["hash"]
    path.write_text(dump(data), encoding="utf-8")
    return notes


RANGE = re.compile(r"^(?P<prefix>.+-p)(?P<a>\d+)\.\.(?P<b>\d+)$")
FN_RANGE = re.compile(r"^fn-(?P<a>\d+)\.\.(?P<b>\d+)$")


def expand_id(token: str) -> list[str]:
    """`3-p3..5` -> 3-p3 3-p4 3-p5; `fn-3..4` likewise; anything else is itself."""
    m = RANGE.match(token)
    if m:
        a, b = int(m["a"]), int(m["b"])
        return [f"{m['prefix']}{n}" for n in range(a, b + 1)] if a <= b else [token]
    m = FN_RANGE.match(token)
    if m:
        a, b = int(m["a"]), int(m["b"])
        return [f"fn-{n}" for n in range(a, b + 1)] if a <= b else [token]
    return [token]


def expand_ids(tokens: list[str], known: list[str]) -> list[str]:
    out = []
    for token in tokens:
        if token == "all":
            out += known
        else:
            out += expand_id(token)
    return out


def main(args) -> int:
    out = Path(args.out) if args.out else INVENTORY_FILE
    if args.inventory:
        tex = Path(args.inventory)
        if not tex.exists():
            print(f"{tex}: error: no such file", file=sys.stderr)
            return 2
        data, notes = write_inventory(tex, out, args.accept)
    elif args.accept:
        if not out.exists():
            print(f"{out}: error: no inventory yet; run with --inventory PATH/TO/{SOURCE_NAME}", file=sys.stderr)
            return 2
        notes = accept_ids(args.accept, out)
        data = load_inventory(out)
    else:
        return report(Path(args.docs))
    for note in notes:
        print(note, file=sys.stderr)
    items = data["items"]
    kinds: dict[str, int] = {}
    for r in items:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    changed = [r["id"] for r in items if r["hash"] != r["reviewed"]]
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    print(f"{out}: {len(items)} items ({summary}); {len(changed)} not reviewed since they changed" + (f": {' '.join(changed)}" if changed else ""), file=sys.stderr)
    return 1 if notes else 0


# ---------------------------------------------------------------------------
# Declarations on the pages, and the check
# ---------------------------------------------------------------------------

def inventory_path(docs: Path) -> Path:
    """The inventory belongs to the project around ``docs``: <project>/scripts/data/…"""
    return docs.resolve().parent / "scripts" / "data" / INVENTORY_FILE.name


@dataclass(frozen=True)
class Declaration:
    """One id (or range) written on a page: under ``covers: <heading>:`` or ``skips:``."""
    page: str          # docs-relative path
    display: str       # how messages name the file
    line: int
    col: int
    token: str         # as written, e.g. 3-p3..5
    ids: tuple         # the ids it stands for
    heading: str = ""  # covers: the heading id; skips: ""
    reason: str = ""   # skips: the one-line reason
    key_line: int = 0  # where the heading id (covers) is written
    key_col: int = 0


@dataclass
class PageDeclarations:
    page: str
    display: str
    covers_line: int | None
    skips_line: int | None
    declarations: list[Declaration]
    findings: list  # problems with the declarations' form, found while reading


def _front_matter_node(page):
    """The front matter's node tree, as the page reader composed it (scripts/pages.py)."""
    import yaml

    if page.body_start <= 1:
        return None
    node = page.meta_node
    return node if isinstance(node, yaml.MappingNode) else None


def _tokens(node, page) -> list[tuple[str, int, int]]:
    """(token, line, col) of each id in a scalar ('3-p1 3-p2') or a list of them."""
    import yaml

    out = []
    scalars = node.value if isinstance(node, yaml.SequenceNode) else [node]
    for scalar in scalars:
        if not isinstance(scalar, yaml.ScalarNode):
            continue
        line = scalar.start_mark.line + 2
        raw = page.lines[line - 1] if line - 1 < len(page.lines) else ""
        search_from = scalar.start_mark.column
        for token in str(scalar.value).replace(",", " ").split():
            at = raw.find(token, search_from)
            if at == -1 or scalar.start_mark.line != scalar.end_mark.line:
                col = scalar.start_mark.column + 1
            else:
                col, search_from = at + 1, at + len(token)
            out.append((token, line, col))
    return out


def read_declarations(page) -> PageDeclarations:
    """The ``covers:`` and ``skips:`` front matter of one page, with line and column of each id."""
    import yaml
    from .findings import Finding

    meta = page.meta or {}
    result = PageDeclarations(page.rel, page.display, page.meta_lines.get("covers"), page.meta_lines.get("skips"), [], [])
    if "covers" not in meta and "skips" not in meta:
        return result
    root = _front_matter_node(page)
    if root is None:
        return result
    nodes = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    for key in ("covers", "skips"):
        node = nodes.get(key)
        if node is None:
            continue
        if not isinstance(node, yaml.MappingNode):
            if not (isinstance(node, yaml.ScalarNode) and node.value in ("", "null", "~")):
                result.findings.append(Finding(page.display, node.start_mark.line + 2, node.start_mark.column + 1, "coverage-declaration",
                                               f"'{key}' must map " + ("heading ids to paper ids" if key == "covers" else "paper ids to a one-line reason")))
            continue
        for k, v in node.value:
            kline, kcol = k.start_mark.line + 2, k.start_mark.column + 1
            if key == "covers":
                tokens = _tokens(v, page)
                if not tokens:
                    result.findings.append(Finding(page.display, kline, kcol, "coverage-declaration", f"covers: heading '{k.value}' lists no paper ids"))
                for token, line, col in tokens:
                    result.declarations.append(Declaration(page.rel, page.display, line, col, token, tuple(expand_id(token)), heading=str(k.value), key_line=kline, key_col=kcol))
            else:
                reason = v.value.strip() if isinstance(v, yaml.ScalarNode) and v.value else ""
                if not reason or "\n" in reason:
                    result.findings.append(Finding(page.display, kline, kcol, "coverage-declaration", f"skips: '{k.value}' needs a one-line reason"))
                for token, line, col in _tokens(k, page):
                    result.declarations.append(Declaration(page.rel, page.display, line, col, token, tuple(expand_id(token)), reason=reason or "(no reason given)"))
    return result


@dataclass
class Coverage:
    """The inventory joined with every page's declarations: what the page and the checker read."""
    items: list[dict]
    by_id: dict[str, dict]
    pages: dict[str, PageDeclarations]
    covered: dict[str, list[Declaration]]    # id -> declarations under covers:
    skipped: dict[str, list[Declaration]]    # id -> declarations under skips:
    glossary: dict[str, object]              # gl-id -> the glossary entry that covers it
    headings: dict[str, dict[str, str]]      # page -> heading id -> heading text
    section_pages: dict[str, str]            # top-level section number -> notes page
    inventory: Path
    titles: dict[str, str] = field(default_factory=dict)   # page -> its title

    def status(self, item_id: str) -> str:
        if item_id in self.covered or item_id in self.glossary:
            return "covered"
        if item_id in self.skipped:
            return "skipped"
        return "uncovered"


def glossary_matches(items: list[dict], entries) -> dict[str, object]:
    """gl-<term> -> the glossary entry whose id, term or an alias is that term, in the group of
    the paper's glossary that lists it (section 7.2 is group "2")."""
    names: dict[tuple[str, str], object] = {}
    for entry in entries or []:
        for name in (entry.id, entry.term, *(entry.aliases or [])):
            names.setdefault((slug(str(name)), str(entry.group)), entry)
    found = {}
    for r in items:
        if r["kind"] == "glossary":
            entry = names.get((r["id"][3:], r["section"].partition(".")[2]))
            if entry is not None:
                found[r["id"]] = entry
    return found


def gather(docs: Path, pages, gloss_entries=None, inventory: Path | None = None) -> Coverage | None:
    """Join the inventory with the pages' declarations; None when the project has no inventory."""
    path = inventory or inventory_path(docs)
    if not path.exists():
        return None
    data = load_inventory(path)
    items = data["items"]
    cov = Coverage(items, {r["id"]: r for r in items}, {}, {}, {}, glossary_matches(items, gloss_entries), {}, {}, path)
    for page in pages:
        decl = read_declarations(page)
        cov.pages[page.rel] = decl
        cov.headings[page.rel] = {h.anchor: h.text for h in page.headings}
        cov.titles[page.rel] = str((page.meta or {}).get("title") or next((h.text for h in page.headings if h.level == 1), page.rel))
        section = (page.meta or {}).get("section")
        if page.rel.startswith("notes/") and section is not None:
            cov.section_pages.setdefault(str(section), page.rel)
        for d in decl.declarations:
            for item_id in d.ids:
                (cov.covered if d.heading else cov.skipped).setdefault(item_id, []).append(d)
    return cov


def _inventory_lines(path: Path) -> dict[str, int]:
    lines = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        m = re.match(r'\s*\{"id": "([^"]+)"', line)
        if m:
            lines[m.group(1)] = number
    return lines


def check(docs: Path, pages, gloss=None, inventory: Path | None = None) -> list:
    """Findings: uncovered items, unknown ids and headings, items changed since reviewed."""
    from .findings import Finding
    from .pages import display_path

    cov = gather(docs, pages, gloss.entries if gloss else None, inventory)
    if cov is None:
        return []
    findings = []
    for decl in cov.pages.values():
        findings += decl.findings
        for d in decl.declarations:
            if d.heading and d.heading not in cov.headings.get(d.page, {}):
                findings.append(Finding(d.display, d.key_line, d.key_col, "coverage-unknown-heading", f"covers: '{d.heading}' is not a heading id on this page"))
            for item_id in d.ids:
                if item_id not in cov.by_id:
                    findings.append(Finding(d.display, d.line, d.col, "coverage-unknown-id", f"'{item_id}' is not in the paper's inventory (scripts/data/paper-inventory.json)"))
    findings += check_footnote_locators(cov, pages)
    gloss_shown = display_path(gloss.path) if gloss else f"docs/{GLOSSARY_NAME}"
    inv_shown = display_path(cov.inventory)
    inv_lines = _inventory_lines(cov.inventory)
    for item in cov.items:
        item_id = item["id"]
        if item_id in cov.covered and item_id in cov.skipped:
            for d in cov.skipped[item_id]:
                where = ", ".join(sorted({f"{c.page}#{c.heading}" for c in cov.covered[item_id]}))
                findings.append(Finding(d.display, d.line, d.col, "coverage-declaration", f"'{item_id}' is skipped here but covered by {where}; keep one"))
        status = cov.status(item_id)
        if status == "uncovered" and not (item["kind"] == "glossary" and gloss is None):  # an unreadable glossary is reported already
            findings.append(_uncovered(cov, item, gloss_shown, inv_shown, inv_lines))
        if item["hash"] != item.get("reviewed"):
            message = (f"the paper's text of '{item_id}' (tex line {item['line']}) changed since it was reviewed; "
                       f"re-read it against this declaration, then run `python -m scripts coverage --accept {item_id}`")
            places = [(d.display, d.line, d.col) for d in cov.covered.get(item_id, []) + cov.skipped.get(item_id, [])]
            if item_id in cov.glossary:
                places.append((gloss_shown, cov.glossary[item_id].line, 3))
            if not places:
                places.append((inv_shown, inv_lines.get(item_id, 1), 3))
            for path, line, col in places:
                findings.append(Finding(path, line, col, "coverage-changed", message))
    return findings


def noted_footnotes(page, heading_id: str) -> set[int]:
    """The paper's footnotes that citations under this heading (and its subheadings) locate:
    ``[@hubinger2019risks, n. 19]``, ``nn. 14, 16–17``."""
    from . import locators
    from .template import PAPER_KEY

    headings = page.headings
    index = next((i for i, h in enumerate(headings) if h.anchor == heading_id), None)
    if index is None:
        return set()
    start = headings[index].line
    end = next((h.line for h in headings[index + 1:] if h.level <= headings[index].level), len(page.lines) + 1)
    found: set[int] = set()
    for cite in page.citations:
        if cite.key != PAPER_KEY or not start <= cite.line < end:
            continue
        for part in re.split(r";", cite.locator):
            for piece in re.split(r",\s*(?=[a-z]+\.)", part.strip()):
                parsed = locators.parse(piece)
                if parsed and parsed[0] in ("n.", "nn.", "fn.", "fns."):
                    for place in parsed[1].split(", "):
                        a, _, b = place.partition("–")
                        if a.isdigit() and (not b or b.isdigit()):
                            found.update(range(int(a), int(b or a) + 1))
    return found


def check_footnote_locators(cov: Coverage, pages) -> list:
    """A footnote covered under a heading is cited there with its number (``n. 19``)."""
    from .template import PAPER_KEY
    from .findings import Finding

    by_rel = {p.rel: p for p in pages}
    findings = []
    cache: dict[tuple[str, str], set[int]] = {}
    for item_id, decls in cov.covered.items():
        if not re.fullmatch(r"fn-\d+", item_id) or item_id not in cov.by_id:
            continue
        number = int(item_id[3:])
        for d in decls:
            page = by_rel.get(d.page)
            if page is None or d.heading not in cov.headings.get(d.page, {}):
                continue
            key = (d.page, d.heading)
            if key not in cache:
                cache[key] = noted_footnotes(page, d.heading)
            if number not in cache[key]:
                findings.append(Finding(d.display, d.line, d.col, "coverage-footnote",
                                        f"{item_id} is covered under '{d.heading}', but no citation there locates it; "
                                        f"add [@{PAPER_KEY}, n. {number}] where the notes reflect it"))
    return findings


def _uncovered(cov: Coverage, item: dict, gloss_shown: str, inv_shown: str, inv_lines: dict):
    from .findings import Finding

    item_id, kind = item["id"], item["kind"]
    if kind == "glossary":
        return Finding(gloss_shown, 1, 1, "coverage-uncovered",
                       f"the paper's glossary term '{item_id[3:]}' ({item_id}, tex line {item['line']}) has no entry "
                       f"in group \"{item['section'].partition('.')[2]}\" of the glossary")
    top = "1" if item["section"] == "abstract" else item["section"].split(".")[0]
    rel = cov.section_pages.get(top)
    where = f"{kind} {item_id} (tex line {item['line']})"
    if rel is None:
        return Finding(inv_shown, inv_lines.get(item_id, 1), 3, "coverage-uncovered", f"{where} is neither covered nor skipped by any page")
    decl = cov.pages[rel]
    line = decl.covers_line or decl.skips_line or 1
    return Finding(decl.display, line, 1, "coverage-uncovered",
                   f"{where} is neither covered nor skipped; list it under a heading in 'covers:' or give a reason in 'skips:'")


def report(docs: Path) -> int:
    """Print the coverage findings alone (``python -m scripts coverage``); `make check` runs them too."""
    from . import glossary as glossary_module
    from .findings import InputError, render
    from .pages import read_pages

    pages, findings, _ = read_pages(docs)
    try:
        gloss = glossary_module.load(docs / GLOSSARY_NAME)
    except InputError as exc:
        gloss = None
        findings.append(exc.finding)
    findings += check(docs, pages, gloss)
    output = render(findings)
    if output:
        print(output)
    cov = gather(docs, pages, gloss.entries if gloss else None)
    if cov is not None:
        counts = {"covered": 0, "skipped": 0, "uncovered": 0}
        for item in cov.items:
            counts[cov.status(item["id"])] += 1
        print(f"{len(cov.items)} items: {counts['covered']} covered, {counts['skipped']} skipped, {counts['uncovered']} uncovered; "
              f"{len(set(findings))} finding(s)", file=sys.stderr)
    return 1 if findings else 0


# ---------------------------------------------------------------------------
# The Coverage page
# ---------------------------------------------------------------------------

COVERAGE_PAGE = "contributing/coverage.md"
MARKER = "<!-- coverage-map -->"
KIND_LABELS = {"paragraph": "paragraph", "item": "list item", "figure": "figure caption", "footnote": "footnote", "glossary": "glossary entry"}


def _cell(text: str) -> str:
    """Contributor-written text made safe for a Markdown table cell: no HTML, no cell breaks."""
    import html

    return html.escape(" ".join(str(text).split()), quote=False).replace("|", "\\|").replace("`", "&#96;")


def _link(from_rel: str, to_rel: str, anchor: str = "") -> str:
    import posixpath

    target = posixpath.relpath(to_rel, posixpath.dirname(from_rel) or ".")
    return target + (f"#{anchor}" if anchor else "")


def load_for_docs(docs: Path, inventory: Path | None = None) -> Coverage | None:
    """Read the pages and the glossary of ``docs`` and join them with the inventory."""
    from . import glossary as glossary_module
    from .findings import InputError
    from .pages import read_pages

    pages, _, _ = read_pages(docs)  # the checker reports a page that cannot be read
    try:
        entries = glossary_module.load(docs / GLOSSARY_NAME).entries
    except InputError:
        entries = []
    return gather(docs, pages, entries, inventory)


def section_title(cov: Coverage, number: str) -> tuple[str, str | None, str]:
    """(title, page, anchor) of a paper section, from the notes page that discusses it."""
    if number == "abstract":
        return "Abstract", None, ""
    top, _, sub = number.partition(".")
    if top == "7":
        return f"The paper's glossary, Section {sub} terms", "glossary.md", f"group-{sub}"
    rel = cov.section_pages.get(top)
    if rel is None:
        return f"§{number}", None, ""
    if not sub:
        meta_title = cov.titles.get(rel) or f"§{number}"
        return meta_title, rel, ""
    anchor = "sec-" + number.replace(".", "-")
    text = cov.headings.get(rel, {}).get(anchor)
    return (f"§{text}" if text else f"§{number}"), rel, (anchor if text else "")


def render_page(cov: Coverage, page_rel: str = COVERAGE_PAGE) -> str:
    """The Markdown that replaces the marker on the Coverage page: an overview table, then
    one table per paper section listing each part and the headings that cover it."""
    counts = {"covered": 0, "skipped": 0, "uncovered": 0}
    per_section: dict[str, list[dict]] = {}
    for item in cov.items:
        counts[cov.status(item["id"])] += 1
        per_section.setdefault(item["section"], []).append(item)
    changed = [i for i in cov.items if i["hash"] != i.get("reviewed")]
    total = len(cov.items)
    out = [
        f"**{total} parts of the paper:** {counts['covered']} covered by the notes, "
        f"{counts['skipped']} left out with a reason, {counts['uncovered']} not yet covered"
        + (f"; {len(changed)} changed in the paper since the notes were checked against them." if changed else "."),
        "",
        '<div class="coverage-overview" markdown>',
        "",
        "| Paper section | Parts | Status |",
        "|---|--:|---|",
    ]
    for number, items in sorted(per_section.items(), key=lambda kv: section_key(kv[0])):
        title, _, _ = section_title(cov, number)
        status = [cov.status(i["id"]) for i in items]
        standing = [f"{status.count('covered')} covered"]
        if status.count("skipped"):
            standing.append(f"{status.count('skipped')} left out")
        if status.count("uncovered"):
            standing.append(f"**{status.count('uncovered')} open**")
        changed_here = sum(1 for i in items if i["hash"] != i.get("reviewed"))
        if changed_here:
            standing.append(f"{changed_here} changed in the paper")
        out.append(f"| [{_cell(title)}](#{_section_anchor(number)}) | {len(items)} | {' · '.join(standing)} |")
    out += ["", "</div>", ""]
    for number, items in sorted(per_section.items(), key=lambda kv: section_key(kv[0])):
        title, rel, anchor = section_title(cov, number)
        out += [f"## {_cell(title)} {{ #{_section_anchor(number)} }}", ""]
        if rel:
            name = "Glossary" if rel == "glossary.md" else cov.titles.get(rel, rel)
            if anchor and rel != "glossary.md":
                name += " › " + cov.headings.get(rel, {}).get(anchor, anchor)
            out += [f"In the notes: [{_cell(name)}]({_link(page_rel, rel, anchor)})", ""]
        out += ['<div class="coverage-table" markdown>', "", "| Part of the paper | Where the notes cover it |", "|---|---|"]
        for item in items:
            out.append(f"| {_part_cell(item)} | {_where_cell(cov, item, page_rel, rel)} |")
        out += ["", "</div>", ""]
    return "\n".join(out)


def _section_anchor(number: str) -> str:
    return "paper-" + number.replace(".", "-")


def _part_cell(item: dict) -> str:
    kind = KIND_LABELS.get(item["kind"], item["kind"])
    if item["kind"] == "footnote":
        kind = f"footnote {item['id'][3:]}, in `{item['in']}`" if item.get("in") else f"footnote {item['id'][3:]}"
    if item["kind"] == "figure":
        kind = f"Figure {item['id'][4:]} caption"
    return f"`{item['id']}`{{ #part-{item['id'].replace('.', '-')} }} {kind}"


def _where_cell(cov: Coverage, item: dict, page_rel: str, section_rel: str | None) -> str:
    item_id = item["id"]
    parts = []
    for d in cov.covered.get(item_id, []):
        text = cov.headings.get(d.page, {}).get(d.heading, d.heading)
        if d.page != section_rel:
            text = f"{cov.titles.get(d.page, d.page)} › {text}"
        link = f"[{_cell(text)}]({_link(page_rel, d.page, d.heading)})"
        if link not in parts:
            parts.append(link)
    if item_id in cov.glossary:
        entry = cov.glossary[item_id]
        parts.append(f"[Glossary › {_cell(entry.term)}]({_link(page_rel, 'glossary.md', entry.id)})")
    if not parts and item_id in cov.skipped:
        reasons = sorted({d.reason for d in cov.skipped[item_id]})
        parts.append("*Left out:* " + "; ".join(_cell(r) for r in reasons))
    if not parts:
        parts.append("**Not yet covered**")
    cell = "<br>".join(parts)
    if item["hash"] != item.get("reviewed"):
        cell += " *(changed in the paper since checked)*"
    return cell
