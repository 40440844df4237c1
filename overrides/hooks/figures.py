"""Hook: inline our SVG figures, so their lines and text follow the theme's colours."""

from pathlib import Path

from scripts.figures import inline_svgs


def on_page_content(html, page, config, files):
    return inline_svgs(html, Path(page.file.abs_src_path).parent)
