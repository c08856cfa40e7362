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
"""

from __future__ import annotations

from bisect import bisect_right
from functools import wraps
from typing import Any, Callable, Iterable, Sequence

from ..edits import Edit

__all__ = ["line_local", "windows"]

Step = Callable[[str, Any], Iterable[Edit]]


def line_local(step: Step) -> Step:
    """``step``, run only on the lines ``doc.changed`` touches when the pipeline says
    what changed."""

    @wraps(step)
    def run(text: str, doc: Any = None) -> Iterable[Edit]:
        spans = getattr(doc, "changed", None)
        if spans is None:
            return step(text, doc)
        return _in_windows(step, text, doc, spans)

    return run


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
