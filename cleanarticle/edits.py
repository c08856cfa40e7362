"""The edit model: proposed edits, logged changes, composition and restore.

A filter never rewrites text itself. It proposes :class:`Edit` objects, each a
span of the text it was shown, a replacement, a rule id and a human reason. The
:class:`EditLog` applies them and keeps the log as a list of :class:`Change`
objects whose ``start``/``end`` always refer to the ORIGINAL input and whose
``out_start``/``out_end`` refer to the final output, whatever ran before.

Invariant kept by :class:`EditLog`: its changes are sorted, do not overlap in the
original, and ``original`` with every ``before`` replaced by its ``after`` is the
current text. An edit that touches text an earlier filter produced is merged with
that earlier change; the earlier change is kept in ``subsumes`` so nothing is lost
to review.

>>> log = EditLog("Hello  world")
>>> log.apply("whitespace", [Edit(5, 7, " ", "space-run", "collapse spaces")])
1
>>> log.text
'Hello world'
>>> restore(log.text, log.changes())
'Hello  world'
"""

from __future__ import annotations

import json
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

__all__ = ["Edit", "Change", "EditLog", "resolve", "restore", "carry_spans", "carry_many", "changes_to_jsonl", "changes_from_jsonl"]


@dataclass(frozen=True, slots=True)
class Edit:
    """A proposed replacement of ``text[start:end]`` by ``replacement``.

    Offsets are in the text the filter was shown. ``rule`` is a short stable id
    (``"space-run"``, ``"cookie-notice"``), ``reason`` a sentence for a reviewer.
    ``confidence`` is optional (fuzzy matches, classifiers).
    """

    start: int
    end: int
    replacement: str
    rule: str
    reason: str
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """One logged change: ``before`` at ``original[start:end]`` became ``after``
    at ``output[out_start:out_end]``."""

    filter: str
    rule: str
    start: int
    end: int
    before: str
    after: str
    reason: str
    out_start: int = 0
    out_end: int = 0
    confidence: float | None = None
    subsumes: tuple[dict[str, Any], ...] = field(default=())

    @property
    def is_removal(self) -> bool:
        return self.after == "" and self.before != ""

    def to_dict(self) -> dict[str, Any]:
        """Plain dict with a stable key order; optional keys only when set."""
        d: dict[str, Any] = {
            "filter": self.filter,
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "out_start": self.out_start,
            "out_end": self.out_end,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
        }
        if self.confidence is not None:
            d["confidence"] = round(self.confidence, 4)
        if self.subsumes:
            d["subsumes"] = list(self.subsumes)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Change":
        try:
            return cls(
                filter=str(d["filter"]),
                rule=str(d["rule"]),
                start=int(d["start"]),
                end=int(d["end"]),
                before=str(d["before"]),
                after=str(d["after"]),
                reason=str(d.get("reason", "")),
                out_start=int(d["out_start"]),
                out_end=int(d["out_end"]),
                confidence=d.get("confidence"),
                subsumes=tuple(d.get("subsumes", ())),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a change record: {exc}") from None


_LINE_BREAKERS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def to_json_line(obj: Any) -> str:
    """One JSON object on one line: UTF-8 text kept readable, but every character
    that some line splitters treat as a line break is escaped."""
    return json.dumps(obj, ensure_ascii=False).translate(_LINE_BREAKERS) + "\n"


def changes_to_jsonl(changes: Iterable[Change]) -> str:
    """One JSON object a line, keys in a fixed order."""
    return "".join(to_json_line(c.to_dict()) for c in changes)


def changes_from_jsonl(text: str) -> list[Change]:
    out = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            out.append(Change.from_dict(json.loads(line)))
        except (json.JSONDecodeError, ValueError) as exc:
            raise ValueError(f"change log line {n}: {exc}") from None
    return out


def _conflicts(prev: Edit, e: Edit) -> bool:
    if e.start < prev.end:
        return True
    # two insertions at one point: their order would be ambiguous
    return e.start == e.end == prev.start == prev.end


def resolve(edits: Iterable[Edit], length: int) -> list[Edit]:
    """Sort one filter's proposals and drop conflicting ones, deterministically.

    Earlier start wins; at the same start the longer span wins (a paragraph
    removal beats a word fix inside it); then rule and replacement break ties.
    No-op edits are dropped. Spans must lie within ``0..length``.
    """
    cands = []
    for e in edits:
        if not (0 <= e.start <= e.end <= length):
            raise ValueError(f"edit {e.rule!r} span {e.start}:{e.end} outside text of length {length}")
        cands.append(e)
    cands.sort(key=lambda e: (e.start, e.start - e.end, e.rule, e.replacement))
    kept: list[Edit] = []
    for e in cands:
        if kept and _conflicts(kept[-1], e):
            continue
        kept.append(e)
    return kept


@dataclass(slots=True)
class _Rec:
    """A change in the making: original span, its current text and provenance."""

    o_start: int
    o_end: int
    after: str
    filter: str
    rule: str
    reason: str
    confidence: float | None
    subsumes: tuple[dict[str, Any], ...]


def _splice(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with sorted, non-overlapping edits applied."""
    pieces: list[str] = []
    pos = 0
    for e in edits:
        pieces.append(text[pos:e.start])
        pieces.append(e.replacement)
        pos = e.end
    pieces.append(text[pos:])
    return "".join(pieces)


class EditLog:
    """Applies batches of edits and keeps a composed, restorable change log."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.text = original
        self._recs: list[_Rec] = []
        #: the edits the latest :meth:`apply` made (sorted, offsets in the text before it)
        self.applied: list[Edit] = []

    def apply(self, filter_name: str, edits: Sequence[Edit], *, resolved: bool = False) -> int:
        """Apply one filter's edits (offsets in the current text). Returns how many took effect."""
        if not edits:  # (most steps of a run propose nothing)
            self.applied = []
            return 0
        if not resolved:
            edits = resolve(edits, len(self.text))
        edits = [e for e in edits if self.text[e.start:e.end] != e.replacement]
        self.applied = edits
        if not edits:
            return 0
        cur = self.text
        recs = self._recs
        if not recs:  # nothing changed yet: the text is the original, every edit is a new change
            self._recs = [_Rec(e.start, e.end, e.replacement, filter_name, e.rule, e.reason, e.confidence, ())
                          for e in edits]
            self.text = _splice(cur, edits)
            return len(edits)
        # the current-text span of an existing change is its original span moved by the
        # changes before it: (o_start + d, o_start + d + len(after)) for the next one, j
        new: list[_Rec] = []
        nrecs = len(recs)
        j = 0  # next existing change not yet placed
        d = 0  # delta (len(after) - len(before)) of changes placed before j
        pieces: list[str] = []
        pos = 0
        i = 0
        while i < len(edits):
            e = edits[i]
            # place every change that lies wholly before this edit
            while j < nrecs:
                r = recs[j]
                cs_j = r.o_start + d
                ce_j = cs_j + len(r.after)
                if ce_j > e.start:
                    break
                new.append(r)
                d += len(r.after) - (r.o_end - r.o_start)
                j += 1
            if j == nrecs or not self._touches(cs_j, ce_j, e.start, e.end):
                # it reaches into no change (the usual case): a change of its own, as the
                # cluster below would make of it alone
                o_start, o_end = e.start - d, e.end - d
                if e.replacement != self.original[o_start:o_end]:
                    new.append(_Rec(o_start, o_end, e.replacement, filter_name, e.rule, e.reason,
                                    e.confidence, ()))
                pieces.append(cur[pos:e.start])
                pieces.append(e.replacement)
                pos = e.end
                i += 1
                continue
            # a cluster: this edit, the changes it reaches into, further edits reaching into those
            cluster = [e]
            ms, me = e.start, e.end
            k = j
            dk = d  # delta of the changes before k
            ce_last = ce_j  # current end of change k - 1 (once k > j)
            while True:
                while k < nrecs:
                    r = recs[k]
                    cs_k = r.o_start + dk
                    ce_k = cs_k + len(r.after)
                    if not self._touches(cs_k, ce_k, ms, me):
                        break
                    ms, me = min(ms, cs_k), max(me, ce_k)
                    dk += len(r.after) - (r.o_end - r.o_start)
                    ce_last = ce_k
                    k += 1
                if k > j and i + len(cluster) < len(edits) and edits[i + len(cluster)].start < me:
                    nxt = edits[i + len(cluster)]
                    cluster.append(nxt)
                    me = max(me, nxt.end)
                    continue
                break
            last = cluster[-1]
            if k > j:
                o_start = recs[j].o_start if cs_j <= e.start else e.start - d
                o_end = recs[k - 1].o_end if ce_last >= last.end else last.end - dk
                subsumes = tuple(self._history(recs[j:k])) + tuple(
                    {"filter": filter_name, "rule": x.rule, "reason": x.reason, "after": x.replacement}
                    for x in cluster[1:])
                d = dk
                j = k
            else:
                o_start, o_end = e.start - d, e.end - d
                subsumes = ()
            parts = []
            at = ms
            for x in cluster:
                parts.append(cur[at:x.start])
                parts.append(x.replacement)
                at = x.end
            parts.append(cur[at:me])
            after = "".join(parts)
            if after != self.original[o_start:o_end]:
                new.append(_Rec(o_start, o_end, after, filter_name, e.rule, e.reason, e.confidence, subsumes))
            for x in cluster:
                pieces.append(cur[pos:x.start])
                pieces.append(x.replacement)
                pos = x.end
            i += len(cluster)
        new.extend(recs[j:])
        pieces.append(cur[pos:])
        self._recs = new
        self.text = "".join(pieces)
        return len(edits)

    @staticmethod
    def _touches(cs: int, ce: int, s: int, t: int) -> bool:
        """Does edit [s, t) reach into the text of an existing change at [cs, ce)?"""
        if ce > cs:
            return s < ce and t > cs
        return s < cs < t  # a pure deletion point strictly inside the edit

    @staticmethod
    def _history(recs: Sequence[_Rec]) -> Iterable[dict[str, Any]]:
        for r in recs:
            yield from r.subsumes
            yield {"filter": r.filter, "rule": r.rule, "reason": r.reason, "after": r.after}

    def changes(self) -> list[Change]:
        """The composed log, in output order, with offsets in the original and the output."""
        out = []
        delta = 0
        for r in self._recs:
            before = self.original[r.o_start:r.o_end]
            s = r.o_start + delta
            out.append(Change(r.filter, r.rule, r.o_start, r.o_end, before, r.after, r.reason,
                              s, s + len(r.after), r.confidence, r.subsumes))
            delta += len(r.after) - len(before)
        return out


def carry_spans(spans: Sequence[tuple[int, int]], edits: Sequence[Edit]) -> list[tuple[int, int]]:
    """Spans of a text, moved to where they stand once ``edits`` are applied, plus the
    spans the edits' replacements take: every place of the new text that differs from,
    or was next to, the changed places of the old one.

    ``spans`` and ``edits`` are sorted, ``edits`` do not overlap (what
    :attr:`EditLog.applied` holds), offsets in the text before the edits. A span end
    inside an edit moves to the end of the edit's replacement, a start to its start.
    The result is sorted; spans that overlap or touch are merged.

    >>> carry_spans([(10, 12)], [Edit(0, 4, "ab", "r", "why")])
    [(0, 2), (8, 10)]
    >>> carry_spans([(3, 5)], [Edit(4, 8, "", "r", "why")])
    [(3, 4)]
    """
    return _carry(spans, _shifts(edits))


def carry_many(spans: Sequence[Sequence[tuple[int, int]]],
               edits: Sequence[Edit]) -> list[list[tuple[int, int]]]:
    """:func:`carry_spans` of each list of ``spans``, through the same ``edits`` (where
    they move is worked out once)."""
    shifts = _shifts(edits)
    return [_carry(s, shifts) for s in spans]


def _shifts(edits: Sequence[Edit]) -> tuple[list[tuple[int, int, int, int]], list[int]]:
    """``(old start, old end, new start, new end)`` of each edit, and the old starts."""
    shifts = []
    d = 0
    for e in edits:
        shifts.append((e.start, e.end, e.start + d, e.start + d + len(e.replacement)))
        d += len(e.replacement) - (e.end - e.start)
    return shifts, [x[0] for x in shifts]


def _carry(spans: Sequence[tuple[int, int]],
           moved: tuple[list[tuple[int, int, int, int]], list[int]]) -> list[tuple[int, int]]:
    shifts, starts = moved

    def move(p: int, end: bool) -> int:
        i = bisect_left(starts, p + 1) - 1  # the last edit starting at or before p
        if i < 0:
            return p
        s0, e0, s1, e1 = shifts[i]
        if p >= e0:  # after it (or at its end)
            return p + e1 - e0
        return e1 if end else s1  # inside it

    out = [(move(a, False), move(b, True)) for a, b in spans]
    out += [(x[2], x[3]) for x in shifts]
    out.sort()
    merged: list[tuple[int, int]] = []
    for a, b in out:
        if merged and a <= merged[-1][1]:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def restore(clean_text: str, changes: Sequence[Change]) -> str:
    """Rebuild the original input from the clean text and its change log.

    Raises ``ValueError`` if the log does not fit the text (wrong file, edited output).
    """
    parts: list[str] = []
    pos = 0
    for c in changes:
        if c.out_start < pos or clean_text[c.out_start:c.out_end] != c.after:
            raise ValueError(
                f"change log does not match the text at output offset {c.out_start} "
                f"({c.filter}/{c.rule})")
        parts.append(clean_text[pos:c.out_start])
        parts.append(c.before)
        pos = c.out_end
    parts.append(clean_text[pos:])
    return "".join(parts)


def output_offset(changes: Sequence[Change], original_offset: int) -> int:
    """Map an offset in the original to the output (inside a change: its output start)."""
    starts = [c.start for c in changes]
    i = bisect_left(starts, original_offset + 1) - 1
    if i < 0:
        return original_offset
    c = changes[i]
    if original_offset < c.end:
        return c.out_start
    return original_offset - c.end + c.out_end
