"""Hook: run the content checker with every build; each finding is a build warning.

With `strict: true` any finding fails the build, and every finding is printed as
`path:line:col: rule: message`. The rules live in scripts/check.py.

The checker reads every page, which MkDocs does not need from us: it runs in a second
process (on the second core) from the start of the build, and its findings are
reported when the pages are built, or when the build fails on its own. A build of the
same sources as one before reuses its answer and starts no process. Under `make serve`
the checker is a process that lives as long as the server (scripts/servecheck.py, warm
caches), and the banners and these warnings share its one answer per rebuild.
"""

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from scripts import devbanner
from scripts.beside import BesideRun

log = get_plugin_logger("checks")
state = {}


def on_pre_build(config):
    state.pop("serving", None)
    if devbanner.in_process(config):  # `make serve`: one check for the banners and the warnings
        devbanner.start_check(config)
        state["serving"] = config
    else:  # an answer for the same sources is kept in .cache/check/ (scripts/beside.py)
        state["run"] = BesideRun(config["docs_dir"], cache=Path(config["config_file_path"]).parent / ".cache" / "check")


def _report():
    serving = state.pop("serving", None)
    if serving is not None:
        for finding in devbanner.findings_for(serving):
            log.warning(finding.format())
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
