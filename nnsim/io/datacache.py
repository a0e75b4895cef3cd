"""Data sets and their baselines kept in memory between runs, so a second training run starts at once.

:func:`load_data` is :func:`~nnsim.io.datasets.load_mnist` remembered by path and file time (one data set
at a time: MNIST is ~55 MB as uint8); :func:`baselines` scores the book's average-darkness and
random-guess baselines once per data source. Both are safe to call from several threads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from nnsim.core.learning import baselines as core_baselines
from nnsim.core.learning.metrics import percent
from nnsim.io.datasets import MnistData, load_mnist

_lock = threading.Lock()
_data: dict = {}
_baselines: dict = {}


@dataclass
class Baseline:
    """A baseline's ``name`` and its test-set ``accuracy_pct`` (0–100)."""

    name: str
    accuracy_pct: float


def load_data(path: str | Path | None) -> MnistData:
    """``load_mnist(path)`` (None: the bundled MNIST), cached by resolved path and modification time."""
    key = _key(path)
    with _lock:
        data = _data.get(key)
    if data is None:
        data = load_mnist(path)
        with _lock:
            _data.clear()  # keep one data set in memory, not all of them
            _data[key] = data
    return data


def _key(path):
    if path is None:
        return None
    p = Path(path)
    try:
        return (str(p.resolve()), p.stat().st_mtime_ns)
    except OSError:
        return (str(p), None)  # the loader will name the problem


def baselines(data: MnistData) -> list[Baseline]:
    """Average darkness (fitted on the training set, scored on the test set) and random guessing (seed 0),
    as at the end of the book's chapter 1; computed once per ``data.source``."""
    with _lock:
        cached = _baselines.get(data.source)
    if cached is not None:
        return cached
    training, test = data.compact("training"), data.compact("test")
    total = len(test[1])
    out = [Baseline("darkness", percent(core_baselines.average_darkness(training, test, data.n_classes), total)),
           Baseline("random", percent(core_baselines.random_guess(test, 0, data.n_classes), total))]
    with _lock:
        _baselines[data.source] = out
    return out
