"""Pipeline: runs filters in order, composes their edits, returns a Result."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from . import filters as _filters
from .edits import Change, EditLog, restore

__all__ = ["Pipeline", "Result", "Document", "clean", "DocumentError"]


class DocumentError(Exception):
    """A document could not be cleaned (too large, timed out, undecodable...).

    ``kind`` is a short stable id: ``too-large``, ``timeout``, ``extraction``.
    """

    def __init__(self, message: str, kind: str = "error") -> None:
        super().__init__(message)
        self.kind = kind


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
            context: Mapping[str, Any] | None = None, format: str = "auto",
            html: Mapping[str, Any] | None = None, max_bytes: int | None = None,
            timeout: float | None = None, errors: str = "raise") -> Result:
        """Clean one document. ``bytes`` are decoded (see :func:`cleanarticle.io.decode`).

        ``format``: ``"text"``, ``"html"`` or ``"auto"`` (HTML when
        :func:`cleanarticle.html.looks_like_html` says so). HTML goes through
        :func:`cleanarticle.html.extract` (``html`` holds its options) and the
        change log's original is the extracted text. ``max_bytes`` and
        ``timeout`` (seconds) bound one document (defaults for HTML: 20 MB,
        60 s); past them a :class:`DocumentError` is raised, or with
        ``errors="record"`` an empty Result carries ``metadata["error"]``.
        """
        if format not in ("auto", "text", "html"):
            raise ValueError("format must be 'auto', 'text' or 'html'")
        if errors not in ("raise", "record"):
            raise ValueError("errors must be 'raise' or 'record'")
        if not isinstance(text, (str, bytes, bytearray)):
            raise TypeError(f"clean() takes str or bytes, not {type(text).__name__}")
        from . import html as _html

        if format == "auto":
            format = "html" if _html.looks_like_html(text) else "text"
        if format == "html":
            max_bytes = _html.DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
            timeout = _html.DEFAULT_TIMEOUT if timeout is None else timeout
        try:
            if max_bytes and len(text) > max_bytes // 4:  # a str of n characters is at most 4n bytes
                size = len(text) if isinstance(text, (bytes, bytearray)) else len(text.encode("utf-8", "surrogatepass"))
                if size > max_bytes:
                    raise DocumentError(f"document of {size} bytes is over the limit of {max_bytes}", "too-large")
            try:
                return _html.call_with_timeout(
                    lambda: self._run(text, metadata, context, format, html or {}), timeout)
            except _html.TimeoutExpired as exc:
                raise DocumentError(f"document {exc}", "timeout") from None
        except DocumentError as exc:
            if errors == "raise":
                raise
            meta = dict(metadata or {})
            meta["format"] = format
            meta["error"] = {"kind": exc.kind, "message": str(exc)}
            return Result("", [], meta)

    def _run(self, text: str | bytes, metadata: Mapping[str, Any] | None,
             context: Mapping[str, Any] | None, format: str, html_options: Mapping[str, Any]) -> Result:
        meta: dict[str, Any] = dict(metadata or {})
        if isinstance(text, (bytes, bytearray)):
            from .html import decode_html
            from .io import decode

            text, info = decode_html(bytes(text)) if format == "html" else decode(bytes(text))
            meta.update(info)
        pre = None
        timings: dict[str, float] = {}
        if format == "html":
            from .html import extract

            t0 = time.perf_counter()
            pre = extract(text, url=meta.get("url"), **html_options)
            timings["html"] = time.perf_counter() - t0
            text = pre.text
            for key, value in pre.metadata.items():
                if key in ("format", "extraction") or key not in meta:
                    meta[key] = value  # values the caller gave (url, title...) win
        log = EditLog(text)
        doc = Document(meta, context or {}, text)
        if pre is not None:
            log.apply("html", pre.edits)
        finisher = next((f for f in self.filters if f.name == "whitespace"), None)
        changed_after_finisher = False
        for f in self.filters:
            t0 = time.perf_counter()
            n = self._run_one(f, log, doc)
            timings[f.name] = timings.get(f.name, 0.0) + time.perf_counter() - t0
            if finisher is not None and f is not finisher and n and self._ran(finisher, f):
                changed_after_finisher = True
        if changed_after_finisher:
            t0 = time.perf_counter()
            self._run_one(finisher, log, doc)
            timings[finisher.name] += time.perf_counter() - t0
        return Result(log.text, log.changes(), doc.metadata, timings)

    __call__ = run

    def _ran(self, finisher: _filters.Filter, f: _filters.Filter) -> bool:
        return self.filters.index(f) > self.filters.index(finisher)

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
          metadata: Mapping[str, Any] | None = None, format: str = "auto",
          html: Mapping[str, Any] | None = None, max_bytes: int | None = None,
          timeout: float | None = None, errors: str = "raise") -> Result:
    """Clean one document with the default pipeline, or with the named ``filters``.

    Text or HTML (``format``; see :meth:`Pipeline.run` for the limits).

    >>> clean("Hello   world ").text
    'Hello world\\n'
    """
    pipe = Pipeline.default(options) if filters is None else Pipeline.from_names(filters, options)
    return pipe.run(text, metadata=metadata, format=format, html=html, max_bytes=max_bytes,
                    timeout=timeout, errors=errors)
