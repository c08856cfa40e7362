"""An ordered map over worker processes, with a per-item time limit the parent enforces.

Why not :mod:`concurrent.futures`: a worker stuck in C code (a regex, a parser)
cannot be interrupted from inside, and a process pool cannot kill one worker
and carry on. Here every worker has its own pipe; the parent hands it a chunk of
items, the worker answers item by item, and the parent knows which item each
worker is on and since when. An item over the time limit gets its worker killed
and replaced; the item becomes a ``timeout`` outcome and the rest of its chunk
is handed out again. A worker that dies (segfault, out of memory) costs only the
item it was on.

Memory stays flat: at most ``window`` items are between "read" and "yielded",
whatever the length of the input. Results come back in input order.

>>> def square(state, x):
...     return x * x
>>> with WorkerPool(square, None, jobs=2) as pool:
...     [value for _, _, (kind, value) in pool.map(range(5))]
[0, 1, 4, 9, 16]
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import signal
import time
from collections import deque
from multiprocessing.connection import wait
from typing import Any, Callable, Iterable, Iterator

__all__ = ["WorkerPool", "default_jobs", "Outcome"]

# (kind, value): ("ok", result) | ("error", "Type: message") | ("timeout", seconds) | ("crash", exit code)
Outcome = tuple[str, Any]

_TARGET_CHUNK_SECONDS = 0.1
_MAX_CHUNK = 128
_MAX_CHUNK_BYTES = 1024 * 1024
# A second chunk is sent ahead (so a worker never waits for the parent) only when
# it is small enough to sit in the socket buffer: sending it can then never block
# on a worker that is busy, or stuck in C code.
_PREFETCH_BYTES = 64 * 1024
_WINDOW_BYTES = 32 * 1024 * 1024  # input held between reading and yielding, at most (one item more)


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _context():
    # fork: workers inherit the built pipeline and the corpus context without pickling
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


def _terminate(signum, frame):  # pragma: no cover - runs in workers
    raise SystemExit(1)  # unwinds: atomic writes delete their temporary files


def _worker_main(conn, func, state) -> None:  # pragma: no cover - runs in workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    signal.signal(signal.SIGTERM, _terminate)
    while True:
        try:
            msg = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        if msg is None:
            return
        for seq, item in msg:
            t0 = time.perf_counter()
            try:
                out: Outcome = ("ok", func(state, item))
            except Exception as exc:  # a bug in one item must not end the worker
                out = ("error", f"{type(exc).__name__}: {exc}")
            spent = time.perf_counter() - t0
            try:
                conn.send((seq, out, spent))
            except Exception as exc:  # the result itself could not be pickled
                conn.send((seq, ("error", f"{type(exc).__name__}: {exc}"), spent))


class _Worker:
    def __init__(self, ctx, func, state) -> None:
        parent, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, func, state), daemon=True)
        self.proc.start()
        child.close()
        self.conn = parent
        self.chunk: deque = deque()  # (seq, item) sent and not yet answered, in order
        self.sizes: deque = deque()  # items left in each chunk sent (at most two chunks)
        self.since = 0.0  # when the item at the head of the chunk started

    def send(self, chunk: list, now: float) -> None:
        if not self.chunk:
            self.since = now
        self.chunk.extend(chunk)
        self.sizes.append(len(chunk))
        self.conn.send_bytes(pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL))

    def answered(self) -> None:
        self.sizes[0] -= 1
        if not self.sizes[0]:
            self.sizes.popleft()

    def stop(self, grace: float) -> None:
        if self.proc.is_alive():
            try:
                self.proc.terminate()
            except OSError:  # pragma: no cover
                pass
            self.proc.join(grace)
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


class WorkerPool:
    """``jobs`` processes running ``func(state, item)``; see the module doc.

    ``timeout``: seconds one item may take (0 or None: no limit).
    ``on_abandon(item)``: called in the parent for an item whose worker was killed
    or died, to clean up what it may have half-done (temporary files).
    """

    def __init__(self, func: Callable[[Any, Any], Any], state: Any, *, jobs: int = 1,
                 timeout: float | None = None, cost: Callable[[Any], int] | None = None,
                 on_abandon: Callable[[Any], None] | None = None) -> None:
        self.func, self.state = func, state
        self.jobs = max(1, int(jobs))
        self.timeout = timeout or None
        self.cost = cost or (lambda item: 0)
        self.on_abandon = on_abandon
        self._ctx = _context()
        self._workers: list[_Worker | None] = [None] * self.jobs
        self._per_item = 0.0  # running mean of seconds per item, sizes the chunks
        self.window = self.jobs * _MAX_CHUNK * 2

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close(graceful=exc[0] is None)

    def close(self, graceful: bool = True) -> None:
        """Stop the workers. Graceful: ask them to finish; otherwise SIGTERM then SIGKILL."""
        for i, w in enumerate(self._workers):
            if w is None:
                continue
            if graceful and not w.chunk:
                try:
                    w.conn.send_bytes(pickle.dumps(None))
                except OSError:
                    pass
                w.proc.join(5)
            w.stop(grace=2.0)
            if not graceful and self.on_abandon:
                for _, item in w.chunk:
                    self.on_abandon(item)
            self._workers[i] = None

    # -- the map ------------------------------------------------------------------

    def map(self, items: Iterable[Any]) -> Iterator[tuple[int, Any, Outcome]]:
        """Yield ``(index, item, outcome)`` in input order."""
        source = iter(items)
        exhausted = False
        pending: deque = deque()  # (seq, item) read or handed back, not yet sent, in order
        buffered: dict[int, tuple[Any, Outcome]] = {}
        next_seq = 0  # next index to read from the input
        next_out = 0  # next index to yield
        held = [0]  # bytes of the items read and not yet yielded: bounds memory with big items

        def take(limit: int, ahead: bool) -> list:
            """Up to ``limit`` items and about :data:`_MAX_CHUNK_BYTES` (sent ``ahead``:
            :data:`_PREFETCH_BYTES`, and never one item larger than that)."""
            nonlocal exhausted, next_seq
            max_bytes = _PREFETCH_BYTES if ahead else _MAX_CHUNK_BYTES
            chunk, size = [], 0
            while len(chunk) < limit:
                if not pending:
                    if exhausted or next_seq >= next_out + self.window \
                            or (held[0] > _WINDOW_BYTES and next_seq > next_out):
                        break
                    try:
                        item = next(source)
                    except StopIteration:
                        exhausted = True
                        break
                    pending.append((next_seq, item))
                    held[0] += self.cost(item)
                    next_seq += 1
                c = self.cost(pending[0][1])
                if (chunk or ahead) and size + c > max_bytes:
                    break
                chunk.append(pending.popleft())
                size += c
            return chunk

        while True:
            now = time.monotonic()
            for i in range(self.jobs):
                w = self._workers[i]
                if w is not None and len(w.sizes) > 1:
                    continue
                ahead = w is not None and bool(w.sizes)
                chunk = take(self._chunk_size(), ahead)
                if not chunk:
                    continue
                if w is None:
                    w = self._workers[i] = _Worker(self._ctx, self.func, self.state)
                w.send(chunk, now)
            busy = [w for w in self._workers if w is not None and w.chunk]
            if not busy:
                if exhausted and not pending:
                    break
                continue
            wait_for = 0.5
            if self.timeout:
                wait_for = max(0.0, min(wait_for, min(w.since + self.timeout for w in busy) - now))
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], wait_for)
            now = time.monotonic()
            for w in busy:
                lost: Outcome | None = None
                if w.conn in ready or w.proc.sentinel in ready:
                    try:
                        while w.chunk and w.conn.poll():
                            seq, out, spent = w.conn.recv()
                            head_seq, head = w.chunk.popleft()
                            w.answered()
                            assert seq == head_seq, (seq, head_seq)
                            buffered[seq] = (head, out)
                            self._learn(spent)
                            w.since = now
                    except (EOFError, OSError):
                        pass
                    if w.chunk and not w.proc.is_alive():
                        w.proc.join()
                        lost = ("crash", w.proc.exitcode)
                if lost is None and w.chunk and self.timeout and now - w.since > self.timeout:
                    lost = ("timeout", self.timeout)
                if lost is not None:
                    seq, item = w.chunk.popleft()
                    w.stop(grace=0.0 if lost[0] == "timeout" else 1.0)
                    if self.on_abandon:
                        self.on_abandon(item)
                    buffered[seq] = (item, lost)
                    pending.extendleft(reversed(w.chunk))
                    w.chunk.clear()
                    w.sizes.clear()
                    self._workers[self._workers.index(w)] = None
            while next_out in buffered:
                item, out = buffered.pop(next_out)
                held[0] -= self.cost(item)
                yield next_out, item, out
                next_out += 1
        while next_out in buffered:  # pragma: no cover - drained in the loop
            item, out = buffered.pop(next_out)
            yield next_out, item, out
            next_out += 1

    def _learn(self, seconds: float) -> None:
        self._per_item = seconds if not self._per_item else 0.9 * self._per_item + 0.1 * seconds

    def _chunk_size(self) -> int:
        if not self._per_item:
            return 2
        return max(1, min(_MAX_CHUNK, int(_TARGET_CHUNK_SECONDS / self._per_item)))
