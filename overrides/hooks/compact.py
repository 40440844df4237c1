"""Hook: write pages, our stylesheet and our script without the bytes no reader sees
(indentation, comments): see scripts/compact.py."""

from pathlib import Path

from mkdocs.plugins import event_priority

from scripts.compact import compact_css, compact_js, compact_html


@event_priority(-100)  # the last change to a page before it is written
def on_post_page(output, page, config):
    return compact_html(output)


def on_post_build(config):
    site = Path(config["site_dir"])
    for name, compact in [*((n, compact_css) for n in config["extra_css"]), *((str(n), compact_js) for n in config["extra_javascript"])]:
        target = site / name
        if target.is_file():
            target.write_text(compact(target.read_text(encoding="utf-8")), encoding="utf-8")
