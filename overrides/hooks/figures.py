"""Hook: inline our SVG figures, so their lines and text follow the theme's colours."""

from pathlib import Path

from mkdocs.plugins import event_priority

from scripts.figures import inline_svgs


@event_priority(-100)  # after the search plugin has read the page: drawings are not text to search
def on_page_context(context, page, config, nav):
    page.content = inline_svgs(page.content, Path(page.file.abs_src_path).parent)
    return context
