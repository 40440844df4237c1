"""Plain, importable tooling for the reading notes.

Hooks in ``overrides/hooks/`` and the tests call these modules; ``python -m scripts``
is the command line (``check``, ``build``, ``bench``).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
GLOSSARY_FILE = DOCS / "glossary.yml"
BIB_FILE = DOCS / "references.bib"
