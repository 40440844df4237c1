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
        return f"{self.path}:{self.line}:{self.col}: {self.rule}: {self.message}"

    def github(self) -> str:
        message = self.message.replace("%", "%25").replace("\n", "%0A")
        return (
            f"::error file={self.path},line={self.line},col={self.col},"
            f"title={self.rule}::{message}"
        )


def render(findings: list[Finding], fmt: str = "text", github: bool = False) -> str:
    findings = sorted(set(findings))
    if fmt == "json":
        return json.dumps([asdict(f) for f in findings], indent=2)
    lines = [f.format() for f in findings]
    if github:
        lines += [f.github() for f in findings]
    return "\n".join(lines)
