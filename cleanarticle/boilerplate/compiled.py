"""Both stages' scores of a text's lines in compiled code (numba), when numba is installed.

The same floats as :func:`cleanarticle.boilerplate.features.scores`, the numpy
version, which stays the reference and the fallback: every feature is computed with
the same operations in the same order (running sums added line after line, integer
counts divided as doubles), the logarithms come from numpy (``np.log1p`` of a whole
array, or its table of ``log1p(0..n)``), and the per-block means of the stage-1
scores add their lines as ``np.add.reduceat`` does (numpy's pairwise summation).
Each row's features are built in a small buffer and copied into a tile of 64 rows, whose
trees are then evaluated with the rows as the inner loop (stage 2 builds a line's stage-1
features again: cheaper than keeping them), so a text of any length needs only a few
arrays of one value per line. Every compiled function is in this file (see
:func:`_between`).

Why: on a page of a few dozen lines the numpy version's time is mostly the fixed cost
of its ~150 array operations; compiled, a labelling pass of such a page takes a tenth
of it. Set ``CLEANARTICLE_JIT=0`` to use the numpy version.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Sequence

__all__ = ["available", "scores", "warm"]

from ..jit import available
from ..jit import compile_kernel as _compile
from . import features as _features

if available:
    import numpy as np

_F1 = 47  # stage-1 features (features.STAGE1_NAMES)
_F2 = 62  # stage-2 features (features.STAGE2_NAMES)
_SPLITS = 8  # model.Stage._MAX_SPLITS
_PW_BLOCK = 128  # numpy's pairwise summation block
_TILE = 64  # lines scored together: their features (62 x 64 doubles) stay in cache


def _prepare(nw, stop, bl, in_block, sr, end, block_words, block_stops, before, pre_sr, pre_end, raw):
    """Per-line block totals of words and stopwords, words before each line, running sums
    of the stopword ratio and the sentence ends (``sr``, ``end``); into ``raw`` the values
    whose logarithms the features use: words, block lines, block words, block words per
    line, mean words over 5 lines either side (features.Stage1Data)."""
    n = nw.shape[0]
    k = 0
    while k < n:
        j = k + 1
        while j < n and in_block[j] != 0:
            j += 1
        words = 0
        stops = 0
        for m in range(k, j):
            words += nw[m]
            stops += stop[m]
        for m in range(k, j):
            block_words[m] = words
            block_stops[m] = stops
        k = j
    prefix = np.zeros(n + 1)
    acc = 0.0
    acc_sr = 0.0
    acc_end = 0.0
    run = 0
    for m in range(n):
        before[m] = run
        run += nw[m]
        acc += nw[m]
        acc_sr += sr[m]
        acc_end += end[m]
        prefix[m + 1] = acc
        pre_sr[m + 1] = acc_sr
        pre_end[m + 1] = acc_end
    for m in range(n):
        a = max(m - 5, 0)
        b = min(m + 6, n)
        raw[0, m] = nw[m]
        raw[1, m] = bl[m]
        raw[2, m] = block_words[m]
        raw[3, m] = block_words[m] / max(bl[m], 1)
        raw[4, m] = (prefix[b] - prefix[a]) / (b - a)


def _pairwise(a, lo, n):
    """numpy's pairwise sum of ``a[lo:lo + n]`` (``pairwise_sum_DOUBLE``)."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    if n <= _PW_BLOCK:
        r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
        r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
        i = 8
        whole = n - n % 8
        while i < whole:
            r0 += a[lo + i]
            r1 += a[lo + i + 1]
            r2 += a[lo + i + 2]
            r3 += a[lo + i + 3]
            r4 += a[lo + i + 4]
            r5 += a[lo + i + 5]
            r6 += a[lo + i + 6]
            r7 += a[lo + i + 7]
            i += 8
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < n:
            res += a[lo + i]
            i += 1
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return _pairwise(a, lo, n2) + _pairwise(a, lo + n2, n - n2)


def _segment_sum(a, lo, hi):
    """``np.add.reduceat`` of one segment ``a[lo:hi]``: the first value, plus the pairwise
    sum of the rest."""
    return a[lo] + _pairwise(a, lo + 1, hi - lo - 1)


def _margin(row, columns, thresholds, table, n_trees, prior, rate):
    """A row's raw log-odds: each tree's answers to its splits as the bits of a code that
    indexes its leaf table; the trees' values added one after another (model.Stage)."""
    total = 0.0
    for t in range(n_trees):
        code = 0
        base = t * _SPLITS
        for j in range(_SPLITS):
            code |= (row[columns[base + j]] <= thresholds[base + j]) << j
        v = table[(t << _SPLITS) + code]
        total = v if t == 0 else total + v
    return prior + rate * total


def _tile_scores(x, m, columns, thresholds, table, n_trees, prior, rate, codes, total, out, at):
    """:func:`_margin` and :func:`_sigmoid` of the ``m`` rows of a tile held feature by
    feature (``x[f, i]``: feature ``f`` of row ``i``), into ``out[at:at + m]``.

    The same answers, codes and sums as row by row, with the rows as the inner loop:
    a split reads one feature of every row of the tile, one after another, which the
    compiler turns into vector instructions (the row-by-row walk reads a row's
    features in the trees' order instead). Each row still adds its trees' values in
    tree order."""
    for t in range(n_trees):
        base = t * _SPLITS
        for i in range(m):
            codes[i] = 0
        for j in range(_SPLITS):
            feature = x[columns[base + j]]
            thr = thresholds[base + j]
            for i in range(m):
                codes[i] |= (feature[i] <= thr) << j
        off = t << _SPLITS
        if t == 0:
            for i in range(m):
                total[i] = table[off + codes[i]]
        else:
            for i in range(m):
                total[i] += table[off + codes[i]]
    for i in range(m):
        z = prior + rate * (total[i] if n_trees else 0.0)
        out[at + i] = 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0


def _stage1_row(k, n, row, static, a, sr, end, nw, bl, in_block, block_words, block_stops, before,
                logs, dup, tw, first_dense, last_dense, log_n, table, pre_sr, pre_end):
    """Stage 1's features of line ``k`` into ``row[:47]`` (features.Stage1Data.rows);
    ``static``: the static features of the lines from ``a`` on."""
    for j in range(21):
        row[j] = static[k - a, j]
    row[21] = k / n
    row[22] = before[k] / tw
    row[23] = (tw - before[k] - nw[k]) / tw
    row[24] = logs[1, k]
    row[25] = in_block[k] / max(bl[k], 1)
    row[26] = logs[2, k]
    row[27] = logs[3, k]
    row[28] = block_stops[k] / max(block_words[k], 1)
    row[29] = dup[k]
    row[30] = 1.0 if first_dense <= k <= last_dense else 0.0
    row[31] = table[first_dense - k] if k < first_dense else 0.0
    if last_dense >= 0:
        row[32] = table[k - last_dense] if k > last_dense else 0.0
    else:
        row[32] = log_n
    row[33] = logs[0, k - 2] if k >= 2 else -1.0
    row[34] = logs[0, k - 1] if k >= 1 else -1.0
    row[35] = logs[0, k + 1] if k + 1 < n else -1.0
    row[36] = logs[0, k + 2] if k + 2 < n else -1.0
    row[37] = sr[k - 1] if k >= 1 else -1.0
    row[38] = sr[k + 1] if k + 1 < n else -1.0
    row[39] = end[k - 1] if k >= 1 else -1.0
    row[40] = end[k + 1] if k + 1 < n else -1.0
    a5 = max(k - 5, 0)
    b5 = min(k + 6, n)
    row[41] = logs[4, k]
    row[42] = (pre_sr[b5] - pre_sr[a5]) / (b5 - a5)
    row[43] = (pre_end[b5] - pre_end[a5]) / (b5 - a5)
    a15 = max(k - 15, 0)
    b15 = min(k + 16, n)
    row[44] = (pre_sr[b15] - pre_sr[a15]) / (b15 - a15)
    row[45] = 1.0 if k == 0 else 0.0
    row[46] = static[k - a, 21]


def _stage1(a, b, static, sr, end, nw, bl, in_block, block_words, block_stops, before, logs, dup, tw,
            first_dense, last_dense, log_n, table, pre_sr, pre_end, columns, thresholds, leaves,
            n_trees, prior, rate, s1):
    """Stage-1 scores of lines ``[a, b)`` into ``s1`` (:func:`_tiles`; what only stage 2
    reads is given as placeholders)."""
    _tiles(a, b, False, static, sr, end, nw, bl, in_block, block_words, block_stops, before, logs, dup, tw,
           first_dense, last_dense, log_n, table, pre_sr, pre_end, s1, 0, 0, sr, sr, sr, sr, sr,
           columns, thresholds, leaves, n_trees, prior, rate, s1)


def _tiles(a, b, two, static, sr, end, nw, bl, in_block, block_words, block_stops, before, logs, dup, tw,
           first_dense, last_dense, log_n, table, pre_sr, pre_end, s1, lo, hi, ps, pw, block_mean,
           max_before, max_after, columns, thresholds, leaves, n_trees, prior, rate, out):
    """One stage's scores of lines ``[a, b)`` into ``out``, a tile of lines at a time: each
    line's features (stage 2's when ``two``) built in a buffer, copied into the tile,
    the tile scored by :func:`_tile_scores`."""
    n = nw.shape[0]
    width = _F2 if two else _F1
    row = np.empty(_F2)
    x = np.empty((_F2, _TILE))
    codes = np.empty(_TILE, dtype=np.int64)
    total = np.empty(_TILE)
    for t0 in range(a, b, _TILE):
        m = min(_TILE, b - t0)
        for i in range(m):
            if two:
                _stage2_row(t0 + i, n, row, static, a, sr, end, nw, bl, in_block, block_words, block_stops,
                            before, logs, dup, tw, first_dense, last_dense, log_n, table, pre_sr, pre_end,
                            s1, lo, hi, ps, pw, block_mean, max_before, max_after)
            else:
                _stage1_row(t0 + i, n, row, static, a, sr, end, nw, bl, in_block, block_words, block_stops,
                            before, logs, dup, tw, first_dense, last_dense, log_n, table, pre_sr, pre_end)
            for f in range(width):
                x[f, i] = row[f]
        _tile_scores(x, m, columns, thresholds, leaves, n_trees, prior, rate, codes, total, out, t0)


def _between(s1, nw, bl, in_block, ps, pw, block_mean, max_before, max_after):
    """What stage 2 reads of the stage-1 scores of the whole text (features.Stage2Data):
    running sums of word weights and weighted scores, per-block means, running maxima;
    returns the article's core ``(lo, hi)`` (features.main_region)."""
    n = nw.shape[0]
    # features.main_region's loop, written here rather than compiled from there: numba's
    # cache checks only this file's stamp, so code compiled from another module could go
    # stale in the cache when that module changes
    best, lo, hi = 0.0, 0, 0
    cur, a = 0.0, 0
    for k in range(n):
        v = (s1[k] - 0.5) * math.sqrt(nw[k] + 1.0)
        if cur <= 0:
            cur, a = v, k
        else:
            cur += v
        if cur > best:
            best, lo, hi = cur, a, k + 1
    acc_s = 0.0
    acc_w = 0.0
    for k in range(n):
        acc_w += nw[k] + 1.0
        acc_s += s1[k] * (nw[k] + 1)
        pw[k + 1] = acc_w
        ps[k + 1] = acc_s
    k = 0
    while k < n:
        j = k + 1
        while j < n and in_block[j] != 0:
            j += 1
        mean = _segment_sum(s1, k, j) / bl[k]
        for m in range(k, j):
            block_mean[m] = mean
        k = j
    top = 0.0
    for k in range(1, n):
        v = s1[k - 1] if nw[k - 1] + 1 > 5 else 0.0
        top = v if k == 1 else max(top, v)
        max_before[k] = top
    top = 0.0
    for k in range(n - 2, -1, -1):
        v = s1[k + 1] if nw[k + 1] + 1 > 5 else 0.0
        top = v if k == n - 2 else max(top, v)
        max_after[k] = top
    return lo, hi


def _stage2(a, b, static, sr, end, nw, bl, in_block, block_words, block_stops, before, logs, dup, tw,
            first_dense, last_dense, log_n, table, pre_sr, pre_end, s1, lo, hi, ps, pw, block_mean,
            max_before, max_after, columns, thresholds, leaves, n_trees, prior, rate, s2):
    """Stage-2 scores of lines ``[a, b)`` into ``s2`` (features.Stage2Data.rows; :func:`_tiles`)."""
    _tiles(a, b, True, static, sr, end, nw, bl, in_block, block_words, block_stops, before, logs, dup, tw,
           first_dense, last_dense, log_n, table, pre_sr, pre_end, s1, lo, hi, ps, pw, block_mean,
           max_before, max_after, columns, thresholds, leaves, n_trees, prior, rate, s2)


def _whole_text(static, sr, end, nw, bl, in_block, block_words, block_stops, before, logs, dup, tw,
                first_dense, last_dense, log_n, table, pre_sr, pre_end, ps, pw, block_mean, max_before,
                max_after, columns1, thresholds1, leaves1, n_trees1, prior1, rate1,
                columns2, thresholds2, leaves2, n_trees2, prior2, rate2, s1, s2):
    """Both stages of a text read in one chunk: :func:`_stage1`, :func:`_between` and
    :func:`_stage2` in one call (each call from Python costs a few microseconds)."""
    n = nw.shape[0]
    _stage1(0, n, static, sr, end, nw, bl, in_block, block_words, block_stops, before, logs, dup, tw,
            first_dense, last_dense, log_n, table, pre_sr, pre_end, columns1, thresholds1, leaves1,
            n_trees1, prior1, rate1, s1)
    lo, hi = _between(s1, nw, bl, in_block, ps, pw, block_mean, max_before, max_after)
    _stage2(0, n, static, sr, end, nw, bl, in_block, block_words, block_stops, before, logs, dup, tw,
            first_dense, last_dense, log_n, table, pre_sr, pre_end, s1, lo, hi, ps, pw, block_mean,
            max_before, max_after, columns2, thresholds2, leaves2, n_trees2, prior2, rate2, s2)


def _stage2_row(k, n, row, static, a, sr, end, nw, bl, in_block, block_words, block_stops, before, logs,
                dup, tw, first_dense, last_dense, log_n, table, pre_sr, pre_end, s1, lo, hi, ps, pw,
                block_mean, max_before, max_after):
    """Stage 2's features of line ``k`` into ``row`` (its stage-1 features first)."""
    _stage1_row(k, n, row, static, a, sr, end, nw, bl, in_block, block_words, block_stops, before,
                logs, dup, tw, first_dense, last_dense, log_n, table, pre_sr, pre_end)
    row[_F1] = s1[k]
    row[_F1 + 1] = s1[k - 1] if k >= 1 else -1.0
    row[_F1 + 2] = s1[k - 2] if k >= 2 else -1.0
    row[_F1 + 3] = s1[k - 3] if k >= 3 else -1.0
    row[_F1 + 4] = s1[k + 1] if k + 1 < n else -1.0
    row[_F1 + 5] = s1[k + 2] if k + 2 < n else -1.0
    row[_F1 + 6] = s1[k + 3] if k + 3 < n else -1.0
    # the sum over 5 lines either side, added from the first as features.Stage2Data
    win = 0.0
    for d in range(11):
        m = k - 5 + d
        v = s1[m] if 0 <= m < n else 0.0
        win = v if d == 0 else win + v
    a5 = max(k - 5, 0)
    b5 = min(k + 6, n)
    row[_F1 + 7] = win / (b5 - a5)
    a10 = max(k - 10, 0)
    b10 = min(k + 11, n)
    row[_F1 + 8] = (ps[b10] - ps[a10]) / (pw[b10] - pw[a10])
    row[_F1 + 9] = block_mean[k]
    row[_F1 + 10] = 1.0 if lo <= k < hi else 0.0
    row[_F1 + 11] = table[lo - k] if k < lo else 0.0
    row[_F1 + 12] = table[k - (hi - 1)] if k > hi - 1 else 0.0
    row[_F1 + 13] = max_before[k]
    row[_F1 + 14] = max_after[k]


if available:
    _pairwise = _compile(_pairwise)
    _segment_sum = _compile(_segment_sum)
    _margin = _compile(_margin)
    _sigmoid = _compile(_sigmoid)
    _stage1_row = _compile(_stage1_row)
    _stage2_row = _compile(_stage2_row)
    _tile_scores = _compile(_tile_scores)
    _tiles = _compile(_tiles)
    _prepare = _compile(_prepare)
    _stage1 = _compile(_stage1)
    _between = _compile(_between)
    _stage2 = _compile(_stage2)
    _whole_text = _compile(_whole_text)


def _trees(stage) -> tuple:
    return (stage._columns, stage._thresholds, stage._flat_table, stage.n_trees, stage.prior, stage.rate)


def scores(model, infos: Sequence, lines: Sequence, chunk_rows: int | None = None
           ) -> tuple[list[float], list[float]]:
    """:func:`cleanarticle.boilerplate.features.scores`, compiled (``available`` must be
    true). The static features are read a chunk of lines at a time, as there
    (``chunk_rows`` lines, default ``features._CHUNK_ROWS``); a text of one chunk is
    scored in one compiled call."""
    n = len(infos)
    if not n:
        return [], []

    def static(a: int, b: int):
        return np.frombuffer(b"".join([i.static for i in infos[a:b]]), dtype=np.float64).reshape(b - a, 22)

    rows = chunk_rows or _features._CHUNK_ROWS
    chunks = [(a, min(n, a + rows)) for a in range(0, n, rows)]
    whole = static(0, n) if len(chunks) == 1 else None
    sr, end = np.empty(n), np.empty(n)
    for a, b in chunks:
        st = whole if whole is not None else static(a, b)
        sr[a:b], end[a:b] = st[:, 2], st[:, 5]
    nwords = [i.nwords for i in infos]
    ints = np.empty((5, n), dtype=np.int64)
    ints[0] = nwords
    ints[1] = [i.stop for i in infos]
    ints[2] = [ln.block_lines for ln in lines]
    ints[3] = [ln.in_block for ln in lines]
    nw, stop, bl, in_block, before = ints
    keys = [i.key for i in infos]
    if len(set(keys)) == n:
        dup = np.zeros(n)
    else:
        counts = Counter(keys)
        dup = np.array([1.0 if k and counts[k] > 1 else 0.0 for k in keys])
    dense = [i.dense for i in infos]
    first_dense = dense.index(True) if True in dense else n
    last_dense = n - 1 - dense[::-1].index(True) if first_dense < n else -1
    blocks = np.empty((2, n), dtype=np.int64)
    sums = np.zeros((2, n + 1))
    logs = np.empty((5, n))
    _prepare(nw, stop, bl, in_block, sr, end, blocks[0], blocks[1], before, sums[0], sums[1], logs)
    np.log1p(logs, out=logs)
    if n <= _features._DOC_LINES:
        table = _features._log1p_table(n)  # read-only
    else:
        table = np.log1p(np.arange(n + 1))
        table.flags.writeable = False  # the same array type as the kept tables: one compiled version
    common = (sr, end, nw, bl, in_block, blocks[0], blocks[1], before, logs, dup, sum(nwords) or 1,
              first_dense, last_dense, math.log1p(n), table, sums[0], sums[1])
    s1, s2 = np.empty(n), np.empty(n)
    per_line = np.zeros((3, n))  # block means, running maxima before and after
    ps, pw = np.zeros(n + 1), np.zeros(n + 1)
    if whole is not None:
        _whole_text(whole, *common, ps, pw, *per_line, *_trees(model.stage1), *_trees(model.stage2), s1, s2)
        return s1.tolist(), s2.tolist()
    for a, b in chunks:
        _stage1(a, b, static(a, b), *common, *_trees(model.stage1), s1)
    lo, hi = _between(s1, nw, bl, in_block, ps, pw, *per_line)
    for a, b in chunks:
        _stage2(a, b, static(a, b), *common, s1, lo, hi, ps, pw, *per_line, *_trees(model.stage2), s2)
    return s1.tolist(), s2.tolist()


def warm() -> None:
    """Compile the kernels now, or load them from numba's cache (about half a second;
    ten the first time after installing), rather than on the first page."""
    if not available:
        return
    from .facts import LineInfo
    from .model import load_model
    from .segment import split_lines

    lines = split_lines("warm\nwarm\n")
    info = LineInfo("warm", 1, "warm", None, 0, 0, 4, bytes(22 * 8))
    scores(load_model(), [info], lines[:1])
    scores(load_model(), [info, info], lines, chunk_rows=1)  # a long text's way, a chunk at a time
