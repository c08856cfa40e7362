"""Benchmark the ``typos`` filter on the ground-truth article bodies of extraction-dev.

Usage::

    python benchmarks/bench_typos.py PATH [--write-fixture] [--repeat N]

PATH is the extraction-dev folder (it holds ``ground-truth.json``). Every body
is cleaned with the default pipeline; the script prints how many changes the
typos filter made, by rule, each change (page key, rule, before, after,
context), and the filter's share of the pipeline's CPU time on the same texts
(target: under 10%), with the language detection the pipeline runs for it
shown apart, and the same share on the visible text of each whole page (needs the
``bench`` extra's html-text). With ``--write-fixture`` the changes are also written to
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

from cleanarticle import language  # noqa: E402
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


class Clock:
    """CPU time of this process: steadier than wall time on a shared machine."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def wrap(self, fn):
        def run(*args, **kwargs):
            t0 = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.process_time() - t0
        return run


def time_steps(f, clock: Clock) -> None:
    """Charge the filter's own steps (not the language detection before them) to ``clock``."""
    steps = f.steps

    def timed_steps():
        return [clock.wrap(lambda text, doc, _s=s: list(_s(text, doc))) for s in steps()]
    f.steps = timed_steps


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="typos filter on extraction-dev ground truth")
    ap.add_argument("path", type=Path, help="extraction-dev folder (with ground-truth.json)")
    ap.add_argument("--write-fixture", action="store_true", help=f"write {FIXTURE.relative_to(ROOT)}")
    ap.add_argument("--repeat", type=int, default=3, help="timing runs (best is kept)")
    args = ap.parse_args(argv)
    truth = json.loads((args.path / "ground-truth.json").read_text(encoding="utf-8"))
    bodies = {k: v.get("articleBody") or "" for k, v in sorted(truth.items())}

    t0 = time.process_time()
    pipe = Pipeline.default()
    setup = time.process_time() - t0
    pipe.run("Warm up the language detector with an English sentence or two, please.")
    own, detection = Clock(), Clock()
    time_steps(next(f for f in pipe.filters if f.name == "typos"), own)
    language.detect = detection.wrap(language.detect)

    best_total = best_own = best_detect = float("inf")
    rows: list[tuple[str, ...]] = []
    langs: Counter[str] = Counter()
    for n in range(max(1, args.repeat)):
        total = 0.0
        own.seconds = detection.seconds = 0.0
        for key, body in bodies.items():
            t0 = time.process_time()
            res = pipe.run(body)
            total += time.process_time() - t0
            if n == 0:
                rows.extend(rows_for(key, res))
                langs[res.metadata.get("language", "?")] += 1
        if total < best_total:
            best_total, best_own, best_detect = total, own.seconds, detection.seconds

    rules = Counter(r[1] for r in rows)
    words = sum(len(b.split()) for b in bodies.values())
    print(f"pages: {len(bodies)}  words: {words}  languages: {dict(sorted(langs.items()))}")
    print(f"filters: {', '.join(pipe.names)}  (setup incl. typo tables: {setup * 1000:.0f} ms CPU, once)")
    print(f"changes by typos: {len(rows)}  " + "  ".join(f"{k}={v}" for k, v in sorted(rules.items())))
    for r in rows:
        print("  " + " | ".join(_cell(x) for x in r))
    runs = max(1, args.repeat)
    rest = best_total - best_detect
    print(f"CPU time (best of {runs} runs): default pipeline {best_total * 1000:.1f} ms; "
          f"typos filter {best_own * 1000:.1f} ms = {best_own / best_total:.1%} of it (target < 10%)")
    print(f"  language detection {best_detect * 1000:.1f} ms (run once a document for the first "
          f"language-scoped filter); without it typos is {best_own / rest:.1%} of the other {rest * 1000:.1f} ms")
    # the same on whole pages (the visible text of each page: the product's usual input)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import devdata

    pages = [devdata.visible_text(p["html"]) for p in devdata.load_pages(args.path)]
    best_page = best_page_own = float("inf")
    for _ in range(runs):
        total = 0.0
        own.seconds = 0.0
        for text in pages:
            t0 = time.process_time()
            pipe.run(text)
            total += time.process_time() - t0
        if total < best_page:
            best_page, best_page_own = total, own.seconds
    print(f"  on the visible text of the same pages (whole pages): default pipeline {best_page * 1000:.1f} ms; "
          f"typos filter {best_page_own * 1000:.1f} ms = {best_page_own / best_page:.1%} of it")
    if args.write_fixture:
        FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        FIXTURE.write_text(format_tsv(rows), encoding="utf-8")
        print(f"wrote {FIXTURE.relative_to(ROOT)} ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
