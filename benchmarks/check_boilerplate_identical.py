#!/usr/bin/env python3
"""Check that the boilerplate filter's output has not changed (for speed work).

Usage:
  PYTHONPATH=. python benchmarks/check_boilerplate_identical.py PATH/extraction-dev --save REF_DIR
  PYTHONPATH=. python benchmarks/check_boilerplate_identical.py PATH/extraction-dev --check REF_DIR

Runs ``encoding, whitespace, boilerplate`` on every ground-truth article body, the
visible text (html_text) of every page, the seeds and one ~1 MB concatenation of the
visible texts; stores (``--save``) or compares (``--check``) the text, the change log
(JSONL) and the metadata (keys in insertion order) of each, byte for byte. Prints CPU seconds per group.
``--filters default`` checks the whole default pipeline instead.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

from cleanarticle import Pipeline, changes_to_jsonl

ROOT = Path(__file__).resolve().parent.parent


def inputs(dev: Path) -> list[tuple[str, str, str]]:
    """``(group, name, text)`` for every input, in a fixed order."""
    import html_text

    out = []
    truth = json.loads((dev / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        out.append(("truth", key, truth[key].get("articleBody", "") or ""))
    visible = []
    for p in sorted((dev / "html").glob("*.html.gz")):
        html = gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
        t = html_text.extract_text(html)
        visible.append(t)
        out.append(("visible", p.name[: -len(".html.gz")], t))
    for p in sorted((ROOT / "seeds").glob("*.txt")):
        out.append(("seed", p.stem, p.read_text(encoding="utf-8")))
    parts, size, n = [], 0, 0
    while size < 1e6:
        t = visible[n % len(visible)] + f"\n\nPart {n}.\n\n"
        parts.append(t)
        size += len(t)
        n += 1
    out.append(("concat", "concat-1mb", "".join(parts)))
    return out


def result(pipe: Pipeline, text: str) -> str:
    r = pipe.run(text)
    meta = {k: v for k, v in r.metadata.items() if k != "timings"}
    return (r.text + "\n=====CHANGES=====\n" + changes_to_jsonl(r.changes)
            + "\n=====META=====\n" + json.dumps(meta, ensure_ascii=False, default=str) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dev")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--save", metavar="DIR")
    g.add_argument("--check", metavar="DIR")
    ap.add_argument("--filters", default="encoding,whitespace,boilerplate",
                    help="comma-separated filters, or 'default' for the default pipeline "
                         "(default: encoding,whitespace,boilerplate)")
    args = ap.parse_args(argv)
    pipe = Pipeline.default() if args.filters == "default" else Pipeline.from_names(args.filters.split(","))
    ref = Path(args.save or args.check)
    ref.mkdir(parents=True, exist_ok=True)
    bad = 0
    cpu: dict[str, float] = {}
    count: dict[str, int] = {}
    items = inputs(Path(args.dev))
    for group, name, text in items:
        t0 = time.process_time()
        out = result(pipe, text)
        cpu[group] = cpu.get(group, 0.0) + time.process_time() - t0
        count[group] = count.get(group, 0) + 1
        path = ref / f"{group}__{name}.txt"
        if args.save:
            path.write_text(out, encoding="utf-8")
        elif path.read_text(encoding="utf-8") != out:
            bad += 1
            print(f"DIFFERENT: {group} {name}")
    for group in cpu:
        print(f"{group}: {count[group]} docs, {cpu[group]:.2f} s CPU, {1000 * cpu[group] / count[group]:.1f} ms/doc")
    if args.check:
        print(f"{len(items) - bad}/{len(items)} identical" + ("" if bad else " (all)"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
