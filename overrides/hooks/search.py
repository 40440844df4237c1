"""Hook: how search weighs each page, and the JSON behind the glossary card in search.

The rules and the JSON come from scripts/search.py; this file only hands it the pages'
paths, the notes pages' headings and the glossary, and writes the file.
"""

import html
import json
from pathlib import Path

from mkdocs.exceptions import PluginError

from scripts import GLOSSARY_NAME, glossary, search

state = {}


def on_files(files, config):
    state["files"] = files
    state["targets"] = {}  # section number -> place in the notes, filled as pages are built
    state["built"] = 0
    return files


def on_page_markdown(markdown, page, config, files):
    # Material's search plugin reads page.meta["search"] when it indexes the page (later,
    # in on_page_context); a page's own `search:` front matter wins over the table.
    setting = search.search_setting(page.file.src_uri)
    if setting is not None and "search" not in page.meta:
        page.meta["search"] = setting
    return markdown


def on_page_content(content, page, config, files):
    state["built"] += 1
    if "section" in page.meta:
        headings = [(html.unescape(item.title), item.id) for item in _walk(page.toc)]
        title = str(page.meta.get("title") or page.title)
        state["targets"].update(search.notes_targets(page.url, title, str(page.meta["section"]), headings))
    return content


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.children)


def on_post_build(config):
    files = state["files"]
    if state["built"] < len(files.documentation_pages()):
        return  # `mkdocs serve --dirty` rebuilt only some pages: keep the last full build's file
    glossary_page = files.get_file_from_path(glossary.GLOSSARY_PAGE)
    if glossary_page is None:
        raise PluginError(f"the search card links to the glossary, but there is no {glossary.GLOSSARY_PAGE}")
    gloss = glossary.load(Path(config["docs_dir"]) / GLOSSARY_NAME)
    data, findings = search.terms_index(gloss, state["targets"], glossary_page.url)
    if findings:
        raise PluginError("\n".join(f.format() for f in sorted(findings)))
    target = Path(config["site_dir"]) / search.TERMS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
