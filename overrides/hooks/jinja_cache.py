"""Hook: Material's templates are compiled once, not on every build.

Jinja compiles each template to Python on first use, some 40 of Material's templates per
build (about a third of a 14-page build). Its bytecode cache keeps the compiled code,
keyed by the template's name and checked against a checksum of its source, so an
upgraded or edited template is compiled again and an unchanged one is only loaded.

The cache goes on every environment the theme makes, not only the build's: Material's
search plugin makes one of its own while MkDocs reads the configuration, to translate
its settings (partials/language.html and the language files it includes).

The cache is compiled code, so it lives outside the repository, in the user's cache
folder ($XDG_CACHE_HOME, else ~/.cache): a pull request cannot bring files into it.
`make clean` removes it.
"""

import os
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from mkdocs.plugins import event_priority


def _cache():
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "risks-from-learned-optimization-notes" / "jinja"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None  # no writable cache folder: compile every build, as MkDocs does
    return FileSystemBytecodeCache(str(folder))


@event_priority(100)  # before the search plugin's on_config makes its environment
def on_config(config):
    theme = config.theme
    make_env = theme.get_env

    def get_env():
        env = make_env()
        if env.bytecode_cache is None:
            env.bytecode_cache = _cache()
        return env

    theme.get_env = get_env
    return config


def on_env(env, config, files):
    if env.bytecode_cache is None:
        env.bytecode_cache = _cache()
    return env
