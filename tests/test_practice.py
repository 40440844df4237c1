"""Self-checks as practice cards: the real content's coverage, forward references and
quotations; the Practice page and anchors as built; the Anki deck; the PDF appendix.

The browser journey is in tests/test_practice_browser.py; the checker's messages on
broken input are fixtures in tests/data/checker/ (selfcheck-id, selfcheck-coverage,
forward-reference, misquote).
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import sys
import zipfile
from pathlib import Path

import lxml.html
import pytest

from conftest import DATA, ROOT, run, tree_digest
from scripts import forward, glossary, originality, practice
from scripts.check import check, load_site

DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def real():
    site = load_site(DOCS)
    assert not site.findings, [f.format() for f in site.findings]
    return site, practice.collect(site.pages, site.glossary)


# --------------------------------------------------------------------------- the real content


def test_every_paper_term_is_tested(real):
    site, cards = real
    paper = practice.paper_terms(site.glossary)
    tested = {t for card in cards.cards for t in card.terms}
    assert len(paper) == 23
    missing = [e.id for e in paper if e.id not in tested]
    assert missing == [], "paper terms no self-check tests"
    assert len([e for e in paper if e.id in tested]) == 23


def test_every_self_check_is_a_card_with_a_unique_id(real):
    site, cards = real
    assert cards.findings == []
    callouts = [(p.rel, c.line) for p in site.pages if practice.page_section(p) for c in p.callouts if c.kind == "selfcheck"]
    assert len(cards.cards) == len(callouts)
    assert len({c.id for c in cards.cards}) == len(cards.cards)
    per_page = {}
    for card in cards.cards:
        per_page[card.rel] = per_page.get(card.rel, 0) + 1
    notes = [p.rel for p in site.pages if p.rel.startswith("notes/")]
    assert notes and all(per_page.get(rel, 0) >= 4 for rel in notes), per_page
    assert {c.section for c in cards.cards} == {"1", "2", "3", "4", "5", "6", "since"}


def test_no_unmarked_forward_use_and_no_misquote():
    findings = check(DOCS)
    assert [f.format() for f in findings if f.rule in ("forward-reference", "misquote", "selfcheck-coverage", "selfcheck-id", "selfcheck-answer", "selfcheck-terms")] == []


def test_the_real_content_quotes_the_paper_and_marks_forward_uses(real):
    site, _ = real
    quotes = [q for p in site.pages for q in originality.quotations(p)]
    assert len(quotes) >= 20, "the notes quote the paper; each of these was checked"
    marked = [p.rel for p in site.pages for line in p.lines if forward.MARK.search(line)]
    assert marked, "the §1–§3 notes mark their forward uses"


# --------------------------------------------------------------------------- the pieces


@pytest.mark.parametrize(
    "quote, wrong",
    [
        ("neither interesting nor useful to know", None),
        ("Neither INTERESTING, nor useful — to know!", None),  # case, punctuation, whitespace
        ("it is thus neither interesting … to know", None),  # an omission
        ("it is thus neither interesting ... to know", None),
        ("neither interesting nor helpful to know", "neither interesting nor helpful"),
        ("crystallize", "crystallize"),
    ],
)
def test_quotations_match_the_paper_words(quote, wrong):
    assert originality.unmatched(quote, originality.quote_table()) == wrong


def test_introduced_comes_from_the_glossary_locator():
    gloss = glossary.load(DOCS / "glossary.yml")
    assert forward.introduced(gloss.by_id["deceptive-alignment"]) == forward.Introduced(4, "4")
    assert forward.introduced(gloss.by_id["proxy-alignment"]) == forward.Introduced(3, "3.1")


def test_forward_marker_renders_see_section():
    gloss = glossary.load(DOCS / "glossary.yml")
    notes = {3: ("notes/03-the-inner-alignment-problem.md", ["3.1", "3.2"]), 4: ("notes/04-deceptive-alignment.md", ["4.1"])}
    source = "A [proxy](../glossary.md#proxy-alignment){ .forward } and [deceptive alignment](../glossary.md#deceptive-alignment){ .forward }."
    out = forward.render(source, "notes/01-introduction.md", gloss.by_id, notes)
    assert out == (
        'A [proxy](../glossary.md#proxy-alignment) <span class="forward-ref">(see [§3.1](03-the-inner-alignment-problem.md#sec-3-1))</span>'
        ' and [deceptive alignment](../glossary.md#deceptive-alignment) <span class="forward-ref">(see [§4](04-deceptive-alignment.md))</span>.'
    )


def test_forward_marker_in_code_is_left_alone():
    gloss = glossary.load(DOCS / "glossary.yml")
    notes = {4: ("notes/04-deceptive-alignment.md", [])}
    source = "Write `[deceptive alignment](../glossary.md#deceptive-alignment){ .forward }` like this:\n\n```markdown\n[deceptive alignment](../glossary.md#deceptive-alignment){ .forward }\n```\n"
    assert forward.render(source, "contributing/conventions.md", gloss.by_id, notes) == source


def test_answer_links_are_rewritten_for_the_practice_page():
    answer = "See [outer alignment](../glossary.md#outer-alignment) and [§2](02-conditions.md#sec-2-1), or [a site](https://example.org)."
    assert practice.relink(answer, "notes/01-introduction.md", "practice.md") == (
        "See [outer alignment](glossary.md#outer-alignment) and [§2](notes/02-conditions.md#sec-2-1), or [a site](https://example.org)."
    )


# --------------------------------------------------------------------------- as built


def test_built_pages_carry_the_cards(site, real):
    _, cards = real
    page = lxml.html.parse(str(site / "practice" / "index.html")).getroot()
    shown = page.xpath('//details[contains(@class, "practice-card")]')
    assert [d.get("id") for d in shown] == [c.id for c in cards.cards]
    for details, card in zip(shown, cards.cards):
        assert details.get("data-section") == card.section
        assert details.get("data-terms").split() == card.terms
        where = details.xpath('.//p[@class="practice-where"]/a')[0].get("href")
        assert where == f"../{card.rel.removesuffix('.md')}/#{card.id}"
    for rel in {c.rel for c in cards.cards}:
        built = lxml.html.parse(str(site / rel.removesuffix(".md") / "index.html")).getroot()
        ids = [d.get("id") for d in built.xpath('//details[contains(@class, "selfcheck")]')]
        assert ids == [c.id for c in cards.cards if c.rel == rel], f"{rel}: every self-check has its id as its anchor"
        assert not built.xpath('//*[@class="selfcheck-anchor"]')
        every = [e.get("id") for e in built.iter() if isinstance(e.tag, str) and e.get("id")]
        assert len(every) == len(set(every)), f"{rel}: an id is used twice: {sorted({i for i in every if every.count(i) > 1})}"
    assert page.xpath('//script[contains(@src, "practice.js")]')
    downloads = [a.get("href") for a in page.xpath('//a[@class="practice-download"]')]
    assert [h.rsplit(".", 1)[1] for h in downloads] == ["apkg", "csv", "tsv"]
    for href in downloads:
        assert (site / "practice" / href).resolve().is_file(), f"the Practice page offers {href}, which the build did not write"
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("practice/")], "the cards are searched on their own pages"


def test_built_forward_references_say_where(site):
    html = (site / "notes" / "01-introduction" / "index.html").read_text(encoding="utf-8")
    page = lxml.html.fromstring(html)
    refs = page.xpath('//span[@class="forward-ref"]')
    assert refs, "§1 marks its forward uses"
    texts = [" ".join(r.text_content().split()) for r in refs]
    assert "(see §4)" in texts
    link = refs[texts.index("(see §4)")].xpath("./a")[0].get("href")
    assert link == "../04-deceptive-alignment/"


# --------------------------------------------------------------------------- the deck


def open_deck(apkg: Path) -> list[tuple[str, str, str]]:
    with zipfile.ZipFile(apkg) as archive:
        assert "collection.anki2" in archive.namelist()
        data = archive.read("collection.anki2")
    db = apkg.parent / "collection.anki2"
    db.write_bytes(data)
    with sqlite3.connect(db) as connection:
        notes = connection.execute("select guid, tags, flds from notes order by id").fetchall()
        cards = connection.execute("select count(*) from cards").fetchone()[0]
    assert cards == len(notes)
    return notes


def make_deck(out: Path, docs: Path = DOCS):
    return run([sys.executable, "-m", "scripts", "deck", "--out", str(out), "--docs", str(docs), "--site-url", "https://example.org/notes/"])


def test_deck_has_every_card_stable_guids_and_tags(tmp_path, real):
    _, cards = real
    first, second = make_deck(tmp_path / "a"), make_deck(tmp_path / "b")
    assert first.returncode == 0 and second.returncode == 0, first.stderr
    name = "risks-from-learned-optimization-self-checks"
    notes_a = open_deck(tmp_path / "a" / f"{name}.apkg")
    notes_b = open_deck(tmp_path / "b" / f"{name}.apkg")
    assert len(notes_a) == len(cards.cards)
    assert sorted(g for g, _, _ in notes_a) == sorted(g for g, _, _ in notes_b), "GUIDs are stable across builds"
    by_id = {c.id: c for c in cards.cards}
    for guid, tags, fields in notes_a:
        question, answer, section, link, card_id = fields.split("\x1f")
        card = by_id[card_id]
        assert tags.split() == [f"section::{card.section}", *(f"term::{t}" for t in card.terms)]
        assert link == f"https://example.org/notes/{card.rel.removesuffix('.md')}/#{card.id}"
        assert answer.strip() and "[@" not in answer and "](" not in answer
    with open(tmp_path / "a" / f"{name}.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == [c.id for c in cards.cards]
    with open(tmp_path / "a" / f"{name}.tsv", newline="", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle, dialect="excel-tab"))) == len(cards.cards)


def test_a_guid_follows_the_id_not_the_wording(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    make_deck(tmp_path / "before", docs)
    page = docs / "notes" / "01-introduction.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("Is a bottle cap an optimizer? Is an image classifier?", "Is a bottle cap, or an image classifier, an optimizer?"), encoding="utf-8")
    make_deck(tmp_path / "after", docs)
    name = "risks-from-learned-optimization-self-checks.apkg"
    before = {f.split("\x1f")[4]: g for g, _, f in open_deck(tmp_path / "before" / name)}
    after = {f.split("\x1f")[4]: g for g, _, f in open_deck(tmp_path / "after" / name)}
    assert before == after


def test_deck_refuses_a_broken_glossary(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DATA / "minisite" / "docs", docs)
    (docs / "glossary.yml").write_text("- id: mesa-optimizer\n  term: [unclosed\n", encoding="utf-8")
    before = tree_digest(docs)
    result = make_deck(tmp_path / "out", docs)
    assert result.returncode == 1
    assert "docs/glossary.yml:3:1: glossary-yaml: invalid YAML" in result.stderr
    assert "deck: error: no deck written" in result.stderr
    assert not (tmp_path / "out").exists()
    assert tree_digest(docs) == before


def test_deck_refuses_self_checks_without_ids(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DATA / "minisite" / "docs", docs)
    result = make_deck(tmp_path / "out", docs)
    assert result.returncode == 1
    assert "notes/01-introduction.md:45:1: selfcheck-id: self-check 'Question one?' needs an id" in result.stderr


# --------------------------------------------------------------------------- the PDF appendix


def test_pdf_appendix_has_every_question_and_answer_by_section(site, real):
    from scripts import pdf

    _, cards = real
    html, chapters = pdf.book_html(site)
    assert chapters[-1].src == "practice.md" and chapters[-1].part == "Appendix"
    sections = lxml.html.fromstring(html).xpath('//section[contains(@class, "chapter")]')
    assert sections[-1].get("id") == "practice"
    article = sections[-1]
    assert not article.xpath('.//*[contains(@class, "web-only") or @id="practice-app" or self::script or self::link]')
    questions = article.xpath('.//*[contains(@class, "selfcheck")]/p[@class="details-title"]')
    assert [" ".join(q.text_content().split()) for q in questions] == [c.question for c in cards.cards]
    for block in article.xpath('.//*[contains(@class, "selfcheck")]'):
        body = block.xpath('./div[@class="details-body"]')[0]
        assert body.xpath('./p[@class="answer-label"]') and len(body.text_content()) > 30
    titles = [" ".join(h.text_content().split()) for h in article.xpath(".//h2")]
    assert titles[:7] == ["§1 Introduction", "§2 Conditions for mesa-optimization", "§3 The inner alignment problem", "§4 Deceptive alignment", "§5 Related work", "§6 Conclusion", "Since the paper"]
