"""Every entry of ``docs/references.bib``, formatted once for the whole book.

mkdocs-bibtex formats the entries with pandoc and a CSL style (Chicago author-date); this
module is the one adapter to it (see ``format_with_bibtex``). What it hands back is
pandoc's Markdown, which still carries pandoc and LaTeX markup ("[Goodhart's]{.nocase}",
"102--16", "RL$^2$", "Reframing\\_Superintelligence"). Here it becomes clean, safe HTML,
in one more pandoc run, and each work gets its author-date label:

- **One label, one work.** Works whose labels would read alike (the paper, its five
  posts and its MIRI page are all "Hubinger et al. 2019") get year suffixes, 2019a,
  2019b, …, in the order of ``references.bib``; assigned once, so a work carries the
  same label on every page, in the hover cards and in the PDF.
- **Nothing leaks.** ``{.nocase}`` spans are unwrapped, dashes and TeX superscripts are
  typeset by pandoc, link texts show the URL as it is, and no markup reaches a reader.
- **Safe.** ``references.bib`` comes from contributors: only a few inline tags survive,
  and only http(s) links.

The result is cached in ``.cache/`` under a digest of the .bib file and the style, so a
build with an unchanged .bib starts no pandoc at all.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import lxml.html
from lxml import etree

from .bibliography import links

CACHE_VERSION = "references-2"
ALLOWED_TAGS = {"a", "em", "i", "strong", "b", "sup", "sub", "span", "cite", "q", "code", "br"}
LABEL = re.compile(r"^\((?P<label>.*)\)$", re.DOTALL)
DATE = re.compile(r"^(?P<author>.*?)(?P<sep>,? )(?P<date>\d{4}|n\.d\.)$", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
SAFE_HREF = re.compile(r"^https?://", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """One work as readers see it."""

    key: str
    author: str  # HTML: "Hubinger et al.", "Cheal"; "" when the style prints no author
    sep: str  # between author and date: " " or ", " (Chicago writes "Cheal, n.d.")
    date: str  # "2019a", "2015", "n.d."
    html: str  # the full reference: clean, safe inline HTML with its links

    @property
    def label(self) -> str:
        """The author-date label, as HTML: "Hubinger et al. 2019a"."""
        return f"{self.author}{self.sep}{self.date}" if self.author else self.date

    @property
    def text(self) -> str:
        return plain(self.html)

    @property
    def label_text(self) -> str:
        return plain(self.label)


def plain(html: str) -> str:
    return " ".join(html_lib.unescape(TAG.sub("", html)).split())


# --------------------------------------------------------------------------- the adapter


def plugin_of(config):
    """The mkdocs-bibtex plugin of a loaded MkDocs config (public: ``config.plugins``)."""
    return config.plugins["bibtex"]


def use_style(config, csl_path: str) -> None:
    """Make the plugin format with ``csl_path`` (public: the plugin's ``csl_file`` option)."""
    plugin_of(config).config["csl_file"] = csl_path


def registry_of(config):
    """The plugin's registry, made in its on_config (public attribute ``registry``)."""
    registry = plugin_of(config).registry
    if registry is None:
        raise ValueError("mkdocs-bibtex made no registry (did its on_config run?)")
    return registry


def entries_of(registry):
    """The .bib entries as pybtex parsed them, in file order (public: ``registry.bib_data``)."""
    return registry.bib_data


def format_with_bibtex(registry, bib_path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Have mkdocs-bibtex's registry format every entry in one pandoc run.

    Returns (key -> inline label in pandoc Markdown, key -> reference in pandoc Markdown).
    This is the one place that touches the registry's internals; each private access is
    named below, and tests/test_citations.py (test_contract_with_mkdocs_bibtex) runs the
    real plugin on a tiny .bib to check each one, so a new plugin version fails loudly.

    The registry writes the entries back out with pybtex before pandoc reads them, and
    pybtex doubles the backslash of ``\\%``, which pandoc then reads as a line break and
    a comment (a title such as "<1\\% Likely by Default" loses its end). Pandoc is given
    the .bib file as written instead.
    """
    from mkdocs_bibtex.citation import Citation, CitationBlock

    # PRIVATE 1: ``bib_data_bibtex`` is a functools.cached_property of PandocRegistry (the
    # text pandoc is given); setting the instance attribute first replaces its value.
    registry.__dict__["bib_data_bibtex"] = bib_path.read_text(encoding="utf-8")
    keys = list(entries_of(registry).entries)
    registry.validate_citation_blocks([CitationBlock(citations=[Citation(key=k)]) for k in keys])  # public: one pandoc run
    # PRIVATE 2: ``_inline_cache`` maps a block's text "[@key]" to pandoc's inline label; the
    # public inline_text() appends footnote marks, so the label alone is read from the cache.
    inline_cache = getattr(registry, "_inline_cache", None)
    if not isinstance(inline_cache, dict):
        raise ValueError("mkdocs-bibtex's registry has no _inline_cache dict: the adapter in scripts/references.py needs updating")
    inline = {k: inline_cache.get(f"[@{k}]", "") for k in keys}
    refs = {}
    for k in keys:
        try:
            refs[k] = registry.reference_text(Citation(key=k))  # public
        except KeyError:
            refs[k] = ""
    missing = [k for k in keys if not inline[k] or not refs[k]]
    if missing:
        raise ValueError(f"mkdocs-bibtex formatted no label or reference for {', '.join(missing)}")
    return inline, refs


def pandoc_html(pieces: dict[str, str]) -> dict[str, str]:
    """Pandoc Markdown -> HTML for many short pieces, in one pandoc run."""
    import pypandoc

    doc = "\n\n".join(f"::: {{#piece-{i}}}\n{text}\n:::" for i, text in enumerate(pieces.values()))
    out = pypandoc.convert_text(doc, "html", format="markdown", extra_args=["--wrap=none"])
    root = lxml.html.fragment_fromstring(f"<div>{out}</div>")
    found: dict[str, str] = {}
    for i, name in enumerate(pieces):
        div = root.get_element_by_id(f"piece-{i}", None)
        if div is None:
            raise ValueError(f"pandoc lost the formatting of '{name}'")
        found[name] = inner_html(sanitize(div))
    return found


# --------------------------------------------------------------------------- cleaning


def sanitize(root):
    """Keep only inline formatting and http(s) links; unwrap pandoc's spans.

    Paragraph wrappers and unknown tags are unwrapped (their text stays), scripts and
    styles are dropped with their content, attributes other than a safe ``href`` go.
    A link whose text is its own URL shows that URL exactly (pandoc's Markdown escapes
    underscores in it).
    """
    for bad in root.xpath(".//script|.//style|.//iframe|.//object|.//embed|.//svg|.//math|.//template"):
        bad.drop_tree()
    for el in list(root.iterdescendants()):
        if not isinstance(el.tag, str):  # comments, processing instructions
            el.drop_tree()
            continue
        tag = el.tag.lower()
        href = el.get("href", "")
        is_uri = "uri" in (el.get("class") or "").split()
        for name in list(el.attrib):
            del el.attrib[name]
        if tag == "a":
            if SAFE_HREF.match(href.strip()):
                el.set("href", href.strip())
                if is_uri or plain(etree.tostring(el, encoding="unicode")).replace("\\", "") == href.strip():
                    for child in list(el):
                        el.remove(child)
                    el.text = href.strip()
            else:
                el.drop_tag()
            continue
        if tag not in ALLOWED_TAGS or tag == "span":
            el.drop_tag()
    return root


def inner_html(el) -> str:
    text = (el.text or "") + "".join(etree.tostring(child, encoding="unicode", method="html") for child in el)
    return " ".join(text.split())


# --------------------------------------------------------------------------- labels


def split_label(key: str, label: str) -> tuple[str, str, str]:
    """"Hubinger et al. 2019" -> ("Hubinger et al.", " ", "2019")."""
    m = DATE.match(label.strip())
    if not m:
        return "", "", label.strip()
    return m.group("author"), m.group("sep"), m.group("date")


def suffixed(date: str, index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return f"{date}-{letters}" if date == "n.d." else f"{date}{letters}"


def add_suffix_to_reference(html: str, date: str, new: str, key: str) -> str:
    """Put the year suffix on the reference's date: "… Garrabrant. 2019. <em>Risks…" -> "2019a."."""
    pattern = re.compile(rf"(^|[.>]\s*|\s){re.escape(date)}(?=\.)")
    m = pattern.search(html)
    if not m:
        raise ValueError(f"reference '{key}': cannot find its date '{date}' to add the suffix '{new}'")
    return html[: m.end() - len(date)] + new + html[m.end() :]


def build(bib_data, inline: dict[str, str], refs: dict[str, str], convert=pandoc_html) -> dict[str, Reference]:
    """Turn the registry's Markdown into References, in .bib order, with year suffixes."""
    pieces = {}
    for key in bib_data.entries:
        label = LABEL.match(inline.get(key, "").strip())
        pieces[f"label:{key}"] = label.group("label") if label else inline.get(key, key)
        pieces[f"ref:{key}"] = refs.get(key) or key
    html = convert(pieces)
    parts = {key: split_label(key, html[f"label:{key}"]) for key in bib_data.entries}
    alike: dict[tuple[str, str], list[str]] = {}
    for key, (author, _sep, date) in parts.items():
        alike.setdefault((plain(author), date), []).append(key)
    out: dict[str, Reference] = {}
    for key, (author, sep, date) in parts.items():
        ref_html = html[f"ref:{key}"]
        group = alike[(plain(author), date)]
        if len(group) > 1:
            new = suffixed(date, group.index(key))
            ref_html = add_suffix_to_reference(ref_html, date, new, key)
            date = new
        ref_html = with_links(ref_html, bib_data.entries[key])
        out[key] = Reference(key, author, sep, date, ref_html)
    return out


def with_links(html: str, entry) -> str:
    """Add the entry's arXiv / DOI / URL links that the formatted text does not already have."""
    present = set(re.findall(r'href="([^"]+)"', html))
    extra = []
    for label, url in links(entry):
        if url in present or not SAFE_HREF.match(url):
            continue
        if label == "Link" and present:
            continue  # the style already printed a URL or DOI for this entry
        if label.startswith("arXiv:") and any(label[len("arXiv:"):].lower() in h.lower() for h in present):
            continue  # the DOI printed is the arXiv one
        extra.append(f'<a href="{html_lib.escape(url)}">{html_lib.escape(label)}</a>')
    return html + (" " + " ".join(extra) if extra else "")


# --------------------------------------------------------------------------- cache


def digest(bib_path: Path, csl_path: str) -> str:
    h = hashlib.sha256(CACHE_VERSION.encode())
    h.update(bib_path.read_bytes())
    h.update(Path(csl_path).read_bytes())
    return h.hexdigest()[:20]


def load(registry, bib_path: Path, cache_dir: Path | None) -> dict[str, Reference]:
    """Every entry formatted, from the cache when the .bib and style are unchanged."""
    cache = cache_dir / f"references-{digest(bib_path, registry.csl_file)}.json" if cache_dir else None
    if cache is not None and cache.is_file():
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            return {k: Reference(**v) for k, v in data.items()}
        except (ValueError, TypeError):
            pass  # a damaged cache is rebuilt
    inline, refs = format_with_bibtex(registry, bib_path)
    result = build(entries_of(registry), inline, refs)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({k: asdict(v) for k, v in result.items()}, sort_keys=True), encoding="utf-8")
        tmp.replace(cache)
        for old in cache.parent.glob("references-*.json"):
            if old != cache:
                old.unlink(missing_ok=True)
    return result
