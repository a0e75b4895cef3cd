"""Runs trained together (issue 13): 8 runs of 784-30-10 against one run. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_runs.py [--runs 8] [--epochs 2] [--repeat 3]

One run is ``training.sgd`` (what ``nnsim train`` runs); the eight are ``runs.train_runs`` (seeds 0..7,
η = 3.0, mini-batch 10, the bundled 50,000 training images as uint8, no evaluation): stacked weights,
batched products; two stacks of four in two forked processes (what ``nnsim train`` does), one stack of
eight in one thread (the default, what the app does) and two stacks of four in two threads, one BLAS
thread each. All are timed in the same process, alternating, so the ratios mean something on a
shared machine; the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import _timing  # noqa: F401  (one BLAS thread, as the nnsim command runs)

from nnsim.core.learning.network import Network
from nnsim.core.learning.runs import grid, train_runs
from nnsim.core.learning.training import sgd
from nnsim.io.datasets import load_mnist


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def one_run(data, epochs: int) -> float:
    net = Network([784, 30, 10], seed=0)
    t0 = time.perf_counter()
    for _ in sgd(net, data, epochs, 10, 3.0, seed=0):
        pass
    return (time.perf_counter() - t0) / epochs


def many_runs(data, epochs: int, n: int, threads: int, processes: int = 1) -> float:
    t0 = time.perf_counter()
    for _ in train_runs(grid(seeds=range(n)), data, epochs, threads=threads, processes=processes):
        pass
    return (time.perf_counter() - t0) / epochs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = load_mnist().compact("training")
    print(f"start: {load()}")
    single, together, two_threads, forked = [], [], [], []
    for _ in range(args.repeat):
        single.append(one_run(data, args.epochs))
        together.append(many_runs(data, args.epochs, args.runs, 1))
        two_threads.append(many_runs(data, args.epochs, args.runs, 2))
        forked.append(many_runs(data, args.epochs, args.runs, 1, processes=2))
    s, t, o, f = (statistics.median(x) for x in (single, together, two_threads, forked))
    print(f"one run (sgd): median {s:.3f} s per epoch {['%.3f' % x for x in single]}")
    print(f"{args.runs} runs together, two stacks in 2 processes (nnsim train): median {f:.3f} s per epoch "
          f"{['%.3f' % x for x in forked]}  -> {f / s:.2f}x one run  [target <= 4x]")
    print(f"{args.runs} runs together, one stack, 1 thread (the app): median {t:.3f} s per epoch "
          f"{['%.3f' % x for x in together]}  -> {t / s:.2f}x one run")
    print(f"{args.runs} runs together, two stacks, 2 threads: median {o:.3f} s per epoch "
          f"{['%.3f' % x for x in two_threads]}  -> {o / s:.2f}x one run")
    print(f"end: {load()}")


if __name__ == "__main__":
    main()
