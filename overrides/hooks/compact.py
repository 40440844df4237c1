"""Hook: write pages, our stylesheets and our scripts without the bytes no reader sees
(indentation, comments): see scripts/compact.py."""

from pathlib import Path

from mkdocs.plugins import event_priority

from scripts.compact import compact_css, compact_js, compact_html


@event_priority(-100)  # the last change to a page before it is written
def on_post_page(output, page, config):
    return compact_html(output)


def on_post_build(config):
    site, docs = Path(config["site_dir"]), Path(config["docs_dir"])
    for source in sorted((docs / "assets").rglob("*")):
        compact = {".css": compact_css, ".js": compact_js}.get(source.suffix)
        target = site / source.relative_to(docs)
        if compact and target.is_file():
            target.write_text(compact(source.read_text(encoding="utf-8")), encoding="utf-8")
