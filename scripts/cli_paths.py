"""Where ``python -m scripts check`` looks, whatever the folder it is run from.

The docs folder is ``--docs`` when given; otherwise the ``docs/`` of the nearest folder
around the current one that has one (a fixture project, or this repository from any of
its subfolders), else this repository's. A path on the command line is read from the
current folder, or else from the project's; one outside the docs folder is a usage
error (exit 2), never a silent "no findings". The checker then works from the project's
folder, so every message names files as ``docs/…`` from there.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import ROOT


class UsageError(Exception):
    pass


def project_docs(docs: str | None) -> Path:
    if docs is not None:
        return Path(os.path.abspath(docs))
    here = Path(os.path.abspath(Path.cwd()))
    for folder in (here, *here.parents):
        if (folder / "docs").is_dir():
            return folder / "docs"
    return ROOT / "docs"


def resolve_paths(docs_arg: str | None, paths: list[Path]) -> tuple[Path, list[Path]]:
    """(docs folder, absolute paths); changes the working folder to the project's."""
    docs = project_docs(docs_arg)
    if not docs.is_dir():
        raise UsageError(f"{docs_arg or docs}: no such docs folder")
    project = docs.parent
    resolved = []
    for path in paths:
        candidates = [path] if path.is_absolute() else [Path.cwd() / path, project / path]
        found = next((Path(os.path.abspath(c)) for c in candidates if c.exists()), None)
        if found is None:
            raise UsageError(f"{path}: no such file or folder (looked in {Path.cwd()} and {project})")
        if found != docs and docs not in found.parents:
            raise UsageError(f"{path}: not inside the docs folder {docs}; the checker reads only pages there")
        resolved.append(found)
    os.chdir(project)
    return docs, resolved
