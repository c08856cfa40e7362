"""Facts of a line's text: words, stopwords, case counts, phrase family, text features.

They depend on the line's text alone (and the language's stopwords and phrase
families). :func:`line_facts` reads one line; :func:`many_facts` reads many lines at
once: a few regex scans of the lines joined by newlines and array counts from a
character class table, where :func:`line_facts` makes a dozen calls a line. It gives
exactly what :func:`line_facts` gives for each line (no regex here can match a newline,
so a line's matches in the joined text are its matches alone; tested on random text),
a quarter to a third less time a line once a run has a hundred lines or more (it costs
more to set up): ``describe`` uses it for many new lines at once (a long text's first
pass). A very long line is read in pieces by :func:`line_facts` either way.
"""

from __future__ import annotations

import math
import operator
import re
import struct
from functools import lru_cache
from itertools import repeat
from typing import Iterator, Sequence

from .data import Family, families
from .hints import HintIndex, fold
from .segment import _DIGITS, _LONG_LINE, WORD, _pieces, line_key

__all__ = ["LineInfo", "line_facts", "many_facts", "family_checks", "FamilyChecks"]

# No regex of this module can match a newline ([^\S\n] where a line's \s would do): many_facts
# runs some on lines joined by newlines, where a line's matches must be its own.
_FIRST = operator.itemgetter(0)
_SENT_END = tuple(".!?\"'”’»)…:")
_GLUED = re.compile(r"[a-z\u00e0-\u00ff][A-Z\u00c0-\u00de]{2,}")
_SEPARATOR_CHARS = "|•·›»«/©®™→←↑↓▶►▼◄★☆#@"
_SEPARATORS = re.compile("[" + re.escape(_SEPARATOR_CHARS) + "]")  # one character a match
_DATE = re.compile(
    r"\b(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}|"
    r"\d{1,2} (jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* \d{4})\b",
    re.IGNORECASE)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}[^\S\n]?(am|pm|a\.m\.|p\.m\.|h|utc|gmt|est|edt|cet|bst|et|pt)?\b", re.IGNORECASE)
_AGO = re.compile(r"\b\d+[^\S\n]?(min|mins|minutes?|hours?|hrs?|h|days?|d|weeks?)[^\S\n]+ago\b", re.IGNORECASE)
_BY = re.compile(r"^(by|von|por|par|di|door)[^\S\n]+[A-Z\u00c0-\u00de]", re.IGNORECASE | re.MULTILINE)
_URL = re.compile(r"https?://|www\.|\.(com|org|net|co\.uk)\b", re.IGNORECASE)
# one of these occurs in the fold() of any text _URL matches (as hints.hint() would say,
# keeping the dot of ".com": "com" alone is in too many words)
_URL_NEED = ("http", "www.", ".com", ".org", ".net", ".co.uk")
_DATE_WORDS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|updated|published|posted|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo|montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b", re.IGNORECASE)
_DATE_NEED = re.compile(r"\d[./-]\d|\d\d\d\d")
# "4 March 2026", "4. März 2026", "4 de marzo de 2026" (Spanish, Portuguese), "4.3.2026"
_DMY_LONG = re.compile(r"\b\d{1,2}\.? (de )?(\w+ )?(de )?\d{4}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b")
_HANDLE = re.compile(r"^(?:[a-z\u00e0-\u00ff][\w.-]*|[\w-]*\d[\w.-]*|[\w]+[._-][\w._-]*|[A-Za-z]\w*\.{2,})$")


class LineInfo:
    """Facts of one line's text, shared by features, rules and reasons.

    They depend on the text alone (and the language's stopwords and phrase families),
    so every line with that text shares one object: where the line sits (block,
    offsets) is its :class:`~cleanarticle.boilerplate.segment.Line`.
    """

    __slots__ = ("text", "nwords", "key", "family", "stop", "upper", "letters", "static", "dense",
                 "picker", "dateline", "handle")

    def __init__(self, text: str, nwords: int, key: str, family: Family | None,
                 stop: int, upper: int, letters: int, static: bytes = b"", dense: bool = False,
                 marks: tuple[bool, bool, bool] = (False, False, False)) -> None:
        self.text = text
        # the stage-1 features of the text alone (_static), packed as 22 doubles: a bytes
        # object is a quarter of the memory of a tuple of floats, and exactly the same values
        self.static = static
        self.dense = dense  # dense prose: many words, stopwords, a sentence end
        self.nwords = nwords
        self.key = key
        self.family = family
        self.stop = stop
        self.upper = upper
        self.letters = letters
        # what the rules ask of the text alone (see _marks)
        self.picker, self.dateline, self.handle = marks


def line_facts(t: str, stops: frozenset[str], checks: FamilyChecks) -> LineInfo:
    """The facts of the line ``t`` (``stops``: the language's stopwords; ``checks``: its
    phrase families, from :func:`family_checks`)."""
    nw, stop, counts, found = _word_stats(t, stops)
    folded = fold(t)
    fam = checks.first(t, nw, folded) if nw <= 80 else None
    if t.isascii():  # count with bytes.translate (the same counts for ASCII text)
        b = t.encode("ascii")
        letters = len(b) - len(b.translate(None, _ASCII_LETTERS))
        upper = len(b) - len(b.translate(None, _ASCII_UPPER))
        digits = len(b) - len(b.translate(None, _ASCII_DIGITS))
    else:
        letters = sum(map(str.isalpha, t))
        upper = sum(map(str.isupper, t))
        digits = sum(map(str.isdigit, t))
    static, dense = _static(t, nw, counts, fam, stop, upper, letters, digits, folded)
    fam = checks.for_rules(fam, t, nw, folded)
    return LineInfo(t, nw, line_key(t, found), fam, stop, upper, letters, _PACK(*static), dense,
                    _marks(t, nw, stop, letters, digits, static))


class FamilyChecks:
    """The phrase families a line is checked against, in order, and the index of the hint
    strings of their patterns (which patterns could match a line at all)."""

    __slots__ = ("families", "parts", "owner", "index")

    def __init__(self, fams: tuple[Family, ...]) -> None:
        self.families = fams
        self.parts = [p for f in fams for p in (f.parts or (f.regex,))]
        self.owner = [f for f in fams for _ in (f.parts or (f.regex,))]  # the family of each part
        self.index = HintIndex(self.parts)

    def first(self, t: str, nw: int, folded: str) -> Family | None:
        """The first family (in order) that matches ``t`` (``nw`` words, ``folded`` its
        :func:`fold`) within its word limit: the family of the first pattern that does
        (patterns are in their families' order)."""
        return next(self._matching(t, nw, folded), None)

    def for_rules(self, fam: Family | None, t: str, nw: int, folded: str) -> Family | None:
        """The family the rules apply to a line whose first family is ``fam``: ``fam``, or
        when a rule-only family that overrides the classifier matches too, that one (a
        caption with its credit matches the general credit family first, which the
        classifier's ``phrase`` feature sees, but only the caption family is specific enough
        to remove a prose-like line). The ``phrase`` feature stays that of ``fam``."""
        if fam is None or fam.override or not fam.feature:
            return fam
        return next((f for f in self._matching(t, nw, folded) if f.override and not f.feature), fam)

    def _matching(self, t: str, nw: int, folded: str) -> Iterator[Family]:
        """The family of each pattern that matches ``t`` within its family's word limit, in order."""
        mask = self.index.candidates(folded, None if "\n" in t else len(t))
        parts, owner = self.parts, self.owner
        while mask:
            low = mask & -mask
            k = low.bit_length() - 1
            f = owner[k]
            if nw <= f.max_words and parts[k].search(t):
                yield f
            mask ^= low


def _word_stats(t: str, stops: frozenset[str]) -> tuple[int, int, tuple[int, int, int], list[str] | None]:
    """Words, stopwords, (capitalised words, words under 4 letters, letters in words) and
    the list of words (None for a very long line: it is read a piece at a time, cut
    before a whitespace character, which no word crosses, so its words are never all in
    one list)."""
    nw = stop = titles = short = length = 0
    words: list[str] | None = None
    for piece in (_pieces(t) if len(t) > _LONG_LINE else (t,)):
        words = WORD.findall(piece)
        nw += len(words)
        stop += sum(map(stops.__contains__, map(str.lower, words)))
        titles += sum(map(str.isupper, map(_FIRST, words)))  # words are non-empty
        short += sum(map((4).__gt__, map(len, words)))
        length += sum(map(len, words))
    return nw, stop, (titles, short, length), (words if len(t) <= _LONG_LINE else None)


_PACK = struct.Struct("22d").pack  # _static's 22 values as native doubles
_PACK_SIZE = struct.calcsize("22d")
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ASCII_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_DIGITS = b"0123456789"


@lru_cache(maxsize=64)
def family_checks(lang: str, extra: tuple[Family, ...]) -> FamilyChecks:
    """The phrase families of ``lang`` a line is checked against (``extra`` first)."""
    fams = families(lang)
    if lang != "en" and fams is families("en"):
        return family_checks("en", extra)  # a language served by the English file
    return FamilyChecks(extra + fams)


def _static(t: str, nw: int, counts: tuple[int, int, int], fam: Family | None, stop: int, upper: int,
            letters: int, digits: int, folded: str) -> tuple:
    """Stage-1 features of a line's text alone (the first 21 of STAGE1_NAMES, then mean word
    length) and whether the line is dense prose (many words, stopwords, a sentence end).
    ``counts``: capitalised words, words under 4 letters and letters in words (_word_stats);
    ``folded``: ``fold(t)``."""
    titles, short, length = counts
    w = max(nw, 1)
    stripped = t.rstrip()
    chars = len(t)
    # dates, times and "3 hours ago" all need a digit (str.isdigit covers every \d)
    # (every date _DATE matches has a separator between two digits, or four digits in a row)
    date = 1.0 if digits and _DATE_NEED.search(t) and _DATE.search(t) else 0.0
    clock = 1.0 if digits and _TIME.search(t) else 0.0
    ago = 1.0 if digits and _AGO.search(t) else 0.0
    return (
        math.log1p(nw),
        math.log1p(chars),
        stop / w,
        math.log1p(stop),
        short / w,
        1.0 if stripped.endswith(_SENT_END) else 0.0,
        1.0 if stripped.endswith(".") else 0.0,
        t.count(",") / w,
        t.count(".") / w,
        upper / max(letters, 1),
        titles / w,
        digits / max(chars, 1),
        1.0 if _GLUED.search(t) else 0.0,
        (len(_SEPARATORS.findall(t)) if chars <= _LONG_LINE else sum(map(t.count, _SEPARATOR_CHARS))) / w,
        date,
        clock,
        ago,
        1.0 if nw <= 8 and _BY.match(t) else 0.0,
        1.0 if any(map(folded.__contains__, _URL_NEED)) and _URL.search(t) else 0.0,
        1.0 if fam is not None and fam.feature else 0.0,
        1.0 if letters >= 4 and upper == letters else 0.0,
        (length / w) if nw else 0.0,
    ), nw >= 12 and stop >= 0.2 * nw and stripped.endswith(_SENT_END)


def _marks(t: str, nw: int, stop: int, letters: int, digits: int, static: tuple) -> tuple[bool, bool, bool]:
    """What the labelling rules ask of a line's text alone: is it an edition picker (several
    glued ``nameNAME`` tokens and few spaces), a date/time line (a date, a time with a date
    word, or "3 hours ago", in few words that are no sentence), a user name (one token
    with a digit, a lower-case first letter or ``-_.``)?"""
    picker = False
    glued, date, clock, ago = static[12], static[14], static[15], static[16]  # see _static
    if glued:  # _GLUED found one: count them
        n = len(_GLUED.findall(t))
        picker = n >= 2 and t.count(" ") <= n * 2
    dateline = False
    if 0 < nw <= 14 and digits:  # every date, time and "ago" has a digit
        if date or _DMY_LONG.search(t) or (clock and _DATE_WORDS.search(t)) or ago:
            # mostly date/time words: few stopwords, no sentence
            dateline = stop <= 2 and not t.rstrip().endswith((".", "!", "?")) or nw <= 6
    s = t.strip()
    handle = bool(nw and letters >= 2 and len(s) <= 30 and " " not in s and _HANDLE.match(s))
    return picker, dateline, handle


# -- many lines at once ---------------------------------------------------------------

# bits of a character's class in _char_table
_ALPHA, _UPPER, _DIGIT, _COMMA, _PERIOD, _SEPARATOR, _SPACE, _WORD = 1, 2, 4, 8, 16, 32, 64, 128
# a character whose lower case depends on its neighbours (capital sigma), is more than one
# character, or is a word character or a digit where the character is not (or the other way
# round): a line without any has the lower-cased words of its words (see segment.line_key)
_RECASED = 256
_BATCH_CHARS = 1 << 18  # lines are read together in runs of about this many characters


def _char_flags(ch: str) -> int:
    return ((_ALPHA if ch.isalpha() else 0) | (_UPPER if ch.isupper() else 0) | (_DIGIT if ch.isdigit() else 0)
            | (_COMMA if ch == "," else 0) | (_PERIOD if ch == "." else 0)
            | (_SEPARATOR if ch in _SEPARATOR_CHARS else 0) | (_SPACE if ch.isspace() else 0)
            | (_WORD if ch.isalnum() or ch == "_" else 0)  # what a regex's \w matches
            | (_RECASED if ch == "\u03a3" or len(ch.lower()) != 1 or ch.isalnum() != ch.lower().isalnum()
               or ch.isdecimal() != ch.lower().isdecimal() else 0))


_KNOWN = 512  # the bit of a filled entry of _char_table()


@lru_cache(maxsize=1)
def _char_table():
    """The class bits of every character, filled in as characters are met (ASCII at
    once), with :data:`_KNOWN` set in each filled entry: 2.2 MB, not the half second
    that computing all 65,536 characters of the Basic Multilingual Plane would take."""
    import numpy as np

    table = np.zeros(0x110000, dtype=np.uint16)
    table[:128] = [_char_flags(chr(c)) | _KNOWN for c in range(128)]
    return table


def _classes(codes):
    """The class bits of characters (an array of code points)."""
    import numpy as np

    table = _char_table()
    flags = table[codes]
    new = flags < _KNOWN
    if new.any():
        # filling in an entry twice (two threads) writes the same value: harmless
        for c in np.unique(codes[new]).tolist():
            table[c] = _char_flags(chr(c)) | _KNOWN
        flags = table[codes]
    return flags


def _keys(texts: list[str], words: list[str], bounds: list[int], recased: list[bool],
          digits: list[int]) -> list[str]:
    """:func:`~cleanarticle.boilerplate.segment.line_key` of each line: line ``k`` has the
    words ``words[bounds[k]:bounds[k + 1]]`` and ``digits[k]`` digits; lower-casing a line
    without ``recased`` characters lower-cases each character alone, so its key is made
    from its words."""
    keys = [line_key(t) if r else "" for t, r in zip(texts, recased)]
    plain = [k for k, r in enumerate(recased) if not r]
    text = "\n".join([" ".join(words[bounds[k]:bounds[k + 1]]) for k in plain])
    for k, key in zip(plain, text.lower().split("\n")):
        keys[k] = _DIGITS.sub("0", key) if digits[k] else key  # (every \d is a digit)
    return keys


def many_facts(texts: Sequence[str], stops: frozenset[str],
               checks: FamilyChecks) -> list[LineInfo]:
    """``[line_facts(t, stops, checks) for t in texts]``, computed for many lines at once.

    Lines are read in runs of about ``_BATCH_CHARS`` characters, joined by newlines; a
    line longer than that (read in pieces by :func:`line_facts`) or a text with a newline
    in it (not a line) is read by :func:`line_facts`.
    """
    out: list[LineInfo] = []
    run: list[str] = []
    size = 0
    for t in texts:
        if len(t) > _BATCH_CHARS or "\n" in t:
            out.extend(_run_facts(run, stops, checks))
            run, size = [], 0
            out.append(line_facts(t, stops, checks))
            continue
        if size + len(t) > _BATCH_CHARS:
            out.extend(_run_facts(run, stops, checks))
            run, size = [], 0
        run.append(t)
        size += len(t) + 1
    out.extend(_run_facts(run, stops, checks))
    return out


def _run_facts(texts: list[str], stops: frozenset[str],
               checks: FamilyChecks) -> list[LineInfo]:
    """:func:`many_facts` of lines without newlines, joined into one string."""
    import numpy as np

    n = len(texts)
    if n < 2:
        return [line_facts(t, stops, checks) for t in texts]
    joined = "\n".join(texts)
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    starts = np.zeros(n + 1, dtype=np.int64)  # line k is joined[starts[k] : starts[k + 1] - 1]
    np.cumsum(lens + 1, out=starts[1:])

    def per_line(values, bounds):
        """Sums of ``values`` over each line's slice ``[bounds[k], bounds[k + 1])``."""
        total = np.zeros(len(values) + 1, dtype=np.int64)
        np.cumsum(values, out=total[1:])
        return total[bounds[1:]] - total[bounds[:-1]]

    def lines_of(regex) -> np.ndarray:
        """The line of each match of ``regex`` (none crosses a newline), in order."""
        at = [m.start() for m in regex.finditer(joined)]
        return np.searchsorted(starts, np.asarray(at, dtype=np.int64), side="right") - 1

    def matched(regex) -> np.ndarray:
        hit = np.zeros(n, dtype=bool)
        hit[lines_of(regex)] = True
        return hit

    # characters: one class lookup each, counted per line (the newlines between lines are
    # given no class, so a line's sums may run over the newline after it)
    if joined.isascii():
        flags = _classes(np.frombuffer(joined.encode("ascii"), dtype=np.uint8))
    else:
        flags = _classes(np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32))
    flags[starts[1:-1] - 1] = 0
    edges = np.append(starts[:-1], len(joined))  # line k's characters: [edges[k], edges[k + 1])
    counts = {bit: per_line((flags & bit) != 0, edges) for bit in
              (_ALPHA, _UPPER, _DIGIT, _COMMA, _PERIOD, _SEPARATOR, _SPACE)}
    letters, upper, digits = counts[_ALPHA], counts[_UPPER], counts[_DIGIT]

    # words: maximal runs of word characters (what WORD finds), placed by their first
    # character; the words themselves only for the stopword count
    isword = (flags & _WORD) != 0
    first = isword.copy()
    first[1:] &= ~isword[:-1]
    firsts = np.flatnonzero(first)
    words = WORD.findall(joined)
    nwords = len(words)
    if nwords != len(firsts):  # pragma: no cover - the class table and the regex disagree
        raise AssertionError("many_facts: words and word characters disagree")
    nw = per_line(first, edges)
    titles = per_line(first & ((flags & _UPPER) != 0), edges)
    length = per_line(isword, edges)
    bounds = np.searchsorted(firsts, edges)  # line k's words: words[bounds[k]:bounds[k + 1]]
    lasts = np.flatnonzero(isword & np.append(~isword[1:], True))
    stop = per_line(np.fromiter(map(stops.__contains__, map(str.lower, words)), dtype=bool, count=nwords), bounds)
    short = per_line(lasts - firsts < 3, bounds)
    keys = _keys(texts, words, bounds.tolist(), (per_line((flags & _RECASED) != 0, edges) > 0).tolist(),
                 digits.tolist())
    folded_joined = fold(joined)  # fold() is lower-casing and a character table
    folded = folded_joined.split("\n")
    if len(keys) != n or len(folded) != n:  # pragma: no cover - a line had a newline
        raise AssertionError("many_facts: a line holds a newline")

    nw_l = nw.tolist()
    fams: list[Family | None] = [None] * n
    for k in np.flatnonzero(nw <= 80).tolist():
        fams[k] = checks.first(texts[k], nw_l[k], folded[k])
    stripped_end = [t.rstrip()[-1:] for t in texts]
    ends = np.fromiter(map(str.endswith, stripped_end, repeat(_SENT_END)), dtype=bool, count=n)
    has_digit = digits > 0
    glued = np.bincount(lines_of(_GLUED), minlength=n)
    # a URL: the lines whose folded text holds one of _URL_NEED, searched with _URL
    url = np.zeros(n, dtype=bool)
    folded_starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, folded), dtype=np.int64, count=n) + 1, out=folded_starts[1:])
    at = []
    for need in _URL_NEED:
        k = folded_joined.find(need)
        while k >= 0:
            at.append(k)
            k = folded_joined.find(need, k + 1)
    for k in np.unique(np.searchsorted(folded_starts, np.asarray(at, dtype=np.int64), side="right") - 1).tolist():
        url[k] = _URL.search(texts[k]) is not None

    w = np.maximum(nw, 1)
    static = np.empty((n, 22))
    static[:, 0] = np.fromiter(map(math.log1p, nw_l), dtype=np.float64, count=n)
    static[:, 1] = np.fromiter(map(math.log1p, lens.tolist()), dtype=np.float64, count=n)
    static[:, 2] = stop / w
    static[:, 3] = np.fromiter(map(math.log1p, stop.tolist()), dtype=np.float64, count=n)
    static[:, 4] = short / w
    static[:, 5] = ends
    static[:, 6] = np.fromiter(map(".".__eq__, stripped_end), dtype=bool, count=n)
    static[:, 7] = counts[_COMMA] / w
    static[:, 8] = counts[_PERIOD] / w
    static[:, 9] = upper / np.maximum(letters, 1)
    static[:, 10] = titles / w
    static[:, 11] = digits / np.maximum(lens, 1)
    static[:, 12] = glued > 0
    static[:, 13] = counts[_SEPARATOR] / w
    # dates, times and "3 hours ago" need a digit: searched in the lines with one
    # (a scan of all the text would try their many alternatives at every character)
    date, clock, ago = (np.zeros(n, dtype=bool) for _ in range(3))
    need = matched(_DATE_NEED)
    for k in np.flatnonzero(has_digit).tolist():
        t = texts[k]
        date[k] = need[k] and _DATE.search(t) is not None
        clock[k] = _TIME.search(t) is not None
        ago[k] = _AGO.search(t) is not None
    static[:, 14], static[:, 15], static[:, 16] = date, clock, ago
    static[:, 17] = (nw <= 8) & matched(_BY)
    static[:, 18] = url
    static[:, 19] = np.fromiter((f is not None and f.feature for f in fams), dtype=bool, count=n)
    for k, f in enumerate(fams):
        if f is not None:
            fams[k] = checks.for_rules(f, texts[k], nw_l[k], folded[k])
    static[:, 20] = (letters >= 4) & (upper == letters)
    static[:, 21] = np.where(nw > 0, length / w, 0.0)
    dense = ((nw >= 12) & (stop >= 0.2 * nw) & ends).tolist()
    packed = static.tobytes()
    size = _PACK_SIZE

    # what the rules ask: only lines that could be a picker, a date line or a handle
    stop_l, upper_l, letters_l, digits_l = stop.tolist(), upper.tolist(), letters.tolist(), digits.tolist()
    marks = [(False, False, False)] * n
    # (a handle has no whitespace once stripped: none at all, or some at an end)
    spaced = counts[_SPACE] > 0
    if spaced.any():
        last = len(flags) - 1  # (the clipping only matters for empty lines, with no words)
        spaced &= ((flags[np.minimum(starts[:-1], last)] & _SPACE) == 0) \
            & ((flags[np.clip(starts[:-1] + lens - 1, 0, last)] & _SPACE) == 0)
    maybe = (glued > 0) | ((nw > 0) & (nw <= 14) & has_digit) \
        | ((nw > 0) & (letters >= 2) & (lens - counts[_SPACE] <= 30) & ~spaced)
    for k in np.flatnonzero(maybe).tolist():
        marks[k] = _marks(texts[k], nw_l[k], stop_l[k], letters_l[k], digits_l[k], static[k])
    return [LineInfo(texts[k], nw_l[k], keys[k], fams[k], stop_l[k], upper_l[k], letters_l[k],
                     packed[k * size:(k + 1) * size], dense[k], marks[k]) for k in range(n)]
