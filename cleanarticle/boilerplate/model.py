"""Inference for the shipped gradient-boosted trees, vectorised with numpy.

The weights file (JSON) holds, per stage, the feature names it was trained on, a
prior log-odds, a learning rate and the trees as flat arrays (feature, threshold,
left, right, value), as written by ``benchmarks/train_boilerplate.py``.
"""

from __future__ import annotations

import json
import math
import operator
from functools import lru_cache, reduce
from pathlib import Path
from typing import Sequence

from .data import DATA_DIR

__all__ = ["Stage", "Model", "load_model", "DEFAULT_MODEL"]

DEFAULT_MODEL = DATA_DIR / "model.json"


class Stage:
    """One boosted-tree stage: ``score(rows)`` gives probabilities in 0..1.

    Every split of every tree is tested on all rows at once (one column gather and one
    comparison); a tree's answers to its own splits, read as bits, index a table of
    the leaf each combination of answers reaches (built once by walking the tree), so
    a row's leaf values come from one lookup. The leaf values are added tree after
    tree, in order, and the sigmoid uses :func:`math.exp`, so a score
    is the same float as a plain walk of each tree summed left to right.
    """

    _MAX_SPLITS = 8  # splits per tree (depth 3 has 7): one byte of answers
    _CHUNK = 512  # rows scored together
    _FEW_ROWS = 96  # up to this many rows, the row-major layout of margins_columns is faster

    def __init__(self, spec: dict, expected_names: Sequence[str]) -> None:
        import numpy as np

        names = list(spec["features"])
        if names != list(expected_names):
            raise ValueError("model features do not match this version's features; retrain the model")
        self.prior = float(spec["prior"])
        self.rate = float(spec["learning_rate"])
        trees = spec["trees"]
        width = self._MAX_SPLITS
        n = max(len(trees), 1)
        feature = np.zeros((n, width), dtype=np.intp)
        threshold = np.full((n, width), np.inf)  # unused slots always answer "yes"
        table = np.zeros((n, 1 << width))
        for t, tree in enumerate(trees):
            splits = [k for k, left in enumerate(tree["left"]) if int(left) >= 0]
            if len(splits) > width:
                raise ValueError(f"boilerplate model: a tree has {len(splits)} splits (at most {width})")
            slot = {node: j for j, node in enumerate(splits)}
            for node, j in slot.items():
                feature[t, j] = int(tree["feature"][node])
                threshold[t, j] = float(tree["threshold"][node])
            for code in range(1 << width):
                node = 0
                while int(tree["left"][node]) >= 0:
                    left = code >> slot[node] & 1
                    node = int(tree["left"][node] if left else tree["right"][node])
                table[t, code] = float(tree["value"][node])
        self.n_trees = len(trees)
        self._columns = feature.ravel()
        self._thresholds = threshold.ravel()
        self._flat_table = table.ravel()
        self._offsets = (np.arange(n, dtype=np.intp) << width)[:, None]
        self._bits = (1 << np.arange(width, dtype=np.uint8))[None, :, None]
        self._np = np

    def margins(self, rows) -> list[float]:
        """Raw log-odds of each row (``rows``: an (n x features) array or nested lists)."""
        np = self._np
        x = np.asarray(rows, dtype=np.float64)
        if x.ndim != 2 or not len(x) or not self.n_trees:
            return [self.prior] * len(x)
        return self.margins_columns(np.ascontiguousarray(x.T))

    def margins_columns(self, columns) -> list[float]:
        """:meth:`margins` of the rows of an (features x n) array (one row per feature)."""
        np = self._np
        n = columns.shape[1]
        if not n or not self.n_trees:
            return [self.prior] * n
        if n > self._CHUNK:  # keep the (splits x rows) arrays in cache
            out: list[float] = []
            for a in range(0, n, self._CHUNK):
                out += self.margins_columns(np.ascontiguousarray(columns[:, a:a + self._CHUNK]))
            return out
        if n <= self._FEW_ROWS:
            # few rows (a short document): answers laid out row by row, so each tree's eight
            # answers are eight neighbouring bytes that np.packbits reads as its code; fewer,
            # cheaper numpy calls than the layout below, which wins on many rows
            answers = columns.T.take(self._columns, axis=1) <= self._thresholds  # (n, splits)
            codes = np.ascontiguousarray(np.packbits(answers, axis=1, bitorder="little").T)
        else:
            answers = columns[self._columns] <= self._thresholds[:, None]  # (splits, n)
            codes = (answers.view(np.uint8).reshape(-1, self._MAX_SPLITS, n) * self._bits).sum(axis=1, dtype=np.uint8)
        values = self._flat_table[codes + self._offsets]  # (trees, n), C-contiguous
        if n > 1:
            # reducing the first axis of a C-contiguous 2-D array adds whole rows one
            # after another (the pairwise summation numpy uses along the contiguous axis
            # does not apply): tree after tree, in order, for every row at once
            total = np.add.reduce(values, axis=0)
        else:  # one row: the axes merge into one contiguous run, which would sum pairwise;
            # add the trees' values one after another in Python floats (the same IEEE sums)
            return [self.prior + self.rate * reduce(operator.add, values[:, 0].tolist())]
        return (self.prior + self.rate * total).tolist()

    def raw(self, row: Sequence[float]) -> float:
        """Raw log-odds of one row."""
        return self.margins([row])[0]

    def score(self, rows) -> list[float]:
        exp = math.exp
        return [1.0 / (1.0 + exp(-z)) if z > -500 else 0.0 for z in self.margins(rows)]


class Model:
    """Both stages plus the decision threshold chosen by cross-validation."""

    def __init__(self, spec: dict) -> None:
        from .features import STAGE1_NAMES, STAGE2_NAMES

        self.stage1 = Stage(spec["stage1"], STAGE1_NAMES)
        self.stage2 = Stage(spec["stage2"], STAGE2_NAMES)
        self.threshold = float(spec.get("threshold", 0.5))
        self.info = dict(spec.get("info", {}))


@lru_cache(maxsize=8)
def load_model(path: str | None = None) -> Model:
    """Load (once per path) the model shipped in ``data/boilerplate/model.json`` or ``path``."""
    p = Path(path) if path else DEFAULT_MODEL
    try:
        spec = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"boilerplate model not found: {p}") from None
    return Model(spec)
