"""Search: which pages come first, and the glossary card pinned above the results.

Two things a reader relies on when they type a term into Material's search box:

- ``search_setting(src_uri)``: how Material's search plugin weighs a page (the ``search:``
  front matter it reads: ``boost`` multiplies every score on the page, ``exclude`` leaves
  the page out of ``search/search_index.json``), from one table for the whole site.
- ``terms_index(...)``: the small JSON the build writes to ``search/glossary.json``. The
  browser script docs/assets/javascripts/search-terms-card.js reads it when the search box
  is first used, and shows the definition of every glossary term the query names above
  the results, with links to the entry and to the notes section that introduces it.

Everything comes from docs/glossary.yml (through scripts/glossary.py) and from the notes
pages' own headings; overrides/hooks/search.py only hands them over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import glossary, locators
from .check import PAPER_KEY
from .findings import Finding
from .pages import cited_works, display_path

TERMS_FILE = "search/glossary.json"  # inside the site; search-terms-card.js fetches it

# How search weighs each kind of page: the first rule whose prefix starts the page's
# source path applies, and a page's own `search:` front matter wins over the table.
# One table rather than front matter on every page, so that a new notes page or a new
# contributor page is weighed right without anyone remembering to add a line.
SEARCH_RULES = (
    # About working on the repository, not about the paper: contributors find these
    # pages in the navigation, and readers' searches should not land on them.
    ("contributing/", {"exclude": True}),
    # The pages that introduce and develop each term, section by section: without a
    # boost, pages that retell everything in brief ("The whole paper on one page",
    # "Since the paper") come first for the paper's own vocabulary.
    ("notes/", {"boost": 3}),
    # Every definition, one short section each.
    (glossary.GLOSSARY_PAGE, {"boost": 2}),
)


def search_setting(src_uri: str) -> dict | None:
    """The ``search:`` setting the table gives a page (by its path under docs/), or None."""
    for prefix, setting in SEARCH_RULES:
        if src_uri.startswith(prefix):
            return dict(setting)
    return None


# ---------------------------------------------------------------------------
# Matching a query to glossary terms
# ---------------------------------------------------------------------------

APOSTROPHES = re.compile(r"['\u2019]")
NOT_WORD = re.compile(r"[^0-9a-z]+")


def search_key(text: str) -> str:
    """A phrase as the card compares it: lower case, no apostrophes, and every other run of
    characters that are not letters or digits (spaces, hyphens, dashes) one space.

    search-terms-card.js applies the same three steps to the query (its ``key``).
    """
    return NOT_WORD.sub(" ", APOSTROPHES.sub("", text.lower())).strip()


SIBILANT = ("s", "x", "z", "ch", "sh")  # these take "-es" in the plural
SINGULAR_S = ("ss", "us", "is", "as")  # a final "s" that is not a plural: "bias", "statefulness"


def number_forms(key: str) -> list[str]:
    """The key, and the key with its last word in the other number: "mesa optimizer" <->
    "mesa optimizers", "proxy" <-> "proxies", "inductive bias" <-> "inductive biases".
    English noun phrases inflect on their last word; a form that is not a word
    ("deceptively aligneds") costs a few bytes and matches nothing anyone types."""
    head, _, last = key.rpartition(" ")
    if last.endswith("ies") and len(last) > 4:
        other = last[:-3] + "y"
    elif last.endswith("es") and last[:-2].endswith(SIBILANT):
        other = last[:-2]
    elif last.endswith("s") and not last.endswith(SINGULAR_S):
        other = last[:-1]
    elif last.endswith(SIBILANT):
        other = last + "es"
    elif re.search(r"[^aeiou]y$", last):
        other = last[:-1] + "ies"
    else:
        other = last + "s"
    prefix = head + " " if head else ""
    return [key, prefix + other]


def term_keys(entries: list[glossary.Entry]) -> dict[str, str]:
    """Every key a query may contain to name an entry -> the entry's id, longest key first
    (so "mesa optimizer" is found before "optimizer").

    The keys are each entry's term and aliases (not its ``match`` list, which tells the
    checker what counts as a use in prose), in both numbers. A term or alias as written
    wins over a generated form of another entry's phrase.
    """
    written = [(search_key(phrase), entry.id) for entry in entries for phrase in [entry.term, *entry.aliases]]
    written = [(key, entry_id) for key, entry_id in written if key]
    owner: dict[str, str] = {}
    for key, entry_id in written:
        owner.setdefault(key, entry_id)
    for key, entry_id in written:
        for form in number_forms(key):
            owner.setdefault(form, entry_id)
    return dict(sorted(owner.items(), key=lambda item: (-len(item[0]), item[0])))


def named_terms(query: str, keys: dict[str, str]) -> list[str]:
    """The ids of the entries a query names, in the order of the query; the reference for
    what search-terms-card.js does in the browser (the tests compare the two)."""
    text = " " + search_key(query) + " "
    found: list[tuple[int, str]] = []
    for key, entry_id in keys.items():
        at = text.find(" " + key + " ")
        if at < 0:
            continue
        text = text[: at + 1] + "|" * len(key) + text[at + 1 + len(key) :]
        if entry_id not in [i for _, i in found]:
            found.append((at, entry_id))
    return [entry_id for _, entry_id in sorted(found)]


# ---------------------------------------------------------------------------
# Where each term is introduced in the notes
# ---------------------------------------------------------------------------

# A heading numbered like the paper: "4.1 Safety concerns arising from deceptive alignment".
NUMBERED_HEADING = re.compile(r"^(\d+(?:\.\d+)+)\s+\S")


@dataclass(frozen=True)
class Target:
    """A place in the notes: its URL relative to the site root, and what a link to it says."""

    url: str
    label: str


def notes_targets(url: str, title: str, section: str, headings: list[tuple[str, str]]) -> dict[str, Target]:
    """What each section number on one notes page leads to.

    ``url`` is the page's URL relative to the site root, ``title`` its title ("§4 Deceptive
    alignment"), ``section`` its ``section:`` front matter, and ``headings`` its headings
    as (text, anchor). The page's own number leads to the page; each heading numbered like
    the paper, inside that section ("4.1 …" on the §4 page), leads to the heading.
    """
    targets = {section: Target(url, title)}
    for text, anchor in headings:
        m = NUMBERED_HEADING.match(text.strip())
        if m and m.group(1).startswith(section + ".") and anchor:
            targets.setdefault(m.group(1), Target(f"{url}#{anchor}", "§" + " ".join(text.split())))
    return targets


class LocatorError(ValueError):
    """A glossary entry cites the paper with a locator that names no section."""


def paper_section(cite: str) -> str | None:
    """The section number in a glossary entry's citation of the paper: "4.1" for
    ``[@hubinger2019risks, sec. 4.1]``; None when the entry does not cite the paper
    (terms from later work). Raises LocatorError when the paper is cited without a section."""
    for key, locator in cited_works(cite):
        if key != PAPER_KEY:
            continue
        parsed = locators.parse(locator)
        first = re.match(r"\d+(?:\.\d+)*", parsed[1]) if parsed and parsed[0] in ("sec.", "secs.") else None
        if first is None:
            shown = f"'{locator}'" if locator else "no locator"
            raise LocatorError(f"cites the paper with {shown}; the search card needs the section that introduces the term, as 'sec. 4.1'")
        return first.group(0)  # the first place of "3.1–3.3"
    return None


GROUP_LABELS = {  # the groups of glossary.GROUPS that are not the paper's own glossary
    "supporting": "Supporting term, not in the paper's glossary",
    "later": "Term from later work, not in the paper",
}


def group_label(group: str) -> str:
    """What the card says about an entry's group: "Paper glossary, §4" for the paper's
    Section 4 glossary, or that the term is a supporting one or from later work."""
    return GROUP_LABELS.get(group) or f"Paper glossary, §{group}"


def terms_index(gloss: glossary.Glossary, targets: dict[str, Target], glossary_url: str) -> tuple[dict, list[Finding]]:
    """The JSON the card reads, and a finding for every entry whose citation of the paper
    leads to no place in the notes.

    ``targets`` merges ``notes_targets`` of every notes page; ``glossary_url`` is the
    glossary page's URL relative to the site root ("glossary/"). Every URL in the JSON is
    relative to the site root, so the site works under any ``site_url``.
    """
    shown = display_path(gloss.path)
    findings: list[Finding] = []
    terms: dict[str, dict] = {}
    for entry in gloss.entries:
        card = {
            "term": entry.term,
            "group": group_label(entry.group),
            "definition": entry.plain_definition,
            "entry": f"{glossary_url}#{entry.id}",
        }
        line = entry.lines.get("cite", entry.line)
        try:
            number = paper_section(entry.cite)
        except LocatorError as exc:
            findings.append(Finding(shown, line, 3, "glossary-cite", f"entry '{entry.id}' {exc}"))
            number = None
        if number is not None:
            target = targets.get(number)
            if target is None:
                findings.append(
                    Finding(shown, line, 3, "glossary-cite", f"entry '{entry.id}' cites sec. {number} of the paper, but no notes page has a heading numbered {number} (or `section: \"{number}\"`)")
                )
            else:
                card["notes"] = target.url
                card["section"] = target.label
        terms[entry.id] = card
    keys = term_keys(gloss.entries)
    return {"keys": [[key, entry_id] for key, entry_id in keys.items()], "terms": terms}, findings
