"""Hook: write pages, our stylesheets and our scripts without the bytes no reader sees
(indentation, comments), and Material's stylesheets without the colours and callout icons
the site never uses: see scripts/compact.py."""

from pathlib import Path

from mkdocs.plugins import event_priority

from scripts.compact import callouts_used, compact_css, compact_html, compact_js, palette_colours, trim_callout_icons, trim_palette


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
    styles = site / "assets" / "stylesheets"
    ours = [p.read_text(encoding="utf-8") for p in sorted((docs / "assets").rglob("*.css"))]
    pages = [p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))]
    for sheet in styles.glob("palette.*.min.css"):
        sheet.write_text(trim_palette(sheet.read_text(encoding="utf-8"), palette_colours(config["theme"]["palette"])), encoding="utf-8")
    for sheet in styles.glob("main.*.min.css"):
        sheet.write_text(trim_callout_icons(sheet.read_text(encoding="utf-8"), callouts_used(pages, ours)), encoding="utf-8")
