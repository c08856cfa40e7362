"""Benchmark of the review tools on a large run.

    python benchmarks/bench_review.py PATH [--docs 5000] [--screenshot docs/review-page.png]

Cleans the documents under PATH (files or folders, as ``cleanarticle clean``
finds them) with the default pipeline, repeats them up to ``--docs`` documents,
then measures: building the HTML page (time, size), ``diff --stat`` and
``--format unified`` over every document, and, when headless Chromium and
selenium are installed, opening the page and scrolling it (frame gaps while the
document list and a document scroll, time to switch documents with the keyboard).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleanarticle.pipeline import Pipeline  # noqa: E402
from cleanarticle.review.diff import stat_table, unified_diff  # noqa: E402
from cleanarticle.review.load import Reviewed  # noqa: E402
from cleanarticle.review.page import build_page  # noqa: E402
from cleanarticle.runner import collect, read_source  # noqa: E402

SCROLL_JS = """
const done = arguments[arguments.length - 1];
const box = document.getElementById(arguments[0]), px = arguments[1];
const gaps = []; let i = 0, last = performance.now();
function step() {
  const now = performance.now(); gaps.push(now - last); last = now;
  box.scrollTop = (i * px) % Math.max(1, box.scrollHeight - box.clientHeight);
  if (++i < 120) requestAnimationFrame(step); else done(gaps.slice(1));
}
requestAnimationFrame(step);
"""


def _docs(paths: list[str], n: int) -> list[Reviewed]:
    pipe = Pipeline.default()
    base = []
    for src in collect(paths, None).sources:
        r = pipe.run(read_source(src), metadata={"source": str(src.path)})
        base.append((src.rel.as_posix(), r))
    if not base:
        raise SystemExit(f"no documents under {paths}")
    return [Reviewed(f"{i // len(base):03d}/{base[i % len(base)][0]}", Path("x.txt"), base[i % len(base)][1].text,
                     tuple(base[i % len(base)][1].changes)) for i in range(n)]


def _browser_figures(page: Path, screenshot: str | None) -> list[str]:
    try:
        sys.path.insert(0, str(ROOT / "tests"))
        import _browser
        import pytest  # _browser skips through pytest
    except ImportError as exc:
        return [f"browser: skipped ({exc})"]
    try:
        drv = _browser.start(Path(tempfile.mkdtemp()))
    except pytest.skip.Exception as exc:
        return [f"browser: skipped ({exc})"]
    try:
        drv.set_script_timeout(120)
        t0 = time.perf_counter()
        _browser.open_page(drv, page)
        opened = time.perf_counter() - t0
        lines = [f"browser: page ready in {opened:.2f}s (load, parse, first render)"]
        rows = drv.execute_script("return document.querySelectorAll('.row').length")
        lines.append(f"browser: {rows} list rows in the DOM (virtual list)")
        # the longest document, so that its text pane has something to scroll
        drv.execute_script("""document.querySelector('#list-head .sort[data-key="changes"]').click();
            document.querySelector('.row[style*="top: 0px"]').click();""")
        for box, px, what in (("list", 60, "wheel-like, 60 px a frame"), ("list", 997, "a screen a frame"),
                              ("doc-text", 60, "wheel-like, 60 px a frame")):
            gaps = drv.execute_async_script(SCROLL_JS, box, px)
            lines.append(f"browser: scrolling #{box} ({what}): 120 frames, median {statistics.median(gaps):.1f} ms, "
                         f"p95 {sorted(gaps)[int(len(gaps) * 0.95)]:.1f} ms, worst {max(gaps):.1f} ms")
        t0 = time.perf_counter()
        drv.execute_script("""for (let i = 0; i < 200; i++)
            document.dispatchEvent(new KeyboardEvent('keydown', {key: 'j'}));""")
        lines.append(f"browser: 200 document switches (j) in {time.perf_counter() - t0:.2f}s")
        heap = drv.execute_script("return performance.memory ? performance.memory.usedJSHeapSize : 0")
        if heap:
            lines.append(f"browser: JS heap {heap / 1e6:.0f} MB")
        if screenshot:
            drv.save_screenshot(screenshot)
            lines.append(f"browser: screenshot -> {screenshot}")
        return lines
    finally:
        drv.quit()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", metavar="PATH")
    ap.add_argument("--docs", type=int, default=5000, help="documents in the page (inputs repeated)")
    ap.add_argument("--screenshot", metavar="PNG", help="save a screenshot of the opened page")
    ap.add_argument("--keep", metavar="HTML", help="keep the page at this path")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    docs = _docs(args.paths, args.docs)
    clean_s = time.perf_counter() - t0
    n_changes = sum(len(d.changes) for d in docs)
    chars = sum(len(d.text) for d in docs)
    print(f"documents: {len(docs)} ({chars / 1e6:.1f} M characters of clean text, {n_changes} changes); "
          f"cleaned in {clean_s:.2f}s")

    t0 = time.perf_counter()
    page = build_page(docs, title=f"bench: {len(docs)} documents")
    print(f"page: {len(page.encode()) / 1e6:.1f} MB built in {time.perf_counter() - t0:.2f}s")

    t0 = time.perf_counter()
    stat_table(docs)
    print(f"diff --stat: {time.perf_counter() - t0:.2f}s")
    t0 = time.perf_counter()
    size = sum(len(unified_diff(d)) for d in docs)
    print(f"diff --format unified: {size / 1e6:.1f} MB of patches in {time.perf_counter() - t0:.2f}s")

    with tempfile.TemporaryDirectory() as td:
        path = Path(args.keep) if args.keep else Path(td) / "review.html"
        path.write_text(page, encoding="utf-8")
        for line in _browser_figures(path, args.screenshot):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
