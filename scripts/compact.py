"""Bytes no reader sees, left out of what the site serves.

- HTML: Material's templates indent every line, some 7 KB on a notes page (about 0.5 KB
  gzipped). Whitespace is kept wherever it can show: in ``pre``, ``code``, ``kbd`` and
  ``textarea`` (white-space: pre and pre-wrap), and in ``script``; elsewhere a newline
  stays a newline, so words never run together.
- Our own stylesheet and script: their comments and indentation, which are for the
  people who maintain them and stay in the sources. Only comments that start a line are
  dropped, so a "//" or "/*" inside a string or a URL is never touched.
"""

from __future__ import annotations

import re

KEEP = re.compile(r"<(pre|code|kbd|textarea|script)\b", re.IGNORECASE)
INDENT = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")  # a newline, its indentation and any blank lines after it


def compact_html(html: str) -> str:
    out: list[str] = []
    last = 0
    while (m := KEEP.search(html, last)) is not None:
        close = f"</{m.group(1)}>"
        end = html.find(close, m.end())
        end = len(html) if end < 0 else end + len(close)
        out += [_squeeze(html[last : m.start()]), html[m.start() : end]]
        last = end
    out.append(_squeeze(html[last:]))
    return "".join(out)


def _squeeze(text: str) -> str:
    return INDENT.sub("\n", text)


CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
JS_BLOCK_COMMENT = re.compile(r"^[ \t]*/\*.*?\*/[ \t]*$", re.DOTALL | re.MULTILINE)
JS_LINE_COMMENT = re.compile(r"^[ \t]*//.*$", re.MULTILINE)


def compact_css(css: str) -> str:
    """Our stylesheet without comments, indentation or blank lines (we write no "/*" in strings)."""
    return _squeeze(CSS_COMMENT.sub("", css)).strip() + "\n"


def compact_js(js: str) -> str:
    """Our script without the comments that fill whole lines, indentation or blank lines."""
    return _squeeze(JS_LINE_COMMENT.sub("", JS_BLOCK_COMMENT.sub("", js))).strip() + "\n"
