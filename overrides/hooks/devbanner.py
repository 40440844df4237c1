"""Hook: under `make serve` (never in a build), a page with findings shows them in a banner
at its top. The banner and the mapping of findings to pages are in scripts/devbanner.py."""

from pathlib import Path

from scripts import devbanner

state = {}


def on_startup(command, dirty):
    devbanner.serving["on"] = command == "serve"


def on_pre_build(config):
    state.pop("findings", None)


def on_post_page(output, page, config):
    if not devbanner.in_process(config):
        return output
    if "findings" not in state:  # the first page written: the checker has had the build's first part to run
        state["findings"] = devbanner.findings_by_page(Path(config["docs_dir"]), devbanner.findings_for(config))
    found = state["findings"]
    if not found:
        return output
    return devbanner.inject(output, found.get(page.file.src_uri, []))
