"""Hook: the glossary page, "Used in" lists, "Terms on this page", hover definitions.

Everything is read from docs/glossary.yml through scripts/glossary.py; this file only
decides which page gets what.
"""

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from scripts import glossary, notes
from scripts.findings import InputError

MARKER = "<!-- glossary-entries -->"
state = {}


def on_config(config):
    try:
        state["glossary"] = glossary.load(Path(config["docs_dir"]) / "glossary.yml")
    except InputError as exc:
        raise PluginError(exc.finding.format()) from None
    return config


def on_files(files, config):
    state["used_in"] = notes.used_in(Path(config["docs_dir"]), state["glossary"])
    return files


@event_priority(50)  # before the bibtex plugin, so the entries' citations are formatted
def on_page_markdown(markdown, page, config, files):
    gloss = state["glossary"]
    if page.file.src_uri == glossary.GLOSSARY_PAGE:
        if MARKER not in markdown:
            raise PluginError(f"{page.file.src_path}: the glossary page lost its marker {MARKER}")
        return markdown.replace(MARKER, glossary.render_page(gloss, state["used_in"]))
    if "terms" in page.meta:
        markdown = notes.insert_terms(markdown, page.meta["terms"], gloss, page.file.src_uri)
    if "section" in page.meta:
        markdown = notes.insert_page_facts(markdown, page.meta)
    return markdown


def on_page_content(html, page, config, files):
    return notes.add_tooltips(html, state["glossary"])
