"""The plain functions behind the hooks and the checker."""

from __future__ import annotations

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
    shared = '<svg><!-- the grid --><desc>Long words.</desc><defs><g id="grid"/></defs><use href="#grid" x="9"/></svg>'
    out = prepare_svg(shared, "figure-3", "Five grids")
    assert out == '<svg class="figure-svg" role="img" aria-label="Five grids"><defs><g id="figure-3-grid"/></defs><use href="#figure-3-grid" x="9"/></svg>'
    assert "<desc>Long words.</desc>" in prepare_svg(shared, "figure-3", "")  # no alt: the file's own description stays


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
    from scripts.glossary_html import add_tooltips

    html = add_tooltips('<p><a href="../glossary/#optimizer">optimizer</a> and <a href="../glossary/#optimizer">again</a></p>', gloss)
    assert html.count('<a class="gloss" href="../glossary/#optimizer">') == 2
    assert html.endswith('<div class="gloss-defs" hidden><span class="gloss-def" data-gloss-id="optimizer" data-gloss-term="optimizer" hidden>d</span></div>\n')


def test_terms_list_is_a_slot_filled_after_search():
    from scripts import glossary_html

    gloss = glossary.Glossary(Path("g.yml"), [entry("optimizer", "optimizer"), entry("mesa-optimizer", "mesa <optimizer>")], [])
    page = "# T\n\nText.\n\n## Key takeaways\n\n- x\n\n## Self-check { #self-check }\n\n??? selfcheck \"Q?\"\n\n    A.\n\n"
    markdown = glossary_html.insert_terms(page, ["optimizer", "gone", "mesa-optimizer"], gloss)
    # after the takeaways and the self-checks: the end of the page
    assert markdown == page.rstrip() + "\n\n## Terms on this page { #terms-on-this-page data-search-exclude }\n\n<!-- terms-on-this-page -->\n"
    assert glossary_html.insert_terms("# T\n", ["gone"], gloss) == "# T\n"  # no known term, no heading
    html = glossary_html.fill_terms("<h2>Terms</h2>\n<!-- terms-on-this-page -->\n<h2>References</h2>", ["optimizer", "gone", "mesa-optimizer"], gloss, "../../glossary/")
    assert html == (  # folded, as text until a script needs it; each definition once, as the hover cards read it
        '<h2>Terms</h2>\n<details class="gloss-terms">\n<summary>Definitions of the 2 glossary terms on this page</summary>\n'
        '<noscript><dl class="gloss-terms__list">\n'
        '<dt><a class="gloss-listed" href="../../glossary/#optimizer">optimizer</a></dt>\n'
        '<dd>d</dd>\n'
        '<dt><a class="gloss-listed" href="../../glossary/#mesa-optimizer">mesa &lt;optimizer&gt;</a></dt>\n'
        '<dd>d</dd>\n'
        "</dl></noscript>\n</details>\n<h2>References</h2>"
    )
    one = glossary_html.fill_terms("<!-- terms-on-this-page -->", ["optimizer"], gloss, "g/")
    assert "<summary>Definition of the glossary term on this page</summary>" in one


def test_used_in_places_come_from_the_built_html():
    from scripts import glossary_html

    html = (
        '<h1 id="t">Title</h1><p><a href="../glossary/#optimizer">o</a></p>'
        '<h2 id="sec-1">1 First &amp; best<a class="headerlink" href="#sec-1">&para;</a></h2>'
        '<p><a href="../glossary/#optimizer">o</a> <a href="../glossary/#optimizer">again</a> <a href="../glossary/#nope">x</a></p>'
        '<h3 id="deeper">Deeper</h3><p><a class="gloss" href="../glossary/#optimizer">no: marked links are not the source</a></p>'
        '<h2 data-search-exclude id="sec-2">Two</h2><p><a href="../../glossary/#optimizer">o</a></p>'
    )
    places = glossary_html.places_in(html, "notes/a.md", "Page A", {"optimizer": None})
    assert places == {
        "optimizer": [
            glossary_html.Place("notes/a.md", "Page A", "", "Page A"),
            glossary_html.Place("notes/a.md", "Page A", "sec-1", "1 First & best"),
            glossary_html.Place("notes/a.md", "Page A", "sec-2", "Two"),
        ]
    }
    b = {"optimizer": [glossary_html.Place("b.md", "B", "", "B")]}
    merged = glossary_html.used_in({"notes/a.md": places, "b.md": b})
    assert [p.page_rel for p in merged["optimizer"]] == ["b.md", "notes/a.md", "notes/a.md", "notes/a.md"]


def test_used_in_slots_become_links_or_nothing():
    from scripts.glossary_html import Place, fill_used_in

    # page -> id -> places, as the hook collects them; pages in path order, gone.md has no URL
    places = {"notes/a.md": {"optimizer": [Place("notes/a.md", "A <1>", "sec-1", "One")]}, "gone.md": {"optimizer": [Place("gone.md", "Gone", "", "Gone")]},
              "b.md": {"optimizer": [Place("b.md", "B", "", "B")]}}
    urls = {"notes/a.md": "../notes/a/", "b.md": "../b/"}
    html = fill_used_in("<!-- used-in:optimizer --><!-- used-in:other -->", places, urls.get)
    assert html == (
        '<div class="gloss-used"><p><em>Used in:</em> <a href="../b/">B</a> · <a href="../notes/a/#sec-1">A &lt;1&gt; › One</a></p></div>'
    )


def test_checker_beside_the_build_reports_findings_or_its_own_failure(tmp_path):
    import json
    import sys

    from scripts.beside import BesideRun

    finding = {"path": "docs/a.md", "line": 3, "col": 1, "rule": "broken-link", "message": "no such page"}
    printed = BesideRun(tmp_path, [sys.executable, "-c", f"print({json.dumps(json.dumps([finding]))}); raise SystemExit(1)"])
    assert printed.wait() == ["docs/a.md:3:1: broken-link: no such page"]
    crashed = BesideRun(tmp_path, [sys.executable, "-c", "import sys; print('Traceback: boom', file=sys.stderr); sys.exit(2)"])
    assert crashed.wait() == ["scripts/check.py:1:1: checker-crashed: the content checker crashed (exit status 2): Traceback: boom"]
    assert crashed.crashed
    # an exception used to exit 1 with nothing on stdout, which read as "no findings"
    silent = BesideRun(tmp_path, [sys.executable, "-c", "raise RuntimeError('boom')"])
    (line,) = silent.wait()
    assert line.startswith("scripts/check.py:1:1: checker-crashed: the content checker crashed (exit status 1): ")
    assert line == silent.crashed and line.endswith("RuntimeError: boom")
    real = BesideRun(Path(__file__).parent / "data" / "minisite" / "docs")
    assert real.wait() == []


def test_compact_html_keeps_whitespace_that_shows():
    from scripts.compact import compact_css, compact_html, compact_js

    html = '<div>\n    <p>one\n      two</p>\n\n\n    <pre><code>def f():\n    return 1\n</code></pre>\n  <p><code>a\n   b</code></p>\n  <script>\n    var x = "  y";\n  </script>\n</div>'
    assert compact_html(html) == '<div>\n<p>one\ntwo</p>\n<pre><code>def f():\n    return 1\n</code></pre>\n<p><code>a\n   b</code></p>\n<script>\n    var x = "  y";\n  </script>\n</div>'
    css = "/* head */\n:root {\n  --x: url('data:image/svg+xml,<svg xmlns=\"http://www.w3.org/2000/svg\"/>');\n}\n\n/* --- part --- */\na { color: red; }\n"
    assert compact_css(css) == ":root{--x:url('data:image/svg+xml,<svg xmlns=\"http://www.w3.org/2000/svg\"/>')}a{color:red}\n"
    js = '/* Doc\n * more\n */\n(function () {\n  // why\n  var u = "http://x/*y*/"; // gone\n  var r = /a\\/\\/b/;\n})();\n'
    assert compact_js(js) == '(function(){var u="http://x/*y*/";var r=/a\\/\\/b/;})();\n'  # strings and regexps intact


def test_palette_keeps_only_the_colours_a_page_can_wear():
    from scripts.compact import palette_colours, trim_palette

    css = (
        "[data-md-color-primary=red]{--x:1}"
        "[data-md-color-primary=indigo]{--x:2}"
        "@media screen{[data-md-color-scheme=slate]{--y:1}[data-md-color-accent=lime]{--y:2}}"
        "[data-md-color-accent=amber] a,[data-md-color-accent=pink] a{--z:1}"
        "[data-md-color-switching] *{transition:none}"
        ":is([data-md-color-primary=indigo],[data-md-color-primary=teal]) b{--w:1}"
    )
    worn = palette_colours([{"media": "x"}, {"scheme": "slate", "primary": "indigo", "accent": "amber"}])
    assert worn == {"scheme": {"default", "slate"}, "primary": {"indigo"}, "accent": {"indigo", "amber"}}
    assert trim_palette(css, worn) == (
        "[data-md-color-primary=indigo]{--x:2}"
        "@media screen{[data-md-color-scheme=slate]{--y:1}}"
        "[data-md-color-accent=amber] a{--z:1}"
        "[data-md-color-switching] *{transition:none}"
        ":is([data-md-color-primary=indigo],[data-md-color-primary=teal]) b{--w:1}"
    )


def test_callout_icons_kept_for_types_in_use_only():
    from scripts.compact import callouts_used, trim_callout_icons

    css = ':root{--md-admonition-icon--note:url("data:a");--md-admonition-icon--tip:url("data:b");--md-other:1}.x{color:red}'
    used = callouts_used(['<div class="admonition analogy">', '<details class="selfcheck">'], [".a{--i:var(--md-admonition-icon--note)}"])
    assert used == {"analogy", "selfcheck", "note"}
    assert trim_callout_icons(css, used) == ':root{--md-admonition-icon--note:url("data:a");--md-other:1}.x{color:red}'


def test_material_features_the_site_does_not_use_are_left_out():
    from scripts.compact import trim_features, unused_features

    pages = ['<div class="admonition note"><p class="tabbed-set">x</p></div>']
    unused = unused_features(pages, ["navigation.sections"], ["search", "bibtex"], {"generator": False})
    assert "tabbed-set" not in unused  # a page uses content tabs: their styles stay
    assert {"md-post", "md-tabs", "md-clipboard", "keys"} <= unused
    assert "md-version" not in unused_features([], [], [], {"version": {"provider": "mike"}})  # added by Material's script
    assert "md-tabs" not in unused_features([], ["navigation.tabs"], [], {})
    css = ".md-typeset .keys kbd{a:1}.md-grid{b:2}.md-post,.md-typeset h1{c:3}@media print{.md-tabs{d:4}}.md-tabs__link:is(.x,.y){e:5}"
    assert trim_features(css, unused) == ".md-grid{b:2}.md-typeset h1{c:3}"


def test_a_figure_is_sized_by_its_own_width_and_height_not_its_stroke_width(tmp_path):
    from scripts.figures import screen_css, screen_figures

    figures = tmp_path / "assets" / "figures"
    figures.mkdir(parents=True)
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="340" viewBox="0 0 390 340" style="--narrow: 390 / 340" stroke-width="2"><text>t</text></svg>'
    (figures / "f.svg").write_text(svg, encoding="utf-8")
    out = screen_figures('<img alt="A drawing" src="assets/figures/f.svg" />', tmp_path)
    assert out == ('<img class="figure-img" src="assets/figures/f.svg#only-light" alt="A drawing" width="640" height="340" style="--narrow: 390 / 340">'
                   '<img class="figure-img" src="assets/figures/f.svg#only-dark" alt="A drawing" width="640" height="340" style="--narrow: 390 / 340">')
    assert "@media (max-aspect-ratio: 1515/1000)" in screen_css(svg)  # halfway between 640/340 and 390/340
