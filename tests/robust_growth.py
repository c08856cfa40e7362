"""Measuring how cleaning time grows with input size, robustly on a busy machine.

The tests never compare a time with a fixed limit. They find a size ``n`` where the work is
measurable, then compare the best of a few runs at ``n`` and at ``4n``: linear work grows about
4x, quadratic 16x, exponential without bound. CPU time of this process (not wall time) is used,
so other processes on the machine do not distort the ratio.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass
from typing import Callable

FACTOR = 4          # the large input is FACTOR times the small one
SLACK = 2.5         # allowed ratio: FACTOR * SLACK (10x); quadratic would be 16x
THRESHOLD = 0.010   # seconds of CPU the small input must take for the ratio to mean anything
NOISE = 0.003       # below this, the large input is fast whatever the ratio
EXPLODE = 8.0       # one 1.5x step of the ladder growing this much is exponential: stop early


def cpu(run: Callable[[str], object], s: str, repeat: int = 1,
        between: Callable[[], object] | None = None) -> float:
    """Best CPU time of ``repeat`` runs, with the garbage collector held off while timing
    (it runs after): a full collection of everything the test process holds (tens of ms) is
    not the input's cost, and on a tiny step it looked like an explosion. ``between`` runs
    untimed before each run: another text, so that no run meets the text a filter
    remembers from the run before it (the boilerplate filter answers the text it last
    labelled from memory when its lines come back unchanged: which sizes do depends on
    how the text ends, and a ratio of a remembered small text to a large one read anew is
    not growth)."""
    best = float("inf")
    enabled = gc.isenabled()
    try:
        for _ in range(repeat):
            if between is not None:
                between()
            gc.disable()
            t0 = time.process_time()
            run(s)
            best = min(best, time.process_time() - t0)
            if enabled:
                gc.enable()
    finally:
        if enabled:
            gc.enable()
    return best


@dataclass
class Growth:
    n: int
    small: float
    large: float | None  # None when the ladder stopped on an explosion
    why: str = ""

    @property
    def ratio(self) -> float:
        if self.large is None:
            return float("inf")
        return self.large / max(self.small, 1e-9)

    @property
    def ok(self) -> bool:
        if self.large is None:
            return False
        return self.large < NOISE or self.ratio <= FACTOR * SLACK

    def __str__(self) -> str:
        large = "exploded" if self.large is None else f"{self.large * 1000:.1f} ms"
        return (f"n={self.n}: {self.small * 1000:.1f} ms, x{FACTOR}: {large} "
                f"(ratio {self.ratio:.1f}, allowed {FACTOR * SLACK:.0f}) {self.why}")


def measure(make: Callable[[int], str], run: Callable[[str], object], *, start: int = 64,
            limit: int = 200_000, threshold: float = THRESHOLD) -> Growth | None:
    """Growth of ``run(make(n))`` from n to FACTOR*n, or ``None`` if even ``make(limit)`` is
    too fast to measure (then it cannot be super-linear in any way that matters)."""
    # warm up (data files, lazy imports) on another size: a filter may remember the text it
    # saw last, and the ladder's first step must measure work, not that memory
    other = make(max(1, start // 2))
    run(other)

    def between() -> None:
        run(other)

    n, prev, prev_n = start, None, start
    while True:
        t = cpu(run, make(n))
        if prev is not None and t > NOISE and t / max(prev, 1e-9) > EXPLODE:
            # a second look, best of three at both sizes, before calling it an explosion
            # (a lone slow run on a busy machine is not one)
            prev, t = cpu(run, make(prev_n), 3, between), cpu(run, make(n), 3, between)
            if t > NOISE and t / max(prev, 1e-9) > EXPLODE:
                return Growth(n, t, None, f"one 1.5x step took {t / max(prev, 1e-9):.0f}x longer")
        if t >= threshold:
            break
        if n >= limit:
            return None
        prev, prev_n = t, n
        n = min(limit, int(n * 1.5) + 1)
    g = None
    for repeat in (3, 5):  # a second, longer look before calling it super-linear
        small = cpu(run, make(n), repeat, between)
        large = cpu(run, make(FACTOR * n), repeat, between)
        g = Growth(n, small, large)
        if g.ok or g.ratio > 2 * FACTOR * SLACK:  # clear either way: no second look
            break
    return g
