"""Many training runs at once: a grid of settings, trained together on both cores.

The book's results need more than one run to be understood: η = 0.001 against 3 against 100, the spread
across seeds, 30 against 100 hidden neurons. :func:`grid` makes one :class:`RunSettings` per combination of
the listed values; :func:`train_runs` trains them all and yields a :class:`RunReport` per run and report.

How. Runs with the same layer sizes, mini-batch size and cost are *stacked*: their weights live in
(R, n_out, n_in) arrays and every product is one batched ``np.matmul`` over the runs
(:mod:`nnsim.core.learning.kernel`), so the Python and NumPy overhead of a mini-batch is paid once for R
runs. Each run keeps its own η, its own shuffle (from its seed) and its own number of training images, and
makes the same products as it would alone, so it gives the numbers it gives alone. Settings that cannot
stack (other layer sizes, mini-batch sizes or costs) train one after another.

Cores. ``threads=2`` splits the stacks over two threads (BLAS on one thread each). It does not pay:
most of a mini-batch's NumPy calls are too small to release Python's lock, so the two threads take turns
and the hand-overs cost more than the second core gives (one stack of eight runs in one thread was as
fast as two stacks of four in two threads; figures in docs/benchmarks.md). ``processes=2`` trains the
two halves in two forked processes, each with its own interpreter lock, which do run side by side; the
command line uses them. One thread is the default (the app trains in its worker thread and leaves the
other core to the GUI).
"""

from __future__ import annotations

import itertools
import multiprocessing
import multiprocessing.connection
import queue
import signal
import threading
from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np

from nnsim.core.blas import BlasThreads
from nnsim.core.errors import UserError
from nnsim.core.learning.costs import get_cost
from nnsim.core.learning.network import Network, check_init, check_sizes
from nnsim.core.learning.training import (TrainingStats, as_floats, check_data, check_hyper,
                                          check_report_every, train_stack)

#: Training-set sizes of the book's learning curve ("more data beats a cleverer algorithm")
LEARNING_CURVE_SIZES = (500, 1000, 2000, 5000, 10_000, 20_000, 50_000)
#: Threads the stacks are spread over by default (see the module doc for why one).
THREADS = 1


@dataclass(frozen=True)
class RunSettings:
    """One run: layer ``sizes``, ``seed`` (initial weights and shuffles), ``eta``, ``cost``, ``init``
    (``"book"`` N(0, 1) or ``"scaled"`` N(0, 1/n_in)), ``mini_batch_size`` and ``n_train`` (train on the
    first n_train training images; None: all)."""

    sizes: tuple
    seed: int
    eta: float
    cost: str = "quadratic"
    init: str = "book"
    mini_batch_size: int = 10
    n_train: int | None = None

    def label(self) -> str:
        parts = ["-".join(map(str, self.sizes)), f"seed {self.seed}", f"η={self.eta:g}"]
        if self.cost != "quadratic":
            parts.append(self.cost)
        if self.init != "book":
            parts.append(f"{self.init} init")
        if self.mini_batch_size != 10:
            parts.append(f"m={self.mini_batch_size}")
        if self.n_train is not None:
            parts.append(f"{self.n_train:,} images")
        return ", ".join(parts)


@dataclass
class RunReport:
    """A report of run number ``run`` (its index in the list given to :func:`train_runs`)."""

    run: int
    settings: RunSettings
    stats: TrainingStats
    network: Network | None = field(default=None, repr=False)  # a copy, at epoch ends when asked for


def grid(sizes=((784, 30, 10),), seeds=(1,), etas=(3.0,), costs=("quadratic",), inits=("book",),
         mini_batch_sizes=(10,), n_trains=(None,)) -> list[RunSettings]:
    """Every combination of the listed values, in this order: sizes, mini-batch size, training-set size,
    cost, initialisation, η, seed (the seed varies fastest)."""
    runs = []
    for s, m, n, c, i, eta, seed in itertools.product(sizes, mini_batch_sizes, n_trains, costs, inits, etas,
                                                      seeds):
        runs.append(RunSettings(tuple(check_sizes(s)), int(seed), float(eta), get_cost(c).name,
                                check_init(i), int(m), None if n is None else int(n)))
    return runs


def train_runs(runs, training_data, epochs: int, *, validation_data=None, test_data=None,
               stop: Callable[[], bool] | None = None, report_every: int = 0, dtype=np.float32,
               encoding: str | None = None, n_classes: int | None = None, threads: int = THREADS,
               processes: int = 1, training_accuracy: bool | int = False,
               copies: bool = False) -> Iterator[RunReport]:
    """Train every run of ``runs`` (a list of :class:`RunSettings`); a generator of :class:`RunReport`.

    Data as for :func:`nnsim.core.learning.training.sgd`. Each run starts from ``Network(sizes, seed,
    init=...)`` and shuffles with ``np.random.default_rng(seed)``, as ``nnsim train --seed`` does. Reports
    of different runs interleave; those of one run come in order. ``copies``: attach a copy of the network
    to each epoch-end report. ``stop()`` is asked before every mini-batch (from the training threads); when
    it returns true every run still training yields a last report with ``stopped=True``. Closing the
    generator stops the threads. ``processes=2`` trains the stacks in two forked processes instead (see the
    module doc; where the system cannot fork, in one thread); the networks are up to date when the last
    report has been yielded. Bad settings raise UserError here, before the first report.
    """
    runs = list(runs)
    threads = max(1, int(threads))
    if not runs:
        raise UserError("no runs to train")
    X, y = training_data
    nets = []
    for r in runs:
        net = Network(r.sizes, seed=r.seed, dtype=dtype, encoding=encoding, n_classes=n_classes, init=r.init)
        nets.append(net)
    checked = {}
    for r, net in zip(runs, nets):
        if r.sizes not in checked:
            checked[r.sizes] = (check_data(net, training_data, "training"),
                                None if validation_data is None else check_data(net, validation_data,
                                                                                "validation"),
                                None if test_data is None else check_data(net, test_data, "test"))
        n = len(X) if r.n_train is None else r.n_train
        if not 1 <= n <= len(X):
            raise UserError(f"a training-set size must lie in 1…{len(X)}, not {n}")
        check_hyper(epochs, r.mini_batch_size, r.eta, n)
    epochs = check_hyper(epochs, 1, 1.0, 1)[0]
    report_every = check_report_every(report_every)
    (X, y), validation, test = next(iter(checked.values()))
    validation, test = as_floats(validation, nets[0].dtype), as_floats(test, nets[0].dtype)
    processes = max(1, int(processes))
    if processes > 1 and "fork" in multiprocessing.get_all_start_methods():
        return _train_forked(runs, nets, _jobs(runs, processes), X, y, epochs, validation, test, stop,
                             report_every, processes, training_accuracy, copies)
    jobs = _jobs(runs, threads)
    if threads == 1:
        return _train_here(runs, nets, jobs, X, y, epochs, validation, test, stop, report_every,
                           training_accuracy, copies)
    return _train(runs, nets, jobs, X, y, epochs, validation, test, stop, report_every, threads,
                  training_accuracy, copies)


def _jobs(runs, threads: int) -> list[list[int]]:
    """Groups of run indices that stack (same sizes, mini-batch size and cost), each split so that there
    are at least ``threads`` stacks when there are that many runs; largest first."""
    groups: dict[tuple, list[int]] = {}
    for i, r in enumerate(runs):
        groups.setdefault((r.sizes, r.mini_batch_size, r.cost), []).append(i)
    per_group = -(-threads // len(groups))
    jobs = []
    for members in groups.values():
        parts = min(per_group, len(members))
        jobs += [members[k::parts] for k in range(parts)]  # round robin: similar work in each part
    return sorted(jobs, key=lambda job: -sum(_work(runs[i]) for i in job))


def _work(r: RunSettings) -> int:
    return (r.n_train or 10 ** 9) * sum(a * b for a, b in zip(r.sizes, r.sizes[1:]))


def _stack(runs, nets, job, X, y, epochs, validation, test, stop, report_every, training_accuracy, copies,
           single_thread):
    """Train one job's runs as one stack: its RunReports."""
    r0 = runs[job[0]]
    rngs = [np.random.default_rng(runs[i].seed) for i in job]
    ns = [len(X) if runs[i].n_train is None else runs[i].n_train for i in job]
    reports = train_stack([nets[i] for i in job], X, y, epochs, r0.mini_batch_size, [runs[i].eta for i in job],
                          get_cost(r0.cost), rngs, ns, validation=validation, test=test, stop=stop,
                          report_every=report_every, single_thread=single_thread,
                          training_accuracy=training_accuracy)
    for k, stats in reports:
        i = job[k]
        copy = nets[i].copy() if copies and (stats.epoch_end or stats.stopped) else None
        yield RunReport(i, runs[i], stats, copy)


def _train_here(runs, nets, jobs, X, y, epochs, validation, test, stop, report_every, training_accuracy,
                copies):
    """The jobs one after another in the caller's thread."""
    for job in jobs:
        yield from _stack(runs, nets, job, X, y, epochs, validation, test, stop, report_every,
                          training_accuracy, copies, True)


_DONE = object()


def _train(runs, nets, jobs, X, y, epochs, validation, test, stop, report_every, threads, training_accuracy,
           copies):
    out: queue.Queue = queue.Queue()
    todo: queue.Queue = queue.Queue()
    for job in jobs:
        todo.put(job)
    closing = threading.Event()

    def should_stop():
        return closing.is_set() or (stop is not None and stop())

    def worker():
        try:
            while not closing.is_set():
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    break
                for report in _stack(runs, nets, job, X, y, epochs, validation, test, should_stop,
                                     report_every, training_accuracy, copies, False):
                    out.put(report)
        except BaseException as exc:  # handed to the consumer, raised there
            closing.set()
            out.put(exc)
        finally:
            out.put(_DONE)

    workers = [threading.Thread(target=worker, name=f"nnsim-runs-{k}", daemon=True)
               for k in range(min(threads, len(jobs)))]
    blas = BlasThreads(1)  # one BLAS thread per training thread: the process-wide count, set once here
    blas.__enter__()
    try:
        for w in workers:
            w.start()
        running = len(workers)
        error = None
        while running:
            item = out.get()
            if item is _DONE:
                running -= 1
            elif isinstance(item, BaseException):
                error = error or item
            else:
                yield item
        if error is not None:
            raise error
    finally:
        closing.set()
        for w in workers:
            if w.is_alive():
                w.join()
        blas.__exit__(None, None, None)


def _train_forked(runs, nets, jobs, X, y, epochs, validation, test, stop, report_every, processes,
                  training_accuracy, copies):
    """The jobs in ``processes`` forked children (each takes every ``processes``-th job), their reports sent
    back through pipes; each child sends its runs' final weights last."""
    ctx = multiprocessing.get_context("fork")
    flag = ctx.RawValue("b", 0)  # set by the parent: every child stops before its next mini-batch
    shares = [jobs[k::processes] for k in range(processes) if jobs[k::processes]]
    children, pipes = [], []
    for share in shares:
        receive, send = ctx.Pipe(duplex=False)
        child = ctx.Process(target=_child, args=(send, share, runs, nets, X, y, epochs, validation, test,
                                                 flag, report_every, training_accuracy, copies), daemon=True)
        child.start()
        send.close()
        children.append(child)
        pipes.append(receive)
    error = None
    try:
        while pipes:
            if stop is not None and not flag.value and stop():
                flag.value = 1
            for pipe in multiprocessing.connection.wait(pipes, timeout=0.05):
                try:
                    kind, payload = pipe.recv()
                except EOFError:
                    pipes.remove(pipe)
                    error = error or UserError("a training process ended without finishing its runs")
                    continue
                if kind == "report":
                    yield payload
                elif kind == "weights":
                    i, weights, biases = payload
                    for old, new in zip(nets[i].weights + nets[i].biases, weights + biases):
                        old[...] = new
                elif kind == "error":
                    error = error or payload
                elif kind == "done":
                    pipes.remove(pipe)
                    pipe.close()
        if error is not None:
            raise error
    finally:
        flag.value = 1
        for child in children:
            child.join(timeout=10)
            if child.is_alive():
                child.terminate()
                child.join()
        for pipe in pipes:
            pipe.close()


def _child(send, share, runs, nets, X, y, epochs, validation, test, flag, report_every, training_accuracy,
           copies):
    """A forked child: train its jobs, send every report, then the final weights, then "done"."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which sets the flag
    try:
        with BlasThreads(1):
            for job in share:
                for report in _stack(runs, nets, job, X, y, epochs, validation, test, lambda: bool(flag.value),
                                     report_every, training_accuracy, copies, False):
                    send.send(("report", report))
                for i in job:
                    send.send(("weights", (i, nets[i].weights, nets[i].biases)))
    except UserError as err:
        send.send(("error", UserError(str(err))))
    except Exception as err:  # noqa: BLE001 - handed to the parent, which raises it
        send.send(("error", RuntimeError(f"{type(err).__name__}: {err}")))
    finally:
        send.send(("done", None))
        send.close()
