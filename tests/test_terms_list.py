"""The "Terms on this page" list costs the page no elements until it is needed (issue 18).

The build puts the list's <dl> in a <noscript> inside its closed <details>
(scripts/glossary_html.py, fill_terms). With JavaScript on, Chromium keeps that as text;
docs/assets/javascripts/cards.js makes it the list the first time it is needed: the reader
opens it, prints, follows an address into it, or a glossary card needs a definition. With
JavaScript off, the reader gets the list as it is built. These tests check what a reader
relies on: every term and its definition when the list is opened, the right card before it
was ever opened, the list without JavaScript, an address into it, and that the folded list
adds no element to the live page. A list that holds anything but the few tags and
attributes the build writes is refused. Screenshots go to test-artifacts/terms/.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
import yaml

from browser_helpers import DESKTOP, PHONE, ROOT, nav_files, page_url
from browser_helpers import assert_clean, visit
from scripts import glossary as glossary_mod
from test_browser import expect

NOTES = [f for f in nav_files() if f.startswith("notes/")]
NOTES_4_MD = "notes/04-deceptive-alignment.md"
NOTES_4 = page_url(NOTES_4_MD)
TERMS = "article details.gloss-terms"
CARD = "#rlo-card"
DEVICES = {"desktop": DESKTOP, "phone": PHONE}

# What a page's list holds in the live DOM: [tag names of the elements inside the details].
LIST_ELEMENTS = "() => [...document.getElementsByTagName('*')].filter(e => e.closest('details.gloss-terms')).map(e => e.tagName)"
# The opened list as the reader gets it: [[term, definition, href], ...] from the live DOM.
LIST_PAIRS = """() => [...document.querySelectorAll('details.gloss-terms dl.gloss-terms__list > dt')].map(dt =>
    [dt.textContent, dt.nextElementSibling && dt.nextElementSibling.tagName === 'DD' ? dt.nextElementSibling.textContent : null,
     dt.querySelector('a') && dt.querySelector('a').getAttribute('href')])"""


@pytest.fixture(scope="module")
def shots(artifacts: Path) -> Path:
    folder = artifacts / "terms"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def glossary() -> dict:
    return glossary_mod.load(ROOT / "docs" / "glossary.yml").by_id


def expected_pairs(md_file: str) -> list[tuple[str, str, str]]:
    """(term, definition, glossary id) for each term the page's front matter lists, from the glossary data."""
    text = (ROOT / "docs" / md_file).read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---", 2)[1])
    by_id = glossary()
    return [(by_id[t].term, by_id[t].plain_definition, t) for t in meta["terms"] if t in by_id]


def check_pairs(got: list, md_file: str) -> None:
    want = expected_pairs(md_file)
    assert len(got) == len(want) > 0, f"{md_file}: {len(got)} terms in the opened list, {len(want)} in front matter"
    for (term, definition, href), (w_term, w_def, w_id) in zip(got, want):
        assert (term, definition, href.rpartition("#")[2]) == (w_term, w_def, w_id), f"{md_file}: {term!r} shows {definition!r}"


# --------------------------------------------------------------------------- built HTML


@pytest.mark.parametrize("md_file", NOTES)
def test_every_terms_list_is_held_in_a_noscript(site: Path, md_file: str):
    """The <dl> is the only thing in a <noscript> right after the summary, and nowhere else."""
    root = lxml.html.parse(str(site / page_url(md_file) / "index.html")).getroot()
    blocks = root.xpath('//details[contains(concat(" ", normalize-space(@class), " "), " gloss-terms ")]')
    assert len(blocks) == 1, f"{md_file}: {len(blocks)} terms lists"
    children = [c.tag for c in blocks[0]]
    assert children == ["summary", "noscript"], f"{md_file}: the terms list holds {children}"
    held = [c for c in blocks[0][1]]
    assert [c.tag for c in held] == ["dl"] and "gloss-terms__list" in held[0].get("class", "").split(), f"{md_file}: the noscript holds {[c.tag for c in held]}"
    assert len(root.xpath('//dl[contains(@class, "gloss-terms__list")]')) == 1, f"{md_file}: a terms list outside the noscript"
    assert len(held[0].xpath("./dt")) == len(expected_pairs(md_file)), md_file


def test_the_folded_lists_cost_no_elements(open_context, base_url: str):
    """In Chromium, on every notes page, the closed list is three elements: details, summary, noscript;
    a little after load (nothing unfolds it at idle), and until the reader needs it."""
    context, recorder = open_context()
    page = context.new_page()
    for md_file in NOTES:
        response = page.goto(base_url + page_url(md_file), wait_until="networkidle")
        assert response is not None and response.status == 200, md_file
        page.wait_for_timeout(300)
        assert page.evaluate(LIST_ELEMENTS) == ["DETAILS", "SUMMARY", "NOSCRIPT"], f"{md_file}: the folded list is in the live DOM"
        assert page.locator("a.gloss-listed").count() == 0, md_file
    assert_clean(recorder)


# --------------------------------------------------------------------------- in the browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", list(DEVICES))
def test_opening_the_list_shows_every_term_and_definition(open_context, base_url: str, shots: Path, device: str, scheme: str):
    context, recorder = open_context(viewport=DEVICES[device], color_scheme=scheme)
    page = visit(context, base_url + NOTES_4)
    summary = page.locator(f"{TERMS} > summary")
    summary.scroll_into_view_if_needed()
    summary.click()
    page.wait_for_function("() => document.querySelector('article details.gloss-terms').open")
    expect(page.locator(f"{TERMS} dd").last).to_be_visible()
    check_pairs(page.evaluate(LIST_PAIRS), NOTES_4_MD)
    assert page.locator(f"{TERMS} dl").count() == 1 and page.locator(f"{TERMS} noscript").count() == 0
    box = page.locator(f"{TERMS} dd").first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 15, f"the first definition is drawn at {box}"
    page.wait_for_timeout(200)
    page.locator(TERMS).screenshot(path=str(shots / f"terms-opened-{device}-{scheme}.png"), animations="disabled")
    summary.click()  # closed and opened again: the same list, once
    summary.click()
    check_pairs(page.evaluate(LIST_PAIRS), NOTES_4_MD)
    assert_clean(recorder)


def test_the_keyboard_opens_the_list(open_context, base_url: str):
    context, recorder = open_context()
    page = visit(context, base_url + NOTES_4)
    page.locator(f"{TERMS} > summary").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('article details.gloss-terms').open")
    expect(page.locator(f"{TERMS} dd").first).to_be_visible()
    check_pairs(page.evaluate(LIST_PAIRS), NOTES_4_MD)
    assert_clean(recorder)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", list(DEVICES))
def test_a_card_shows_the_definition_before_the_list_was_opened(open_context, base_url: str, shots: Path, device: str, scheme: str):
    context, recorder = open_context(viewport=DEVICES[device], color_scheme=scheme, has_touch=device == "phone")
    page = visit(context, base_url + NOTES_4)
    assert page.evaluate(LIST_ELEMENTS) == ["DETAILS", "SUMMARY", "NOSCRIPT"]
    index = page.evaluate("() => [...document.querySelectorAll('article a.gloss')].findIndex(a => a.getClientRects().length && a.getBoundingClientRect().top > 150)")
    assert index >= 0, "no glossary link in the running text"
    link = page.locator("article a.gloss").nth(index)
    link.scroll_into_view_if_needed()
    if device == "phone":
        link.tap()
    else:
        link.hover()
    card = page.locator(CARD)
    expect(card).to_be_visible()
    entry = glossary()[link.get_attribute("href").rpartition("#")[2]]
    assert card.locator(".card__title").text_content() == entry.term
    assert card.locator(".card__body p").text_content() == entry.plain_definition
    page.wait_for_timeout(150)
    page.screenshot(path=str(shots / f"card-{device}-{scheme}.png"), animations="disabled")
    # the card unfolded the list, still closed; opened, it is there once
    assert page.evaluate("() => document.querySelector('article details.gloss-terms').open") is False
    page.keyboard.press("Escape")
    summary = page.locator(f"{TERMS} > summary")
    summary.scroll_into_view_if_needed()
    summary.click()
    page.wait_for_function("() => document.querySelector('article details.gloss-terms').open")
    expect(page.locator(f"{TERMS} dd").first).to_be_visible()
    assert page.locator(f"{TERMS} dl").count() == 1
    check_pairs(page.evaluate(LIST_PAIRS), NOTES_4_MD)
    assert_clean(recorder)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", list(DEVICES))
def test_without_javascript_the_list_opens(open_context, base_url: str, shots: Path, device: str, scheme: str):
    context, recorder = open_context(viewport=DEVICES[device], color_scheme=scheme, java_script_enabled=False)
    page = visit(context, base_url + NOTES_4)
    summary = page.locator(f"{TERMS} > summary")
    expect(page.locator(f"{TERMS} dd").first).to_be_hidden()
    summary.scroll_into_view_if_needed()
    summary.click()
    expect(page.locator(f"{TERMS} dd").last).to_be_visible()
    check_pairs(page.evaluate(LIST_PAIRS), NOTES_4_MD)
    box = page.locator(f"{TERMS} dd").first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 15, f"the first definition is drawn at {box}"
    page.locator(TERMS).screenshot(path=str(shots / f"terms-no-script-{device}-{scheme}.png"), animations="disabled")
    assert_clean(recorder)


def test_printing_from_the_browser_unfolds_the_list(open_context, base_url: str):
    context, recorder = open_context()
    page = visit(context, base_url + NOTES_4)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    check_pairs(page.evaluate(LIST_PAIRS), NOTES_4_MD)
    assert_clean(recorder)


def test_the_built_lists_have_no_ids(site: Path):
    """Nothing links into a list today (an address into one is handled: the next test)."""
    for md_file in NOTES:
        root = lxml.html.parse(str(site / page_url(md_file) / "index.html")).getroot()
        assert not root.xpath('//details[contains(@class, "gloss-terms")]//*[@id]'), md_file


# The built page, changed on its way to the browser (page.route), to give the folded list
# an id to link to, or markup the check in cards.js must refuse.
def served_with(page, base_url: str, change) -> None:
    def fulfil(route):
        response = route.fetch()
        route.fulfill(response=response, body=change(response.text()))

    page.route(base_url + NOTES_4, fulfil)


def in_list(html: str, old: str, new: str) -> str:
    start = html.index("<noscript><dl")
    end = html.index("</noscript>", start)
    part = html[start:end]
    assert old in part, old
    return html[:start] + part.replace(old, new, 1) + html[end:]


@pytest.mark.parametrize("how", ["load", "hashchange"])
def test_an_address_into_the_list_opens_it(open_context, base_url: str, how: str):
    context, recorder = open_context()
    page = context.new_page()
    served_with(page, base_url, lambda html: in_list(html, "<dt>", '<dt id="term-first">'))
    if how == "load":
        page.goto(base_url + NOTES_4 + "#term-first", wait_until="networkidle")
    else:
        page.goto(base_url + NOTES_4, wait_until="networkidle")
        page.evaluate("() => { location.hash = 'term-first'; }")
    page.wait_for_function("() => document.querySelector('article details.gloss-terms').open")
    expect(page.locator("#term-first")).to_be_in_viewport()
    check_pairs(page.evaluate(LIST_PAIRS), NOTES_4_MD)
    assert_clean(recorder)


REFUSED = {
    "element": ('<dd>', '<dd><b>bold</b> '),
    "attribute": ('<dd>', '<dd data-x="1">'),
    "handler": ('<dd>', '<dd onmouseover="x()">'),
    "script link": ('href="../../glossary/', 'href="javascript:void(0)//../../glossary/'),
    "two lists": ("<dl", '<dl class="extra"></dl><dl'),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_list_with_other_markup_is_refused(open_context, base_url: str, case: str):
    old, new = REFUSED[case]
    context, recorder = open_context()
    page = context.new_page()
    served_with(page, base_url, lambda html: in_list(html, old, new))
    page.goto(base_url + NOTES_4, wait_until="networkidle")
    assert page.evaluate("(s) => document.querySelector('details.gloss-terms > noscript').textContent.includes(s)", new), "the page was not changed"
    page.locator(f"{TERMS} > summary").scroll_into_view_if_needed()
    page.locator(f"{TERMS} > summary").click()
    page.wait_for_function("() => document.querySelector('article details.gloss-terms').open")
    assert page.evaluate(LIST_ELEMENTS) == ["DETAILS", "SUMMARY", "NOSCRIPT"], f"{case}: the list went in"
    assert_clean(recorder)


def test_the_unchanged_list_goes_in_through_the_same_route(open_context, base_url: str):
    """The control for the test above: the page passed through unchanged is unfolded."""
    context, recorder = open_context()
    page = context.new_page()
    served_with(page, base_url, lambda html: html)
    page.goto(base_url + NOTES_4, wait_until="networkidle")
    page.locator(f"{TERMS} > summary").scroll_into_view_if_needed()
    page.locator(f"{TERMS} > summary").click()
    expect(page.locator(f"{TERMS} dd").first).to_be_visible()
    check_pairs(page.evaluate(LIST_PAIRS), NOTES_4_MD)
    assert_clean(recorder)
