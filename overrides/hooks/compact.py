"""Hook: write pages, our stylesheets and our scripts without the bytes no reader sees
(indentation, comments), and Material's stylesheets without the colours and callout icons
the site never uses: see scripts/compact.py."""

from pathlib import Path

from mkdocs.plugins import event_priority

from scripts.compact import cached, callouts_used, compact_css, compact_html, compact_js, palette_colours, trim_callout_icons, trim_features, trim_palette, unused_features


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
    styles, cache = site / "assets" / "stylesheets", Path(config["config_file_path"]).parent / ".cache"
    worn = palette_colours(config["theme"]["palette"])
    for sheet in styles.glob("palette.*.min.css"):
        trimmed = cached(cache, "palette", sheet.read_text(encoding="utf-8"), repr(sorted(map(sorted, worn.values()))), lambda css: trim_palette(css, worn))
        sheet.write_text(trimmed, encoding="utf-8")
    ours = [p.read_text(encoding="utf-8") for p in sorted((docs / "assets").rglob("*.css"))]
    pages = [p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))]
    used = callouts_used(pages, ours)
    plugins = [str(name).split("/")[-1] for name in config["plugins"]]
    unused = unused_features(pages, list(config["theme"]["features"]), plugins, dict(config["extra"]))
    for sheet in styles.glob("main.*.min.css"):
        trimmed = cached(cache, "main", sheet.read_text(encoding="utf-8"), repr((sorted(used), sorted(unused))),
                         lambda css: trim_features(trim_callout_icons(css, used), unused))
        sheet.write_text(trimmed, encoding="utf-8")
