"""Speed of the whole default pipeline against the naive ftfy + langdetect composition.

Usage::

    PYTHONPATH=. python benchmarks/bench_speed.py /work/shared/bench/extraction-dev [--mb 5]

Documents: the seeds (``seeds/`` of this repository) repeated as separate
documents up to ``--mb`` megabytes, plus the ground-truth article texts of the
dataset at PATH. On exactly these documents, in one run, it measures:

1. throughput of the naive composition a user would write,
   ``ftfy.fix_text(t)`` + ``langdetect.detect(t)`` per document;
2. throughput of ``Pipeline.default()`` (whatever filters it has today),
   and a profile: share of the pipeline's time per filter (``Result.timings``);
   the same comparison on the distinct articles alone is measured first (no
   document or line repeats there, so no cache of ours helps);
   Both sides run on the same batches, interleaved, so that load from other
   processes on a shared machine hits both alike;
3. that the encoding filter's output equals ``ftfy.fix_text`` with the same
   config on every document and every test text;
4. language agreement with a full, seeded langdetect run on a mixed-language
   set (the paragraphs of ``tests/data/language``, every pair of them joined
   as one document, the dataset texts).

Timings are wall-clock on a shared machine: run it twice and trust the second.
With numba installed (the ``fast`` extra) the boilerplate scores and the language
detection's sums are compiled;
``CLEANARTICLE_JIT=0`` measures the numpy version (the same output).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load_documents(dataset: Path, megabytes: float) -> tuple[list[str], list[str]]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    truth = json.loads((dataset / "ground-truth.json").read_text(encoding="utf-8"))
    articles = [v["articleBody"] for _, v in sorted(truth.items())]
    docs: list[str] = []
    size = 0
    i = 0
    while size < megabytes * 1e6:
        d = seeds[i % len(seeds)]
        docs.append(d)
        size += len(d.encode("utf-8"))
        i += 1
    return docs, articles


def mb(docs: list[str]) -> float:
    return sum(len(d.encode("utf-8")) for d in docs) / 1e6


def reference_detector():
    from langdetect.detector_factory import DetectorFactory, PROFILES_DIRECTORY
    from langdetect.lang_detect_exception import LangDetectException

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)

    def detect(text: str) -> str:
        d = factory.create()
        d.append(text)
        try:
            return d.detect()
        except LangDetectException:
            return "und"

    return detect


def make_naive():
    import ftfy
    import langdetect
    from langdetect.lang_detect_exception import LangDetectException

    langdetect.DetectorFactory.seed = 0
    langdetect.detect("warm up the profiles before timing")
    ftfy.fix_text("warm up")

    def naive(d: str) -> None:
        ftfy.fix_text(d)
        try:
            langdetect.detect(d)
        except LangDetectException:
            pass

    return naive


def bench(docs: list[str], rounds: int = 10) -> tuple[float, float, dict[str, float]]:
    """Time both sides on the same documents, interleaved in ``rounds`` batches
    so that load from other processes hits both alike."""
    from cleanarticle import Pipeline

    naive = make_naive()
    pipe = Pipeline.default()
    # what a batch run does once before its first document (``Pipeline.warm``: language
    # profiles, every language's phrase families and stopwords), as the naive side loads
    # its profiles before timing; then one document through every filter
    pipe.warm()
    pipe.run("Warm up: load every filter's data and the language profiles before timing.")
    per_filter: dict[str, float] = defaultdict(float)
    t_naive = t_pipe = 0.0
    for k in range(rounds):
        batch = docs[k::rounds]
        t0 = time.perf_counter()
        for d in batch:
            naive(d)
        t1 = time.perf_counter()
        for d in batch:
            r = pipe.run(d)
            for name, t in r.timings.items():
                per_filter[name] += t
        t2 = time.perf_counter()
        t_naive += t1 - t0
        t_pipe += t2 - t1
    return t_naive, t_pipe, dict(per_filter)


def check_identity(docs: list[str]) -> tuple[int, int]:
    import ftfy

    from cleanarticle import clean
    from cleanarticle.filters.encoding import EncodingFilter

    cases = []
    for name in ("fix.json", "keep.json"):
        cases += [c["input"] for c in json.loads((ROOT / "tests/data/encoding" / name).read_text("utf-8"))]
    cases.append("\n".join(cases))
    config = EncodingFilter().config._replace(explain=False)
    bad = 0
    unique = list(dict.fromkeys(docs + cases))
    for t in unique:
        if clean(t, filters=["encoding"]).text != ftfy.fix_text(t, config):
            bad += 1
    return bad, len(unique)


def language_set(articles: list[str]) -> list[str]:
    paras = [c["text"] for c in json.loads((ROOT / "tests/data/language/paragraphs.json").read_text("utf-8"))]
    mixed = [a + "\n\n" + b for a in paras for b in paras if a is not b]
    return paras + mixed + articles


def check_language(texts: list[str]) -> tuple[int, int, int, float, float]:
    from cleanarticle.language import UNDETERMINED, detect

    ref = reference_detector()
    t0 = time.perf_counter()
    expected = [ref(t) for t in texts]
    t_ref = time.perf_counter() - t0
    t0 = time.perf_counter()
    got = [detect(t)[0] for t in texts]
    t_ours = time.perf_counter() - t0
    agree = sum(a == b for a, b in zip(got, expected))
    und = sum(g == UNDETERMINED for g in got)
    return agree, len(texts), und, t_ref, t_ours


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dataset", type=Path, help="directory with ground-truth.json (extraction-dev)")
    ap.add_argument("--mb", type=float, default=5.0, help="megabytes of repeated seeds (default 5)")
    args = ap.parse_args(argv)

    from cleanarticle import Pipeline

    seeds, articles = load_documents(args.dataset, args.mb)
    docs = seeds + articles
    size = mb(docs)
    print(f"documents: {len(seeds)} seed copies + {len(articles)} articles = {len(docs)} docs, {size:.2f} MB")
    print(f"default pipeline: {', '.join(Pipeline.default().names)}")
    from cleanarticle.boilerplate import compiled

    print("boilerplate scores and language sums: " + (
        "compiled (numba; CLEANARTICLE_JIT=0 for numpy)" if compiled.available
        else "numpy (install the 'fast' extra, numba, for the compiled ones)"))

    # the distinct articles alone first, before any cache of ours has seen them: the
    # speed-up a corpus without repeated documents or lines gets
    d_naive, d_pipe, _ = bench(articles, rounds=4)
    t_naive, t_pipe, per_filter = bench(docs)
    print()
    print("| run | seconds | MB/s | docs/s |")
    print("|---|---:|---:|---:|")
    print(f"| naive ftfy.fix_text + langdetect.detect | {t_naive:.2f} | {size / t_naive:.2f} | {len(docs) / t_naive:.0f} |")
    print(f"| cleanarticle default pipeline | {t_pipe:.2f} | {size / t_pipe:.2f} | {len(docs) / t_pipe:.0f} |")
    print(f"\nspeed-up, whole default pipeline: {t_naive / t_pipe:.1f}x (target >= 5x)")
    print(f"speed-up on the {len(articles)} distinct articles alone (measured first, in the same process): "
          f"{d_naive / d_pipe:.1f}x ({d_naive:.2f} s naive, {d_pipe:.2f} s pipeline)")
    same_job = per_filter.get("encoding", 0.0) + per_filter.get("language", 0.0)
    if same_job:
        print(f"speed-up, same job as the naive run (encoding filter + language detection steps): "
              f"{t_naive / same_job:.1f}x ({size / same_job:.2f} MB/s)")

    total = sum(per_filter.values())
    print("\nprofile (share of the pipeline's time, from Result.timings):\n")
    print("| step | seconds | share |")
    print("|---|---:|---:|")
    for name, t in sorted(per_filter.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {t:.3f} | {100 * t / t_pipe:.1f}% |")
    print(f"| (pipeline overhead: edit log, bookkeeping) | {t_pipe - total:.3f} | {100 * (t_pipe - total) / t_pipe:.1f}% |")

    bad, n = check_identity(docs)
    print(f"\nencoding filter == ftfy.fix_text (same config): {n - bad}/{n} distinct texts identical")

    texts = language_set(articles)
    agree, n, und, t_ref, t_ours = check_language(texts)
    print(f"language agreement with full seeded langdetect: {agree}/{n} = {100 * agree / n:.2f}% "
          f"(und: {und}; langdetect {t_ref:.2f}s, ours {t_ours:.2f}s)")
    return 0 if bad == 0 and agree >= 0.99 * n else 1


if __name__ == "__main__":
    raise SystemExit(main())
