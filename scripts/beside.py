"""The content checker in a second process, so the build does not wait for it.

``python -m scripts check --format json`` runs beside the page rendering (on the second
core); ``wait()`` gives its findings formatted as ``path:line:col: rule: message``.
Used by overrides/hooks/checks.py; kept apart from scripts/check.py so the build does
not import the checker at all.

With ``cache`` (a folder, .cache/check/ beside mkdocs.yml), an answer is kept under a
digest of everything the checker reads: every file under docs/ (its path, its kind, its
bytes: the content policy judges symbolic links and special files too), the checker's own
code and data (scripts/), the installed packages' names and versions, the Python and the
folder it runs from (findings name paths relative to it), and the ``PYTHON*`` and ``RLO_*``
environment variables it is started with. A build whose inputs are all
the same reuses that answer and starts no process; any change checks again.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import sysconfig
from pathlib import Path

from .findings import Finding

PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)


FORMAT = "1"


class BesideRun:
    def __init__(self, docs: str | Path, command: list[str] | None = None, cache: str | Path | None = None):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))}
        own = command is None
        command = command or [sys.executable, "-m", "scripts", "check", "--format", "json", "--no-originality", "--no-spelling", "--docs", str(docs)]
        self.kept: Path | None = None
        self.answer: list[str] | None = None
        self.process = None
        if own and cache is not None:
            self.kept = Path(cache) / f"{inputs_digest(Path(docs), command, env)}.json"
            self.answer = _load(self.kept)
        if self.answer is None:
            self.process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    crashed: str = ""  # set by wait() when the checker did not give an answer

    def wait(self) -> list[str]:
        """The findings, formatted. Fails closed: only exit 0 with no findings, or exit 1
        with findings, is an answer; anything else (a crash exits 2) is ``crashed``, and
        comes back as a finding too, so a strict build fails either way. Only an answer
        is kept for the next build."""
        if self.answer is not None:
            return list(self.answer)
        out, err = self.process.communicate()
        code = self.process.returncode
        findings = None
        if code in (0, 1):
            try:
                findings = [Finding(**item).format() for item in json.loads(out)]
            except (ValueError, TypeError):
                findings = None
        if findings is not None and bool(findings) == (code == 1):
            if self.kept is not None:
                _store(self.kept, findings)
            return findings
        tail = " | ".join(err.strip().splitlines()[-3:]) or "no output"
        self.crashed = f"scripts/check.py:1:1: checker-crashed: the content checker crashed (exit status {code}): {tail}"
        return [self.crashed]


def inputs_digest(docs: Path, command: list[str], env: dict[str, str] | None = None) -> str:
    """A digest of everything ``command`` (the checker) reads and of where it runs,
    including the environment variables that change what Python runs (``PYTHON*``: a
    ``PYTHONPATH`` can put other code in front of the checker's) and our own (``RLO_*``)."""
    h = hashlib.blake2b(digest_size=20)

    def add(*parts: str | bytes) -> None:
        for part in parts:
            h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogateescape"))
            h.update(b"\0")

    add(FORMAT, sys.version, sys.executable, os.getcwd(), os.path.abspath(docs), *command)
    env = os.environ if env is None else env
    add("env", *sorted(f"{k}={v}" for k, v in env.items() if k.startswith(("PYTHON", "RLO_"))))
    for key in ("purelib", "platlib"):  # the installed packages, by name and version
        folder = sysconfig.get_paths()[key]
        try:
            add(folder, *sorted(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info"))))
        except OSError:
            add(folder, "?")
    for root, skip in ((Path(docs), ()), (Path(PACKAGE_ROOT) / "scripts", ("__pycache__",))):
        add("root", os.path.abspath(root))
        for folder, dirnames, filenames in os.walk(root):  # symbolic links are not followed
            dirnames[:] = sorted(d for d in dirnames if d not in skip)
            for name in sorted([*dirnames, *filenames]):
                path = os.path.join(folder, name)
                try:
                    info = os.lstat(path)
                except OSError:
                    add(path, "gone")
                    continue
                add(os.path.relpath(path, root), str(stat.S_IFMT(info.st_mode)), str(info.st_mode & 0o777))
                if stat.S_ISLNK(info.st_mode):
                    add(os.readlink(path))
                elif stat.S_ISREG(info.st_mode) and name in filenames:
                    try:
                        with open(path, "rb") as handle:
                            add(handle.read())
                    except OSError:
                        add("unreadable")
    return h.hexdigest()


def _load(path: Path) -> list[str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("findings"), list):
        return None
    if not all(isinstance(line, str) for line in data["findings"]):
        return None
    return data["findings"]


def _store(path: Path, findings: list[str]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"format": FORMAT, "findings": findings}), encoding="utf-8")
        tmp.replace(path)
        kept = sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[20:]:  # a few recent states of the sources (branches, undone edits)
            old.unlink(missing_ok=True)
    except OSError:
        pass  # not kept: the next build checks again
