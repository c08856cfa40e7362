"""The ``whitespace`` filter: the canonical text form.

Canonical text is: NFC; ``\\n`` line ends; no spaces at the start or end of a
line; single spaces inside a line; exactly one blank line between paragraphs;
no blank lines at the start or end; one final newline (empty text stays empty).

Deliberate choices (each logged under its own rule):

- non-breaking and other Unicode space separators (U+00A0, U+2000-U+200A,
  U+202F, U+205F, U+1680) become a plain space; the ideographic space U+3000
  is CJK punctuation and is kept;
- ZERO WIDTH SPACE, WORD JOINER, a stray BOM and SOFT HYPHEN are removed;
  ZWJ/ZWNJ (emoji sequences, Indic and Persian text) and bidi marks are kept;
- tabs, vertical tabs, form feeds are spaces or line breaks; CRLF, CR, NEL and
  U+2028 are line breaks, U+2029 is a paragraph break;
- a line break inside a paragraph is kept. A document with no blank line at all
  whose lines read as paragraphs (most end a sentence) gets a blank line between
  them (rule ``paragraph-breaks``); hard-wrapped text is left alone.

>>> from cleanarticle import clean
>>> clean("  One\\u00a0two \\r\\n\\r\\n\\r\\nthree", filters=["whitespace"]).text
'One two\\n\\nthree\\n'
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from ..edits import Edit
from . import BaseFilter

SPACES = " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"
INVISIBLE = "\u200b\u2060\ufeff\u00ad"
_WS = SPACES + BREAKS + INVISIBLE
_WS_SET = frozenset(_WS)
_SPACE_OR_BREAK = frozenset(SPACES + BREAKS)
# A run that may need an edit: two or more whitespace characters, or a single one
# that is not a plain space or newline. Single spaces and newlines (nearly all of
# the whitespace in prose) never match, so they cost no Python work; nor does a
# paragraph break inside the text (exactly two newlines with text on both sides:
# a match is a whole run, so a character before it is not whitespace). The pattern
# starts with a character class, which the regex engine scans for quickly; the check
# for a paragraph break comes only after a second whitespace character (checked at
# every single space, or at every position before the class, it costs more than the
# Python loop it saves).
_ODD_RUN = re.compile("[{0}](?:[{0}](?<!(?<=[\\s\\S])\n\n(?=[^{0}]))[{0}]*|(?<=[{1}]))".format(
    re.escape(_WS), re.escape(_WS.replace(" ", "").replace("\n", ""))))
_RARE = _WS.replace(" ", "").replace("\n", "")  # whitespace that is never canonical
_PAIRS = ("  ", " \n", "\n ", "\n\n\n")  # in every run of two or more spaces and newlines
_DENSE = 200  # a run start every this many characters: the regex scan reads them faster
_NON_ASCII_SEGMENT = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")
_NFC_PIECE = 1 << 16  # characters checked at once for NFC before looking at segments
_SENTENCE_END = tuple(".!?:;\"'”’»)…")


def _breaks(run: str) -> int:
    """Number of line breaks a whitespace run stands for (CRLF is one)."""
    n = run.count("\n") + run.count("\r") - run.count("\r\n")
    n += run.count("\x0b") + run.count("\x0c") + run.count("\x85") + run.count("\u2028")
    n += 2 * run.count("\u2029")
    return n


def _rule(run: str, replacement: str, at_start: bool, at_end: bool) -> tuple[str, str]:
    if at_start:
        return "leading-space", "whitespace at the start of the text"
    if at_end:
        return "trailing-space", "whitespace at the end of the text: one final newline"
    if not any(ch in SPACES + BREAKS for ch in run):
        if "\u00ad" in run:
            return "soft-hyphen", "soft hyphen (invisible hyphenation hint) removed"
        return "zero-width", "zero-width character removed"
    if "\r" in run or any(ch in run for ch in "\x0b\x0c\x85\u2028\u2029"):
        return "line-ending", "line breaks normalised to \\n"
    if any(ch in run for ch in INVISIBLE):
        return "zero-width", "zero-width character or soft hyphen removed"
    if replacement == "\n\n" and _breaks(run) > 2:
        return "blank-lines", "several blank lines collapsed to one"
    if replacement != " " and any(ch in run for ch in SPACES):
        return "trailing-space", "spaces at the end or start of a line removed"
    if any(ch in run for ch in SPACES[2:]):
        return "nbsp", "non-breaking or typographic space made a plain space"
    if "\t" in run:
        return "tab", "tab made a space"
    return "space-run", "run of spaces collapsed to one"


_LONG_MARK_RUN = 32


def nfc(s: str) -> str:
    """``unicodedata.normalize("NFC", s)`` in linear time.

    CPython puts combining marks in canonical order with an insertion sort, which is
    quadratic in the length of a run of marks: a hostile run of 100,000 marks in the
    wrong order takes minutes. Long runs are ordered here first, with the same stable
    sort by combining class that defines canonical order, so the normaliser then only
    passes over them.

    >>> nfc("a" + "\u0301\u0316" * 2) == "\u00e1\u0316\u0316\u0301"
    True
    """
    if len(s) > _LONG_MARK_RUN and _longest_mark_run(s) > _LONG_MARK_RUN:
        s = _canonical_order(s)
    return unicodedata.normalize("NFC", s)


def _longest_mark_run(s: str) -> int:
    combining = unicodedata.combining
    best = run = 0
    for ch in s:
        if combining(ch):
            run += 1
            if run > best:
                best = run
        else:
            run = 0
    return best


def _canonical_order(s: str) -> str:
    """Canonical decomposition, one character at a time, then each run of combining
    marks stably sorted by combining class (the Unicode canonical ordering)."""
    combining = unicodedata.combining
    out: list[str] = []
    run: list[str] = []
    for ch in "".join(unicodedata.normalize("NFD", c) if c > "\x7f" else c for c in s):
        if combining(ch):
            run.append(ch)
            continue
        if run:
            out.extend(sorted(run, key=combining))
            run = []
        out.append(ch)
    out.extend(sorted(run, key=combining))
    return "".join(out)


def _odd_runs(text: str) -> list[tuple[int, int]]:
    """The spans ``_ODD_RUN.finditer(text)`` gives, found from a few searches.

    Its matches are whole runs of whitespace (a match starting inside a run would have
    had to fail at the run's start, which only a paragraph break does, and its second
    newline alone is no match): each run of two or more characters but a paragraph
    break inside the text, and each single character other than a space or newline.
    Such a run holds one of those characters, or one of ``_PAIRS``, or is two newlines
    at an end of the text; the regex engine would instead stop at every space of the
    text. The pattern itself then reads those runs.
    """
    n = len(text)
    seeds: list[int] = []
    for pair in (*[c for c in _RARE if c in text], *_PAIRS):  # (str searches: no regex scan)
        i = text.find(pair)
        while i >= 0:
            seeds.append(i)
            i = text.find(pair, i + len(pair))
    if text.startswith("\n\n"):
        seeds.append(0)
    if text.endswith("\n\n"):
        seeds.append(n - 1)
    if len(seeds) * _DENSE > n:  # runs everywhere (visible text of whole pages): one scan
        return [m.span() for m in _ODD_RUN.finditer(text)]
    out: list[tuple[int, int]] = []
    last = -1  # end of the latest run looked at
    for i in sorted(seeds):
        if i < last:
            continue  # inside a run already looked at
        s = i
        while s > 0 and text[s - 1] in _WS_SET:
            s -= 1
        e = i + 1
        while e < n and text[e] in _WS_SET:
            e += 1
        last = e
        while s < e:  # the pattern's matches in the run, as finditer finds them
            m = _ODD_RUN.match(text, s)
            if m is None:
                s += 1
            else:
                out.append(m.span())
                s = m.end()
    return out


def _run_edit(run: str, s: int, e: int, n: int) -> Edit | None:
    """The edit that makes the whitespace run ``text[s:e]`` canonical, if any."""
    at_start, at_end = s == 0, e == n
    if at_start:
        rep = ""
    elif at_end:
        rep = "\n"
    elif not any(ch in _SPACE_OR_BREAK for ch in run):
        rep = ""
    else:
        b = _breaks(run)
        rep = " " if b == 0 else "\n" if b == 1 else "\n\n"
    if rep == run:
        return None
    rule, reason = _rule(run, rep, at_start, at_end)
    return Edit(s, e, rep, rule, reason)


_TWO_WS = re.compile("[{0}]{{2}}".format(re.escape(_WS)))
_NOT_A_SPACE_WS = re.compile("[{0}]".format(re.escape(_WS.replace(" ", ""))))


def untouched(text: str, spans) -> bool:
    """Can the changed ``spans`` of ``text`` (sorted ``(start, end)``, as
    ``doc.changed`` gives them: outside them the text is what this filter left, so
    canonical) have made it need an edit? No when for each span:

    - the whitespace it holds is single spaces, none next to whitespace (with the
      characters on either side): every whitespace run is then a single space of the
      span's or a piece of a run this filter left (canonical);
    - at the start of the text, it does not start with whitespace; only an empty span
      (a deletion point) may stand at the end of a text that still ends with one
      newline;
    - it is NFC with the characters around it up to an ASCII one on either side
      (nothing composes across an ASCII character).

    >>> untouched("The mayor of Kyiv said.\\n", [(13, 17)])
    True
    >>> untouched("The mayor of  said.\\n", [(13, 13)])
    False
    """
    n = len(text)
    for a, b in spans:
        if b == n:
            if a != b or not text.endswith("\n") or (n > 1 and text[-2] in _WS_SET):
                return False
            continue
        if a == 0 and text[0] in _WS_SET:
            return False
        lo = a - 1 if a else 0
        region = text[lo:b + 1]
        if _TWO_WS.search(region) or _NOT_A_SPACE_WS.search(text, a, b):
            return False
        if not region.isascii() and not _nfc_around(text, lo, b):
            return False
    return True


_ASCII = re.compile("[\x00-\x7f]")
_NEAR = 64  # characters looked at past a span for an ASCII one


def _nfc_around(text: str, lo: int, b: int) -> bool:
    """Is ``text[lo:b + 1]``, widened to an ASCII character on either side (or the text's
    ends), NFC? Nothing composes across an ASCII character, so nothing else can change.
    False when no ASCII character is near."""
    while lo > 0 and text[lo] > "\x7f":
        lo -= 1
        if b - lo > 2 * _NEAR:
            return False
    m = _ASCII.search(text, b, b + _NEAR)
    if m is None and b + _NEAR < len(text):
        return False
    return unicodedata.is_normalized("NFC", text[lo:m.end() if m else len(text)])


def _unless_untouched(step):
    """``step``, skipped in a settle round when :func:`untouched` says the text it left
    canonical cannot need an edit."""

    def run(text: str, doc=None):
        spans = getattr(doc, "changed", None)
        if spans is not None and untouched(text, spans):
            return ()
        return step(text, doc)

    run.__name__ = step.__name__
    return run


class WhitespaceFilter(BaseFilter):
    """Canonical whitespace and Unicode form (see the module doc)."""

    name = "whitespace"
    description = "canonical text: NFC, \\n line ends, single spaces, one blank line between paragraphs"
    # a settle round reads nothing when the edits since its last run cannot have made
    # the text need one (see untouched())
    reads_changed = True

    def __init__(self, *, paragraph_breaks: str = "auto", nfc: bool = True) -> None:
        if paragraph_breaks not in ("auto", "keep"):
            raise ValueError("paragraph_breaks must be 'auto' or 'keep'")
        self.paragraph_breaks = paragraph_breaks
        self.nfc = nfc

    def steps(self):
        steps = [self._spaces]
        if self.paragraph_breaks == "auto":
            steps.append(self._paragraphs)
        if self.nfc:
            steps.append(self._nfc)
        # the paragraph step reads the lines of a text without a blank line: lines gone
        # anywhere may change its answer, and on any other text it costs one search
        return [step if step == self._paragraphs else _unless_untouched(step) for step in steps]

    def propose(self, text: str, doc=None) -> list[Edit]:
        """All steps' edits for text that needs only one of them (used by tests)."""
        return list(self._spaces(text, doc))

    def _spaces(self, text: str, doc=None) -> Iterator[Edit]:
        n = len(text)
        if not n:
            return
        last_end = -1
        if text[0] in " \n" and (n == 1 or text[1] not in _WS_SET):
            # a lone space or newline at the start (longer runs are found below)
            yield _run_edit(text[0], 0, 1, n)
            last_end = 1
        for s, e in _odd_runs(text):
            last_end = e
            edit = _run_edit(text[s:e], s, e, n)
            if edit is not None:
                yield edit
        if last_end != n and text[-1] in " \n" and (n == 1 or text[-2] not in _WS_SET):
            # a lone space or newline at the end
            last_end = n
            if text[-1] == " ":
                yield _run_edit(" ", n - 1, n, n)
        if last_end != n:
            yield Edit(n, n, "\n", "final-newline", "text ends with one newline")

    def _paragraphs(self, text: str, doc=None) -> Iterator[Edit]:
        """Blank lines between line-paragraphs in a text that has no blank line at all."""
        if "\n\n" in text or text.count("\n") < 3:
            return
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        ends = sum(1 for ln in lines if ln.rstrip().endswith(_SENTENCE_END))
        if ends * 2 < len(lines):
            return  # hard-wrapped or list-like text: keep its line breaks
        pos = 0
        for ln in lines[:-1]:
            pos += len(ln)
            yield Edit(pos, pos + 1, "\n\n", "paragraph-breaks",
                       "each line is a paragraph: one blank line between paragraphs")
            pos += 1

    def _nfc(self, text: str, doc=None) -> Iterator[Edit]:
        is_normalized = unicodedata.is_normalized
        n = len(text)
        if n <= _NFC_PIECE and is_normalized("NFC", text):
            return
        # A segment (an ASCII character and the non-ASCII run after it) normalises on its
        # own: nothing composes across an ASCII character. So a piece of the text cut just
        # before a newline that is already NFC has no segment to change (the check on the
        # whole text above rests on the same fact), and only the other pieces are read
        # segment by segment. (A longer text is checked a piece at a time from the start:
        # the check of a whole text that is not NFC normalises all of it, about five times
        # the cost of checking its pieces.)
        start = 0
        while start < n:
            end = text.find("\n", start + _NFC_PIECE)
            end = n if end < 0 else end
            if not is_normalized("NFC", text[start:end]):
                for m in _NON_ASCII_SEGMENT.finditer(text, start, end):
                    seg = m.group()
                    if is_normalized("NFC", seg):
                        continue
                    norm = nfc(seg)
                    if norm != seg:
                        yield Edit(m.start(), m.end(), norm, "nfc", "Unicode normalised to NFC (canonical equivalence)")
            start = end
