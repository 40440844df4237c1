"""What the lighter notes page (issue 18, the browser's cost) must still give a reader.

The figures and the "Terms on this page" list are styled and laid out only near the window
(content-visibility: auto, docs/assets/stylesheets/extra.css), and each reference's single
back-link is one element named by its aria-label (scripts/citations.py). So, in Chromium:
a link to a figure far down the page lands on the whole figure; the terms list opens and
shows its definitions; a citation's card shows its reference without the ↩ back-link. No
timing is asserted here: the costs are measured by `make bench` (scripts/browserbench.py).
"""

from __future__ import annotations

import pytest

from browser_helpers import DESKTOP, PHONE
from browser_helpers import assert_clean, visit
from test_browser import expect

NOTES_4 = "notes/04-deceptive-alignment/"
DEVICES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.mark.parametrize("device", list(DEVICES))
def test_a_link_to_a_figure_far_down_lands_on_the_whole_figure(open_context, base_url: str, device: str):
    context, recorder = open_context(viewport=DEVICES[device])
    page = visit(context, base_url + NOTES_4 + "#figure-alignment-map")
    figure = page.locator("#figure-alignment-map")
    page.wait_for_function("() => document.getElementById('figure-alignment-map').getBoundingClientRect().top < 200")
    expect(figure).to_be_in_viewport()
    got = figure.evaluate("""f => {
        const img = [...f.querySelectorAll('img.figure-img')].find(i => i.getClientRects().length);
        const r = img.getBoundingClientRect(), column = f.closest('article').getBoundingClientRect();
        return {top: f.getBoundingClientRect().top, width: r.width, column: column.width, height: r.height};
    }""")
    header = page.evaluate("() => document.querySelector('.md-header').getBoundingClientRect().bottom")
    assert header - 2 <= got["top"] <= header + 60, f"the figure starts at {got['top']:.0f} px, the header ends at {header:.0f} px"
    assert got["width"] >= 0.9 * min(got["column"], 840), f"the drawing is {got['width']:.0f} px wide in a {got['column']:.0f} px column"
    assert got["height"] > 200, f"the drawing is only {got['height']:.0f} px high"
    page.wait_for_function("""() => [...document.querySelectorAll('#figure-alignment-map img.figure-img')]
        .some(i => i.getClientRects().length && i.complete && i.naturalWidth > 0 && i.checkVisibility())""")
    assert_clean(recorder)


def test_the_terms_list_opens_with_its_definitions(open_context, base_url: str):
    context, recorder = open_context()
    page = visit(context, base_url + NOTES_4)
    terms = page.locator("article details.gloss-terms")
    terms.locator("summary").scroll_into_view_if_needed()
    terms.locator("summary").click()
    definition = terms.locator("dd").first
    expect(definition).to_be_visible()
    box = definition.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 15, f"the first definition is drawn at {box}"
    assert_clean(recorder)


def test_a_citation_card_shows_the_reference_without_its_back_link(open_context, base_url: str):
    context, recorder = open_context()
    page = visit(context, base_url + NOTES_4)
    link = page.locator("article a.cite").nth(2)
    link.scroll_into_view_if_needed()
    link.hover()
    card = page.locator("#rlo-card")
    expect(card).to_be_visible()
    reference = card.locator(".card__reference")
    text = reference.inner_text()
    assert "Hubinger" in text and "doi.org" in text, f"the card's reference: {text!r}"
    assert "↩" not in text and "Back to" not in text, f"the card repeats the back-link: {text!r}"
    assert reference.locator("a").count() == 1, "the card's reference should hold only the work's own link"
    assert_clean(recorder)
