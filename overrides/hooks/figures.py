"""Hook: inline our SVG figures, so their lines and text follow the theme's colours."""

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from scripts.figures import inline_svgs
from scripts.findings import InputError


@event_priority(-100)  # after the search plugin has read the page: drawings are not text to search
def on_page_context(context, page, config, nav):
    try:
        page.content = inline_svgs(page.content, Path(page.file.abs_src_path).parent)
    except InputError as exc:
        raise PluginError(exc.finding.format()) from None
    return context
