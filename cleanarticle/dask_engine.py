"""Run a batch on a dask.distributed cluster (``--engine dask --scheduler ADDRESS``).

Same work items and the same worker function as the local engine, so the
outputs are identical; only the transport differs. The parent (the machine
running the command) reads the inputs and writes every output, so workers need
no shared file system, only ``cleanarticle`` installed. The pipeline and the
corpus context are sent to each worker once (``scatter(broadcast=True)``).
Chunks are submitted within a bounded window and their results consumed in
input order, so memory stays flat on both sides.

Time limit: dask runs tasks in worker threads, which cannot be stopped from
outside; the per-document time limit applies to the local engine only.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Callable, Iterable, Iterator

__all__ = ["DaskPool", "DaskUnavailable"]

_CHUNK = 32
_CHUNK_BYTES = 4 * 1024 * 1024


class DaskUnavailable(ImportError):
    pass


def _run_chunk(func: Callable[[Any, Any], Any], state: Any, items: list) -> list:
    out = []
    for item in items:
        try:
            out.append(("ok", func(state, item)))
        except Exception as exc:  # one bad document must not fail the chunk
            out.append(("error", f"{type(exc).__name__}: {exc}"))
    return out


class DaskPool:
    """The :class:`cleanarticle.pool.WorkerPool` interface over a dask client.

    ``scheduler``: an address (``tcp://host:8786``) or a ``distributed.Client``.
    """

    def __init__(self, func: Callable[[Any, Any], Any], state: Any, *, scheduler: Any,
                 cost: Callable[[Any], int] | None = None) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise DaskUnavailable("the dask engine needs the optional extra: "
                                  "pip install 'cleanarticle[dask]'") from None
        self._own = not isinstance(scheduler, Client)
        self.client = Client(scheduler, set_as_default=False) if self._own else scheduler
        self.func = func
        self.cost = cost or (lambda item: 0)
        self._state = self.client.scatter(state, broadcast=True, hash=False)
        threads = sum(self.client.nthreads().values()) or 1
        self.window = 2 * threads + 2

    def __enter__(self) -> "DaskPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self, graceful: bool = True) -> None:
        if self._own:
            self.client.close()

    def _chunks(self, items: Iterable[Any]) -> Iterator[list[tuple[int, Any]]]:
        chunk: list[tuple[int, Any]] = []
        size = 0
        for seq, item in enumerate(items):
            chunk.append((seq, item))
            size += self.cost(item)
            if len(chunk) >= _CHUNK or size >= _CHUNK_BYTES:
                yield chunk
                chunk, size = [], 0
        if chunk:
            yield chunk

    def map(self, items: Iterable[Any]) -> Iterator[tuple[int, Any, tuple[str, Any]]]:
        """Yield ``(index, item, outcome)`` in input order."""
        inflight: deque = deque()
        try:
            for chunk in self._chunks(items):
                fut = self.client.submit(_run_chunk, self.func, self._state, [it for _, it in chunk],
                                         pure=False)
                inflight.append((chunk, fut))
                while len(inflight) >= self.window:
                    yield from self._collect(*inflight.popleft())
            while inflight:
                yield from self._collect(*inflight.popleft())
        finally:
            for _, fut in inflight:
                fut.cancel()

    @staticmethod
    def _collect(chunk, fut) -> Iterator[tuple[int, Any, tuple[str, Any]]]:
        try:
            outs = fut.result()
        except Exception as exc:  # the task itself failed (worker lost too often...)
            outs = [("error", f"{type(exc).__name__}: {exc}")] * len(chunk)
        for (seq, item), out in zip(chunk, outs):
            yield seq, item, out
