"""Hook: the Practice page, the self-checks' anchors, forward references, the deck.

- the Practice page's marker becomes every self-check, grouped by section, each folded
  with its answer (the page without scripts; practice.js builds the card view from it);
- each self-check on the notes gets the id from its marker comment as its anchor;
- a glossary link marked ``{ .forward }`` gets "(see §4.3)" after it;
- after the build, the Anki deck and its CSV and TSV go into the site's downloads/.
The plain functions live in scripts/practice.py, scripts/forward.py and scripts/deck.py.
"""

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from mkdocs.utils import get_relative_url

from scripts import GLOSSARY_NAME, deck, forward, glossary, practice
from scripts.findings import InputError
from scripts.pages import read_pages

log = get_plugin_logger("practice")
state = {}


def on_config(config):
    state["docs"] = Path(config["docs_dir"])
    try:
        state["glossary"] = glossary.load(state["docs"] / GLOSSARY_NAME)
    except InputError as exc:
        raise PluginError(exc.finding.format()) from None
    return config


def on_files(files, config):
    docs = state["docs"]
    pages, errors, _ = read_pages(docs)
    if errors:
        raise PluginError(errors[0].format())
    state["pages"] = pages
    state["notes"] = {
        int(p.meta["section"]): (p.rel, [str(s) for s in p.meta.get("subsections") or []])
        for p in pages
        if p.rel.startswith("notes/") and str(p.meta.get("section", "")).isdigit()
    }
    return files


@event_priority(60)  # before the glossary (50) and citations (20) hooks read the Markdown
def on_page_markdown(markdown, page, config, files):
    gloss = state["glossary"]
    if page.file.src_uri == practice.PRACTICE_PAGE:
        if practice.MARKER not in markdown:
            raise PluginError(f"{page.file.src_path}: the Practice page lost its marker {practice.MARKER}")
        cards = practice.collect(state["pages"], gloss)  # the checker reports cards.findings
        markdown = markdown.replace(practice.MARKER, practice.render_page(cards, gloss, page.file.src_uri))
    elif page.file.src_uri.startswith("notes/") or page.file.src_uri in practice.EXTRA_PAGES:
        markdown = practice.mark_anchors(markdown)
    return forward.render(markdown, page.file.src_uri, gloss.by_id, state["notes"])


def on_page_content(html, page, config, files):
    if page.file.src_uri != practice.PRACTICE_PAGE:
        html = practice.anchor_questions(html)
    return html


def on_post_page(output, page, config):
    """The Practice page's own stylesheet and script, added here by the build (a page's
    Markdown may not load scripts: see the content policy); no other page loads them."""
    if page.file.src_uri != practice.PRACTICE_PAGE:
        return output
    return practice.with_assets(output, get_relative_url(".", page.url))


def on_post_build(config):
    if not (state["docs"] / practice.PRACTICE_PAGE).is_file():
        return
    try:
        cache = Path(config["config_file_path"]).parent / ".cache" / "deck"  # rebuilds copy an unchanged deck
        deck.build_deck(state["docs"], Path(config["site_dir"]) / deck.DOWNLOADS, config.get("site_url") or "", cache)
    except deck.DeckError as exc:  # a warning: strict builds fail on it, `make serve` goes on
        for line in str(exc).splitlines():
            log.warning(f"deck: {line}")
