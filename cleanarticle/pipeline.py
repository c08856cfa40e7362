"""Pipeline: runs filters in order, composes their edits, returns a Result."""

from __future__ import annotations

import time
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from . import filters as _filters
from .edits import Change, EditLog, restore

__all__ = ["Pipeline", "Result", "Document", "clean", "DocumentError"]

_CANONICAL = ("encoding", "whitespace")
_MAX_SETTLE_ROUNDS = 3


class DocumentError(Exception):
    """A document could not be cleaned (too large, timed out, undecodable...)."""


@dataclass
class Document:
    """What a filter may consult besides the text: metadata and shared context.

    ``metadata`` is the document's metadata dict (filters may add keys such as
    ``author``); ``context`` holds run-level data (e.g. batch statistics) and is
    read-only for filters.
    """

    metadata: dict[str, Any] = field(default_factory=dict)
    context: Mapping[str, Any] = field(default_factory=dict)
    _language_text: str | None = None

    @property
    def language(self) -> str:
        """ISO 639-1 code of the document, or ``"und"``; detected once, lazily.

        Detected on the text as it stands when a filter first asks (after
        encoding repair), or at the end of the run if none asked. A language
        given in the caller's metadata is kept (its confidence is then None
        unless given too).
        """
        lang = self.metadata.get("language")
        if lang is None:
            from .language import detect

            lang, conf = detect(self._language_text or "")
            self.metadata["language"] = lang
            self.metadata["language_confidence"] = conf
        else:
            self.metadata.setdefault("language_confidence", None)
        return lang


@dataclass
class Result:
    """Clean text, the change log (original and output offsets) and metadata."""

    text: str
    changes: list[Change]
    metadata: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def restore(self) -> str:
        return restore(self.text, self.changes)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


class Pipeline:
    """An ordered list of filters.

    >>> Pipeline.from_names(["whitespace"]).run("a  b").text
    'a b\\n'
    """

    def __init__(self, filters: Sequence[_filters.Filter]) -> None:
        seen = set()
        for f in filters:
            if not isinstance(f, _filters.Filter):
                raise TypeError(f"{f!r} is not a filter (needs .name and .propose(text, doc))")
            if f.name in seen:
                raise ValueError(f"filter {f.name!r} listed twice")
            seen.add(f.name)
        self.filters: tuple[_filters.Filter, ...] = tuple(filters)

    @classmethod
    def default(cls, options: Mapping[str, Mapping[str, Any]] | None = None) -> "Pipeline":
        return cls.from_names(_filters.default_names(), options)

    @classmethod
    def from_names(cls, names: Iterable[str],
                   options: Mapping[str, Mapping[str, Any]] | None = None) -> "Pipeline":
        """Built-in filters by name, put in pipeline order; ``options[name]`` are passed to each."""
        options = options or {}
        ordered = _filters.order(names)
        unknown = set(options) - set(_filters.names())
        if unknown:
            raise _filters.UnknownFilter(f"options for unknown filter(s): {', '.join(sorted(unknown))}")
        return cls([_filters.create(n, **dict(options.get(n, {}))) for n in ordered])

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.filters]

    def run(self, text: str | bytes, *, metadata: Mapping[str, Any] | None = None,
            context: Mapping[str, Any] | None = None) -> Result:
        """Clean one document. ``bytes`` are decoded (see :func:`cleanarticle.io.decode`)."""
        meta: dict[str, Any] = dict(metadata or {})
        if isinstance(text, (bytes, bytearray)):
            from .io import decode

            text, info = decode(bytes(text))
            meta.update(info)
        elif not isinstance(text, str):
            raise TypeError(f"clean() takes str or bytes, not {type(text).__name__}")
        log = EditLog(text)
        doc = Document(meta, context or {}, text)
        timings: dict[str, float] = {}
        # `encoding` and `whitespace` define the canonical form; each is re-run
        # (in pipeline order) while a filter after it changed the text, so the
        # output is a fixed point of both and cleaning it again changes nothing.
        canonical = [f for f in self.filters if f.name in _CANONICAL]
        stale: set[str] = set()
        for i, f in enumerate(self.filters):
            t0 = time.perf_counter()
            n = self._run_one(f, log, doc)
            timings[f.name] = timings.get(f.name, 0.0) + time.perf_counter() - t0
            if n:
                stale.update(c.name for c in canonical if self.filters.index(c) < i)
                stale.discard(f.name)
        for _ in range(_MAX_SETTLE_ROUNDS):
            if not stale:
                break
            for f in canonical:
                if f.name not in stale:
                    continue
                stale.discard(f.name)
                t0 = time.perf_counter()
                if self._run_one(f, log, doc):
                    stale.update(c.name for c in canonical if c is not f)
                timings[f.name] += time.perf_counter() - t0
        if "language" not in doc.metadata or "language_confidence" not in doc.metadata:
            t0 = time.perf_counter()
            doc._language_text = log.text
            doc.language  # every result says its language
            timings["language"] = time.perf_counter() - t0
        return Result(log.text, log.changes(), doc.metadata, timings)

    __call__ = run

    @staticmethod
    def _run_one(f: _filters.Filter, log: EditLog, doc: Document) -> int:
        langs = getattr(f, "languages", None)
        if langs is not None:
            doc._language_text = log.text
            if doc.language not in langs:
                doc.metadata.setdefault("skipped", []).append(
                    {"filter": f.name, "reason": f"language {doc.language!r} not served"})
                return 0
        steps = getattr(f, "steps", None)
        n = 0
        for step in (steps() if steps else (f.propose,)):
            n += log.apply(f.name, list(step(log.text, doc)))
        return n


def clean(text: str | bytes, filters: Iterable[str] | None = None, *,
          options: Mapping[str, Mapping[str, Any]] | None = None,
          metadata: Mapping[str, Any] | None = None) -> Result:
    """Clean one document with the default pipeline, or with the named ``filters``.

    >>> clean("Hello   world ").text
    'Hello world\\n'
    """
    names = tuple(_filters.default_names() if filters is None else filters)
    pipe = _cached(names) if not options else Pipeline.from_names(names, options)
    return pipe.run(text, metadata=metadata)


@lru_cache(maxsize=32)
def _cached(names: tuple[str, ...]) -> Pipeline:
    """Pipelines without options are built once: filters hold no per-document state."""
    return Pipeline.from_names(names)
