"""Hook: run the content checker before every build; each finding is a build warning.

With `strict: true` any finding fails the build, and every finding is printed first as
`path:line:col: rule: message`. The rules live in scripts/check.py.
"""

from pathlib import Path

from mkdocs.plugins import get_plugin_logger

from scripts.check import check

log = get_plugin_logger("checks")


def on_pre_build(config):
    for finding in check(Path(config["docs_dir"])):
        log.warning(finding.format())
