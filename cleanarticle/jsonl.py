"""JSON Lines datasets: one record in, one cleaned record out.

The output layout is the one datatrove and dolma read: ``id``, ``text`` and
``metadata`` first, then every other field of the input record unchanged. The
metadata is the record's own ``metadata`` plus what the filters found
(``language``, ``flags``...) and a change summary under ``cleanarticle``. The
full change log (enough to rebuild the input text) goes into the record
(``changes``) or, by default in batch runs, into a separate file, one line per
record in the same order.

>>> out = clean_record({"id": "a1", "text": "Hello   world", "lang": "en"}, filters=["whitespace"])
>>> out["text"], out["lang"], out["metadata"]["cleanarticle"]["changes"]
('Hello world\\n', 'en', 2)
>>> restore(out["text"], changes_from_dicts(out["changes"]))
'Hello   world'
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from .edits import Change, restore, to_json_line  # noqa: F401 (restore: used by the doctest)

__all__ = ["clean_record", "clean_records", "summarize", "changes_from_dicts", "AtomicOutput"]

CHANGES_MODES = ("record", "file", "none")
_PIPELINES: dict[str, Any] = {}  # built once per process and configuration
_ACCEPTS_FORMAT: dict[type, bool] = {}  # does this pipeline class's run() take format=?


def _pipeline(filters: Iterable[str] | None, options: Mapping[str, Any] | None):
    key = json.dumps([sorted(filters) if filters is not None else None, options or {}],
                     sort_keys=True, default=str)
    pipe = _PIPELINES.get(key)
    if pipe is None:
        from .pipeline import Pipeline

        pipe = Pipeline.default(options) if filters is None else Pipeline.from_names(filters, options)
        _PIPELINES[key] = pipe
    return pipe


def summarize(result) -> dict[str, Any]:
    """The per-document change summary: counts, words removed, changes per filter."""
    per = Counter(c.filter for c in result.changes)
    removed = sum(max(0, len(c.before.split()) - len(c.after.split())) for c in result.changes)
    return {
        "changes": len(result.changes),
        "removed_words": removed,
        "per_filter": dict(sorted(per.items())),
        "flagged": bool(result.metadata.get("flags")),
    }


def run_pipeline(pipe, text, *, metadata=None, context=None, format=None):
    """``pipe.run`` with ``format`` passed only when the pipeline accepts it."""
    kwargs: dict[str, Any] = {"metadata": metadata, "context": context}
    if format is not None and _accepts_format(pipe):
        kwargs["format"] = format
    return pipe.run(text, **kwargs)


def _accepts_format(pipe) -> bool:
    kind = type(pipe)
    known = _ACCEPTS_FORMAT.get(kind)
    if known is None:
        import inspect

        try:
            known = "format" in inspect.signature(pipe.run).parameters
        except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
            known = False
        _ACCEPTS_FORMAT[kind] = known
    return known


def clean_record(record: Mapping[str, Any], *, filters: Iterable[str] | None = None,
                 options: Mapping[str, Any] | None = None, pipeline=None, text_key: str = "text",
                 id_key: str | None = None, default_id: Any = None, changes: str = "record",
                 context: Mapping[str, Any] | None = None, nested: str = "dict",
                 format: str | None = None) -> dict[str, Any]:
    """Clean one dataset record; see the module doc for the output layout.

    ``filters``/``options`` (or a ready ``pipeline``) choose the filters; the
    pipeline is built once per process. ``changes``: ``"record"`` adds the change
    log as ``changes``, ``"none"`` leaves it out. ``nested="json"`` gives
    ``metadata`` and ``changes`` as JSON strings, for Arrow-backed tools
    (``datasets``, Spark) that want one schema for every row.

    Raises ``ValueError`` for a record without a string ``text_key``.
    """
    out, changes_list = _clean(record, pipeline or _pipeline(filters, options), text_key, id_key,
                               default_id, context, format)
    if changes == "record":
        out["changes"] = changes_list
    elif changes not in ("none", "file"):
        raise ValueError(f"changes must be one of {', '.join(CHANGES_MODES)}")
    if nested == "json":
        out["metadata"] = json.dumps(out["metadata"], ensure_ascii=False)
        if "changes" in out:
            out["changes"] = json.dumps(out["changes"], ensure_ascii=False)
    elif nested != "dict":
        raise ValueError("nested must be 'dict' or 'json'")
    return out


def clean_records(records: Iterable[Mapping[str, Any]], **kwargs: Any) -> Iterator[dict[str, Any]]:
    """:func:`clean_record` over an iterable (a pandas batch, a file's lines...)."""
    for r in records:
        yield clean_record(r, **kwargs)


def _clean(record: Mapping[str, Any], pipe, text_key: str, id_key: str | None, default_id: Any,
           context, format) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if not isinstance(record, Mapping):
        raise ValueError(f"a record must be a JSON object, not {type(record).__name__}")
    text = record.get(text_key)
    if not isinstance(text, str):
        what = "missing" if text is None else f"a {type(text).__name__}, not a string"
        raise ValueError(f"record field {text_key!r} is {what}")
    if text_key != "text" and "text" in record:
        raise ValueError(f"record has both 'text' and the text key {text_key!r}; the output "
                         f"writes the clean text to 'text'")
    meta_in = record.get("metadata", {})
    if isinstance(meta_in, str):
        try:
            meta_in = json.loads(meta_in)
        except json.JSONDecodeError:
            pass
    if not isinstance(meta_in, Mapping):
        raise ValueError("record field 'metadata' is not an object")
    meta = dict(meta_in)
    doc_id = record.get(id_key) if id_key else record.get("id")
    if doc_id is None:
        doc_id = default_id
    if id_key and id_key != "id" and "id" in record and record["id"] != doc_id:
        meta["original_id"] = record["id"]
    result = run_pipeline(pipe, text, metadata=meta, context=context, format=format)
    out_meta = dict(result.metadata)
    out_meta["cleanarticle"] = summarize(result)
    out: dict[str, Any] = {"id": doc_id, "text": result.text, "metadata": out_meta}
    for k, v in record.items():
        if k not in out and k != text_key:
            out[k] = v
    return out, [c.to_dict() for c in result.changes]


def changes_from_dicts(rows: Iterable[Mapping[str, Any]] | str) -> list[Change]:
    """Changes from a record's ``changes`` (list of dicts, or its JSON string)."""
    if isinstance(rows, str):
        rows = json.loads(rows)
    return [Change.from_dict(dict(r)) for r in rows]


class AtomicOutput:
    """A text output file that appears complete or not at all (gzip if the name ends in .gz).

    Written to a temporary file in the same folder; :meth:`commit` renames it.
    Gzip output is byte-identical from run to run (no time stamp, no name).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        from .runner import new_temp

        fd, self._tmp = new_temp(path)
        self._raw = os.fdopen(fd, "wb")
        self._fh = (gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0)
                    if path.name.endswith(".gz") else self._raw)

    def write(self, line: str) -> None:
        self._fh.write(line.encode("utf-8", errors="backslashreplace"))

    def commit(self) -> None:
        if self._fh is not self._raw:
            self._fh.close()
        self._raw.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        try:
            if self._fh is not self._raw:
                self._fh.close()
            self._raw.close()
        finally:
            try:
                os.unlink(self._tmp)
            except OSError:
                pass


def record_line(record: dict[str, Any]) -> str:
    return to_json_line(record)


def changes_line(doc_id: Any, changes: list[dict[str, Any]]) -> str:
    return to_json_line({"id": doc_id, "changes": changes})
