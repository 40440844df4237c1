"""Debian's Chromium, as the browser tests and the browser benchmarks start it.

Playwright's own browser builds cannot be downloaded here, so Playwright drives the
system Chromium through ``executable_path``: Debian's ``/usr/bin/chromium``, or the one
``$CHROMIUM`` names (e.g. on macOS). Every start gets a fresh profile and no traffic of
its own (no updates, no sync, no background networking).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


def chromium_path() -> str | None:
    """Debian's Chromium, or the one named by $CHROMIUM."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None
