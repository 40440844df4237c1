"""The paper coverage map: the inventory of the paper's parts, the declarations on the
pages, the checker's findings over the real content, and the Coverage page.

The checker's exact messages are fixture cases in tests/data/checker/coverage-*/
(run by tests/test_checker.py).
"""

from __future__ import annotations

import json
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from conftest import DATA, ROOT, run
from scripts import coverage
from scripts.pages import read_page

MINI_TEX = DATA / "coverage" / "paper.tex"
INVENTORY = ROOT / "scripts" / "data" / "paper-inventory.json"
# the paper's LaTeX, when a contributor has it: $RLO_PAPER_TEX, or a clone of evhub/mesa-optimization
# beside this repository (docs/contributing/conventions.md#paper-coverage-checked)
PAPER_TEX = Path(os.environ.get("RLO_PAPER_TEX") or ROOT.parent / "mesa-optimization" / "mesa_optimization.tex")


def ids(items):
    return [i.id for i in items]


# --------------------------------------------------------------------------- the inventory


def test_items_of_a_small_paper_in_reading_order():
    items = coverage.read_inventory_items(MINI_TEX.read_text(encoding="utf-8"))
    assert ids(items) == [
        "abstract-p1",
        "1-p1", "fn-1",            # the title page's \thanks is not a footnote of the body
        "1-p2",                    # the lead-in to the list
        "1-p3", "fn-2",            # each top-level item is a paragraph
        "1-p4",                    # the nested item belongs to item two
        "1-p5",                    # text after the list
        "1.1-p1", "fn-3", "fn-4",  # display maths stays in its paragraph
        "fig-1",
        "1.1-p2",
        "gl-test", "gl-unit-test", "gl-side-effect",
    ]
    by_id = {i.id: i for i in items}
    assert [by_id[i].kind for i in ("1-p2", "1-p3", "1-p5", "fig-1", "fn-1", "gl-unit-test")] == [
        "paragraph", "item", "paragraph", "figure", "footnote", "glossary"]
    assert (by_id["1-p1"].line, by_id["fn-1"].line, by_id["1-p3"].line, by_id["fig-1"].line) == (18, 18, 25, 42)
    assert (by_id["fn-2"].parent, by_id["fn-4"].parent) == ("1-p3", "1.1-p1")
    assert (by_id["abstract-p1"].section, by_id["1.1-p2"].section, by_id["gl-test"].section) == ("abstract", "1.1", "2.1")


def test_hash_ignores_layout_and_markup_but_not_words():
    tex = MINI_TEX.read_text(encoding="utf-8")
    before = {i.id: i.hash for i in coverage.read_inventory_items(tex)}
    reformatted = (tex.replace("It goes on over two lines.", "It goes on\n   over two   LINES. % reflowed")
                      .replace(r"\textit{tests}---small ones", r"\emph{tests}—small ones")
                      .replace(r"\textbf{One:}", r"\textbf{\emph{One}:}"))
    after = {i.id: i.hash for i in coverage.read_inventory_items(reformatted)}
    assert after == before
    reworded = tex.replace("the first item", "the first big item").replace("Third note", "Third remark")
    changed = {i.id for i in coverage.read_inventory_items(reworded) if i.hash != before[i.id]}
    assert changed == {"1-p3", "fn-3"}, "a footnote's words belong to the footnote, not to its paragraph"


def test_inventory_keeps_reviewed_and_accept_sets_it(tmp_path):
    out = tmp_path / "inventory.json"
    tex = tmp_path / "paper.tex"
    tex.write_text(MINI_TEX.read_text(encoding="utf-8"), encoding="utf-8")
    coverage.write_inventory(tex, out)
    first = {r["id"]: r for r in coverage.load_inventory(out)["items"]}
    assert all(r["reviewed"] == r["hash"] for r in first.values()), "a new inventory starts reviewed"

    tex.write_text(tex.read_text(encoding="utf-8").replace("the second item", "the other item"), encoding="utf-8")
    coverage.write_inventory(tex, out)
    second = {r["id"]: r for r in coverage.load_inventory(out)["items"]}
    assert [k for k, r in second.items() if r["hash"] != r["reviewed"]] == ["1-p4"]
    assert second["1-p4"]["reviewed"] == first["1-p4"]["hash"]

    result = run([sys.executable, "-m", "scripts", "coverage", "--accept", "1-p2..4", "fn-9", "--out", str(out)])
    assert result.returncode == 1 and "no item 'fn-9'" in result.stderr
    third = {r["id"]: r for r in coverage.load_inventory(out)["items"]}
    assert all(r["hash"] == r["reviewed"] for r in third.values())
    assert out.read_text(encoding="utf-8").count('{"id": ') == len(third), "one item per line"


def test_command_writes_the_inventory(tmp_path):
    out = tmp_path / "inv.json"
    result = run([sys.executable, "-m", "scripts", "coverage", "--inventory", str(MINI_TEX), "--out", str(out)])
    assert result.returncode == 0, result.stderr
    assert "16 items (1 figure, 4 footnote, 3 glossary, 2 item, 6 paragraph)" in result.stderr
    missing = run([sys.executable, "-m", "scripts", "coverage", "--inventory", str(tmp_path / "nope.tex"), "--out", str(out)])
    assert missing.returncode == 2 and "nope.tex: error: no such file" in missing.stderr


def test_ranges():
    assert coverage.expand_id("3.2-p3..5") == ["3.2-p3", "3.2-p4", "3.2-p5"]
    assert coverage.expand_id("fn-30..31") == ["fn-30", "fn-31"]
    assert coverage.expand_id("3-p1") == ["3-p1"]
    assert coverage.expand_id("3-p5..2") == ["3-p5..2"], "a backwards range stays unknown"


def test_the_real_inventory_holds_the_papers_parts_and_no_text():
    text = INVENTORY.read_text(encoding="utf-8")
    data = json.loads(text)
    items = data["items"]
    assert len({r["id"] for r in items}) == len(items)
    footnotes = [r["id"] for r in items if r["kind"] == "footnote"]
    assert footnotes == [f"fn-{n}" for n in range(1, 32)], "the paper has 31 footnotes"
    assert [r["id"] for r in items if r["kind"] == "figure"] == ["fig-1", "fig-2", "fig-3"]
    assert len([r for r in items if r["kind"] == "glossary"]) == 23, "the paper's glossary defines 23 terms"
    sections = {r["section"] for r in items}
    assert {"abstract", "1", "1.1", "3", "4.5", "5", "6"} <= sections
    assert {s for s in sections if not s.startswith("7.")} == set(data["sections"].split()) - {"7.1", "7.2", "7.3", "7.4"}
    for r in items:
        assert set(r) <= {"id", "section", "kind", "line", "hash", "reviewed", "in"}
        assert re.fullmatch(r"[0-9a-f]{12}", r["hash"])
    # no text of the paper: no value holds more than a few words
    for r in items:
        assert all(len(str(v).split()) == 1 for v in r.values())


@pytest.mark.skipif(not PAPER_TEX.exists(), reason="the paper's LaTeX is not here (set RLO_PAPER_TEX)")
def test_the_real_inventory_matches_the_papers_source():
    fresh = coverage.read_inventory_items(PAPER_TEX.read_text(encoding="utf-8"))
    stored = coverage.load_inventory(INVENTORY)["items"]
    assert [(i.id, i.section, i.kind, i.line, i.hash) for i in fresh] == [(r["id"], r["section"], r["kind"], r["line"], r["hash"]) for r in stored]


# --------------------------------------------------------------------------- the real content


@pytest.fixture(scope="module")
def real():
    cov = coverage.load_for_docs(ROOT / "docs")
    assert cov is not None
    return cov


def test_real_content_covers_every_part(real):
    uncovered = [i["id"] for i in real.items if real.status(i["id"]) == "uncovered"]
    assert uncovered == []


def test_every_footnote_is_accounted_for(real):
    for item in real.items:
        if item["kind"] == "footnote":
            assert item["id"] in real.covered or item["id"] in real.skipped, item["id"]
            for d in real.skipped.get(item["id"], []):
                assert len(d.reason.split()) >= 3, f"{item['id']}: say why it is left out"


def test_real_content_has_no_coverage_findings():
    from scripts import glossary
    from scripts.pages import docs_pages

    docs = ROOT / "docs"
    pages = [read_page(p, docs) for p in docs_pages(docs)]
    findings = coverage.check(docs, pages, glossary.load(docs / "glossary.yml"))
    assert [f.format() for f in findings] == []


def test_declarations_give_line_and_column(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "p.md"
    page.write_text("---\ntitle: T\ncovers:\n  a: 1-p1 1-p2..3\n  b: [fn-1, fn-2]\nskips:\n  fn-3: only a source\n---\n\n# T\n\n## A { #a }\n", encoding="utf-8")
    decl = coverage.read_declarations(read_page(page, docs))
    assert [(d.token, d.line, d.col, d.heading) for d in decl.declarations] == [
        ("1-p1", 4, 6, "a"), ("1-p2..3", 4, 11, "a"), ("fn-1", 5, 7, "b"), ("fn-2", 5, 13, "b"), ("fn-3", 7, 3, "")]
    assert decl.declarations[-1].reason == "only a source"
    assert decl.findings == []


def test_footnote_locators_under_a_heading(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    page = docs / "p.md"
    page.write_text(
        "---\ntitle: T\n---\n\n# T\n\n## A { #a }\n\nOne [@hubinger2019risks, sec. 2.1; @hubinger2019risks, nn. 14, 16–17].\n\n"
        "### A1 { #a1 }\n\nTwo [@hubinger2019risks, n. 3].\n\n## B { #b }\n\nThree [@hubinger2019risks, n. 5; @other, n. 6].\n",
        encoding="utf-8")
    scanned = read_page(page, docs)
    assert coverage.noted_footnotes(scanned, "a") == {3, 14, 16, 17}, "a heading's subheadings count"
    assert coverage.noted_footnotes(scanned, "a1") == {3}
    assert coverage.noted_footnotes(scanned, "b") == {5}, "only the paper's notes count"


# --------------------------------------------------------------------------- the Coverage page


def test_page_escapes_contributed_reasons(tmp_path):
    docs = tmp_path / "docs"
    (docs / "notes").mkdir(parents=True)
    (docs / "notes" / "one.md").write_text(
        '---\ntitle: "§1 One"\nsection: "1"\ncovers:\n  sec-1-1: 1.1-p1\nskips:\n  1-p1: "<img src=x onerror=alert(1)> | a `pipe`"\n---\n\n# §1 One\n\n## 1.1 Inner { #sec-1-1 }\n',
        encoding="utf-8")
    inv = tmp_path / "inv.json"
    inv.write_text(json.dumps({"items": [
        {"id": "1-p1", "section": "1", "kind": "paragraph", "line": 1, "hash": "a", "reviewed": "a"},
        {"id": "1.1-p1", "section": "1.1", "kind": "paragraph", "line": 2, "hash": "b", "reviewed": "a"},
    ]}), encoding="utf-8")
    cov = coverage.load_for_docs(docs, inv)
    page = coverage.render_page(cov, "contributing/coverage.md")
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt; \\| a &#96;pipe&#96;" in page
    assert "[1.1 Inner](../notes/one.md#sec-1-1) *(changed in the paper since checked)*" in page
    assert "**2 parts of the paper:** 1 covered by the notes, 1 left out with a reason, 0 not yet covered; 1 changed" in page


class _Links(HTMLParser):
    """Ids of a page; the parts and the links inside the Coverage page's tables."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.parts: list[str] = []
        self._depth = 0  # divs open inside a coverage table (0: outside)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
            if attrs["id"].startswith("part-"):
                self.parts.append(attrs["id"])
        if tag == "div" and (self._depth or "coverage-table" in (attrs.get("class") or "").split()):
            self._depth += 1
        if tag == "a" and attrs.get("href") and self._depth:
            self.hrefs.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "div" and self._depth:
            self._depth -= 1


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_coverage_page_lists_every_part_and_its_links_resolve(site):
    page = site / "contributing" / "coverage" / "index.html"
    parsed = _parse(page)
    items = coverage.load_inventory(INVENTORY)["items"]
    assert sorted(parsed.parts) == sorted("part-" + r["id"].replace(".", "-") for r in items)
    assert parsed.hrefs, "the tables link the notes"
    targets = set()
    base = "http://site/contributing/coverage/"
    for href in parsed.hrefs:
        url = urlparse(urljoin(base, href))
        assert url.netloc == "site", href
        targets.add((url.path, url.fragment))
    anchors: dict[str, set[str]] = {}
    for path, fragment in sorted(targets):
        file = site / unquote(path).lstrip("/") / "index.html" if path.endswith("/") else site / unquote(path).lstrip("/")
        assert file.exists(), f"{path} is not a page of the built site"
        if file not in anchors:
            anchors[file] = _parse(file).ids
        assert fragment and fragment in anchors[file], f"{path}#{fragment} has no such anchor"
    # every covering heading of the real declarations has its link on the page
    cov = coverage.load_for_docs(ROOT / "docs")
    wanted = {(d.page, d.heading) for ds in cov.covered.values() for d in ds}
    linked = {(p, f) for p, f in targets}
    for rel, heading in wanted:
        url = "/" + rel[:-3].removesuffix("index") + "/"
        assert (url.replace("//", "/"), heading) in linked, (rel, heading)
