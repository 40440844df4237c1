"""The content policy (issue: contributed content is untrusted): stored script, file
disclosure and requests to other hosts, each refused with ``path:line:col``.

Every drill runs through the real command line (``python -m scripts check``: exact
findings, exit 1, sources untouched) and the real build (``python -m scripts build``: a
nonzero exit, the finding in its output, the last good site/ and the sources untouched).
The fixtures are tests/data/checker/policy-*/ (also run by tests/test_checker.py) and,
for the drills that need symbolic links, tests/data/policy/<case>/.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from conftest import DATA, ROOT, build_project as build, run, tree_digest

from scripts import glossary, glossary_html, policy, sanitize, sitescan

FIXTURE_CASES = sorted(p.name for p in (DATA / "checker").iterdir() if p.name.startswith("policy-"))
LINK_CASES = sorted(p.name for p in (DATA / "policy").iterdir() if p.is_dir())


def overlay(docs: Path, case_dir: Path) -> None:
    """Copy a case's files over ``docs`` and make the symbolic links it lists."""
    if (case_dir / "docs").is_dir():
        shutil.copytree(case_dir / "docs", docs, dirs_exist_ok=True)
    links = case_dir / "symlinks.txt"
    if links.exists():
        for line in links.read_text(encoding="utf-8").splitlines():
            link, target = (part.strip() for part in line.split("->"))
            path = docs.parent / link
            path.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(target, path)


def case_dir(case: str) -> Path:
    return DATA / "checker" / case if case.startswith("policy-") else DATA / "policy" / case


def digest(folder: Path) -> dict[str, bytes]:
    """Like tree_digest, but a symbolic link counts as its target's name, never its content."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = b"-> " + os.readlink(path).encode()
        elif path.is_file() and not any(p.is_symlink() for p in path.relative_to(folder).parents if str(p) != "."):
            out[rel] = path.read_bytes()
    return out


def check(cwd: Path):
    return run([sys.executable, "-m", "scripts", "check", "--no-originality"], cwd=cwd)


@pytest.mark.parametrize("case", LINK_CASES)
def test_checker_refuses_links(tmp_path, case):
    shutil.copytree(DATA / "minisite" / "docs", tmp_path / "docs")
    overlay(tmp_path / "docs", case_dir(case))
    before = digest(tmp_path / "docs")
    result = check(tmp_path)
    assert result.stdout == (case_dir(case) / "expected.txt").read_text(encoding="utf-8")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert digest(tmp_path / "docs") == before


@pytest.mark.parametrize("case", FIXTURE_CASES + LINK_CASES)
def test_build_refuses_and_loses_nothing(good, tmp_path, case):
    project, good_site = good
    broken = tmp_path / "project"
    shutil.copytree(project, broken)
    overlay(broken / "docs", case_dir(case))
    site = tmp_path / "site"
    shutil.copytree(good_site, site)
    site_before, docs_before = tree_digest(site), digest(broken / "docs")

    result = build(broken, site)

    expected = (case_dir(case) / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert result.returncode != 0
    for line in expected:  # each finding, with the path as the build names it
        assert line.removeprefix("docs/") in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert tree_digest(site) == site_before, "a failed build must not touch the last good site"
    assert digest(broken / "docs") == docs_before, "a build must never rewrite sources"


@pytest.mark.parametrize("case", LINK_CASES + ["policy-static-file", "policy-svg"])
def test_nothing_is_copied_before_the_policy_runs(good, tmp_path, case):
    """Even a bare `mkdocs build` (no safe swap) stops before it copies a single file."""
    project, _ = good
    broken = tmp_path / "project"
    shutil.copytree(project, broken)
    overlay(broken / "docs", case_dir(case))
    raw = tmp_path / "raw-site"
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(broken / "mkdocs.yml"), "--site-dir", str(raw)])
    assert result.returncode != 0
    assert "the content policy refused these files; nothing was copied" in result.stderr
    copied = [p for p in raw.rglob("*") if p.is_file()] if raw.exists() else []
    assert copied == []
    assert "root:" not in "".join(p.read_text(errors="replace") for p in copied)


# --------------------------------------------------------------------------- belt and braces


def test_site_scan_fails_a_build_the_checker_never_saw(good, tmp_path):
    """With the checker and the file rules taken out of mkdocs.yml, the scan of the built
    site still fails the build on a script in a page, and site/ stays as it was."""
    project, good_site = good
    broken = tmp_path / "project"
    shutil.copytree(project, broken)
    config = broken / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"\n  - overrides/hooks/(checks|policy)\.py[^\n]*", "", text)
    config.write_text(text, encoding="utf-8")
    shutil.copytree(DATA / "checker" / "policy-script" / "docs", broken / "docs", dirs_exist_ok=True)
    site = tmp_path / "site"
    shutil.copytree(good_site, site)
    before = tree_digest(site)
    result = build(broken, site)
    assert result.returncode != 0
    assert "the built site failed the security scan" in result.stderr
    assert "site/index.html:" in result.stderr and "site-script: an inline script that is not one of Material's: 'alert(\"script in a page\")'" in result.stderr
    assert "event-handler: <img> has the event-handler attribute 'onerror'" in result.stderr
    assert "unsafe-url: <a href>: a javascript: URL is not allowed" in result.stderr
    assert tree_digest(site) == before


SCAN_CASES = {
    "script": ('<script>alert(1)</script>', "site-script: an inline script that is not one of Material's: 'alert(1)'"),
    "remote script": ('<script src="https://cdn.example/x.js"></script>', "site-script: a script from another host"),
    "unknown script": ('<script src="assets/evil.js"></script>', "site-script: the script assets/evil.js is neither Material's nor one of ours"),
    "onerror": ('<img src="a.png" onerror="alert(1)">', "event-handler: <img> has the event-handler attribute 'onerror'"),
    "javascript href": ('<a href="java&#9;script:alert(1)">x</a>', "unsafe-url: <a href>: a javascript: URL is not allowed"),
    "html5 entity": ('<a href="javascript&colon;alert(1)">x</a>', "unsafe-url: <a href>: a javascript: URL is not allowed"),
    "srcset": ('<img src="a.png" srcset="a.png 1x, https://e.example/b.png 2x">', "foreign-resource: <img srcset>"),
    "poster": ('<video poster="//e.example/p.png"></video>', "foreign-resource: <video poster>"),
    "object": ('<object data="https://e.example/o"></object>', "site-html: <object> is not allowed"),
    "style url": ('<p style="background: url(https://e.example/bg.png)">p</p>', "foreign-resource: <p style>"),
    "style element": ('<style>@import "https://e.example/x.css";</style>', "unsafe-url: in a <style>: '@import' is not allowed"),
    "svg image": ('<svg><image href="https://e.example/i.png"/></svg>', "foreign-resource: <image href>"),
    "svg xlink": ('<svg><use xlink:href="https://e.example/s.svg#a"/></svg>', "foreign-resource: <use xlink:href>"),
    "ping": ('<a href="https://example.org/" ping="https://e.example/ping">x</a>', "foreign-resource: <a ping>"),
    "lazy image": ('<img src="https://e.example/lazy.png" loading="lazy">', "foreign-resource: <img src>"),
    "stylesheet": ('<link rel="stylesheet" href="https://e.example/s.css">', "foreign-resource: <link href>"),
    "refresh": ('<meta http-equiv="refresh" content="0; url=https://e.example/">', "site-html: a <meta http-equiv=refresh>"),
    "iframe": ('<iframe src="x.html"></iframe>', "site-html: <iframe> is not allowed"),
}


@pytest.mark.parametrize("what", sorted(SCAN_CASES))
def test_site_scan_finds(what):
    snippet, message = SCAN_CASES[what]
    page = f"<!doctype html><html><head><title>t</title></head><body>\n{snippet}\n</body></html>"
    found = [f.format() for f in sitescan.scan_html(page, "site/page.html", "page.html", frozenset())]
    assert any(f.startswith("site/page.html:2:1: ") and message in f for f in found), found


def test_site_scan_passes_the_real_site(site):
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    own = sitescan.own_scripts(config["extra_javascript"], config["extra"].get("polyfills", []))
    assert [f.format() for f in sitescan.scan_site(site, own)] == []


def test_links_to_other_sites_are_not_resources():
    page = '<html><body><a href="https://example.org/">x</a><link rel="canonical" href="https://example.org/"></body></html>'
    assert sitescan.scan_html(page, "p", "p", frozenset()) == []


# --------------------------------------------------------------------------- Content-Security-Policy


def test_every_page_carries_the_policy_with_the_hashes_of_its_scripts(site):
    import base64
    import hashlib

    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        html = path.read_text(encoding="utf-8")
        m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert m, path
        assert html.index(m.group(0)) < html.index("<script"), f"{path}: the policy must come before any script"
        policy_text = m.group(1)
        assert "'unsafe-inline'" not in policy_text.split("script-src", 1)[1].split(";", 1)[0]
        assert "object-src 'none'" in policy_text and "base-uri 'none'" in policy_text
        for body in re.findall(r"<script>(.*?)</script>", html, re.S):
            digest_ = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            assert f"'sha256-{digest_}'" in policy_text, f"{path}: inline script without its hash"


def test_every_script_file_is_deferred_behind_the_policy(site):
    """The policy meta tag stops Chromium's preload scanner, so a script file that blocked the
    parser would be fetched only when the parser reached it, one after another: each page's
    script files are deferred (fetched side by side, run in order once the page is parsed)."""
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        if "Content-Security-Policy" not in html[:4000]:
            continue
        tags = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", html)
        assert tags, path
        assert [t for t in tags if not t.endswith(" defer>")] == [], path


def test_defer_leaves_inline_data_and_async_scripts_alone():
    page = ('<script src="a.js"></script><script id="__config" type="application/json">{}</script>'
            '<script>var x = 1</script><script src="b.js" async></script><script type="module" src="c.js"></script>')
    assert sitescan.defer_scripts(page) == page.replace('<script src="a.js">', '<script src="a.js" defer>')


def test_a_script_that_is_not_materials_gets_no_hash():
    page = '<html><head><meta charset="utf-8"></head><body><script>alert(1)</script></body></html>'
    out = sitescan.add_csp(page)
    assert "script-src 'self' ;" in out or "script-src 'self';" in out
    assert out.index("Content-Security-Policy") < out.index("<script>")


# --------------------------------------------------------------------------- escaping and the sanitiser


def test_glossary_text_is_rendered_inert():
    assert glossary_html.inert('a <img src=x onerror=alert(1)> `<b>` {: onclick=x}') == "a &lt;img src=x onerror=alert(1)> `<b>` &#123;: onclick=x}"


def test_glossary_page_shows_raw_html_as_text(tmp_path):
    shutil.copytree(DATA / "minisite" / "docs", tmp_path / "docs")
    shutil.copytree(DATA / "checker" / "policy-glossary-html" / "docs", tmp_path / "docs", dirs_exist_ok=True)
    gloss = glossary.load(tmp_path / "docs" / "glossary.yml")
    import markdown

    html = markdown.markdown(glossary_html.render_page(gloss), extensions=["attr_list"])
    assert "<img" not in html
    assert "&lt;img src=\"x\" onerror=\"alert(document.domain)\"&gt;" in html or '&lt;img src="x" onerror="alert(document.domain)">' in html


def test_sanitiser_keeps_the_real_figures_whole():
    for path in sorted((ROOT / "docs" / "assets").rglob("*.svg")):
        text = path.read_text(encoding="utf-8")
        assert sanitize.problems(text) == [], path
        assert sanitize.clean(text) == text


def test_sanitiser_removes_what_it_refuses():
    svg = (DATA / "checker" / "policy-svg" / "docs" / "assets" / "figures" / "figure-1.svg").read_text(encoding="utf-8")
    cleaned = sanitize.clean(svg)
    assert sanitize.problems(cleaned) == []
    for gone in ("<script", "onload", "evil.example", "javascript:", "foreignObject"):
        assert gone not in cleaned
    assert "<rect" in cleaned


@pytest.mark.parametrize("svg, message", [
    ('<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>', "a DOCTYPE or entity declaration"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect', "not well-formed XML"),
    ('<html><body/></html>', "the root element must be <svg>"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><?php echo 1 ?></svg>', "processing instructions"),
    ('<svg xmlns="http://www.w3.org/2000/svg" style="background: url(https://e.example/x)"/>', "url(#id)"),
], ids=["entity", "broken", "not-svg", "pi", "style-url"])
def test_sanitiser_refuses(svg, message):
    found = sanitize.problems(svg)
    assert found and message in found[0].message, found


def test_real_docs_pass_the_policy():
    assert [f.format() for f in policy.check_tree(ROOT / "docs")] == []


def test_inline_code_scan_is_linear():
    """100,000 backticks: the code-span scan finishes (it pairs runs in one pass)."""
    assert policy.code_spans("`" * 100_000) == []
    assert policy.code_spans("`a` `` b `` `c") == [(0, 3), (4, 11)]
