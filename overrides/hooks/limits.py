"""Hook: every page within its limits (size, UTF-8, tables, backticks) before MkDocs reads
any, so that no contributed page can hang or crash the build; scripts/limits.py."""

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from scripts.findings import InputError
from scripts.limits import check_page_text, read_source


@event_priority(100)  # before the other hooks and plugins look at the files
def on_files(files, config):
    root = Path(config["config_file_path"]).parent
    for file in files.documentation_pages():
        path = Path(file.abs_src_path)
        try:
            shown = path.relative_to(root).as_posix()
        except ValueError:
            shown = path.as_posix()
        try:
            check_page_text(read_source(path, shown, "page", "page-file"), shown)
        except InputError as exc:
            raise PluginError(exc.finding.format()) from None
    return files
