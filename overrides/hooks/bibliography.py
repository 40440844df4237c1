"""Hook: the Bibliography page, grouped, from the formatting mkdocs-bibtex already did."""

from pathlib import Path

from mkdocs.exceptions import PluginError

from scripts import bibliography, citations

MARKER = "<!-- bibliography -->"
PAGE = "bibliography.md"


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise PluginError(f"{page.file.src_path}: the bibliography page lost its marker {MARKER}")
    bib = bibliography.load(Path(config["docs_dir"]) / "references.bib")
    formatted = citations.formatted_references(config.plugins["bibtex"].registry)
    return markdown.replace(MARKER, bibliography.render_page(bib, formatted))
