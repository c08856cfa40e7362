#!/usr/bin/env python3
"""Instructions a document of the default pipeline costs, counted by valgrind: an A/B
measure that the machine's load does not move.

Usage::

    python benchmarks/count_instructions.py [--rounds 3] ROOT [ROOT ...]

Each ROOT is a checkout of this repository (a ``git worktree`` of an older commit, and
``.``). For each, the seeds are cleaned ``--rounds`` times under ``valgrind --tool=callgrind``
after a warm-up (every filter's data loaded, each seed cleaned ``--warm`` times, 4 by default), and once more with
no round; the difference over the documents cleaned is the instructions a (warm) seed
document costs. Same process setup for every ROOT: ``PYTHONHASHSEED=0`` (string hashing
moves the count by a few per cent between processes otherwise) and ``CLEANARTICLE_JIT=0``
(numba's start-up under valgrind takes many minutes; the compiled kernels are left out,
the Python work around them is what this counts).

Wall-clock times on this shared machine swing by 20% within minutes, more than most
single changes save; instruction counts repeat to within a few thousandths. They are not
time (a cache miss costs more than an addition), so check a change with both. Needs
``valgrind`` (Debian: ``apt-get install valgrind``); about a minute per ROOT and round.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = r'''
import sys
from pathlib import Path
root, rounds = sys.argv[1], int(sys.argv[2])
sys.path.insert(0, root)
from cleanarticle import Pipeline
seeds = [p.read_text(encoding="utf-8") for p in sorted(Path(root, "seeds").glob("*.txt"))]
pipe = Pipeline.default()
pipe.warm()
for s in seeds * int(sys.argv[3]):
    pipe.run(s)
for _ in range(rounds):
    for s in seeds:
        pipe.run(s)
print(len(seeds))
'''

_COLLECTED = re.compile(r"Collected\s*:\s*([\d,]+)")


def count(root: Path, rounds: int, warm: int = 4) -> tuple[int, int]:
    """(instructions, seed documents) of one callgrind run of ``rounds`` rounds, after
    ``warm`` rounds not told apart from the setup."""
    env = dict(os.environ, PYTHONHASHSEED="0", CLEANARTICLE_JIT="0", OPENBLAS_NUM_THREADS="1",
               OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out",
                              sys.executable, "-c", _CHILD, str(root), str(rounds), str(warm)],
                             capture_output=True, text=True, env=env, cwd=tmp)
    m = _COLLECTED.search(out.stderr)
    if out.returncode != 0 or not m:
        raise SystemExit(f"count_instructions: valgrind run failed for {root}: "
                         f"{out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode}")
    return int(m.group(1).replace(",", "")), int(out.stdout.split()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("roots", nargs="+", type=Path, help="repository checkouts to compare")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the seeds counted (default 3)")
    ap.add_argument("--warm", type=int, default=4,
                    help="rounds of the seeds before counting (default 4: a text's lines are kept "
                         "for language detection the third time it is read, once)")
    args = ap.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("count_instructions: valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    first = None
    for root in args.roots:
        base, _ = count(root.resolve(), 0, args.warm)
        total, n = count(root.resolve(), args.rounds, args.warm)
        per_doc = (total - base) / (args.rounds * n)
        rel = "" if first is None else f"  ({100 * (per_doc / first - 1):+.1f}% against the first)"
        first = per_doc if first is None else first
        print(f"{root}: {per_doc / 1e6:.3f} M instructions a seed document{rel}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
