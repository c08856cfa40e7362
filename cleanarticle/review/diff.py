"""``cleanarticle diff``: what a run changed, in the terminal, from the change log.

Three views of cleaned outputs (``X.txt`` + ``X.changes.jsonl``):

- inline (default): the changed lines of each document with word-level marks in
  CriticMarkup, readable with or without colour: ``{--removed--}``,
  ``{~~old~>new~~}`` (a rewrite), ``{++added++}``, each followed by
  ``{>>filter/rule<<}``. Colour only on a terminal, never with ``NO_COLOR``.
- ``--stat``: counts per filter and rule.
- ``--format unified``: a plain patch from the original to the clean text that
  ``patch -p1`` and ``git apply`` understand. Hunks come straight from the change
  log (no line diff of the whole file), so huge documents diff in linear time.

>>> from cleanarticle.edits import Change
>>> c = Change("typos", "misspelling", 4, 7, "teh", "the", "common typo", 4, 7)
>>> "".join(inline_segments("the teh cat\\n", [c], color=False)[0])
'the {~~teh~>the~~}{>>typos/misspelling<<} cat\\n'
"""

from __future__ import annotations

import os
import re
import sys
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence, TextIO

from ..edits import Change
from .load import Reviewed, attribution

__all__ = ["inline_segments", "render_inline", "stat_table", "unified_diff", "is_whitespace_only", "run"]

# Control characters (except tab and newline) would drive the terminal: show them as \xNN.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TOKENS = re.compile(r"\s+|\S+")

_RED, _GREEN, _YELLOW, _DIM, _BOLD, _CYAN, _STRIKE, _RESET = (
    "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[2m", "\x1b[1m", "\x1b[36m", "\x1b[9m", "\x1b[0m")


def _safe(s: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", s)


def _visible_ws(s: str, keep_newlines: bool) -> str:
    """Whitespace made visible inside a mark: the mark must show what changed."""
    s = s.replace(" ", "·").replace("\t", "⇥").replace("\r", "␍").replace("\u00a0", "⍽")
    return s.replace("\n", "↵\n" if keep_newlines else "↵")


def is_whitespace_only(c: Change) -> bool:
    return not c.before.strip() and not c.after.strip()


def _trim_common(before: str, after: str) -> tuple[str, str, str, str]:
    """(prefix, old middle, new middle, suffix), trimming whole tokens both texts share."""
    b, a = _TOKENS.findall(before), _TOKENS.findall(after)
    i = 0
    while i < len(b) and i < len(a) and b[i] == a[i]:
        i += 1
    j = 0
    while j < len(b) - i and j < len(a) - i and b[-1 - j] == a[-1 - j]:
        j += 1
    return "".join(b[:i]), "".join(b[i:len(b) - j]), "".join(a[i:len(a) - j]), "".join(b[len(b) - j:])


def _mark(c: Change, color: bool) -> tuple[str, str, str]:
    """(unchanged text before, the mark, unchanged text after) for one change."""
    pre, old, new, post = _trim_common(c.before, c.after)
    fname, rule, _ = attribution(c)
    ws = is_whitespace_only(c)
    # removed text never breaks the line: its newlines show as ↵
    old_s = _visible_ws(old, False) if ws or not old.strip() else _safe(old).replace("\n", "↵")
    new_s = _visible_ws(new, True) if ws or not new.strip() else _safe(new)
    if not old and not new:  # cannot happen for a logged change; keep the text
        return "", _safe(c.after), ""
    if color:
        if not new:
            body = f"{_RED}{_STRIKE}{{--{old_s}--}}{_RESET}"
        elif not old:
            body = f"{_GREEN}{{++{new_s}++}}{_RESET}"
        else:
            body = f"{_YELLOW}{{~~{old_s}~>{_RESET}{_GREEN}{new_s}{_YELLOW}~~}}{_RESET}"
        note = f"{_DIM}{_CYAN}{{>>{_safe(fname)}/{_safe(rule)}<<}}{_RESET}"
    else:
        if not new:
            body = f"{{--{old_s}--}}"
        elif not old:
            body = f"{{++{new_s}++}}"
        else:
            body = f"{{~~{old_s}~>{new_s}~~}}"
        note = f"{{>>{_safe(fname)}/{_safe(rule)}<<}}"
    return _safe(pre), body + note, _safe(post)


def inline_segments(text: str, changes: Sequence[Change], *, color: bool,
                    shown=lambda c: True) -> tuple[list[str], list[bool]]:
    """The clean text cut into segments, with the shown changes marked.

    Returns (segments, marked): ``marked[i]`` says whether segment ``i`` is a mark.
    A change that is not shown appears as its clean text.
    """
    segs: list[str] = []
    marked: list[bool] = []
    pos = 0
    for c in changes:
        if not shown(c):
            continue
        if c.out_start > pos:
            segs.append(_safe(text[pos:c.out_start]))
            marked.append(False)
        pre, mark, post = _mark(c, color)
        segs += [pre, mark, post]
        marked += [False, True, False]
        pos = c.out_end
    if pos < len(text):
        segs.append(_safe(text[pos:]))
        marked.append(False)
    return segs, marked


def render_inline(doc: Reviewed, *, color: bool, filters: set[str] | None = None,
                  whitespace: bool = False, context: int = 1) -> Iterator[str]:
    """Lines to print for one document: a header, then the changed lines with context."""
    def shown(c: Change) -> bool:
        return (filters is None or attribution(c)[0] in filters) and (whitespace or not is_whitespace_only(c))

    picked = [c for c in doc.changes if shown(c)]
    hidden_ws = sum(1 for c in doc.changes if (filters is None or attribution(c)[0] in filters)
                    and not whitespace and is_whitespace_only(c))
    if not picked and not hidden_ws:
        return  # nothing to say about this document
    per: dict[str, int] = {}
    for c in picked:
        f = attribution(c)[0]
        per[f] = per.get(f, 0) + 1
    counts = ", ".join(f"{k} {v}" for k, v in sorted(per.items())) or "nothing shown"
    head = (f"== {_safe(doc.id)}  ({len(picked)} change(s): {counts}; "
            f"{doc.words_removed} of {doc.words} word(s) removed)")
    yield f"{_BOLD}{head}{_RESET}" if color else head
    if picked:
        segs, marked = inline_segments(doc.text, doc.changes, color=color, shown=shown)
        lines: list[str] = [""]
        hot: list[bool] = [False]
        for s, m in zip(segs, marked):
            parts = s.split("\n")
            for k, part in enumerate(parts):
                if k:
                    lines.append("")
                    hot.append(False)
                lines[-1] += part
                if m:
                    hot[-1] = True
        if lines and lines[-1] == "" and not hot[-1]:
            lines.pop()
            hot.pop()
        keep = [False] * len(lines)
        for i, h in enumerate(hot):
            if h:
                for k in range(max(0, i - context), min(len(lines), i + context + 1)):
                    keep[k] = True
        prev = -2
        for i, line in enumerate(lines):
            if not keep[i]:
                continue
            if i != prev + 1:
                sep = f"@@ line {i + 1} @@"
                yield f"{_DIM}{sep}{_RESET}" if color else sep
            yield line
            prev = i
    if hidden_ws:
        yield f"({hidden_ws} whitespace-only change(s) not shown; --whitespace shows them)"


# ---------------------------------------------------------------- --stat

@dataclass
class _Row:
    changes: int = 0
    removals: int = 0
    rewrites: int = 0
    words: int = 0
    chars: int = 0
    docs: int = 0


def stat_table(docs: Iterable[Reviewed], filters: set[str] | None = None) -> list[str]:
    """Counts per filter and rule over the documents, plus a total line."""
    rows: dict[tuple[str, str], _Row] = {}
    n_docs = changed = words = words_removed = 0
    for d in docs:
        n_docs += 1
        words += d.words
        seen: set[tuple[str, str]] = set()
        for c in d.changes:
            fname, rule, _ = attribution(c)
            if filters is not None and fname not in filters:
                continue
            r = rows.setdefault((fname, rule), _Row())
            r.changes += 1
            if c.is_removal:
                r.removals += 1
            else:
                r.rewrites += 1
            lost = len(c.before.split()) - len(c.after.split())
            r.words += max(lost, 0)
            r.chars += max(len(c.before) - len(c.after), 0)
            if (fname, rule) not in seen:
                seen.add((fname, rule))
                r.docs += 1
        if seen:
            changed += 1
        words_removed += sum(max(len(c.before.split()) - len(c.after.split()), 0) for c in d.changes
                             if filters is None or attribution(c)[0] in filters)
    head = ("filter", "rule", "docs", "changes", "removals", "rewrites", "words-", "chars-")
    body = [(f, r, str(x.docs), str(x.changes), str(x.removals), str(x.rewrites), str(x.words), str(x.chars))
            for (f, r), x in sorted(rows.items())]
    tot = _Row()
    for x in rows.values():
        for k in ("changes", "removals", "rewrites", "words", "chars"):
            setattr(tot, k, getattr(tot, k) + getattr(x, k))
    body.append(("total", "", str(changed), str(tot.changes), str(tot.removals), str(tot.rewrites),
                 str(tot.words), str(tot.chars)))
    widths = [max(len(_safe(row[i])) for row in [head] + body) for i in range(len(head))]
    out = []
    for row in [head] + body:
        cells = [_safe(v).ljust(widths[i]) if i < 2 else v.rjust(widths[i]) for i, v in enumerate(row)]
        out.append("  ".join(cells).rstrip())
    share = f"{100 * words_removed / words:.1f}%" if words else "0%"
    out.append(f"{n_docs} document(s), {changed} changed, {words_removed} of {words} word(s) removed ({share})")
    return out


# ---------------------------------------------------------------- unified patch

def _line_starts(s: str) -> list[int]:
    starts = [0]
    i = s.find("\n")
    while i >= 0:
        starts.append(i + 1)
        i = s.find("\n", i + 1)
    return starts


def _lines(s: str) -> list[str]:
    """Lines split on \\n only (what patch and git see), each keeping its \\n."""
    parts = s.split("\n")
    out = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def _at_line_start(s: str, i: int) -> bool:
    return i == 0 or s[i - 1] == "\n"


def _regions(orig: str, out: str, changes: Sequence[Change]) -> list[tuple[int, int, int, int]]:
    """Changed regions as (orig_start, orig_end, out_start, out_end), each a whole
    number of lines on both sides; outside them both texts are identical."""
    regions: list[list[int]] = []
    for c in changes:
        if _at_line_start(orig, c.start) and _at_line_start(out, c.out_start):
            a, a2 = c.start, c.out_start
        else:
            a = orig.rfind("\n", 0, c.start) + 1
            a2 = c.out_start - (c.start - a)
        if (c.end > c.start or c.out_end > c.out_start) and _at_line_start(orig, c.end) \
                and _at_line_start(out, c.out_end):
            b, b2 = c.end, c.out_end
        else:
            nl = orig.find("\n", c.end)
            b = len(orig) if nl < 0 else nl + 1
            b2 = c.out_end + (b - c.end)
        if regions and a < regions[-1][1]:
            regions[-1][1], regions[-1][3] = b, b2
        else:
            regions.append([a, b, a2, b2])
    return [tuple(r) for r in regions]  # type: ignore[misc]


#: changed regions longer than this (in lines) are not line-matched inside
_MATCH_LINES = 400


def _opcodes(orig: str, out: str, changes: Sequence[Change]):
    """Line opcodes over the whole file, like difflib's, built from the regions."""
    import difflib

    ol, nl = _line_starts(orig), _line_starts(out)
    old_lines, new_lines = _lines(orig), _lines(out)

    def line_no(starts: list[int], pos: int) -> int:
        return bisect_right(starts, pos) - 1

    ops = []
    i = j = 0
    for a, b, a2, b2 in _regions(orig, out, changes):
        i1, i2 = line_no(ol, a), (line_no(ol, b) if b < len(orig) else len(old_lines))
        j1, j2 = line_no(nl, a2), (line_no(nl, b2) if b2 < len(out) else len(new_lines))
        if i1 > i:
            ops.append(("equal", i, i1, j, j1))
        if max(i2 - i1, j2 - j1) > _MATCH_LINES:  # keep it linear: one plain replacement
            ops.append(("replace", i1, i2, j1, j2))
        else:
            sm = difflib.SequenceMatcher(None, old_lines[i1:i2], new_lines[j1:j2], autojunk=False)
            for tag, x1, x2, y1, y2 in sm.get_opcodes():
                ops.append((tag, i1 + x1, i1 + x2, j1 + y1, j1 + y2))
        i, j = i2, j2
    if i < len(old_lines):
        ops.append(("equal", i, len(old_lines), j, len(new_lines)))
    return ops, old_lines, new_lines


def _range(start: int, stop: int) -> str:
    n = stop - start
    first = start + 1 if n else start
    return str(first) if n == 1 else f"{first},{n}"


def _group(ops, n: int):
    """Split opcodes into hunks: each change with up to ``n`` lines of context,
    hunks whose contexts would touch merged."""
    merged: list[tuple[str, int, int, int, int]] = []
    for op in ops:  # fuse neighbouring equal runs
        if merged and op[0] == "equal" == merged[-1][0]:
            merged[-1] = ("equal", merged[-1][1], op[2], merged[-1][3], op[4])
        elif op[1] != op[2] or op[3] != op[4]:
            merged.append(op)
    if not merged or all(op[0] == "equal" for op in merged):
        return []
    if merged[0][0] == "equal":
        t, i1, i2, j1, j2 = merged[0]
        merged[0] = (t, max(i1, i2 - n), i2, max(j1, j2 - n), j2)
    if merged[-1][0] == "equal":
        t, i1, i2, j1, j2 = merged[-1]
        merged[-1] = (t, i1, min(i2, i1 + n), j1, min(j2, j1 + n))
    hunks, cur = [], []
    for t, i1, i2, j1, j2 in merged:
        if t == "equal" and i2 - i1 > 2 * n and cur:
            cur.append((t, i1, i1 + n, j1, j1 + n))
            hunks.append(cur)
            cur = []
            i1, j1 = i2 - n, j2 - n
        cur.append((t, i1, i2, j1, j2))
    if any(op[0] != "equal" for op in cur):
        hunks.append(cur)
    return hunks


def unified_diff(doc: Reviewed, *, context: int = 3, name: str | None = None) -> str:
    """A patch turning the original into the clean text (``a/NAME`` -> ``b/NAME``)."""
    orig, out = doc.original, doc.text
    if orig == out:
        return ""
    name = name or f"{doc.id}.txt"
    ops, old_lines, new_lines = _opcodes(orig, out, doc.changes)
    hunks = _group(ops, context)
    lines = [f"--- a/{name}\n", f"+++ b/{name}\n"]
    for h in hunks:
        i1, j1 = h[0][1], h[0][3]
        i2, j2 = h[-1][2], h[-1][4]
        lines.append(f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@\n")
        for tag, a1, a2, b1, b2 in h:
            if tag == "equal":
                for x in old_lines[a1:a2]:
                    lines.append(" " + x)
                    if not x.endswith("\n"):
                        lines.append("\n\\ No newline at end of file\n")
                continue
            for x in old_lines[a1:a2]:
                lines.append("-" + x)
                if not x.endswith("\n"):
                    lines.append("\n\\ No newline at end of file\n")
            for x in new_lines[b1:b2]:
                lines.append("+" + x)
                if not x.endswith("\n"):
                    lines.append("\n\\ No newline at end of file\n")
    return "".join(lines)


# ---------------------------------------------------------------- command

def use_color(mode: str, stream: TextIO) -> bool:
    """``always``/``never``, or ``auto``: a terminal and no ``NO_COLOR`` in the environment."""
    if mode == "always":
        return True
    if mode == "never" or os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def run(paths: Sequence[str], *, filters: set[str] | None = None, stat: bool = False,
        fmt: str = "inline", color: str = "auto", whitespace: bool = False,
        context: int | None = None, out: TextIO | None = None, log: str | None = None) -> int:
    """The ``diff`` command. Returns the exit status (0: no change shown, 1: changes, like diff)."""
    from .load import load_outputs

    out = out or sys.stdout
    docs = load_outputs(paths, log)
    if stat:
        for line in stat_table(docs, filters):
            out.write(line + "\n")
        return 0
    any_change = False
    if fmt == "unified":
        for d in docs:
            patch = unified_diff(d, context=3 if context is None else context)
            if patch:
                any_change = True
                out.write(patch)
        return 1 if any_change else 0
    col = use_color(color, out)
    for d in docs:
        for line in render_inline(d, color=col, filters=filters, whitespace=whitespace,
                                  context=1 if context is None else context):
            out.write(line + "\n")
        any_change = any_change or any((filters is None or attribution(c)[0] in filters) for c in d.changes)
    return 1 if any_change else 0
