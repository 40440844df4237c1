"""Licences, code of conduct, citation file, and one setup text for contributors."""

from __future__ import annotations

import re

import yaml

from conftest import ROOT

LICENCE_LINE = ("CC BY 4.0", "MIT License")
SERVE_URL = "http://127.0.0.1:8000/risks-from-learned-optimization/"


def read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_licence_files_say_which_licence_covers_what():
    licence = read("LICENSE")
    assert "CC BY 4.0" in licence and "docs/" in licence and "MIT License" in licence and "scripts/" in licence
    assert read("LICENSES/CC-BY-4.0.txt").startswith("Attribution 4.0 International")
    assert "Creative Commons Attribution 4.0 International Public License" in read("LICENSES/CC-BY-4.0.txt")
    mit = read("LICENSES/MIT.txt")
    assert mit.startswith("MIT License") and "[year]" not in mit and "[fullname]" not in mit


def test_readme_and_contributing_name_the_licences():
    for name in ("README.md", "CONTRIBUTING.md"):
        text = read(name)
        assert all(part in text for part in LICENCE_LINE), name
        assert "CODE_OF_CONDUCT.md" in text, name


def test_footer_and_pdf_colophon_carry_the_licence(site):
    footer = (site / "index.html").read_text(encoding="utf-8")
    footer = footer[footer.index('class="md-copyright__highlight"') :][:600]
    assert all(part in footer for part in LICENCE_LINE)
    from scripts import pdf, site as site_model

    cover = pdf.cover(site_model.load().config, "2026-01-01", "test")
    text = " ".join(cover.text_content().split())
    assert all(part in text for part in LICENCE_LINE), text


def test_code_of_conduct_is_the_contributor_covenant_with_a_contact():
    text = read("CODE_OF_CONDUCT.md")
    assert text.startswith("# Contributor Covenant Code of Conduct")
    assert "version/2/1/code_of_conduct.html" in text
    assert "[INSERT" not in text


def test_citation_file():
    cff = yaml.safe_load(read("CITATION.cff"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["license"] == "CC-BY-4.0"
    assert {"message", "title", "authors"} <= cff.keys()
    paper = cff["references"][0]
    assert paper["title"] == "Risks from Learned Optimization in Advanced Machine Learning Systems"
    assert [a["family-names"] for a in paper["authors"]] == ["Hubinger", "Merwijk", "Mikulik", "Skalse", "Garrabrant"]


def test_one_setup_text():
    """The README lists what a machine needs; the guide links there instead of repeating it."""
    readme, guide = read("README.md"), read("docs/contributing/index.md")
    assert "## What a machine needs" in readme and "$CHROMIUM" in readme
    assert "README#what-a-machine-needs" in guide.replace("risks-from-learned-optimization#", "README#")
    assert "$CHROMIUM" in guide
    assert not re.search(r"poppler|libpango|fonts-dejavu", guide), "machine needs belong in the README only"


def test_guide_shows_fork_clone_remote_branch_pr_in_order():
    guide = read("docs/contributing/index.md")
    steps = ["**Fork**", "git clone https://github.com/YOU/", "git remote add upstream", "git switch -c", "git push -u origin", "offers to open a pull request"]
    where = [guide.index(step) for step in steps]
    assert where == sorted(where)


def test_serve_url_is_given_as_printed():
    """tests/test_devbanner.py checks that `mkdocs serve` prints this address."""
    for name in ("README.md", "docs/contributing/index.md", "Makefile"):
        assert SERVE_URL in read(name), name
    assert "--dev-addr 127.0.0.1:8000" in read("Makefile")


def test_guide_covers_what_contributors_asked_for():
    guide, style = read("docs/contributing/index.md"), read("docs/contributing/style.md")
    assert "check --fix" in guide
    assert "house-spelling" in guide and "behaviour" in style and "-ize" in style
    assert "#locators-without-sections" in guide or "Locators for works without numbered sections" in guide
    assert "`background`" in guide
    example = re.search(r"would get the key `([a-z0-9]+)`", guide).group(1)
    assert f"{{{example}," not in read("docs/references.bib"), "the example key must not exist yet"
    assert "first pull request" in read("CONTRIBUTING.md") and "approves" in read("CONTRIBUTING.md")
