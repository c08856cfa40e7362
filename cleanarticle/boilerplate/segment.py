"""Split canonical text into lines with offsets and paragraph (block) numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Line", "split_lines", "line_key", "WORD"]

WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")


@dataclass(slots=True)
class Line:
    """One non-empty line: ``text[start:end]``, its block (paragraph) and place in it."""

    index: int
    start: int
    end: int
    text: str
    block: int
    in_block: int  # position of the line inside its block
    block_lines: int = 1


def split_lines(text: str) -> list[Line]:
    """Non-empty lines of ``text``; a blank line starts a new block.

    >>> [(ln.text, ln.block) for ln in split_lines("a\\nb\\n\\nc\\n")]
    [('a', 0), ('b', 0), ('c', 1)]
    """
    lines: list[Line] = []
    append = lines.append
    block = 0
    pos = 0
    k = 0  # lines so far
    first = 0  # index of the first line of the current block; -1 after a blank line
    for seg in text.split("\n"):
        n = len(seg)
        if n and not seg.isspace():  # (what str.strip() would leave empty is blank)
            if first < 0:  # the first line after a blank one starts a block
                first = k
                block += 1
            append(Line(k, pos, pos + n, seg, block, k - first))
            k += 1
        elif k > first >= 0:  # a blank line ends a block
            size = k - first
            for ln in lines[first:]:
                ln.block_lines = size
            first = -1
        pos += n + 1
    if first >= 0:
        size = k - first
        for ln in lines[first:]:
            ln.block_lines = size
    return lines


def line_key(s: str, words: list[str] | None = None) -> str:
    """Normalised key of a line: lower-case words, digits folded to 0.

    ``words``: ``WORD.findall(s)`` if the caller has it. For ASCII text the key is then
    made from those words (lower-casing ASCII and folding a digit run to one digit move
    no word boundary, so they can come after the split); other text is split again,
    since lower-casing may change what a word is ("İ" lower-cases to "i" and a mark).

    >>> line_key("Updated 12:30, May 3 -- Share!")
    'updated 0 0 may 0 share'
    >>> line_key("Updated 12:30, May 3 -- Share!", WORD.findall("Updated 12:30, May 3 -- Share!"))
    'updated 0 0 may 0 share'
    """
    if words is not None and s.isascii():
        return _DIGITS.sub("0", " ".join(words).lower())
    if len(s) <= _LONG_LINE:
        return " ".join(WORD.findall(_DIGITS.sub("0", s.lower())))
    # a very long line a piece at a time, so its words are never all in one list
    keys = (" ".join(WORD.findall(_DIGITS.sub("0", p.lower()))) for p in _pieces(s))
    return " ".join(k for k in keys if k)


_LONG_LINE = 1 << 20  # characters: a longer line is read in pieces of about this size
_SPACE = re.compile(r"\s")


def _pieces(t: str, size: int | None = None):
    """``t`` cut just before whitespace characters into pieces of about ``size``
    characters (default ``_LONG_LINE``): no word, digit run or lower-casing context (a
    final sigma looks across case-ignorable characters, never across whitespace) crosses
    a cut."""
    size = size or _LONG_LINE
    n, a = len(t), 0
    while a < n:
        m = _SPACE.search(t, a + size) if a + size < n else None
        b = n if m is None else m.start()
        yield t[a:b]
        a = b
