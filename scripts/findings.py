"""Compiler-style findings: ``path:line:col: rule: message``."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


class InputError(Exception):
    """Malformed input (YAML, BibTeX, front matter) that stops a step.

    Carries its own finding so that every caller reports ``path:line`` the same way.
    """

    def __init__(self, finding: "Finding"):
        super().__init__(finding.format())
        self.finding = finding


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int
    rule: str
    message: str

    def format(self) -> str:
        """One line, whatever the message quotes: a newline in contributed text (a glossary
        id, a file name) would otherwise start a line of its own, which CI reads as a
        workflow command (``::stop-commands::``) and a reader as another finding."""
        return one_line(f"{self.path}:{self.line}:{self.col}: {self.rule}: {self.message}")

    def github(self) -> str:
        """A GitHub Actions annotation, escaped as the runner unescapes it: ``%``, CR and LF
        in the message; also ``:`` and ``,`` in the properties (file, title), so that
        nothing a contributor wrote can end the command early or start another."""
        return (
            f"::error file={_property(self.path)},line={self.line},col={self.col},"
            f"title={_property(self.rule)}::{_data(self.message)}"
        )


def one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings: list[Finding], fmt: str = "text", github: bool = False) -> str:
    findings = sorted(set(findings))
    if fmt == "json":
        return json.dumps([asdict(f) for f in findings], indent=2)
    lines = [f.format() for f in findings]
    if github:
        lines += [f.github() for f in findings]
    return "\n".join(lines)
