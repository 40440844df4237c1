"""Hook: run the content checker with every build; each finding is a build warning.

With `strict: true` any finding fails the build, and every finding is printed as
`path:line:col: rule: message`. The rules live in scripts/check.py.

The checker reads every page, which MkDocs does not need from us: it runs in a second
process (on the second core) from the start of the build, and its findings are
reported when the pages are built, or when the build fails on its own.
"""

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from scripts.beside import BesideRun

log = get_plugin_logger("checks")
state = {}


def on_pre_build(config):
    state["run"] = BesideRun(config["docs_dir"])


def _report():
    run = state.pop("run", None)
    if run is None:
        return
    for line in run.wait():
        log.warning(line)
    return run


def on_post_build(config):
    run = _report()
    if run is not None and run.crashed:  # never "no findings": fail even without --strict
        raise PluginError(run.crashed)


def on_build_error(error):
    _report()
