"""What the build adds to a notes page from its front matter: the line of facts under the
title. (The glossary's parts of a page, its terms list and hover definitions, are
scripts/glossary_html.py.)"""

from __future__ import annotations

import html as html_lib
import re

H1 = re.compile(r"^# .*$", re.MULTILINE)


def insert_page_facts(markdown: str, meta: dict) -> str:
    """A line under the title: which part of the paper, which forum post, how long."""
    facts = [f"Paper §{meta['section']}"]
    subs = meta.get("subsections") if isinstance(meta.get("subsections"), list) else []
    if subs:
        facts.append(f"subsections {subs[0]}–{subs[-1]}" if len(subs) > 1 else f"subsection {subs[0]}")
    post = meta.get("post") if isinstance(meta.get("post"), dict) else {}  # malformed: the checker says so
    if isinstance(post.get("url"), str):
        facts.append(f'Alignment Forum: <a href="{html_lib.escape(post["url"])}">{html_lib.escape(str(post.get("title", "post")))}</a>')
    if meta.get("reading_time"):
        facts.append(f"about {meta['reading_time']} min to read")
    line = f'<p class="page-facts">{" · ".join(facts)}</p>'
    match = H1.search(markdown)
    if not match:
        return line + "\n\n" + markdown
    return markdown[: match.end()] + "\n\n" + line + "\n" + markdown[match.end() :]
