"""Pipeline: runs filters in order, composes their edits, returns a Result."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from . import filters as _filters
from .edits import Change, EditLog, restore

if TYPE_CHECKING:
    from .overrides import DocumentOverrides, Overrides

__all__ = ["Pipeline", "Result", "Document", "clean", "DocumentError"]


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
        """ISO 639-1 code of the document, or ``"und"``; detected once, lazily."""
        lang = self.metadata.get("language")
        if lang is None:
            from .language import detect

            lang, conf = detect(self._language_text or "")
            self.metadata["language"] = lang
            self.metadata["language_confidence"] = conf
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

    def __init__(self, filters: Sequence[_filters.Filter], *, overrides: "Overrides | None" = None) -> None:
        seen = set()
        for f in filters:
            if not isinstance(f, _filters.Filter):
                raise TypeError(f"{f!r} is not a filter (needs .name and .propose(text, doc))")
            if f.name in seen:
                raise ValueError(f"filter {f.name!r} listed twice")
            seen.add(f.name)
        self.filters: tuple[_filters.Filter, ...] = tuple(filters)
        #: changes a reviewer marked as wrong (see :mod:`cleanarticle.overrides`); used by
        #: :meth:`run` when it is not given ``overrides`` itself
        self.overrides = overrides

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
            context: Mapping[str, Any] | None = None, overrides: "Overrides | None" = None) -> Result:
        """Clean one document. ``bytes`` are decoded (see :func:`cleanarticle.io.decode`).

        ``overrides`` (default: ``self.overrides``) drops proposed edits a reviewer
        marked as wrong; the document is matched by ``metadata["id"]``/``["source"]``.
        """
        meta: dict[str, Any] = dict(metadata or {})
        if isinstance(text, (bytes, bytearray)):
            from .io import decode

            text, info = decode(bytes(text))
            meta.update(info)
        elif not isinstance(text, str):
            raise TypeError(f"clean() takes str or bytes, not {type(text).__name__}")
        log = EditLog(text)
        doc = Document(meta, context or {}, text)
        overrides = self.overrides if overrides is None else overrides
        keep = overrides.for_document(meta) if overrides else None
        timings: dict[str, float] = {}
        finisher = next((f for f in self.filters if f.name == "whitespace"), None)
        changed_after_finisher = False
        for f in self.filters:
            t0 = time.perf_counter()
            n = self._run_one(f, log, doc, keep)
            timings[f.name] = timings.get(f.name, 0.0) + time.perf_counter() - t0
            if finisher is not None and f is not finisher and n and self._ran(finisher, f):
                changed_after_finisher = True
        if changed_after_finisher:
            t0 = time.perf_counter()
            self._run_one(finisher, log, doc, keep)
            timings[finisher.name] += time.perf_counter() - t0
        return Result(log.text, log.changes(), doc.metadata, timings)

    __call__ = run

    def _ran(self, finisher: _filters.Filter, f: _filters.Filter) -> bool:
        return self.filters.index(f) > self.filters.index(finisher)

    @staticmethod
    def _run_one(f: _filters.Filter, log: EditLog, doc: Document, keep: "DocumentOverrides | None") -> int:
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
            edits = list(step(log.text, doc))
            if keep is not None:
                edits = keep.drop(f.name, edits, log, doc.metadata)
            n += log.apply(f.name, edits)
        return n


def clean(text: str | bytes, filters: Iterable[str] | None = None, *,
          options: Mapping[str, Mapping[str, Any]] | None = None,
          metadata: Mapping[str, Any] | None = None, overrides: "Overrides | None" = None) -> Result:
    """Clean one document with the default pipeline, or with the named ``filters``.

    ``overrides``: changes not to make again (:mod:`cleanarticle.overrides`).

    >>> clean("Hello   world ").text
    'Hello world\\n'
    """
    pipe = Pipeline.default(options) if filters is None else Pipeline.from_names(filters, options)
    return pipe.run(text, metadata=metadata, overrides=overrides)
