"""How many threads BLAS may use, set through threadpoolctl around a stretch of work or for the whole process.

The policy: one BLAS thread. The compiled circuits and the MNIST network multiply small matrices (tens to
hundreds of rows) many times a second. With a BLAS on several threads, each such product wakes the other
threads, which then spin; on a busy machine that makes a truth table or an epoch many times slower, and at
these sizes one thread is never slower (figures in docs/benchmarks.md, "BLAS threads"). So the ``nnsim``
command (CLI and app) calls :func:`use_one_thread` once at start, and training loops also run inside
``BlasThreads(1)`` for library users.

BLAS's thread count is global to the process: set it once, from one thread, rather than toggling it around
work that may run on several threads at once. threadpoolctl finds the BLAS that NumPy loaded (OpenBLAS,
MKL, BLIS, ...); with none it can reach, nothing changes.
"""

from __future__ import annotations

import functools

import numpy as np  # noqa: F401 - loads NumPy's BLAS before threadpoolctl looks for it
from threadpoolctl import ThreadpoolController


@functools.cache
def _blas() -> ThreadpoolController:
    """The BLAS libraries loaded in this process, found once (a search takes longer than a limit) and again
    by :func:`use_one_thread`. NumPy's, the one nnsim multiplies with, is loaded with NumPy."""
    return ThreadpoolController().select(user_api="blas")


def blas_threads() -> int | None:
    """How many threads the BLAS may use now (the largest count if several BLAS are loaded); None when
    threadpoolctl finds no BLAS."""
    counts = [lib.num_threads for lib in _blas().lib_controllers]
    return max(counts) if counts else None


class BlasThreads:
    """A context that runs its block with BLAS on ``n`` threads (None: leaves BLAS alone), then restores
    the previous count. Cheap enough to enter around every stretch of mini-batches, so the limit never
    leaks into the caller's code between reports."""

    def __init__(self, n: int | None):
        self.n = n
        self._limiter = None

    def __enter__(self):
        if self.n is not None and blas_threads() not in (None, self.n):
            self._limiter = _blas().limit(limits=self.n)
        return self

    def __exit__(self, *exc):
        if self._limiter is not None:
            self._limiter.restore_original_limits()
            self._limiter = None
        return False

    def __repr__(self):
        return f"BlasThreads({self.n!r})"


def use_one_thread() -> bool:
    """Make BLAS single-threaded for the rest of the process. Returns False when no BLAS could be reached
    (then nothing changed)."""
    _blas.cache_clear()  # include any BLAS loaded since the last search (scikit-learn brings SciPy's)
    if blas_threads() is None:
        return False
    _blas().limit(limits=1)
    return True
