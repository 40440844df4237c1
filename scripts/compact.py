"""Bytes no reader sees, left out of what the site serves.

- HTML: Material's templates indent every line, some 7 KB on a notes page (about 0.5 KB
  gzipped). Whitespace is kept wherever it can show: in ``pre``, ``code``, ``kbd`` and
  ``textarea`` (white-space: pre and pre-wrap), and in ``script``; elsewhere a newline
  stays a newline, so words never run together.
- Our own stylesheets and scripts (every .css and .js under docs/assets/): minified by
  rcssmin and rjsmin, which parse strings, URLs and regular expressions, so a "//" or
  "/*" inside one is never touched. Comments are for the people who maintain the files
  and stay in the sources.
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


def compact_css(css: str) -> str:
    """Our stylesheet minified (rcssmin): no comments, no whitespace a browser ignores."""
    import rcssmin

    return rcssmin.cssmin(css) + "\n"


def compact_js(js: str) -> str:
    """Our script minified (rjsmin): no comments, no whitespace that changes nothing.
    Names are kept, so an error in the console still reads like the source."""
    import rjsmin

    return rjsmin.jsmin(js) + "\n"
