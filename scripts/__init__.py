"""Plain, importable tooling for the reading notes.

Hooks in ``overrides/hooks/`` and the tests call these modules; ``python -m scripts``
is the command line (``check``, ``build``, ``bench``).
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# The two data files of a docs folder (this repository's, or a fixture project's).
GLOSSARY_NAME = "glossary.yml"
BIB_NAME = "references.bib"

# MkDocs 1.6 prints a notice about MkDocs 2 on every run unless this is set: every MkDocs
# we start (the build, the preview, the bench, the tests) gets it from here.
MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1"}


def mkdocs_env(extra: dict | None = None) -> dict[str, str]:
    """The environment for a MkDocs run: ours, MKDOCS_ENV, then ``extra``."""
    return {**os.environ, **MKDOCS_ENV, **(extra or {})}
