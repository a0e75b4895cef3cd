"""``nnsim learning-curve`` and ``nnsim cost-sweep``: two of the chapter's morals from the command line.

``learning-curve`` trains one network per training-set size (500 … 50,000 images) as one grid of runs and
prints the test accuracy beside the training accuracy: more data helps, and the gap between the two is
how much the network only remembers ("good data beats a clever algorithm"). ``cost-sweep`` moves one weight
of a trained network and prints the quadratic cost beside the number of correct test images: the cost
glides, the count moves in steps, which is why training follows the cost.
"""

from __future__ import annotations

import csv
import json
import sys

import numpy as np

from nnsim.cli import grid_commands
from nnsim.core.errors import UserError
from nnsim.core.learning.metrics import percent
from nnsim.core.learning.runs import LEARNING_CURVE_SIZES

DEFAULT_SIZES = ",".join(map(str, LEARNING_CURVE_SIZES))
DATA_HELP = "a folder of IDX files, mnist.pkl.gz or a Keras-style .npz (default: the bundled MNIST)"


def register(sub) -> None:
    p = sub.add_parser("learning-curve", help="test accuracy against training-set size, trained as one grid",
                       description="Train the same network on the first N training images for each N, all "
                                   "runs together, and print the test and training accuracy after the last "
                                   "epoch (the book: more training data often beats a cleverer algorithm).")
    p.add_argument("--train", type=grid_commands.ints, default=grid_commands.ints(DEFAULT_SIZES),
                   metavar="N,N,…", help=f"training-set sizes (default {DEFAULT_SIZES})")
    p.add_argument("--sizes", metavar="784,30,10", default="784,30,10", help="neurons per layer")
    p.add_argument("--eta", type=float, default=3.0, help="learning rate η (default 3.0)")
    p.add_argument("--mini-batch", dest="mini_batch", type=int, default=10, metavar="M",
                   help="mini-batch size (default 10)")
    p.add_argument("--epochs", type=int, default=30, help="epochs for every size (default 30)")
    p.add_argument("--seed", type=grid_commands.ints, default=[1], metavar="S,S,…",
                   help="seeds (default 1); several give the spread for each size")
    p.add_argument("--cost", choices=("quadratic", "cross-entropy"), default="quadratic",
                   help="cost function (default quadratic)")
    p.add_argument("--init", choices=("book", "scaled"), default="book",
                   help="initial weights N(0, 1) (book, default) or N(0, 1/n_in) (scaled)")
    p.add_argument("--data", metavar="PATH", help=DATA_HELP)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--csv", action="store_true", help="one CSV row per run")
    out.add_argument("--json", action="store_true", help="one JSON object per run")
    p.set_defaults(func=cmd_learning_curve)

    p = sub.add_parser("cost-sweep", help="move one weight of a trained network: the cost glides, the "
                                          "number correct jumps",
                       description="Set one weight w^l_jk (or bias b^l_j) of a saved network to a range of "
                                   "values and print, for each, the mean quadratic cost and the number of "
                                   "test images read right (the book's reason for a smooth cost, 1.6).")
    p.add_argument("file", help="a saved network (.npz, or the book's network2 .json)")
    p.add_argument("--weight", default="2,0,0", metavar="L,J,K",
                   help="the book's w^L_JK: layer L (2 = the first weights), neuron J of layer L, neuron K "
                        "of layer L-1; 'L,J' sweeps the bias b^L_J (default 2,0,0)")
    p.add_argument("--range", dest="span", type=float, default=1.0, metavar="D",
                   help="sweep from the weight's value − D to + D (default 1)")
    p.add_argument("--points", type=int, default=41, help="values in the sweep (default 41)")
    p.add_argument("--images", type=int, default=10_000, help="test images scored (default 10,000)")
    p.add_argument("--data", metavar="PATH", help=DATA_HELP)
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.set_defaults(func=cmd_cost_sweep)


def cmd_learning_curve(args) -> int:
    from nnsim.cli.mnist_commands import _Interrupt, _load, parse_sizes  # noqa: F401 (no cycle: one way)
    from nnsim.core.learning.runs import grid, train_runs

    data = _load(args)
    training = data.compact("training")
    n = len(training[1])
    sizes = parse_sizes(args.sizes)
    for t in args.train:
        if not 1 <= t <= n:
            raise UserError(f"--train sizes must lie in 1…{n} (the training images of {data.source}), not {t}")
    if args.epochs < 1:
        raise UserError(f"--epochs must be at least 1, not {args.epochs}")
    runs = grid(sizes=[sizes], seeds=args.seed, etas=[args.eta], costs=[args.cost], inits=[args.init],
                mini_batch_sizes=[args.mini_batch], n_trains=sorted(set(args.train)))
    test = data.compact("test")
    print(f"nnsim: {len(runs)} runs of {'-'.join(map(str, sizes))} ({args.cost}, {args.init} init, η "
          f"{args.eta:g}, mini-batch {args.mini_batch}, {args.epochs} epochs) on "
          f"{', '.join(f'{t:,}' for t in sorted(set(args.train)))} training images, together",
          file=sys.stderr)
    final = {}
    with _Interrupt() as interrupt:
        for rep in train_runs(runs, training, args.epochs, test_data=test, stop=interrupt,
                              n_classes=data.n_classes, training_accuracy=True,
                              processes=grid_commands.PROCESSES):
            if rep.stats.epoch_end:
                final[rep.run] = rep.stats
    rows = []
    for i, r in enumerate(runs):
        s = final.get(i)
        if s is None:
            continue
        rows.append({"training_images": r.n_train, "seed": r.seed, "epochs": s.epoch,
                     "test_correct": s.test_correct, "test_total": s.test_total,
                     "test_pct": round(percent(s.test_correct, s.test_total), 2),
                     "training_correct": s.training_correct, "training_total": s.training_total,
                     "training_pct": round(percent(s.training_correct, s.training_total), 2)})
    if args.json:
        for row in rows:
            print(json.dumps(row))
    elif args.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["training_images"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        print(f"{'training images':>15}  {'seed':>4}  {'test':>7}  {'training':>8}  gap")
        for row in rows:
            gap = row["training_pct"] - row["test_pct"]
            print(f"{row['training_images']:>15,}  {row['seed']:>4}  {row['test_pct']:>6.2f}%  "
                  f"{row['training_pct']:>7.2f}%  {gap:+.2f}")
    return 130 if interrupt.requested else 0


def parse_parameter(text: str) -> tuple[int, int, int | None]:
    try:
        parts = [int(p) for p in text.replace(" ", "").split(",")]
    except ValueError:
        parts = []
    if len(parts) not in (2, 3):
        raise UserError(f"--weight must be L,J,K (a weight) or L,J (a bias), not {text!r}")
    return parts[0], parts[1], parts[2] if len(parts) == 3 else None


def cmd_cost_sweep(args) -> int:
    from nnsim.core.learning.smooth import check_parameter, weight_sweep
    from nnsim.io.datasets import load_mnist
    from nnsim.io.networkfile import load_network

    net = load_network(args.file)
    layer, j, k = parse_parameter(args.weight)
    check_parameter(net, layer, j, k)
    if not np.isfinite(args.span) or args.span <= 0:
        raise UserError(f"--range must be a number above 0, not {args.span}")
    if not 2 <= args.points <= 10_001:
        raise UserError(f"--points must lie in 2…10001, not {args.points}")
    data = load_mnist(args.data)
    X, y = data.compact("test")
    if net.sizes[0] != X.shape[1]:
        raise UserError(f"{args.file}: the network takes {net.sizes[0]} inputs but the images have "
                        f"{X.shape[1]} pixels")
    if args.images < 1:
        raise UserError(f"--images must be at least 1, not {args.images}")
    X, y = X[:args.images], y[:args.images]
    w0 = float(net.weights[layer - 2][j, k] if k is not None else net.biases[layer - 2][j])
    values = np.linspace(w0 - args.span, w0 + args.span, args.points)
    sweep = weight_sweep(net, X, y, layer, j, k, values)
    if args.json:
        print(json.dumps({"parameter": sweep.name, "start": sweep.start, "values": sweep.values.tolist(),
                          "cost": sweep.cost.tolist(), "correct": sweep.correct.tolist(),
                          "total": sweep.total}))
        return 0
    print(f"{sweep.name} (now {sweep.start:.4f}), {sweep.total:,} test images")
    print(f"{'value':>10}  {'quadratic cost':>14}  {'correct':>7}")
    for v, c, n in zip(sweep.values, sweep.cost, sweep.correct):
        mark = "  ← now" if abs(v - sweep.start) < 1e-12 else ""
        print(f"{v:>10.4f}  {c:>14.6f}  {n:>7d}{mark}")
    cost_moves = int(np.count_nonzero(np.diff(sweep.cost)))
    count_moves = int(np.count_nonzero(np.diff(sweep.correct)))
    print(f"between neighbouring values the cost changed {cost_moves} times of {len(values) - 1}, the number "
          f"correct {count_moves} times, in whole steps")
    return 0
