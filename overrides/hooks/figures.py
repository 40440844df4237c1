"""Hook: our SVG figures as images that follow the theme (scripts/figures.py).

Each page shows a figure as two <img> of its file, one per colour scheme; the build
writes the file with its own stylesheet over the copy MkDocs made of the source.
"""

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from scripts.figures import read_figure, screen_figures, standalone_svg
from scripts.findings import InputError


@event_priority(-100)  # after the search plugin has read the page: drawings are not text to search
def on_page_context(context, page, config, nav):
    try:
        page.content = screen_figures(page.content, Path(page.file.abs_src_path).parent)
    except InputError as exc:
        raise PluginError(exc.finding.format()) from None
    return context


@event_priority(-100)  # before the site scan (-110), which reads the files written here
def on_post_build(config):
    site = Path(config["site_dir"])
    for source in sorted((Path(config["docs_dir"]) / "assets" / "figures").glob("*.svg")):
        target = site / "assets" / "figures" / source.name
        if target.is_file() and not target.is_symlink():
            try:
                svg = read_figure(source)
            except InputError as exc:
                raise PluginError(exc.finding.format()) from None
            target.write_text(standalone_svg(svg), encoding="utf-8")
