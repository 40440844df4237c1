"""Hook: the Download page's table of files (scripts/downloads.py)."""

from mkdocs.exceptions import PluginError

from scripts import downloads


def on_page_content(content, page, config, files):
    if page.file.src_uri != downloads.DOWNLOAD_PAGE:
        return content
    try:
        return downloads.render_page(content, page.url)
    except ValueError as exc:
        raise PluginError(str(exc)) from None
