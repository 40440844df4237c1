"""Search as a reader uses it: the page that defines a term comes first, contributor pages
stay out of the way, and a query that names a glossary term shows its definition card
pinned above the results (scripts/search.py, overrides/hooks/search.py,
docs/assets/javascripts/search-terms*.js).

Unit tests for the plain functions, assertions on the built site's files, and a real
Chromium in which a person types each query.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser_helpers import DESKTOP, PHONE, assert_clean, inject_axe, visit
from conftest import DATA, ROOT, make_project, run

from scripts import glossary, search

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in requirements.txt: run `make setup`")
expect = playwright_api.expect

GLOSSARY_YML = ROOT / "docs" / "glossary.yml"
SCHEMES = {"light": "default", "dark": "slate"}
VIEWPORTS = {"1280": DESKTOP, "390": PHONE}
TIMEOUT_MS = 10_000

# What a reader who types each query must get, as the issue states it: the glossary entry
# whose card is pinned, what the card says about its group, where its "In the notes" link
# leads (the section the paper introduces it in), and the pages that define or develop the
# term, one of which must be the first result.
QUERIES = {
    "deceptive alignment": {
        "id": "deceptive-alignment",
        "group": "Paper glossary, §4",
        "notes": "/notes/04-deceptive-alignment/",
        "defining": ["notes/04-deceptive-alignment/"],
    },
    "pseudo-alignment": {
        "id": "pseudo-alignment",
        "group": "Paper glossary, §1",
        "notes": "/notes/01-introduction/#sec-1-3",
        "defining": ["notes/03-the-inner-alignment-problem/", "notes/01-introduction/"],
    },
    "mesa-optimizer": {
        "id": "mesa-optimizer",
        "group": "Paper glossary, §1",
        "notes": "/notes/01-introduction/#sec-1-1",
        "defining": ["notes/01-introduction/"],
    },
    "inner misalignment": {
        "id": "inner-alignment",
        "group": "Paper glossary, §1",
        "notes": "/notes/01-introduction/#sec-1-2",
        "defining": ["notes/03-the-inner-alignment-problem/", "notes/01-introduction/"],
    },
}
# Reader queries whose words the contributor pages are full of.
EVERYDAY_QUERIES = ["glossary term", "citation", "analogy", "self-check"]


def entries() -> dict[str, glossary.Entry]:
    return glossary.load(GLOSSARY_YML).by_id


# --------------------------------------------------------------------------- plain functions


@pytest.mark.parametrize(
    "text, key",
    [
        ("Mesa-Optimizer", "mesa optimizer"),
        ("mesa  optimizer", "mesa optimizer"),
        ("mesa–optimizer", "mesa optimizer"),  # en dash
        ("Goodhart’s law", "goodharts law"),
        ("Goodhart's law", "goodharts law"),
        ("  What is deceptive alignment?  ", "what is deceptive alignment"),
        ("hard-coded", "hard coded"),
    ],
)
def test_search_key_normalises_case_hyphens_dashes_and_apostrophes(text, key):
    assert search.search_key(text) == key


@pytest.mark.parametrize(
    "key, forms",
    [
        ("mesa optimizer", ["mesa optimizer", "mesa optimizers"]),
        ("mesa optimizers", ["mesa optimizers", "mesa optimizer"]),
        ("proxy", ["proxy", "proxies"]),
        ("proxies", ["proxies", "proxy"]),
        ("inductive bias", ["inductive bias", "inductive biases"]),
        ("local optimization processes", ["local optimization processes", "local optimization process"]),
        ("statefulness", ["statefulness", "statefulnesses"]),
    ],
)
def test_number_forms_turn_the_last_word(key, forms):
    assert search.number_forms(key) == forms


@pytest.mark.parametrize(
    "query, ids",
    [
        ("inner misalignment", ["inner-alignment"]),
        ("deceptively aligned", ["deceptive-alignment"]),
        ("mesa optimizers", ["mesa-optimizer"]),
        ("Mesa-Optimizer", ["mesa-optimizer"]),
        ("what makes a model pseudo aligned?", ["pseudo-alignment"]),
        ("Pseudo-Alignments", ["pseudo-alignment"]),
        ("optimizers and mesa-optimizers", ["optimizer", "mesa-optimizer"]),  # the longer phrase wins
        ("deceptive align", []),  # half a word names nothing
        ("mesa", []),
    ],
)
def test_named_terms(query, ids):
    keys = search.term_keys(glossary.load(GLOSSARY_YML).entries)
    assert search.named_terms(query, keys) == ids


def test_every_term_and_alias_names_its_own_entry():
    gloss = glossary.load(GLOSSARY_YML)
    keys = search.term_keys(gloss.entries)
    wrong = [
        (phrase, entry.id, keys.get(search.search_key(phrase)))
        for entry in gloss.entries
        for phrase in [entry.term, *entry.aliases]
        if keys.get(search.search_key(phrase)) != entry.id
    ]
    assert not wrong, f"(phrase, its entry, what the search card shows instead): {wrong}"
    lengths = [len(key) for key in keys]
    assert lengths == sorted(lengths, reverse=True), "keys must come longest first"


def test_search_setting_per_kind_of_page():
    assert search.search_setting("contributing/index.md") == {"exclude": True}
    assert search.search_setting("contributing/style.md") == {"exclude": True}
    assert search.search_setting("notes/04-deceptive-alignment.md") == {"boost": 3}
    assert search.search_setting("glossary.md") == {"boost": 2}
    assert search.search_setting("since-the-paper.md") is None
    assert search.search_setting("index.md") is None


HEADINGS_4 = [
    ("§4 Deceptive alignment", "4-deceptive-alignment"),
    ("§4 opening: the toy example", "sec-4"),
    ("4.1 Safety concerns arising from deceptive alignment", "sec-4-1"),
    ("4.2  Conditions for deceptive alignment", "sec-4-2"),
    ("3.1 A heading numbered for another section", "elsewhere"),
    ("Before 4.3: not numbered like the paper", "before"),
    ("Key takeaways", "key-takeaways"),
]


def test_notes_targets_lead_to_the_page_and_its_numbered_headings():
    targets = search.notes_targets("notes/04-deceptive-alignment/", "§4 Deceptive alignment", "4", HEADINGS_4)
    assert targets == {
        "4": search.Target("notes/04-deceptive-alignment/", "§4 Deceptive alignment"),
        "4.1": search.Target("notes/04-deceptive-alignment/#sec-4-1", "§4.1 Safety concerns arising from deceptive alignment"),
        "4.2": search.Target("notes/04-deceptive-alignment/#sec-4-2", "§4.2 Conditions for deceptive alignment"),
    }


@pytest.mark.parametrize(
    "cite, section",
    [
        ("[@hubinger2019risks, sec. 4.1]", "4.1"),
        ("[@hubinger2019risks, sec. 4]", "4"),
        ("[@hubinger2019risks, secs. 3.1–3.3]", "3.1"),
        ("[@hubinger2019risks, sec. 2.1; @drexler2019cais]", "2.1"),
        ("[@drexler2019cais; @hubinger2019risks, sec. 2.1]", "2.1"),
        ("[@langosco2022goal; @shah2022goal]", None),  # later work: not in the paper
    ],
)
def test_paper_section_from_the_cite_locator(cite, section):
    assert search.paper_section(cite) == section


@pytest.mark.parametrize("cite", ["[@hubinger2019risks, fig. 2]", "[@hubinger2019risks]", "[@hubinger2019risks, p. 12]"])
def test_paper_section_rejects_a_locator_without_a_section(cite):
    with pytest.raises(search.LocatorError):
        search.paper_section(cite)


GOOD_ENTRY = """\
- id: mesa-optimizer
  term: mesa-optimizer
  aliases: [mesa-optimizers]
  group: "1"
  cite: "{cite}"
  definition: A learned algorithm that is itself an optimizer.
"""


@pytest.mark.parametrize(
    "cite, message",
    [
        ("[@hubinger2019risks, sec. 4.9]", "entry 'mesa-optimizer' cites sec. 4.9 of the paper, but no notes page has a heading numbered 4.9"),
        ("[@hubinger2019risks, fig. 2]", "entry 'mesa-optimizer' cites the paper with 'fig. 2'; the search card needs the section"),
    ],
)
def test_a_bad_locator_is_a_finding_with_path_and_line(tmp_path, cite, message):
    path = tmp_path / "glossary.yml"
    path.write_text(GOOD_ENTRY.format(cite=cite), encoding="utf-8")
    gloss = glossary.load(path)
    targets = search.notes_targets("notes/04/", "§4 Deceptive alignment", "4", HEADINGS_4)
    data, findings = search.terms_index(gloss, targets, "glossary/")
    assert [(f.line, f.col, f.rule) for f in findings] == [(5, 3, "glossary-cite")]
    assert findings[0].path.endswith("glossary.yml")
    assert message in findings[0].message
    assert "notes" not in data["terms"]["mesa-optimizer"], "a bad locator must not turn into a link"


def test_terms_index_links_the_entry_and_the_section(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text(GOOD_ENTRY.format(cite="[@hubinger2019risks, sec. 4.1]"), encoding="utf-8")
    targets = search.notes_targets("notes/04/", "§4 Deceptive alignment", "4", HEADINGS_4)
    data, findings = search.terms_index(glossary.load(path), targets, "glossary/")
    assert not findings
    assert data == {
        "keys": [["mesa optimizers", "mesa-optimizer"], ["mesa optimizer", "mesa-optimizer"]],
        "terms": {
            "mesa-optimizer": {
                "term": "mesa-optimizer",
                "group": "Paper glossary, §1",
                "definition": "A learned algorithm that is itself an optimizer.",
                "entry": "glossary/#mesa-optimizer",
                "notes": "notes/04/#sec-4-1",
                "section": "§4.1 Safety concerns arising from deceptive alignment",
            }
        },
    }


def test_a_bad_locator_fails_the_build_with_path_and_line(tmp_path):
    """The real build: a glossary entry citing a section no notes heading carries fails it,
    naming the glossary file and line."""
    project = make_project(tmp_path, DATA / "minisite" / "docs")
    gloss_file = project / "docs" / "glossary.yml"
    lines = gloss_file.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("cite:") and i > lines.index("- id: mesa-optimizer"))
    lines[at] = lines[at].replace("sec. 1.1", "sec. 1.9")
    gloss_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run([sys.executable, "-m", "scripts", "build", "--config-file", str(project / "mkdocs.yml"), "--site", str(tmp_path / "site")])
    assert result.returncode != 0
    assert f"glossary.yml:{at + 1}:3: glossary-cite: entry 'mesa-optimizer' cites sec. 1.9 of the paper" in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- the built site


def test_the_card_json_is_in_the_site_and_matches_the_glossary(site: Path):
    data = json.loads((site / search.TERMS_FILE).read_text(encoding="utf-8"))
    by_id = entries()
    assert set(data["terms"]) == set(by_id)
    for entry_id, card in data["terms"].items():
        entry = by_id[entry_id]
        assert card["term"] == entry.term and card["definition"] == entry.plain_definition, entry_id
        assert card["entry"] == f"glossary/#{entry_id}"
        for url in (card["entry"], card.get("notes", "")):
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc and not url.startswith("/"), f"{entry_id}: {url} is not relative to the site root"
        if "notes" in card:  # the section exists: the page is built and carries the anchor
            page, _, anchor = card["notes"].partition("#")
            html = (site / page / "index.html").read_text(encoding="utf-8")
            assert not anchor or f'id="{anchor}"' in html, f"{entry_id}: {card['notes']} has no such heading"
    cards = data["terms"]
    assert cards["deceptive-alignment"]["notes"] == "notes/04-deceptive-alignment/"
    assert cards["deceptive-alignment"]["group"] == "Paper glossary, §4"
    assert cards["pseudo-alignment"]["notes"] == "notes/01-introduction/#sec-1-3"
    assert cards["pseudo-alignment"]["section"] == "§1.3 Robust alignment vs. pseudo-alignment"
    assert cards["adversarial-training"]["group"].startswith("Supporting term")
    assert cards["goal-misgeneralization"]["group"].startswith("Term from later work")
    assert "notes" not in cards["goal-misgeneralization"]  # it does not cite the paper
    assert dict(map(tuple, data["keys"]))["inner misalignment"] == "inner-alignment"


def test_search_index_leaves_out_contributor_pages_and_boosts_the_notes(site: Path):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    boosts: dict[str, set] = {}
    for doc in index["docs"]:
        boosts.setdefault(doc["location"].split("#")[0], set()).add(doc.get("boost"))
    assert not [page for page in boosts if page.startswith("contributing/")], "contributor pages are in readers' search"
    notes = [page for page in boosts if page.startswith("notes/")]
    assert len(notes) == 6
    for page in notes:
        assert boosts[page] == {3}, page
    assert boosts["glossary/"] == {2}
    assert boosts["since-the-paper/"] == boosts["summary/"] == {None}


def test_only_the_loader_is_on_every_page(site: Path):
    """The card's script, stylesheet and JSON are not part of any page: the loader fetches
    them once the page has loaded (the page budget stays the page's own)."""
    for page in site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        assert re.search(r'<script src="(\.\./)*assets/javascripts/search-terms\.js"', html), page
        assert "search-terms-card" not in html and "search-terms.css" not in html and "glossary.json" not in html, page
    for name in ("assets/javascripts/search-terms-card.js", "assets/stylesheets/search-terms.css"):
        assert (site / name).is_file(), name


# --------------------------------------------------------------------------- in a browser


RESULT_PAGES = "() => [...document.querySelectorAll('.md-search-result__item')].map(li => new URL(li.querySelector('a.md-search-result__link').href).pathname.replace(/^\\//, ''))"
# Material answers every keystroke; the answer to the whole query is the one whose result
# links are highlighted (?h=) for all of its words.
ANSWERED = "(words) => [...document.querySelectorAll('a.md-search-result__link')].some(a => new URL(a.href).searchParams.get('h') === words)"
CARD = ".search-terms .search-term"


def open_search(page, phone: bool) -> None:
    if phone:
        page.locator("label.md-header__button[for='__search']").tap()
    else:
        page.keyboard.press("/")  # Material's shortcut for the search box
    expect(page.locator("input.md-search__input")).to_be_focused()


def type_query(page, query: str, delay: int = 60) -> list[str]:
    """Type as a person does, wait for Material's answer to the whole query, return the pages listed."""
    page.keyboard.type(query, delay=delay)
    words = " ".join(w for w in re.split(r"[\s\-]+", query.lower()) if w)  # Material's separator
    try:
        page.wait_for_function(ANSWERED, arg=words)
    except playwright_api.TimeoutError:
        pytest.fail(f"search never answered {query!r}; results: {page.evaluate(RESULT_PAGES)}", pytrace=False)
    return page.evaluate(RESULT_PAGES)


def clear_query(page) -> None:
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    expect(page.locator(CARD)).to_have_count(0)  # nothing named, nothing pinned


def card_links(page) -> list[tuple[str, str]]:
    links = page.evaluate(
        """(sel) => [...document.querySelectorAll(sel + ' a')].map(a => { const u = new URL(a.href); return [a.textContent, u.pathname + u.hash]; })""",
        CARD,
    )
    return [tuple(link) for link in links]


def axe_on_cards(page) -> list[str]:
    inject_axe(page)  # not add_script_tag: the page's Content-Security-Policy refuses injected scripts
    found = page.evaluate(
        """async () => (await axe.run('.search-terms', {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
    )
    return found


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_typing_a_term_pins_its_card_and_ranks_the_defining_page_first(open_context, base_url: str, artifacts: Path, scheme: str, width: str):
    """For each query: the card of the term it names, pinned above the results and inside
    the window; the first result a page that defines or develops the term; no contributor
    page in the top five. One screenshot per query, scheme and width."""
    phone = width == "390"
    viewport = VIEWPORTS[width]
    context, recorder = open_context(viewport=viewport, color_scheme=scheme, is_mobile=phone, has_touch=phone)
    page = visit(context, base_url)
    by_id = entries()
    open_search(page, phone)
    failures = []
    for query, want in QUERIES.items():
        pages = type_query(page, query)
        entry = by_id[want["id"]]
        card = page.locator(CARD)
        try:
            expect(card).to_have_count(1)
            expect(card.locator(".search-term__name")).to_have_text(entry.term)
        except AssertionError:
            failures.append(f"{query!r}: no definition card for '{entry.term}' above the results")
        else:
            expect(card).to_be_visible()
            if card.locator(".search-term__group").inner_text() != want["group"]:
                failures.append(f"{query!r}: the card says {card.locator('.search-term__group').inner_text()!r}, not {want['group']!r}")
            if card.locator(".search-term__def").inner_text() != entry.plain_definition:
                failures.append(f"{query!r}: the card's definition is not the glossary's")
            links = card_links(page)
            wanted_links = [("Glossary entry", f"/glossary/#{entry.id}"), (None, want["notes"])]
            if len(links) != 2 or links[0] != wanted_links[0] or links[1][1] != want["notes"] or not links[1][0].startswith("In the notes: §"):
                failures.append(f"{query!r}: card links {links}, wanted {wanted_links}")
            box, results = card.bounding_box(), page.locator(".md-search-result__list").bounding_box()
            if box["x"] < 0 or box["x"] + box["width"] > viewport["width"]:
                failures.append(f"{query!r}: the card runs outside the {width} px window: {box}")
            if results and box["y"] + box["height"] > results["y"] + 1:
                failures.append(f"{query!r}: the card is not above the results")
        if not pages or pages[0] not in want["defining"]:
            failures.append(f"{query!r}: first result {pages[:1]}, wanted one of {want['defining']} (all: {pages[:5]})")
        contributors = [p for p in pages[:5] if p.startswith("contributing/")]
        if contributors:
            failures.append(f"{query!r}: contributor pages in the top five: {contributors}")
        slug = re.sub(r"[^a-z]+", "-", query)
        page.screenshot(path=str(artifacts / f"search-{slug}-{scheme}-{width}.png"))
        if query == "deceptive alignment" and page.locator(CARD).count():
            failures += [f"axe on the card ({scheme}): {v}" for v in axe_on_cards(page)]
        clear_query(page)
    assert not failures, "\n".join(failures)
    assert_clean(recorder)


@pytest.mark.parametrize("query", EVERYDAY_QUERIES)
def test_no_contributor_page_in_a_readers_top_five(open_context, base_url: str, query: str):
    context, recorder = open_context()
    page = visit(context, base_url)
    open_search(page, phone=False)
    pages = type_query(page, query)
    assert pages, f"{query!r} finds nothing"
    assert not [p for p in pages[:5] if p.startswith("contributing/")], f"{query!r}: {pages[:5]}"
    assert_clean(recorder)


def test_the_card_follows_the_query_as_it_is_typed(open_context, base_url: str):
    """A slow typist on a notes page: no card for half a term; the card appears with the
    last letter, goes when the query stops naming a term, changes with the term, and goes
    when the query is cleared."""
    context, recorder = open_context()
    page = visit(context, base_url + "notes/04-deceptive-alignment/")
    page.evaluate(
        """() => { window.__cards = [];
            new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(n => {
                if (n.classList && n.classList.contains('search-term')) window.__cards.push(n.querySelector('.search-term__name').textContent);
            }))).observe(document.body, {childList: true, subtree: true}); }"""
    )
    open_search(page, phone=False)
    # Slower than the card's debounce, so every prefix is shown in turn.
    type_query(page, "deceptive alignment", delay=200)
    expect(page.locator(CARD + " .search-term__name")).to_have_text("deceptive alignment")
    for _ in range(4):
        page.keyboard.press("Backspace", delay=200)
    expect(page.locator(CARD)).to_have_count(0)
    page.keyboard.press("Control+A")
    type_query(page, "Mesa Optimizers", delay=200)
    expect(page.locator(CARD + " .search-term__name")).to_have_text("mesa-optimizer")
    page.locator(".md-search__form button[type='reset']").click()
    expect(page.locator(CARD)).to_have_count(0)
    assert page.evaluate("() => window.__cards") == ["deceptive alignment", "mesa-optimizer"]
    assert_clean(recorder)


def test_the_card_works_offline_once_the_page_has_loaded(open_context, base_url: str):
    """Like the rest of search: the reader loads a page, loses the network, then searches."""
    context, recorder = open_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = visit(context, base_url + "glossary/")
    assert any(u.endswith("/" + search.TERMS_FILE) for u in recorder.requests), "the card's JSON did not load with the page"
    context.set_offline(True)
    open_search(page, phone=True)
    type_query(page, "pseudo-alignment")
    expect(page.locator(CARD + " .search-term__name")).to_have_text("pseudo-alignment")
    # The card's stylesheet arrives at the lowest priority (as print) and then styles the screen.
    assert page.evaluate("() => [...document.styleSheets].filter(s => (s.href || '').endsWith('/search-terms.css')).map(s => s.media.mediaText)") == ["all"]
    expect(page.locator(CARD)).to_have_css("border-left-width", "4px")
    assert_clean(recorder)


def test_the_card_by_keyboard(open_context, base_url: str):
    """The arrow keys reach the card's links before the results, Enter follows one; Enter
    in the search box still opens Material's best result."""
    context, recorder = open_context()
    page = visit(context, base_url)
    open_search(page, phone=False)
    pages = type_query(page, "deceptive alignment")
    expect(page.locator(CARD)).to_have_count(1)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(base_url + pages[0])))
    assert_clean(recorder, "Enter in the search box with the card shown")

    page = visit(context, base_url)
    open_search(page, phone=False)
    type_query(page, "mesa-optimizer")
    expect(page.locator(CARD)).to_have_count(1)
    page.keyboard.press("ArrowDown")
    expect(page.locator(CARD + " a").nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    notes_link = page.locator(CARD + " a").nth(1)
    expect(notes_link).to_be_focused()
    expect(notes_link).to_have_text(re.compile(r"^In the notes: §1\.1 "))
    with page.expect_navigation(url=re.compile(re.escape("notes/01-introduction/#sec-1-1") + "$")):  # navigation.tracking may rewrite the hash later
        page.keyboard.press("Enter")
    expect(page.locator("#sec-1-1")).to_be_in_viewport()
    assert_clean(recorder)


PARITY_QUERIES = [
    "Goodhart’s law",
    "deceptive align",  # names nothing: follows a query that names something
    "inductive biases",
    "mesa",
    "optimizers and mesa-optimizers",
    "proxies",
    "CAIS",
    "base optimizer, mesa-optimizer, base objective and mesa-objective",
]


def test_the_browser_names_the_same_terms_as_named_terms(open_context, base_url: str):
    """search-terms-card.js matches a query as scripts/search.py's named_terms does (at
    most three cards)."""
    gloss = glossary.load(GLOSSARY_YML)
    keys, by_id = search.term_keys(gloss.entries), gloss.by_id
    context, recorder = open_context()
    page = visit(context, base_url)
    open_search(page, phone=False)
    names = f"() => [...document.querySelectorAll('{CARD} .search-term__name')].map(n => n.textContent)"
    for query in PARITY_QUERIES:
        want = [by_id[i].term for i in search.named_terms(query, keys)][:3]
        page.locator("input.md-search__input").fill(query)
        try:
            page.wait_for_function(f"(want) => JSON.stringify(({names})()) === JSON.stringify(want)", arg=want)
        except playwright_api.TimeoutError:
            pytest.fail(f"{query!r}: the browser shows {page.evaluate(names)}, named_terms gives {want}", pytrace=False)
    assert_clean(recorder)


def test_a_query_in_the_address_shows_the_card(open_context, base_url: str):
    """Material opens search with ?q=…; the card comes with it."""
    context, recorder = open_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = visit(context, base_url + "glossary/?q=inner+misalignment")
    expect(page.locator(CARD + " .search-term__name")).to_have_text("inner alignment")
    assert_clean(recorder)
