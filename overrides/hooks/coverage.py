"""Hook: the Coverage page (docs/contributing/coverage.md), written from the paper's
inventory and the pages' `covers:` / `skips:` front matter by scripts/coverage.py."""

from pathlib import Path

from mkdocs.exceptions import PluginError

from scripts import coverage


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != coverage.COVERAGE_PAGE:
        return markdown
    if coverage.MARKER not in markdown:
        raise PluginError(f"{page.file.src_path}: the coverage page lost its marker {coverage.MARKER}")
    cov = coverage.load_for_docs(Path(config["docs_dir"]))
    if cov is None:
        raise PluginError(f"{page.file.src_path}: no paper inventory at scripts/data/paper-inventory.json")
    return markdown.replace(coverage.MARKER, coverage.render_page(cov, page.file.src_uri))
