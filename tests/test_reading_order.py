"""The order a notes page reads in, and the callouts' text and badges (issue 13).

Every notes page ends with "Key takeaways", then "Self-check" (all of the page's
self-checks, under one heading), then the folded "Terms on this page" list and the
references. No reader page uses our working word "seed". In a real Chromium, callout text
is as large as body text, and a callout's badge sits on its title's line or cleanly under
it. Screenshots of §4's end and of a long-titled callout go to test-artifacts/reading-order/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest

from browser_helpers import DESKTOP, PHONE, ROOT, Recorder, nav_files, page_url

NOTES = [f for f in nav_files() if f.startswith("notes/")]
READER_PAGES = [f for f in nav_files() if not f.startswith("contributing/")]
SEED = re.compile(r"\bseeds?\b", re.IGNORECASE)
BADGED = re.compile(r"^(?:!!!|\?\?\?\+?) (?:analogy|annotation)\b", re.MULTILINE)  # the callouts with a voice badge
BADGED_PAGES = [f for f in READER_PAGES if BADGED.search((ROOT / "docs" / f).read_text(encoding="utf-8"))]
ORDER = ["key-takeaways", "self-check", "terms-on-this-page", "references"]


def built(site: Path, md_file: str) -> Path:
    return site / page_url(md_file) / "index.html"


def article_of(site: Path, md_file: str):
    root = lxml.html.parse(str(built(site, md_file))).getroot()
    found = root.xpath('//article[contains(concat(" ", normalize-space(@class), " "), " md-content__inner ")]')
    assert found, f"{md_file}: no article in the built page"
    return found[0]


def has_class(name: str) -> str:
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


# --------------------------------------------------------------------------- built HTML


@pytest.mark.parametrize("md_file", NOTES)
def test_takeaways_then_self_check_then_terms(site: Path, md_file: str):
    """The point of the page (takeaways, self-checks) comes before the reference lists."""
    h2s = [h.get("id") for h in article_of(site, md_file).iter("h2")]
    missing = [anchor for anchor in ORDER[:3] if anchor not in h2s]
    assert not missing, f"{md_file}: no h2 for {missing}; sections are {h2s}"
    present = [anchor for anchor in h2s if anchor in ORDER]
    assert present == [a for a in ORDER if a in present], f"{md_file}: the page ends {present}, not {ORDER}"
    tail = h2s[h2s.index("key-takeaways") :]
    assert tail[: len(present)] == present, f"{md_file}: sections after Key takeaways: {tail}"


@pytest.mark.parametrize("md_file", NOTES)
def test_one_self_check_section_holds_every_self_check(site: Path, md_file: str):
    article = article_of(site, md_file)
    headings = [h for h in article.iter("h2") if h.get("id") == "self-check"]
    assert len(headings) == 1, f"{md_file}: {len(headings)} h2#self-check headings"
    assert " ".join(headings[0].text_content().split()).rstrip("¶ ") == "Self-check"
    inside = []
    for sibling in headings[0].itersiblings():
        if sibling.tag == "h2":
            break
        inside += sibling.xpath(f"self::details[{has_class('selfcheck')}] | .//details[{has_class('selfcheck')}]")
    every = article.xpath(f".//details[{has_class('selfcheck')}]")
    written = len(re.findall(r"^\?\?\?\+? selfcheck\b", (ROOT / "docs" / md_file).read_text(encoding="utf-8"), re.MULTILINE))
    assert len(every) == written >= 4, f"{md_file}: {len(every)} self-checks built, {written} written"
    assert len(inside) == len(every), f"{md_file}: {len(every) - len(inside)} self-checks outside the Self-check section"


@pytest.mark.parametrize("md_file", NOTES)
def test_terms_list_is_folded_and_holds_each_definition_once(site: Path, md_file: str):
    """Folded on the web, so it stays one line high; each hover-card definition is on the page once."""
    article = article_of(site, md_file)
    heading = article.xpath('.//h2[@id="terms-on-this-page"]')[0]
    block = heading.getnext()
    assert block.tag == "details" and "gloss-terms" in block.get("class", "").split(), f"{md_file}: the terms list is a <{block.tag}>"
    assert block.get("open") is None, f"{md_file}: the terms list is open"
    listed = [a.get("href").rpartition("#")[2] for a in block.xpath(".//dt/a[@href]") if a.getparent().getnext() is not None and a.getparent().getnext().tag == "dd"]
    assert listed and len(block.xpath(".//dt")) == len(listed) == len(block.xpath(".//dd")), f"{md_file}: a term without its link or definition"
    hidden = article.xpath(f"//span[{has_class('gloss-def')}]/@data-gloss-id")
    everywhere = listed + hidden
    assert sorted(everywhere) == sorted(set(everywhere)), f"{md_file}: a definition is on the page twice"
    linked = {a.get("href").rpartition("#")[2] for a in article.xpath('.//a[contains(concat(" ", normalize-space(@class), " "), " gloss ")]')}
    assert linked <= set(everywhere), f"{md_file}: hover cards without a definition: {sorted(linked - set(everywhere))}"


def test_no_reader_page_says_seed(site: Path):
    """"Seed" is our working word for the source texts we were given; readers never see it."""
    found = []
    for md_file in READER_PAGES:
        article = article_of(site, md_file)
        for bad in article.xpath(".//script | .//style"):
            bad.getparent().remove(bad)
        text = " ".join(article.text_content().split())
        found += [f"{md_file}: …{text[max(0, m.start() - 50) : m.end() + 50]}…" for m in SEED.finditer(text)]
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    found += [f"search index, {doc['location']}" for doc in index["docs"]
              if not doc["location"].startswith("contributing/") and SEED.search(doc["title"] + " " + doc["text"])]
    assert not found, "\n".join(found)


def test_pdf_lists_terms_without_their_definitions(site: Path):
    """The book prints the definitions once, in its Glossary chapter: each chapter's
    "Terms on this page" is the terms alone, linked to their entries. Each analogy's
    label says whose it is, as the web badge does."""
    from scripts import pdf

    html, chapters = pdf.book_html(site)
    book = lxml.html.fromstring(html)
    for chapter in chapters:
        if not chapter.src.startswith("notes/"):
            continue
        section = book.xpath(f'//section[@id="{chapter.slug}"]')[0]
        heading = section.xpath(f'.//h2[@id="{chapter.slug}--terms-on-this-page"]')
        assert heading, f"{chapter.src}: no Terms on this page in the book"
        listing = heading[0].getnext().getnext()
        assert listing.tag == "ul" and "terms-compact" in listing.get("class", ""), f"{chapter.src}: the terms list is a <{listing.tag}>"
        hrefs = listing.xpath("./li/a/@href")
        assert hrefs and all(h.startswith("#glossary--") for h in hrefs), f"{chapter.src}: {hrefs[:3]}"
        assert not section.xpath(f".//*[{has_class('gloss-def')}]"), f"{chapter.src}: definitions printed in the chapter"
        for callout in section.xpath(f".//div[{has_class('analogy')}]"):
            label = " ".join(callout.xpath(f"./p[{has_class('callout-kind')}]")[0].text_content().split())
            wanted = "⇄ Analogy" if "paper" in callout.get("class").split() else "⇄ Analogy · ours"
            assert label == wanted, f"{chapter.src}: an analogy labelled {label!r}, not {wanted!r}"


# --------------------------------------------------------------------------- browser

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in requirements.txt: run `make setup`")
NOTES_3, NOTES_4 = page_url("notes/03-the-inner-alignment-problem.md"), page_url("notes/04-deceptive-alignment.md")
LONG_TITLE = "Our reading: why the time penalty, not the length penalty, is double-edged"  # on §3, with a badge
MIN_PX = 15


@pytest.fixture
def open_page(browser):
    """Open a URL in a fresh context that records requests and errors; fail on either."""
    made = []

    def make(url: str, viewport=DESKTOP, color_scheme="light"):
        phone = viewport["width"] < 600
        context = browser.new_context(viewport=viewport, color_scheme=color_scheme, is_mobile=phone, has_touch=phone)
        context.set_default_timeout(10_000)
        recorder = Recorder()
        recorder.attach(context)
        made.append((context, recorder))
        page = context.new_page()
        response = page.goto(url, wait_until="networkidle")
        assert response is not None and response.status == 200, f"{url}: HTTP {response and response.status}"
        return page

    yield make
    for context, recorder in made:
        context.close()
        assert not recorder.problems(), recorder.problems()


# Font sizes of the text inside callouts: every element that holds text directly.
CALLOUT_TEXT_JS = """() => {
    const out = [];
    const bodyCode = document.querySelector('article > p code');
    const bodyCodePx = bodyCode ? parseFloat(getComputedStyle(bodyCode).fontSize) : 0;
    for (const callout of document.querySelectorAll('article .admonition, article details')) {
        for (const el of callout.querySelectorAll('*')) {
            if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
            if (el.closest('svg, sub, sup')) continue;  // drawings, and sub- and superscripts (O_base, citation marks)
            const px = parseFloat(getComputedStyle(el).fontSize);
            const isCode = !!el.closest('code, kbd, pre');
            out.push({tag: el.tagName.toLowerCase(), cls: callout.className, px, isCode, text: el.textContent.trim().slice(0, 40)});
        }
    }
    return {out, bodyCodePx};
}"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
@pytest.mark.parametrize("md_file", NOTES + ["index.md"], ids=lambda f: f.split("/")[-1].removesuffix(".md"))
def test_callout_text_is_at_least_15px(open_page, base_url: str, md_file: str, viewport):
    """Titles, paragraphs, lists and tables in callouts are at least 15 px; code is not
    smaller than code in the body text."""
    page = open_page(base_url + page_url(md_file), viewport=viewport)
    found = page.evaluate(CALLOUT_TEXT_JS)
    assert found["out"], f"{md_file}: no callout text found"
    small = [t for t in found["out"] if not t["isCode"] and t["px"] < MIN_PX]
    small += [t for t in found["out"] if t["isCode"] and found["bodyCodePx"] and t["px"] < found["bodyCodePx"] - 0.1]
    assert not small, f"{md_file} at {viewport['width']} px: text under {MIN_PX} px in callouts: {small[:5]}"


# Where a title's badge (its ::after) is, relative to the title's own text.
BADGE_JS = """(title) => {
    const after = getComputedStyle(title, '::after');
    const badge = (after.content || '').replace(/^["']|["']$/g, '');
    if (!badge || badge === 'none' || badge === 'normal' || after.display === 'none') return null;  // none, or a chevron
    const cs = getComputedStyle(title);
    const range = document.createRange();
    range.selectNodeContents(title);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    const box = title.getBoundingClientRect();
    return {
        badge, title: title.textContent.trim(), display: after.display,
        marginLeft: parseFloat(after.marginLeft), badgeHeight: parseFloat(after.height), lineHeight: parseFloat(cs.lineHeight),
        textLeft: Math.min(...rects.map(r => r.left)), textBottom: Math.max(...rects.map(r => r.bottom)),
        contentLeft: box.left + parseFloat(cs.paddingLeft), contentBottom: box.bottom - parseFloat(cs.paddingBottom),
    };
}"""


def badge_problem(b: dict) -> str | None:
    """None if the badge is on the title's (last) line, or on its own line aligned with the title's text."""
    below = b["contentBottom"] - b["textBottom"]
    if b["display"].startswith("inline"):
        if below < b["lineHeight"] / 2:
            return None  # on the title's line
        return f"wrapped onto a line of its own ({b['display']}, {b['marginLeft']:.1f} px from the text's edge)"
    left = b["contentLeft"] + b["marginLeft"]
    if abs(left - b["textLeft"]) <= 1 and below >= b["badgeHeight"] - 1:
        return None  # under the title, aligned with its text
    return f"under the title but {left - b['textLeft']:.1f} px off its text's edge, or overlapping it"


def test_long_title_badge_sits_on_its_line_or_under_it(open_page, base_url: str):
    """At 390 px a long title wraps; its badge then sits under it, aligned with its text."""
    page = open_page(base_url + NOTES_3, viewport=PHONE)
    title = page.locator("article .admonition-title", has_text=LONG_TITLE)
    assert title.count() == 1, f"the long-titled callout ({LONG_TITLE!r}) is not on §3"
    badge = title.evaluate(BADGE_JS)
    assert badge, "the long-titled annotation has no badge"
    assert badge["textBottom"] - title.bounding_box()["y"] > 2 * badge["lineHeight"], "the title does not wrap at 390 px"
    problem = badge_problem(badge)
    assert problem is None, f"badge '{badge['badge']}': {problem}"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_badges_never_repeat_their_titles(open_page, base_url: str, viewport):
    """On every page with our callouts, each badge is placed cleanly and says something its title does not."""
    problems = []
    for md_file in BADGED_PAGES:
        page = open_page(base_url + page_url(md_file), viewport=viewport)
        for badge in page.locator("article .admonition > .admonition-title, article details > summary").evaluate_all(f"ts => ts.map({BADGE_JS})"):
            if badge is None:
                continue
            title, said = badge["title"].lower(), badge["badge"].lower()
            if said in title or any(p in title for p in ("(ours)", "not the paper", "not in the paper")):
                problems.append(f"{md_file}: title {badge['title']!r} repeats its badge {badge['badge']!r}")
            placed = badge_problem(badge)
            if placed:
                problems.append(f"{md_file}: badge of {badge['title']!r}: {placed}")
        page.context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_end_of_a_page(open_page, base_url: str, artifacts: Path, scheme: str, viewport):
    """For people to look at: §4 from Key takeaways to the references (terms folded, then
    opened), and a callout with a long title, in test-artifacts/reading-order/."""
    folder = artifacts / "reading-order"
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{scheme}-{viewport['width']}"
    page = open_page(base_url + NOTES_4, viewport=viewport, color_scheme=scheme)
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == expected

    # What a reader sees scrolling down (never up, which would bring up "Back to top"):
    # each section heading just below the sticky header.
    for number, anchor in enumerate(ORDER[:3], 1):
        top = page.locator(f"article h2#{anchor}").evaluate("e => e.getBoundingClientRect().top + window.scrollY")
        page.evaluate("(y) => window.scrollTo(0, y)", max(0, top - 80))
        page.wait_for_timeout(300)  # let the header's title settle
        page.screenshot(path=str(folder / f"notes-04-end-{number}-{anchor}-{stem}.png"), animations="disabled")
    terms = page.locator("article details.gloss-terms")
    terms.locator("summary").click()
    page.wait_for_function("() => document.querySelector('article details.gloss-terms').open")
    page.wait_for_timeout(300)
    page.screenshot(path=str(folder / f"notes-04-end-4-terms-opened-{stem}.png"), animations="disabled")
    long_page = open_page(base_url + NOTES_3, viewport=viewport, color_scheme=scheme)
    callout = long_page.locator("article .admonition", has=long_page.locator(".admonition-title", has_text=LONG_TITLE))
    callout.screenshot(path=str(folder / f"long-title-callout-{stem}.png"), animations="disabled")
