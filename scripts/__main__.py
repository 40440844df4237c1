"""Command line: ``python -m scripts <command>``. Run with ``--help`` for the commands."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import ROOT


def cmd_check(args: argparse.Namespace) -> int:
    """Check glossary links, citations, the notes template and callouts."""
    from .check import check
    from .findings import render

    docs = Path(args.docs)
    for path in args.paths:
        if not path.exists():
            print(f"{path}: error: no such file or directory", file=sys.stderr)
            return 2
    if args.fix:
        from .check import fix_terms_lists

        for path in fix_terms_lists(docs, args.paths or None):
            print(f"{path}: fixed front matter 'terms'", file=sys.stderr)
    findings = check(docs, args.paths or None)
    if args.originality:
        from .originality import check_originality

        findings += check_originality(docs, args.paths or None)
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    output = render(findings, args.format, github=github and args.format == "text")
    if output:
        print(output)
    if args.format == "text":
        print(f"{len(set(findings))} finding(s)" if findings else "no findings", file=sys.stderr)
    return 1 if findings else 0


def cmd_build(args: argparse.Namespace) -> int:
    """Strict build into site/; site/ is replaced only when the build succeeds."""
    from .build import build

    return build(Path(args.site), pdf=args.pdf, config=args.config_file)


def cmd_pdf(args: argparse.Namespace) -> int:
    """Make the offline PDF from an already built site/."""
    from .pdf import make_pdf

    return make_pdf(Path(args.site))


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure build, checker, PDF and page weight; print a Markdown table."""
    from .bench import main

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
    p.add_argument("--docs", default="docs", help="the docs folder (default: %(default)s, from the current folder)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--no-originality", dest="originality", action="store_false", help="skip the copied-text check")
    p.add_argument("--fix", action="store_true", help="rewrite each page's front matter 'terms' to what the page links (the only rule it fixes)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", help=cmd_build.__doc__, description=cmd_build.__doc__)
    p.add_argument("--site", default=str(ROOT / "site"))
    p.add_argument("--pdf", action="store_true", help="also make the offline PDF into the new site")
    p.add_argument("--config-file", type=Path, default=None, help="another mkdocs.yml (tests use fixture projects)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("pdf", help=cmd_pdf.__doc__, description=cmd_pdf.__doc__)
    p.add_argument("--site", default=str(ROOT / "site"))
    p.set_defaults(func=cmd_pdf)

    p = sub.add_parser("bench", help=cmd_bench.__doc__, description=cmd_bench.__doc__)
    p.add_argument("--quick", action="store_true", help="one repetition, fewer generated pages")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("originality", help=cmd_originality.__doc__, description=cmd_originality.__doc__)
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--refresh", nargs="+", type=Path, metavar="SOURCE", help="rebuild the fingerprints from these source files")
    p.add_argument("--quotes", type=Path, metavar="TEX", help="rebuild the fingerprints quotations are checked against from the paper's mesa_optimization.tex")
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
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
