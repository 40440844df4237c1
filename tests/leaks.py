"""What must never reach a reader, on a web page or in the PDF: markup that was not
rendered, and the project's own working words. Shared by the HTML and PDF tests."""

from __future__ import annotations

import re

LEAKS = {
    "a pandoc span": re.compile(r"\]\{\."),
    "a {.nocase} span": re.compile(r"\{\.nocase\}"),
    "a raw citation": re.compile(r"\[@"),
    "a TeX dash": re.compile(r"\d--+\d"),
    "TeX maths": re.compile(r"\$\^|\$_"),
    "an escaped underscore": re.compile(r"\\_"),
    "an escaped ampersand": re.compile(r"\\&"),
    "Markdown bold": re.compile(r"\*\*\w"),
    "a callout marker": re.compile(r"(?:!!!|\?\?\?) "),
    "an attribute list": re.compile(r"\{ ?#[\w-]+ ?\}"),
    "a footnote marker": re.compile(r"\[\^"),
}
INTERNAL_WORDS = re.compile(r"\bseeds?\b|\bissue #?\d+\b", re.IGNORECASE)


def leaks_in(text: str, where: str) -> list[str]:
    """Each leak in ``text`` as "where: what: …excerpt…"."""
    found = []
    for what, pattern in LEAKS.items():
        for m in pattern.finditer(text):
            excerpt = " ".join(text[max(0, m.start() - 40) : m.end() + 40].split())
            found.append(f"{where}: {what}: …{excerpt}…")
    for m in INTERNAL_WORDS.finditer(text):
        excerpt = " ".join(text[max(0, m.start() - 40) : m.end() + 40].split())
        found.append(f"{where}: a working word ({m.group(0)!r}): …{excerpt}…")
    return found
