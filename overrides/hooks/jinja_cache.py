"""Hook: Material's templates are compiled once, not on every build.

Jinja compiles each template to Python on first use, some 40 of Material's templates per
build (about a third of a 14-page build). Its bytecode cache keeps the compiled code,
keyed by the template's name and checked against a checksum of its source, so an
upgraded or edited template is compiled again and an unchanged one is only loaded.

The cache is compiled code, so it lives outside the repository, in the user's cache
folder ($XDG_CACHE_HOME, else ~/.cache): a pull request cannot bring files into it.
`make clean` removes it.
"""

import os
from pathlib import Path

from jinja2 import FileSystemBytecodeCache


def on_env(env, config, files):
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "risks-from-learned-optimization-notes" / "jinja"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return env  # no writable cache folder: compile every build, as MkDocs does
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env
