"""The notes template's vocabulary, in one place: its sections, its callouts, the paper.

The checker (scripts/check.py) enforces the template, the hooks and scripts/glossary_html.py and
scripts/citations.py add the built sections, the PDF and the EPUB print it, the bench
leaves its ids out of its counts: all of them read these names from here. This module
imports nothing of ours, so anything may import it.

Sections are known by their id, never by their title: the heading's ``{ #id }``, or
else the slug MkDocs makes of its text (lower case), so ``## Key Takeaways`` and
``## Key takeaways { #key-takeaways }`` are the same section to the checker and the build.
"""

from __future__ import annotations

# --- sections ---------------------------------------------------------------------------

IN_ONE_PARAGRAPH = ("in-one-paragraph", "In one paragraph")
KEY_TAKEAWAYS = ("key-takeaways", "Key takeaways")
SELF_CHECK = ("self-check", "Self-check")
TERMS = ("terms-on-this-page", "Terms on this page")  # built (scripts/glossary_html.py)
REFERENCES = ("references", "References")  # built (scripts/citations.py)

# Every notes page has these sections (the checker's template rule).
REQUIRED_SECTIONS = (IN_ONE_PARAGRAPH, KEY_TAKEAWAYS, SELF_CHECK)
# A notes page ends with these two, in this order; the build adds BUILT_SECTIONS after them.
CLOSING_SECTIONS = (KEY_TAKEAWAYS, SELF_CHECK)
BUILT_SECTIONS = {TERMS[0], REFERENCES[0]}
# Sections that need no citation of the paper.
UNCITED_SECTIONS = {IN_ONE_PARAGRAPH[0], KEY_TAKEAWAYS[0], SELF_CHECK[0], *BUILT_SECTIONS}
# Every id the template gives a page (the bench counts only a contributor's own anchors).
TEMPLATE_IDS = UNCITED_SECTIONS


def heading(section: tuple[str, str], attrs: str = "") -> str:
    """The Markdown heading the build writes for a section: ``## Title { #id attrs }``."""
    anchor, title = section
    return f"## {title} {{ #{anchor}{' ' + attrs if attrs else ''} }}"


TERMS_HEADING = heading(TERMS, "data-search-exclude")
REFERENCES_HEADING = heading(REFERENCES, "data-search-exclude")


# --- callouts ---------------------------------------------------------------------------

# Ours: styled in extra.css, explained on the conventions page; each needs a title.
OUR_CALLOUTS = ("analogy", "annotation", "selfcheck")
MATERIAL_CALLOUTS = (
    "note", "abstract", "info", "tip", "success", "question", "warning",
    "failure", "danger", "bug", "example", "quote",
)
CALLOUT_TYPES = {*OUR_CALLOUTS, *MATERIAL_CALLOUTS}

# What each kind of callout is called on paper, and its symbol (all in DejaVu Sans).
CALLOUT_BADGES = {
    "analogy": ("⇄", "Analogy · ours"),
    "analogy-paper": ("⇄", "Analogy"),  # the paper's own example: its title says so
    "annotation": ("✎", "Our note — not the paper"),
    "selfcheck": ("✔", "Self-check"),
    "note": ("ℹ", "Note"),
    "info": ("ℹ", "Note"),
    "tip": ("★", "Tip"),
    "warning": ("⚠", "Warning"),
    "danger": ("⚠", "Warning"),
    "example": ("◆", "Example"),
    "quote": ("“", "Quote"),
}
DEFAULT_BADGE = ("■", None)  # label: the kind's name, capitalised

# --- the paper and the book ---------------------------------------------------------------

PAPER_KEY = "hubinger2019risks"  # its key in docs/references.bib
PAPER = {
    "authors": "Evan Hubinger, Chris van Merwijk, Vladimir Mikulik, Joar Skalse, Scott Garrabrant",
    "title": "Risks from Learned Optimization in Advanced Machine Learning Systems",
    "year": "2019",
    "arxiv": "1906.01820",
}
BOOK_TITLE = "Risks from Learned Optimization — Reading Notes"
