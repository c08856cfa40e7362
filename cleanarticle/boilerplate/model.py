"""Pure-Python inference for the shipped gradient-boosted trees (no numpy).

The weights file (JSON) holds, per stage, the feature names it was trained on, a
prior log-odds, a learning rate and the trees as flat arrays (feature, threshold,
left, right, value), as written by ``benchmarks/train_boilerplate.py``.
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


def _expr(tree: dict, node: int = 0) -> str:
    """One tree as a nested conditional expression over the features ``f<i>`` (= ``r[i]``).

    Only ints and floats from the weights file reach the source text (checked), so
    the generated code cannot be anything but comparisons and constants.
    """
    left = int(tree["left"][node])
    if left < 0:
        return repr(float(tree["value"][node]))
    feat = int(tree["feature"][node])
    thr = float(tree["threshold"][node])
    right = int(tree["right"][node])
    return f"({_expr(tree, left)} if f{feat} <= {thr!r} else {_expr(tree, right)})"


def _used(tree: dict) -> set[int]:
    return {int(f) for f, left in zip(tree["feature"], tree["left"]) if int(left) >= 0}


class Stage:
    """One boosted-tree stage: ``score(rows)`` gives probabilities in 0..1.

    The trees are compiled once into a single Python function (a sum of nested
    conditional expressions over the row's features read into locals): scoring a line
    costs a few comparisons per tree.
    """

    def __init__(self, spec: dict, expected_names: Sequence[str]) -> None:
        names = list(spec["features"])
        if names != list(expected_names):
            raise ValueError("model features do not match this version's features; retrain the model")
        self.prior = float(spec["prior"])
        self.rate = float(spec["learning_rate"])
        body = " + ".join(_expr(t) for t in spec["trees"]) or "0.0"
        # the features the trees test, read into locals once per row (cheaper than
        # indexing the row at every comparison)
        used = sorted(set().union(*map(_used, spec["trees"])))
        reads = "".join(f"    f{i} = r[{i}]\n" for i in used)
        src = f"def _raw(r):\n{reads}    return {self.prior!r} + {self.rate!r} * ({body})\n"
        ns: dict = {}
        exec(compile(src, "<boilerplate-model>", "exec"), {"__builtins__": {}}, ns)  # noqa: S102
        self.raw = ns["_raw"]

    def score(self, rows: Sequence[Sequence[float]]) -> list[float]:
        raw = self.raw
        exp = math.exp
        return [1.0 / (1.0 + exp(-z)) if z > -500 else 0.0 for z in map(raw, rows)]


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
