"""The content checker: glossary links, citations, the notes template, callouts.

Every rule yields ``Finding``s; nothing stops at the first problem. The command line
(``python -m scripts check [paths]``) prints them sorted, one per line, and exits 1
when there are any. The build runs the same command in a second process, beside the
page rendering (scripts/beside.py, used by overrides/hooks/checks.py).
"""

from __future__ import annotations

import bisect
import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import unquote
from pathlib import Path

from . import bibliography, glossary
from . import BIB_NAME, GLOSSARY_NAME
from .findings import Finding, InputError
from . import coverage, forward, hints, locators, originality, paper, policy, practice
from .pages import Page, display_path, docs_pages, read_pages, resolve_link
from .template import BUILT_SECTIONS, CALLOUT_TYPES, CLOSING_SECTIONS, OUR_CALLOUTS, PAPER_KEY, REQUIRED_SECTIONS, UNCITED_SECTIONS

MIN_SELFCHECKS = 4
NOTES_DIR = "notes/"
FRONT_MATTER = {"title": str, "section": str, "subsections": list, "post": dict, "reading_time": int, "terms": list}
MAPPING = re.compile(r"^\s*\*\*What maps to what\*\*\s*$", re.MULTILINE)
BREAKDOWN = re.compile(r"^\s*\*\*Where it breaks down\.?\*\*", re.MULTILINE)


@dataclass
class Site:
    docs: Path
    pages: list[Page]
    glossary: glossary.Glossary | None
    bib: bibliography.Bibliography | None
    findings: list[Finding]
    unreadable: list[str]  # pages whose front matter could not be read


def load_site(docs: Path, glossary_file: Path | None = None, bib_file: Path | None = None) -> Site:
    """Read the glossary, the bibliography and the pages, collecting input errors."""
    findings: list[Finding] = []
    gloss = bib = None
    try:
        gloss = glossary.load(glossary_file or docs / GLOSSARY_NAME)
        findings += gloss.findings
    except InputError as exc:
        findings.append(exc.finding)
    try:
        bib = bibliography.load(bib_file or docs / BIB_NAME)
        findings += bib.findings
    except InputError as exc:
        findings.append(exc.finding)
    pages, unread, unreadable = read_pages(docs)
    return Site(docs, pages, gloss, bib, findings + unread, unreadable)


def is_notes(page: Page) -> bool:
    return page.rel.startswith(NOTES_DIR)


def has_terms(page: Page) -> bool:
    return "terms" in page.meta


@contextmanager
def collector_paused():
    """Python's cycle collector paused: a check makes millions of small objects (every
    page's lines, links, headings and term uses) that live until it ends or are freed
    as soon as they are dropped, and the collector would walk all of them, again and
    again as they pile up (a fifth of the time on 1,000 pages), to find nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check(docs: Path, paths: list[Path] | None = None, glossary_file: Path | None = None, bib_file: Path | None = None) -> list[Finding]:
    """Run every rule. ``paths`` limits page-level findings to those files."""
    with collector_paused():
        return _check(docs, paths, glossary_file, bib_file)


def _check(docs: Path, paths: list[Path] | None, glossary_file: Path | None, bib_file: Path | None) -> list[Finding]:
    site = load_site(docs, glossary_file, bib_file)
    findings = list(site.findings)
    findings += check_pages(site)
    findings += check_practice(site)
    findings += originality.check_quotations(site.pages)  # quotations of the paper match its words
    if not site.unreadable:  # the paper coverage map (scripts/coverage.py): every page's covers/skips
        findings += coverage.check(docs, site.pages, site.glossary)
    findings += policy.check_site(site)  # untrusted content: raw HTML, URLs, files (scripts/policy.py)
    if paths:
        wanted = {display_path(p) for p in docs_pages(docs, paths)}
        shared = {display_path(site.glossary.path)} if site.glossary else set()
        shared |= {display_path(site.bib.path)} if site.bib else set()
        findings = [f for f in findings if f.path in wanted or f.path in shared]
    return sorted(set(findings))


def check_pages(site: Site) -> list[Finding]:
    """The rules on each page, then the site-wide rules on the glossary and the bibliography."""
    rules = PageRules.of(site)
    findings: list[Finding] = []
    linked_from_notes: set[str] = set()
    for page in site.pages:
        page_findings, linked = check_page(page, site.docs, rules)
        findings += page_findings
        linked_from_notes |= linked
    return findings + check_site_wide(site, rules, linked_from_notes)


@dataclass(frozen=True)
class PageRules:
    """What the per-page rules read of the whole site, made once per check."""

    entries: dict | None  # glossary entries by id; None when the glossary cannot be read
    pattern: object
    owner: dict
    bib_keys: set[str] | None  # None when the bibliography cannot be read
    rels: set[str]  # every page, read or not

    @classmethod
    def of(cls, site: Site) -> "PageRules":
        gloss = site.glossary
        pattern, owner = glossary.term_pattern(gloss.entries) if gloss else (None, {})
        return cls(
            gloss.by_id if gloss else None, pattern, owner,
            set(site.bib.data.entries) if site.bib else None,
            {p.rel for p in site.pages} | set(site.unreadable),
        )


def check_page(page: Page, docs: Path, rules: PageRules) -> tuple[list[Finding], set[str]]:
    """One page's findings, and the glossary ids it links if it counts for glossary-orphan."""
    findings: list[Finding] = []
    linked: set[str] = set()
    bib_keys = rules.bib_keys
    for cite in page.citations:
        if bib_keys is not None and cite.key not in bib_keys:
            findings.append(page.finding(cite.line, cite.col, "unknown-key", f"citation key '{cite.key}' is not in docs/references.bib" + hints.did_you_mean(cite.key, bib_keys)))
        if cite.locator and not locators.valid(cite.locator):
            findings.append(page.finding(cite.line, cite.col, "citation-locator", locators.problem(cite.locator)))
        elif cite.key == PAPER_KEY and cite.locator and paper.missing(cite.locator):
            findings.append(page.finding(cite.line, cite.col, "citation-locator", paper.missing(cite.locator)))
        elif cite.key == PAPER_KEY and not cite.locator:
            findings.append(page.finding(cite.line, cite.col, "citation-locator", f"cite the paper with a locator, e.g. [@{PAPER_KEY}, sec. 3.1]"))
    findings += check_links(page, rules.rels, rules.entries)
    findings += check_raw_images(page, docs)
    findings += check_callouts(page)
    if is_notes(page):
        findings += check_template(page)
    if rules.entries is not None and has_terms(page):
        page_uses = glossary.uses(page, rules.pattern, rules.owner)
        findings += check_first_use(page, page_uses)
        findings += forward.check(page, page_uses, rules.entries)  # terms the paper introduces later
        findings += check_terms_list(page, page_uses, rules.entries)
        if is_notes(page) or page.meta.get("terms"):
            linked = {u.id for u in page_uses if u.linked}
    return findings, linked


def check_site_wide(site: Site, rules: PageRules, linked_from_notes: set[str]) -> list[Finding]:
    """Rules on the glossary and the bibliography that need every page (skipped for an
    orphan or an uncited entry when a page could not be read)."""
    findings: list[Finding] = []
    gloss = site.glossary
    bib_keys = rules.bib_keys
    complete = not site.unreadable  # site-wide rules need every page
    cited = {cite.key for page in site.pages for cite in page.citations}
    if gloss:
        shown = display_path(gloss.path)
        for entry in gloss.entries:
            if complete and entry.id not in linked_from_notes:
                findings.append(Finding(shown, entry.line, 3, "glossary-orphan", f"'{entry.id}' is not linked from any notes page"))
            if bib_keys is not None:
                for key in entry.cite_keys():
                    if key not in bib_keys:
                        findings.append(Finding(shown, entry.lines["cite"], 3, "unknown-key", f"entry '{entry.id}' cites '{key}', which is not in docs/references.bib" + hints.did_you_mean(key, bib_keys)))
            for key, locator in entry.citations():
                if locator and not locators.valid(locator):
                    findings.append(Finding(shown, entry.lines["cite"], 3, "citation-locator", f"entry '{entry.id}': {locators.problem(locator)}"))
                elif key == PAPER_KEY and locator and paper.missing(locator):
                    findings.append(Finding(shown, entry.lines["cite"], 3, "citation-locator", f"entry '{entry.id}': {paper.missing(locator)}"))
                elif key == PAPER_KEY and not locator:
                    findings.append(Finding(shown, entry.lines["cite"], 3, "citation-locator", f"entry '{entry.id}' cites the paper without a locator; write it as [@{PAPER_KEY}, sec. 3.1]"))
            cited |= set(entry.cite_keys())
    if site.bib:
        shown = display_path(site.bib.path)
        for key in site.bib.data.entries:
            group = site.bib.group_of(key)
            if complete and group in ("later", "background") and key not in cited:
                findings.append(Finding(shown, site.bib.lines.get(key, 1), 1, "uncited-entry", f"'{key}' is {group} work that no page cites; cite it or remove it"))
    return findings


RAW_IMG_SRC = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*["']([^"'>]*)["']""", re.IGNORECASE)


def check_raw_images(page: Page, docs: Path) -> list[Finding]:
    """A raw-HTML ``<img src>`` names a file in docs/ (MkDocs checks only Markdown images)."""
    findings = []
    if "<img" not in page.text.lower():  # no line could hold one
        return findings
    for number, line in enumerate(page.lines, 1):
        if number < page.body_start or "<" not in line or "<img" not in line.lower():
            continue
        end = line.rfind(">") + 1  # an <img that never closes cannot match: search no further
        for m in RAW_IMG_SRC.finditer(line, 0, end):
            target = m.group(1).split("#", 1)[0].split("?", 1)[0]
            if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("/"):
                continue
            # MkDocs leaves raw HTML as written, so the browser reads the path from the
            # built page's folder (notes/01-introduction/); the source's folder is accepted too
            built = page.rel if page.rel.endswith("index.md") else page.rel[: -len(".md")] + "/index.md"
            places = {resolve_link(rel, unquote(target)) for rel in (page.rel, built)}
            if not any((docs / place).is_file() for place in places):
                findings.append(page.finding(number, m.start(1) + 1, "broken-image", f"'{target}' is not a file in docs/; a raw-HTML image is found from the built page's folder"))
    return findings


def check_practice(site: Site) -> list[Finding]:
    """Self-checks as practice cards (scripts/practice.py), once the site has a Practice page."""
    if not practice.has_practice(site.docs):
        return []
    cards = practice.collect(site.pages, site.glossary)
    findings = list(cards.findings)
    if site.glossary and not site.unreadable and not site.glossary.findings:
        findings += practice.check_coverage(cards, site.glossary)
    return findings


LINK_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")


def check_links(page: Page, rels: set[str], entries: dict | None) -> list[Finding]:
    findings = []
    for link in page.links:
        target = link.path
        if not target or LINK_SCHEME.match(target) or target.startswith("/"):
            continue
        resolved = resolve_link(page.rel, unquote(target))  # MkDocs reads %20 as a space
        if target.endswith(".md") and resolved not in rels:
            findings.append(page.finding(link.line, link.col, "broken-link", f"'{target}' does not lead to a page in docs/" + hints.did_you_mean(target, [hints.link_from(page.rel, r) for r in rels if r.endswith(".md")])))
        if entries is not None and glossary.glossary_target(page, target) and not link.image:
            if not link.fragment:
                findings.append(page.finding(link.line, link.col, "glossary-anchor", f"a glossary link needs an entry anchor, e.g. {hints.link_from(page.rel, 'glossary.md#mesa-optimizer')}"))
            elif link.fragment not in entries and not link.fragment.startswith("group-"):
                findings.append(page.finding(link.line, link.col, "glossary-anchor", f"'#{link.fragment}' is not an entry in docs/glossary.yml" + hints.did_you_mean(link.fragment, entries, show=lambda c: f"'{hints.link_from(page.rel, glossary.GLOSSARY_PAGE + '#' + c)}'")))
    return findings


def check_callouts(page: Page) -> list[Finding]:
    findings = []
    for callout in page.callouts:
        if callout.kind not in CALLOUT_TYPES:
            findings.append(page.finding(callout.line, callout.col, "callout-type", f"unknown callout type '{callout.kind}'" + (hints.did_you_mean(callout.kind, CALLOUT_TYPES) or f"; use {', '.join(OUR_CALLOUTS)} or a Material type")))
        if callout.kind == "analogy":
            body = callout.body(page)
            if not MAPPING.search(body):
                findings.append(page.finding(callout.line, callout.col, "analogy-mapping", f"analogy '{callout.title}' needs a **What maps to what** table" + near_miss(body, "What maps to what", callout)))
            if not BREAKDOWN.search(body):
                findings.append(page.finding(callout.line, callout.col, "analogy-breakdown", f"analogy '{callout.title}' needs a **Where it breaks down.** paragraph" + near_miss(body, "Where it breaks down.", callout)))
        if callout.kind in OUR_CALLOUTS and not callout.title:
            findings.append(page.finding(callout.line, callout.col, "callout-title", f"a {callout.kind} callout needs a title in quotes"))
    return findings


def near_miss(body: str, wanted: str, callout) -> str:
    """'; line 27 has **Where it breaks down:**: did you mean **Where it breaks down.**?' or ''."""
    found = hints.near_miss_paragraph(body, wanted)
    if not found:
        return ""
    offset, text = found
    return f"; line {callout.line + 1 + offset} has {text}: did you mean **{wanted}**?"


def check_template(page: Page) -> list[Finding]:
    findings = []
    meta = page.meta
    for key, kind in FRONT_MATTER.items():
        if key not in meta:
            findings.append(page.finding(1, 1, "template", f"front matter lacks '{key}'"))
        elif not isinstance(meta[key], kind):
            findings.append(page.finding(page.meta_lines.get(key, 1), 1, "template", f"front matter '{key}' must be a {kind.__name__}"))
    post = meta.get("post")
    if isinstance(post, dict) and not (post.get("title") and post.get("url")):
        findings.append(page.finding(page.meta_lines.get("post", 1), 1, "template", "front matter 'post' needs a title and a url"))
    anchors = {h.anchor: h for h in page.headings}
    for anchor, title in REQUIRED_SECTIONS:
        if anchor not in anchors:
            findings.append(page.finding(page.body_start, 1, "template", f"the page needs a '## {title}' section"))
    for number in meta.get("subsections") if isinstance(meta.get("subsections"), list) else []:
        anchor = "sec-" + str(number).replace(".", "-")
        heading = anchors.get(anchor)
        if heading is None:
            findings.append(page.finding(page.meta_lines.get("subsections", 1), 1, "template", f"subsection {number} needs a heading '## {number} …' with the anchor {{ #{anchor} }}"))
        elif not heading.text.startswith(f"{number} "):
            findings.append(page.finding(heading.line, 1, "template", f"the heading for {number} must start with the paper's number '{number} '"))
    # at least one citation of the paper, with a locator, under every level-2 section
    sections = [h for h in page.headings if h.level == 2]
    cited = sorted(c.line for c in page.citations if c.key == PAPER_KEY and locators.valid(c.locator))
    for i, heading in enumerate(sections):
        if heading.anchor in UNCITED_SECTIONS:
            continue
        end = sections[i + 1].line if i + 1 < len(sections) else len(page.lines) + 1
        first = bisect.bisect_right(cited, heading.line)  # the first such citation below the heading
        if not (first < len(cited) and cited[first] < end):
            findings.append(page.finding(heading.line, 1, "template", f"section '{heading.text}' cites the paper nowhere; add [@{PAPER_KEY}, sec. N]"))
    selfchecks = [c for c in page.callouts if c.kind == "selfcheck"]
    if len(selfchecks) < MIN_SELFCHECKS:
        findings.append(page.finding(page.body_start, 1, "template", f"the page has {len(selfchecks)} selfcheck callouts; it needs at least {MIN_SELFCHECKS}"))
    findings += check_closing_sections(page, sections, selfchecks)
    return findings


def check_closing_sections(page: Page, sections: list, selfchecks: list) -> list[Finding]:
    """The page ends with Key takeaways, then Self-check; every self-check is in Self-check."""
    findings = []
    (takeaways, takeaways_title), (selfcheck, selfcheck_title) = CLOSING_SECTIONS
    order = f"the page ends with '## {takeaways_title}', then '## {selfcheck_title}'"
    written = [h for h in sections if h.anchor not in BUILT_SECTIONS]
    where = {h.anchor: i for i, h in enumerate(written) if h.anchor in (takeaways, selfcheck)}
    if len(where) == 2:
        if where[selfcheck] < where[takeaways]:
            heading = written[where[selfcheck]]
            findings.append(page.finding(heading.line, 1, "template", f"'## {heading.text}' comes before '## {takeaways_title}'; {order}"))
        for heading in written[where[takeaways] + 1 :]:
            if heading.anchor != selfcheck:
                findings.append(page.finding(heading.line, 1, "template", f"section '{heading.text}' comes after '## {takeaways_title}'; {order}"))
    home = next((i for i, h in enumerate(sections) if h.anchor == selfcheck), None)
    if home is not None:
        start = sections[home].line
        end = sections[home + 1].line if home + 1 < len(sections) else len(page.lines) + 1
        for callout in selfchecks:
            if not start < callout.line < end:
                findings.append(page.finding(callout.line, callout.col, "template", f"self-check '{callout.title}' is outside '## {selfcheck_title}'; move it there"))
    return findings


def check_first_use(page: Page, uses: list[glossary.Use]) -> list[Finding]:
    findings = []
    seen: set[str] = set()
    for use in uses:
        if use.id in seen:
            continue
        seen.add(use.id)
        if not use.linked:
            findings.append(page.finding(use.line, use.col, "unlinked-term", f"first use of '{use.text}' should link to {hints.link_from(page.rel, glossary.GLOSSARY_PAGE + '#' + use.id)}"))
    return findings


def check_terms_list(page: Page, uses: list[glossary.Use], entries: dict) -> list[Finding]:
    findings = []
    terms = page.meta.get("terms")
    if not isinstance(terms, list):
        return [page.finding(page.meta_lines.get("terms", 1), 1, "terms-list", "front matter 'terms' must be a list of glossary ids")]
    line = page.meta_lines.get("terms", 1)
    listed = [str(t) for t in terms]
    linked: dict[str, glossary.Use] = {}
    for use in uses:
        if use.linked:
            linked.setdefault(use.id, use)
    for term in listed:
        if term not in entries:
            findings.append(page.finding(line, 1, "terms-list", f"'{term}' in front matter 'terms' is not a glossary id" + hints.did_you_mean(term, entries)))
        elif term not in linked:
            findings.append(page.finding(line, 1, "terms-list", f"'{term}' is listed in front matter 'terms' but the page never links it"))
    for term, use in linked.items():
        if term in entries and term not in listed:
            findings.append(page.finding(use.line, use.col, "terms-list", f"the page links '{term}' but front matter 'terms' does not list it"))
    return findings


def fix_terms_lists(docs: Path, paths: list[Path] | None = None) -> list[str]:
    """Rewrite each page's front matter `terms` to the glossary ids it links, in order.

    Only for ``--fix``: the checker never writes otherwise. Returns the files changed.
    """
    site = load_site(docs)
    if site.glossary is None:
        return []
    wanted = {display_path(p) for p in docs_pages(docs, paths)} if paths else None
    changed = []
    for page in site.pages:
        if not has_terms(page) or (wanted is not None and page.display not in wanted):
            continue
        ids: list[str] = []
        for use in glossary.uses(page, None, {}):
            if use.id in site.glossary.by_id and use.id not in ids:
                ids.append(use.id)
        if [str(t) for t in page.meta.get("terms") or []] == ids:
            continue
        lines = page.lines
        start = page.meta_lines["terms"] - 1
        end = start + 1
        while end < len(lines) and (lines[end].startswith((" ", "\t")) and lines[end].strip()):
            end += 1
        lines = lines[:start] + [f"terms: [{', '.join(ids)}]"] + lines[end:]
        page.path.write_text("\n".join(lines), encoding="utf-8")
        changed.append(page.display)
    return changed

