"""The built site in a real browser (issue 8): every page offline, error-free, accessible
in light and dark, usable on a phone; and the reader's journeys: search, glossary cards,
citation tooltips, the palette toggle and the PDF download.

Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM); axe-core comes from node_modules.
The site is served from 127.0.0.1 and every request to another host is recorded and
blocked, so a page that reaches out fails its test instead of sending traffic.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from browser_helpers import (
    assert_clean,
    visit,
    DESKTOP,
    PHONE,
    ROOT,
    StaticServer,
    axe_violations,
    built_pages,
    figure_image_problems,
    nav_files,
    page_id,
    page_url,
)

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in requirements.txt: run `make setup`")
expect = playwright_api.expect

PAGES = [page_url(f) for f in nav_files()]
NOTES_1 = "notes/01-introduction/"
NOTES_4 = "notes/04-deceptive-alignment/"
GLOSSARY = "glossary/"
PDF_PATH = "pdf/risks-from-learned-optimization-notes.pdf"
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> body[data-md-color-scheme]
TIMEOUT_MS = 10_000


# --------------------------------------------------------------------------- fixtures


def scheme_of(page) -> str:
    return page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")


# --------------------------------------------------------------------------- every page


def test_every_built_page_is_in_the_nav(site: Path):
    """The per-page tests walk the nav; make sure that is every page the build wrote."""
    assert sorted(PAGES) == built_pages(site)


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("path", PAGES, ids=[page_id(p) for p in PAGES])
def test_page_offline_clean_accessible(open_context, base_url: str, path: str, scheme: str):
    """No request leaves 127.0.0.1, no console or page error, no serious or critical axe finding,
    no figure that does not show, in its colour scheme, inside its box."""
    context, recorder = open_context(color_scheme=scheme)
    page = visit(context, base_url + path)
    assert scheme_of(page) == SCHEMES[scheme], f"the {scheme} palette did not apply"
    # The search worker loads the local index; a page that reached out would show up here.
    assert any(u.endswith("/search/search_index.json") for u in recorder.requests), "search index never requested"
    violations = axe_violations(page)
    problems = recorder.problems() + [f"axe: {v}" for v in violations]
    problems += [f"figure: {c}" for c in figure_image_problems(page)]
    if problems:
        pytest.fail(f"/{path} in {scheme} mode:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.mark.parametrize("path", PAGES, ids=[page_id(p) for p in PAGES])
def test_page_on_a_phone(open_context, base_url: str, path: str):
    """At 390 px: the page does not scroll sideways, and the navigation drawer opens."""
    context, recorder = open_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = visit(context, base_url + path)
    widths = page.evaluate(
        """(phone) => ({scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth,
                   wide: [...document.querySelectorAll('.md-container *')].filter(e => {
                       const r = e.getBoundingClientRect();
                       if (r.width === 0 || r.right <= phone + 1 || e.closest('.md-sidebar, .md-search')) return false;
                       for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
                           if (getComputedStyle(a).overflowX !== 'visible') return false;  // scrolls inside its own box
                       return true;
                   }).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                       + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))})""",
        PHONE["width"],
    )
    # Compare with the phone's width, not innerWidth: a mobile browser widens its layout
    # viewport (and zooms out) to fit a page that is too wide, so innerWidth grows with it.
    assert widths["scroll"] <= PHONE["width"] + 1 and widths["inner"] <= PHONE["width"] + 1, (
        f"page is wider than the {PHONE['width']} px phone (scrollWidth {widths['scroll']}, innerWidth {widths['inner']}): {widths['wide']}"
    )

    def drawer_left() -> float:
        return page.evaluate("() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().left")

    assert drawer_left() < 0, "the drawer is open before the menu button is pressed"
    menu = page.locator(".md-header label.md-header__button[for='__drawer']")
    expect(menu).to_be_visible()
    menu.click()
    expect(page.locator("#__drawer")).to_be_checked()
    page.wait_for_function("() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0")
    # Links of the drawer are on screen and on top (not covered by the overlay or the page).
    usable = page.evaluate(
        """() => [...document.querySelectorAll('.md-sidebar--primary a.md-nav__link')].filter(a => {
            const r = a.getBoundingClientRect();
            if (r.width === 0 || r.left < 0 || r.right > innerWidth || r.top < 0 || r.bottom > innerHeight) return false;
            const hit = document.elementFromPoint(r.left + Math.min(20, r.width / 2), r.top + r.height / 2);
            return !!hit && a.contains(hit);
        }).map(a => a.textContent.trim())"""
    )
    assert usable, "the open drawer shows no link a finger could press"
    assert_clean(recorder)


# --------------------------------------------------------------------------- journeys


def test_search_finds_notes_and_glossary_offline(open_context, base_url: str):
    """Typing "deceptive alignment" lists the §4 notes page and the glossary entry, with the
    browser offline once the page (and its local search index) has loaded."""
    context, recorder = open_context()
    page = visit(context, base_url)
    assert any(u.endswith("/search/search_index.json") for u in recorder.requests)
    context.set_offline(True)
    page.keyboard.press("/")  # Material's shortcut for the search box
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.type("deceptive alignment", delay=50)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    wanted = {"notes": "/" + NOTES_4, "glossary": "/" + GLOSSARY + "#deceptive-alignment"}
    links = "[...document.querySelectorAll('.md-search-result a.md-search-result__link')].map(a => { const u = new URL(a.href); return u.pathname + u.hash; })"
    try:  # results arrive as the worker answers each keystroke: wait for the final ones
        page.wait_for_function(f"(w) => {{ const l = {links}; return l.some(p => p.startsWith(w.notes)) && l.includes(w.glossary); }}", arg=wanted)
    except playwright_api.TimeoutError:
        pass
    paths = page.evaluate(f"() => {links}")
    assert any(p.startswith(wanted["notes"]) for p in paths), f"§4 notes page not among the results: {paths}"
    assert wanted["glossary"] in paths, f"glossary entry not among the results: {paths}"
    # The §4 page is shown as a result (not only present in the DOM).
    expect(page.locator(f".md-search-result__item > a.md-search-result__link[href*='{NOTES_4.rstrip('/')}']").first).to_be_visible()
    assert_clean(recorder)


def gloss_card_text(page) -> tuple[str, str]:
    tip = page.locator("#rlo-card")
    expect(tip).to_be_visible()
    expect(tip).to_have_attribute("role", "tooltip")
    return tip.locator("strong.card__title").inner_text(), tip.locator(".card__body p").first.inner_text()


def expected_card(link) -> tuple[str, str]:
    """What the card must show for a link: the entry's term and definition in docs/glossary.yml."""
    from scripts.glossary import load

    entry = load(ROOT / "docs" / "glossary.yml").by_id[link.get_attribute("href").rpartition("#")[2]]
    return entry.term, entry.plain_definition


def test_glossary_card_on_hover_focus_and_link(open_context, base_url: str):
    context, recorder = open_context()
    page = visit(context, base_url + NOTES_1)
    link = page.locator("article a.gloss").first
    expect(link).to_be_visible()
    term, definition = expected_card(link)
    assert term and definition and len(definition) > 20

    # Hover shows the definition; Escape closes it.
    link.hover()
    assert gloss_card_text(page) == (term, definition)
    tip_box, link_box = page.locator("#rlo-card").bounding_box(), link.bounding_box()
    assert tip_box["y"] >= link_box["y"] + link_box["height"] - 1, "the card covers the term it explains"
    assert tip_box["x"] >= 0 and tip_box["x"] + tip_box["width"] <= DESKTOP["width"], "the card is off screen"
    page.keyboard.press("Escape")
    expect(page.locator("#rlo-card")).to_be_hidden()
    page.mouse.move(0, 0)

    # Keyboard: Tab until a glossary link has focus; its card opens and is announced.
    page.locator("body").click(position={"x": 5, "y": 200})
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    focused = None
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('a.gloss')"):
            focused = page.locator("a.gloss:focus")
            break
    assert focused is not None, "no glossary link reachable with Tab"
    focused_term, focused_def = expected_card(focused)
    assert gloss_card_text(page) == (focused_term, focused_def)
    expect(focused).to_have_attribute("aria-describedby", "rlo-card")
    page.keyboard.press("Escape")
    expect(page.locator("#rlo-card")).to_be_hidden()
    expect(focused).not_to_have_attribute("aria-describedby", "rlo-card")

    # The link leads to the glossary entry, which is on screen below the header.
    target = urlsplit(link.get_attribute("href")).fragment
    assert target
    with page.expect_navigation(url=re.compile(re.escape(GLOSSARY) + "#" + re.escape(target) + "$")):  # navigation.tracking may rewrite the hash later
        link.click()
    entry = page.locator(f"[id='{target}']")
    expect(entry).to_be_in_viewport()
    header_bottom = page.locator(".md-header").bounding_box()
    entry_box = entry.bounding_box()
    assert entry_box["y"] >= header_bottom["y"] + header_bottom["height"] - 2, "the entry is hidden under the header"
    assert term.lower() in entry.inner_text().lower(), f"#{target} does not name '{term}'"
    assert_clean(recorder)


def test_citations_point_into_this_pages_references(open_context, base_url: str):
    """Every citation on a notes page links to an entry of the page's own References,
    and that entry links back to it. (The card itself: tests/test_citations.py.)"""
    context, recorder = open_context()
    page = visit(context, base_url + NOTES_1)
    cites = page.locator("article a.cite")
    assert cites.count() > 10, "no citations on the §1 notes page"
    orphans = page.evaluate(
        """() => [...document.querySelectorAll('article a.cite')].filter(a => {
            const li = document.getElementById(a.getAttribute('href').slice(1));
            if (!li || !li.closest('ul.references')) return true;
            let h2 = li.closest('ul.references').previousElementSibling;
            while (h2 && h2.tagName !== 'H2') h2 = h2.previousElementSibling;
            if (!(h2 && h2.id === 'references')) return true;
            return !li.querySelector(`a[href="#${a.id}"]`);
        }).map(a => a.id)"""
    )
    assert not orphans, f"citations whose reference is not under h2#references, or does not link back: {orphans}"
    assert_clean(recorder)


def click_palette_toggle(page) -> None:
    """Click whichever of Material's three palette labels is showing."""
    label = page.locator(".md-header label.md-header__button[for^='__palette_']:visible")
    expect(label).to_have_count(1)
    label.click()


def expect_scheme(page, scheme: str, why: str = "") -> None:
    body = page.locator("body")
    try:
        expect(body).to_have_attribute("data-md-color-scheme", scheme, timeout=3000)
    except AssertionError:
        pytest.fail(f"{why or 'palette'}: body[data-md-color-scheme] is {scheme_of(page)!r}, not {scheme!r} on {page.url}", pytrace=False)


def test_palette_toggle_survives_navigation(open_context, base_url: str):
    # The system says dark, so "auto" is dark: choosing light must stick against it.
    context, recorder = open_context(color_scheme="dark")
    page = visit(context, base_url + NOTES_1)
    expect_scheme(page, "slate", "auto palette on a dark system")
    click_palette_toggle(page)  # auto -> light
    expect_scheme(page, "default", "toggle to light")
    page.locator("a.md-footer__link--next").click()  # turn the page
    page.wait_for_url(re.compile(r"/notes/02-[^/]+/$"))
    page.wait_for_load_state("networkidle")
    expect_scheme(page, "default", "light choice after turning the page")
    click_palette_toggle(page)  # light -> dark
    expect_scheme(page, "slate", "toggle to dark")
    page.goto(base_url + GLOSSARY, wait_until="networkidle")
    expect_scheme(page, "slate", "dark choice on another page")
    click_palette_toggle(page)  # dark -> auto (the system's dark)
    expect_scheme(page, "slate", "back to auto on a dark system")
    click_palette_toggle(page)  # auto -> light again: the cycle is complete
    expect_scheme(page, "default", "toggle to light again")
    assert_clean(recorder)


@pytest.fixture(scope="session")
def site_with_pdf(site: Path, tmp_path_factory) -> Path:
    """A copy of the built site with the offline PDF made into it by `python -m scripts pdf`
    (what `make pdf` runs after the build)."""
    copy = tmp_path_factory.mktemp("with-pdf") / "site"
    shutil.copytree(site, copy)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "scripts", "pdf", "--site", str(copy)], cwd=ROOT, env=env, text=True, capture_output=True)
    assert result.returncode == 0, f"python -m scripts pdf failed:\n{result.stderr}"
    assert (copy / PDF_PATH).is_file(), f"python -m scripts pdf did not write {PDF_PATH}"
    return copy


def test_pdf_download_link(open_context, site: Path, request):
    # The link is on the landing page whether or not this run has a PDF.
    landing = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a [^>]*href="' + re.escape(PDF_PATH) + '"', landing), "landing page does not link the PDF"
    pdf_site = request.getfixturevalue("site_with_pdf")
    with StaticServer(pdf_site) as server:
        context, recorder = open_context()
        page = visit(context, server.url)
        link = page.locator(f"a[href$='{PDF_PATH}']")
        expect(link).to_be_visible()
        url = urljoin(page.url, link.get_attribute("href"))
        response = context.request.get(url)
        assert response.status == 200, f"{url}: HTTP {response.status}"
        assert response.headers["content-type"].split(";")[0] == "application/pdf"
        assert response.body()[:5] == b"%PDF-"
        assert_clean(recorder)


# --------------------------------------------------------------------------- screenshots


CONTRAST_JS = """(el) => {
    const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                       return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const fg = lum(rgb(getComputedStyle(el).color));
    const bg = lum(rgb(getComputedStyle(document.body).backgroundColor));
    return {ratio: (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05), bg};
}"""


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_screenshots(open_context, base_url: str, artifacts: Path, scheme: str, device: str):
    """Screenshots of a notes page for people to look at (test-artifacts/screenshots/):
    the top, the first figure and the first of each of our callouts. The basics are checked:
    the background follows the scheme and each figure shows the image of that scheme (the
    drawings' colours against the text's are tests/test_figures.py's)."""
    viewport = DESKTOP if device == "desktop" else PHONE
    phone = device == "phone"
    context, recorder = open_context(viewport=viewport, color_scheme=scheme, is_mobile=phone, has_touch=phone)
    page = visit(context, base_url + NOTES_4)
    assert scheme_of(page) == SCHEMES[scheme]
    body = page.evaluate(CONTRAST_JS, page.locator("body").element_handle())
    assert (body["bg"] > 0.8) if scheme == "light" else (body["bg"] < 0.05), f"body background luminance {body['bg']:.2f} in {scheme}"
    figures = page.locator("article figure:has(img.figure-img)")
    assert figures.count() > 0, "no figure on the §4 notes page"
    assert figure_image_problems(page) == []
    for i in range(figures.count()):
        # The figure's box stays on screen.
        box = figures.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1, f"figure {i + 1} overflows the screen"

    folder = artifacts / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"notes-04-{scheme}-{device}"
    page.screenshot(path=str(folder / f"{stem}-top.png"), animations="disabled")
    shots = {f"figure-{i + 1}": figures.nth(i) for i in range(figures.count())}
    shots |= {kind: page.locator(f"article .{kind}").first for kind in ("analogy", "annotation", "selfcheck")}
    # Scroll down only, in page order: scrolling up would bring up Material's "Back to top".
    tops = {name: t.evaluate("e => e.getBoundingClientRect().top + window.scrollY") for name, t in shots.items() if t.count()}
    for name, top in sorted(tops.items(), key=lambda kv: kv[1]):
        page.evaluate("(y) => window.scrollTo(0, y)", max(0, top - 80))  # clear of the sticky header
        page.wait_for_timeout(400)  # let the header's title settle
        page.screenshot(path=str(folder / f"{stem}-{name}.png"), animations="disabled")
    assert_clean(recorder)
