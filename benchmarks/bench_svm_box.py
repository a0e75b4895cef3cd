"""The training studio's SVM baseline task (scikit-learn's SVC in a child process) on the first N bundled
training images, scored on the 10,000 test images: test images right, the fit's time and the whole task's.

Run: ``python benchmarks/bench_svm_box.py [N ...]`` (default 1000 10000; needs scikit-learn).
"""

from __future__ import annotations

import sys
import time

from nnsim.gui.training.svm import svm_task


def measure(n: int) -> tuple[int, int, float, float]:
    """(correct, total, fit seconds, total seconds) of one task run to its end."""
    steps = svm_task(None, n)(lambda: False)
    started, fit = time.monotonic(), None
    try:
        while True:
            item = next(steps)
            if item.stage == "scoring" and fit is None:
                fit = time.monotonic() - started
    except StopIteration as end:
        result = end.value
    return result.correct, result.total, fit, result.seconds


if __name__ == "__main__":
    for n in [int(a) for a in sys.argv[1:]] or [1000, 10000]:
        correct, total, fit, seconds = measure(n)
        print(f"N = {n:,}: {correct:,} / {total:,} right, fit {fit:.1f} s, {seconds:.1f} s in all")
