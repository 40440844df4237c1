"""Build the site safely: into a temporary folder, swapped into place only on success."""

from __future__ import annotations

import shutil
import sys
import signal
import tempfile
import threading
from pathlib import Path

from .runmkdocs import mkdocs_build


def _terminated(signum, frame):
    raise SystemExit(128 + signum)  # runs the cleanup in ``finally``, as Ctrl-C does


def build(site: Path, pdf: bool = False, config: Path | None = None, epub: bool = False, offline: bool = False) -> int:
    """Strict build; ``site`` is replaced only if everything asked for succeeded.

    ``pdf``, ``epub`` and ``offline`` also make those downloads inside the new site
    (scripts/pdf.py, epub.py, offline.py), and the Download page gets their sizes."""
    site = site.resolve()
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".site-", dir=site.parent))
    except OSError as exc:
        print(f"{site.parent}: error: cannot write a new site here ({exc.strerror or exc}); {site} was left as it was", file=sys.stderr)
        return 1
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)
    try:
        result = mkdocs_build(staging / "site", config)
        sys.stderr.write(result.stderr)
        if result.returncode != 0:
            print(f"build failed: {site} was left as it was", file=sys.stderr)
            return 1
        if pdf:
            from .pdf import make_pdf

            if make_pdf(staging / "site", config) != 0:
                print(f"PDF failed: {site} was left as it was", file=sys.stderr)
                return 1
        if epub:
            from .epub import make_epub

            if make_epub(staging / "site", config_file=config) != 0:
                print(f"EPUB failed: {site} was left as it was", file=sys.stderr)
                return 1
        if offline:
            from .offline import make_offline

            if make_offline(staging / "site", config) != 0:
                print(f"offline bundle failed: {site} was left as it was", file=sys.stderr)
                return 1
        if pdf or epub or offline:
            from .downloads import stamp

            stamp(staging / "site")
        old = staging / "old"
        try:
            if site.exists():
                site.rename(old)
            (staging / "site").rename(site)
        except OSError as exc:
            if old.exists() and not site.exists():
                old.rename(site)
            print(f"{site}: error: cannot replace the site ({exc.strerror or exc}); it was left as it was", file=sys.stderr)
            return 1
        print(f"built {site}", file=sys.stderr)
        return 0
    except KeyboardInterrupt:
        print(f"interrupted: {site} was left as it was", file=sys.stderr)
        return 130
    except SystemExit:
        print(f"stopped: {site} was left as it was", file=sys.stderr)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
