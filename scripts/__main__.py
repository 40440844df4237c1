"""Command line: ``python -m scripts <command>``. Run with ``--help`` for the commands."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import ROOT


def cmd_check(args: argparse.Namespace) -> int:
    """Check glossary links, citations, the notes template, callouts, copied text and spelling."""
    from .check import check
    from .findings import render

    from .cli_paths import UsageError, resolve_paths

    try:
        docs, args.paths = resolve_paths(args.docs, args.paths)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.fix:
        from .check import fix_terms_lists

        for path in fix_terms_lists(docs, args.paths or None):
            print(f"{path}: fixed front matter 'terms'", file=sys.stderr)
    findings = check(docs, args.paths or None)
    if args.originality:
        from .originality import check_originality

        findings += check_originality(docs, args.paths or None)
    if args.spelling:
        from .spelling import SpellingError, check_spelling

        try:
            findings += check_spelling(args.paths or None)
        except SpellingError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    output = render(findings, args.format, github=github and args.format == "text")
    if output:
        print(output)
    if args.format == "text":
        count = len(set(findings))
        print(f"{count} finding{'' if count == 1 else 's'}", file=sys.stderr)
    return 1 if findings else 0


def cmd_build(args: argparse.Namespace) -> int:
    """Strict build into site/; site/ is replaced only when the build succeeds."""
    from .build import build

    return build(Path(args.site), pdf=args.pdf, config=args.config_file, epub=args.epub, offline=args.offline)


def cmd_pdf(args: argparse.Namespace) -> int:
    """Make the offline PDF from an already built site/."""
    from .pdf import make_pdf

    return make_pdf(Path(args.site))


def cmd_epub(args: argparse.Namespace) -> int:
    """Make the EPUB from an already built site/ (pandoc, then EPUBCheck when installed)."""
    from .epub import make_epub

    status = make_epub(Path(args.site), check=args.check)
    if status == 0:
        from .downloads import stamp

        stamp(Path(args.site))  # the Download page gives the new file's size and date
    return status


def cmd_offline(args: argparse.Namespace) -> int:
    """Make the offline bundle (a zip of the site that works from disk) into an already built site/."""
    from .offline import make_offline

    status = make_offline(Path(args.site))
    if status == 0:
        from .downloads import stamp

        stamp(Path(args.site))
    return status


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure build, checker, PDF and page weight; print a Markdown table."""
    from .bench import main

    return main(args)


def cmd_preview(args: argparse.Namespace) -> int:
    """Non-strict build with every download that can be made: a pull request's preview."""
    from .preview import preview

    return preview(Path(args.site))


def cmd_summary(args: argparse.Namespace) -> int:
    """Markdown summary of what the content changes against a base (CI's job summary)."""
    from .summary import main

    return main(args)


def cmd_originality(args: argparse.Namespace) -> int:
    """Find runs of ten or more words that match a source; --refresh rebuilds the fingerprints."""
    from .originality import main

    return main(args)


def cmd_deck(args: argparse.Namespace) -> int:
    """Write the self-checks as an Anki deck (.apkg) and as CSV and TSV files."""
    from .deck import main

    return main(args)


def cmd_coverage(args: argparse.Namespace) -> int:
    """The paper coverage map: write the inventory (--inventory TEX), accept changed items (--accept ID…), or report."""
    from .coverage import main

    return main(args)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m scripts", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True, metavar="command")

    p = sub.add_parser("check", help=cmd_check.__doc__, description=cmd_check.__doc__)
    p.add_argument("paths", nargs="*", type=Path, help="Markdown files or folders (default: all of docs/)")
    p.add_argument("--docs", default=None, help="the docs folder (default: docs/ of the project around the current folder, else of this repository)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--no-originality", dest="originality", action="store_false", help="skip the copied-text check")
    p.add_argument("--no-spelling", dest="spelling", action="store_false", help="skip the spell check (codespell, run from the current folder)")
    p.add_argument("--fix", action="store_true", help="rewrite each page's front matter 'terms' to what the page links (the only rule it fixes)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", help=cmd_build.__doc__, description=cmd_build.__doc__)
    p.add_argument("--site", default=str(ROOT / "site"))
    p.add_argument("--pdf", action="store_true", help="also make the offline PDF into the new site")
    p.add_argument("--epub", action="store_true", help="also make the EPUB into the new site")
    p.add_argument("--offline", action="store_true", help="also make the offline bundle (zip) into the new site")
    p.add_argument("--config-file", type=Path, default=None, help="another mkdocs.yml (tests use fixture projects)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("pdf", help=cmd_pdf.__doc__, description=cmd_pdf.__doc__)
    p.add_argument("--site", default=str(ROOT / "site"))
    p.set_defaults(func=cmd_pdf)

    p = sub.add_parser("epub", help=cmd_epub.__doc__, description=cmd_epub.__doc__)
    p.add_argument("--site", default=str(ROOT / "site"))
    p.add_argument("--no-check", dest="check", action="store_false", help="skip EPUBCheck")
    p.set_defaults(func=cmd_epub)

    p = sub.add_parser("offline", help=cmd_offline.__doc__, description=cmd_offline.__doc__)
    p.add_argument("--site", default=str(ROOT / "site"))
    p.set_defaults(func=cmd_offline)

    p = sub.add_parser("bench", help=cmd_bench.__doc__, description=cmd_bench.__doc__)
    p.add_argument("--quick", action="store_true", help="one repetition, fewer generated pages")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("preview", help=cmd_preview.__doc__, description=cmd_preview.__doc__)
    p.add_argument("--site", default=str(ROOT / "preview"))
    p.set_defaults(func=cmd_preview)

    p = sub.add_parser("summary", help=cmd_summary.__doc__, description=cmd_summary.__doc__)
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--base", help="a git revision to compare with, e.g. origin/main")
    where.add_argument("--base-dir", type=Path, help="a folder holding the base's docs/")
    p.add_argument("--head-dir", type=Path, default=Path("."), help="a folder holding the changed docs/ (default: here)")
    p.add_argument("--name", help="how the summary names the base (default: as given)")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("originality", help=cmd_originality.__doc__, description=cmd_originality.__doc__)
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--refresh", nargs="+", type=Path, metavar="SOURCE", help="rebuild the fingerprints from these source files")
    p.add_argument("--quotes", type=Path, metavar="TEX", help="rebuild the fingerprints quotations are checked against from the paper's mesa_optimization.tex")
    p.add_argument("--docs", default=None, help="the docs folder (default: as for check)")
    p.set_defaults(func=cmd_originality)

    p = sub.add_parser("deck", help=cmd_deck.__doc__, description=cmd_deck.__doc__)
    p.add_argument("--out", default=str(ROOT / "site" / "downloads"), help="the folder to write into (default: %(default)s)")
    p.add_argument("--docs", default=None, help="the docs folder (default: docs/ of the repository)")
    p.add_argument("--site-url", default=None, help="where the cards link back to (default: site_url in mkdocs.yml)")
    p.set_defaults(func=cmd_deck)

    p = sub.add_parser("coverage", help=cmd_coverage.__doc__, description=cmd_coverage.__doc__)
    p.add_argument("--inventory", type=Path, metavar="TEX", help="the paper's mesa_optimization.tex (from evhub/mesa-optimization)")
    p.add_argument("--accept", nargs="+", metavar="ID", help="mark these items reviewed (ranges like 3.2-p1..4 work)")
    p.add_argument("--out", type=Path, default=None, help="the inventory file (default: scripts/data/paper-inventory.json)")
    p.add_argument("--docs", default="docs", help="with neither option: print the coverage findings for this docs folder")
    p.set_defaults(func=cmd_coverage)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(f"interrupted: python -m scripts {args.command} stopped; no source was changed", file=sys.stderr)
        return 130
    except Exception:
        if args.command != "check":
            raise
        # Fail closed: a crash is never "no findings" (exit 1 is findings, 2 is this).
        import traceback

        traceback.print_exc()
        print("error: the content checker crashed (a bug in scripts/, not a finding); the traceback is above", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
