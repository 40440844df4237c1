"""The Coverage page in a browser: readable on a phone, in both schemes, nothing fetched
from another host. Screenshots go to test-artifacts/screenshots/coverage-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_helpers import DESKTOP, PHONE, assert_clean, axe_violations, visit

URL = "contributing/coverage/"
SCHEMES = {"light": "default", "dark": "slate"}

FIT_JS = """() => {
    const doc = document.documentElement;
    const tables = [...document.querySelectorAll('article .coverage-table table, article .coverage-overview table')];
    const wraps = tables.map(t => t.closest('.md-typeset__scrollwrap') || t.parentElement);
    const small = [...document.querySelectorAll('article .coverage-table td, article .coverage-overview td')]
        .map(td => parseFloat(getComputedStyle(td).fontSize)).filter(px => px < 12);
    return {
        page: doc.scrollWidth - doc.clientWidth,
        tables: tables.length,
        wide: tables.filter((t, i) => t.scrollWidth > wraps[i].clientWidth + 1).length,
        small: small.length,
    };
}"""


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_coverage_page_reads_on_every_screen(open_context, base_url: str, artifacts: Path, scheme: str, device: str):
    phone = device == "phone"
    viewport = PHONE if phone else DESKTOP
    context, recorder = open_context(viewport=viewport, color_scheme=scheme, is_mobile=phone, has_touch=phone)
    page = visit(context, base_url + URL)
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]
    folder = artifacts / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"coverage-{scheme}-{device}"
    page.screenshot(path=str(folder / f"{stem}-top.png"), animations="disabled")
    for name, selector in (("overview", "article .coverage-overview"), ("section", "#paper-4-2")):
        top = page.locator(selector).evaluate("e => e.getBoundingClientRect().top + window.scrollY")
        page.evaluate("(y) => window.scrollTo(0, y)", max(0, top - 80))  # clear of the sticky header
        page.wait_for_timeout(400)
        page.screenshot(path=str(folder / f"{stem}-{name}.png"), animations="disabled")
    # checked after the screenshots, so that a failure can be looked at
    fit = page.evaluate(FIT_JS)
    assert fit["tables"] > 20, "an overview and one table per section of the paper"
    assert fit["page"] <= 0, f"the page scrolls sideways by {fit['page']} px"
    assert fit["wide"] == 0, f"{fit['wide']} tables are wider than the column (they would scroll sideways)"
    assert fit["small"] == 0, f"{fit['small']} table cells have text under 12 px"
    if scheme == "light" and phone:
        assert axe_violations(page) == []

    assert_clean(recorder)
