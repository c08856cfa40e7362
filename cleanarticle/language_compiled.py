"""The language fast path's gather-and-sum in compiled code (numba), when installed.

:meth:`cleanarticle.language._Model.scores` sums the rows of a document's words in
``chunks`` stretches with ``np.add.reduceat(rows[idx], bounds, axis=0)``. For each
stretch and column numpy takes the first row's value and adds the pairwise sum
(``pairwise_sum_DOUBLE``: eight running sums in blocks of up to 128, halves above)
of the rest. :func:`chunk_sums` does the same additions in the same order without
building the gathered matrix (a few hundred rows of 55 floats a call), so the floats
are the same; :func:`leads` then finds the leading language and its margins in one call
instead of a dozen small array operations; :func:`usable` checks that on this machine's numpy before the model
uses it, and the numpy version stays the fallback (``CLEANARTICLE_JIT=0``).
"""

from __future__ import annotations

from .jit import available, compile_kernel

__all__ = ["available", "chunk_sums", "leads", "segment_rows", "usable"]

if available:
    import numpy as np

_PW_BLOCK = 128  # numpy's pairwise summation block


def _pairwise_rows(rows, idx, lo, n, out, acc):
    """``out[c]`` = numpy's pairwise sum of ``rows[idx[lo:lo + n], c]`` for every column."""
    m = rows.shape[1]
    if n < 8:
        for c in range(m):
            out[c] = -0.0  # numpy starts there (so a sum of -0.0 stays -0.0)
        for i in range(lo, lo + n):
            r = rows[idx[i]]
            for c in range(m):
                out[c] += r[c]
        return
    if n <= _PW_BLOCK:
        for j in range(8):
            r = rows[idx[lo + j]]
            for c in range(m):
                acc[j, c] = r[c]
        i = 8
        whole = n - n % 8
        while i < whole:
            for j in range(8):
                r = rows[idx[lo + i + j]]
                for c in range(m):
                    acc[j, c] += r[c]
            i += 8
        for c in range(m):
            out[c] = ((acc[0, c] + acc[1, c]) + (acc[2, c] + acc[3, c])) + \
                ((acc[4, c] + acc[5, c]) + (acc[6, c] + acc[7, c]))
        while i < n:
            r = rows[idx[lo + i]]
            for c in range(m):
                out[c] += r[c]
            i += 1
        return
    n2 = n // 2
    n2 -= n2 % 8
    first = np.empty(m)
    _pairwise_rows(rows, idx, lo, n2, first, acc)
    _pairwise_rows(rows, idx, lo + n2, n - n2, out, acc)
    for c in range(m):
        out[c] = first[c] + out[c]


def _chunk_sums(rows, sizes, idx, k, out, counts):
    """``out[j]`` = ``np.add.reduceat(rows[idx], bounds, axis=0)[j]`` and ``counts[j]`` =
    the sum of ``sizes[idx]`` over stretch ``j``, with ``bounds[j] = n * j // k``."""
    n = idx.shape[0]
    m = rows.shape[1]
    rest = np.empty(m)
    acc = np.empty((8, m))
    for j in range(k):
        lo = n * j // k
        hi = n * (j + 1) // k
        total = 0
        for i in range(lo, hi):
            total += sizes[idx[i]]
        counts[j] = total
        first = rows[idx[lo]]
        if hi - lo == 1:
            for c in range(m):
                out[j, c] = first[c]
            continue
        _pairwise_rows(rows, idx, lo + 1, hi - lo - 1, rest, acc)
        for c in range(m):
            out[j, c] = first[c] + rest[c]


def _segment_rows(src, idx, starts, sizes, at, dest):
    """``dest[at[w]]`` = ``np.add.reduceat(src[idx], starts[sizes > 0], axis=0)``'s row
    for each word ``w`` with ``sizes[w] > 0`` n-grams (``src[idx[starts[w]:starts[w] +
    sizes[w]]]``): its first row plus the pairwise sum of the rest, column by column."""
    m = src.shape[1]
    rest = np.empty(m)
    acc = np.empty((8, m))
    for w in range(at.shape[0]):
        n = sizes[w]
        if n == 0:
            continue
        lo = starts[w]
        first = src[idx[lo]]
        row = at[w]
        if n == 1:
            for c in range(m):
                dest[row, c] = first[c]
            continue
        _pairwise_rows(src, idx, lo + 1, n - 1, rest, acc)
        for c in range(m):
            dest[row, c] = first[c] + rest[c]


def _leads(sums, total):
    """``language._leads`` of ``sums`` into ``total`` (the column sums, from 0.0 and row
    after row, as ``sums.sum(axis=0)`` adds a few rows): the leader (first of equals), its lead over the
    runner-up in total, and its smallest lead within one row."""
    k, m = sums.shape
    for c in range(m):
        total[c] = 0.0  # numpy starts there (a total of -0.0 is 0.0)
    for r in range(k):
        for c in range(m):
            total[c] += sums[r, c]
    best = 0
    for c in range(1, m):
        if total[c] > total[best]:
            best = c
    second = -np.inf
    for c in range(m):
        if c != best and total[c] > second:
            second = total[c]
    chunk_lead = np.inf
    for r in range(k):
        other = -np.inf
        for c in range(m):
            if c != best and sums[r, c] > other:
                other = sums[r, c]
        chunk_lead = min(chunk_lead, sums[r, best] - other)
    return best, total[best] - second, chunk_lead


if available:
    _pairwise_rows = compile_kernel(_pairwise_rows)
    _chunk_sums = compile_kernel(_chunk_sums)
    _segment_rows = compile_kernel(_segment_rows)
    _leads = compile_kernel(_leads)


def chunk_sums(rows, sizes, idx, k: int):
    """``(sums, counts)``: the ``k`` stretches' summed rows (a ``k`` x columns array) and
    their summed sizes (int64), as the numpy version computes them."""
    out = np.empty((k, rows.shape[1]))
    counts = np.empty(k, dtype=np.int64)
    _chunk_sums(rows, sizes, idx, k, out, counts)
    return out, counts


def segment_rows(src, idx, starts, sizes, at, dest) -> None:
    """Word rows into ``dest``: for each word ``w`` with n-grams, ``dest[at[w]]`` is the
    sum of the rows ``src[idx[starts[w]:starts[w] + sizes[w]]]``, added as
    ``np.add.reduceat`` adds them (``language._Model._fill``)."""
    _segment_rows(src, idx, starts, sizes, at, dest)


def leads(sums):
    """``(total, best, lead, chunk_lead)``: :func:`cleanarticle.language._leads` of the
    row sums ``sums`` with their column totals, the same floats."""
    total = np.empty(sums.shape[1])
    best, lead, chunk_lead = _leads(sums, total)
    return total, best, float(lead), float(chunk_lead)


_checked: bool | None = None


def usable() -> bool:
    """Compiled, and giving numpy's floats here (checked once a process on random rows:
    a numpy that added in another order would fail it, and the numpy version is used)."""
    global _checked
    if _checked is None:
        _checked = available and _agrees()
    return _checked


def _agrees() -> bool:
    rng = np.random.default_rng(0)
    rows = -rng.uniform(0.5, 30.0, size=(700, 55))
    sizes = rng.integers(0, 9, size=700)
    for n in (1, 2, 5, 9, 17, 130, 600, 611):
        idx = rng.integers(0, 700, size=n).astype(np.intp)
        k = min(4, n)
        bounds = [n * j // k for j in range(k)]
        sums, counts = chunk_sums(rows, sizes, idx, k)
        if not (np.array_equal(sums, np.add.reduceat(rows[idx], bounds, axis=0))
                and np.array_equal(counts, np.add.reduceat(sizes[idx], bounds))):
            return False
        total, best, lead, chunk_lead = leads(sums)
        if not (np.array_equal(total, sums.sum(axis=0)) and best == int(sums.sum(axis=0).argmax())):
            return False
    sizes = rng.integers(0, 140, size=60)  # words of 0 to 139 n-grams (pairwise blocks of 128)
    sizes[::7] = 0
    starts = np.cumsum(sizes) - sizes
    idx = rng.integers(0, 700, size=int(sizes.sum())).astype(np.intp)
    at = rng.permutation(100)[:60].astype(np.intp)
    dest = np.zeros((100, 55))
    segment_rows(rows, idx, starts, sizes, at, dest)
    filled = sizes > 0
    want = np.zeros((100, 55))
    want[at[filled]] = np.add.reduceat(rows[idx], starts[filled], axis=0)
    return bool(np.array_equal(dest, want))
