"""Hook: the glossary page, "Used in" lists, "Terms on this page", hover definitions.

The terms lists, the "Used in" lists and the hover definitions are added after the search
plugin has read the page, so search results point at the notes, not at repeated lists.

Everything is read from docs/glossary.yml through scripts/glossary.py and rendered by
scripts/glossary_html.py (the facts line under a notes page's title: scripts/notes.py);
this file only decides which page gets what.
"""

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from scripts import GLOSSARY_NAME, glossary, glossary_html, notes
from scripts.findings import InputError

MARKER = "<!-- glossary-entries -->"
state = {}


def on_config(config):
    try:
        state["glossary"] = glossary.load(Path(config["docs_dir"]) / GLOSSARY_NAME)
    except InputError as exc:
        raise PluginError(exc.finding.format()) from None
    return config


def on_files(files, config):
    state["files"] = files
    state["places"] = {}  # page -> where it links each glossary entry, filled as pages are built
    return files


@event_priority(50)  # before the bibtex plugin, so the entries' citations are formatted
def on_page_markdown(markdown, page, config, files):
    gloss = state["glossary"]
    if page.file.src_uri == glossary.GLOSSARY_PAGE:
        if MARKER not in markdown:
            raise PluginError(f"{page.file.src_path}: the glossary page lost its marker {MARKER}")
        return markdown.replace(MARKER, glossary_html.render_page(gloss))
    if "terms" in page.meta:
        markdown = glossary_html.insert_terms(markdown, page.meta["terms"], gloss)
    if "section" in page.meta:
        markdown = notes.insert_page_facts(markdown, page.meta)
    return markdown


def on_page_content(html, page, config, files):
    if "terms" in page.meta and page.file.src_uri != glossary.GLOSSARY_PAGE:
        title = page.meta.get("title") or page.title or page.file.src_uri
        state["places"][page.file.src_uri] = glossary_html.places_in(html, page.file.src_uri, str(title), state["glossary"].by_id)
    return html


# MkDocs converts every page before it renders any, so by the time the glossary page is
# rendered, "places" holds every page (not so under `mkdocs serve --dirty`).
@event_priority(-100)  # after the search plugin has indexed the page: none of this is for search
def on_page_context(context, page, config, nav):
    gloss = state["glossary"]
    html = page.content
    files = state["files"]
    if page.file.src_uri == glossary.GLOSSARY_PAGE:

        def url_of(rel):
            target = files.get_file_from_path(rel)
            return None if target is None else target.url_relative_to(page.file)

        html = glossary_html.fill_used_in(html, state["places"], url_of)
    if "terms" in page.meta:
        href = files.get_file_from_path(glossary.GLOSSARY_PAGE).url_relative_to(page.file)
        html = glossary_html.fill_terms(html, page.meta["terms"], gloss, href)
    page.content = glossary_html.add_tooltips(html, gloss)
    return context
