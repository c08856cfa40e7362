"""Benchmark the ``transliteration`` filter: its cost against the whole default pipeline.

Usage::

    python benchmarks/bench_translit.py PATH [--big-mb N] [--repeat R]

PATH is a directory of ``*.txt`` files (searched recursively) or a dataset with a
``ground-truth.json`` (``{key: {"articleBody": ...}}``, as extraction-dev). Every text
is cleaned by the default pipeline; the filter's share comes from the pipeline's own
per-filter timings on the same runs. A synthetic large document (the texts
concatenated up to ``--big-mb`` MB) checks that the cost stays linear.

Target: the filter costs < 10% of the default pipeline's time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleanarticle.pipeline import Pipeline  # noqa: E402


def load_texts(path: Path) -> list[str]:
    gt = path / "ground-truth.json"
    if gt.is_file():
        data = json.loads(gt.read_text(encoding="utf-8"))
        return [v["articleBody"] for _, v in sorted(data.items()) if v.get("articleBody")]
    files = sorted(path.rglob("*.txt")) if path.is_dir() else [path]
    return [f.read_text(encoding="utf-8", errors="replace") for f in files]


def run(pipe: Pipeline, texts: list[str], repeat: int):
    total = filt = 0.0
    rules: Counter[str] = Counter()
    flags = changed = 0
    for _ in range(repeat):
        rules.clear()
        flags = changed = 0
        for t in texts:
            t0 = time.perf_counter()
            r = pipe.run(t)
            total += time.perf_counter() - t0
            filt += r.timings.get("transliteration", 0.0)
            mine = [c for c in r.changes if c.filter == "transliteration"]
            rules.update(c.rule for c in mine)
            changed += bool(mine)
            flags += len(r.metadata.get("translit_flags", []))
    return total / repeat, filt / repeat, rules, flags, changed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--big-mb", type=float, default=5.0, help="size of the synthetic large document (0: skip)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    texts = load_texts(args.path)
    if not texts:
        print(f"no texts under {args.path}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    pipe = Pipeline.default()
    setup = time.perf_counter() - t0
    pipe.run("Warm-up: Kiev and Kharkov, a text long enough for language detection to run once. " * 4)

    size = sum(len(t) for t in texts)
    repeat = max(args.repeat, min(20, int(2e5 // size)))  # small corpora: more runs, steadier figures
    total, filt, rules, flags, changed = run(pipe, texts, repeat)
    print(f"pipeline: {', '.join(pipe.names)}")
    print(f"filter set-up (gazetteers + regex compile, once per run): {setup * 1000:.0f} ms")
    print(f"corpus: {len(texts)} texts, {size / 1e6:.2f} M chars, {repeat} runs")
    print(f"default pipeline: {total:.3f} s/run   transliteration: {filt:.3f} s/run   "
          f"share: {100 * filt / total:.1f}%  (target < 10%)")
    print(f"texts changed: {changed}/{len(texts)}   flags: {flags}   edits by rule: "
          + (", ".join(f"{k}={v}" for k, v in sorted(rules.items())) or "none"))

    if args.big_mb > 0:
        joined = "\n\n".join(texts)
        big = (joined * (int(args.big_mb * 1e6 / max(1, len(joined))) + 1))[: int(args.big_mb * 1e6)]
        total, filt, rules, flags, changed = run(pipe, [big], 1)
        print(f"large document: {len(big) / 1e6:.1f} M chars   default pipeline: {total:.2f} s   "
              f"transliteration: {filt:.2f} s   share: {100 * filt / total:.1f}%   "
              f"edits: {sum(rules.values())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
