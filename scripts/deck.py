"""The self-checks as a deck for Anki (``.apkg``, with genanki) and as CSV and TSV files.

``make deck`` (``python -m scripts deck``) writes them; the build writes the same files
into the site (``downloads/``), linked from the Practice page. Each Anki note's GUID comes
from the self-check's stable id (scripts/practice.py), so importing a newer deck updates
the cards a reader already has instead of adding copies. Cards are tagged by section
(``section::3``, ``section::since``) and by the glossary terms they test
(``term::mesa-optimizer``), and each links back to its question in the notes.
"""

from __future__ import annotations

import csv
import hashlib
import html as html_lib
import io
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from . import BIB_NAME, GLOSSARY_NAME, bibliography, glossary, practice
from .findings import InputError
from .pages import CITATION_BLOCK, LINK, cited_works, read_pages, resolve_link

DECK_NAME = "Risks from Learned Optimization: self-checks"
FILE_STEM = "risks-from-learned-optimization-self-checks"
DOWNLOADS = "downloads"  # inside the built site
# Fixed forever: Anki recognises the note type and the deck by these ids.
MODEL_ID = 1906182001
DECK_ID = 1906182002
GUID_NAMESPACE = "rlo-notes-selfcheck"
CSV_COLUMNS = ("id", "section", "question", "answer", "link", "tags")

def model():
    """The note type: question, answer, section, link back, id (the sort field)."""
    import genanki

    return genanki.Model(
        MODEL_ID,
        "Reading notes self-check",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Section"}, {"name": "Link"}, {"name": "Id"}],
        templates=[
            {
                "name": "Self-check",
                "qfmt": '<p class="section">{{Section}}</p>{{Question}}',
                "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}<p class="where"><a href="{{Link}}">In the notes</a></p>',
            }
        ],
        css=".card { font-family: sans-serif; font-size: 18px; text-align: left; max-width: 40em; margin: auto; }"
        " .section, .where { font-size: 14px; opacity: .7; }",
        sort_field_index=4,
    )


class DeckError(Exception):
    """The deck cannot be made; the message says why (path:line: … when it is the input)."""


@dataclass
class DeckFiles:
    apkg: Path
    csv: Path
    tsv: Path
    count: int


def load_cards(docs: Path) -> tuple[practice.Cards, glossary.Glossary]:
    """The cards, or DeckError naming the first broken input (path:line:col)."""
    try:
        gloss = glossary.load(docs / GLOSSARY_NAME)
    except InputError as exc:
        raise DeckError(exc.finding.format()) from None
    if gloss.findings:
        raise DeckError(sorted(gloss.findings)[0].format() + " (the deck tags cards by glossary term: fix the glossary first)")
    pages, errors, _ = read_pages(docs)
    if errors:
        raise DeckError(errors[0].format())
    cards = practice.collect(pages, gloss)
    if cards.findings:
        raise DeckError("\n".join(f.format() for f in sorted(cards.findings)))
    if not cards.cards:
        raise DeckError(f"{docs}: no self-checks found; nothing to put in a deck")
    return cards, gloss


def page_url(site_url: str, rel: str) -> str:
    stem = rel.removesuffix(".md")
    stem = "" if stem == "index" else stem.removesuffix("/index") + "/"
    return site_url.rstrip("/") + "/" + stem


def citation_labels(docs: Path) -> dict[str, str]:
    """"Hubinger et al. 2019" for each key of references.bib (first author, year)."""
    try:
        bib = bibliography.load(docs / BIB_NAME)
    except InputError:
        return {}
    labels = {}
    for key, entry in bib.data.entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        name = " ".join(people[0].last_names) if people else entry.fields.get("title", key)
        name = re.sub(r"[{}]", "", name)
        more = " et al." if len(people) > 2 else (f" and {' '.join(people[1].last_names)}" if len(people) == 2 else "")
        labels[key] = f"{name}{more} {entry.fields.get('year', 'n.d.')}"
    return labels


def answer_html(card: practice.Card, site_url: str, labels: dict[str, str]) -> str:
    """The answer as HTML for Anki: citations as text, links absolute to the site."""

    def cite(m: re.Match) -> str:
        parts = [f"{labels.get(key, key)}{', ' + loc if loc else ''}" for key, loc in cited_works(m.group(0))]
        return "(" + "; ".join(parts) + ")"

    def link(m: re.Match) -> str:
        target = m.group(3)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            return m.group(0)
        path, _, fragment = target.partition("#")
        url = page_url(site_url, resolve_link(card.rel, path)) + (f"#{fragment}" if fragment else "")
        return f"[{m.group(2)}]({url})"

    import markdown

    text = CITATION_BLOCK.sub(cite, card.answer)
    text = LINK.sub(link, text)
    return markdown.markdown(text, extensions=["attr_list"])


def tags(card: practice.Card) -> list[str]:
    return [f"section::{card.section}", *(f"term::{t}" for t in card.terms)]


def guid(card: practice.Card) -> str:
    import genanki

    return genanki.guid_for(GUID_NAMESPACE, card.id)


def build_deck(docs: Path, out: Path, site_url: str, cache: Path | None = None) -> DeckFiles:
    """Write the three files into ``out``. With ``cache`` (a folder), a deck made before
    from the same sources is copied from there instead of made again (``mkdocs serve``)."""
    cards, _ = load_cards(docs)
    names = [f"{FILE_STEM}.{suffix}" for suffix in ("apkg", "csv", "tsv")]
    if cache is not None:
        digest = hashlib.blake2b(digest_size=12)
        for part in (Path(__file__), Path(practice.__file__), docs / GLOSSARY_NAME, docs / BIB_NAME):
            digest.update(part.read_bytes() if part.is_file() else b"")
        # What _write reads of each card, not its page: an edit elsewhere on a notes page
        # (most edits) leaves the deck as it was.
        digest.update(repr([(c.id, c.rel, c.section, c.section_label, c.question, c.answer, c.terms) for c in cards.cards]).encode())
        digest.update(site_url.encode())
        kept = cache / digest.hexdigest()
        if all((kept / n).is_file() for n in names):
            out.mkdir(parents=True, exist_ok=True)
            for n in names:
                shutil.copyfile(kept / n, out / n)
            return DeckFiles(out / names[0], out / names[1], out / names[2], len(cards.cards))
    result = _write(cards, docs, out, site_url)
    if cache is not None:
        if cache.is_dir():
            shutil.rmtree(cache)  # one deck is kept: the newest
        kept.mkdir(parents=True)
        for n in names:
            shutil.copyfile(out / n, kept / n)
    return result


def _write(cards: practice.Cards, docs: Path, out: Path, site_url: str) -> DeckFiles:
    import genanki
    import lxml.html

    labels = citation_labels(docs)
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    rows = []
    note_model = model()
    for card in cards.cards:
        answer = answer_html(card, site_url, labels)
        link = page_url(site_url, card.rel) + f"#{card.id}"
        question = html_lib.escape(card.question)
        deck.add_note(genanki.Note(model=note_model, fields=[question, answer, card.section_label, link, card.id], tags=tags(card), guid=guid(card)))
        plain = " ".join(lxml.html.fromstring(f"<div>{answer}</div>").text_content().split())
        rows.append((card.id, card.section_label, card.question, plain, link, " ".join(tags(card))))
    out.mkdir(parents=True, exist_ok=True)
    apkg = out / f"{FILE_STEM}.apkg"
    partial = out / f".{apkg.name}.partial"
    genanki.Package(deck).write_to_file(str(partial))
    partial.replace(apkg)
    files = {}
    for suffix, dialect in (("csv", "excel"), ("tsv", "excel-tab")):
        buffer = io.StringIO()
        writer = csv.writer(buffer, dialect=dialect, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(rows)
        files[suffix] = out / f"{FILE_STEM}.{suffix}"
        files[suffix].write_text(buffer.getvalue(), encoding="utf-8")
    return DeckFiles(apkg, files["csv"], files["tsv"], len(rows))


def main(args) -> int:
    from . import DOCS
    from . import site as site_model

    docs = Path(args.docs) if args.docs else DOCS
    site_url = args.site_url or site_model.load().config.site_url or ""
    try:
        result = build_deck(docs, Path(args.out), site_url)
    except DeckError as exc:
        print(f"{exc}\ndeck: error: no deck written", file=sys.stderr)
        return 1
    print(f"deck: wrote {result.count} cards to {result.apkg}, {result.csv.name} and {result.tsv.name}", file=sys.stderr)
    return 0
