#!/usr/bin/env python3
"""CPU time of the boilerplate filter, two versions of the package side by side.

Usage: PYTHONPATH=. python benchmarks/time_boilerplate.py PATH/extraction-dev \\
           --before DIR_WITH_OLD_cleanarticle [--after .] [--scale 20] [--unique] [--rounds 1]
           [--filters default]

Each measurement runs in a fresh process (after one tiny warm-up document that
loads the models and data files) for the ``before`` and ``after`` package roots in
turn. Rows: the ``encoding, whitespace, boilerplate`` pipeline on the visible text
(html_text) of every extraction-dev page (ms per document), and on one document of
``--scale`` MB made of those texts one after another (as ``bench_boilerplate.py
--scale`` builds it; with ``--unique`` no line of it repeats). ``--filters default``
times the whole default pipeline instead. CPU time (``time.process_time``), since the
machine is shared.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

_CHILD = r'''
import gzip, json, sys, time
from pathlib import Path
import html_text
import cleanarticle
from cleanarticle import Pipeline
dev, mb, unique, names = Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
texts = [html_text.extract_text(gzip.decompress(p.read_bytes()).decode("utf-8", "replace"))
         for p in sorted((dev / "html").glob("*.html.gz"))]
pipe = Pipeline.default() if names == "default" else Pipeline.from_names(names.split(","))


def tag(n):
    s = ""
    while True:
        s = chr(97 + n % 26) + s
        n //= 26
        if not n:
            return "zq" + s
# load the models and data files first: one-off costs, not per-document work
pipe.run("The council approved the new budget on Monday after a long debate.\n\nShare this\n")
if mb:
    parts, size, n = [], 0, 0
    while size < mb * 1e6:
        t = texts[n % len(texts)]
        if unique and n >= len(texts):  # no line repeats: every line of a copy gets its own word
            t = "\n".join(ln + " " + tag(n) if ln.strip() else ln for ln in t.split("\n"))
        t += f"\n\nPart {n}.\n\n"
        parts.append(t)
        size += len(t.encode("utf-8"))
        n += 1
    texts = ["".join(parts)]
t0 = time.process_time()
for t in texts:
    r = pipe.run(t)
cpu = time.process_time() - t0
print(json.dumps({"package": cleanarticle.__file__, "docs": len(texts), "cpu": cpu, "mb": sum(len(t.encode()) for t in texts) / 1e6}))
'''


_FILTERS = "encoding,whitespace,boilerplate"


def run(root: str, dev: str, mb: float, unique: bool = False, filters: str = _FILTERS) -> dict:
    # cwd = the package root: "-c" puts the working directory first on sys.path
    root = str(Path(root).resolve())
    out = subprocess.run([sys.executable, "-c", _CHILD, str(Path(dev).resolve()), str(mb), "1" if unique else "0",
                          filters], capture_output=True,
                         text=True, cwd=root, env={"PYTHONPATH": root, "PATH": "/usr/bin:/bin"}, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dev")
    ap.add_argument("--before", required=True)
    ap.add_argument("--after", default=".")
    ap.add_argument("--scale", type=float, default=0.0, metavar="MB")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--unique", action="store_true",
                    help="in the --scale text, give every line of a repeated page its own extra word, so "
                         "no line repeats (the cost of distinct lines; a cycled text hits the line memo)")
    ap.add_argument("--filters", default=_FILTERS,
                    help=f"comma-separated filters, or 'default' for the whole default pipeline (default {_FILTERS})")
    args = ap.parse_args(argv)
    big = f"one {args.scale:g} MB text" + (", no line repeated" if args.unique else "")
    cases = [("extraction-dev visible texts", 0.0)] + ([(big, args.scale)] if args.scale else [])
    print(f"| {'input':<30} | {'before':>22} | {'after':>22} | speed-up |")
    print(f"|{'-' * 32}|{'-' * 24}|{'-' * 24}|----------|")
    for name, mb in cases:
        res = {"before": [], "after": []}
        for _ in range(args.rounds):
            for which in ("before", "after"):
                res[which].append(run(getattr(args, which), args.dev, mb, args.unique, args.filters))
        b = min(r["cpu"] for r in res["before"])
        a = min(r["cpu"] for r in res["after"])
        docs = res["before"][0]["docs"]
        assert res["before"][0]["package"] != res["after"][0]["package"], "both runs imported the same package"
        if mb:
            fb, fa = f"{b:.1f} s CPU", f"{a:.1f} s CPU"
        else:
            fb, fa = f"{1000 * b / docs:.1f} ms/doc CPU", f"{1000 * a / docs:.1f} ms/doc CPU"
        print(f"| {name:<30} | {fb:>22} | {fa:>22} | {b / a:7.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
