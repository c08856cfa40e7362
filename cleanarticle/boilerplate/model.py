"""Pure-Python inference for the shipped gradient-boosted trees (no numpy).

The weights file (JSON) holds, per stage, the feature names it was trained on, a
prior log-odds, a learning rate and the trees as flat arrays (feature, threshold,
left, right, value), as written by ``benchmarks/train_boilerplate.py``. Each
tree is compiled once into nested tuples so scoring a line is a few comparisons
per tree.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from .data import DATA_DIR

__all__ = ["Stage", "Model", "load_model", "DEFAULT_MODEL"]

DEFAULT_MODEL = DATA_DIR / "model.json"


def _compile(tree: dict, node: int = 0):
    """Nested ``(feature, threshold, left, right)`` tuples; a leaf is a float."""
    left = tree["left"][node]
    if left < 0:
        return float(tree["value"][node])
    return (tree["feature"][node], tree["threshold"][node],
            _compile(tree, left), _compile(tree, tree["right"][node]))


class Stage:
    """One boosted-tree stage: ``score(rows)`` gives probabilities in 0..1."""

    def __init__(self, spec: dict, expected_names: Sequence[str]) -> None:
        names = list(spec["features"])
        if names != list(expected_names):
            raise ValueError("model features do not match this version's features; retrain the model")
        self.prior = float(spec["prior"])
        self.rate = float(spec["learning_rate"])
        self.trees = tuple(_compile(t) for t in spec["trees"])

    def raw(self, row: Sequence[float]) -> float:
        total = 0.0
        for node in self.trees:
            while type(node) is tuple:
                node = node[2] if row[node[0]] <= node[1] else node[3]
            total += node
        return self.prior + self.rate * total

    def score(self, rows: Sequence[Sequence[float]]) -> list[float]:
        out = []
        for row in rows:
            z = self.raw(row)
            out.append(1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0)
        return out


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
