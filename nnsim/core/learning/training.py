"""Mini-batch stochastic gradient descent, the book's ``SGD``, as a generator of progress reports.

``sgd(net, training_data, epochs, mini_batch_size, eta, ...)`` shuffles the training images afresh each
epoch, splits them into mini-batches of ``mini_batch_size`` (the last one may be smaller) and moves every
weight and bias by −(η/m)·Σₓ ∂C_x/∂w after each mini-batch of m images: :meth:`Network.update_mini_batch`,
computed by the fast kernel of :mod:`nnsim.core.learning.kernel`. It yields a :class:`TrainingStats` every
``report_every`` mini-batches and at the end of each epoch (with the validation and test accuracy), and
calls ``stop()`` between mini-batches; when that returns true it yields a last report (``stopped=True``)
and ends. The network's ``weights`` and ``biases`` are up to date whenever a report is yielded, and when
the generator ends or is closed. No printing, no files.

:func:`train_stack` is the same loop for several runs of one shape trained together (each with its own
η, order of images and number of training images); :mod:`nnsim.core.learning.runs` builds those stacks
from a grid of settings and spreads them over processes. ``net`` here is a
:class:`~nnsim.core.learning.network.Network` (this module does not import it: ``Network.SGD`` calls in).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np

from nnsim.core.blas import BlasThreads
from nnsim.core.errors import UserError
from nnsim.core.learning import encodings
from nnsim.core.learning.costs import get_cost
from nnsim.core.learning.kernel import MAX_PIECE, Kernel, as_pixels, compact_inputs

#: Rows per pass when the accuracy on validation or test data is measured.
EVAL_CHUNK = 10_000


@dataclass
class TrainingStats:
    """One progress report of :func:`sgd`.

    ``epoch`` counts from 1; ``batches_done`` of ``batches_per_epoch`` mini-batches are done in it;
    ``images_seen`` counts every image trained on since the start. ``cost`` is the mean cost per image
    over this epoch so far (measured on each mini-batch just before its update). The accuracy fields are
    set at an epoch's end (``epoch_end``) when the data were given, else None; ``training_correct`` only when
    it was asked for. ``seconds`` is the wall time since the start of the run; ``epoch_seconds`` the time
    spent on this epoch, evaluation included. ``stopped`` is true on the last report of a run that
    ``stop()`` ended.
    """

    epoch: int
    batches_done: int
    batches_per_epoch: int
    images_seen: int
    cost: float
    validation_correct: int | None
    validation_total: int
    test_correct: int | None
    test_total: int
    seconds: float
    epoch_end: bool
    epoch_seconds: float = 0.0
    stopped: bool = False
    training_correct: int | None = None
    training_total: int = 0

    @property
    def validation_accuracy(self) -> float | None:
        return None if self.validation_correct is None else self.validation_correct / self.validation_total

    @property
    def test_accuracy(self) -> float | None:
        return None if self.test_correct is None else self.test_correct / self.test_total

    @property
    def training_accuracy(self) -> float | None:
        return None if self.training_correct is None else self.training_correct / self.training_total


def check_data(net, data, what: str) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` checked against the network: X (n, sizes[0]) floats or uint8, y (n,) labels < n_classes."""
    try:
        X, y = data
    except (TypeError, ValueError):
        raise UserError(f"{what} data must be a pair (images, labels)") from None
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != net.sizes[0]:
        raise UserError(f"{what} images have shape {X.shape}; the network takes {net.sizes[0]} inputs")
    if X.dtype != np.uint8 and X.dtype.kind != "f":
        raise UserError(f"{what} images must be floats in [0, 1] or uint8 pixels, not {X.dtype}")
    if y.shape != (len(X),):
        raise UserError(f"{what} data: {len(X)} images but labels of shape {y.shape}")
    if y.dtype.kind not in "iu":
        raise UserError(f"{what} labels must be integers, not {y.dtype}")
    if len(y) and (y.min() < 0 or y.max() >= net.n_classes):
        raise UserError(f"{what} labels must lie in 0…{net.n_classes - 1}; found {int(y.min())}…{int(y.max())}")
    return X, y.astype(np.intp, copy=False)


def check_hyper(epochs, mini_batch_size, eta, n_train: int) -> tuple[int, int, float]:
    """Validated ``(epochs, mini_batch_size, eta)``; UserError naming the bad value otherwise."""
    def whole(value, name, low):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer, float, np.floating)) \
                or not math.isfinite(value) or value != int(value) or value < low:
            raise UserError(f"{name} must be a whole number ≥ {low}, not {value!r}")
        return int(value)

    epochs = whole(epochs, "epochs", 0)
    mini_batch_size = whole(mini_batch_size, "the mini-batch size", 1)
    if mini_batch_size > n_train:
        raise UserError(f"the mini-batch size {mini_batch_size} is larger than the {n_train} training images")
    try:
        eta = float(eta)
    except (TypeError, ValueError):
        raise UserError(f"the learning rate eta must be a number, not {eta!r}") from None
    if not math.isfinite(eta) or eta <= 0:
        raise UserError(f"the learning rate eta must be a finite number above 0, not {eta!r}")
    return epochs, mini_batch_size, eta


def sgd(net, training_data, epochs: int, mini_batch_size: int, eta: float, *,
        validation_data=None, test_data=None, seed=None, rng=None, stop: Callable[[], bool] | None = None,
        report_every: int = 0, cost="quadratic", single_thread: bool = True,
        training_accuracy: bool | int = False) -> Iterator[TrainingStats]:
    """Train ``net`` in place by mini-batch SGD; a generator of :class:`TrainingStats` (see the module doc).

    ``training_data``, ``validation_data``, ``test_data``: ``(X (n, sizes[0]), y (n,))`` with X floats in
    [0, 1] or uint8 pixels and y integer labels. ``seed``/``rng`` drive the shuffles (same seed, same
    numbers). ``report_every``: also report every N mini-batches (0: only at epoch ends). ``cost``:
    ``"quadratic"`` (the book's chapter 1) or ``"cross-entropy"``. ``single_thread``: keep BLAS on one
    thread while training. ``training_accuracy``: also count the training images read right at each
    epoch's end (True: all of them; a number N: the first N, a cheaper estimate). Bad arguments raise
    UserError here, before the first report.
    """
    X, y = check_data(net, training_data, "training")
    epochs, mini_batch_size, eta = check_hyper(epochs, mini_batch_size, eta, len(X))
    check_eta_precision(eta, net.dtype)
    validation = None if validation_data is None else check_data(net, validation_data, "validation")
    test = None if test_data is None else check_data(net, test_data, "test")
    report_every = check_report_every(report_every)
    if rng is None:
        rng = np.random.default_rng(seed)
    elif seed is not None:
        raise TypeError("give seed or rng, not both")
    cost = get_cost(cost)
    validation, test = as_floats(validation, net.dtype), as_floats(test, net.dtype)
    reports = train_stack([net], X, y, epochs, mini_batch_size, [eta], cost, [rng], [len(X)],
                          validation=validation, test=test, stop=stop, report_every=report_every,
                          single_thread=single_thread, training_accuracy=training_accuracy)
    return (stats for _, stats in reports)


class Diverged(UserError):
    """The cost became NaN or infinite: the weights are lost, so training stops rather than go on."""


def _check_finite(costs, batch_costs, runs, kernel, ran: int = 1) -> None:
    """Raise :class:`Diverged` naming the epoch and mini-batch where a run's cost first stopped being
    finite (``costs`` (R,) summed over the ``ran`` mini-batches just run; ``batch_costs`` (ran, R) each
    one's, or None: then the span is named)."""
    for i, (cost, run) in enumerate(zip(costs, runs)):
        if math.isfinite(cost):
            continue
        if batch_costs is not None:
            where = f"mini-batch {run.done + int(np.flatnonzero(~np.isfinite(batch_costs[:, i]))[0]) + 1}"
        elif ran == 1:
            where = f"mini-batch {run.done + 1}"
        else:
            where = f"one of mini-batches {run.done + 1}–{run.done + ran}"
        kernel.write_back()
        what = "NaN" if math.isnan(cost) else "infinite"
        raise Diverged(f"cost became {what} at epoch {run.epoch}, {where}: lower η (the weights overflowed, "
                       "so the network was not kept)")


def check_eta_precision(eta: float, dtype) -> None:
    """UserError when η is not a finite number in the arithmetic ``dtype`` (1e300 is inf in float32)."""
    dtype = np.dtype(dtype)
    with np.errstate(over="ignore"):
        finite = bool(np.isfinite(np.asarray(eta, dtype=dtype)))
    if not finite:
        raise UserError(f"η = {eta:g} is beyond {dtype.name} (largest {float(np.finfo(dtype).max):.3g}); "
                        "choose a smaller η")


def check_report_every(report_every) -> int:
    if isinstance(report_every, bool) or int(report_every) != report_every or report_every < 0:
        raise UserError(f"report_every must be a whole number ≥ 0, not {report_every!r}")
    return int(report_every)


def as_floats(data, dtype):
    """``(X, y)`` with uint8 pixels turned into floats once (data evaluated every epoch), else as given."""
    if data is None or data[0].dtype != np.uint8:
        return data
    X, y = data
    return as_pixels(X, dtype), y


def _total(data) -> int:
    return 0 if data is None else len(data[1])


def evaluate(net, X, y) -> int:
    """How many images the network reads right, in passes of at most EVAL_CHUNK rows."""
    if len(X) <= EVAL_CHUNK:
        return net.evaluate(X, y)
    return sum(net.evaluate(X[i:i + EVAL_CHUNK], y[i:i + EVAL_CHUNK]) for i in range(0, len(X), EVAL_CHUNK))


class _Run:
    """Where one run of a stack is: its order of images this epoch, its epoch and mini-batch, its cost."""

    def __init__(self, net, n: int, m: int, rng, start: float):
        self.net = net
        self.n = n
        self.rng = rng
        self.perm = np.arange(n)
        self.batches = -(-n // m)
        self.full = n // m if m <= MAX_PIECE else 0  # mini-batches the stacked kernel runs
        self.epoch = 0
        self.done = 0
        self.cost_sum = 0.0
        self.images_seen = 0
        self.epoch_start = start
        # desired outputs as ±1 (2y − 1): the kernel works with t = tanh(z/2) = 2a − 1, so t − y' = 2(a − y)
        self.table = 2 * encodings.target_table(net.encoding, net.n_classes, net.dtype) - 1

    def next_epoch(self, now: float) -> None:
        self.epoch += 1
        self.done = 0
        self.cost_sum = 0.0
        self.epoch_start = now
        self.rng.shuffle(self.perm)  # one index buffer, shuffled in place: no fresh copy each epoch


def train_stack(nets, X, y, epochs: int, m: int, etas, cost, rngs, ns, *, validation=None, test=None,
                stop=None, report_every: int = 0, single_thread: bool = True,
                training_accuracy: bool | int = False) -> Iterator[tuple[int, TrainingStats]]:
    """Train R networks of one shape together: a generator of ``(run index, TrainingStats)``.

    Run r trains ``nets[r]`` with learning rate ``etas[r]``, shuffles with ``rngs[r]`` and uses the first
    ``ns[r]`` images of ``(X (n, n_in), y (n,))`` (checked by the caller); ``cost`` is a cost class,
    ``validation`` and ``test`` ``(X, y)`` pairs or None. All runs move in lock step, one mini-batch each at
    a time, so a run with fewer images finishes its epochs sooner and then leaves the stack. Each run's
    numbers are those it gives alone (the kernel makes the same products for each run).
    """
    Xk, active = compact_inputs(X)
    threads = BlasThreads(1 if single_thread else None)
    start = time.perf_counter()
    runs = [_Run(net, n, m, rng, start) for net, n, rng in zip(nets, ns, rngs)]
    live = [r for r in range(len(runs)) if epochs > 0]
    for r in live:
        runs[r].next_epoch(start)
    kernel = None

    def scored(run) -> int:  # how many training images are scored for the training-set accuracy
        if not training_accuracy:
            return 0
        return run.n if training_accuracy is True else min(run.n, int(training_accuracy))

    def report(r, epoch_end=False, stopped=False, scores=(None, None, None)):
        run = runs[r]
        now = time.perf_counter()
        mean = run.cost_sum / (run.n if epoch_end else max(min(run.done * m, run.n), 1))
        return r, TrainingStats(run.epoch, run.done, run.batches, run.images_seen, mean, scores[0],
                                _total(validation), scores[1], _total(test), now - start, epoch_end,
                                now - run.epoch_start, stopped, scores[2], scored(run))

    def due(run):
        return report_every > 0 and run.done % report_every == 0 and run.done < run.batches

    try:
        while live:
            if kernel is None or kernel.nets != [runs[r].net for r in live]:
                old = kernel
                kernel = Kernel([runs[r].net for r in live], Xk, active, m, [etas[r] for r in live], cost)
                if old is not None:  # a run left: carry the others' working parameters over exactly
                    old.write_back()  # (dividing the scale out and back in would round them in float32)
                    rows = {id(net): i for i, net in enumerate(old.nets)}
                    for i, net in enumerate(kernel.nets):
                        kernel.P_flat[i] = old.P_flat[rows[id(net)]]
            # runs whose stacked mini-batches of this epoch are done: their short last mini-batch (or all
            # of them for mini-batches too large for the stack), one run at a time, then the epoch's end
            tails = [i for i, r in enumerate(live) if runs[r].done >= runs[r].full]
            for i in tails:
                r = live[i]
                run = runs[r]
                while run.done < run.batches:
                    lo, hi = run.done * m, min(run.done * m + m, run.n)
                    if stop is not None and stop():
                        kernel.write_back()
                        for q in live:
                            yield report(q, stopped=True)
                        return
                    idx = run.perm[lo:hi]
                    with threads:
                        step_cost = kernel.step_one(i, idx, run.table[y[idx]])
                    _check_finite([step_cost], None, [run], kernel)
                    run.cost_sum += step_cost
                    run.done += 1
                    run.images_seen += hi - lo
                    if due(run):
                        kernel.write_back([i])
                        yield report(r)
                kernel.write_back([i])
                net = run.net
                scores = (None if validation is None else evaluate(net, *validation),
                          None if test is None else evaluate(net, *test),
                          evaluate(net, X[:scored(run)], y[:scored(run)]) if training_accuracy else None)
                yield report(r, epoch_end=True, scores=scores)
                if run.epoch < epochs:
                    run.next_epoch(time.perf_counter())
            if tails:
                live = [r for r in live if runs[r].epoch < epochs or runs[r].done < runs[r].batches]
                continue
            # every live run has stacked mini-batches left: run them to the first run's next report
            k = min(runs[r].full - runs[r].done for r in live)
            if report_every > 0:
                k = min(k, *(report_every - runs[r].done % report_every for r in live))
            orders = np.stack([runs[r].perm[runs[r].done * m:(runs[r].done + k) * m] for r in live])
            wanted = np.stack([runs[r].table[y[order]].reshape(k, m, -1).transpose(0, 2, 1)
                               for r, order in zip(live, orders)], axis=1)  # (k, R, n_out, m)
            with threads:
                ran, costs = kernel.run_batches(orders, wanted, stop)
            _check_finite(costs, kernel.batch_costs, [runs[r] for r in live], kernel, ran)
            for r, c in zip(live, costs):
                runs[r].done += ran
                runs[r].cost_sum += float(c)
                runs[r].images_seen += ran * m
            if ran < k:
                kernel.write_back()
                for r in live:
                    yield report(r, stopped=True)
                return
            reporting = [i for i, r in enumerate(live) if due(runs[r])]
            if reporting:
                kernel.write_back(reporting)
                for i in reporting:
                    yield report(live[i])
    finally:
        if kernel is not None:
            kernel.write_back()
