"""Batch cleaning: files, folders, globs and JSON Lines datasets, in parallel, resumable.

One run cleans every input into the output folder ``-o``:

- a text or HTML file ``a/b.txt`` gives ``OUT/a/b.txt`` and ``OUT/a/b.changes.jsonl``;
- a dataset ``d.jsonl[.gz]`` gives ``OUT/d.jsonl[.gz]`` (records in input order, see
  :mod:`cleanarticle.jsonl`) and, unless ``changes`` says otherwise,
  ``OUT/d.changes.jsonl[.gz]`` with one ``{"id", "changes"}`` line per record;
- ``OUT/cleanarticle-run.json``, the run manifest (options, versions, counts), and
  ``OUT/cleanarticle-errors.jsonl`` when something failed.

Work is done by worker processes (:class:`cleanarticle.pool.WorkerPool`, or a
dask cluster with ``engine="dask"``); outputs are written atomically, so an
interrupted run leaves only complete files and the next run skips them.

Corpus-level passes: a filter may expose ``corpus_keys(text) -> set[str]``
(e.g. the lines of a page, for site templates). Then a first pass counts in how
many documents each key appears, and every document is cleaned with
``context["template_lines"]`` (key -> number of documents, for keys seen in two
or more documents; a key missing from it was seen only in the document itself)
and ``context["documents"]`` (documents counted). The counts are complete before
any document is cleaned, so ``jobs=N`` gives the same outputs as ``jobs=1``.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from glob import escape as glob_escape
from itertools import chain
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping, TextIO

from .edits import changes_to_jsonl, to_json_line
from .jsonl import AtomicOutput, changes_line, clean_record, run_pipeline, summarize
from .pool import WorkerPool, default_jobs
from .runner import (ERROR_REPORT, MAX_INPUT_BYTES, InputError, Source, atomic_write, check_out_dir, collect, inside_root,
                     read_source)

__all__ = ["BatchOptions", "RunStats", "BatchError", "run_batch", "MANIFEST", "ERRORS"]

MANIFEST = "cleanarticle-run.json"
ERRORS = ERROR_REPORT
_IGNORED_LISTED = 1000  # ignored files named in the manifest (all are counted)
PROG = "cleanarticle"


class BatchError(Exception):
    """The run cannot start (bad output folder, outputs made with other options)."""


@dataclass(frozen=True)
class BatchOptions:
    """How to run; the fields marked *output* change what is written (they go into
    the fingerprint that guards resuming), the others only how fast."""

    jobs: int = 0  # worker processes; 0 = the machine's cores
    timeout: float = 300.0  # seconds one document may take; 0 = no limit
    max_bytes: int = MAX_INPUT_BYTES  # larger documents are errors
    force: bool = False  # redo complete outputs
    text_key: str = "text"  # output: JSONL field holding the text
    id_key: str | None = None  # output: JSONL field holding the id
    changes: str = "file"  # output: JSONL change log in a "file", each "record", or "none"
    format: str | None = None  # output: "text" or "html"; None = by file name
    engine: str = "local"  # "local" or "dask"
    scheduler: str | None = None  # dask scheduler address
    progress: bool | None = None  # None: when stderr is a terminal
    quiet: bool = False

    def output_fields(self) -> dict[str, Any]:
        return {"text_key": self.text_key, "id_key": self.id_key, "changes": self.changes,
                "format": self.format}


@dataclass
class RunStats:
    """Counts for the summary and the manifest; merged document by document."""

    documents: int = 0  # cleaned in this run
    skipped: int = 0  # outputs already complete (resumed run)
    ignored: list[str] = field(default_factory=list)  # files in input folders of no known type
    changed: int = 0
    removed_words: int = 0
    failed: int = 0
    flagged: int = 0
    input_bytes: int = 0
    seconds: float = 0.0
    status: str = "running"
    per_filter: Counter = field(default_factory=Counter)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add(self, summary: Mapping[str, Any]) -> None:
        self.documents += 1
        self.changed += summary["changes"] > 0
        self.removed_words += summary["removed_words"]
        self.flagged += bool(summary["flagged"])
        self.per_filter.update(summary["per_filter"])

    def fail(self, record: dict[str, Any]) -> None:
        self.failed += 1
        self.errors.append(record)

    def counts(self) -> dict[str, Any]:
        return {"documents": self.documents, "changed": self.changed, "removed_words": self.removed_words,
                "failed": self.failed, "flagged": self.flagged, "skipped_complete": self.skipped,
                "ignored_files": len(self.ignored),
                "input_bytes": self.input_bytes, "per_filter": dict(sorted(self.per_filter.items()))}

    def summary(self, out_dir: Path) -> str:
        per = ", ".join(f"{k} {v}" for k, v in sorted(self.per_filter.items())) or "none"
        skipped = f", {self.skipped} already done" if self.skipped else ""
        ignored = ""
        if self.ignored:
            some = ", ".join(self.ignored[:3]) + (", ..." if len(self.ignored) > 3 else "")
            ignored = (f"\n{PROG}: {len(self.ignored)} file(s) in the input folders ignored, not text, "
                       f"HTML or JSON Lines by name ({some}; listed in {MANIFEST})")
        return (f"{PROG}: {self.documents} document(s) cleaned, {self.changed} changed, "
                f"{self.removed_words} word(s) removed, {self.failed} failed, {self.flagged} flagged"
                f"{skipped}, in {self.seconds:.2f}s -> {out_dir}\n"
                f"{PROG}: changes per filter: {per}{ignored}")


# ---------------------------------------------------------------- worker side --

@dataclass
class _State:
    """Everything a worker needs; inherited by forked workers, pickled once for dask."""

    pipeline: Any
    context: dict[str, Any] | None
    options: BatchOptions
    out_dir: Path
    _frozen: Any = field(default=None, repr=False, compare=False)

    @property
    def ctx(self) -> Mapping[str, Any] | None:
        """The corpus context as read-only views: a filter cannot change what the
        next document sees (which would make outputs depend on scheduling)."""
        if self._frozen is None and self.context is not None:
            self._frozen = MappingProxyType({k: MappingProxyType(v) if isinstance(v, dict) else v
                                             for k, v in self.context.items()})
        return self._frozen

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_frozen"] = None  # views do not pickle; rebuilt where needed
        return state


def _fmt(opts: BatchOptions, src: Source) -> str | None:
    return opts.format or ("html" if src.is_html else None)


def _clean_bytes(state: _State, src: Source, data: bytes) -> dict[str, Any]:
    try:
        result = run_pipeline(state.pipeline, data, metadata={"source": str(src.path)},
                              context=state.ctx, format=_fmt(state.options, src))
    except Exception as exc:  # a filter bug must not stop the run
        return {"error": f"{src.path}: failed: {type(exc).__name__}: {exc}"}
    out = {"text": result.text, "changes": changes_to_jsonl(result.changes), "summary": summarize(result)}
    if result.metadata.get("undecodable_bytes"):
        out["warning"] = (f"{src.path}: {result.metadata['undecodable_bytes']} undecodable byte(s) "
                          f"replaced by U+FFFD")
    return out


def _text_outputs(out_dir: Path, src: Source) -> tuple[Path, Path]:
    base = out_dir / src.rel
    return base.with_name(base.name + ".txt"), base.with_name(base.name + ".changes.jsonl")


def _write_text(out_dir: Path, src: Source, res: dict[str, Any]) -> dict[str, Any]:
    txt, log = _text_outputs(out_dir, src)
    if not inside_root(txt, out_dir):
        return {"error": f"{txt}: refusing to write through a symbolic link that leads out of the output folder"}
    try:
        atomic_write(log, res.pop("changes"))
        atomic_write(txt, res.pop("text"))  # written last: its presence marks a complete pair
    except OSError as exc:
        return {"error": f"{txt}: cannot write output: {exc.strerror or exc}"}
    return res


def _do_file(state: _State, src: Source) -> dict[str, Any]:
    try:
        data = read_source(src, state.options.max_bytes)
    except InputError as exc:
        return {"error": str(exc)}
    res = _clean_bytes(state, src, data)
    if "error" in res:
        return res
    return _write_text(state.out_dir, src, res)


def _do_bytes(state: _State, payload: tuple[Source, bytes]) -> dict[str, Any]:
    return _clean_bytes(state, *payload)


def _parse(line: bytes) -> Any:
    return json.loads(line)


def _do_record(state: _State, payload: tuple[bytes, int, str]) -> dict[str, Any]:
    line, lineno, default_id = payload
    opts = state.options
    try:
        record = _parse(line)
    except ValueError as exc:
        return {"error": f"line {lineno}: not JSON: {exc}", "id": default_id}
    try:
        out = clean_record(record, pipeline=state.pipeline, text_key=opts.text_key, id_key=opts.id_key,
                           default_id=default_id, changes="none" if opts.changes == "none" else "record",
                           context=state.ctx, format=opts.format)
    except ValueError as exc:
        return {"error": f"line {lineno}: {exc}", "id": default_id}
    except Exception as exc:
        return {"error": f"line {lineno}: failed: {type(exc).__name__}: {exc}", "id": default_id}
    res: dict[str, Any] = {"summary": out["metadata"]["cleanarticle"]}
    if opts.changes == "file":
        res["changes_line"] = changes_line(out["id"], out.pop("changes"))
    res["line"] = to_json_line(out)
    return res


def _keys(state: _State, text: str) -> list[str]:
    keys: set[str] = set()
    for f in state.pipeline.filters:
        fn = getattr(f, "corpus_keys", None)
        if callable(fn):
            keys.update(fn(text))
    return sorted(keys)


def _do_keys_file(state: _State, src: Source) -> dict[str, Any]:
    try:
        data = read_source(src, state.options.max_bytes)
    except InputError as exc:
        return {"error": str(exc)}
    return _do_keys_bytes(state, (src, data))


def _do_keys_bytes(state: _State, payload: tuple[Source, bytes]) -> dict[str, Any]:
    from .io import decode

    return {"keys": _keys(state, decode(payload[1])[0])}


def _do_keys_record(state: _State, payload: tuple[bytes, int, str]) -> dict[str, Any]:
    try:
        text = _parse(payload[0]).get(state.options.text_key)
    except (ValueError, AttributeError):
        return {"error": "not a JSON object"}
    if not isinstance(text, str):
        return {"error": "no text"}
    return {"keys": _keys(state, text)}


def _do_fail(state: _State, payload: tuple[str, int | None]) -> dict[str, Any]:
    return {"error": payload[0]}


_KINDS = {"file": _do_file, "bytes": _do_bytes, "record": _do_record, "fail": _do_fail,
          "keys-file": _do_keys_file, "keys-bytes": _do_keys_bytes, "keys-record": _do_keys_record}


def dispatch(state: _State, item: tuple[str, Any]) -> dict[str, Any]:
    """Run one work item in a worker: ``(kind, payload)``."""
    kind, payload = item
    return _KINDS[kind](state, payload)


def _cost(item: tuple[str, Any]) -> int:
    kind, payload = item
    if kind in ("record", "keys-record"):
        return len(payload[0])
    if kind in ("bytes", "keys-bytes"):
        return len(payload[1])
    return 300  # a Source or a message: small, but not free to send


# ---------------------------------------------------------------- parent side --

class _Run:
    def __init__(self, paths: list[str], out_dir: Path, pipeline, opts: BatchOptions,
                 config: Mapping[str, Any] | None, stream: TextIO) -> None:
        self.paths, self.out_dir, self.pipeline, self.opts = paths, out_dir, pipeline, opts
        self.config = dict(config) if config is not None else _pipeline_config(pipeline)
        self.stream = stream
        self.stats = RunStats()
        self.skipped_datasets: set[str] = set()
        self.remote = opts.engine == "dask"
        self.warmed = False
        from .progress import Progress

        self.progress = Progress(enabled=False if opts.quiet else opts.progress, stream=stream)

    # -- messages
    def say(self, msg: str) -> None:
        self.progress.close()
        print(msg, file=self.stream)

    def fail(self, record: dict[str, Any]) -> None:
        self.stats.fail(record)
        self.progress.update(failed=1)
        where = record.get("source", "")
        msg = record["error"]
        self.say(f"{PROG}: error: {msg if msg.startswith(where) else f'{where}: {msg}'}")

    # -- engines
    def engine(self, context: dict[str, Any] | None):
        state = _State(self.pipeline, context, self.opts, self.out_dir)
        jobs = self.opts.jobs or default_jobs()
        if not self.remote and not self.warmed:
            self.pipeline.warm()  # once, here: forked workers share it
            self.warmed = True
        if self.remote:
            from .dask_engine import DaskPool

            return DaskPool(dispatch, state, scheduler=self.opts.scheduler, cost=_cost)
        return WorkerPool(dispatch, state, jobs=jobs, timeout=self.opts.timeout or None, cost=_cost,
                          on_abandon=self.abandon)

    def abandon(self, item: tuple[str, Any]) -> None:
        """A worker was stopped on this item: remove what it may have half-written.

        Temporary files go. The pair (log, text) is written log first, text last;
        if the log is newer than the text (or the text is missing), the pair is
        not from one run, and both go: the next run redoes the document.
        """
        if item[0] != "file":
            return
        txt, log = _text_outputs(self.out_dir, item[1])
        for p in (txt, log):
            for tmp in p.parent.glob(f".{glob_escape(p.name)}.*.tmp"):
                tmp.unlink(missing_ok=True)
        try:
            whole = txt.stat().st_mtime_ns >= log.stat().st_mtime_ns
        except OSError:
            whole = False
        if not whole:
            txt.unlink(missing_ok=True)
            log.unlink(missing_ok=True)

    # -- items
    def file_items(self, sources: Iterable[Source], keys: bool = False) -> Iterator[tuple[str, Any]]:
        prefix = "keys-" if keys else ""
        for src in sources:
            if not self.remote:
                yield prefix + "file", src
                continue
            try:
                yield prefix + "bytes", (src, read_source(src, self.opts.max_bytes))
            except InputError as exc:
                yield "fail", (str(exc), None)

    def record_items(self, src: Source, keys: bool = False) -> Iterator[tuple[str, Any]]:
        import gzip

        kind = "keys-record" if keys else "record"
        ident = src.rel.as_posix()
        opener = gzip.open if src.is_gzip else open
        with opener(src.path, "rb") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                if len(line) > self.opts.max_bytes:
                    yield "fail", (f"line {lineno}: {len(line)} bytes is over the size limit of "
                                   f"{self.opts.max_bytes}", lineno)
                    continue
                yield kind, (line, lineno, f"{ident}/{lineno}")

    # -- passes
    def corpus_context(self, text: list[Source], data: list[Source]) -> dict[str, Any] | None:
        if not any(callable(getattr(f, "corpus_keys", None)) for f in self.pipeline.filters):
            return None
        counts: Counter = Counter()
        documents = 0
        items = chain(self.file_items(text, keys=True),
                      chain.from_iterable(_guarded(self.record_items(s, keys=True)) for s in data))
        self.progress.restart("counting corpus keys")
        with self.engine(None) as pool:
            for _, item, (kind, value) in pool.map(items):
                self.progress.update(docs=1, nbytes=_cost(item) if item[0] != "keys-file" else _size(item[1]))
                if kind == "ok" and "keys" in value:
                    documents += 1
                    counts.update(value["keys"])
        self.progress.restart()
        shared = {k: n for k, n in sorted(counts.items()) if n >= 2}
        # one counter for every filter's keys: a filter prefixes its keys to keep them apart
        return {"template_lines": shared, "corpus_keys": shared, "documents": documents}

    def clean_text_files(self, pool, sources: list[Source]) -> None:
        todo = [s for s in sources if self.opts.force or not _complete(_text_outputs(self.out_dir, s)[0], s)]
        self.stats.skipped += len(sources) - len(todo)
        if len(todo) < len(sources) and self.progress.total:
            done = set(map(id, todo))
            self.progress.total -= sum(_size(s) for s in sources if id(s) not in done)
        for _, item, (kind, value) in pool.map(self.file_items(todo)):
            src = item[1] if item[0] == "file" else item[1][0] if item[0] == "bytes" else None
            where = str(src.path) if src else ""
            size = _size(src) if src else 0
            self.stats.input_bytes += size
            if kind == "ok" and "error" not in value and item[0] == "bytes":
                value = _write_text(self.out_dir, src, value)
            if kind != "ok":
                self.fail({"source": where, "error": _lost(kind, value)})
            elif "error" in value:
                self.fail({"source": where, "error": value["error"]})
            else:
                if "warning" in value:
                    self.say(f"{PROG}: warning: {value['warning']}")
                self.stats.add(value["summary"])
            self.progress.update(docs=1, nbytes=size)

    def clean_dataset(self, pool, src: Source) -> None:
        out, log = _dataset_outputs(self.out_dir, src)
        if not self.opts.force and _complete(out, src):
            self.stats.skipped += 1
            self.skipped_datasets.add(str(src.path))
            if self.progress.total:
                self.progress.total -= _size(src)
            return
        writer = AtomicOutput(out)
        log_writer = AtomicOutput(log) if self.opts.changes == "file" else None
        guard = _Guard(self.record_items(src))
        try:
            for _, item, (kind, value) in pool.map(guard):
                nbytes = _cost(item)
                self.stats.input_bytes += nbytes
                self.progress.update(docs=1, nbytes=nbytes)
                if kind != "ok" or "error" in value:
                    rec = {"source": str(src.path), "line": item[1][1],
                           "error": _lost(kind, value) if kind != "ok" else value["error"]}
                    if item[0] == "record":
                        rec["id"] = item[1][2] if kind != "ok" else value.get("id")
                    self.fail(rec)
                else:
                    writer.write(value["line"])
                    if log_writer is not None:
                        log_writer.write(value["changes_line"])
                    self.stats.add(value["summary"])
            if guard.error is not None:
                raise guard.error
        except (OSError, EOFError, ValueError) as exc:
            writer.abort()
            if log_writer is not None:
                log_writer.abort()
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            self.fail({"source": str(src.path), "error": f"cannot read: {reason}"})
            return
        except BaseException:
            writer.abort()
            if log_writer is not None:
                log_writer.abort()
            raise
        if log_writer is not None:
            log_writer.commit()
        writer.commit()  # last: its presence marks the dataset complete

    # -- manifest
    def fingerprint(self, context: dict[str, Any] | None) -> str:
        h = hashlib.sha256()
        h.update(json.dumps({"pipeline": self.config, "output": self.opts.output_fields()},
                            sort_keys=True, default=str).encode())
        if context is not None:
            h.update(json.dumps([context["documents"], context["template_lines"]], sort_keys=True, ensure_ascii=False).encode("utf-8", "backslashreplace"))
        return h.hexdigest()[:16]

    def check_previous(self, fingerprint: str) -> None:
        path = self.out_dir / MANIFEST
        if self.opts.force or not path.exists():
            return
        try:
            old = json.loads(path.read_text(encoding="utf-8")).get("fingerprint")
        except (OSError, ValueError, AttributeError):
            old = None
        if old != fingerprint:
            raise BatchError(f"{self.out_dir} holds outputs made with other options or another corpus; "
                             f"use --force to redo them, or choose another output folder")

    def manifest(self, fingerprint: str, started: str, context: dict[str, Any] | None) -> dict[str, Any]:
        from . import __version__

        opts = asdict(self.opts)
        opts["jobs"] = self.opts.jobs or default_jobs()
        return {
            "tool": PROG, "version": __version__, "python": platform.python_version(),
            "dependencies": _versions(),
            "platform": platform.platform(terse=True), "status": self.stats.status,
            "started": started, "seconds": round(self.stats.seconds, 3),
            "inputs": self.paths, "pipeline": self.config, "options": opts,
            "fingerprint": fingerprint,
            "corpus": None if context is None else {"documents": context["documents"],
                                                    "template_lines": len(context["template_lines"])},
            "counts": self.stats.counts(),
            "errors": ERRORS if self.stats.errors else None,
            "ignored": self.stats.ignored[:_IGNORED_LISTED],
        }


class _Guard:
    """Wraps a reader so that a read error ends the stream quietly (kept in ``error``)
    instead of surfacing inside the pool, which still has work in flight."""

    def __init__(self, it: Iterator) -> None:
        self.it, self.error = it, None

    def __iter__(self):
        return self

    def __next__(self):
        if self.error is not None:
            raise StopIteration
        try:
            return next(self.it)
        except StopIteration:
            raise
        except (OSError, EOFError, ValueError) as exc:
            self.error = exc
            raise StopIteration from None


def _guarded(it: Iterator) -> Iterator:
    return _Guard(it)


def _write_errors(path: Path, run: _Run) -> None:
    """This run's errors, plus earlier ones about records of datasets this run skipped
    as complete (those records are still missing from the outputs)."""
    kept = []
    if run.skipped_datasets and path.exists():
        try:
            for line in path.read_text(encoding="utf-8").splitlines():
                rec = json.loads(line)
                if rec.get("source") in run.skipped_datasets and "line" in rec:
                    kept.append(rec)
        except (OSError, ValueError, AttributeError):
            kept = []
    rows = kept + run.stats.errors
    if rows:
        atomic_write(path, "".join(to_json_line(e) for e in rows))
    elif path.exists() and run.stats.status == "complete":
        path.unlink()


def _lost(kind: str, value: Any) -> str:
    if kind == "timeout":
        return f"over the time limit of {value:g}s: worker stopped"
    if kind == "crash":
        return f"worker process died (exit code {value})"
    return f"failed: {value}"


def _size(src: Source) -> int:
    try:
        return src.path.stat().st_size
    except OSError:
        return 0


def _complete(out: Path, src: Source) -> bool:
    """An output exists (atomic writes: it is whole) and is not older than its input."""
    try:
        return out.stat().st_mtime_ns >= src.path.stat().st_mtime_ns
    except OSError:
        return False


def _dataset_outputs(out_dir: Path, src: Source) -> tuple[Path, Path]:
    base = out_dir / src.rel
    gz = ".gz" if src.is_gzip else ""
    return base.with_name(f"{base.name}.jsonl{gz}"), base.with_name(f"{base.name}.changes.jsonl{gz}")


def _pipeline_config(pipeline) -> dict[str, Any]:
    """Filter names, classes and their public settings: what the outputs depend on."""
    out = {}
    for f in pipeline.filters:
        settings = {k: v for k, v in sorted(vars(f).items()) if not k.startswith("_")
                    and isinstance(v, (str, int, float, bool, type(None), list, tuple))}
        out[f.name] = {"class": f"{type(f).__module__}.{type(f).__qualname__}", "options": settings}
    return out


def _versions() -> dict[str, str]:
    """Installed versions of the libraries filters may use (they can change outputs)."""
    from importlib import metadata

    out = {}
    for name in ("ftfy", "trafilatura", "langdetect", "unidecode", "charset-normalizer", "distributed"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def run_batch(paths: Iterable[str], out_dir: Path, pipeline, options: BatchOptions = BatchOptions(), *,
              config: Mapping[str, Any] | None = None, stream: TextIO | None = None) -> RunStats:
    """Clean every input into ``out_dir``; see the module doc. Returns the counts.

    Raises :class:`BatchError` when the run cannot start. Per-document problems
    are counted, printed as one line on ``stream`` and listed in the errors file.
    """
    stream = stream or sys.stderr
    paths = [str(p) for p in paths]
    if options.changes not in ("file", "record", "none"):
        raise BatchError("changes must be file, record or none")
    if options.engine not in ("local", "dask"):
        raise BatchError(f"unknown engine {options.engine!r} (local, dask)")
    if options.engine == "dask" and not options.scheduler:
        raise BatchError("--engine dask needs --scheduler ADDRESS")
    out_dir = Path(out_dir)
    try:
        check_out_dir(out_dir, paths)
        found = collect(paths, out_dir)
    except InputError as exc:
        raise BatchError(str(exc)) from None
    run = _Run(paths, out_dir, pipeline, options, config, stream)
    text = [s for s in found.sources if not s.is_jsonl]
    data = [s for s in found.sources if s.is_jsonl]
    gz_data = any(s.is_gzip for s in data)
    run.progress.total = 0 if gz_data else sum(_size(s) for s in found.sources)
    t0 = time.perf_counter()
    started = _now()
    for msg in found.errors:
        run.fail({"source": "", "error": msg})
    run.stats.ignored = [str(p) for p in found.ignored]
    context = run.corpus_context(text, data)
    fp = run.fingerprint(context)
    run.check_previous(fp)
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = _lock(out_dir)
    try:
        _sweep_temporaries(out_dir)
        _run_all(run, out_dir, text, data, context, fp, started, t0)
    finally:
        if lock is not None:
            os.close(lock)
    if not options.quiet:
        print(run.stats.summary(out_dir), file=stream)
    return run.stats


def _run_all(run: _Run, out_dir: Path, text: list[Source], data: list[Source], context, fp: str,
             started: str, t0: float) -> None:
    atomic_write(out_dir / MANIFEST, json.dumps(run.manifest(fp, started, context), indent=1) + "\n")
    try:
        with run.engine(context) as pool:
            run.clean_text_files(pool, text)
            for src in data:
                run.clean_dataset(pool, src)
        run.stats.status = "complete"
    except KeyboardInterrupt:
        run.stats.status = "interrupted"
        raise
    except BaseException:
        run.stats.status = "stopped"
        raise
    finally:
        run.progress.close()
        run.stats.seconds = time.perf_counter() - t0
        _write_errors(out_dir / ERRORS, run)
        atomic_write(out_dir / MANIFEST, json.dumps(run.manifest(fp, started, context), indent=1) + "\n")


def _lock(out_dir: Path) -> int | None:
    """One run at a time per output folder (an advisory lock on the folder itself)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return None
    fd = os.open(out_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise BatchError(f"another run is writing to {out_dir}") from None
    return fd


def _sweep_temporaries(out_dir: Path) -> None:
    """Remove temporary files a killed run (SIGKILL, power cut) left behind: only
    complete outputs may stay. Ours are named ``.NAME.RANDOM.tmp``."""
    for dirpath, _, filenames in os.walk(out_dir):
        for name in filenames:
            if name.startswith(".") and name.endswith(".tmp"):
                try:
                    os.unlink(os.path.join(dirpath, name))
                except OSError:
                    pass
