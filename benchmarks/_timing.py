"""Shared by the benchmark scripts (run them as ``python benchmarks/bench_*.py``)."""

from __future__ import annotations

import statistics
import time

from nnsim.core.blas import use_one_thread

use_one_thread()  # measure what the nnsim command runs: one BLAS thread (see nnsim.core.blas)


def median_time(fn, repeats: int = 15) -> float:
    """Seconds: the median of ``repeats`` calls of ``fn()`` after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)
