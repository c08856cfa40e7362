"""Command line: ``cleanarticle clean|filters|diff|review``. Thin layer over the API.

Exit status: 0 success, 1 if any document failed (the others are still
written), 2 on a usage error. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from .batch import BatchOptions

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
                                   "DIR/<name>.changes.jsonl for each text or HTML input, "
                                   "DIR/<name>.jsonl for each JSON Lines dataset, and the run "
                                   "manifest DIR/cleanarticle-run.json; a re-run skips complete "
                                   "outputs. With '-' or piped stdin: clean text to stdout.")
    c.add_argument("paths", nargs="*", metavar="PATH", help="files, folders (recursive), globs, or '-'")
    c.add_argument("-o", "--output", metavar="DIR", help="output folder (required for file inputs)")
    c.add_argument("--filters", metavar="A,B", help="comma-separated filters; 'default' names the default "
                   "ones, so 'default,ascii' adds ascii to them (default: the default pipeline)")
    c.add_argument("--changes", metavar="FILE", help="stdin mode: write the change log (JSON Lines) here")
    c.add_argument("--rules", metavar="FILE", help="boilerplate rules TOML (extra phrases to remove/keep)")
    c.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary on stderr")
    c.add_argument("--overrides", metavar="FILE",
                   help="overrides TOML exported by the review page: changes marked as wrong are not made")
    c.add_argument("--report", metavar="FILE", help="also write an HTML review page of the outputs (with -o)")
    _add_batch_arguments(c)

    sub.add_parser("filters", help="list the filters, one line each")
    from .review.cli import add_commands

    add_commands(sub)
    return p


def _positive(kind):
    def parse(value: str):
        try:
            n = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
        if n < 0:
            raise argparse.ArgumentTypeError(f"must not be negative: {value!r}")
        return n
    return parse


def _add_batch_arguments(c: argparse.ArgumentParser) -> None:
    """Options of batch runs (many files, JSON Lines datasets, workers, clusters)."""
    g = c.add_argument_group("batch runs")
    g.add_argument("-j", "--jobs", type=_positive(int), default=0, metavar="N",
                   help="worker processes (default: the machine's cores)")
    g.add_argument("--timeout", type=_positive(float), default=300.0, metavar="SECONDS",
                   help="time limit per document; over it the document is an error (default 300, 0: none)")
    g.add_argument("--max-size", type=_positive(float), default=200.0, metavar="MB",
                   help="size limit per document in MB; larger ones are errors (default 200)")
    g.add_argument("--force", action="store_true",
                   help="redo outputs that are already complete (default: resume, skipping them)")
    g.add_argument("--format", choices=("text", "html"),
                   help="treat every input as plain text or HTML (default: by file name / content)")
    g.add_argument("--jsonl", action="store_true", help="stdin is JSON Lines: one record a line, to stdout")
    g.add_argument("--text-key", default="text", metavar="KEY", help="JSON Lines: field with the text (default text)")
    g.add_argument("--id-key", metavar="KEY", help="JSON Lines: field with the document id (default id)")
    g.add_argument("--changes-in", choices=("file", "record", "none"), default=None,
                   help="JSON Lines: change log in NAME.changes.jsonl (default with -o), in each "
                        "record's 'changes', or none")
    g.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local worker processes (default) or a dask.distributed cluster")
    g.add_argument("--scheduler", metavar="ADDRESS", help="dask scheduler address (tcp://host:8786)")


def _err(msg: str) -> None:
    print(f"{PROG}: error: {msg}", file=sys.stderr)


def _filter_names(arg: str | None) -> list[str] | None:
    if arg is None:
        return None
    names = [n.strip() for n in arg.split(",") if n.strip()]
    if not names:
        raise UsageError("--filters needs at least one filter name")
    from .filters import default_names
    from .filters import names as known

    unknown = [n for n in names if n not in known() and n != "default"]
    if unknown:
        raise UsageError(f"unknown filter {unknown[0]!r} (known: {', '.join(known())}, "
                         "and 'default' for the default ones)")
    # "default" stands for the default filters: "--filters default,ascii" adds one to them
    out: list[str] = []
    for n in names:
        for m in (default_names() if n == "default" else [n]):
            if m not in out:
                out.append(m)
    return out


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
        pipe = Pipeline.from_names(names, options)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if getattr(args, "overrides", None):
        from .overrides import OverridesError, load

        try:
            pipe.overrides = load(args.overrides)
        except OverridesError as exc:
            raise UsageError(f"--overrides: {exc}") from None
    return pipe


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
        if args.report:
            raise UsageError("--report needs file inputs and -o DIR")
        return _clean_stdin(args)
    if "-" in paths:
        raise UsageError("'-' (stdin) cannot be mixed with paths")
    if not args.output:
        raise UsageError("clean PATH... needs -o DIR (the output folder)")
    if args.changes:
        raise UsageError("--changes is for stdin mode; with -o each input gets NAME.changes.jsonl")
    status = _clean_files(args, paths, Path(args.output))
    if args.report:
        from .review.cli import report

        status = max(status, report(args, paths, Path(args.output)))
    return status


def _stdin_has_data() -> bool:
    """True when stdin is a pipe or a file (not a terminal, /dev/null or closed)."""
    import os
    import stat

    try:
        mode = os.fstat(0).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode)


def _batch_options(args: argparse.Namespace, changes: str) -> BatchOptions:
    from .batch import BatchOptions

    if args.engine == "dask" and not args.scheduler:
        raise UsageError("--engine dask needs --scheduler ADDRESS")
    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler goes with --engine dask")
    return BatchOptions(jobs=args.jobs, timeout=args.timeout, max_bytes=int(args.max_size * 1024 * 1024),
                        force=args.force, text_key=args.text_key, id_key=args.id_key, changes=changes,
                        format=args.format, engine=args.engine, scheduler=args.scheduler,
                        quiet=args.quiet)


def _run_kwargs(args: argparse.Namespace) -> dict:
    return {"format": args.format} if args.format else {}


def _clean_stdin(args: argparse.Namespace) -> int:
    from .edits import changes_to_jsonl
    from .runner import atomic_write

    pipe = _pipeline(args)
    if args.jsonl:
        return _clean_stdin_jsonl(args, pipe)
    if args.changes_in:
        raise UsageError("--changes-in is for JSON Lines input; plain stdin uses --changes FILE")
    from .jsonl import run_pipeline

    data = sys.stdin.buffer.read()
    result = run_pipeline(pipe, data, **_run_kwargs(args))
    if args.changes:
        atomic_write(Path(args.changes), changes_to_jsonl(result.changes))
    sys.stdout.buffer.write(result.text.encode("utf-8", errors="backslashreplace"))
    sys.stdout.flush()
    return 0


def _clean_stdin_jsonl(args: argparse.Namespace, pipe) -> int:
    """Records from stdin to stdout in order; failures are one line each on stderr."""
    from .batch import _State, dispatch
    from .jsonl import AtomicOutput
    from .pool import WorkerPool, default_jobs

    if args.engine != "local":
        raise UsageError("stdin runs use the local engine")
    if args.changes and args.changes_in not in (None, "file"):
        raise UsageError("--changes FILE and --changes-in record/none contradict each other")
    mode = "file" if args.changes else (args.changes_in or "none")
    if mode == "file" and not args.changes:
        raise UsageError("--changes-in file on stdin needs --changes FILE")
    opts = _batch_options(args, mode)
    log = AtomicOutput(Path(args.changes)) if args.changes else None
    items = (("record", (line, n, f"stdin/{n}")) for n, line in enumerate(sys.stdin.buffer, 1) if line.strip())
    failed = 0
    out = sys.stdout.buffer
    try:
        with WorkerPool(dispatch, _State(pipe, None, opts, Path()), jobs=opts.jobs or default_jobs(),
                        timeout=opts.timeout or None) as pool:
            for _, item, (kind, value) in pool.map(items):
                if kind != "ok" or "error" in value:
                    failed += 1
                    msg = value["error"] if kind == "ok" else f"line {item[1][1]}: {kind}"
                    _err(f"stdin: {msg}")
                    continue
                out.write(value["line"].encode("utf-8", errors="backslashreplace"))
                if log is not None:
                    log.write(value["changes_line"])
    except BaseException:
        if log is not None:
            log.abort()
        raise
    out.flush()
    if log is not None:
        log.commit()
    return 1 if failed else 0


def _clean_files(args: argparse.Namespace, paths: list[str], out_dir: Path) -> int:
    from .batch import BatchError, run_batch

    pipe = _pipeline(args)
    opts = _batch_options(args, args.changes_in or "file")
    try:
        stats = run_batch(paths, out_dir, pipe, opts, config=_config(args, pipe))
    except BatchError as exc:
        raise UsageError(str(exc)) from None
    except ImportError as exc:  # the dask extra is missing
        raise UsageError(str(exc)) from None
    return 1 if stats.failed else 0


def _config(args: argparse.Namespace, pipe) -> dict:
    from .batch import _pipeline_config

    config = _pipeline_config(pipe)
    if args.rules:
        import hashlib

        digest = hashlib.sha256(Path(args.rules).read_bytes()).hexdigest()[:16]
        config.setdefault("boilerplate", {}).setdefault("options", {})["rules_file"] = f"{args.rules} sha256:{digest}"
    return config


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        if args.command == "filters":
            return cmd_filters(args)
        if args.command in ("diff", "review"):
            from .review import cli as review_cli

            return review_cli.cmd_diff(args) if args.command == "diff" else review_cli.cmd_review(args)
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
