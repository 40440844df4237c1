"""Under ``make serve``, a page with findings shows them in a banner at its top.

Only the development server does this (overrides/hooks/devbanner.py checks that the
command is ``serve`` and the build is not strict); a built site never has the banner,
and a strict build fails on any finding anyway. The findings are the checker's own
(scripts/check.py), every piece of text escaped.
"""

from __future__ import annotations

import html
from pathlib import Path

from . import BIB_NAME, GLOSSARY_NAME
from .findings import Finding
from .pages import display_path

# Findings in the shared sources show on the page built from them.
SHOWN_ON = {GLOSSARY_NAME: "glossary.md", BIB_NAME: "bibliography.md"}
ARTICLE = '<article class="md-content__inner md-typeset">'
BANNER_STYLE = (
    "margin:0 0 1.2em;padding:.6em .9em;border:2px solid #c62828;border-left-width:.4rem;"
    "border-radius:.2rem;background:var(--md-default-bg-color);color:var(--md-typeset-color);font-size:.8rem"
)


def findings_by_page(docs: Path, findings: list[Finding] | None = None) -> dict[str, list[Finding]]:
    """The checker's findings, keyed by the docs-relative path of the page that shows them."""
    if findings is None:
        from .check import check

        findings = check(docs)
    pages: dict[str, str] = {}
    for path in sorted(docs.rglob("*")):
        if path.is_file():
            rel = path.relative_to(docs).as_posix()
            pages[display_path(path)] = SHOWN_ON.get(rel, rel)
    found: dict[str, list[Finding]] = {}
    for finding in sorted(set(findings)):
        page = pages.get(finding.path)
        if page is not None:
            found.setdefault(page, []).append(finding)
    return found


def banner(findings: list[Finding]) -> str:
    """The banner's HTML: every finding as ``path:line:col`` and its message, escaped."""
    if not findings:
        return ""
    count = len(findings)
    items = "".join(
        f"<li><code>{html.escape(f'{f.path}:{f.line}:{f.col}')}</code> "
        f"<strong>{html.escape(f.rule)}</strong>: {html.escape(f.message)}</li>"
        for f in findings
    )
    return (
        f'<div class="dev-findings" role="alert" style="{BANNER_STYLE}">'
        f"<p><strong>{count} finding{'' if count == 1 else 's'} on this page</strong> "
        f"(shown by <code>make serve</code> only; <code>make check</code> lists them too)</p>"
        f'<ul style="margin:.3em 0 0">{items}</ul></div>'
    )


def inject(page_html: str, findings: list[Finding]) -> str:
    """``page_html`` with the banner at the top of its article (or of its body)."""
    block = banner(findings)
    if not block:
        return page_html
    at = page_html.find(ARTICLE)
    if at >= 0:
        at += len(ARTICLE)
    else:
        body = page_html.find("<body")
        at = page_html.find(">", body) + 1 if body >= 0 else 0
    return page_html[:at] + block + page_html[at:]


# Whether this process is `mkdocs serve`. MkDocs reloads the config, and with it the hook
# modules, on every rebuild but sends the startup event once, so the hook keeps it here.
serving = {"on": False}
_checked: dict = {}


def in_process(config) -> bool:
    """Whether this build shows findings in banners: `make serve`, not strict."""
    return serving["on"] and not config["strict"]


def start_check(config) -> None:
    """Under `make serve`, start this build's check as the build starts, in the checker
    process that lives as long as the server (scripts/servecheck.py); ``findings_for``
    takes its answer when a hook first needs it."""
    from . import servecheck

    if _checked.get("config") is not config:
        _checked.clear()
        _checked.update(config=config, started=servecheck.start(Path(config["docs_dir"]), config))


def findings_for(config) -> list[Finding]:
    """The checker's findings for this build, found once however many hooks ask: the banner
    (hooks/devbanner.py) and the build's warnings (hooks/checks.py) under `make serve`.
    From the checker process when the build started one, else checked here."""
    if _checked.get("config") is not config:
        _checked.clear()
        _checked["config"] = config
    if "findings" not in _checked:
        found = None
        if _checked.get("started"):
            from . import servecheck

            found = servecheck.result(config)
        if found is None:
            from .check import check

            found = check(Path(config["docs_dir"]))
        _checked["findings"] = found
    return _checked["findings"]
