"""Hostile and broken input: no hang, no traceback, a checker that fails closed.

The fixtures are folders in tests/data/checker/ (tests/test_checker.py runs each through
the checker's CLI against its exact expected.txt). Here the same fixtures go through the
real build, which must fail with the same path:line message (or succeed, for the false
positives that are fixed), leave the last good site/ and every source untouched, and
leave no staging folder behind. Then the cases a fixture folder cannot hold: a crashing
checker, signals, an immutable site/, the working folder, CI annotations, the workflows
and the lock file.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from conftest import DATA, ROOT, broken_copy, build_project as build, copy_case, run, tree_digest

# --------------------------------------------------------------------------- the build

BUILD_DRILLS = {
    "limit-backticks": "notes/01-introduction.md:16:21: page-limit: more than 16 backticks in a row",
    "limit-page-size": "index.md:1:1: page-file: the file is 1.2 MB; a page may be at most 1 MB; split it",
    "limit-table-rows": "index.md:10:1: page-limit: a table of more than 500 rows; split it",
    "yaml-alias-glossary": "glossary.yml:2:10: glossary-yaml: YAML aliases ('*a') are not allowed; write the value out",
    "yaml-alias-terms": "notes/01-introduction.md:10:11: front-matter: YAML aliases ('*a') are not allowed",
    "utf8-glossary": "glossary.yml:14:25: glossary-file: the file is not valid UTF-8 (byte 0xff here)",
    "utf8-page": "notes/01-introduction.md:16:11: page-file: the file is not valid UTF-8 (byte 0xc3 here)",
    "utf8-bib": "references.bib:13:21: bib-file: the file is not valid UTF-8 (byte 0xfe here)",
    "terms-null": "notes/01-introduction.md:9:1: terms-list: front matter 'terms' must be a list of glossary ids",
    "post-string": "notes/01-introduction.md:5:1: template: front matter 'post' must be a dict",
    "checker-crash-subsections": "notes/01-introduction.md:3:1: template: front matter 'subsections' must be a list",
    "bom-front-matter": "notes/01-introduction.md:1:1: template: front matter lacks 'reading_time'",
    "bib-escaped-brace": "references.bib:4:1: bib-syntax: entry 'hubinger2019risks' has a '}' too many",
    "bib-case-duplicate": "references.bib:21:1: bib-duplicate: key 'Hubinger2019risks' is already defined on line 1",
    "bib-field-case-duplicate": "references.bib:5:1: bib-duplicate: entry 'hubinger2019risks' has a second 'Year' field",
    "bib-blank-line-number": "references.bib:13:1: bib-field: entry 'langosco2022goal' needs keywords",
    "glossary-key-case": "glossary.yml:3:3: glossary-field: entry 'base-optimizer' has an unknown field 'Term'",
    "citation-dotted-key": "notes/01-introduction.md:20:102: unknown-key: citation key 'langosco2022goal.v2'",
    "empty-alias": "glossary.yml:3:3: glossary-field: entry 'base-optimizer': 'aliases' has an empty phrase",
    "locator-section": "notes/01-introduction.md:20:72: citation-locator: the paper has no section 99.9",
    "locator-figure": "notes/01-introduction.md:20:102: citation-locator: the paper has no figure 42",
    "locator-footnote": "notes/01-introduction.md:20:102: citation-locator: the paper has no footnote 999",
    "missing-html-image": "index.md:10:11: broken-image: 'assets/figures/nope.svg' is not a file in docs/",
    "annotation-injection": "glossary.yml:9:3: glossary-field: id 'mesa-optimizer\\n::stop-commands::pwned",
    # an SVG that is not XML, or that closes the page's <article> (which truncated the page
    # and dropped pages from the PDF with exit 0), or that is not text at all
    "svg-garbage": "assets/figures/figure-1.svg:1:1: svg-content: not well-formed XML",
    "svg-article-close": "assets/figures/figure-1.svg:2:39: svg-content: not well-formed XML: Opening and ending tag mismatch",
    "svg-binary": "assets/figures/figure-1.svg:1:1: svg-content: an SVG must be UTF-8 text",
}
# false positives that are fixed: these build
BUILD_CLEAN = ["bib-comment-brace", "percent-link"]


def test_every_drill_has_its_fixture():
    for case in [*BUILD_DRILLS, *BUILD_CLEAN]:
        assert (DATA / "checker" / case / "expected.txt").is_file(), case
    for case in BUILD_CLEAN:
        assert (DATA / "checker" / case / "expected.txt").read_text() == "", case


@pytest.mark.parametrize("case", sorted(BUILD_DRILLS))
def test_bad_input_fails_the_build_cleanly(good, tmp_path, case):
    broken, site = broken_copy(good, tmp_path, case)
    site_before, docs_before = tree_digest(site), tree_digest(broken / "docs")

    result = build(broken, site, timeout=600)

    assert result.returncode == 1, result.stderr[-3000:]
    assert BUILD_DRILLS[case] in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "left as it was" in result.stderr
    assert tree_digest(site) == site_before, "a failed build must not touch the last good site"
    assert tree_digest(broken / "docs") == docs_before, "a build must never rewrite sources"
    assert not list(tmp_path.glob(".site-*")), "the staging folder must be cleaned up"


@pytest.mark.parametrize("case", BUILD_CLEAN)
def test_fixed_false_positives_build(good, tmp_path, case):
    broken, site = broken_copy(good, tmp_path, case)
    docs_before = tree_digest(broken / "docs")
    result = build(broken, site)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WARNING" not in result.stderr
    assert tree_digest(broken / "docs") == docs_before


# --------------------------------------------------------------------------- fail closed

CRASH = "import scripts.check as c\ndef boom(site): raise RuntimeError('checker bug')\nc.check_pages = boom\n"


def test_a_crashing_checker_exits_2_with_its_traceback(tmp_path):
    shutil.copytree(DATA / "minisite" / "docs", tmp_path / "docs")
    code = CRASH + "from scripts.__main__ import main\nimport sys\nsys.exit(main(['check', '--no-originality', '--no-spelling']))"
    result = run([sys.executable, "-c", code], cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" in result.stderr and "RuntimeError: checker bug" in result.stderr
    assert "the content checker crashed" in result.stderr
    assert result.stdout == ""


def test_ctrl_c_stops_the_checker_without_a_traceback(tmp_path):
    shutil.copytree(DATA / "minisite" / "docs", tmp_path / "docs")
    before = tree_digest(tmp_path / "docs")
    code = CRASH.replace("RuntimeError('checker bug')", "KeyboardInterrupt") + (
        "from scripts.__main__ import main\nimport sys\nsys.exit(main(['check', '--no-originality', '--no-spelling']))"
    )
    result = run([sys.executable, "-c", code], cwd=tmp_path)
    assert result.returncode == 130
    assert result.stderr == "interrupted: python -m scripts check stopped; no source was changed\n"
    assert tree_digest(tmp_path / "docs") == before


def test_a_crashing_checker_fails_the_build(good, tmp_path):
    """The checker runs in its own process; a sitecustomize breaks it there (and nowhere
    the build itself looks), as a bug in a rule would."""
    patch = tmp_path / "patch"
    patch.mkdir()
    (patch / "sitecustomize.py").write_text(
        "try:\n    import scripts.check as c\n    def boom(site): raise RuntimeError('checker bug')\n    c.check_pages = boom\nexcept Exception:\n    pass\n"
    )
    project, good_site = good
    site = tmp_path / "site"
    shutil.copytree(good_site, site)
    before = tree_digest(site)
    result = build(project, site, env_extra={"PYTHONPATH": f"{ROOT}{os.pathsep}{patch}"})
    assert result.returncode == 1
    assert "checker-crashed: the content checker crashed (exit status 2)" in result.stderr, result.stderr[-3000:]
    assert "RuntimeError: checker bug" in result.stderr
    assert tree_digest(site) == before


# --------------------------------------------------------------------------- the CLI


def fixture_site(tmp_path: Path, case: str | None = None) -> Path:
    shutil.copytree(DATA / "minisite" / "docs", tmp_path / "docs")
    if case:
        copy_case(case, tmp_path / "docs")
    return tmp_path


def check(cwd: Path, *args: str):
    return run([sys.executable, "-m", "scripts", "check", "--no-originality", "--no-spelling", *args], cwd=cwd)


def test_paths_resolve_from_any_folder(tmp_path):
    site = fixture_site(tmp_path, "broken-link")
    expected = check(site, "docs/index.md").stdout
    assert expected.startswith("docs/index.md:7:24: broken-link: 'notes/01-intro.md' does not lead to a page in docs/")
    # from inside docs/notes: the project is found upwards, the path is read from here
    # or from the project, and messages still name docs/…
    notes = site / "docs" / "notes"
    assert check(notes, "../index.md").stdout == expected
    assert check(notes, "docs/index.md").stdout == expected
    assert check(notes).stdout == expected


def test_a_file_outside_docs_is_a_usage_error(tmp_path):
    site = fixture_site(tmp_path)
    (site / "README.md").write_text("# not a page\n", encoding="utf-8")
    result = check(site, "README.md")
    assert result.returncode == 2
    assert "README.md: not inside the docs folder" in result.stderr
    assert check(site, "nope.md").returncode == 2


def test_github_annotations_cannot_be_forged(tmp_path):
    site = fixture_site(tmp_path, "annotation-injection")
    result = run([sys.executable, "-m", "scripts", "check", "--no-originality", "--no-spelling"], cwd=site, env_extra={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    commands = [line for line in lines if line.lstrip().startswith("::")]
    findings = [line for line in lines if not line.lstrip().startswith("::")]
    assert len(commands) == len(findings) == 6
    assert all(line.startswith("::error file=docs/") for line in commands), commands
    assert not any("stop-commands" in line.split("::", 2)[1] for line in commands)
    assert "::error file=docs/glossary.yml,line=9,col=3,title=glossary-field::id 'mesa-optimizer%0A::stop-commands::pwned%0A" in result.stdout


# --------------------------------------------------------------------------- no hang


def test_hostile_lines_finish():
    """Every pattern over contributed text is linear: each hostile line (100,000
    characters, among them 100,000 backticks) gets through the scanner and the copied-text
    and quotation checks (as a quotation, so that they read it). Only finishing
    is asserted (the subprocess timeout is a hang guard, some fifty times what the lines
    take here, and `make bench` measures them); the cubic code-span pattern took minutes
    on 20,000, and the quotation check's old patterns over a minute on these lines."""
    code = (
        "from scripts.robustness_inputs import HOSTILE_LINES\n"
        "from scripts.pages import code_spans, scan\n"
        "from scripts.citations import protect_code, render_citations, PageCitations\n"
        "from scripts.originality import page_tokens, quotations\n"
        "for name, line in HOSTILE_LINES.items():\n"
        "    code_spans(line); protect_code(line + '@'); render_citations(line, {}, PageCitations())\n"
        "    page = scan('---\\ntitle: x\\n---\\n' + line + '\\n')\n"
        "    quotations(scan('---\\ntitle: x\\n---\\n\"' + line + '\"\\n')); page_tokens('\"' + line + '\"')\n"
        "print(len(HOSTILE_LINES))\n"
    )
    result = run([sys.executable, "-c", code], timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "13"


def test_code_spans_as_commonmark_finds_them():
    from scripts.pages import code_spans

    assert code_spans("a `b` c") == [(2, 5)]
    assert code_spans("``a ` b`` then `c`") == [(0, 9), (15, 18)]
    assert code_spans("`unclosed and ``double``") == [(14, 24)]
    assert code_spans("```") == []
    assert code_spans("`" * 100_000) == []


def test_yaml_bombs_are_refused_before_they_are_built():
    from scripts.findings import InputError
    from scripts.limits import MAX_YAML_DEPTH, check_yaml

    with pytest.raises(InputError, match="YAML aliases"):
        check_yaml("a: &a [x, x]\nb: [*a, *a]\n", "f.yml", "rule")
    with pytest.raises(InputError, match=f"nested more than {MAX_YAML_DEPTH}"):
        check_yaml("[" * 1000 + "]" * 1000, "f.yml", "rule")
    check_yaml("a: [1, 2]\nb: {c: d}\n", "f.yml", "rule")  # plain YAML passes


# --------------------------------------------------------------------------- signals, site/


def start_build(project: Path, site: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)
    command = [sys.executable, "-m", "scripts", "build", "--config-file", str(project / "mkdocs.yml"), "--site", str(site)]
    return subprocess.Popen(command, cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("signum, code, said", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "stopped")], ids=["SIGINT", "SIGTERM"])
def test_a_stopped_build_leaves_no_staging_folder(good, tmp_path, signum, code, said):
    project, good_site = good
    site = tmp_path / "site"
    shutil.copytree(good_site, site)
    before = tree_digest(site)
    process = start_build(project, site)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".site-*/site")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)  # wait until MkDocs is writing into the staging folder
    assert process.poll() is None, "the build ended before it could be stopped"
    process.send_signal(signum)
    out, err = process.communicate(timeout=120)
    assert process.returncode == code, err[-3000:]
    assert f"{said}: {site} was left as it was" in err
    assert "Traceback" not in err
    time.sleep(0.5)  # MkDocs, stopped too, must not write anything afterwards
    assert not list(tmp_path.glob(".site-*")), "the staging folder must be removed"
    assert tree_digest(site) == before


def test_an_immutable_site_is_reported(good, tmp_path):
    """``chattr +i site``: the new site cannot take its place; a message, no traceback."""
    project, good_site = good
    site = tmp_path / "site"
    shutil.copytree(good_site, site)
    before = tree_digest(site)
    if shutil.which("chattr") is None or run(["chattr", "+i", str(site)]).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        result = build(project, site)
    finally:
        run(["chattr", "-i", str(site)])
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{site}: error: cannot replace the site (Operation not permitted); it was left as it was" in result.stderr
    assert tree_digest(site) == before
    assert not list(tmp_path.glob(".site-*"))


def test_a_site_folder_that_cannot_be_made_is_reported(good, tmp_path):
    project, _ = good
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    result = build(project, tmp_path / "file" / "site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error: cannot write a new site here" in result.stderr
    assert (tmp_path / "file").read_text() == "not a folder"


def test_make_clean_removes_staging_folders():
    result = run(["make", "-n", "clean"])
    assert result.returncode == 0
    assert ".site-*" in result.stdout


# --------------------------------------------------------------------------- supply chain

PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}  # v\d+(?:\.\d+)*$")


def workflows() -> dict[str, dict]:
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / ".github" / "workflows").glob("*.yml"))}


def test_actions_are_pinned_by_commit_with_the_tag_beside():
    for path in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = re.search(r"uses:\s*(.+)$", line)
            if m:
                assert PINNED.match(m.group(1).strip()), f"{path.name}:{number}: {m.group(1)}"


def test_jobs_have_their_own_permissions_and_timeouts():
    for name, flow in workflows().items():
        assert flow.get("permissions") == {}, f"{name}: the workflow grants nothing; each job asks"
        for job_name, job in flow["jobs"].items():
            where = f"{name}: job {job_name}"
            assert "timeout-minutes" in job, where
            assert isinstance(job.get("permissions"), dict), where
            pages = {"pages", "id-token"} & set(job["permissions"])
            if job_name == "deploy":
                assert job["permissions"] == {"pages": "write", "id-token": "write"}, where
                assert not any("checkout" in str(step.get("uses", "")) for step in job["steps"]), where
            else:
                assert not pages, f"{where} renders contributed content: no Pages rights"
            for step in job.get("steps", []):
                if "actions/checkout@" in str(step.get("uses", "")):
                    assert (step.get("with") or {}).get("persist-credentials") is False, where


def test_lock_file_has_no_machine_local_lines():
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        assert not line.startswith(("--extra-index-url", "--index-url", "--find-links", "-f ", "-i ")), line
        assert "file://" not in line and "/opt/" not in line, line
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lock = makefile[makefile.index("\nlock:") :].split("\n\n", 1)[0]
    assert "--no-emit-index-url" in lock and "--no-emit-find-links" in lock
    assert re.search(r"^PIP_TOOLS := pip-tools==\d+\.\d+\.\d+$", makefile, re.MULTILINE), "pip-tools pinned exactly"
    assert "$(PIP_TOOLS)" in lock
