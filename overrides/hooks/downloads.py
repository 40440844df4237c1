"""Hook: the Download page's table of files (scripts/downloads.py)."""

from pathlib import Path

from mkdocs.exceptions import PluginError

from scripts import downloads


def on_page_content(content, page, config, files):
    if page.file.src_uri != downloads.DOWNLOAD_PAGE:
        return content
    try:
        return downloads.render_page(content, page.url)
    except ValueError as exc:
        raise PluginError(str(exc)) from None


def on_post_build(config):
    # The files every build writes (the self-checks deck) get their size and date now; the
    # PDF, the EPUB and the offline zip get theirs when `make publish` has written them.
    downloads.stamp(Path(config["site_dir"]))
