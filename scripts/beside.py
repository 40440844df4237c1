"""The content checker in a second process, so the build does not wait for it.

``python -m scripts check --format json`` runs beside the page rendering (on the second
core); ``wait()`` gives its findings formatted as ``path:line:col: rule: message``.
Used by overrides/hooks/checks.py; kept apart from scripts/check.py so the build does
not import the checker at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .findings import Finding

PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)


class BesideRun:
    def __init__(self, docs: str | Path, command: list[str] | None = None):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))}
        command = command or [sys.executable, "-m", "scripts", "check", "--format", "json", "--no-originality", "--docs", str(docs)]
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def wait(self) -> list[str]:
        """The findings, formatted; a checker that fails to run is a finding too."""
        out, err = self.process.communicate()
        if self.process.returncode in (0, 1):
            try:
                return [Finding(**item).format() for item in json.loads(out or "[]")]
            except (ValueError, TypeError):
                pass
        tail = " | ".join(err.strip().splitlines()[-3:]) or f"exit status {self.process.returncode}"
        return [f"scripts/check.py:1:1: checker-failed: the content checker did not run: {tail}"]
