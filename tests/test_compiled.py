"""The compiled boilerplate scoring (numba, optional) gives the numpy version's floats."""

from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("numba")

import numpy as np  # noqa: E402

import cleanarticle.boilerplate.features as F  # noqa: E402
from cleanarticle.boilerplate import compiled as C  # noqa: E402
from cleanarticle.boilerplate.model import load_model  # noqa: E402
from cleanarticle.boilerplate.segment import split_lines  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not C.available, reason="compiled scoring turned off (CLEANARTICLE_JIT=0)")


def _both(text: str, lang: str = "en"):
    lines = split_lines(text)
    infos = F.describe(lines, lang)
    model = load_model()
    return C.scores(model, infos, lines), F.scores_numpy(model, infos, lines)


def test_seeds_and_made_up_pages_score_the_same():
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "data").rglob("*.txt"))][:60]
    assert len(texts) > 5
    for text in texts:
        got, want = _both(text)
        assert got == want


def _page(rng: random.Random) -> str:
    """A made-up page: blocks of 1 to 300 lines (numpy's pairwise sums of the block means
    change below 8 lines and past 128), prose, menus, repeated lines, empty ones."""
    words = ("the council said on Monday that a new school would open in the spring and "
             "Share Facebook Home News Sport Weather Cookies Accept Newsletter 2024 By Staff").split()
    blocks = []
    for _ in range(rng.randint(1, 12)):
        size = rng.choice([1, 2, 7, 8, 9, 15, 16, 17, 127, 128, 129, 130, 300])
        block = []
        for _ in range(size):
            kind = rng.random()
            if kind < 0.1:
                block.append("Share this article")  # repeated: duplicates
            elif kind < 0.5:
                block.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 4))))
            else:
                block.append(" ".join(rng.choice(words) for _ in range(rng.randint(8, 60))) + ".")
        blocks.append("\n".join(block))
    return "\n\n".join(blocks) + "\n"


def test_random_pages_score_the_same():
    rng = random.Random(13)
    for _ in range(25):
        got, want = _both(_page(rng))
        assert got == want


@pytest.mark.parametrize("text", ["x\n", "One line of prose that says something, and ends.\n",
                                  "Home\nNews\nSport\n", "A\n\nB\n\nC\n", "Share this\n" * 40])
def test_tiny_and_degenerate_texts(text):
    got, want = _both(text)
    assert got == want


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_a_text_read_in_chunks_scores_the_same(monkeypatch, chunk):
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    want = _both(text)[1]
    monkeypatch.setattr(F, "_CHUNK_ROWS", chunk)
    assert _both(text)[0] == want


def test_pairwise_block_sums_are_numpys():
    """``np.add.reduceat`` sums a segment pairwise (its first value, then blocks of eight
    running sums); the compiled block means add in exactly that order."""
    rng = np.random.default_rng(3)
    for n in list(range(1, 40)) + [127, 128, 129, 130, 255, 256, 257, 300, 1000, 1031]:
        a = rng.random(n + 5) * 10.0 ** rng.integers(-3, 4, n + 5)
        starts = [0, 2, 2 + n] if n else [0]
        want = np.add.reduceat(a, starts)
        assert C._segment_sum(a, 2, 2 + n) == want[1], n


def test_sigmoid_is_pythons():
    rng = random.Random(9)
    for z in [rng.uniform(-700, 700) for _ in range(2000)] + [-500.0, -499.999, 0.0, -0.0, 36.7, 745.2]:
        assert C._sigmoid(z) == (1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0)


def test_the_filter_gives_the_same_output_either_way():
    """The whole pipeline with CLEANARTICLE_JIT=0 (numpy) and without (compiled): the same
    text, change log and metadata on every seed."""
    code = ("import json, sys\nfrom pathlib import Path\nfrom cleanarticle import Pipeline\n"
            "from cleanarticle.boilerplate import compiled\n"
            "p = Pipeline.default()\nout = [compiled.available]\n"
            "for f in sorted(Path(sys.argv[1]).glob('*.txt')):\n"
            "    r = p.run(f.read_text(encoding='utf-8'))\n"
            "    out.append([r.text, [c.to_dict() for c in r.changes], r.metadata])\n"
            "print(json.dumps(out, sort_keys=True, default=str))\n")
    runs = {}
    for jit in ("0", "1"):
        env = dict(os.environ, CLEANARTICLE_JIT=jit)
        proc = subprocess.run([sys.executable, "-c", code, str(ROOT / "seeds")], capture_output=True,
                              text=True, env=env, cwd=ROOT, timeout=600)
        assert proc.returncode == 0, proc.stderr[-2000:]
        runs[jit] = json.loads(proc.stdout)
    assert runs["0"][0] is False and runs["1"][0] is True
    assert runs["0"][1:] == runs["1"][1:]
