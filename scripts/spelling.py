"""The spell check of ``make check``: codespell's findings as ``path:line:col: spelling: …``.

codespell prints ``path:line: word ==> fix``; this runs it with the project's settings
(``.codespellrc`` in the current folder, words we mean in ``.codespell-words``) and turns
each line into a ``Finding``, with the column of the word, so that the spell check reports
in the same stream, sorted and annotated in CI, as every other rule.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .findings import Finding

# What `make check` spells when no paths are given (those that exist in the current folder).
DEFAULT_PATHS = ("docs", "README.md", "CONTRIBUTING.md", "scripts", "overrides", "tests")
CODESPELL_OK, CODESPELL_FOUND = 0, 65  # codespell's exit statuses: clean, misspellings found
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<word>.+?) ==> (?P<fixes>.+?)(?: \| (?P<reason>.*))?$")


class SpellingError(Exception):
    """codespell did not run (not installed, bad configuration): not a finding, a failure."""


def check_spelling(paths: list[Path] | None = None, cwd: Path | None = None) -> list[Finding]:
    """codespell over ``paths`` (default: DEFAULT_PATHS that exist), as findings."""
    cwd = cwd or Path.cwd()
    targets = [shown_path(p, cwd) for p in paths] if paths else [p for p in DEFAULT_PATHS if (cwd / p).exists()]
    if not targets:
        return []
    command = [sys.executable, "-m", "codespell_lib", "--disable-colors", *targets]
    try:
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    except OSError as exc:
        raise SpellingError(f"codespell could not start: {exc}") from None
    if result.returncode not in (CODESPELL_OK, CODESPELL_FOUND):
        tail = " | ".join((result.stderr or result.stdout).strip().splitlines()[-3:])
        raise SpellingError(f"codespell failed with exit status {result.returncode}: {tail}")
    return parse(result.stdout, cwd)


def shown_path(path: Path, cwd: Path) -> str:
    """A path as messages name it: relative to the current folder when it is inside it."""
    try:
        return Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(cwd))).as_posix()
    except ValueError:
        return str(path)


def parse(output: str, cwd: Path) -> list[Finding]:
    findings = []
    for raw in output.splitlines():
        m = LINE.match(raw.strip())
        if not m:
            continue
        path, number, word = m.group("path"), int(m.group("line")), m.group("word")
        fixes = [f.strip() for f in m.group("fixes").split(",") if f.strip()]
        message = f"'{word}' looks misspelt"
        if fixes:
            message += "; did you mean " + " or ".join(f"'{f}'" for f in fixes) + "?"
        if m.group("reason"):
            message += f" ({m.group('reason').strip()})"
        message += " (a word we mean goes in .codespell-words)"
        shown = path[2:] if path.startswith("./") else path
        findings.append(Finding(shown, number, column(cwd / shown, number, word), "spelling", message))
    return findings


def column(path: Path, number: int, word: str) -> int:
    """Where ``word`` starts on line ``number`` of ``path`` (1 when it cannot be found)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return 1
    if not 0 < number <= len(lines):
        return 1
    m = re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", lines[number - 1], re.IGNORECASE)
    return m.start() + 1 if m else 1
