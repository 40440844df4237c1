"""Hook: a page whose Markdown has not changed since an earlier build is not converted
again; its HTML comes from .cache/pages/ (scripts/rendercache.py: keyed by a digest of
everything the conversion reads, kept as plain JSON)."""

from pathlib import Path

from scripts import rendercache


def on_config(config):
    rendercache.use_disk(Path(config["config_file_path"]).parent / ".cache" / "pages")
    return config
