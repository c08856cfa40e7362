"""Line features for the boilerplate classifier, language-aware where data exists.

Stage 1 describes each line by itself, its block and its neighbours (length,
punctuation, stopword density, case patterns, glued words, phrase families,
position, duplicates). Stage 2 adds the stage-1 scores of the neighbourhood
(context smoothing) and the line's place relative to the densest run of
article-like text, found with a maximum-sum segment over word-weighted scores.
Every feature is a float; the order is :data:`STAGE1_NAMES` / :data:`STAGE2_NAMES`.
"""

from __future__ import annotations

import math
import operator
import re
import struct
from collections import Counter
from functools import lru_cache
from itertools import chain
from typing import Sequence

from .data import Family, families, stopwords
from .hints import HintIndex, fold
from .segment import WORD, Line, line_key

__all__ = ["LineInfo", "describe", "stage1", "stage2", "feature_buffer", "STAGE1_NAMES", "STAGE2_NAMES", "main_region"]

_FIRST = operator.itemgetter(0)
_SENT_END = tuple(".!?\"'”’»)…:")
_GLUED = re.compile(r"[a-z\u00e0-\u00ff][A-Z\u00c0-\u00de]{2,}")
_SEPARATORS = re.compile(r"[|•·›»«/©®™→←↑↓▶►▼◄★☆#@]")
_DATE = re.compile(
    r"\b(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2},? \d{4}|"
    r"\d{1,2} (jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* \d{4})\b",
    re.IGNORECASE)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s?(am|pm|a\.m\.|p\.m\.|h|utc|gmt|est|edt|cet|bst|et|pt)?\b", re.IGNORECASE)
_AGO = re.compile(r"\b\d+\s?(min|mins|minutes?|hours?|hrs?|h|days?|d|weeks?)\s+ago\b", re.IGNORECASE)
_BY = re.compile(r"^(by|von|por|par|di|door)\s+[A-Z\u00c0-\u00de]", re.IGNORECASE)
_URL = re.compile(r"https?://|www\.|\.(com|org|net|co\.uk)\b", re.IGNORECASE)
# one of these occurs in the fold() of any text _URL matches (as hints.hint() would say,
# keeping the dot of ".com": "com" alone is in too many words)
_URL_NEED = ("http", "www.", ".com", ".org", ".net", ".co.uk")
_DATE_WORDS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|updated|published|posted|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo|montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b", re.IGNORECASE)
_DMY_LONG = re.compile(r"\b\d{1,2}\.? (\w+ )?\d{4}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b")
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


def _own_stopwords(lines: Sequence[Line], size: int = 40) -> frozenset[str]:
    """Function words of a language we have no list for, estimated from the text itself:
    the most frequent short words of its longer lines (ties broken alphabetically)."""
    counts: Counter = Counter()
    for ln in lines:
        words = WORD.findall(ln.text.lower())
        if len(words) >= 8:
            counts.update(w for w in words if len(w) <= 4 and not w.isdigit())
    common = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
    return frozenset(w for w, c in common if c >= 3)


def describe(lines: Sequence[Line], lang: str, extra: Sequence[Family] = (),
             cache: dict | None = None) -> list[LineInfo]:
    """Words, key, stopword count, case counts and first phrase-family hit of each line.

    ``cache`` (a dict owned by the caller) memoises the per-text facts, so repeated
    lines and later labelling passes over the same lines cost a lookup.
    """
    # "und" (too little text to tell) reads as English; a detected language without a
    # list gets function words estimated from the text itself
    stops = stopwords(lang) or (stopwords("en") if lang in ("und", "") else _own_stopwords(lines))
    extra = tuple(extra)
    checks = _family_checks(lang, extra)
    # the memo is per stopword set and family list (fixed by language and extra
    # families): a pass must not see facts computed with other ones
    memo = cache.setdefault((stops, lang, extra), {}) if cache is not None else {}
    texts = [ln.text for ln in lines]
    raw_get = dict.get  # the newest generation first, at C speed (see filters.boilerplate._Memo)
    out = [raw_get(memo, t) for t in texts]
    for k, info in enumerate(out):
        if info is not None:
            continue
        t = texts[k]
        info = memo.get(t)  # an older generation, or a copy of this text earlier in the document
        if info is None:
            info = memo[t] = _facts(t, stops, checks)
        out[k] = info
    return out


def _facts(t: str, stops: frozenset[str], checks: tuple[tuple[Family, ...], HintIndex]) -> LineInfo:
    words = WORD.findall(t)
    nw = len(words)
    fam = None
    if nw <= 80:
        fams, index = checks
        # only the families one of whose hint strings occurs can match: search those, in order
        mask = index.candidates(fold(t))
        while mask:
            low = mask & -mask
            f = fams[low.bit_length() - 1]
            if nw <= f.max_words and f.regex.search(t):
                fam = f
                break
            mask ^= low
    stop = sum(map(stops.__contains__, map(str.lower, words)))
    if t.isascii():  # count with bytes.translate (the same counts for ASCII text)
        b = t.encode("ascii")
        letters = len(b) - len(b.translate(None, _ASCII_LETTERS))
        upper = len(b) - len(b.translate(None, _ASCII_UPPER))
        digits = len(b) - len(b.translate(None, _ASCII_DIGITS))
    else:
        letters = sum(map(str.isalpha, t))
        upper = sum(map(str.isupper, t))
        digits = sum(map(str.isdigit, t))
    static, dense = _static(t, words, fam, stop, upper, letters, digits)
    return LineInfo(t, nw, line_key(t), fam, stop, upper, letters, _PACK(*static), dense,
                    _marks(t, nw, stop, letters, static[12]))


_PACK = struct.Struct("22d").pack  # _static's 22 values as native doubles
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ASCII_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_DIGITS = b"0123456789"


@lru_cache(maxsize=64)
def _family_checks(lang: str, extra: tuple[Family, ...]) -> tuple[tuple[Family, ...], HintIndex]:
    """The phrase families a line is checked against, in order (``extra`` first), and the
    index of their hint strings (which families could match a line at all)."""
    fams = extra + families(lang)
    return fams, HintIndex([f.regex for f in fams])


STAGE1_NAMES = [
    "log_words", "log_chars", "stop_ratio", "log_stops", "short_ratio", "ends_sentence", "ends_period",
    "commas_per_word", "periods_per_word", "upper_ratio", "title_ratio", "digit_ratio", "glued",
    "separators", "date", "time", "ago", "by", "url", "phrase", "all_caps", "pos_rel", "words_before_rel",
    "words_after_rel", "block_lines", "in_block_rel", "block_log_words", "block_mean_words",
    "block_stop_ratio", "dup", "in_dense", "dense_before", "dense_after",
    "p2_words", "p1_words", "n1_words", "n2_words", "p1_stop", "n1_stop", "p1_end", "n1_end",
    "win5_words", "win5_stop", "win5_end", "win15_stop", "first_line_of_doc", "mean_word_len",
]


def _static(t: str, words: list[str], fam: Family | None, stop: int, upper: int, letters: int,
            digits: int) -> tuple:
    """Stage-1 features of a line's text alone (the first 21 of STAGE1_NAMES, then mean word
    length) and whether the line is dense prose (many words, stopwords, a sentence end)."""
    nw = len(words)
    w = max(nw, 1)
    stripped = t.rstrip()
    chars = len(t)
    titles = sum(map(str.isupper, map(_FIRST, words)))  # words are non-empty
    # dates, times and "3 hours ago" all need a digit (str.isdigit covers every \d)
    date = 1.0 if digits and _DATE.search(t) else 0.0
    clock = 1.0 if digits and _TIME.search(t) else 0.0
    ago = 1.0 if digits and _AGO.search(t) else 0.0
    return (
        math.log1p(nw),
        math.log1p(chars),
        stop / w,
        math.log1p(stop),
        sum(map((4).__gt__, map(len, words))) / w,
        1.0 if stripped.endswith(_SENT_END) else 0.0,
        1.0 if stripped.endswith(".") else 0.0,
        t.count(",") / w,
        t.count(".") / w,
        upper / max(letters, 1),
        titles / w,
        digits / max(chars, 1),
        1.0 if _GLUED.search(t) else 0.0,
        len(_SEPARATORS.findall(t)) / w,
        date,
        clock,
        ago,
        1.0 if nw <= 8 and _BY.match(t) else 0.0,
        1.0 if any(map(fold(t).__contains__, _URL_NEED)) and _URL.search(t) else 0.0,
        1.0 if fam is not None else 0.0,
        1.0 if letters >= 4 and upper == letters else 0.0,
        (sum(map(len, words)) / w) if nw else 0.0,
    ), nw >= 12 and stop >= 0.2 * nw and stripped.endswith(_SENT_END)


def _marks(t: str, nw: int, stop: int, letters: int, glued: float) -> tuple[bool, bool, bool]:
    """What the labelling rules ask of a line's text alone: is it an edition picker (several
    glued ``nameNAME`` tokens and few spaces), a date/time line (a date, a time with a date
    word, or "3 hours ago", in few words that are no sentence), a user name (one token
    with a digit, a lower-case first letter or ``-_.``)?"""
    picker = False
    if glued:  # _GLUED found one: count them
        n = len(_GLUED.findall(t))
        picker = n >= 2 and t.count(" ") <= n * 2
    dateline = False
    if 0 < nw <= 14 and any(map(str.isdigit, t)):  # every date, time and "ago" has a digit
        if _DATE.search(t) or _DMY_LONG.search(t) or (_TIME.search(t) and _DATE_WORDS.search(t)) \
                or _AGO.search(t):
            # mostly date/time words: few stopwords, no sentence
            dateline = stop <= 2 and not t.rstrip().endswith((".", "!", "?")) or nw <= 6
    s = t.strip()
    handle = bool(nw and letters >= 2 and len(s) <= 30 and " " not in s and _HANDLE.match(s))
    return picker, dateline, handle


def _padded(col, half: int, fill: float):
    """``col`` with ``half`` copies of ``fill`` either side: ``out[half + d : half + d + n]``
    is ``col`` moved ``-d`` places (the value of the line ``d`` after), padded."""
    import numpy as np

    out = np.full(len(col) + 2 * half, fill)
    out[half:half + len(col)] = col
    return out


def _windows(n: int, half: int):
    """Start and end (exclusive) of the window of ``half`` lines either side of each line."""
    import numpy as np

    k = np.arange(n)
    return np.maximum(k - half, 0), np.minimum(k + half + 1, n)


class _Positions:
    """Arrays that depend only on the number of lines ``n``: line numbers and the
    windows of 5, 10 and 15 lines either side (start, end, width)."""

    __slots__ = ("k", "a5", "b5", "w5", "a10", "b10", "a15", "b15", "w15")

    def __init__(self, n: int) -> None:
        self.k = _arange(n)
        self.a5, self.b5 = _windows(n, 5)
        self.a10, self.b10 = _windows(n, 10)
        self.a15, self.b15 = _windows(n, 15)
        self.w5, self.w15 = self.b5 - self.a5, self.b15 - self.a15
        for name in self.__slots__:
            getattr(self, name).flags.writeable = False  # shared between calls


def _arange(n: int):
    import numpy as np

    return np.arange(n)


_cached_positions = lru_cache(maxsize=256)(_Positions)


def _positions(n: int) -> _Positions:
    """:class:`_Positions` of ``n`` lines; kept for document-sized ``n`` only (a huge
    text's arrays are built for it and let go)."""
    return _cached_positions(n) if n <= 4096 else _Positions(n)


def _block_runs(block):
    """Start and length of each run of lines with the same block number (a block's lines
    are consecutive), for ``np.add.reduceat`` and ``np.repeat``."""
    import numpy as np

    starts = np.concatenate(((0,), np.flatnonzero(block[1:] != block[:-1]) + 1))
    sizes = np.empty(len(starts), dtype=np.intp)
    sizes[:-1] = starts[1:] - starts[:-1]
    sizes[-1] = len(block) - starts[-1]
    return starts, sizes


def _prefix(values):
    import numpy as np

    out = np.zeros(len(values) + 1)
    np.cumsum(values, out=out[1:])  # added in order, as a running Python sum would
    return out


def stage1(infos: Sequence[LineInfo], lines: Sequence[Line], out=None):
    """Stage-1 feature rows, one per line (see :data:`STAGE1_NAMES`; ``infos`` from
    :func:`describe` of ``lines``): an (n x features) float array, the transpose of a
    C-contiguous (features x n) one. ``out``: a (features x n) buffer of at least
    stage 1's features to write into (see :func:`feature_buffer`)."""
    import numpy as np

    n = len(infos)
    if not n:
        return np.zeros((0, len(STAGE1_NAMES)))
    static = np.frombuffer(b"".join([i.static for i in infos]), dtype=np.float64).reshape(n, 22)
    ints = np.fromiter(chain.from_iterable([(i.nwords, i.stop, ln.block, ln.block_lines, ln.in_block)
                                            for i, ln in zip(infos, lines)]), dtype=np.int64,
                       count=n * 5).reshape(n, 5).T
    nw, stops, block, bl, in_block = ints
    total_words = int(nw.sum()) or 1
    keys = Counter(i.key for i in infos)
    dup = [1.0 if i.key and keys[i.key] > 1 else 0.0 for i in infos]
    dense_idx = [k for k, i in enumerate(infos) if i.dense]
    first_dense = dense_idx[0] if dense_idx else n
    last_dense = dense_idx[-1] if dense_idx else -1
    pos = _positions(n)
    k = pos.k
    # per-block totals of words and stopwords (a block's lines are consecutive)
    starts, sizes = _block_runs(block)
    bwb, bsb = np.repeat(np.add.reduceat(ints[:2], starts, axis=1), sizes, axis=1)
    before = np.cumsum(nw) - nw
    sr, end = static[:, 2], static[:, 5]
    lw = np.log1p(nw)
    # running sums of words, stopword ratio and sentence ends (added in order, as a
    # running Python sum would), for the windows around each line
    pre = np.zeros((3, n + 1))
    pre[0, 1:], pre[1, 1:], pre[2, 1:] = nw, sr, end
    np.cumsum(pre, axis=1, out=pre)
    blm = np.maximum(bl, 1)
    cols = np.empty((len(STAGE1_NAMES), n)) if out is None else out[:len(STAGE1_NAMES)]
    cols[:21] = static[:, :21].T
    cols[21] = k / n
    cols[22] = before / total_words
    cols[23] = (total_words - before - nw) / total_words
    cols[24] = np.log1p(bl)
    cols[25] = in_block / blm
    cols[26] = np.log1p(bwb)
    cols[27] = np.log1p(bwb / blm)
    cols[28] = bsb / np.maximum(bwb, 1)
    cols[29] = dup
    cols[30] = (first_dense <= k) & (k <= last_dense)
    cols[31] = np.log1p(np.where(first_dense > k, first_dense - k, 0))
    cols[32] = np.log1p(np.where(k > last_dense, k - last_dense, 0)) if last_dense >= 0 else math.log1p(n)
    # neighbours' values (-1 past either end): two lines before .. two lines after
    p = _padded(lw, 2, -1.0)
    cols[33], cols[34], cols[35], cols[36] = p[0:n], p[1:n + 1], p[3:n + 3], p[4:n + 4]
    p = _padded(sr, 1, -1.0)
    cols[37], cols[38] = p[0:n], p[2:n + 2]
    p = _padded(end, 1, -1.0)
    cols[39], cols[40] = p[0:n], p[2:n + 2]
    np.divide(pre[:, pos.b5] - pre[:, pos.a5], pos.w5, out=cols[41:44])  # means over 5 lines either side
    np.log1p(cols[41], out=cols[41])
    cols[44] = (pre[1, pos.b15] - pre[1, pos.a15]) / pos.w15
    cols[45] = k == 0
    cols[46] = static[:, 21]
    return cols.T


STAGE2_NAMES = STAGE1_NAMES + [
    "s1", "s1_p1", "s1_p2", "s1_p3", "s1_n1", "s1_n2", "s1_n3", "s1_win5", "s1_win10w", "s1_block",
    "in_main", "main_before", "main_after", "s1_max_before", "s1_max_after",
]


def main_region(scores: Sequence[float], weights: Sequence[float], bias: float = 0.5) -> tuple[int, int]:
    """Maximum-sum run ``[a, b)`` of ``(score - bias) * weight``: the article's core.

    >>> main_region([0.1, 0.9, 0.8, 0.2, 0.9, 0.1], [5, 20, 20, 2, 20, 5])
    (1, 5)
    """
    best, best_a, best_b = 0.0, 0, 0
    cur, a = 0.0, 0
    for k, (s, w) in enumerate(zip(scores, weights)):
        v = (s - bias) * w
        if cur <= 0:
            cur, a = v, k
        else:
            cur += v
        if cur > best:
            best, best_a, best_b = cur, a, k + 1
    return best_a, best_b


def feature_buffer(n: int):
    """A (stage-2 features x n) buffer: :func:`stage1` fills its first rows, :func:`stage2`
    the rest, so stage 2 needs no copy of stage 1's rows (the memory of a long text)."""
    import numpy as np

    return np.empty((len(STAGE2_NAMES), n))


def stage2(infos: Sequence[LineInfo], lines: Sequence[Line], rows1, s1: Sequence[float]):
    """Stage-2 rows: stage-1 rows plus neighbourhood scores and main-region place
    (an (n x features) array, like :func:`stage1`). When ``rows1`` was written into a
    :func:`feature_buffer`, the rest of that buffer is filled and returned."""
    import numpy as np

    n = len(infos)
    if not n:
        return np.zeros((0, len(STAGE2_NAMES)))
    f1 = len(STAGE1_NAMES)
    rows1 = np.asarray(rows1)
    nw1 = np.array([i.nwords + 1 for i in infos], dtype=np.int64)
    a, b = main_region(s1, np.sqrt(nw1).tolist())
    s = np.asarray(s1, dtype=np.float64)
    pw, ps = _prefix(nw1.astype(np.float64)), _prefix(s * nw1)
    starts, sizes = _block_runs(np.array([ln.block for ln in lines], dtype=np.int64))
    buf = rows1.T.base
    if buf is not None and buf.shape == (len(STAGE2_NAMES), n) and rows1.T.ctypes.data == buf.ctypes.data:
        cols = buf  # stage 1 wrote its rows into this feature_buffer
    else:
        cols = np.empty((len(STAGE2_NAMES), n))
        cols[:f1] = rows1.T
    cols[f1] = s
    # neighbours' scores (-1 past either end): one to three lines before, then after
    p = _padded(s, 3, -1.0)
    cols[f1 + 1], cols[f1 + 2], cols[f1 + 3] = p[2:n + 2], p[1:n + 1], p[0:n]
    cols[f1 + 4], cols[f1 + 5], cols[f1 + 6] = p[4:n + 4], p[5:n + 5], p[6:n + 6]
    # the mean of s1 over 5 lines either side, added line after line as sum() would
    # (adding the 0.0 padding changes no sum)
    p = _padded(s, 5, 0.0)
    win = p[0:n].copy()
    for d in range(1, 11):
        win += p[d:n + d]
    x, y = _windows(n, 5)
    cols[f1 + 7] = win / (y - x)
    x10, y10 = _windows(n, 10)
    cols[f1 + 8] = (ps[y10] - ps[x10]) / (pw[y10] - pw[x10])
    cols[f1 + 9] = np.repeat(np.add.reduceat(s, starts) / sizes, sizes)
    k = np.arange(n)
    cols[f1 + 10] = (a <= k) & (k < b)
    cols[f1 + 11] = np.log1p(np.where(a > k, a - k, 0))
    cols[f1 + 12] = np.log1p(np.where(k - b + 1 > 0, k - b + 1, 0))
    # running maxima of s1 over earlier / later lines with some words (0.0 before any)
    counted = np.where(nw1 > 5, s, 0.0)
    cols[f1 + 13, 0] = 0.0
    cols[f1 + 13, 1:] = np.maximum.accumulate(counted)[:-1]
    cols[f1 + 14, -1] = 0.0
    cols[f1 + 14, :-1] = np.maximum.accumulate(counted[::-1])[::-1][1:]
    return cols.T
