"""Benchmark the ``typos`` filter on the ground-truth article bodies of extraction-dev.

Usage::

    python benchmarks/bench_typos.py PATH [--write-fixture] [--repeat N]

PATH is the extraction-dev folder (it holds ``ground-truth.json``). Every body
is cleaned with the default pipeline; the script prints how many changes the
typos filter made, by rule, each change (page key, rule, before, after,
context), and the filter's share of the pipeline's time on the same texts
(target: under 10%). With ``--write-fixture`` the changes are also written to
``fixtures/typos-extraction-dev.tsv`` for review: each one must be a real typo.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleanarticle.pipeline import Pipeline  # noqa: E402

FIXTURE = ROOT / "fixtures" / "typos-extraction-dev.tsv"
HEADER = ("page", "rule", "before", "after", "context")
CONTEXT = 40


def _cell(s: str) -> str:
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def context(text: str, start: int, end: int, width: int = CONTEXT) -> str:
    """The output around a change, the change itself in [[...]]."""
    return f"{text[max(0, start - width):start]}[[{text[start:end]}]]{text[end:end + width]}"


def rows_for(key: str, result) -> list[tuple[str, ...]]:
    rows = []
    for c in result.changes:
        if c.filter != "typos":
            continue
        rows.append((key, c.rule, c.before, c.after, context(result.text, c.out_start, c.out_end)))
    return rows


def format_tsv(rows: list[tuple[str, ...]]) -> str:
    lines = ["\t".join(HEADER)]
    lines += ["\t".join(_cell(x) for x in row) for row in rows]
    return "\n".join(lines) + "\n"


class StepTimer:
    """Wraps a filter's steps to time its own work (not the language detection the
    pipeline does, and charges to, the first language-scoped filter it runs)."""

    def __init__(self, f) -> None:
        self.f = f
        self.steps = f.steps
        self.seconds = 0.0
        f.steps = self.wrapped

    def wrapped(self):
        def timed(step):
            def run(text, doc):
                t0 = time.perf_counter()
                out = list(step(text, doc))
                self.seconds += time.perf_counter() - t0
                return out
            return run
        return [timed(s) for s in self.steps()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="typos filter on extraction-dev ground truth")
    ap.add_argument("path", type=Path, help="extraction-dev folder (with ground-truth.json)")
    ap.add_argument("--write-fixture", action="store_true", help=f"write {FIXTURE.relative_to(ROOT)}")
    ap.add_argument("--repeat", type=int, default=3, help="timing runs (best is kept)")
    args = ap.parse_args(argv)
    truth = json.loads((args.path / "ground-truth.json").read_text(encoding="utf-8"))
    bodies = {k: v.get("articleBody") or "" for k, v in sorted(truth.items())}

    t0 = time.perf_counter()
    pipe = Pipeline.default()
    setup = time.perf_counter() - t0
    pipe.run("Warm up the language detector with an English sentence or two, please.")
    timer = StepTimer(next(f for f in pipe.filters if f.name == "typos"))

    best_total = best_typos = best_own = float("inf")
    rows: list[tuple[str, ...]] = []
    langs: Counter[str] = Counter()
    for n in range(max(1, args.repeat)):
        total = typos = 0.0
        timer.seconds = 0.0
        for key, body in bodies.items():
            t0 = time.perf_counter()
            res = pipe.run(body)
            total += time.perf_counter() - t0
            typos += res.timings.get("typos", 0.0)
            if n == 0:
                rows.extend(rows_for(key, res))
                langs[res.metadata.get("language", "?")] += 1
        best_total, best_typos = min(best_total, total), min(best_typos, typos)
        best_own = min(best_own, timer.seconds)

    rules = Counter(r[1] for r in rows)
    words = sum(len(b.split()) for b in bodies.values())
    print(f"pages: {len(bodies)}  words: {words}  languages: {dict(sorted(langs.items()))}")
    print(f"filters: {', '.join(pipe.names)}  (setup incl. typo tables: {setup * 1000:.0f} ms, once)")
    print(f"changes by typos: {len(rows)}  " + "  ".join(f"{k}={v}" for k, v in sorted(rules.items())))
    for r in rows:
        print("  " + " | ".join(_cell(x) for x in r))
    share = best_own / best_total if best_total else 0.0
    detect = max(0.0, best_typos - best_own)
    rest = best_total - detect
    print(f"time (best of {max(1, args.repeat)}): default pipeline {best_total * 1000:.1f} ms; "
          f"typos filter {best_own * 1000:.1f} ms = {share:.1%} of it (target < 10%)")
    print(f"  language detection run on the typos filter's behalf: {detect * 1000:.1f} ms "
          f"(paid once by whichever language-scoped filter runs first); "
          f"without it typos is {best_own / rest:.1%} of the remaining {rest * 1000:.1f} ms")
    if args.write_fixture:
        FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        FIXTURE.write_text(format_tsv(rows), encoding="utf-8")
        print(f"wrote {FIXTURE.relative_to(ROOT)} ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
