"""Under ``make serve``: the content checker in a process that lives as long as the server.

Each rebuild asks it to check docs/ as the rebuild starts (hooks/checks.py), and takes the
answer when the first page is written (the banners, hooks/devbanner.py) or at the end of
the build (the warnings). So the check runs on the second core while the pages are
converted, with the warm caches of the check before it, instead of adding its time to
every reload or starting a cold process every time (what `mkdocs build` does, in
scripts/beside.py).

Fails closed: a checker that raised gives its traceback as an error (the rebuild fails,
and the server says so); a worker that died is replaced by a check in the server's own
process.
"""

from __future__ import annotations

import multiprocessing
import traceback
from pathlib import Path

from .findings import Finding

_worker: dict = {}


def _loop(connection) -> None:  # in the worker process
    from scripts.check import check

    while True:
        try:
            docs = connection.recv()
        except (EOFError, OSError):
            return
        try:
            connection.send(("ok", check(Path(docs))))
        except Exception:  # noqa: BLE001 - reported to the server as the checker's crash
            connection.send(("error", traceback.format_exc()))


def _alive() -> dict | None:
    if _worker.get("process") is not None and _worker["process"].is_alive():
        return _worker
    try:
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: the server has threads
        ours, theirs = context.Pipe()
        process = context.Process(target=_loop, args=(theirs,), name="content-checker", daemon=True)
        process.start()
    except (OSError, RuntimeError):
        _worker.clear()
        return None
    _worker.clear()
    _worker.update(process=process, connection=ours, pending=None)
    return _worker


def start(docs: Path, token: object) -> bool:
    """Ask the worker to check ``docs`` for the build ``token`` (its config); False when
    there is no worker, and the caller checks in its own process."""
    worker = _alive()
    if worker is None:
        return False
    if worker["pending"] is not None:  # a rebuild that failed before it took its answer
        _receive(worker)
    try:
        worker["connection"].send(str(docs))
    except (OSError, ValueError):
        _worker.clear()
        return False
    worker["pending"] = token
    return True


def result(token: object) -> list[Finding] | None:
    """The findings asked for by ``start(…, token)``, waiting for them; None when none were
    asked for this build or the worker died (the caller then checks in its own process)."""
    worker = _worker
    if not worker or worker.get("pending") is not token:
        return None
    answer = _receive(worker)
    if answer is None:
        return None
    kind, value = answer
    if kind != "ok":
        raise RuntimeError(f"the content checker crashed:\n{value}")
    return value


def _receive(worker: dict):
    worker["pending"] = None
    try:
        return worker["connection"].recv()
    except (EOFError, OSError):
        _worker.clear()
        return None
