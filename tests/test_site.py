"""The built site, as a reader's browser receives it: assertions on the HTML."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path
from urllib.parse import urlparse


from conftest import ROOT

from scripts import glossary as glossary_mod
from scripts import site as site_model
from scripts.bibliography import load as load_bib


def nav_pages() -> list[str]:
    """The nav's Markdown pages, in reading order (scripts/site.py: MkDocs' own nav)."""
    return site_model.load().sources


def html_of(site: Path, page: str) -> str:
    dest = {p.src: p.dest for p in site_model.load().pages}[page]
    return (site / dest).read_text(encoding="utf-8")


NOTES = [p for p in nav_pages() if p.startswith("notes/")]
LOADED = re.compile(r"""<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc=["']([^"']+)|<link\b[^>]*\bhref=["']([^"']+)""", re.I)
CSS_URL = re.compile(r"""@import\s+(?:url\()?["']?([^"')\s;]+)|url\(\s*["']?([^"')]+)""", re.I)


def test_every_nav_page_is_built(site):
    for page in nav_pages():
        assert "<article" in html_of(site, page), page
    assert len(NOTES) == 6


def test_palette_toggle_and_search_are_present(site):
    html = html_of(site, "index.md")
    toggles = re.findall(r'<label class="md-header__button md-icon" title="([^"]+)" for="__palette_\d"', html)
    assert toggles == ["Switch to light mode", "Switch to dark mode", "Switch to system preference"]
    assert 'data-md-color-media="(prefers-color-scheme: dark)"' in html
    assert 'class="md-search__input"' in html
    assert (site / "search" / "search_index.json").stat().st_size > 10_000


def _is_foreign(url: str) -> bool:
    if url.startswith(("data:", "#", "blob:")):
        return False
    parsed = urlparse(url)
    return bool(parsed.scheme or parsed.netloc) and parsed.hostname not in ("127.0.0.1", "localhost")


def test_nothing_is_loaded_from_another_host(site):
    offenders = []
    for path in site.rglob("*"):
        if path.suffix == ".html":
            for m in LOADED.finditer(path.read_text(encoding="utf-8")):
                tag_url = m.group(1) or m.group(2)
                # <link rel=canonical/alternate> are not loaded; only stylesheets, icons, preloads are
                if m.group(2):
                    tag = path.read_text(encoding="utf-8")[m.start() : m.start() + 200]
                    if re.search(r'rel="(canonical|alternate|prev|next)"', tag):
                        continue
                if _is_foreign(tag_url):
                    offenders.append(f"{path.relative_to(site)}: {tag_url}")
        elif path.suffix in (".css", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".css":
                for m in CSS_URL.finditer(text):
                    if _is_foreign(m.group(1) or m.group(2)):
                        offenders.append(f"{path.relative_to(site)}: {m.group(0)}")
    assert offenders == []
    assert "fonts.googleapis.com" not in html_of(site, "index.md")


def test_notes_pages_follow_the_template(site):
    for page in NOTES:
        html = html_of(site, page)
        assert 'id="in-one-paragraph"' in html, page
        assert 'id="key-takeaways"' in html, page
        assert 'id="terms-on-this-page"' in html, page
        assert 'id="self-check"' in html, page
        # the point of the page first, then the reference lists (tests/test_reading_order.py)
        assert html.index('id="key-takeaways"') < html.index('id="self-check"') < html.index('id="terms-on-this-page"') < html.index('id="references"'), page
        assert html.count('<details class="selfcheck"') >= 4, page
        assert 'class="page-facts"' in html, page


def test_glossary_page_lists_every_entry_with_citation_and_used_in(site):
    gloss = glossary_mod.load(ROOT / "docs" / "glossary.yml")
    html = html_of(site, "glossary.md")
    for entry in gloss.entries:
        assert f'<h3 id="{entry.id}">' in html, entry.id
        block = html[html.index(f'<h3 id="{entry.id}">') :].split("<h3", 2)[1]
        assert re.search(r"<em>Introduced:</em> \(<a class=\"cite\" id=\"cite-\d+\" href=\"#ref-[\w-]+\"[^>]*>[A-Z][^()<]* \d{4}[a-z]?(, [a-z]+\. [^<]+)?</a>(; [^()]*)?\)", block), entry.id
        assert "Used in:" in block, f"{entry.id} has no 'Used in' list"
    assert len(gloss.entries) >= 23
    assert sum(1 for e in gloss.entries if e.group in {"1", "2", "3", "4"}) == 23


def test_used_in_links_lead_to_headings_that_link_the_term(site):
    """Each "Used in" link lands on a heading of a page that links the entry below it."""
    html = html_of(site, "glossary.md")
    checked = 0
    for entry_id, block in re.findall(r'<h3 id="([a-z0-9-]+)">.*?<div class="gloss-used"><p>(.*?)</p></div>', html, re.S):
        for href in re.findall(r'<a href="([^"]+)"', block):
            path, _, anchor = href.partition("#")
            assert path.startswith("../"), (entry_id, href)
            target = (site / "glossary" / path / "index.html").resolve().read_text(encoding="utf-8")
            target = target[target.index("<article") :]
            start = target.index(f'id="{anchor}"') if anchor else 0  # no anchor: above the first section
            following = re.search(r"<h2[ >]", target[start + 1 :])
            section = target[start : start + 1 + following.start() if following else len(target)]
            assert f'glossary/#{entry_id}"' in section, (entry_id, href)
            checked += 1
    assert checked > 100


def test_search_indexes_the_notes_not_the_repeated_lists(site):
    """Terms lists, reference lists, "Used in" lists and drawings are not searched: they
    repeat on every page and would bury the notes themselves."""
    import json

    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    assert not [loc for loc in locations if loc.endswith(("#terms-on-this-page", "#references"))]
    assert not [doc["location"] for doc in index["docs"] if "Used in:" in doc["text"] or "<svg" in doc["text"]]
    assert "glossary/#deceptive-alignment" in locations
    assert any(loc.startswith("notes/04-deceptive-alignment/#sec-4") for loc in locations)
    for page in nav_pages():  # and every slot the build leaves is filled
        assert "<!-- used-in:" not in html_of(site, page) and "<!-- terms-on-this-page -->" not in html_of(site, page), page


def test_glossary_links_carry_hover_definitions(site):
    """Each glossary link names its entry; the page holds that entry's definition once."""
    gloss = glossary_mod.load(ROOT / "docs" / "glossary.yml").by_id
    for page in NOTES + ["summary.md", "since-the-paper.md"]:
        html = html_of(site, page)
        links = re.findall(r'<a class="gloss" href="(?:\.\./)*glossary/#([a-z-]+)">', html)
        assert len(links) > 5, page
        listed = re.findall(r'<dt><a class="gloss-listed" href="(?:\.\./)*glossary/#([a-z-]+)">[^<]+</a></dt>\n<dd>([^<]+)</dd>', html)
        hidden = re.findall(r'<span class="gloss-def" data-gloss-id="([a-z-]+)" data-gloss-term="[^"]+" hidden>([^<]+)</span>', html)
        ids = [i for i, _ in listed + hidden]
        assert len(ids) == len(set(ids)), f"{page}: a definition appears twice on the page"
        defs = dict(listed + hidden)
        for entry_id in links:
            assert defs[entry_id] == html_lib.escape(gloss[entry_id].plain_definition, quote=True), entry_id


def test_citations_render_with_locators_and_page_references(site):
    html = html_of(site, "notes/03-the-inner-alignment-problem.md")
    assert re.search(r'\(<a class="cite" id="cite-\d+" href="#ref-hubinger2019risks">Hubinger et al\. 2019a, sec\. 3\.1</a>\)', html)
    refs = html[html.index('id="references"') :]
    assert '<li id="ref-hubinger2019risks">' in refs
    assert "Risks from Learned Optimization in Advanced Machine Learning Systems" in refs
    assert "footnote-ref" not in html and "<sup id=\"fnref" not in html


def test_code_is_never_a_citation(site):
    html = html_of(site, "contributing/conventions.md")
    assert "[@hubinger2019risks, sec. 3.1]" in html  # shown literally, inside <code>
    assert 'id="references"' not in html


def test_bibliography_page_groups_every_entry(site):
    bib = load_bib(ROOT / "docs" / "references.bib")
    html = html_of(site, "bibliography.md")
    for group in ("paper", "cited", "later"):
        assert f'<h2 id="{group}">' in html
    for key in bib.data.entries:
        assert f'id="ref-{key}"' in html, key
    assert html.count('class="bib-entry"') == len(bib.data.entries)
    assert 'href="https://doi.org/10.48550/arXiv.1906.01820"' in html


def test_figures_are_images_with_alt_text_one_per_colour_scheme(site):
    for page, figure in (("notes/01-introduction.md", "figure-1"), ("notes/03-the-inner-alignment-problem.md", "figure-2"), ("notes/04-deceptive-alignment.md", "figure-3")):
        html = html_of(site, page)
        block = re.search(rf'<figure id="{figure}">(.*?)</figure>', html, re.S)
        assert block, f"{page}: no <figure id=\"{figure}\">"
        images = re.findall(r'<img class="figure-img" src="[^"]*/assets/figures/([\w-]+)\.svg#only-(light|dark)" alt="([^"]{20,})" width="\d+" height="\d+"', block.group(1))
        assert [(name, scheme) for name, scheme, _ in images] == [(figure, "light"), (figure, "dark")], f"{page}: {figure} is not two images with alt text: {images}"
        assert images[0][2] == images[1][2]
        assert "<svg" not in block.group(1) and "<figcaption" in block.group(1), f"{page}: {figure} has inline SVG or no caption"
        drawing = (site / "assets" / "figures" / f"{figure}.svg").read_text(encoding="utf-8")
        assert '<g id="only-light"/><g id="only-dark"/>' in drawing and "svg:has(#only-dark:target)" in drawing, f"{figure}.svg: not the site's version"


def test_edit_this_page_points_at_the_source(site):
    html = html_of(site, "notes/01-introduction.md")
    assert 'href="https://github.com/mesa-notes/risks-from-learned-optimization/edit/main/docs/notes/01-introduction.md"' in html


def test_no_markdown_leaks_into_pages(site):
    """Citations, footnotes and links are all rendered; none shows up as raw Markdown."""
    leaks = []
    for path in site.rglob("*.html"):
        text = re.sub(r"<(code|pre)\b.*?</\1>", "", path.read_text(encoding="utf-8"), flags=re.S)
        for marker in ("[@", "[^", "](../", "!!! ", "??? "):
            if marker in text:
                leaks.append(f"{path.relative_to(site)}: {marker}")
    assert leaks == []
