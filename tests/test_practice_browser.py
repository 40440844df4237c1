"""The Practice page in Chromium, the way a learner uses it: by keyboard, over two visits.

The scheme these tests hold the page to is the one the page documents (docs/practice.md):
"Got it" moves a card up one box (a new card to box 2, back in a day), "Not yet" sends it
to box 1 (due again in this session), and due cards from the lowest box come first.
"""

from __future__ import annotations

import json

import pytest

from browser_helpers import DESKTOP, PHONE, assert_clean, axe_violations, visit

KEY = "rlo-practice-v1"


def practice(context, base_url):
    page = visit(context, base_url + "practice/")
    page.wait_for_selector("#practice-app .practice-current")
    return page


def counts(page) -> dict[str, int]:
    node = page.locator(".practice-counts")
    return {name: int(node.get_attribute(f"data-{name}")) for name in ("review", "new", "later")}


def current_question(page) -> str:
    return page.locator(".practice-question").inner_text().strip()


def stored(page) -> dict:
    return json.loads(page.evaluate(f"() => localStorage.getItem('{KEY}')"))


def card_ids(site_page) -> list[str]:
    return site_page.eval_on_selector_all("details.practice-card", "els => els.map(e => e.dataset.card)")


def test_three_cards_by_keyboard_then_reload(open_context, base_url):
    context, recorder = open_context()
    page = practice(context, base_url)
    total = len(card_ids(page))
    assert counts(page) == {"review": 0, "new": total, "later": 0}
    asked = []
    for key in ("1", "2", "2"):  # Not yet, Got it, Got it
        asked.append(current_question(page))
        assert page.locator(".practice-answer").is_hidden()
        page.keyboard.press("Space")
        assert page.locator(".practice-answer").is_visible(), "Space shows the answer"
        page.keyboard.press(key)
    assert len(set(asked)) == 3, "the card just missed is not shown again straight away"
    assert counts(page) == {"review": 1, "new": total - 3, "later": 2}

    page.reload(wait_until="networkidle")
    page.wait_for_selector(".practice-current")
    # after a reload the missed card (box 1) comes before every new card
    assert counts(page) == {"review": 1, "new": total - 3, "later": 2}
    assert current_question(page) == asked[0]
    boxes = sorted(r["box"] for r in stored(page)["cards"].values())
    assert boxes == [1, 2, 2]
    # Enter shows an answer too; the first new card in reading order comes after the missed one
    page.keyboard.press("Enter")
    page.keyboard.press("2")
    assert current_question(page) not in asked
    assert_clean(recorder, "practice page")


def test_export_reset_import_round_trip(open_context, base_url, tmp_path):
    context, recorder = open_context(accept_downloads=True)
    page = practice(context, base_url)
    page.on("dialog", lambda dialog: dialog.accept())
    for key in ("2", "1"):
        page.keyboard.press("Space")
        page.keyboard.press(key)
    before = stored(page)
    counts_before = counts(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Export progress").click()
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    assert json.loads(saved.read_text()) == before

    page.get_by_role("button", name="Reset progress").click()
    assert stored(page)["cards"] == {}
    assert counts(page)["review"] == 0 and counts(page)["later"] == 0

    page.locator("#practice-app input[type=file]").set_input_files(str(saved))
    page.wait_for_function("() => document.querySelector('.practice-status').textContent.includes('imported')")
    assert stored(page) == before
    assert counts(page) == counts_before
    assert_clean(recorder, "export, reset, import")


def test_bad_import_is_refused_and_said(open_context, base_url, tmp_path):
    context, recorder = open_context()
    page = practice(context, base_url)
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1, "cards": {"x": {"box": 9, "due": 0}}}')
    page.locator("#practice-app input[type=file]").set_input_files(str(bad))
    page.wait_for_function("() => document.querySelector('.practice-status').textContent.includes('could not be imported')")
    assert "in no box 1 to 5" in page.locator(".practice-status").inner_text()
    assert_clean(recorder, "bad import")


@pytest.mark.parametrize(
    "value, reason",
    [
        ("{not json", "it is not valid JSON"),
        ('{"version": 0, "cards": {}}', "it was saved by an older version of this page"),
        ('{"version": 1, "cards": {"a": {"box": 2}}}', "card 'a' has no due date"),
    ],
    ids=["corrupt", "old-version", "bad-record"],
)
def test_unreadable_storage_is_reset_and_said(open_context, base_url, value, reason):
    context, recorder = open_context()
    context.add_init_script(f"if (location.protocol === 'http:') localStorage.setItem({json.dumps(KEY)}, {json.dumps(value)})")
    page = practice(context, base_url)
    status = page.locator(".practice-status").inner_text()
    assert reason in status and "reset" in status
    assert page.evaluate(f"() => localStorage.getItem('{KEY}')") is None
    total = len(card_ids(page))
    assert counts(page) == {"review": 0, "new": total, "later": 0}
    assert_clean(recorder, "unreadable storage")


def test_filter_by_section_shows_only_its_cards(open_context, base_url):
    context, recorder = open_context()
    page = practice(context, base_url)
    page.select_option("#practice-app select[name=section]", "3")
    sections = page.eval_on_selector_all("details.practice-card:not([hidden])", "els => els.map(e => e.dataset.section)")
    assert sections and set(sections) == {"3"}
    third = page.eval_on_selector_all("details.practice-card[data-section='3']", "els => els.map(e => e.querySelector('summary').textContent.trim())")
    seen = []
    for _ in range(len(third)):
        seen.append(current_question(page))
        page.keyboard.press("Space")
        page.keyboard.press("2")
    assert sorted(seen) == sorted(third), "practice under a §3 filter asks the §3 questions, and only those"
    assert "Nothing is due" in page.locator(".practice-current").inner_text()
    assert_clean(recorder, "section filter")


def test_filter_by_term_and_links_back(open_context, base_url):
    context, recorder = open_context()
    page = practice(context, base_url)
    page.select_option("#practice-app select[name=term]", "reachability")
    terms = page.eval_on_selector_all("details.practice-card:not([hidden])", "els => els.map(e => e.dataset.terms.split(' '))")
    assert terms and all("reachability" in t for t in terms)
    page.keyboard.press("Space")
    where = page.locator(".practice-current .practice-where a").first
    href = where.get_attribute("href")
    assert href.startswith("../notes/") and "#" in href
    where.click()
    page.wait_for_load_state("networkidle")
    anchor = href.split("#")[1]
    assert page.locator(f"details.selfcheck#{anchor}").count() == 1, "the card's link leads to its question in the notes"
    assert_clean(recorder, "term filter")


def test_without_javascript_every_question_and_answer_is_there(open_context, base_url, site, artifacts):
    from scripts.check import load_site
    from scripts import practice as cards_module

    from conftest import ROOT

    context, recorder = open_context(java_script_enabled=False)
    page = visit(context, base_url + "practice/")
    assert page.locator("#practice-app").is_hidden()
    cards = cards_module.collect(load_site(ROOT / "docs").pages, load_site(ROOT / "docs").glossary).cards
    shown = page.eval_on_selector_all(
        "details.practice-card",
        "els => els.map(e => [e.id, e.querySelector('summary').textContent.trim(), e.textContent.length])",
    )
    assert [s[0] for s in shown] == [c.id for c in cards]
    assert [s[1] for s in shown] == [c.question for c in cards]
    for (card_id, question, length), card in zip(shown, cards):
        assert length > len(question) + 20, f"{card_id}: the answer is missing"
    page.locator("details.practice-card").first.locator("summary").click()
    assert page.locator("details.practice-card").first.locator("p").first.is_visible()
    page.locator("details.practice-card").first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "practice-no-javascript-desktop-light.png"))
    assert_clean(recorder, "practice without scripts")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_practice_screenshots_and_accessibility(open_context, base_url, artifacts, viewport, scheme):
    context, recorder = open_context(viewport=viewport, color_scheme=scheme)
    page = practice(context, base_url)
    page.keyboard.press("Space")
    assert axe_violations(page) == []
    width = "desktop" if viewport is DESKTOP else "phone"
    page.screenshot(path=str(artifacts / f"practice-{width}-{scheme}.png"))
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"
    assert_clean(recorder, f"practice {width} {scheme}")
