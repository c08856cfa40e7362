"""The ``diff`` and ``review`` commands and ``clean --report`` (kept here so that
:mod:`cleanarticle.cli` only registers and dispatches them)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _cli():
    from .. import cli

    return cli


def add_commands(sub) -> None:
    """Register ``diff`` and ``review`` on the main parser's subparsers."""
    d = sub.add_parser("diff", help="show what a run changed (from X.txt + X.changes.jsonl)",
                       description="Show the changes of cleaned outputs: word-level marks "
                                   "({--removed--}, {~~old~>new~~}, {++added++}, {>>filter/rule<<}), "
                                   "counts (--stat) or a patch (--format unified). PATH: X.txt, "
                                   "X.changes.jsonl or an output folder. Exit 1 when there are changes.")
    d.add_argument("paths", nargs="+", metavar="PATH")
    d.add_argument("--filter", action="append", metavar="NAME", help="only this filter's changes (repeatable, or A,B)")
    d.add_argument("--stat", action="store_true", help="counts per filter and rule")
    d.add_argument("--format", choices=("inline", "unified"), default="inline",
                   help="inline (default) or unified: a patch for 'patch -p1' / 'git apply'")
    d.add_argument("--whitespace", action="store_true", help="also show whitespace-only changes")
    d.add_argument("-U", "--context", type=int, metavar="N", help="lines of context (inline 1, unified 3)")
    d.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour: auto = on a terminal unless NO_COLOR is set")
    d.add_argument("--changes", metavar="LOG", help="the change log of the one PATH, when it is not "
                   "beside it (PATH may then be the cleaned text or the original input)")

    r = sub.add_parser("review", help="write one self-contained HTML page to review a run",
                       description="Build an HTML review page from cleaned outputs (X.txt + "
                                   "X.changes.jsonl, or output folders). Mark wrong changes there and "
                                   "export them as an overrides file for 'clean --overrides'.")
    r.add_argument("paths", nargs="+", metavar="PATH")
    r.add_argument("-o", "--output", metavar="FILE", required=True, help="the HTML file to write")
    r.add_argument("--title", help="page title")
    r.add_argument("--flag-share", type=float, default=None, metavar="X",
                   help="flag documents losing at least this share of their words (default 0.5)")


def report(args: argparse.Namespace, paths: list[str], out_dir: Path) -> int:
    """``clean --report``: the review page of the outputs this run wrote."""
    from .load import ReviewInputError
    from .page import write_page
    from ..runner import collect

    written = []
    for src in collect(paths, out_dir).sources:
        txt = out_dir / src.rel
        txt = txt.with_name(txt.name + ".txt")
        if txt.is_file():
            written.append(txt)
    try:
        n, k = write_page(written, args.report)
    except (ReviewInputError, OSError) as exc:
        _cli()._err(f"--report: {exc}")
        return 1
    if not args.quiet:
        print(f"{_cli().PROG}: review page of {n} document(s), {k} change(s) -> {args.report}",
              file=sys.stderr)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """``cleanarticle diff``: exit 0 no change, 1 changes shown, 2 an error."""
    from .diff import run
    from .load import ReviewInputError

    filters = None
    if args.filter:
        filters = {n.strip() for a in args.filter for n in a.split(",") if n.strip()}
    if args.context is not None and args.context < 0:
        raise _cli().UsageError("--context must be 0 or more")
    try:
        return run(args.paths, filters=filters, stat=args.stat, fmt=args.format, color=args.color,
                   whitespace=args.whitespace, context=args.context, log=args.changes)
    except ReviewInputError as exc:
        _cli()._err(str(exc))
        return 2


def cmd_review(args: argparse.Namespace) -> int:
    """``cleanarticle review PATH... -o FILE``."""
    from .load import ReviewInputError
    from .page import DEFAULT_FLAG_SHARE, write_page

    share = DEFAULT_FLAG_SHARE if args.flag_share is None else args.flag_share
    if not 0 < share <= 1:
        raise _cli().UsageError("--flag-share must be in (0, 1]")
    try:
        n, k = write_page(args.paths, args.output, title=args.title, flag_share=share)
    except ReviewInputError as exc:
        _cli()._err(str(exc))
        return 2
    print(f"{_cli().PROG}: review page of {n} document(s), {k} change(s) -> {args.output}", file=sys.stderr)
    return 0
