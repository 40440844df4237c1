"""The plain functions behind the hooks and the checker."""

from __future__ import annotations

import re
from pathlib import Path

from scripts import citations, glossary, originality
from scripts.figures import prepare_svg
from scripts.pages import read_page


def entry(id_, term, aliases=(), match=None):
    return glossary.Entry(id=id_, term=term, group="1", cite="[@k, sec. 1]", definition="d", line=1, aliases=list(aliases), match=match)


def test_longest_term_wins_and_hyphen_equals_space():
    pattern, owner = glossary.term_pattern([entry("optimizer", "optimizer"), entry("mesa-optimizer", "mesa-optimizer", ["mesa-optimizers"])])
    found = [owner[glossary.normalise(m.group(0))] for m in pattern.finditer(glossary.prepare("A mesa optimizer, two Mesa-Optimizers and an optimizer."))]
    assert found == ["mesa-optimizer", "mesa-optimizer", "optimizer"]


def test_match_replaces_term_and_aliases():
    pattern, owner = glossary.term_pattern([entry("modeling", "modeling", match=["modeling the base objective"])])
    assert pattern.search("human modeling helps") is None
    assert pattern.search("by modeling the base objective it")


def test_prose_view_blanks_code_headings_links_and_callout_titles(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "p.md"
    page.write_text(
        "---\nterms: []\n---\n# Optimizer title\n\n"
        '!!! analogy "An optimizer story"\n\n'
        "    `optimizer` and [optimizer](glossary.md#optimizer) then optimizer.\n\n"
        "```\noptimizer in a fence\n```\n",
        encoding="utf-8",
    )
    scanned = read_page(page, docs)
    prose = "\n".join(scanned.prose)
    assert prose.count("optimizer") == 1  # only the plain word after the link
    assert [(link.line, link.col, link.fragment) for link in scanned.links] == [(8, 21, "optimizer")]
    assert [(c.kind, c.title) for c in scanned.callouts] == [("analogy", "An optimizer story")]


def test_protect_code_hides_only_code():
    text = "Cite [@a, sec. 1] but not `[@b]`.\n\n```\n[@c]\n```\n"
    protected = citations.protect_code(text)
    assert "[@a, sec. 1]" in protected and "[@b]" not in protected and "[@c]" not in protected
    assert citations.restore_code(protected) == text


def test_figure_ids_are_prefixed_and_labelled():
    svg = '<?xml version="1.0"?><svg viewBox="0 0 1 1"><marker id="arrow"/><path marker-end="url(#arrow)"/></svg>'
    out = prepare_svg(svg, "figure-2", "Three graphs")
    assert out.startswith('<svg class="figure-svg" role="img" aria-label="Three graphs"')
    assert 'id="figure-2-arrow"' in out and "url(#figure-2-arrow)" in out and "<?xml" not in out


def test_copied_run_is_found_with_its_line(tmp_path: Path):
    source = tmp_path / "source.md"
    source.write_text("one two three four five six seven eight nine ten eleven twelve\n", encoding="utf-8")
    table = originality.build_fingerprints([source])
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: t\n---\nIntro line.\nWe said: One two three four five six seven eight nine ten eleven!\n", encoding="utf-8")
    findings = originality.find_copies(page, table)
    assert [(f.line, f.col, f.rule) for f in findings] == [(5, 10, "copied-text")]
    assert "11 words match source.md" in findings[0].message
    page.write_text("one two three four five six seven eight nine\n", encoding="utf-8")
    assert originality.find_copies(page, table) == []  # nine words are fine


def test_pages_without_a_terms_list_get_their_definitions_hidden():
    gloss = glossary.Glossary(Path("g.yml"), [entry("optimizer", "optimizer")], [])
    from scripts.notes import add_tooltips

    html = add_tooltips('<p><a href="../glossary/#optimizer">optimizer</a> and <a href="../glossary/#optimizer">again</a></p>', gloss)
    assert html.count('class="gloss" href="../glossary/#optimizer" data-gloss="optimizer"') == 2
    assert html.endswith('<div class="gloss-defs" hidden><span class="gloss-def" data-gloss-id="optimizer" data-gloss-term="optimizer" hidden>d</span></div>\n')


def test_counting_footnotes_give_the_stock_ids():
    import markdown

    from scripts.footnotes import CountingFootnoteExtension

    text = "".join(f"Claim {i}[^a] and[^b].\n\n" for i in range(7)) + "[^a]: A.\n[^b]: B.\n"
    stock = markdown.markdown(text, extensions=["footnotes"])
    ours = markdown.markdown(text, extensions=[CountingFootnoteExtension()])
    references = re.compile(r'<sup id="fnref\d*:[ab]">')
    assert references.findall(ours) == references.findall(stock)  # the same ids, in order
    assert 'id="fnref7:a"' in ours and 'href="#fnref7:b"' in stock
    assert ours.count('class="footnote-backref"') == 2  # one back-link per reference
    assert stock.count('class="footnote-backref"') == 14
