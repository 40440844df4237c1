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
        command = command or [sys.executable, "-m", "scripts", "check", "--format", "json", "--no-originality", "--no-spelling", "--docs", str(docs)]
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    crashed: str = ""  # set by wait() when the checker did not give an answer

    def wait(self) -> list[str]:
        """The findings, formatted. Fails closed: only exit 0 with no findings, or exit 1
        with findings, is an answer; anything else (a crash exits 2) is ``crashed``, and
        comes back as a finding too, so a strict build fails either way."""
        out, err = self.process.communicate()
        code = self.process.returncode
        findings = None
        if code in (0, 1):
            try:
                findings = [Finding(**item).format() for item in json.loads(out)]
            except (ValueError, TypeError):
                findings = None
        if findings is not None and bool(findings) == (code == 1):
            return findings
        tail = " | ".join(err.strip().splitlines()[-3:]) or "no output"
        self.crashed = f"scripts/check.py:1:1: checker-crashed: the content checker crashed (exit status {code}): {tail}"
        return [self.crashed]
