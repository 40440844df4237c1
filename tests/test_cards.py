"""The hover card in a real browser, for both of its kinds: glossary terms (a.gloss) and
citations (a.cite). One component (docs/assets/javascripts/cards.js), so every journey
runs for both: hover, pointer onto the card, focus and Escape, a tap on a phone, the
bottom edge of the window, a little scrolling, and the way back from a reference.

Screenshots go to test-artifacts/cards/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser_helpers import DESKTOP, PHONE, ROOT
from browser_helpers import assert_clean, visit
from test_browser import expect

NOTES_4 = "notes/04-deceptive-alignment/"
KINDS = {"cite": "article a.cite", "gloss": "article a.gloss"}
CARD = "#rlo-card"


@pytest.fixture(scope="module")
def shots(artifacts: Path) -> Path:
    folder = artifacts / "cards"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def nth_visible(page, selector: str, n: int = 3):
    """The n-th matching link that is in the article's running text (not in a folded block), scrolled into view."""
    links = page.locator(selector)
    seen = 0
    for i in range(min(links.count(), 200)):
        link = links.nth(i)
        if link.is_visible():
            if seen == n:
                link.scroll_into_view_if_needed()
                return link
            seen += 1
    pytest.fail(f"fewer than {n + 1} visible {selector}")


def far_down(page, selector: str, below: int = 1500):
    """A visible matching link at least ``below`` px from the top of the page."""
    index = page.evaluate(
        "([sel, below]) => [...document.querySelectorAll(sel)].findIndex(a => a.offsetParent && a.getClientRects().length && a.getClientRects()[0].top + window.scrollY > below)",
        [selector, below],
    )
    assert index >= 0, f"no {selector} below {below} px"
    return page.locator(selector).nth(index)


def first_line_centre(page, link) -> tuple[float, float]:
    """The middle of the link's first line box: where a reader points at a link that wraps
    (the centre of its bounding box may fall on other words)."""
    return tuple(page.evaluate("(el) => { const r = el.getClientRects()[0]; return [r.left + Math.min(r.width / 2, 12), r.top + r.height / 2]; }", link.element_handle()))


def hover(page, link) -> None:
    page.mouse.move(*first_line_centre(page, link), steps=2)


def tap(page, link) -> None:
    page.touchscreen.tap(*first_line_centre(page, link))


def put_near_bottom(page, link, gap: int = 20) -> None:
    """Scroll so that the link's last line ends ``gap`` px above the window's bottom edge."""
    link.scroll_into_view_if_needed()
    page.evaluate(
        """([el, gap]) => { const rects = el.getClientRects(); const r = rects[rects.length - 1];
            window.scrollBy({top: r.bottom - (document.documentElement.clientHeight - gap), behavior: "instant"}); }""",
        [link.element_handle(), gap],
    )
    page.wait_for_timeout(100)


def inside_window(page, box) -> bool:
    width, height = page.evaluate("() => [document.documentElement.clientWidth, document.documentElement.clientHeight]")
    return box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width + 0.5 and box["y"] + box["height"] <= height + 0.5


def expected_content(page, link, kind: str) -> str:
    """The text the card must show: the definition, or the page's reference for the citation."""
    if kind == "gloss":
        from scripts.glossary import load

        return load(ROOT / "docs" / "glossary.yml").by_id[link.get_attribute("href").rpartition("#")[2]].plain_definition
    return page.evaluate("""(id) => [...document.getElementById(id).childNodes]
        .filter(n => !(n.nodeType === 1 && n.classList.contains('ref-back'))).map(n => n.textContent).join('').trim()""",
                         link.get_attribute("href")[1:])  # the reference without its back-links


@pytest.mark.parametrize("kind", list(KINDS))
def test_hover_opens_the_card_and_it_stays_while_the_pointer_is_on_it(open_context, base_url: str, kind: str):
    context, recorder = open_context()
    page = visit(context, base_url + NOTES_4)
    link = nth_visible(page, KINDS[kind])
    hover(page, link)
    card = page.locator(CARD)
    expect(card).to_be_visible()
    assert " ".join(expected_content(page, link, kind).split())[:60] in " ".join(card.inner_text().split())
    if kind == "cite":
        place = re.match(r".*?(?:\d{4}[a-z]?|n\.d\.(?:-[a-z])?), (.+)$", link.inner_text())
        assert place, f"pick a citation with a locator: {link.inner_text()!r}"
        expect(card.locator(".card__locator")).to_have_text(f"Cited here: {place.group(1)}")
    expect(link).to_have_attribute("aria-describedby", "rlo-card")
    # Move onto the card, slowly, across the gap between link and card: it stays open.
    box = card.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=8)
    page.wait_for_timeout(600)
    expect(card).to_be_visible()
    # Leaving both closes it.
    page.mouse.move(2, DESKTOP["height"] - 2, steps=4)
    expect(card).to_be_hidden()
    assert_clean(recorder)


@pytest.mark.parametrize("kind", list(KINDS))
def test_keyboard_focus_opens_and_escape_closes(open_context, base_url: str, kind: str):
    context, recorder = open_context()
    page = visit(context, base_url + NOTES_4)
    link = nth_visible(page, KINDS[kind], 1)
    page.keyboard.press("Tab")  # the reader is on the keyboard
    link.focus()
    card = page.locator(CARD)
    expect(card).to_be_visible()
    expect(link).to_have_attribute("aria-describedby", "rlo-card")
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    expect(link).not_to_have_attribute("aria-describedby", "rlo-card")
    expect(link).to_be_focused()
    assert_clean(recorder)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_near_the_bottom_edge_the_card_opens_above_inside_the_window(open_context, base_url: str, kind: str, scheme: str, shots: Path):
    context, recorder = open_context(color_scheme=scheme)
    page = visit(context, base_url + NOTES_4)
    link = far_down(page, KINDS[kind])  # far enough down the page to reach the bottom edge
    put_near_bottom(page, link)
    hover(page, link)
    card = page.locator(CARD)
    expect(card).to_be_visible()
    box, first_line = card.bounding_box(), page.evaluate("(el) => el.getClientRects()[0].top", link.element_handle())
    assert inside_window(page, box), f"card {box} leaves the window"
    assert box["y"] + box["height"] <= first_line + 1, "the card should sit above a link at the bottom edge"
    page.screenshot(path=str(shots / f"{kind}-bottom-edge-{scheme}.png"))
    assert_clean(recorder)


@pytest.mark.parametrize("kind", list(KINDS))
def test_near_the_right_edge_the_card_shifts_in(open_context, base_url: str, kind: str):
    context, recorder = open_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = visit(context, base_url + NOTES_4)
    links = page.locator(KINDS[kind])
    rightmost = page.evaluate(
        """(sel) => { let best = -1, x = -1; const w = document.documentElement.clientWidth;
            document.querySelectorAll(sel).forEach((a, i) => { const r = a.getClientRects()[0];
                if (r && r.left > x && r.right <= w && a.offsetParent && !a.closest('table, .md-typeset__scrollwrap')) { x = r.left; best = i; } });
            return best; }""",
        KINDS[kind],
    )
    link = links.nth(rightmost)
    link.scroll_into_view_if_needed()
    assert first_line_centre(page, link)[0] > PHONE["width"] * 0.6, "no link near the right edge"
    tap(page, link)
    card = page.locator(CARD)
    expect(card).to_be_visible()
    assert inside_window(page, card.bounding_box())
    assert_clean(recorder)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_tap_on_a_phone_shows_the_card_and_its_link_leads_to_the_entry(open_context, base_url: str, kind: str, scheme: str, shots: Path):
    context, recorder = open_context(viewport=PHONE, is_mobile=True, has_touch=True, color_scheme=scheme)
    page = visit(context, base_url + NOTES_4)
    link = nth_visible(page, KINDS[kind], 2)
    before = page.url.split("#")[0]
    target = link.get_attribute("href")
    tap(page, link)
    card = page.locator(CARD)
    expect(card).to_be_visible()
    # Material's navigation.tracking may rewrite the hash to the section in view; only the link's own target counts.
    assert page.url.split("#")[0] == before, "the first tap must show the card, not follow the link"
    assert not page.url.endswith(target.split("/")[-1]), "the first tap must show the card, not follow the link"
    assert inside_window(page, card.bounding_box())
    page.screenshot(path=str(shots / f"{kind}-tap-390-{scheme}.png"))
    # A tap inside the card keeps it; its link is a real link to the entry.
    card.locator(".card__body").tap()
    expect(card).to_be_visible()
    more = card.locator("a.card__more")
    href = more.get_attribute("href")
    assert href == link.get_attribute("href")
    # Waiting for the navigation itself, started before the tap: Material's navigation.tracking
    # may rewrite the hash to the section in view a moment after the jump.
    if kind == "cite":
        with page.expect_navigation(url=re.compile(re.escape(href) + "$")):
            more.tap()
        expect(page.locator(f"[id='{href[1:]}']")).to_be_in_viewport()
    else:
        with page.expect_navigation(url=re.compile(r"/glossary/#" + re.escape(href.split("#")[1]) + "$")):
            more.tap()
    assert_clean(recorder)


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_tap_elsewhere_closes_the_card(open_context, base_url: str, kind: str):
    context, recorder = open_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = visit(context, base_url + NOTES_4)
    link = nth_visible(page, KINDS[kind], 2)
    tap(page, link)
    expect(page.locator(CARD)).to_be_visible()
    page.locator("article h1").tap()
    expect(page.locator(CARD)).to_be_hidden()
    assert_clean(recorder)


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_little_scrolling_keeps_the_card_and_it_follows_its_link(open_context, base_url: str, kind: str):
    context, recorder = open_context()
    page = visit(context, base_url + NOTES_4)
    link = nth_visible(page, KINDS[kind], 4)
    page.evaluate("() => window.scrollBy({top: -200, behavior: 'instant'})")
    hover(page, link)
    card = page.locator(CARD)
    expect(card).to_be_visible()
    line_top = lambda: page.evaluate("(el) => el.getClientRects()[0].top", link.element_handle())  # noqa: E731
    gap_before = card.bounding_box()["y"] - line_top()
    page.evaluate("() => window.scrollBy({top: 40, behavior: 'instant'})")
    page.wait_for_timeout(200)
    expect(card).to_be_visible()
    assert abs(card.bounding_box()["y"] - line_top() - gap_before) < 2, "the card did not move with its link"
    assert inside_window(page, card.bounding_box())
    page.evaluate("() => window.scrollBy({top: 3000, behavior: 'instant'})")  # the link leaves the window
    expect(card).to_be_hidden()
    assert_clean(recorder)


def luminance(rgb: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", rgb)[:3])
    lin = lambda c: c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4  # noqa: E731
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_card_is_a_distinct_readable_surface(open_context, base_url: str, scheme: str, shots: Path):
    context, recorder = open_context(color_scheme=scheme)
    page = visit(context, base_url + NOTES_4)
    link = nth_visible(page, KINDS["gloss"], 1)
    hover(page, link)
    card = page.locator(CARD)
    expect(card).to_be_visible()
    colours = page.evaluate(
        """() => { const c = getComputedStyle(document.getElementById('rlo-card'));
            return {card: c.backgroundColor, text: c.color, page: getComputedStyle(document.body).backgroundColor,
                    border: c.borderTopStyle, size: parseFloat(c.fontSize)}; }"""
    )
    card_l, page_l, text_l = luminance(colours["card"]), luminance(colours["page"]), luminance(colours["text"])
    assert colours["card"] != colours["page"] and abs(card_l - page_l) > 0.01, f"the card's background is the page's: {colours}"
    contrast = (max(card_l, text_l) + 0.05) / (min(card_l, text_l) + 0.05)
    assert contrast >= 4.5, f"card text contrast {contrast:.2f} < 4.5"
    assert colours["border"] != "none" and colours["size"] >= 15
    page.screenshot(path=str(shots / f"gloss-card-{scheme}.png"))
    assert_clean(recorder)


def test_tap_targets_are_at_least_24px(open_context, base_url: str):
    context, recorder = open_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = visit(context, base_url + NOTES_4)
    small = page.evaluate(
        """() => [...document.querySelectorAll('article a.cite, article a.gloss, ul.references a')].filter(a => a.offsetParent)
              .map(a => [a.textContent.trim().slice(0, 30), ...[...a.getClientRects()].map(r => [Math.round(r.width), Math.round(r.height)])])
              .filter(([t, ...rects]) => !rects.some(([w, h]) => w >= 24 && h >= 24)).slice(0, 8)"""
    )
    assert not small, f"tap targets under 24 x 24 px: {small}"
    assert_clean(recorder)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_citation_five_and_its_way_back(open_context, base_url: str, scheme: str, shots: Path):
    """Click citation 5 on §4: the page goes to its reference; its back-link returns the
    reader to citation 5, not to the first citation of that work."""
    context, recorder = open_context(color_scheme=scheme)
    page = visit(context, base_url + NOTES_4)
    cite = page.locator("a.cite#cite-5")
    key = cite.get_attribute("href")[1:]
    assert page.evaluate("(key) => document.querySelectorAll(`a.cite[href='#${key}']`).length", key) > 5, "pick a work cited more than five times"
    cite.scroll_into_view_if_needed()
    cite_y = page.evaluate("() => window.scrollY")
    with page.expect_navigation(url=re.compile(f"#{re.escape(key)}$")):  # not wait_for_url: see the tap test
        cite.click()
    entry = page.locator(f"li[id='{key}']")
    expect(entry).to_be_in_viewport()
    page.mouse.move(0, 0)
    page.screenshot(path=str(shots / f"references-{scheme}.png"))
    back = entry.locator("a[href='#cite-5']")
    expect(back).to_have_count(1)
    with page.expect_navigation(url=re.compile("#cite-5$")):
        back.click()
    expect(page.locator("#cite-5")).to_be_in_viewport()
    assert abs(page.evaluate("() => window.scrollY") - cite_y) < DESKTOP["height"], "the way back did not return near citation 5"
    first = page.locator(f"a.cite[href='#{key}']").first
    assert first.get_attribute("id") != "cite-5"
    expect(first).not_to_be_in_viewport()
    assert_clean(recorder)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_bibliography_page_pictures(open_context, base_url: str, scheme: str, shots: Path):
    context, recorder = open_context(color_scheme=scheme)
    page = visit(context, base_url + "bibliography/")
    page.screenshot(path=str(shots / f"bibliography-{scheme}.png"))
    summary = page.locator("details.cited-in > summary").first
    summary.click()
    expect(page.locator("details.cited-in[open] a").first).to_be_visible()
    page.screenshot(path=str(shots / f"bibliography-cited-in-open-{scheme}.png"))
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(shots / f"bibliography-390-{scheme}.png"))
    assert_clean(recorder)
