"""Overrides: changes a reviewer marked as wrong, so the next run does not make them.

The review page exports a TOML file; ``cleanarticle clean --overrides FILE`` (or
``Pipeline.run(..., overrides=...)``) reads it and drops every proposed edit that
matches an entry before the edits are applied. An edit that lost a conflict to
the dropped one (a word fix inside a removed paragraph) then gets its chance.

A change is identified by what survives a re-run, not by offsets alone:

- ``doc``: the document, as its output name without ``.txt`` (``sub/article``).
  It matches a source path with or without its suffix, whole or as a trailing
  path (``news/sub/article.html`` matches ``sub/article``). No ``doc`` (or
  ``"*"``) means every document.
- ``filter`` and ``rule``: who proposed it (for a change the final whitespace
  pass merged into, the filter that made the decision, see
  :func:`cleanarticle.review.load.attribution`).
- ``before``: the original text it removed or rewrote. A proposal matches when
  its text, with runs of whitespace collapsed, is part of it: an earlier filter
  may have normalised the spaces, and one logged change may merge several
  proposals of its filter.
- ``start``: the offset in the original input. With several matching proposals,
  those inside ``start .. start + len(before)`` are dropped; if none is inside
  (the input was edited since), the nearest one. Without ``start`` every
  matching proposal is dropped.

Every override that took effect is recorded in ``metadata["overrides_applied"]``.

>>> ov = Overrides.from_toml('''
... [[override]]
... doc = "a"
... filter = "whitespace"
... rule = "space-run"
... before = "  "
... ''')
>>> from cleanarticle import clean
>>> r = clean("x  y", overrides=ov, metadata={"source": "in/a.txt"})
>>> r.text, r.metadata["overrides_applied"][0]["rule"]
('x  y\\n', 'space-run')
"""

from __future__ import annotations

import tomllib
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Mapping, Sequence

from .edits import Edit, EditLog

__all__ = ["Override", "Overrides", "OverridesError", "load", "dumps", "doc_keys"]

_SUFFIXES = (".html.gz", ".htm.gz", ".xhtml", ".html", ".htm", ".text", ".txt", ".md")


class OverridesError(ValueError):
    """The overrides file is not valid TOML or an entry lacks a field."""


def _norm(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Override:
    """One change marked as wrong."""

    filter: str
    rule: str
    before: str
    doc: str | None = None
    start: int | None = None
    after: str | None = None  # informative: what the change wrote
    note: str = ""

    @property
    def norm(self) -> str:
        return _norm(self.before)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        if self.doc is not None:
            d["doc"] = self.doc
        d.update(filter=self.filter, rule=self.rule, before=self.before)
        if self.after is not None:
            d["after"] = self.after
        if self.start is not None:
            d["start"] = self.start
        if self.note:
            d["note"] = self.note
        return d


def doc_keys(metadata: Mapping[str, Any]) -> set[str]:
    """Names an override's ``doc`` may use for this document: its ``id`` and its
    ``source`` path with and without suffix, and every trailing part of those."""
    keys: set[str] = set()
    for field in ("id", "source"):
        v = metadata.get(field)
        if not v:
            continue
        p = str(v).replace("\\", "/")
        forms = {p}
        low = p.lower()
        for suf in _SUFFIXES:
            if low.endswith(suf):
                forms.add(p[: -len(suf)])
                break
        for f in forms:
            parts = PurePosixPath(f).parts
            for i in range(len(parts)):
                keys.add("/".join(parts[i:]))
    return keys


class Overrides:
    """A set of overrides, indexed by document."""

    def __init__(self, items: Iterable[Override] = ()) -> None:
        self.items: tuple[Override, ...] = tuple(items)
        self._by_doc: dict[str | None, list[Override]] = {}
        for o in self.items:
            self._by_doc.setdefault(o.doc, []).append(o)

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return f"Overrides({len(self.items)} entries)"

    @classmethod
    def from_toml(cls, text: str) -> "Overrides":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise OverridesError(f"not valid TOML: {exc}") from None
        entries = data.get("override", [])
        if not isinstance(entries, list):
            raise OverridesError("'override' must be an array of tables ([[override]])")
        items = []
        for n, e in enumerate(entries, 1):
            if not isinstance(e, dict):
                raise OverridesError(f"override {n}: not a table")
            missing = [k for k in ("filter", "rule", "before") if not isinstance(e.get(k), str)]
            if missing:
                raise OverridesError(f"override {n}: missing or non-string {', '.join(missing)}")
            doc = e.get("doc")
            start = e.get("start")
            if start is not None and (not isinstance(start, int) or start < 0):
                raise OverridesError(f"override {n}: start must be a non-negative integer")
            items.append(Override(e["filter"], e["rule"], e["before"],
                                  None if doc in (None, "", "*") else str(doc), start,
                                  e.get("after") if isinstance(e.get("after"), str) else None,
                                  str(e.get("note", ""))))
        return cls(items)

    def for_document(self, metadata: Mapping[str, Any]) -> "DocumentOverrides | None":
        """The overrides that concern one document, or ``None`` when there are none."""
        found = list(self._by_doc.get(None, ()))
        if len(self._by_doc) > (None in self._by_doc):
            keys = doc_keys(metadata)
            for k in sorted(keys):
                found.extend(self._by_doc.get(k, ()))
        return DocumentOverrides(found) if found else None


class DocumentOverrides:
    """Overrides for one document: drops matching proposals, step by step."""

    def __init__(self, items: Sequence[Override]) -> None:
        self.by_rule: dict[tuple[str, str], list[Override]] = {}
        for o in items:
            self.by_rule.setdefault((o.filter, o.rule), []).append(o)
        self.filters = {o.filter for o in items}

    def drop(self, filter_name: str, edits: list[Edit], log: EditLog,
             metadata: dict[str, Any]) -> list[Edit]:
        """``edits`` without those an override forbids; records what was dropped."""
        if filter_name not in self.filters or not edits:
            return edits
        text = log.text
        cands: dict[Override, list[int]] = {}
        for i, e in enumerate(edits):
            for o in self.by_rule.get((filter_name, e.rule), ()):
                if _same_text(_norm(text[e.start:e.end]), o):
                    cands.setdefault(o, []).append(i)
        if not cands:
            return edits
        to_original = _OffsetMap(log)
        dropped: dict[int, Override] = {}
        for o, idxs in cands.items():
            if o.start is None:
                chosen = idxs
            else:
                end = o.start + len(o.before)
                inside = [i for i in idxs if o.start <= to_original(edits[i].start) <= max(end - 1, o.start)]
                # the text moved (an edited input): fall back to the nearest candidate
                chosen = inside or [min(idxs, key=lambda i: (abs(to_original(edits[i].start) - o.start), i))]
            for i in chosen:
                dropped.setdefault(i, o)
        applied = metadata.setdefault("overrides_applied", [])
        for i in sorted(dropped):
            o = dropped[i]
            rec = {"filter": filter_name, "rule": o.rule, "before": o.before,
                   "start": to_original(edits[i].start)}
            if rec not in applied:
                applied.append(rec)
        return [e for i, e in enumerate(edits) if i not in dropped]


def _same_text(proposed: str, o: Override) -> bool:
    """Is a proposal's text (whitespace collapsed) part of what the override names?

    Containment, not equality: a logged change can merge several proposals of
    its filter (two adjacent lines removed), each of which must be dropped.
    """
    if proposed:
        return proposed in o.norm
    return not o.norm or o.start is not None  # a pure whitespace edit


class _OffsetMap:
    """Offset in the current text -> offset in the original (inside a change: its start)."""

    def __init__(self, log: EditLog) -> None:
        self.changes = log.changes()
        self.out_starts = [c.out_start for c in self.changes]

    def __call__(self, pos: int) -> int:
        i = bisect_right(self.out_starts, pos) - 1
        if i < 0:
            return pos
        c = self.changes[i]
        if pos < c.out_end:
            return c.start
        return pos - c.out_end + c.end


def load(path: str | Path) -> Overrides:
    """Read an overrides TOML file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise OverridesError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return Overrides.from_toml(text)
    except OverridesError as exc:
        raise OverridesError(f"{path}: {exc}") from None


def _toml_str(s: str) -> str:
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\u{o:04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def dumps(items: Iterable[Override]) -> str:
    """TOML text for overrides, in the same layout the review page exports.

    >>> print(dumps([Override("typos", "misspelling", "teh", doc="a", start=4, after="the")]), end="")
    # cleanarticle overrides: changes marked as wrong in review.
    # Apply with: cleanarticle clean --overrides FILE ...
    version = 1
    <BLANKLINE>
    [[override]]
    doc = "a"
    filter = "typos"
    rule = "misspelling"
    before = "teh"
    after = "the"
    start = 4
    """
    lines = ["# cleanarticle overrides: changes marked as wrong in review.",
             "# Apply with: cleanarticle clean --overrides FILE ...", "version = 1"]
    for o in items:
        lines.append("")
        lines.append("[[override]]")
        for k, v in o.to_dict().items():
            lines.append(f"{k} = {v}" if isinstance(v, int) else f"{k} = {_toml_str(v)}")
    return "\n".join(lines) + "\n"
