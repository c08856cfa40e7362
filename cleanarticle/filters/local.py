"""Running a line-local step again only where the text changed.

The pipeline settles: when a later filter edits the text, every filter before it
runs again (see :mod:`cleanarticle.pipeline`). A filter whose edits on a line
depend only on that line can skip the lines nobody touched since its last run:
it made all its edits there already (its output is a fixed point of itself), and
the same line gives the same answer.

The pipeline tells a filter that declares ``reads_changed = True`` what changed:
``doc.changed`` holds the spans of the current text that differ from the text the
filter last left (``None``: it has not run yet, or every line counts, e.g. after the
language changed). A step wrapped with :func:`line_local` uses them; it must keep
the contract below.

Contract of a line-local step: each edit it proposes lies inside one line and
depends only on the text of that line; it sees the line's start as a text start or
a newline, and the line's end as its newline or the text end, alike.

>>> from cleanarticle.edits import Edit
>>> def shout(text, doc=None):
...     return [Edit(i, i + 2, "!", "bang", "one is enough") for i in range(len(text)) if text.startswith("!!", i)]
>>> class Doc:
...     changed = [(14, 15)]
>>> text = "Stop!!\\nWait!!\\nGo!!\\nNow!!\\n"
>>> [(e.start, text[e.start:e.end]) for e in line_local(shout)(text, Doc())]
[(16, '!!')]

The same contract makes a step's edits a function of the line: with a
:class:`LineMemo`, each distinct line is read once and its edits (offsets within the
line) are looked up after that, in later documents too (a site's template lines, a
wire story that many sites print, the lines a settle round reads again).

>>> memo = LineMemo()
>>> [(e.start, text[e.start:e.end]) for e in line_local(shout, memo)(text, None)]
[(4, '!!'), (11, '!!'), (16, '!!'), (22, '!!')]
>>> len(memo)  # "Stop!!", "Wait!!", "Go!!", "Now!!"
4
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate, compress, islice, repeat
from functools import wraps
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..edits import Edit

__all__ = ["LineMemo", "line_local", "memo_items", "nothing_anywhere", "windows"]

Step = Callable[[str, Any], Iterable[Edit]]


def line_local(step: Step, memo: "LineMemo | None" = None) -> Step:
    """``step``, run only on the lines ``doc.changed`` touches when the pipeline says
    what changed; with ``memo``, only on the lines it has not seen (the step must not
    read ``doc``: its edits are kept by line text alone)."""

    @wraps(step)
    def run(text: str, doc: Any = None) -> Iterable[Edit]:
        spans = getattr(doc, "changed", None)
        if memo is not None and len(text) <= memo.max_chars:  # (a huge text is read as it is)
            return _memoised(step, text, spans, memo)
        if spans is None:
            return step(text, doc)
        return _in_windows(step, text, doc, spans)

    return run


class LineMemo:
    """What a line-local reader found on each line it read (offsets within the line),
    by line text.

    A line that ends with a newline and the text's last line without one are told
    apart (a step may see the end of the text differently from a newline: "see
    Kyiv.The" is glued sentences before a newline, a name at the very end). The
    memo holds up to ``max_chars`` characters of lines, then starts afresh.
    """

    __slots__ = ("lines", "last", "chars", "max_chars")

    def __init__(self, max_chars: int = 2_000_000) -> None:
        self.lines: dict[str, tuple[tuple[int, Any], ...]] = {}  # lines read with their newline
        self.last: dict[str, tuple[tuple[int, Any], ...]] = {}  # a text's last line, without one
        self.chars = 0
        self.max_chars = max_chars

    def __len__(self) -> int:
        return len(self.lines) + len(self.last)

    def clear(self) -> None:
        self.lines.clear()
        self.last.clear()
        self.chars = 0


_NONE: tuple = ()


def _memoised(step: Step, text: str, spans: Sequence[tuple[int, int]] | None, memo: LineMemo) -> list[Edit]:
    """The edits ``step`` proposes on ``text`` (or on its lines ``spans`` touch), each
    distinct line read at most once (see :func:`memo_items`)."""

    def read(joined: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
        for e in step(joined, None):
            yield e.start, (e.end - e.start, e.replacement, e.rule, e.reason, e.confidence)

    if spans is None:
        regions = [(0, len(text))]
    elif nothing_anywhere(text, memo, read):
        return []
    else:
        regions = windows(text, spans)
    return [Edit(at, at + n, rep, rule, why, conf)
            for at, (n, rep, rule, why, conf) in memo_items(text, regions, memo, read)]


def memo_items(text: str, regions: Sequence[tuple[int, int]], memo: LineMemo,
               read: Callable[[str], Iterable[tuple[int, Any]]]) -> list[tuple[int, Any]]:
    """``(offset, item)`` of what ``read`` finds on the lines of ``text[a:z]`` for each
    region (whole lines, sorted), in order, each distinct line read at most once.

    ``read(joined)`` yields ``(offset, item)`` pairs for a text of whole lines and must
    find on each line what it finds on that line alone. The lines ``memo`` has not seen
    are put end to end (each with its newline; the text's last line without one goes
    last) and read in one call; what it finds is kept per line.
    """
    if memo.chars > memo.max_chars:  # before any lookup: every line read below is then in it
        memo.clear()
    # each region's lines; a region ends with a newline (the last piece is then empty)
    # or at the end of the text, whose last line may have none
    parts = [(a, _whole_lines(text) if z - a == len(text) else text[a:z].split("\n")) for a, z in regions]
    if not parts:
        return []
    end_line = None  # (start, text) of the text's last line if it has no newline and is read
    if parts[-1][1][-1]:
        end_line = (regions[-1][1] - len(parts[-1][1][-1]), parts[-1][1][-1])
    lines, last = memo.lines, memo.last
    get = lines.get
    founds = [list(map(get, islice(pieces, len(pieces) - 1))) for _, pieces in parts]  # None: not read yet
    new = list(dict.fromkeys(k for (_, pieces), found in zip(parts, founds) if None in found
                             for k, f in zip(pieces, found) if f is None)) \
        if any(None in found for found in founds) else []
    new_end = end_line is not None and end_line[1] not in last
    if new or new_end:
        _read(read, new, end_line[1] if new_end else None, memo)
        founds = [list(map(get, islice(pieces, len(pieces) - 1))) for _, pieces in parts]
    out: list[tuple[int, Any]] = []
    for (a, pieces), found in zip(parts, founds):
        if not any(found):
            continue
        # line k starts after the k lines before it and their newlines: only the lines
        # with items are visited (most lines have none)
        starts = list(accumulate(map(len, pieces), initial=a))
        for k in compress(range(len(found)), found):
            at = starts[k] + k
            out.extend([(at + s, item) for s, item in found[k]])
    if end_line is not None:
        at = end_line[0]
        out.extend((at + s, item) for s, item in last[end_line[1]])
    return out


_WHOLE_LOOKUP = 1 << 16  # characters of a text whose every line is looked up before its windows


def nothing_anywhere(text: str, memo: LineMemo, read: Callable[[str], Iterable[tuple[int, Any]]]) -> bool:
    """Is nothing found on any line of ``text`` (up to ``_WHOLE_LOOKUP`` characters and
    the memo's size; a longer text: False)? :func:`memo_items` of the whole text: the
    lines never read are read (most often the lines a step's own edits made: read once,
    then known).

    What a settle round usually meets: its changed lines then have nothing either, found
    at the cost of one lookup a line of the text, with no window to cut.
    """
    if len(text) > min(_WHOLE_LOOKUP, memo.max_chars):  # (a text past the memo's size is read as it is)
        return False
    return not memo_items(text, [(0, len(text))], memo, read)


_split: tuple[str, list[str]] = ("", [""])  # the latest whole text read, and its lines


def _whole_lines(text: str) -> list[str]:
    """``text.split("\\n")``, shared by the line-local steps that read the same text one
    after another (the encoding filter's plan, the typos steps): the same string
    object is split once. The list is only read. (One tuple, replaced whole: threads
    that clean other texts at the same time at worst split theirs again.)"""
    global _split
    last = _split
    if last[0] is text:
        return last[1]
    lines = text.split("\n")
    _split = (text, lines)
    return lines


def _read(read: Callable[[str], Iterable[tuple[int, Any]]], new: list[str], end: str | None,
          memo: LineMemo) -> None:
    """``read`` the lines ``new`` (each with a newline) and ``end`` (a text's last line,
    without one), put end to end, once; keep what it finds per line in ``memo``."""
    joined = "\n".join(new) + "\n" if new else ""
    if end is not None:
        joined += end
    offsets: list[int] = []  # where each line starts, and the end (built at the first item)
    found: dict[int, list[tuple[int, Any]]] = {}  # line number -> its items
    last_line = len(new) - (end is None)
    for pos, item in read(joined):
        if not offsets:
            offsets = list(accumulate((len(k) + 1 for k in new), initial=0))
            if end is not None:
                offsets.append(len(joined))
        # the line an item starts in (an insertion at the very end: the last line)
        i = min(bisect_right(offsets, pos) - 1, last_line)
        found.setdefault(i, []).append((pos - offsets[i], item))
    memo.lines.update(zip(new, repeat(_NONE)))
    for i, f in found.items():
        if i < len(new):
            memo.lines[new[i]] = tuple(f)
    if end is not None:
        memo.last[end] = tuple(found.get(last_line, _NONE))
    memo.chars += len(joined)


def windows(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``(start, end)``: the whole lines (each with its newline) the changed ``spans``
    (sorted) touch, adjacent lines merged: the lines from the one holding a span's
    start to the one holding the character after it (a line that starts right after a
    changed newline may be new as a line), so an empty span (a deletion point) touches
    the line it is in.

    >>> windows("a\\nbb\\ncc\\n\\nd\\n", [(3, 3), (5, 6), (9, 10)])
    [(2, 8), (9, 11)]
    >>> windows("a\\nbb\\ncc\\n", [(1, 2)])  # a's newline changed: bb may be a new line
    [(0, 5)]
    """
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s < out[-1][1]:
            # starts inside the last window (many spans on one long line): no search back
            if e < out[-1][1]:
                continue  # and ends there too
            start = out[-1][0]
        else:
            start = text.rfind("\n", 0, s) + 1
        stop = text.find("\n", e)
        end = len(text) if stop < 0 else stop + 1
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _in_windows(step: Step, text: str, doc: Any, spans: Sequence[tuple[int, int]]) -> list[Edit]:
    """The edits ``step`` proposes on the changed lines of ``text``, from one call on
    those lines put end to end (each window ends with its newline, or with the text)."""
    wins = windows(text, spans)
    if not wins:
        return []
    offsets: list[int] = []  # where each window starts in the joined text
    at = 0
    for a, z in wins:
        offsets.append(at)
        at += z - a
    out: list[Edit] = []
    for e in step("".join(text[a:z] for a, z in wins), doc):
        i = bisect_right(offsets, e.start) - 1
        shift = wins[i][0] - offsets[i]
        out.append(Edit(e.start + shift, e.end + shift, e.replacement, e.rule, e.reason, e.confidence))
    return out
