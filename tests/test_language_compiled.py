"""The compiled gather-and-sum of language detection (numba, optional) gives numpy's floats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("numba")

import numpy as np  # noqa: E402

from cleanarticle import language as L  # noqa: E402
from cleanarticle import language_compiled as LC  # noqa: E402

HERE = Path(__file__).resolve().parent

pytestmark = pytest.mark.skipif(not LC.available, reason="compiled kernels turned off (CLEANARTICLE_JIT=0)")


@st.composite
def gathers(draw):
    n_rows = draw(st.integers(1, 60))
    rows = np.array(draw(st.lists(st.floats(-40.0, 0.0, allow_nan=False, allow_subnormal=False),
                                  min_size=n_rows * 55, max_size=n_rows * 55))).reshape(n_rows, 55)
    sizes = np.array(draw(st.lists(st.integers(0, 30), min_size=n_rows, max_size=n_rows)), dtype=np.int64)
    n = draw(st.one_of(st.integers(1, 40), st.integers(120, 700)))
    idx = np.array(draw(st.lists(st.integers(0, n_rows - 1), min_size=n, max_size=n)), dtype=np.intp)
    return rows, sizes, idx, draw(st.integers(1, 6))


@settings(max_examples=200, deadline=None)
@given(gathers())
def test_chunk_sums_are_numpys_reduceat_bit_for_bit(case):
    rows, sizes, idx, chunks = case
    k = min(chunks, len(idx))
    bounds = [len(idx) * j // k for j in range(k)]
    sums, counts = LC.chunk_sums(rows, sizes, idx, k)
    assert sums.tobytes() == np.add.reduceat(rows[idx], bounds, axis=0).tobytes()
    assert counts.tolist() == np.add.reduceat(sizes[idx], bounds).tolist()


def test_the_check_finds_a_kernel_that_adds_in_another_order(monkeypatch):
    """:func:`usable` compares with numpy: a kernel adding left to right fails it."""

    def left_to_right(rows, sizes, idx, k):
        n = len(idx)
        out = np.array([rows[idx[n * j // k:n * (j + 1) // k]].cumsum(axis=0)[-1] for j in range(k)])
        return out, np.array([sizes[idx[n * j // k:n * (j + 1) // k]].sum() for j in range(k)])

    monkeypatch.setattr(LC, "chunk_sums", left_to_right)
    assert not LC._agrees()


def test_detection_is_the_same_with_and_without_the_kernel(monkeypatch):
    paras = [c["text"] for c in json.loads((HERE / "data/language/paragraphs.json").read_text("utf-8"))]
    texts = paras + [a + "\n\n" + b for a in paras[:12] for b in paras[:12] if a is not b]
    texts += [p.read_text(encoding="utf-8") for p in sorted((HERE.parent / "seeds").glob("*.txt"))]
    model = L._get_model()
    assert model.compiled is not None
    fast = [(L.detect(t), L.margin(t)) for t in texts]
    monkeypatch.setattr(model, "compiled", None)
    assert [(L.detect(t), L.margin(t)) for t in texts] == fast


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4), st.lists(st.floats(-3000.0, 0.0, allow_nan=False), min_size=4 * 55, max_size=4 * 55))
def test_leads_are_the_numpy_leads(k, values):
    sums = np.array(values[:k * 55]).reshape(k, 55)
    sums[:, 7] = sums[:, 3]  # a tie somewhere: the first of equals leads
    model = L._get_model()
    total, best, lead, chunk_lead = LC.leads(sums)
    numpy_model = type("M", (), {"compiled": None, "np": np})()
    assert (best, lead, chunk_lead) == L._leads(numpy_model, sums)
    assert total.tobytes() == sums.sum(axis=0).tobytes()
    assert model.compiled_leads is LC.leads


@settings(max_examples=200, deadline=None)
@given(gathers(), st.lists(st.integers(0, 140), min_size=1, max_size=12))
def test_word_rows_are_numpys_reduceat_bit_for_bit(case, sizes):
    """Each word's row: the sum of its n-grams' rows as ``np.add.reduceat`` adds them
    (words without n-grams are left alone), up to and past numpy's pairwise block."""
    rows, _, _, _ = case
    sizes = np.array(sizes, dtype=np.int64)
    rng = np.random.default_rng(len(sizes))
    idx = rng.integers(0, len(rows), size=int(sizes.sum())).astype(np.intp)
    starts = np.cumsum(sizes) - sizes
    at = rng.permutation(len(sizes) + 3)[:len(sizes)].astype(np.intp)
    got = np.full((len(sizes) + 3, 55), 7.0)
    LC.segment_rows(rows, idx, starts, sizes, at, got)
    want = np.full((len(sizes) + 3, 55), 7.0)
    filled = sizes > 0
    if filled.any():
        want[at[filled]] = np.add.reduceat(rows[idx], starts[filled], axis=0)
    assert got.tobytes() == want.tobytes()


def test_word_rows_are_the_same_with_and_without_the_kernel(monkeypatch):
    paras = [c["text"] for c in json.loads((HERE / "data/language/paragraphs.json").read_text("utf-8"))]
    model = L._get_model()
    words = list(dict.fromkeys(w for t in paras for w in model.word_keys(model.prepare(t))))
    model._reset_rows()
    ids = model._add_words(words)
    fast = model.rows[ids].copy()
    monkeypatch.setattr(model, "compiled", None)
    model._reset_rows()
    assert model._add_words(words) == ids
    assert model.rows[ids].tobytes() == fast.tobytes()
    model._reset_rows()
