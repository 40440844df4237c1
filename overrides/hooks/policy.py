"""Hook: the content policy's file rules, before MkDocs copies anything.

Symbolic links and special files under docs/, HTML or scripts that would be published as
they are, unsafe SVGs and snippets that leave docs/ stop the build here, before a single
file is copied into the site (scripts/policy.py, ``check_tree``). The page rules run
with the rest of the checker (overrides/hooks/checks.py).
"""

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from scripts import policy


@event_priority(100)  # before any other hook sees the files
def on_files(files, config):
    found = sorted(set(policy.check_tree(Path(config["docs_dir"]))))
    if found:
        raise PluginError("the content policy refused these files; nothing was copied:\n" + "\n".join(f.format() for f in found))
    return files
