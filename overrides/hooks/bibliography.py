"""Hook: the Bibliography page, grouped, from the formatting mkdocs-bibtex already did."""

from mkdocs.exceptions import PluginError

from scripts import bibliography, citations

MARKER = "<!-- bibliography -->"
PAGE = "bibliography.md"


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise PluginError(f"{page.file.src_path}: the bibliography page lost its marker {MARKER}")
    registry = config.plugins["bibtex"].registry
    formatted = citations.formatted_references(registry)
    return markdown.replace(MARKER, bibliography.render_page(registry.bib_data, formatted))
