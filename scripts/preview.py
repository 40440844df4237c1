"""A pull request's preview: the site built without strict mode, and every download that
can be made from it (PDF, EPUB, offline zip), for CI to upload even when the checks fail.

``python -m scripts preview --site preview`` (``make preview``). The build's findings are
printed as warnings, not stops, so a reviewer can read the pages that have them; a
download that cannot be made is reported and left out. Exit status 1 only when the site
itself could not be built. Never publish a preview: ``make build`` is the strict one.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

from . import ROOT, mkdocs_env

# (what, module in scripts/, function taking the built site's folder and returning 0 on success)
DOWNLOADS = (("PDF", "pdf", "make_pdf"), ("EPUB", "epub", "make_epub"), ("offline zip", "offline", "make_offline"))


def preview(site: Path) -> int:
    site = site.resolve()
    if site.exists():
        shutil.rmtree(site)
    env = mkdocs_env()
    command = [sys.executable, "-m", "mkdocs", "build", "--no-strict", "--clean", "--site-dir", str(site)]
    result = subprocess.run(command, cwd=ROOT, env=env, text=True, capture_output=True)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        print("preview: the site could not be built, even without strict mode", file=sys.stderr)
        return 1
    print(f"preview: site built in {site}", file=sys.stderr)
    for what, module, name in DOWNLOADS:
        try:
            make = getattr(importlib.import_module(f".{module}", __package__), name)
        except (ImportError, AttributeError):
            print(f"preview: no {what} step in this version", file=sys.stderr)
            continue
        try:
            status = make(site)
        except Exception as exc:  # a preview shows what it can; the strict build is the gate
            status = f"{type(exc).__name__}: {exc}"
        print(f"preview: {what} " + ("made" if status == 0 else f"could not be made ({status})"), file=sys.stderr)
    return 0
