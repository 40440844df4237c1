"""Citations and references as readers meet them (issue: citations that read like a
well-made book): the plain functions, the built HTML of every page, and the cards in a
real browser. The PDF's side is in tests/test_pdf.py."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from browser_helpers import built_pages
from leaks import leaks_in
from scripts import citations, locators, references
from scripts.references import Reference

# --------------------------------------------------------------------------- locators


@pytest.mark.parametrize(
    "written, printed",
    [
        ("sec. 3.2", ("sec.", "3.2")),
        ("secs. 3.1-3.3", ("secs.", "3.1–3.3")),
        ("pp. 12--15, 20", ("pp.", "12–15, 20")),
        ("fig. 3", ("fig.", "3")),
        ("chap. 8", ("chap.", "8")),
        ("sect 3", None),
        ("sec 3", None),
        ("page 4", None),
        ("sec. three", None),
        ("", None),
    ],
)
def test_locator_forms(written, printed):
    assert locators.parse(written) == printed


def test_several_places_of_one_work_share_their_label():
    assert locators.join(["sec. 3.2", "sec. 3.3"]) == "sec. 3.2, 3.3"
    assert locators.join(["sec. 4", "fig. 3", "sec. 4"]) == "sec. 4, fig. 3"
    assert locators.join([]) == ""


def test_a_long_locator_cannot_hang_the_parser():
    assert locators.parse("sec. " + "1." * 5000 + "x") is None
    assert locators.parse("sec. " + "1, " * 3000) is None


# --------------------------------------------------------------------------- rendering

REFS = {
    "hubinger2019risks": Reference("hubinger2019risks", "Hubinger et al.", " ", "2019a", "Hubinger, Evan. 2019a. <em>Risks</em>."),
    "hubinger2019afpost2": Reference("hubinger2019afpost2", "Hubinger et al.", " ", "2019c", "Hubinger, Evan. 2019c. <em>Conditions</em>."),
    "soares2015corrigibility": Reference("soares2015corrigibility", "Soares et al.", " ", "2015", "Soares, Nate. 2015. “Corrigibility.”"),
    "chealndmeta": Reference("chealndmeta", "Cheal", ", ", "n.d.", "Cheal, Joe. n.d. <em>Meta</em>."),
}


def test_one_citation_with_several_places_and_works():
    page = citations.PageCitations()
    md = "A claim [@hubinger2019risks, sec. 3.2; @hubinger2019risks, sec. 3.3; @soares2015corrigibility]."
    html = citations.render_citations(md, REFS, page)
    assert html == (
        'A claim (<a class="cite" id="cite-1" href="#ref-hubinger2019risks">Hubinger et al. 2019a, sec. 3.2, 3.3</a>; '
        '<a class="cite" id="cite-2" href="#ref-soares2015corrigibility">Soares et al. 2015</a>).'
    )
    assert page.by_key == {"hubinger2019risks": ["cite-1"], "soares2015corrigibility": ["cite-2"]}


def test_an_author_printed_once_for_two_of_their_works():
    page = citations.PageCitations()
    html = citations.render_citations("[@hubinger2019risks, sec. 4; @hubinger2019afpost2] and [@chealndmeta]", REFS, page)
    assert ">Hubinger et al. 2019a, sec. 4</a>; <a" in html and 'href="#ref-hubinger2019afpost2">2019c</a>)' in html
    assert ">Cheal, n.d.</a>)" in html


def test_code_unknown_keys_and_links_are_not_citations():
    page = citations.PageCitations()
    md = "Code `[@hubinger2019risks]`, a link [@x](https://e.org), unknown [@zz2020q], mail me@example.org.\n\n```\n[@soares2015corrigibility]\n```\n"
    html = citations.restore_code(citations.render_citations(citations.protect_code(md), REFS, page))
    assert html == md
    assert page.order == []


def test_references_list_in_bibliography_order_with_back_links():
    page = citations.PageCitations()
    citations.render_citations("[@soares2015corrigibility] [@hubinger2019risks, sec. 1] [@hubinger2019risks, sec. 2]", REFS, page)
    block = citations.references_list(page, REFS)
    assert block.startswith("## References { #references data-search-exclude }\n")
    assert block.index('id="ref-hubinger2019risks"') < block.index('id="ref-soares2015corrigibility"')
    assert '<span class="sr-only">Back to its citations:</span> <a href="#cite-2">a</a> <a href="#cite-3">b</a></span>' in block
    assert '<a class="ref-back" href="#cite-1" aria-label="Back to the citation">↩</a>' in block
    assert citations.references_list(citations.PageCitations(), REFS) == ""


def test_back_link_letters_go_past_z():
    assert [citations.letters(i) for i in (0, 25, 26, 27, 701, 702)] == ["a", "z", "aa", "ab", "zz", "aaa"]


def test_cited_in_links_each_place_and_folds_a_long_list():
    places = [citations.Place("notes/01.md", "§1", "1.1", "cite-3"), citations.Place("notes/01.md", "§1", "1.3", "cite-9")]
    html = citations.cited_in(places, lambda src: "../notes/01/")
    assert html == '<p class="cited-in">Cited in: §1 › <a href="../notes/01/#cite-3">1.1</a>, <a href="../notes/01/#cite-9">1.3</a></p>'
    many = [citations.Place(f"p{i % 3}.md", f"P{i % 3}", f"h{i}", f"cite-{i}") for i in range(12)]
    folded = citations.cited_in(many, lambda src: src)
    assert folded.startswith('<details class="cited-in"><summary>Cited in 12 places on 3 pages</summary>')
    assert citations.cited_in([], str) == '<p class="cited-in">Not cited in these notes.</p>'


def test_places_are_read_from_the_built_html():
    html = (
        '<h2 id="in-one-paragraph">In one paragraph<a class="headerlink" href="#x">¶</a></h2>'
        '<a class="cite" id="cite-1" href="#ref-a2020b">A</a><a class="cite" id="cite-2" href="#ref-a2020b">A</a>'
        '<h2 id="sec-3-2">3.2 The task</h2><a class="cite" id="cite-3" href="#ref-a2020b">A</a>'
    )
    found = citations.places_in(html, "notes/03.md", "§3")
    assert [(p.heading, p.cite_id) for p in found["a2020b"]] == [("In one paragraph", "cite-1"), ("3.2", "cite-3")]


# --------------------------------------------------------------------------- formatting


def test_pandoc_markup_and_unsafe_html_never_survive():
    root = lxml.html.fragment_fromstring(
        '<div><p><span class="nocase">Goodhart’s</span> RL<span class="math inline"><sup>2</sup></span> '
        '<a href="javascript:alert(1)" onclick="x()">bad</a> <script>alert(1)</script>'
        '<a href="https://e.org/a_b" class="uri">https://e.org/a\\_b</a> <img src="https://evil.example/x.png"></p></div>'
    )
    html = references.inner_html(references.sanitize(root))
    assert html == 'Goodhart’s RL<sup>2</sup> bad <a href="https://e.org/a_b">https://e.org/a_b</a>'


def test_year_suffixes_follow_the_bib_order_once_for_the_book():
    from pybtex.database import BibliographyData, Entry

    data = BibliographyData({k: Entry("misc", {"title": k}) for k in ("paper", "post", "other", "nd1", "nd2")})
    inline = {"paper": "(Hubinger et al. 2019)", "post": "(Hubinger et al. 2019)", "other": "(Soares 2015)", "nd1": "(Cheal, n.d.)", "nd2": "(Cheal, n.d.)"}
    refs = {k: f"Name. {'n.d.' if k.startswith('nd') else '2019'}. *{k}*." for k in inline}
    fake = lambda pieces: {k: v.replace("*", "") for k, v in pieces.items()}  # noqa: E731 (no pandoc here)
    built = references.build(data, inline, refs, convert=fake)
    assert [built[k].label for k in ("paper", "post", "other", "nd1", "nd2")] == [
        "Hubinger et al. 2019a", "Hubinger et al. 2019b", "Soares 2015", "Cheal, n.d.-a", "Cheal, n.d.-b"]
    assert built["post"].html.startswith("Name. 2019b. post.")
    assert built["nd2"].html.startswith("Name. n.d.-b. nd2.")


def test_contract_with_mkdocs_bibtex(tmp_path: Path):
    """The adapter's reach into mkdocs-bibtex: its registry still formats every entry and
    still keeps its caches where scripts/references.py reads them."""
    from mkdocs_bibtex.registry import PandocRegistry

    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@misc{wheaton2023deceptive, author = {Wheaton, David}, title = {Deceptive Alignment is <1\\% Likely by Default},"
        " year = {2023}, url = {https://example.org/w_1}}\n"
        "@misc{hubinger2019a, author = {Hubinger, Evan and Skalse, Joar and Garrabrant, Scott}, title = {One}, year = {2019}, url = {https://example.org/1}}\n"
        "@misc{hubinger2019b, author = {Hubinger, Evan and Skalse, Joar and Garrabrant, Scott}, title = {Two}, year = {2019}, url = {https://example.org/2}}\n",
        encoding="utf-8",
    )
    registry = PandocRegistry([str(bib)], citations.csl_path(), None)
    refs = references.load(registry, bib, tmp_path / "cache")
    assert refs["wheaton2023deceptive"].html == (
        'Wheaton, David. 2023. <em>Deceptive Alignment Is &lt;1% Likely by Default</em>. <a href="https://example.org/w_1">https://example.org/w_1</a>.'
    )
    assert (refs["hubinger2019a"].label, refs["hubinger2019b"].label) == ("Hubinger et al. 2019a", "Hubinger et al. 2019b")
    assert len(list((tmp_path / "cache").glob("references-*.json"))) == 1
    again = references.load(type("NoPandoc", (), {"csl_file": registry.csl_file})(), bib, tmp_path / "cache")
    assert again == refs  # from the cache: no registry, no pandoc
    # Each private access of scripts/references.py, named, against the real plugin:
    assert type(registry).__dict__["bib_data_bibtex"].__class__.__name__ == "cached_property"  # PRIVATE 1
    assert registry._inline_cache["[@hubinger2019a]"] == "(Hubinger et al. 2019)"  # PRIVATE 2: before our suffixes
    assert list(references.entries_of(registry).entries) == ["wheaton2023deceptive", "hubinger2019a", "hubinger2019b"]


def test_the_adapter_fails_loudly_when_the_plugin_formats_nothing(tmp_path: Path):
    """A plugin version that stops filling what the adapter reads is an error, not empty labels."""
    from mkdocs_bibtex.registry import PandocRegistry

    class Silent(PandocRegistry):
        def validate_citation_blocks(self, citation_blocks):  # formats nothing
            pass

    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{one, author = {Doe, Jane}, title = {One}, year = {2020}}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="formatted no label or reference for one"):
        references.format_with_bibtex(Silent([str(bib)], citations.csl_path(), None), bib)


# --------------------------------------------------------------------------- the built site

LABEL_AND_PLACE = re.compile(r"(.*?(?:\d{4}[a-z]?|n\.d\.(?:-[a-z])?))(?:, (.*))?$")  # as cards.js reads a citation


def page_text(path: Path) -> str:
    """What a reader reads on a built page: the article's text, code left out."""
    doc = lxml.html.fromstring(path.read_text(encoding="utf-8"))
    article = doc.find(".//article")
    assert article is not None, path
    for code in article.xpath(".//code | .//pre | .//kbd"):
        code.drop_tree()
    return article.text_content()


def test_no_markup_or_working_words_on_any_page(site: Path):
    found = []
    for url in built_pages(site):
        found += leaks_in(page_text(site / url / "index.html"), f"/{url}")
    assert not found, "\n".join(found)


def test_the_leak_test_can_fail():
    assert leaks_in("see ([Hubinger et al.]{.nocase} 2024), pp. 102--16, RL$^2$ and Reframing\\_Super", "x") != []
    assert len(leaks_in("**bold [@key] !!! note { #id } [^1] \\& seed", "x")) == 7


def labels_and_keys(site: Path) -> dict[str, set[str]]:
    """Label as printed -> the keys its citations link to, over every built page."""
    found: dict[str, set[str]] = {}
    for url in built_pages(site):
        html = (site / url / "index.html").read_text(encoding="utf-8")
        for href, text in re.findall(r'<a class="cite" id="cite-\d+" href="#ref-([\w:-]+)">(.*?)</a>', html):
            label = LABEL_AND_PLACE.match(re.sub(r"<[^>]+>", "", text)).group(1)
            found.setdefault(label, set()).add(href)
    return found


def test_one_label_one_work_everywhere(site: Path):
    shared = {label: keys for label, keys in labels_and_keys(site).items() if len(keys) > 1 and not re.fullmatch(r"\d{4}[a-z]?|n\.d\.(-[a-z])?", label)}
    assert not shared, f"labels naming several works: {shared}"
    html = (site / "bibliography" / "index.html").read_text(encoding="utf-8")
    entries = re.findall(r'<div class="bib-entry" id="ref-([\w:-]+)"><p>(.*?)</p>', html)
    assert len(entries) > 40
    heads = {}
    for key, text in entries:
        m = re.match(r"(.*?)\. (\d{4}[a-z]?\.|n\.d\.(?:-[a-z]\.)?) ", re.sub(r"<[^>]+>", "", text))
        assert m, f"{key}: no author and date at the start of {text[:80]!r}"
        heads.setdefault(m.groups(), []).append(key)
    assert all(len(keys) == 1 for keys in heads.values()), {h: k for h, k in heads.items() if len(k) > 1}


def test_the_paper_and_its_posts_carry_the_letters_the_bibliography_page_explains(site: Path):
    labels = {key: label for label, keys in labels_and_keys(site).items() for key in keys if not label[:1].isdigit()}
    assert labels["hubinger2019risks"] == "Hubinger et al. 2019a"
    html = (site / "bibliography" / "index.html").read_text(encoding="utf-8")
    for key, letter in [("hubinger2019risks", "a"), *((f"hubinger2019afpost{i}", "bcdef"[i - 1]) for i in range(1, 6)), ("miri2019learnedoptimization", "g")]:
        assert re.search(rf'id="ref-{key}"><p>[^<]*Garrabrant\. 2019{letter}\.', html), key
    assert "2019a is the paper itself, 2019b to 2019f are its five forum posts, and 2019g is its page at MIRI" in page_text(site / "bibliography" / "index.html")


def test_one_marker_per_citation_and_each_way_back_returns_to_it(site: Path):
    problems = []
    for url in built_pages(site):
        html = (site / url / "index.html").read_text(encoding="utf-8")
        if "footnote-ref" in html or re.search(r'class="cite"[^>]*>[^<]*</a>\)?\s*<sup', html):
            problems.append(f"/{url}: a second marker beside a citation")
        doc = lxml.html.fromstring(html)
        cites = {a.get("id"): a.get("href") for a in doc.xpath('//a[@class="cite"]')}
        if len(cites) != len(doc.xpath('//a[@class="cite"]')):
            problems.append(f"/{url}: two citations share an id")
        for li in doc.xpath('//ul[@class="references"]/li'):
            backs = [a.get("href")[1:] for a in li.xpath('.//a[starts-with(@href, "#cite-")]')]
            if not backs:
                problems.append(f"/{url}: {li.get('id')} has no way back")
            for cite_id in backs:
                if cites.get(cite_id) != f"#{li.get('id')}":
                    problems.append(f"/{url}: {li.get('id')} links back to {cite_id}, which is not its citation")
        cited = {href[1:] for href in cites.values()}
        listed = {li.get("id") for li in doc.xpath('//ul[@class="references"]/li')}
        if url != "bibliography/" and cited - listed:
            problems.append(f"/{url}: cited but not in its References: {sorted(cited - listed)}")
        if url != "bibliography/" and cites and not all(len(li.xpath('.//a[starts-with(@href, "#cite-")]')) == sum(1 for h in cites.values() if h == f"#{li.get('id')}") for li in doc.xpath('//ul[@class="references"]/li')):
            problems.append(f"/{url}: a reference's back-links do not match its citations one to one")
    assert not problems, "\n".join(problems)


def test_bibliography_says_where_each_entry_is_cited(site: Path):
    html = (site / "bibliography" / "index.html").read_text(encoding="utf-8")
    doc = lxml.html.fromstring(html)
    entries = doc.xpath('//div[@class="bib-entry"]')
    assert entries and all(e.xpath('.//*[contains(@class, "cited-in")]') for e in entries)
    links = doc.xpath('//*[contains(@class, "cited-in")]//a/@href')
    assert len(links) > 100
    assert not [h for h in links if h.startswith("../practice/")], "the Practice page repeats the notes; it is not a place a work is cited"
    for href in links[:400]:
        page, _, fragment = href.partition("#")
        target = (site / "bibliography" / page / "index.html").resolve()
        assert target.is_file(), href
        assert f'id="{fragment}"' in target.read_text(encoding="utf-8"), href
    text = " ".join(page_text(site / "bibliography" / "index.html").split())
    assert re.search(r"Filan, Daniel\. 2018\. Bottle Caps Aren’t Optimisers\. .*?Cited in: §1 › Before 1\.1: optimized is not the same as optimizer Graves", text), "Filan 2018 is cited in §1, before 1.1, only"
