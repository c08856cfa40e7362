"""Progress on stderr: one self-rewriting line, only when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


def _eta(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """Documents done, MB/s, ETA and failures, redrawn at most every ``every`` seconds.

    ``enabled=None`` means: on when the stream is a terminal. Nothing is ever
    written when disabled, so piped runs and ``--quiet`` stay silent.
    """

    def __init__(self, total_bytes: int = 0, *, enabled: bool | None = None,
                 stream: TextIO | None = None, every: float = 0.5) -> None:
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = enabled
        self.total = total_bytes
        self.every = every
        self.docs = self.failed = 0
        self.bytes = 0  # input bytes done, as counted against ``total``
        self.stage = ""  # e.g. "counting" during a corpus pass
        self._t0 = time.monotonic()
        self._last = 0.0
        self._width = 0

    def restart(self, stage: str = "") -> None:
        """Start counting again (a new pass over the same input)."""
        self.close()
        self.stage = stage
        self.docs = self.failed = self.bytes = 0
        self._t0 = time.monotonic()
        self._last = 0.0

    def update(self, *, docs: int = 0, nbytes: int = 0, failed: int = 0) -> None:
        self.docs += docs
        self.bytes += nbytes
        self.failed += failed
        if self.enabled:
            now = time.monotonic()
            if now - self._last >= self.every:
                self._last = now
                self._draw(now)

    def line(self, now: float | None = None) -> str:
        secs = max(1e-9, (now or time.monotonic()) - self._t0)
        rate = self.bytes / secs
        parts = [f"{self.docs} docs", f"{rate / 1e6:.1f} MB/s"]
        if self.total and self.bytes and self.bytes < self.total:
            parts.append(f"ETA {_eta((self.total - self.bytes) / rate)}")
        if self.failed:
            parts.append(f"{self.failed} failed")
        stage = f"{self.stage}: " if self.stage else ""
        return "cleanarticle: " + stage + ", ".join(parts)

    def _draw(self, now: float) -> None:
        text = self.line(now)
        pad = " " * max(0, self._width - len(text))
        self._width = len(text)
        self.stream.write("\r" + text + pad)
        self.stream.flush()

    def close(self) -> None:
        """Erase the line, so the final summary starts clean."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
