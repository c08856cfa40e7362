"""Pipeline: runs filters in order, composes their edits, returns a Result."""

from __future__ import annotations

import time
from functools import lru_cache
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from . import filters as _filters
from .edits import Change, EditLog, carry_many, restore

if TYPE_CHECKING:
    from .overrides import DocumentOverrides, Overrides

__all__ = ["Pipeline", "Result", "Document", "clean", "DocumentError"]

_MAX_SETTLE_ROUNDS = 4


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
    #: scratch space a filter keeps across the settle rounds of one run (e.g. what it
    #: removed in an earlier round); not part of the result
    state: dict[str, Any] = field(default_factory=dict)
    #: while a filter that declares ``reads_changed = True`` runs again in the settle
    #: rounds: the spans of the text it is shown that changed since its previous run left
    #: it (sorted ``(start, end)``), or ``None`` (first run, or every line counts). A
    #: line-local filter may look only there (:mod:`cleanarticle.filters.local`).
    changed: list[tuple[int, int]] | None = None
    _language_text: str | None = None
    _detected_on: str | None = None
    _changed: dict[str, list[tuple[int, int]] | None] = field(default_factory=dict)

    def _carry(self, edits: Sequence[Any]) -> None:
        """Every filter's changed spans, moved through ``edits`` just applied, plus theirs."""
        names = [name for name, spans in self._changed.items() if spans is not None]
        if names:
            moved = carry_many([self._changed[name] for name in names], edits)
            self._changed.update(zip(names, moved))

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
            self._detected_on = self._language_text or ""
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

    def warm(self) -> None:
        """Load now what is otherwise loaded on first use (language profiles, filters'
        data), so that worker processes forked afterwards share it instead of each
        loading it again. Changes no result."""
        from .language import warm

        warm()
        for f in self.filters:
            fn = getattr(f, "warm", None)
            if callable(fn):
                fn()

    def run(self, text: str | bytes, *, metadata: Mapping[str, Any] | None = None,
            context: Mapping[str, Any] | None = None, format: str = "auto",
            html: Mapping[str, Any] | None = None, max_bytes: int | None = None,
            timeout: float | None = None, errors: str = "raise",
            overrides: "Overrides | None" = None) -> Result:
        """Clean one document. ``bytes`` are decoded (see :func:`cleanarticle.io.decode`).

        ``format``: ``"text"``, ``"html"`` or ``"auto"`` (HTML when
        :func:`cleanarticle.html.looks_like_html` says so). HTML goes through
        :func:`cleanarticle.html.extract` (``html`` holds its options) and the
        change log's original is the extracted text. ``max_bytes`` and
        ``timeout`` (seconds) bound one document (defaults for HTML: 20 MB,
        60 s); past them a :class:`DocumentError` is raised, or with
        ``errors="record"`` an empty Result carries ``metadata["error"]``.
        ``overrides`` (default: ``self.overrides``) drops proposed edits a reviewer
        marked as wrong; the document is matched by ``metadata["id"]``/``["source"]``.
        """
        if format not in ("auto", "text", "html"):
            raise ValueError("format must be 'auto', 'text' or 'html'")
        if errors not in ("raise", "record"):
            raise ValueError("errors must be 'raise' or 'record'")
        if not isinstance(text, (str, bytes, bytearray)):
            raise TypeError(f"clean() takes str or bytes, not {type(text).__name__}")
        from . import html as _html

        guessed = format == "auto"
        if guessed:
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
                    lambda: self._run(text, metadata, context, format, html or {}, overrides, guessed), timeout)
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
             context: Mapping[str, Any] | None, format: str, html_options: Mapping[str, Any],
             overrides: "Overrides | None" = None, guessed: bool = False) -> Result:
        """One document; ``guessed``: the format was detected (``format="auto"``), so input
        that looked like a page but gave no HTML tree is cleaned as the text it is."""
        raw = text
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
            if guessed and pre.metadata["extraction"].get("method") == "none":
                # it started like a page ("<html ...") but is not one: nothing to extract,
                # so the text itself is the document (not an empty result)
                r = self._run(raw, metadata, context, "text", html_options, overrides)
                r.metadata["format"] = "text"
                r.metadata["format_note"] = (f"looked like HTML, but {pre.metadata['extraction']['note']}: "
                                             "cleaned as text")
                return r
            text = pre.text
            for key, value in pre.metadata.items():
                if key in ("format", "extraction") or key not in meta:
                    meta[key] = value  # values the caller gave (url, title...) win
        log = EditLog(text)
        doc = Document(meta, context or {}, _language_text=text)
        if pre is not None:
            log.apply("html", pre.edits)
        overrides = self.overrides if overrides is None else overrides
        keep = overrides.for_document(meta) if overrides else None
        # Settle to a fixed point: a filter that changed the text makes every filter
        # before it stale (they decided on older text); stale filters run again, in
        # pipeline order, until none is left. The output is then a fixed point of every
        # filter, so cleaning it again changes nothing. A filter that is not a fixed
        # point of itself declares ``idempotent = False`` and is re-run after its own edits.
        names = [f.name for f in self.filters]
        given_language = "language" in doc.metadata
        stale: set[str] = set()
        for i, f in enumerate(self.filters):
            t0 = time.perf_counter()
            if self._run_one(f, log, doc, keep):
                stale.update(names[:i])
                if getattr(f, "idempotent", True) is False:
                    stale.add(f.name)
            timings[f.name] = timings.get(f.name, 0.0) + time.perf_counter() - t0
        rounds = 0
        while rounds < _MAX_SETTLE_ROUNDS:
            if not stale:
                # filters decided with the language of the text they saw; cleaning the output
                # again detects it on the output, so it must be the same language
                stale = self._language_drift(doc, log.text, names, given_language)
                if not stale:
                    break
            rounds += 1
            for f in self.filters:
                if f.name not in stale:
                    continue
                stale.discard(f.name)
                t0 = time.perf_counter()
                if self._run_one(f, log, doc, keep):
                    stale.update(n for n in names if n != f.name or getattr(f, "idempotent", True) is False)
                timings[f.name] += time.perf_counter() - t0
        if stale:
            doc.metadata.setdefault("flags", []).append("not-settled")
        if "language" not in doc.metadata or "language_confidence" not in doc.metadata:
            t0 = time.perf_counter()
            doc._language_text = log.text
            doc.language  # every result says its language
            timings["language"] = time.perf_counter() - t0
        return Result(log.text, log.changes(), doc.metadata, timings)

    __call__ = run

    @staticmethod
    def _language_drift(doc: Document, text: str, names: list[str], given: bool) -> set[str]:
        """Every filter, if the language the filters used is not the output's language."""
        if given or doc._detected_on is None or doc._detected_on == text:
            return set()
        from .language import detect

        lang, conf = detect(text)
        doc._detected_on = text
        if lang == doc.metadata["language"]:
            return set()
        doc.metadata["language"], doc.metadata["language_confidence"] = lang, conf
        doc.metadata.pop("skipped", None)
        doc._changed.clear()  # filters decided in another language: every line counts again
        return set(names)

    @staticmethod
    def _run_one(f: _filters.Filter, log: EditLog, doc: Document, keep: "DocumentOverrides | None") -> int:
        # the language, when a filter first asks for it, is detected on the text that filter
        # sees (canonical by then), not on the raw input: so cleaning the output again
        # detects the same language and makes the same decisions
        doc._language_text = log.text
        langs = getattr(f, "languages", None)
        if langs is not None:
            if doc.language not in langs:
                doc.metadata.setdefault("skipped", []).append(
                    {"filter": f.name, "reason": f"language {doc.language!r} not served"})
                return 0
        steps = getattr(f, "steps", None)
        # only for a filter that reads them (``reads_changed``); a reviewer's overrides are
        # matched against every proposal: no shortcut then
        reads = getattr(f, "reads_changed", False) and not (keep is not None and f.name in keep.filters)
        n = 0
        for step in (steps() if steps else (f.propose,)):
            doc.changed = doc._changed.get(f.name) if reads else None
            edits = list(step(log.text, doc))
            if keep is not None:
                edits = keep.drop(f.name, edits, log, doc.metadata)
            applied = log.apply(f.name, edits)
            if applied:
                doc._carry(log.applied)
            n += applied
        doc.changed = None
        if reads:  # its output is a fixed point of itself: nothing changed since, for now
            doc._changed[f.name] = [] if getattr(f, "idempotent", True) is not False else None
        return n


def clean(text: str | bytes, filters: Iterable[str] | None = None, *,
          options: Mapping[str, Mapping[str, Any]] | None = None,
          metadata: Mapping[str, Any] | None = None, format: str = "auto",
          html: Mapping[str, Any] | None = None, max_bytes: int | None = None,
          timeout: float | None = None, errors: str = "raise",
          overrides: "Overrides | None" = None) -> Result:
    """Clean one document with the default pipeline, or with the named ``filters``.

    Text or HTML (``format``; see :meth:`Pipeline.run` for the limits).

    >>> clean("Hello   world ").text
    'Hello world\\n'
    """
    names = tuple(_filters.default_names() if filters is None else filters)
    pipe = _cached(names) if not options else Pipeline.from_names(names, options)
    return pipe.run(text, metadata=metadata, format=format, html=html, max_bytes=max_bytes,
                    timeout=timeout, errors=errors, overrides=overrides)


@lru_cache(maxsize=32)
def _cached(names: tuple[str, ...]) -> Pipeline:
    """Pipelines without options are built once: filters hold no per-document state."""
    return Pipeline.from_names(names)
