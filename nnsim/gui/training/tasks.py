"""What the training studio's worker runs: generator tasks over the MNIST engine (no Qt here).

Each ``*_task(...)`` returns ``task(stop) -> Iterator`` for :class:`~nnsim.gui.training.worker.TaskRunner`.
Items yielded: :class:`DataReady` once the data are loaded, :class:`Baseline` per baseline, the engine's
``TrainingStats`` every N mini-batches and at each epoch end, and an :class:`Analysis` after each epoch
(copies of the weights and the test-set verdicts, so the GUI never reads arrays being trained).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nnsim.core.errors import UserError
from nnsim.core.learning.network import Network
from nnsim.gui.training import look

_cache_lock = threading.Lock()
_data_cache: dict = {}
_baseline_cache: dict = {}


@dataclass
class TrainingSettings:
    """The page's controls as plain values (``data_path`` None = the bundled MNIST)."""

    sizes: tuple = (784, 30, 10)
    eta: float = 3.0
    mini_batch_size: int = 10
    epochs: int = 30
    seed: int = 1
    encoding: str = "onehot"
    dtype: str = "float32"
    data_path: str | None = None
    limit_train: int | None = None
    report_every: int | None = None  # None: about REPORTS_PER_EPOCH reports an epoch

    def label(self) -> str:
        sizes = "-".join(str(s) for s in self.sizes)
        return f"{sizes}, η={self.eta:g}, m={self.mini_batch_size}, seed {self.seed}"


@dataclass
class DataReady:
    source: str
    n_train: int
    n_validation: int
    n_test: int


@dataclass
class DownloadProgress:
    """``done`` of ``total`` bytes (None: unknown) of file ``name``, the ``index``-th of ``count``."""

    name: str
    done: int
    total: int | None
    index: int
    count: int


@dataclass
class Baseline:
    name: str
    accuracy_pct: float


@dataclass
class Analysis:
    """A look inside one network on the test set. Arrays are copies owned by this object.

    ``hidden_weights`` (n_first_layer, 784): the first layer's incoming weights (the output neurons' when
    there is no hidden layer), None unless the inputs are 28×28 images; ``hidden_start`` the same weights before
    training (None for a loaded network); ``confusion`` (n_classes, n_classes)
    counts, rows = true label; ``per_class_pct`` (n_classes,); ``mistake_images`` (k, 784) floats in [0, 1],
    ``mistake_true``/``mistake_predicted`` (k,); ``network`` an independent copy for the digit pad."""

    caption: str
    correct: int
    total: int
    hidden_weights: np.ndarray | None
    hidden_start: np.ndarray | None
    confusion: np.ndarray
    per_class_pct: np.ndarray
    mistake_images: np.ndarray
    mistake_true: np.ndarray
    mistake_predicted: np.ndarray
    total_wrong: int
    network: Network = field(repr=False)

    @property
    def accuracy_pct(self) -> float:
        return math.nan if not self.total else 100.0 * self.correct / self.total


def analyse(net: Network, X, y, caption: str, hidden_start=None,
            n_mistakes: int = look.GALLERY_COUNT) -> Analysis:
    """Evaluate ``net`` on (X (n, 784), y (n,)) and copy what the inside views show.

    ``hidden_start`` (n_hidden, 784): the first layer's weights before training, if known."""
    y = np.asarray(y)
    predicted = np.asarray(net.predict(X))
    n_classes = int(getattr(net, "n_classes", 10))
    k = max(n_classes, int(predicted.max(initial=0)) + 1, int(y.max(initial=0)) + 1)
    confusion = np.bincount(y * k + predicted, minlength=k * k).reshape(k, k)[:n_classes, :]
    confusion = confusion[:, :max(n_classes, confusion.shape[1])]
    per_class_total = np.bincount(y, minlength=n_classes)[:n_classes]
    per_class_right = np.diag(confusion[:, :n_classes])
    with np.errstate(invalid="ignore", divide="ignore"):
        per_class = np.where(per_class_total > 0, 100.0 * per_class_right / np.maximum(per_class_total, 1),
                             np.nan)
    wrong = np.flatnonzero(predicted != y)
    shown = wrong[:n_mistakes]
    images = np.asarray(X[shown])
    images = images.astype(np.float32) / 255.0 if images.dtype == np.uint8 else images.astype(np.float32)
    copy = net.copy()
    hidden = copy.weights[0].copy() if copy.sizes[0] == 784 else None  # first layer, as 28×28 images
    return Analysis(caption=caption, correct=int(len(y) - len(wrong)), total=int(len(y)),
                    hidden_weights=hidden, hidden_start=None if hidden is None else hidden_start,
                    confusion=confusion[:n_classes, :n_classes].copy(),
                    per_class_pct=per_class, mistake_images=images, mistake_true=y[shown].copy(),
                    mistake_predicted=predicted[shown].copy(), total_wrong=int(len(wrong)), network=copy)


def load_data(path: str | None):
    """``load_mnist(path)``, cached by path and file time so a second run starts at once."""
    from nnsim.io.datasets import load_mnist

    key = _cache_key(path)
    with _cache_lock:
        data = _data_cache.get(key)
    if data is None:
        data = load_mnist(path)
        with _cache_lock:
            _data_cache.clear()  # keep one data set in memory, not all of them
            _data_cache[key] = data
    return data


def _cache_key(path):
    if path is None:
        return None
    p = Path(path)
    try:
        return (str(p.resolve()), p.stat().st_mtime_ns)
    except OSError:
        return (str(p), None)  # the loader will name the problem


def baselines(data) -> list[Baseline]:
    """Average darkness (fitted on the training set, scored on the test set) and random guessing (seeded),
    as in the book's chapter 1; cached per data source."""
    from nnsim.core.learning import baselines as core_baselines

    key = getattr(data, "source", id(data))
    with _cache_lock:
        cached = _baseline_cache.get(key)
    if cached is not None:
        return cached
    training, test = split(data, "training"), split(data, "test")
    total = max(1, len(test[1]))
    out = [Baseline("darkness", 100.0 * core_baselines.average_darkness(training, test) / total),
           Baseline("random", 100.0 * core_baselines.random_guess(test, seed=0) / total)]
    with _cache_lock:
        _baseline_cache[key] = out
    return out


def split(data, name: str):
    """``(X, y)`` of a split, as stored (uint8 pixels stay uint8: the engine reads them 4× faster)."""
    compact = getattr(data, "compact", None)
    return compact(name) if compact is not None else getattr(data, name)


def training_task(settings: TrainingSettings):
    """A task that loads the data, trains a fresh network, and returns it."""

    def task(stop):
        from nnsim.core.learning.training import sgd

        data = load_data(settings.data_path)
        X, y = split(data, "training")
        if settings.limit_train:
            X, y = X[:settings.limit_train], y[:settings.limit_train]
        validation, test = split(data, "validation"), split(data, "test")
        yield DataReady(str(data.source), len(y), len(validation[1]), len(test[1]))
        if stop():
            return None
        for baseline in baselines(data):
            yield baseline
        net = Network(settings.sizes, seed=settings.seed, dtype=settings.dtype, encoding=settings.encoding)
        start = net.weights[0].copy()
        batches = max(1, math.ceil(len(y) / settings.mini_batch_size))
        every = settings.report_every or max(1, batches // look.REPORTS_PER_EPOCH)
        for stats in sgd(net, (X, y), settings.epochs, settings.mini_batch_size, settings.eta,
                         validation_data=validation, test_data=test, seed=settings.seed,
                         stop=stop, report_every=every):
            yield stats
            if stats.epoch_end:
                yield analyse(net, *test, f"after epoch {stats.epoch}", hidden_start=start)
        return net.copy()

    return task


def evaluate_task(net: Network, data_path: str | None):
    """A task that evaluates ``net`` on the test set and returns its :class:`Analysis`."""

    def task(stop):
        data = load_data(data_path)
        Xt, yt = split(data, "test")
        yield DataReady(str(data.source), len(split(data, "training")[1]), len(split(data, "validation")[1]),
                        len(yt))
        if net.sizes[0] != Xt.shape[1]:
            raise UserError(f"the network takes {net.sizes[0]} inputs but the images have {Xt.shape[1]} "
                            "pixels")
        analysis = analyse(net, Xt, yt, "loaded network")
        yield analysis
        return analysis

    return task


def download_task(folder=None, mirrors=None):
    """A task that fetches the four MNIST files with :func:`nnsim.io.download.fetch_mnist` (checksummed,
    cached) and returns the folder, or None when stopped. Progress arrives as :class:`DownloadProgress` (at
    most ~10 a second, and each file's last); the download asks ``stop()`` at least every
    :data:`~nnsim.io.download.POLL` seconds, even while a mirror is silent."""

    def task(stop):
        from nnsim.io import download

        target = Path(folder) if folder is not None else download.default_cache_dir()
        kwargs = {} if mirrors is None else {"mirrors": tuple(mirrors)}
        steps = download.fetch_mnist(target, stop=stop, **kwargs)
        last_sent = 0.0
        while True:
            try:
                item = next(steps)
            except StopIteration as end:
                return None if end.value is None else target
            now = time.monotonic()
            if now - last_sent >= 0.1 or item.done == item.total:
                last_sent = now
                yield DownloadProgress(item.name, item.done, item.total, item.index, item.count)

    return task
