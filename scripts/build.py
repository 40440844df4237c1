"""Build the site safely: into a temporary folder, swapped into place only on success."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import ROOT


def mkdocs_build(dest: Path, config: Path | None = None, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(extra_env or {})}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(dest)]
    if config:
        command += ["--config-file", str(config)]
    return subprocess.run(command, cwd=ROOT, env=env, text=True, capture_output=True)


def build(site: Path, pdf: bool = False, config: Path | None = None) -> int:
    """Strict build; ``site`` is replaced only if everything asked for succeeded."""
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=site.parent))
    try:
        result = mkdocs_build(staging / "site", config)
        sys.stderr.write(result.stderr)
        if result.returncode != 0:
            print(f"build failed: {site} was left as it was", file=sys.stderr)
            return 1
        if pdf:
            from .pdf import make_pdf

            if make_pdf(staging / "site") != 0:
                print(f"PDF failed: {site} was left as it was", file=sys.stderr)
                return 1
        old = staging / "old"
        if site.exists():
            site.rename(old)
        (staging / "site").rename(site)
        print(f"built {site}", file=sys.stderr)
        return 0
    finally:
        shutil.rmtree(staging, ignore_errors=True)
