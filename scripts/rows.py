"""A benchmark's result rows and their Markdown table, shared by scripts/bench.py and
scripts/browserbench.py (so that neither imports the other)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    name: str
    value: float | str
    unit: str = ""
    target: str = "—"
    verdict: str = "info"


def fmt(value: float | str) -> str:
    if isinstance(value, str):
        return value
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def judge(ok: bool) -> str:
    return "ok" if ok else "over target"


def table(rows: list[Row]) -> str:
    lines = ["| measurement | value | unit | target | verdict |", "| --- | ---: | --- | --- | --- |"]
    lines += [f"| {r.name} | {fmt(r.value)} | {r.unit} | {r.target} | {r.verdict} |" for r in rows]
    return "\n".join(lines)
