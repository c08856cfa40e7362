"""Command line: ``cleanarticle clean|filters``. Thin layer over the API.

Exit status: 0 success, 1 if any document failed (the others are still
written), 2 on a usage error. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence

PROG = "cleanarticle"


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        raise UsageError(message)


def _version() -> str:
    from . import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Clean messy article text or HTML; log every change.")
    p.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    c = sub.add_parser("clean", help="clean files, folders, globs or stdin",
                       description="Clean documents. With -o: writes DIR/<name>.txt and "
                                   "DIR/<name>.changes.jsonl for each input. With '-' or piped "
                                   "stdin: clean text to stdout.")
    c.add_argument("paths", nargs="*", metavar="PATH", help="files, folders (recursive), globs, or '-'")
    c.add_argument("-o", "--output", metavar="DIR", help="output folder (required for file inputs)")
    c.add_argument("--filters", metavar="A,B", help="comma-separated filters (default: the default pipeline)")
    c.add_argument("--changes", metavar="FILE", help="stdin mode: write the change log (JSON Lines) here")
    c.add_argument("--rules", metavar="FILE", help="boilerplate rules TOML (extra phrases to remove/keep)")
    c.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")

    sub.add_parser("filters", help="list the filters, one line each")
    return p


def _err(msg: str) -> None:
    print(f"{PROG}: error: {msg}", file=sys.stderr)


def _filter_names(arg: str | None) -> list[str] | None:
    if arg is None:
        return None
    names = [n.strip() for n in arg.split(",") if n.strip()]
    if not names:
        raise UsageError("--filters needs at least one filter name")
    from .filters import names as known

    unknown = [n for n in names if n not in known()]
    if unknown:
        raise UsageError(f"unknown filter {unknown[0]!r} (known: {', '.join(known())})")
    return names


def _pipeline(args: argparse.Namespace):
    from .filters import default_names
    from .pipeline import Pipeline

    names = _filter_names(args.filters) or default_names()
    options: dict = {}
    if args.rules:
        if "boilerplate" not in names:
            raise UsageError("--rules needs the boilerplate filter")
        if not Path(args.rules).is_file():
            raise UsageError(f"--rules: {args.rules}: no such file")
        options["boilerplate"] = {"rules": args.rules}
    try:
        return Pipeline.from_names(names, options)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def cmd_filters(args: argparse.Namespace) -> int:
    from .filters import REGISTRY

    width = max(len(s.name) for s in REGISTRY)
    for s in REGISTRY:
        flag = "default" if s.default else "opt-in "
        print(f"{s.name:<{width}}  {flag}  {s.summary}")
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    paths = list(args.paths)
    stdin_mode = paths == ["-"] or (not paths and _stdin_has_data())
    if not paths and not stdin_mode:
        raise UsageError("clean needs PATH arguments, '-' or piped input")
    if stdin_mode:
        if args.output:
            raise UsageError("-o goes with file inputs, not stdin")
        return _clean_stdin(args)
    if "-" in paths:
        raise UsageError("'-' (stdin) cannot be mixed with paths")
    if not args.output:
        raise UsageError("clean PATH... needs -o DIR (the output folder)")
    if args.changes:
        raise UsageError("--changes is for stdin mode; with -o each input gets NAME.changes.jsonl")
    return _clean_files(args, paths, Path(args.output))


def _stdin_has_data() -> bool:
    """True when stdin is a pipe or a file (not a terminal, /dev/null or closed)."""
    import os
    import stat

    try:
        mode = os.fstat(0).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode)


def _clean_stdin(args: argparse.Namespace) -> int:
    from .edits import changes_to_jsonl
    from .runner import atomic_write

    pipe = _pipeline(args)
    data = sys.stdin.buffer.read()
    result = pipe.run(data)
    if args.changes:
        atomic_write(Path(args.changes), changes_to_jsonl(result.changes))
    sys.stdout.buffer.write(result.text.encode("utf-8", errors="backslashreplace"))
    sys.stdout.flush()
    return 0


def _clean_files(args: argparse.Namespace, paths: list[str], out_dir: Path) -> int:
    from .edits import changes_to_jsonl
    from .runner import InputError, atomic_write, check_out_dir, collect, read_source

    pipe = _pipeline(args)
    try:
        check_out_dir(out_dir, paths)
        found = collect(paths, out_dir)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    failures = list(found.errors)
    for msg in found.errors:
        _err(msg)
    t0 = time.perf_counter()
    done = changed = removed_words = 0
    for src in found.sources:
        try:
            data = read_source(src)
            result = pipe.run(data, metadata={"source": str(src.path)})
        except InputError as exc:
            _err(str(exc))
            failures.append(str(exc))
            continue
        except Exception as exc:  # a filter bug must not stop the run
            msg = f"{src.path}: failed: {type(exc).__name__}: {exc}"
            _err(msg)
            failures.append(msg)
            continue
        if result.metadata.get("undecodable_bytes"):
            print(f"{PROG}: warning: {src.path}: {result.metadata['undecodable_bytes']} undecodable "
                  f"byte(s) replaced by U+FFFD", file=sys.stderr)
        base = out_dir / src.rel
        try:
            atomic_write(base.with_name(base.name + ".changes.jsonl"), changes_to_jsonl(result.changes))
            atomic_write(base.with_name(base.name + ".txt"), result.text)
        except OSError as exc:
            msg = f"{base}: cannot write output: {exc.strerror or exc}"
            _err(msg)
            failures.append(msg)
            continue
        done += 1
        changed += bool(result.changes)
        removed_words += sum(len(c.before.split()) for c in result.changes if c.is_removal)
    if not args.quiet:
        secs = time.perf_counter() - t0
        print(f"{PROG}: {done} document(s) cleaned, {changed} changed, {removed_words} word(s) removed, "
              f"{len(failures)} failed, in {secs:.2f}s -> {out_dir}", file=sys.stderr)
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        if args.command == "filters":
            return cmd_filters(args)
        return cmd_clean(args)
    except UsageError as exc:
        _err(f"{exc} (see '{PROG} --help')")
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; only complete outputs were written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except OSError as exc:
        _err(str(exc))
        return 1
