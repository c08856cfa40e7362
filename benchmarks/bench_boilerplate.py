#!/usr/bin/env python3
"""Text-mode boilerplate benchmark on extraction-dev, side by side with the baselines.

Usage: PYTHONPATH=. python benchmarks/bench_boilerplate.py PATH/extraction-dev [--no-justext]

Rows: the uncleaned visible text (html_text.extract_text), jusText 3 on the HTML
(English stoplist, as the published benchmark runs it), and cleanarticle's default
pipeline on the visible text (text mode: no HTML). Metric: see ``devdata.py``.
The shipped model was trained on these same pages, so its row is an in-sample
figure; the held-out (cross-validated by page) score written by the training
script is printed below the table.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import devdata  # noqa: E402

from cleanarticle import Pipeline  # noqa: E402
from cleanarticle.boilerplate.model import load_model  # noqa: E402


def justext_text(html: str) -> str:
    import justext

    paras = justext.justext(html, justext.get_stoplist("English"))
    return " ".join(p.text for p in paras if not p.is_boilerplate)


def scale(texts: list[str], mb: float) -> None:
    """Time the default pipeline on one big document built from the dev texts."""
    parts, size, n = [], 0, 0
    while size < mb * 1e6:
        t = texts[n % len(texts)] + f"\n\nPart {n}.\n\n"
        parts.append(t)
        size += len(t.encode("utf-8"))
        n += 1
    big = "".join(parts)
    t0 = time.perf_counter()
    res = Pipeline.default().run(big)
    secs = time.perf_counter() - t0
    print(f"one document of {len(big.encode('utf-8')) / 1e6:.1f} MB ({big.count(chr(10))} lines): "
          f"{secs:.1f} s, {len(res.changes)} changes; per filter: "
          + ", ".join(f"{k} {v:.1f} s" for k, v in res.timings.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path")
    ap.add_argument("--no-justext", action="store_true")
    ap.add_argument("--scale", type=float, default=0.0, metavar="MB",
                    help="also time one document of this many MB (the dev texts one after another)")
    args = ap.parse_args(argv)
    pages = devdata.load_pages(args.path)
    texts = [devdata.visible_text(p["html"]) for p in pages]
    if args.scale:
        scale(texts, args.scale)
        return 0
    rows = [("visible text, no cleaning", devdata.score(devdata.page_counts(p["truth"], t)
                                                         for p, t in zip(pages, texts)), None)]
    if not args.no_justext:
        t0 = time.perf_counter()
        counts = [devdata.page_counts(p["truth"], justext_text(p["html"])) for p in pages]
        rows.append(("jusText on the HTML", devdata.score(counts), time.perf_counter() - t0))
    pipe = Pipeline.default()
    t0 = time.perf_counter()
    counts = []
    flagged = 0
    for p, t in zip(pages, texts):
        r = pipe.run(t)
        flagged += "over-removal" in r.metadata.get("flags", [])
        counts.append(devdata.page_counts(p["truth"], r.text))
    rows.append((f"cleanarticle text mode ({'+'.join(pipe.names)})", devdata.score(counts),
                 time.perf_counter() - t0))
    print(f"extraction-dev: {len(pages)} pages")
    print(f"| {'input / system':<58} | F1    | precision | recall | seconds |")
    print(f"|{'-' * 60}|-------|-----------|--------|---------|")
    for name, s, secs in rows:
        sec = f"{secs:7.1f}" if secs is not None else "      -"
        print(f"| {name:<58} | {s['f1']:.3f} | {s['precision']:.3f}     | {s['recall']:.3f}  | {sec} |")
    print(f"pages flagged over-removal: {flagged}")
    cv = load_model().info.get("cv")
    if cv:
        print("classifier held-out score (5-fold by page, from train_boilerplate.py): "
              f"F1 {cv['f1']:.3f}  precision {cv['precision']:.3f}  recall {cv['recall']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
