"""Whether compiled kernels (numba, the ``fast`` extra) are used, and how they are compiled.

Each compiled module keeps its numpy version as the reference and the fallback, and
gives the same floats. ``CLEANARTICLE_JIT=0`` turns every kernel off.
"""

from __future__ import annotations

import os
from typing import Any, Callable

__all__ = ["available", "compile_kernel"]

try:
    if os.environ.get("CLEANARTICLE_JIT", "1") == "0":
        raise ImportError("disabled by CLEANARTICLE_JIT=0")
    from numba import njit
except ImportError:  # numba is optional: the numpy versions do the same work
    njit = None

available = njit is not None


def compile_kernel(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` compiled once per installation when its cache can be written, else per
    process. (numba's cache checks only the file a function is in: a kernel calls only
    kernels of its own module.)"""
    try:
        return njit(cache=True, nogil=True)(fn)
    except Exception:  # no writable cache location: compile in this process only
        return njit(nogil=True)(fn)
