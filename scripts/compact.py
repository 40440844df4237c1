"""Bytes no reader sees, left out of what the site serves.

- HTML: Material's templates indent every line, some 7 KB on a notes page (about 0.5 KB
  gzipped). Whitespace is kept wherever it can show: in ``pre``, ``code``, ``kbd`` and
  ``textarea`` (white-space: pre and pre-wrap), and in ``script``; elsewhere a newline
  stays a newline, so words never run together.
- Our own stylesheets and scripts (every .css and .js under docs/assets/): minified by
  rcssmin and rjsmin, which parse strings, URLs and regular expressions, so a "//" or
  "/*" inside one is never touched. Comments are for the people who maintain the files
  and stay in the sources.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

KEEP = re.compile(r"<(pre|code|kbd|textarea|script)\b", re.IGNORECASE)
INDENT = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")  # a newline, its indentation and any blank lines after it


def compact_html(html: str) -> str:
    out: list[str] = []
    last = 0
    while (m := KEEP.search(html, last)) is not None:
        close = f"</{m.group(1)}>"
        end = html.find(close, m.end())
        end = len(html) if end < 0 else end + len(close)
        out += [_squeeze(html[last : m.start()]), html[m.start() : end]]
        last = end
    out.append(_squeeze(html[last:]))
    return "".join(out)


def _squeeze(text: str) -> str:
    return INDENT.sub("\n", text)


def compact_css(css: str) -> str:
    """Our stylesheet minified (rcssmin): no comments, no whitespace a browser ignores."""
    import rcssmin

    return rcssmin.cssmin(css) + "\n"


def compact_js(js: str) -> str:
    """Our script minified (rjsmin): no comments, no whitespace that changes nothing.
    Names are kept, so an error in the console still reads like the source."""
    import rjsmin

    return rjsmin.jsmin(js) + "\n"



# --------------------------------------------------------------------------- Material's CSS
# Material ships styles for every colour and every kind of callout. Two parts of that are
# dead weight on this site and are left out of what it serves (the rest is untouched):
# - palette.css styles all 21 primary and 17 accent colours, but a page only ever wears
#   the colours of the palettes in mkdocs.yml (the toggle cycles through those);
# - main.css carries an icon (an inline SVG) for each of Material's 12 callout types;
#   the icons of types no built page uses and no stylesheet of ours borrows are dropped;
# - main.css styles features this site does not use (content tabs, blog, tags, ...): see
#   FEATURES below.
# A contributor who writes a new type gets its icon back on the next build.
PALETTE_ATTR = re.compile(r"\[data-md-color-(scheme|primary|accent)=([\w-]+)\]")
MATERIAL_DEFAULTS = {"scheme": "default", "primary": "indigo", "accent": "indigo"}
CALLOUT_ICON = re.compile(r"--md-admonition-icon--([\w-]+)")
CALLOUT_CLASS = re.compile(r'<(?:div class="admonition|details class=") ?([\w-]+)')


def palette_colours(palette: list[dict] | dict | None) -> dict[str, set[str]]:
    """The scheme, primary and accent values a page can wear, as Material's templates
    spell them (lower case, spaces as dashes), with Material's defaults for unset ones."""
    entries = [palette] if isinstance(palette, dict) else list(palette or [])
    worn: dict[str, set[str]] = {kind: {default} for kind, default in MATERIAL_DEFAULTS.items()}
    for entry in entries:
        for kind, default in MATERIAL_DEFAULTS.items():
            worn[kind].add(str(entry.get(kind) or default).lower().replace(" ", "-"))
    return worn


def trim_palette(css: str, worn: dict[str, set[str]]) -> str:
    """Material's palette.css without the rules for colours no palette in the config uses.
    A selector survives when every colour it names is worn; a rule when one selector does."""
    import tinycss2

    def keep(selector: list) -> bool:
        # Only colours the selector requires count: an attribute inside :is() or :not() is left alone.
        named = "".join(tinycss2.serialize([t]) for t in selector if t.type == "[] block")
        return all(value in worn[kind] for kind, value in PALETTE_ATTR.findall(named))

    return _keep_selectors(css, keep)


def callouts_used(pages: list[str], stylesheets: list[str]) -> set[str]:
    """Callout types on the built pages, and types whose icon our stylesheets borrow."""
    used = {kind for html in pages for kind in CALLOUT_CLASS.findall(html)}
    return used | {kind for css in stylesheets for kind in CALLOUT_ICON.findall(css)}


def trim_callout_icons(css: str, used: set[str]) -> str:
    """Material's main.css without the icons of callout types in ``used``'s complement."""
    import tinycss2

    def trim(rule):
        declarations = tinycss2.parse_blocks_contents(rule.content)
        kept = [d for d in declarations if not _unused_icon(d, used)]
        if len(kept) < len(declarations):
            rule.content = _join_declarations(kept)
        return rule

    return tinycss2.serialize(_walk(tinycss2.parse_stylesheet(css), trim))


# Material's styles for features this site may not use, by the classes that mark them.
# A group is left out of main.css when no built page carries any of its classes and,
# for the classes Material's script adds at run time, the config does not turn the
# feature on (the second item: a theme feature, a plugin, or an ``extra`` key).
FEATURES = {
    "content tabs (pymdownx.tabbed)": ({"tabbed-set", "tabbed-labels", "tabbed-content", "tabbed-block", "tabbed-control", "tabbed-alternate"}, None),
    "keys (pymdownx.keys)": ({"keys"}, None),
    "critic marks (pymdownx.critic)": ({"critic"}, None),
    "maths (pymdownx.arithmatex)": ({"arithmatex"}, None),
    "diagrams (mermaid)": ({"mermaid"}, None),
    "task lists (pymdownx.tasklist)": ({"task-list-item", "task-list-control", "task-list-indicator"}, None),
    "grids and cards": ({"grid", "cards"}, None),
    "navigation tabs": ({"md-tabs", "md-tabs__list", "md-tabs__item", "md-tabs__link"}, "feature:navigation.tabs"),
    "announcement bar": ({"md-banner", "md-banner__inner", "md-banner__button"}, None),
    "social links": ({"md-social", "md-social__link"}, "extra:social"),
    "blog": ({"md-post", "md-posts", "md-draft"}, "plugin:blog"),
    "tags": ({"md-tag", "md-tags", "md-tag-icon"}, "plugin:tags"),
    "versions": ({"md-version", "md-version__current", "md-version__list", "md-version__item", "md-version__link"}, "extra:version"),
    "page status": ({"md-status"}, "extra:status"),
    "code annotations": ({"md-annotation", "md-annotation__index", "md-annotation__inner"}, "feature:content.code.annotate"),
    "code copy and select buttons": ({"md-clipboard", "md-code__nav", "md-code__button"}, "feature:content.code.copy"),
}
CLASS_ATTR = re.compile(r'\bclass="([^"]*)"')


def unused_features(pages: list[str], features: list[str], plugins: list[str], extra: dict) -> set[str]:
    """The classes of FEATURES groups that no page uses and the config does not turn on."""
    on_page = {name for html in pages for value in CLASS_ATTR.findall(html) for name in value.split()}
    switched = {f"feature:{f}" for f in features} | {f"plugin:{p}" for p in plugins} | {f"extra:{k}" for k in extra}
    unused: set[str] = set()
    for classes, switch in FEATURES.values():
        if not (classes & on_page) and switch not in switched:
            unused |= classes
    return unused


def trim_features(css: str, unused: set[str]) -> str:
    """Material's main.css without the selectors that name a class in ``unused``; a rule
    goes when all its selectors do."""
    import tinycss2

    if not unused:
        return css
    named = re.compile(r"\.(?:%s)(?![\w-])" % "|".join(sorted(map(re.escape, unused))))

    return _keep_selectors(css, lambda selector: not named.search(tinycss2.serialize(selector)))


def _keep_selectors(css: str, keep) -> str:
    """``css`` with only the selectors ``keep`` accepts; a rule goes when none is left."""
    import tinycss2

    def trim(rule):
        selectors = _split_commas(rule.prelude)
        kept = [s for s in selectors if keep(s)]
        if not kept:
            return None
        if len(kept) < len(selectors):
            rule.prelude = _join_commas(kept)
        return rule

    return tinycss2.serialize(_walk(tinycss2.parse_stylesheet(css), trim))


def _unused_icon(node, used: set[str]) -> bool:
    if node.type != "declaration" or not node.name.startswith("--md-admonition-icon--"):
        return False
    return node.name.removeprefix("--md-admonition-icon--") not in used


def _walk(nodes: list, trim) -> list:
    """Apply ``trim`` to every style rule, also inside @media; drop rules it returns None
    for, and @media blocks left empty."""
    import tinycss2

    kept = []
    for node in nodes:
        if node.type == "qualified-rule":
            node = trim(node)
        elif node.type == "at-rule" and node.content is not None and node.lower_at_keyword in ("media", "supports"):
            inner = _walk(tinycss2.parse_rule_list(node.content), trim)
            if not any(n.type == "qualified-rule" or n.type == "at-rule" for n in inner):
                node = None
            else:
                node.content = inner
        if node is not None:
            kept.append(node)
    return kept


def _split_commas(tokens: list) -> list[list]:
    """A selector list split at its top-level commas (commas inside :is() stay)."""
    parts: list[list] = [[]]
    for token in tokens:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def _join_commas(parts: list[list]) -> list:
    import tinycss2

    return tinycss2.parse_component_value_list(",".join(tinycss2.serialize(p).strip() for p in parts))


def _join_declarations(declarations: list) -> list:
    import tinycss2

    text = ";".join(tinycss2.serialize([d]).strip().rstrip(";") for d in declarations if d.type == "declaration")
    return tinycss2.parse_component_value_list(text)


CACHE_KEEP = 8  # entries of each kind: every config a checkout builds (ours, the bench's) keeps its own


def cached(cache_dir: Path | None, kind: str, text: str, key: str, make) -> str:
    """``make(text)``, kept in ``cache_dir`` under a digest of the text and the key, so
    parsing Material's 130 KB stylesheet costs a build only when Material or the key changes.

    The newest CACHE_KEEP entries of a kind stay: builds whose pages use different callouts
    (a build without the bibliography, a contributor's two branches) each find their own,
    instead of evicting each other's on every build."""
    digest = hashlib.blake2b(f"{key}\0{text}".encode(), digest_size=10).hexdigest()
    path = cache_dir / f"{kind}-{digest}.css" if cache_dir else None
    if path is not None and path.is_file():
        os.utime(path)  # the newest use: kept longest
        return path.read_text(encoding="utf-8")
    result = make(text)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(result, encoding="utf-8")
        tmp.replace(path)
        entries = sorted(path.parent.glob(f"{kind}-*.css"), key=_age)
        for old in entries[CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    return result


def _age(path: Path) -> float:
    try:
        return -path.stat().st_mtime
    except OSError:
        return 0.0
