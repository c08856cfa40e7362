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
from collections import Counter
from functools import lru_cache
from operator import attrgetter
from typing import Sequence

from .data import Family, stopwords
from .facts import LineInfo, family_checks, line_facts, many_facts
from .segment import WORD, Line

__all__ = ["LineInfo", "describe", "stage1", "stage2", "scores", "STAGE1_NAMES", "STAGE2_NAMES", "main_region"]


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
    checks = family_checks(lang, extra)
    # the memo is per stopword set and family list (fixed by language and extra
    # families): a pass must not see facts computed with other ones
    memo = cache.setdefault((stops, lang, extra), {}) if cache is not None else {}
    texts = [ln.text for ln in lines]
    raw_get = dict.get  # the newest generation first, at C speed (see filters.boilerplate._Memo)
    out = [raw_get(memo, t) for t in texts]
    if None not in out:
        return out
    new: dict[str, None] = {}  # texts in no generation, in order
    for k, info in enumerate(out):
        if info is None:
            t = texts[k]
            if memo.get(t) is None:  # (an older generation's facts move to the newest)
                new[t] = None
    if new:
        # a few new lines are read one by one; many at once (the same facts, see facts.py)
        fresh = list(new)
        if len(fresh) >= _MANY:
            infos = many_facts(fresh, stops, checks)
        else:
            infos = [line_facts(t, stops, checks) for t in fresh]
        memo.update(zip(fresh, infos))
    return [raw_get(memo, t) for t in texts]


_MANY = 128  # new lines from which reading them all at once is clearly the faster way (a
# quarter less time a line at 128, a third at 1,024; about even at 64: it costs more to set up)


STAGE1_NAMES = [
    "log_words", "log_chars", "stop_ratio", "log_stops", "short_ratio", "ends_sentence", "ends_period",
    "commas_per_word", "periods_per_word", "upper_ratio", "title_ratio", "digit_ratio", "glued",
    "separators", "date", "time", "ago", "by", "url", "phrase", "all_caps", "pos_rel", "words_before_rel",
    "words_after_rel", "block_lines", "in_block_rel", "block_log_words", "block_mean_words",
    "block_stop_ratio", "dup", "in_dense", "dense_before", "dense_after",
    "p2_words", "p1_words", "n1_words", "n2_words", "p1_stop", "n1_stop", "p1_end", "n1_end",
    "win5_words", "win5_stop", "win5_end", "win15_stop", "first_line_of_doc", "mean_word_len",
]


def _padded(col, half: int, fill: float):
    """``col`` with ``half`` copies of ``fill`` either side: ``out[half + d : half + d + n]``
    is ``col`` moved ``-d`` places (the value of the line ``d`` after), padded."""
    import numpy as np

    out = np.full(len(col) + 2 * half, fill)
    out[half:half + len(col)] = col
    return out


class _Positions:
    """Arrays that depend only on the number of lines ``n`` and a range ``[a, b)`` of them:
    line numbers and the windows of 5, 10 and 15 lines either side (start, end, width),
    the relative place ``k / n`` and whether a line is the first."""

    __slots__ = ("k", "a5", "b5", "w5", "a10", "b10", "a15", "b15", "w15", "rel", "first")

    def __init__(self, n: int, a: int = 0, b: int | None = None) -> None:
        import numpy as np

        k = self.k = np.arange(a, n if b is None else b)
        self.a5, self.b5 = np.maximum(k - 5, 0), np.minimum(k + 6, n)
        self.a10, self.b10 = np.maximum(k - 10, 0), np.minimum(k + 11, n)
        self.a15, self.b15 = np.maximum(k - 15, 0), np.minimum(k + 16, n)
        self.w5, self.w15 = self.b5 - self.a5, self.b15 - self.a15
        self.rel, self.first = k / n, k == 0
        for name in self.__slots__:
            getattr(self, name).flags.writeable = False  # shared between calls


# arrays that depend only on a text's number of lines are kept for the next text of the same
# size up to this many lines (a document); a longer text's are built and let go
_DOC_LINES = 1024
_cached_positions = lru_cache(maxsize=64)(_Positions)  # at most 64 x 11 arrays of _DOC_LINES lines


def _positions(n: int, a: int = 0, b: int | None = None) -> _Positions:
    """:class:`_Positions` of lines ``[a, b)`` of ``n``; the whole of a document-sized
    text is kept for the next call (a huge text's arrays are built and let go)."""
    if a == 0 and (b is None or b == n) and n <= _DOC_LINES:
        return _cached_positions(n)
    return _Positions(n, a, b)


def _log_distance(k, n: int, edge: int, before: bool):
    """``log1p`` of how far each line ``k`` (consecutive line numbers) lies before ``edge``
    (``before``; 0 from ``edge`` on), or after it (0 up to ``edge``): the same floats as
    ``np.log1p`` of those distances computed line by line (numpy's ``log1p`` gives each
    element the same value wherever it stands), read off a table of ``log1p(0..n)``."""
    import numpy as np

    a, b = int(k[0]), int(k[-1]) + 1
    out = np.zeros(b - a)
    if before:  # lines a .. min(b, edge) - 1 lie edge - k before it
        m = min(b, edge) - a
        if m > 0:
            out[:m] = _log1p_range(n, edge - a - m + 1, edge - a + 1)[::-1]
    else:  # lines max(a, edge + 1) .. b - 1 lie k - edge after it
        lo = max(a, edge + 1)
        if lo < b:
            out[lo - a:] = _log1p_range(n, lo - edge, b - edge)
    return out


def _log1p_range(n: int, start: int, stop: int):
    """``np.log1p(np.arange(start, stop))`` for ``0 <= start <= stop <= n + 1``; for a
    document-sized ``n`` a slice of a table kept for the next call."""
    import numpy as np

    if n <= _DOC_LINES:
        return _log1p_table(n)[start:stop]
    return np.log1p(np.arange(start, stop))  # a long text, a chunk at a time: only what it needs


@lru_cache(maxsize=64)
def _log1p_table(n: int):
    import numpy as np

    table = np.log1p(np.arange(n + 1))
    table.flags.writeable = False
    return table


def _prefix(values):
    import numpy as np

    out = np.zeros(len(values) + 1)
    np.cumsum(values, out=out[1:])  # added in order, as a running Python sum would
    return out


_NWORDS, _STOP, _KEY, _DENSE = (attrgetter(a) for a in ("nwords", "stop", "key", "dense"))
_BLOCK_LINES, _IN_BLOCK = attrgetter("block_lines"), attrgetter("in_block")


class Stage1Data:
    """What stage 1's rows are built from: per-line arrays of the whole document (counts,
    block totals, running sums, neighbours), so rows can be built for any range of lines
    (:meth:`rows`) and a long text is scored a chunk at a time."""

    def __init__(self, infos: Sequence[LineInfo], lines: Sequence[Line]) -> None:
        import numpy as np

        self.infos = infos
        n = self.n = len(infos)
        ints = np.empty((4, n), dtype=np.int64)
        nwords = list(map(_NWORDS, infos))
        ints[0] = nwords
        for row, (get, items) in enumerate(((_STOP, infos), (_BLOCK_LINES, lines), (_IN_BLOCK, lines)), 1):
            ints[row] = np.fromiter(map(get, items), dtype=np.int64, count=n)
        self.nw, self.bl, self.in_block = ints[0], ints[2], ints[3]  # ints[1]: stopwords
        self.total_words = sum(nwords) or 1
        keys = list(map(_KEY, infos))
        if len(set(keys)) == n:  # no line repeats another (most texts): none is a duplicate
            self.dup = np.zeros(n)
        else:
            counts = Counter(keys)
            self.dup = ((np.fromiter(map(counts.__getitem__, keys), dtype=np.int64, count=n) > 1)
                        & np.fromiter(map(bool, keys), dtype=bool, count=n)).astype(np.float64)
        dense = list(map(_DENSE, infos))  # bools
        self.first_dense = dense.index(True) if True in dense else n
        self.last_dense = n - 1 - dense[::-1].index(True) if self.first_dense < n else -1
        # per-block totals of words and stopwords (a block's lines are consecutive)
        # (split_lines numbers a block's lines from 0: its first line starts a run)
        self.starts = np.flatnonzero(self.in_block == 0)
        self.sizes = self.bl[self.starts]
        self.bwb, self.bsb = np.repeat(np.add.reduceat(ints[:2], self.starts, axis=1), self.sizes, axis=1)
        self.before = np.cumsum(self.nw) - self.nw
        sr, end = np.empty(n), np.empty(n)
        self._whole = None  # the static rows of a text of one chunk, for rows()
        for a in range(0, n, _CHUNK_ROWS):
            static = self._static(a, min(n, a + _CHUNK_ROWS))
            sr[a:a + len(static)], end[a:a + len(static)] = static[:, 2], static[:, 5]
            if len(static) == n:
                self._whole = static
        # running sums of words, stopword ratio and sentence ends (added in order, as a
        # running Python sum would), for the windows around each line
        self.pre = pre = np.zeros((3, n + 1))
        pre[0, 1:], pre[1, 1:], pre[2, 1:] = self.nw, sr, end
        np.cumsum(pre, axis=1, out=pre)
        # neighbours' values (-1 past either end)
        self.lw = _padded(np.log1p(self.nw), 2, -1.0)
        self.sr, self.end = _padded(sr, 1, -1.0), _padded(end, 1, -1.0)

    def _static(self, a: int, b: int):
        import numpy as np

        return np.frombuffer(b"".join([i.static for i in self.infos[a:b]]), dtype=np.float64).reshape(b - a, 22)

    def rows(self, a: int, b: int, cols) -> _Positions:
        """Write stage 1's features of lines ``[a, b)`` into ``cols[:47]`` (features x lines)."""
        import numpy as np

        n, tw = self.n, self.total_words
        pos = _positions(n, a, b)
        k = pos.k
        static = self._whole if self._whole is not None and b - a == n else self._static(a, b)
        nw, bl, bwb = self.nw[a:b], self.bl[a:b], self.bwb[a:b]
        before = self.before[a:b]
        blm = np.maximum(bl, 1)
        first_dense, last_dense = self.first_dense, self.last_dense
        cols[:21] = static[:, :21].T
        cols[21] = pos.rel
        cols[22] = before / tw
        cols[23] = (tw - before - nw) / tw
        cols[24] = np.log1p(bl)
        cols[25] = self.in_block[a:b] / blm
        cols[26] = np.log1p(bwb)
        cols[27] = np.log1p(bwb / blm)
        cols[28] = self.bsb[a:b] / np.maximum(bwb, 1)
        cols[29] = self.dup[a:b]
        cols[30] = (first_dense <= k) & (k <= last_dense)
        cols[31] = _log_distance(k, n, first_dense, before=True)
        cols[32] = _log_distance(k, n, last_dense, before=False) if last_dense >= 0 else math.log1p(n)
        # two lines before .. two lines after (the padded arrays start 2 or 1 lines early)
        lw, sr, end = self.lw, self.sr, self.end
        cols[33], cols[34], cols[35], cols[36] = lw[a:b], lw[a + 1:b + 1], lw[a + 3:b + 3], lw[a + 4:b + 4]
        cols[37], cols[38] = sr[a:b], sr[a + 2:b + 2]
        cols[39], cols[40] = end[a:b], end[a + 2:b + 2]
        pre = self.pre
        np.divide(pre[:, pos.b5] - pre[:, pos.a5], pos.w5, out=cols[41:44])  # means over 5 lines either side
        np.log1p(cols[41], out=cols[41])
        cols[44] = (pre[1, pos.b15] - pre[1, pos.a15]) / pos.w15
        cols[45] = pos.first
        cols[46] = static[:, 21]
        return pos


_CHUNK_ROWS = 1 << 14  # lines whose feature rows are built and scored together


def stage1(infos: Sequence[LineInfo], lines: Sequence[Line]):
    """Stage-1 feature rows, one per line (see :data:`STAGE1_NAMES`; ``infos`` from
    :func:`describe` of ``lines``): an (n x features) float array, the transpose of a
    C-contiguous (features x n) one."""
    import numpy as np

    n = len(infos)
    cols = np.empty((len(STAGE1_NAMES), n))
    if n:
        Stage1Data(infos, lines).rows(0, n, cols)
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


class Stage2Data:
    """What stage 2 adds to stage 1's rows, from stage 1's scores ``s1`` of the whole
    document (neighbourhood scores, windows, the article's core); :meth:`rows` writes them
    for a range of lines."""

    def __init__(self, d1: Stage1Data, s1: Sequence[float]) -> None:
        import numpy as np

        self.d1 = d1
        n = d1.n
        nw1 = d1.nw + 1
        self.main = main_region(s1, np.sqrt(nw1).tolist())
        s = self.s = np.asarray(s1, dtype=np.float64)
        self.pw, self.ps = _prefix(nw1.astype(np.float64)), _prefix(s * nw1)
        self.block_mean = np.repeat(np.add.reduceat(s, d1.starts) / d1.sizes, d1.sizes)
        self.around = _padded(s, 3, -1.0)  # scores of neighbours, -1 past either end
        # the sum of s1 over 5 lines either side, added line after line as sum() would
        # (adding the 0.0 padding changes no sum)
        p = _padded(s, 5, 0.0)
        self.win = p[0:n].copy()
        for d in range(1, 11):
            self.win += p[d:n + d]
        # running maxima of s1 over earlier / later lines with some words (0.0 before any)
        counted = np.where(nw1 > 5, s, 0.0)
        self.max_before = np.zeros(n)
        self.max_before[1:] = np.maximum.accumulate(counted)[:-1]
        self.max_after = np.zeros(n)
        self.max_after[:-1] = np.maximum.accumulate(counted[::-1])[::-1][1:]

    def rows(self, a: int, b: int, cols, pos: _Positions | None = None) -> None:
        """Write stage 2's own features of lines ``[a, b)`` into ``cols[47:]``; ``pos``:
        what stage 1's :meth:`Stage1Data.rows` returned for the same range."""
        import numpy as np

        f1 = len(STAGE1_NAMES)
        pos = pos or _positions(self.d1.n, a, b)
        k = pos.k
        around, ps, pw = self.around, self.ps, self.pw
        cols[f1] = self.s[a:b]
        cols[f1 + 1], cols[f1 + 2], cols[f1 + 3] = around[a + 2:b + 2], around[a + 1:b + 1], around[a:b]
        cols[f1 + 4], cols[f1 + 5], cols[f1 + 6] = around[a + 4:b + 4], around[a + 5:b + 5], around[a + 6:b + 6]
        cols[f1 + 7] = self.win[a:b] / pos.w5
        cols[f1 + 8] = (ps[pos.b10] - ps[pos.a10]) / (pw[pos.b10] - pw[pos.a10])
        cols[f1 + 9] = self.block_mean[a:b]
        lo, hi = self.main
        cols[f1 + 10] = (lo <= k) & (k < hi)
        cols[f1 + 11] = _log_distance(k, self.d1.n, lo, before=True)
        cols[f1 + 12] = _log_distance(k, self.d1.n, hi - 1, before=False)
        cols[f1 + 13] = self.max_before[a:b]
        cols[f1 + 14] = self.max_after[a:b]


def stage2(infos: Sequence[LineInfo], lines: Sequence[Line], rows1, s1: Sequence[float]):
    """Stage-2 rows: stage-1 rows plus neighbourhood scores and main-region place
    (an (n x features) array, like :func:`stage1`)."""
    import numpy as np

    n = len(infos)
    cols = np.empty((len(STAGE2_NAMES), n))
    if n:
        cols[:len(STAGE1_NAMES)] = np.asarray(rows1).T
        Stage2Data(Stage1Data(infos, lines), s1).rows(0, n, cols)
    return cols.T


def scores(model, infos: Sequence[LineInfo], lines: Sequence[Line]) -> tuple[list[float], list[float]]:
    """Both stages' scores of every line (``model``: a
    :class:`~cleanarticle.boilerplate.model.Model`): compiled when numba is installed
    (:mod:`cleanarticle.boilerplate.compiled`, the same floats), else :func:`scores_numpy`."""
    from . import compiled

    if compiled.available:
        return compiled.scores(model, infos, lines)
    return scores_numpy(model, infos, lines)


def scores_numpy(model, infos: Sequence[LineInfo], lines: Sequence[Line]) -> tuple[list[float], list[float]]:
    """:func:`scores` with numpy, built and scored in chunks of lines, so a long text
    never holds all its feature rows at once."""
    import numpy as np

    n = len(infos)
    if not n:
        return [], []
    f1, f2 = len(STAGE1_NAMES), len(STAGE2_NAMES)
    d1 = Stage1Data(infos, lines)
    s1: list[float] = []
    kept = None  # a text of one chunk keeps its rows for stage 2
    for a in range(0, n, _CHUNK_ROWS):
        b = min(n, a + _CHUNK_ROWS)
        cols = np.empty((f2, b - a))
        pos = d1.rows(a, b, cols)
        s1 += model.stage1.score(cols[:f1].T)
        if b - a == n:
            kept = cols, pos
    d2 = Stage2Data(d1, s1)
    s2: list[float] = []
    for a in range(0, n, _CHUNK_ROWS):
        b = min(n, a + _CHUNK_ROWS)
        if kept is not None:
            cols, pos = kept
        else:
            cols = np.empty((f2, b - a))
            pos = d1.rows(a, b, cols)
        d2.rows(a, b, cols, pos)
        s2 += model.stage2.score(cols.T)
    return s1, s2
