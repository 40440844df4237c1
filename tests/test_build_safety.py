"""Bad input fails the build loudly (file and line), and loses nothing.

Each drill starts from a good fixture site that was built once, breaks one thing
(the same broken fixtures the checker tests use), and rebuilds with `python -m scripts
build`: the build must fail naming the file and line, leave the last good site/
untouched, and leave every source file as it was.
"""

from __future__ import annotations


import pytest

from conftest import broken_copy, build_project as build, tree_digest

DRILLS = {
    "bib-syntax": "references.bib:11:1: bib-syntax: entry 'langosco2022goal' has an unclosed '{'",
    "unknown-key": "notes/01-introduction.md:20:102: unknown-key: citation key 'nobody2020nothing'",
    "glossary-field": "glossary.yml:9:3: glossary-field: entry 'mesa-optimizer' needs a non-empty 'cite'",
    "glossary-anchor": "notes/01-introduction.md:21:24: glossary-anchor: '#mesa-optimiser' is not an entry",
    "unlinked-term": "notes/01-introduction.md:20:23: unlinked-term: first use of 'base optimizer'",
    "analogy": "notes/01-introduction.md:23:1: analogy-mapping: analogy 'A fixture analogy' needs",
    "front-matter": "notes/01-introduction.md:9:6: front-matter: invalid YAML",
    "broken-link": "index.md:7:24: broken-link: 'notes/01-intro.md' does not lead to a page",
    "callout-type": "notes/01-introduction.md:35:1: callout-type: unknown callout type 'annotaton'",
}


def test_fixture_site_builds_clean(good):
    project, site = good
    html = (site / "notes" / "01-introduction" / "index.html").read_text(encoding="utf-8")
    assert 'class="gloss"' in html and 'id="references"' in html


@pytest.mark.parametrize("case", sorted(DRILLS))
def test_bad_input_fails_cleanly(good, tmp_path, case):
    broken, site = broken_copy(good, tmp_path, case)
    site_before, docs_before = tree_digest(site), tree_digest(broken / "docs")

    result = build(broken, site)

    assert result.returncode != 0
    assert DRILLS[case] in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "left as it was" in result.stderr
    assert tree_digest(site) == site_before, "a failed build must not touch the last good site"
    assert tree_digest(broken / "docs") == docs_before, "a build must never rewrite sources"
    assert not list(tmp_path.glob(".site-*")), "the staging folder must be cleaned up"
