"""What the training studio's worker runs: generator tasks over the MNIST engine (no Qt here).

Each ``*_task(...)`` returns ``task(stop) -> Iterator`` for :class:`~nnsim.gui.worker.TaskRunner`.
Items yielded: :class:`DataReady` once the data are loaded, a :class:`~nnsim.io.datacache.Baseline` per
baseline (data and baselines are cached in :mod:`nnsim.io.datacache`), the engine's
``TrainingStats`` every N mini-batches and at each epoch end, and an :class:`Analysis` after each epoch
(copies of the weights and the test-set verdicts, so the GUI never reads arrays being trained).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nnsim.core.errors import UserError
from nnsim.core.learning import metrics
from nnsim.core.learning.network import Network
from nnsim.core.learning.training import sgd
from nnsim.gui.training import look
from nnsim.io.datacache import baselines, load_data
from nnsim.io.download import DownloadProgress  # noqa: F401 - what the download task yields; the page checks for it


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
    cost: str = "quadratic"
    init: str = "book"

    def label(self) -> str:
        return f"{self.group_label()}, seed {self.seed}"

    def group_label(self) -> str:
        """The label without the seed: runs that differ only in their seed share it."""
        sizes = "-".join(str(s) for s in self.sizes)
        extra = "".join([", cross-entropy" if self.cost != "quadratic" else "",
                         ", scaled init" if self.init != "book" else ""])
        return f"{sizes}, η={self.eta:g}, m={self.mini_batch_size}{extra}"


@dataclass
class DataReady:
    source: str
    n_train: int
    n_validation: int
    n_test: int


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
        return metrics.percent(self.correct, self.total)


def analyse(net: Network, X, y, caption: str, hidden_start=None,
            n_mistakes: int = look.GALLERY_COUNT) -> Analysis:
    """Evaluate ``net`` on (X (n, 784), y (n,)) and copy what the inside views show.

    ``hidden_start`` (n_hidden, 784): the first layer's weights before training, if known."""
    y = np.asarray(y)
    predicted = np.asarray(net.predict(X))
    wrong = np.flatnonzero(predicted != y)
    shown = wrong[:n_mistakes]
    images = np.asarray(X[shown])
    images = images.astype(np.float32) / 255.0 if images.dtype == np.uint8 else images.astype(np.float32)
    copy = net.copy()
    hidden = copy.weights[0].copy() if copy.sizes[0] == 784 else None  # first layer, as 28×28 images
    return Analysis(caption=caption, correct=int(len(y) - len(wrong)), total=int(len(y)),
                    hidden_weights=hidden, hidden_start=None if hidden is None else hidden_start,
                    confusion=metrics.confusion_matrix(y, predicted, net.n_classes),
                    per_class_pct=metrics.per_class_accuracy(y, predicted, net.n_classes),
                    mistake_images=images, mistake_true=y[shown].copy(),
                    mistake_predicted=predicted[shown].copy(), total_wrong=int(len(wrong)), network=copy)


def training_task(settings: TrainingSettings):
    """A task that loads the data, trains a fresh network, and returns it."""

    def task(stop):
        data = load_data(settings.data_path)
        X, y = data.compact("training")  # uint8 pixels stay uint8: the engine reads them 4× faster
        if settings.limit_train:
            X, y = X[:settings.limit_train], y[:settings.limit_train]
        validation, test = data.compact("validation"), data.compact("test")
        yield DataReady(str(data.source), len(y), len(validation[1]), len(test[1]))
        if stop():
            return None
        for baseline in baselines(data):
            yield baseline
        net = Network(settings.sizes, seed=settings.seed, dtype=settings.dtype, encoding=settings.encoding,
                      init=settings.init)
        start = net.weights[0].copy()
        batches = max(1, math.ceil(len(y) / settings.mini_batch_size))
        every = settings.report_every or max(1, batches // look.REPORTS_PER_EPOCH)
        for stats in sgd(net, (X, y), settings.epochs, settings.mini_batch_size, settings.eta,
                         validation_data=validation, test_data=test, seed=settings.seed,
                         stop=stop, report_every=every, cost=settings.cost,
                         training_accuracy=look.TRAINING_SCORED):
            yield stats
            if stats.epoch_end:
                yield analyse(net, *test, f"after epoch {stats.epoch}", hidden_start=start)
        return net.copy()

    return task


def evaluate_task(net: Network, data_path: str | None):
    """A task that evaluates ``net`` on the test set and returns its :class:`Analysis`."""

    def task(stop):
        data = load_data(data_path)
        Xt, yt = data.compact("test")
        yield DataReady(str(data.source), len(data.train_labels), len(data.validation_labels), len(yt))
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
                yield item

    return task


@dataclass
class Comparison:
    """A comparison is starting: ``settings`` of its runs, in the order of the reports' ``run``, and
    ``groups`` (one label per run: runs that differ only in their seed share it)."""

    settings: list
    labels: list
    groups: list
    short: list  # what tells the runs apart: "seed 2", or "η=0.5, seed 2" when η varies too
    n_train: list | None = None  # a learning curve: each run's training images


def comparison_task(settings: TrainingSettings, seeds, etas, learning_curve: bool = False):
    """A task that trains one run per seed and η (the other settings as in ``settings``) together
    (:func:`nnsim.core.learning.runs.train_runs`): yields DataReady, the baselines, a :class:`Comparison`,
    then every run's :class:`~nnsim.core.learning.runs.RunReport`. ``learning_curve``: instead, one run per
    training-set size of LEARNING_CURVE_SIZES below the data's (and one on all of it), seed and η as in
    ``settings``. Training lets the GUI thread in every few milliseconds
    (:class:`~nnsim.gui.response.tasks.Breather`)."""
    from dataclasses import replace

    from nnsim.core.learning.runs import LEARNING_CURVE_SIZES, grid, train_runs
    from nnsim.gui.response.tasks import Breather

    def task(stop):
        data = load_data(settings.data_path)
        X, y = data.compact("training")
        if settings.limit_train:
            X, y = X[:settings.limit_train], y[:settings.limit_train]
        validation, test = data.compact("validation"), data.compact("test")
        yield DataReady(str(data.source), len(y), len(validation[1]), len(test[1]))
        if stop():
            return None
        for baseline in baselines(data):
            yield baseline
        if learning_curve:
            n_trains = [n for n in LEARNING_CURVE_SIZES if n < len(y)] + [len(y)]
            runs = grid(sizes=[settings.sizes], seeds=[settings.seed], etas=[settings.eta],
                        costs=[settings.cost], inits=[settings.init],
                        mini_batch_sizes=[settings.mini_batch_size], n_trains=n_trains)
            each = [replace(settings, limit_train=r.n_train) for r in runs]
            short = [f"{r.n_train:,} images" for r in runs]
            groups = [f"{s.group_label()}, {r.n_train} images" for s, r in zip(each, runs)]
            yield Comparison(each, [f"{s.label()}, {r.n_train:,} images" for s, r in zip(each, runs)], groups,
                             short, [r.n_train for r in runs])
        else:
            runs = grid(sizes=[settings.sizes], seeds=seeds, etas=etas, costs=[settings.cost],
                        inits=[settings.init], mini_batch_sizes=[settings.mini_batch_size])
            each = [replace(settings, seed=r.seed, eta=r.eta) for r in runs]
            short = [(f"η={s.eta:g}, " if len(set(etas)) > 1 else "") + f"seed {s.seed}" for s in each]
            yield Comparison(each, [s.label() for s in each], [s.group_label() for s in each], short)
        batches = max(1, math.ceil(len(y) / settings.mini_batch_size))
        every = settings.report_every or max(1, batches // look.REPORTS_PER_EPOCH)
        yield from train_runs(runs, (X, y), settings.epochs, validation_data=validation, test_data=test,
                              stop=_breathing(stop, Breather), report_every=every, dtype=settings.dtype,
                              encoding=settings.encoding, training_accuracy=look.TRAINING_SCORED)
        return None

    return task


def _breathing(stop, breather):
    """``stop`` for several training threads: each thread breathes on its own clock (a shared one would
    let one thread breathe while the other keeps the GIL)."""
    import threading

    local = threading.local()

    def check() -> bool:
        own = getattr(local, "breather", None)
        if own is None:
            own = local.breather = breather(stop)
        return own()

    return check
