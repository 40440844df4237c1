"""What a pull request changes in the notes' content, as Markdown for the CI job summary.

``python -m scripts summary --base origin/main`` compares the working tree's docs/ with
the base branch's (read with ``git archive``); ``--base-dir``/``--head-dir`` compare two
folders that each hold a docs/ (the tests use fixture trees). It lists glossary terms
added, changed (with the definition's diff) or removed; references added or removed;
citation keys newly cited or no longer cited; pages added or removed; callouts added by
type; self-checks added; and changes to the glossary's "Used in" lists.

Everything contributed is text to show, never markup: ids, keys and titles are printed
as code, and a definition's diff sits in a fence longer than any backtick run in it.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import BIB_NAME, GLOSSARY_NAME, bibliography, glossary, glossary_html
from .findings import InputError
from .pages import docs_pages, read_page


@dataclass
class Tree:
    """The content facts of one docs/ folder."""

    entries: dict[str, glossary.Entry] = field(default_factory=dict)
    references: list[str] = field(default_factory=list)
    cited: set[str] = field(default_factory=set)
    pages: dict[str, str] = field(default_factory=dict)  # docs-relative path -> title
    callouts: Counter = field(default_factory=Counter)  # (page, kind, title) -> how many
    used_in: dict[str, set[str]] = field(default_factory=dict)  # glossary id -> "Page › heading"
    problems: list[str] = field(default_factory=list)


def read_tree(root: Path) -> Tree:
    docs = root / "docs"
    tree = Tree()
    try:
        gloss = glossary.load(docs / GLOSSARY_NAME)
        tree.entries = {e.id: e for e in gloss.entries}
        for entry in gloss.entries:
            tree.cited |= set(entry.cite_keys())
    except InputError as exc:
        tree.problems.append(f"the glossary could not be read ({exc.finding.rule}: {exc.finding.message})")
    bib = docs / BIB_NAME
    if bib.exists():
        text = bib.read_text(encoding="utf-8", errors="replace")
        tree.references = [
            m.group(2) for m in bibliography.ENTRY_HEAD.finditer(text) if m.group(1).lower() not in ("comment", "preamble", "string") and m.group(2)
        ]
    for path in docs_pages(docs):
        rel = path.relative_to(docs).as_posix()
        try:
            page = read_page(path, docs)
        except InputError as exc:
            tree.pages[rel] = rel
            tree.problems.append(f"`{code(rel)}` could not be read ({exc.finding.rule})")
            continue
        h1 = next((h.text for h in page.headings if h.level == 1), "")
        title = str(page.meta.get("title") or h1 or rel)
        tree.pages[rel] = title
        tree.cited |= {c.key for c in page.citations}
        for callout in page.callouts:
            tree.callouts[(rel, callout.kind, callout.title)] += 1
        headings = [h for h in page.headings if h.level <= 2]
        for use in glossary.uses(page, None, {}):
            above = [h for h in headings if h.line <= use.line]
            section = above[-1] if above and above[-1].level == 2 else None
            place = glossary_html.Place(rel, title, section.anchor, section.text) if section else glossary_html.Place(rel, title, "", title)
            tree.used_in.setdefault(use.id, set()).add(place.label)  # labelled as the glossary page's lists are
    return tree


def code(text: str) -> str:
    """Text shown as inline code, whatever it holds."""
    text = " ".join(str(text).split())
    ticks = max((len(m) for m in re.findall(r"`+", text)), default=0) + 1
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{'`' * ticks}{pad}{text}{pad}{'`' * ticks}"


def plain(text: str) -> str:
    """Contributed text shown as text: Markdown's punctuation escaped, on one line."""
    return re.sub(r"([\\`*_\[\]<>|~])", r"\\\1", " ".join(str(text).split()))


def fenced(lines: list[str], info: str = "") -> list[str]:
    ticks = max([len(m) for line in lines for m in re.findall(r"`{3,}", line)] + [2]) + 1
    return ["`" * ticks + info, *lines, "`" * ticks]


def summarise(base: Tree, head: Tree, base_name: str = "the base branch") -> str:
    out: list[str] = ["## Content changes", "", f"Compared with {base_name}.", ""]
    sections: list[tuple[str, list[str]]] = []

    # glossary
    lines = []
    for key in sorted(head.entries.keys() - base.entries.keys()):
        entry = head.entries[key]
        lines.append(f"- Added {code(key)}: {plain(entry.definition)}")
    for key in sorted(head.entries.keys() & base.entries.keys()):
        old, new = base.entries[key], head.entries[key]
        fields = [f for f in ("term", "group", "cite", "aliases", "match", "kind_of", "contrasts_with", "see_also") if getattr(old, f) != getattr(new, f)]
        if old.definition == new.definition and not fields:
            continue
        what = ", ".join(["definition"] * (old.definition != new.definition) + fields)
        lines.append(f"- Changed {code(key)}: {what}")
        if old.definition != new.definition:
            lines += ["", *("  " + line for line in fenced([f"- {old.definition}", f"+ {new.definition}"], "diff")), ""]
    for key in sorted(base.entries.keys() - head.entries.keys()):
        lines.append(f"- Removed {code(key)}")
    sections.append(("Glossary terms", lines))

    # references and citations
    lines = [f"- Added {code(k)}" for k in head.references if k not in base.references]
    lines += [f"- Removed {code(k)}" for k in base.references if k not in head.references]
    sections.append(("References", lines))
    lines = [f"- Newly cited {code(k)}" for k in sorted(head.cited - base.cited)]
    lines += [f"- No longer cited {code(k)}" for k in sorted(base.cited - head.cited)]
    sections.append(("Citation keys", lines))

    # pages
    lines = [f"- Added {code('docs/' + p)} ({code(head.pages[p])})" for p in sorted(head.pages.keys() - base.pages.keys())]
    lines += [f"- Removed {code('docs/' + p)}" for p in sorted(base.pages.keys() - head.pages.keys())]
    sections.append(("Pages", lines))

    # callouts and self-checks
    added = head.callouts - base.callouts
    by_kind = Counter()
    for (_, kind, _), n in added.items():
        by_kind[kind] += n
    lines = []
    if by_kind:
        lines = ["| Type | Added |", "| --- | ---: |"] + [f"| {code(kind)} | {n} |" for kind, n in sorted(by_kind.items())]
    sections.append(("Callouts added", lines))
    lines = [
        f"- {code('docs/' + page)}: {code(title or '(no title)')}" + (f" ×{n}" if n > 1 else "")
        for (page, kind, title), n in added.items()  # in the order of the pages
        if kind == "selfcheck"
    ]
    sections.append(("Self-checks added", lines))

    # "Used in"
    lines = []
    for key in sorted(head.used_in.keys() | base.used_in.keys()):
        now, before = head.used_in.get(key, set()), base.used_in.get(key, set())
        changes = [f"+ {code(p)}" for p in sorted(now - before)] + [f"− {code(p)}" for p in sorted(before - now)]
        if changes:
            lines.append(f"- {code(key)}: " + "; ".join(changes))
    sections.append(("“Used in” lists", lines))

    problems = [f"- {p}" for p in base.problems + head.problems]
    if problems:
        sections.insert(0, ("Could not be read", problems))
    shown = [(title, lines) for title, lines in sections if lines]
    if not shown:
        return "\n".join(out + ["No changes to glossary terms, references, citations, pages, callouts or “Used in” lists.", ""])
    for title, lines in shown:
        out += [f"### {title}", "", *lines, ""]
    return "\n".join(out)


def tree_at(ref: str, into: Path, cwd: Path | None = None) -> Path:
    """The docs/ of git revision ``ref``, extracted under ``into``."""
    result = subprocess.run(["git", "archive", "--format=tar", ref, "docs"], cwd=cwd, capture_output=True)
    if result.returncode != 0:
        raise SystemExit(f"error: git archive {ref} failed: {result.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into


def main(args) -> int:
    head = Path(args.head_dir)
    if args.base_dir:
        base_tree, name = read_tree(Path(args.base_dir)), f"{code(args.base_dir)}"
    else:
        with tempfile.TemporaryDirectory() as tmp:
            base_tree, name = read_tree(tree_at(args.base, Path(tmp), cwd=head)), f"{code(args.base)}"
    print(summarise(base_tree, read_tree(head), code(args.name) if args.name else name), end="")
    return 0
