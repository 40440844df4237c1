"""The notes template's vocabulary (scripts/template.py) and the copied-text check's inputs.

- A closing section is known by its id, whatever its title's capitals: the checker and the
  build (MkDocs' own heading ids, the "Terms on this page" list) agree on where it is.
- The copied-text check fails closed: without a readable fingerprints file it reports an
  error, never "no findings"; its command reads the docs folder ``--docs`` names.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import markdown
import pytest

from scripts import check, glossary, glossary_html, originality, template
from scripts.__main__ import main
from scripts.pages import read_page

FRONT = """---
title: T
section: "1"
subsections: []
post: {title: P, url: "https://example.org/p"}
reading_time: 1
terms: [optimizer]
---
# T
"""
SELFCHECKS = "".join(f'??? selfcheck "Q{i}?"\n\n    A.\n\n' for i in range(4))


def notes_page(tmp_path: Path, takeaways: str, selfcheck: str):
    docs = tmp_path / "docs"
    (docs / "notes").mkdir(parents=True)
    path = docs / "notes" / "01-t.md"
    text = (f"{FRONT}\n## In one paragraph\n\nText.\n\n{takeaways}\n\n- x\n\n{selfcheck}\n\n{SELFCHECKS}")
    path.write_text(text, encoding="utf-8")
    return path, docs, text


CAPITALS = [
    ("## Key Takeaways { #key-takeaways }", "## Self-Check"),
    ("## KEY TAKEAWAYS", "## Self-check { #self-check }"),
    ("## Key takeaways", "## Self-check"),
]


@pytest.mark.parametrize("takeaways, selfcheck", CAPITALS)
def test_closing_sections_in_any_capitals_pass_and_the_terms_list_follows_them(tmp_path, takeaways, selfcheck):
    path, docs, text = notes_page(tmp_path, takeaways, selfcheck)
    page = read_page(path, docs)
    assert [f for f in check.check_template(page) if f.rule == "template"] == []  # the checker accepts it
    # MkDocs gives the headings the ids the checker found (the build's toc, as in mkdocs.yml)
    html = markdown.markdown(text.split("---\n", 2)[2], extensions=["toc", "attr_list"])
    for anchor, _ in template.CLOSING_SECTIONS:
        assert f'id="{anchor}"' in html, f"MkDocs gives no id {anchor!r}: {html}"
    # the build puts "Terms on this page" after both closing sections, as the checker expects
    gloss = glossary.Glossary(Path("g.yml"), [glossary.Entry(id="optimizer", term="optimizer", group="core", cite="", definition="d", line=1, lines={})], [])
    built = read_page(path, docs, glossary_html.insert_terms(text, ["optimizer"], gloss))
    ids = [h.anchor for h in built.headings if h.level == 2]
    assert ids[-3:] == ["key-takeaways", "self-check", template.TERMS[0]], ids


def test_a_closing_section_out_of_order_is_still_found(tmp_path):
    """The same ids, the other way round: the checker must say so (the rule can fail)."""
    path, docs, _ = notes_page(tmp_path, "## Self-Check", "## Key Takeaways { #key-takeaways }")
    messages = [f.message for f in check.check_template(read_page(path, docs)) if f.rule == "template"]
    assert any("comes before '## Key takeaways'" in m for m in messages), messages


# --------------------------------------------------------------------------- copied text


def test_missing_fingerprints_file_is_an_error_not_silence(tmp_path):
    missing = tmp_path / "gone.txt.gz"
    findings = originality.check_originality(tmp_path, None, missing)
    assert [(f.path.endswith("gone.txt.gz"), f.rule) for f in findings] == [(True, "originality")]
    assert "no fingerprints file" in findings[0].message


@pytest.mark.parametrize("content", [b"not gzip at all", gzip.compress(b"\xff\xfe\x00", mtime=0), gzip.compress(b"abc-no-source\n", mtime=0)], ids=["not-gzip", "not-utf8", "no-source"])
def test_unreadable_fingerprints_file_is_an_error(tmp_path, content):
    broken = tmp_path / "broken.txt.gz"
    broken.write_bytes(content)
    findings = originality.check_originality(tmp_path, None, broken)
    assert [f.rule for f in findings] == ["originality"]
    assert "cannot be read" in findings[0].message and findings[0].path.endswith("broken.txt.gz")


def project(tmp_path: Path) -> Path:
    source = tmp_path / "source.md"
    source.write_text("one two three four five six seven eight nine ten eleven twelve\n", encoding="utf-8")
    table = tmp_path / "fingerprints.txt.gz"
    originality.save(originality.build_fingerprints([source]), table)
    docs = tmp_path / "other" / "docs"
    docs.mkdir(parents=True)
    (docs / "copied.md").write_text("# C\n\nOne two three four five six seven eight nine ten eleven.\n", encoding="utf-8")
    return table


def test_command_reads_the_docs_folder_it_is_given(tmp_path, monkeypatch, capsys):
    table = project(tmp_path)
    monkeypatch.setattr(originality, "FINGERPRINTS", table)
    monkeypatch.chdir(tmp_path)  # the command moves to the project's folder; this puts it back
    assert main(["originality", "--docs", str(tmp_path / "other" / "docs")]) == 1
    assert "docs/copied.md:3:1: copied-text:" in capsys.readouterr().out


def test_command_fails_without_its_fingerprints(tmp_path, monkeypatch, capsys):
    project(tmp_path)
    monkeypatch.setattr(originality, "FINGERPRINTS", tmp_path / "gone.txt.gz")
    monkeypatch.chdir(tmp_path)
    assert main(["originality", "--docs", str(tmp_path / "other" / "docs")]) == 1
    out = capsys.readouterr().out
    assert "gone.txt.gz:1:1: originality: no fingerprints file" in out, out


def test_glossary_by_id_is_made_once():
    gloss = glossary.Glossary(Path("g.yml"), [glossary.Entry(id="a", term="a", group="core", cite="", definition="d", line=1, lines={})], [])
    assert gloss.by_id is gloss.by_id
