"""MNIST training speed, memory and accuracy (issue 4). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_training.py              # speed + memory (about a minute)
    .venv/bin/python benchmarks/bench_training.py --accuracy   # also 30 epochs x 5 seeds, 30 and 100 hidden
    .venv/bin/python benchmarks/bench_training.py --accuracy-only --seeds 5

Speed (one BLAS thread for all): full 50,000-image epochs of 784-30-10, eta 3.0, mini-batch 10, training
only (no evaluation), for
the fast trainer (float32 from uint8 pixels as ``nnsim train`` runs it, float32 pixels, float64), the
plain vectorised mini-batch update (``Network.update_mini_batch``), and a per-sample reference with the
loop structure of the book's ``network.py``, all in the same run, so that the ratio means something on
a shared machine. The machine's load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np

import _timing  # noqa: F401  (one BLAS thread for every contender, as the nnsim command runs)
from nnsim.core.learning import metrics
from nnsim.core.learning.network import Network
from nnsim.core.learning.training import sgd
from nnsim.io.datasets import load_mnist


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def epoch_times(data, epochs=5, dtype=np.float32, sizes=(784, 30, 10), seed=0) -> list[float]:
    """Seconds per training epoch (no evaluation) of the fast trainer."""
    net = Network(list(sizes), seed=seed, dtype=dtype)
    return [s.epoch_seconds for s in sgd(net, data, epochs, 10, 3.0, seed=seed)]


def best_stretch(data, epochs=3, stretch=250) -> float:
    """The fastest run of ``stretch`` mini-batches, scaled to a 5,000-mini-batch epoch: what the trainer
    does while no other job takes the core (on a shared machine the whole-epoch times include others)."""
    net = Network([784, 30, 10], seed=0)
    times, last = [], None
    for s in sgd(net, data, epochs, 10, 3.0, seed=0, report_every=stretch):
        if last is not None and s.epoch == last.epoch:
            times.append(s.epoch_seconds - last.epoch_seconds)
        last = s
    return min(times) * 5000 / stretch


def plain_vectorised_epoch(data, n=50_000) -> float:
    """One epoch of the straightforward mini-batch version: Network.update_mini_batch (fresh arrays)."""
    X, y = data
    net = Network([784, 30, 10], seed=0)
    perm = np.random.default_rng(0).permutation(len(y))[:n]
    t0 = time.perf_counter()
    for k in range(0, n, 10):
        idx = perm[k:k + 10]
        net.update_mini_batch(X[idx], net.targets(y[idx]), 3.0)
    return (time.perf_counter() - t0) * 50_000 / n


def per_sample_reference_epoch(data, n=50_000) -> float:
    """One epoch with the book's loop structure: each image a (784, 1) column, backprop per image, the
    nablas summed in Python lists (float64, as in network.py)."""
    X, y = data
    rng = np.random.default_rng(0)
    sizes = [784, 30, 10]
    biases = [rng.standard_normal((s, 1)) for s in sizes[1:]]
    weights = [rng.standard_normal((b, a)) for a, b in zip(sizes[:-1], sizes[1:])]
    training_data = [(X[i].reshape(784, 1), np.eye(10)[y[i]].reshape(10, 1)) for i in range(n)]

    def sigmoid(z):
        return 1.0 / (1.0 + np.exp(-z))

    def backprop(x, t):
        nabla_b = [np.zeros(b.shape) for b in biases]
        nabla_w = [np.zeros(w.shape) for w in weights]
        activation = x
        activations = [x]
        zs = []
        for b, w in zip(biases, weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        delta = (activations[-1] - t) * sigmoid(zs[-1]) * (1 - sigmoid(zs[-1]))
        nabla_b[-1] = delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())
        sp = sigmoid(zs[-2]) * (1 - sigmoid(zs[-2]))
        delta = np.dot(weights[-1].transpose(), delta) * sp
        nabla_b[-2] = delta
        nabla_w[-2] = np.dot(delta, activations[-3].transpose())
        return nabla_b, nabla_w

    t0 = time.perf_counter()
    order = rng.permutation(n)
    shuffled = [training_data[i] for i in order]
    with np.errstate(over="ignore"):
        for k in range(0, n, 10):
            batch = shuffled[k:k + 10]
            nabla_b = [np.zeros(b.shape) for b in biases]
            nabla_w = [np.zeros(w.shape) for w in weights]
            for x, t in batch:
                db, dw = backprop(x, t)
                nabla_b = [nb + d for nb, d in zip(nabla_b, db)]
                nabla_w = [nw + d for nw, d in zip(nabla_w, dw)]
            weights = [w - (3.0 / len(batch)) * nw for w, nw in zip(weights, nabla_w)]
            biases = [b - (3.0 / len(batch)) * nb for b, nb in zip(biases, nabla_b)]
    return (time.perf_counter() - t0) * 50_000 / n


_CHILD = """
import resource, sys
from nnsim.cli import main
try:
    code = main(sys.argv[1:])
finally:
    try:  # VmHWM: this process's own peak (ru_maxrss would include the parent's, inherited through fork)
        peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak-rss-kb {peak}", file=sys.stderr)
raise SystemExit(code)
"""


def cli_run(args: list[str]) -> tuple[float, float, str]:
    """Wall time, peak RSS (MB, as the child measures itself) and stdout of ``nnsim <args>``."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _CHILD, *args], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    peak = next(int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("peak-rss-kb"))
    return wall, peak / 1024, proc.stdout


def fmt(times: list[float]) -> str:
    return f"median {statistics.median(times):.3f} s, best {min(times):.3f} s"


def speed(mnist, epochs: int) -> None:
    compact = mnist.compact("training")
    floats = mnist.training
    print("\n## Speed: one 50,000-image epoch, 784-30-10, eta 3.0, mini-batch 10, training only")
    fast8 = epoch_times(compact, epochs)
    print(f"fast trainer, float32, uint8 pixels (as nnsim train): {fmt(fast8)}  [target <= 0.15 s]")
    print(f"  best 250-mini-batch stretch, scaled to an epoch: {best_stretch(compact):.3f} s")
    fast32 = epoch_times(floats, epochs)
    print(f"fast trainer, float32, float32 pixels (the GUI's data): {fmt(fast32)}")
    fast64 = epoch_times(compact, max(2, epochs // 2), dtype=np.float64)
    print(f"fast trainer, float64:                                 {fmt(fast64)}")
    plain = plain_vectorised_epoch(floats, 10_000)
    print(f"plain vectorised mini-batches (update_mini_batch), float32: {plain:.3f} s (from 10,000 images)")
    ref = per_sample_reference_epoch(floats)
    best = statistics.median(fast8)
    print(f"per-sample reference (the book's loop structure), float64: {ref:.2f} s")
    print(f"ratio per-sample reference / fast trainer: {ref / best:.1f}x;  plain / fast: {plain / best:.1f}x")
    hidden = epoch_times(compact, max(2, epochs // 2), sizes=(784, 100, 10))
    print(f"784-100-10, float32: {fmt(hidden)}")
    for m in (1, 100):
        net = Network([784, 30, 10], seed=0)
        times = [s.epoch_seconds for s in sgd(net, compact, 2, m, 3.0, seed=0)]
        print(f"mini-batch {m}: {fmt(times)}")

    print("\n## nnsim train end to end (fresh process: start, load, train, evaluate each epoch)")
    wall, peak, out = cli_run(["train", "--epochs", "30", "--seed", "1"])
    last = out.strip().splitlines()[-1]
    print(f"nnsim train --epochs 30 --seed 1: {wall:.1f} s wall, peak RSS {peak:.0f} MB  [< 400 MB]")
    print(f"  last line: {last}")


def accuracy(mnist, hidden: int, seeds: int, target: float, headline: int = 5) -> None:
    """Train 784-hidden-10 with the book's settings for seeds 1..seeds; report the median of the first
    ``headline`` seeds against the target, and the spread over all."""
    compact = {k: mnist.compact(k) for k in ("training", "test")}
    print(f"\n## Accuracy: 784-{hidden}-10, eta 3.0, mini-batch 10, 30 epochs, seeds 1..{seeds}")
    finals, walls = [], []
    for seed in range(1, seeds + 1):
        net = Network([784, hidden, 10], seed=seed)
        t0 = time.perf_counter()
        history = [s.test_correct for s in sgd(net, compact["training"], 30, 10, 3.0,
                                                test_data=compact["test"], seed=seed)]
        walls.append(time.perf_counter() - t0)
        finals.append(history[-1] / 100)
        recall = metrics.per_class_accuracy(compact["test"][1], net.predict(compact["test"][0]))
        lost = [d for d in range(10) if recall[d] < 50]
        print(f"seed {seed}: epoch 30 {finals[-1]:.2f}%  (best epoch {max(history) / 100:.2f}%, "
              f"epoch 1 {history[0] / 100:.2f}%)  {walls[-1]:.1f} s"
              + (f"  digits never read: {lost}" if lost else ""))
    head = finals[:headline]
    print(f"median of epoch 30 over seeds 1..{len(head)}: {statistics.median(head):.2f}%  [target >= {target}%]")
    print(f"over all {len(finals)} seeds: median {statistics.median(finals):.2f}%, spread "
          f"{min(finals):.2f}–{max(finals):.2f}%, at 95% or more: {sum(f >= 95 for f in finals)} of "
          f"{len(finals)}; median time for 30 epochs with test evaluation {statistics.median(walls):.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accuracy", action="store_true", help="also run the accuracy over seeds")
    parser.add_argument("--accuracy-only", action="store_true")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--survey", type=int, default=0, metavar="K",
                        help="train 784-100-10 for seeds 1..K (at least --seeds) to show the spread")
    parser.add_argument("--epochs", type=int, default=6, help="epochs per speed measurement")
    args = parser.parse_args()
    print(f"# nnsim training benchmark: {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}, NumPy {np.__version__}")
    print(f"start: {load()}")
    t0 = time.perf_counter()
    mnist = load_mnist()
    print(f"load bundled MNIST: {time.perf_counter() - t0:.2f} s")
    if not args.accuracy_only:
        speed(mnist, args.epochs)
    if args.accuracy or args.accuracy_only:
        accuracy(mnist, 30, args.seeds, 94.8, args.seeds)
        accuracy(mnist, 100, max(args.seeds, args.survey), 96.3, args.seeds)
    print(f"\nend: {load()}")


if __name__ == "__main__":
    main()
