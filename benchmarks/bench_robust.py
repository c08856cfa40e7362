"""Robustness benchmark: time and peak memory of the default pipeline on hostile inputs.

    python benchmarks/bench_robust.py [--mb 50] [--filters a,b] [PATH...]

Each case runs in a fresh subprocess (so peak memory is its own): generated inputs (a single
line of --mb megabytes, 200,000 tiny paragraphs, and 1 MB of each pathological family used by
the tests), plus any files given as PATH. Prints CPU seconds, MB/s, peak RSS and the ratio of
peak RSS to the input size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, resource, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
from cleanarticle import Pipeline, restore
kind, arg, filters = sys.argv[2], sys.argv[3], sys.argv[4]
if kind == "file":
    data = open(arg, "rb").read()
else:
    import test_robust_regex as rx, test_robust_slow as sl
    size = int(float(sys.argv[5]) * 1024 * 1024)
    makers = {"one-line": sl.one_line, "tiny-paragraphs": lambda n: sl.tiny_paragraphs(200_000)}
    makers.update(rx.FAMILIES)
    data = makers[arg](size)
pipe = Pipeline.default() if filters == "-" else Pipeline.from_names(filters.split(","))
pipe.run("warm up the filters and their data files.")
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.process_time()
r = pipe.run(data, metadata={"language": "en"})
cpu = time.process_time() - t0
ok = isinstance(data, bytes) or restore(r.text, r.changes) == data
size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"bytes": size, "cpu": cpu, "peak_kb": peak, "base_kb": base,
                  "changes": len(r.changes), "restored": ok}))
"""


def run_case(kind: str, arg: str, filters: str, mb: float) -> dict:
    p = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT), kind, arg, filters, str(mb)],
                       capture_output=True, text=True, timeout=1800)
    if p.returncode:
        return {"error": (p.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(p.stdout)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", help="extra input files to time")
    ap.add_argument("--mb", type=float, default=50, help="size of the single-line input (MB)")
    ap.add_argument("--family-mb", type=float, default=1, help="size of each pathological family (MB)")
    ap.add_argument("--filters", default="-", help="comma-separated filters (default pipeline)")
    args = ap.parse_args(argv)
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    import test_robust_regex as rx

    cases = [("gen", "one-line", args.mb), ("gen", "tiny-paragraphs", 0)]
    cases += [("gen", name, args.family_mb) for name in rx.FAMILIES]
    cases += [("file", p, 0) for p in args.paths]
    print(f"{'input':<22} {'MB':>7} {'CPU s':>7} {'MB/s':>7} {'changes':>8} {'peak MB':>8} {'x input':>7} restored")
    worst = 0.0
    for kind, arg, mb in cases:
        res = run_case(kind, arg, args.filters, mb)
        name = Path(arg).name if kind == "file" else arg
        if "error" in res:
            print(f"{name:<22} ERROR {res['error']}")
            continue
        size_mb = res["bytes"] / 1024 / 1024
        peak_mb = (res["peak_kb"] - res["base_kb"]) / 1024
        rate = size_mb / res["cpu"] if res["cpu"] else float("inf")
        worst = max(worst, res["cpu"])
        print(f"{name:<22} {size_mb:7.2f} {res['cpu']:7.2f} {rate:7.1f} {res['changes']:8d} "
              f"{peak_mb:8.1f} {peak_mb / max(size_mb, 1e-9):7.1f} {res['restored']}")
    print(f"slowest case: {worst:.2f} s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
