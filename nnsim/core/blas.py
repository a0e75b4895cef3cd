"""How many threads BLAS may use, set around a stretch of work and restored afterwards.

The compiled circuits and the MNIST network multiply small matrices (tens to hundreds of rows) many times a
second. With OpenBLAS on several threads, each such product wakes the other threads; on a busy 2-core
machine that made a 65,536-row truth table 20× slower (37 ms → 750 ms). One thread is never slower at
these sizes, so the ``nnsim`` command (CLI and app) calls :func:`use_one_thread` once at start, and
training loops also run inside ``BlasThreads(1)`` for library users.

BLAS's thread count is global to the process: set it once, from one thread, rather than toggling it around
work that may run on several threads at once.
"""

from __future__ import annotations

import functools

import numpy as np


class BlasThreads:
    """A context that runs its block with BLAS on ``n`` threads (None: leaves BLAS alone), then restores
    the previous count. Cheap enough to enter around every stretch of mini-batches, so the limit never
    leaks into the caller's code between reports.

    It calls the OpenBLAS that NumPy's wheels ship through ctypes; failing that, threadpoolctl when it is
    installed; with neither (another BLAS), nothing changes.
    """

    def __init__(self, n: int | None):
        self.n = n
        self._before = None
        self._get, self._set = _openblas_thread_functions() if n is not None else (None, None)
        self._tpc = None
        if n is not None and self._set is None:
            try:
                from threadpoolctl import ThreadpoolController
            except ImportError:
                pass
            else:
                self._tpc = ThreadpoolController()

    def __enter__(self):
        if self._set is not None:
            self._before = self._get()
            if self._before != self.n:
                self._set(self.n)
        elif self._tpc is not None:
            self._before = self._tpc.limit(limits=self.n, user_api="blas")
        return self

    def __exit__(self, *exc):
        if self._set is not None:
            if self._before != self.n:
                self._set(self._before)
        elif self._tpc is not None:
            self._before.restore_original_limits()
        return False


@functools.cache
def _openblas_thread_functions():
    """(get_num_threads, set_num_threads) of the OpenBLAS bundled with NumPy's wheels, or (None, None)."""
    import ctypes
    from pathlib import Path

    root = Path(np.__file__).resolve().parent
    candidates = [*root.parent.glob("numpy.libs/*openblas*"), *root.glob(".dylibs/*openblas*")]
    for path in candidates:
        try:
            lib = ctypes.CDLL(str(path))
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas", "64_"), ("scipy_openblas", ""), ("openblas", "64_"),
                               ("openblas", "")):
            get = getattr(lib, f"{prefix}_get_num_threads{suffix}", None)
            set_ = getattr(lib, f"{prefix}_set_num_threads{suffix}", None)
            if get is not None and set_ is not None:
                get.restype = ctypes.c_int
                set_.argtypes = [ctypes.c_int]
                set_.restype = None
                return get, set_
    return None, None


def use_one_thread() -> bool:
    """Make BLAS single-threaded for the rest of the process. Returns False when the BLAS could not be
    reached (then nothing changed)."""
    get, set_ = _openblas_thread_functions()
    if set_ is not None:
        set_(1)
        return True
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return False
    threadpool_limits(limits=1, user_api="blas")
    return True
