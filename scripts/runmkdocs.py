"""One strict MkDocs build in a child process, into a given folder.

Below both scripts/build.py (the safe build, which swaps the folder into place) and
scripts/offline.py (the offline bundle's second build), so neither imports the other.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from . import ROOT, mkdocs_env


def mkdocs_build(dest: Path, config: Path | None = None, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = mkdocs_env(extra_env)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(dest)]
    if config:
        command += ["--config-file", str(config)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = process.communicate()
    except BaseException:  # Ctrl-C or SIGTERM: stop MkDocs before the staging folder goes
        process.terminate()
        process.wait()
        raise
    return subprocess.CompletedProcess(command, process.returncode, out, err)
