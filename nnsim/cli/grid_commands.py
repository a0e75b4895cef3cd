"""``nnsim train`` with lists of settings (a grid of runs trained together) and ``nnsim learning-curve``.

``nnsim train --seed 0,1,2,3 --eta 0.001,3,100`` trains the 12 combinations at once
(:mod:`nnsim.core.learning.runs`) and prints each run's line per epoch, then a summary: each run's last
test score and, for runs that differ only in their seed, the spread (min / median / max). ``--json`` prints
one object per run and epoch with ``run``, ``seed`` and ``eta`` beside the fields of a single run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys

from nnsim.core.errors import UserError
from nnsim.core.learning.metrics import percent

LIST_HELP = "; a comma-separated list trains every combination together"
#: Processes a grid is trained in: both cores of a two-core machine (see nnsim.core.learning.runs)
PROCESSES = max(1, min(2, os.cpu_count() or 1))


def floats(text: str) -> list[float]:
    """``"0.5,3"`` → [0.5, 3.0]; argparse reports a bad value as a usage error."""
    try:
        values = [float(v) for v in text.replace(" ", "").split(",") if v != ""]
    except ValueError:
        values = []
    if not values:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, not {text!r}")
    return values


def ints(text: str) -> list[int]:
    values = floats(text)
    if any(not math.isfinite(v) or v != int(v) for v in values):
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, not {text!r}")
    return [int(v) for v in values]


def words(text: str) -> list[str]:
    return [w for w in text.replace(" ", "").split(",") if w]


def list_settings(args, parse_sizes) -> dict[str, list]:
    """The listed values of ``nnsim train``'s settings (each a list of at least one value)."""
    def listed(value, parse):
        if value is None or isinstance(value, list):
            return value
        return parse(value) if isinstance(value, str) else [value]

    sizes = [parse_sizes(s) for s in args.sizes] if args.sizes else None
    return {"sizes": sizes, "seed": listed(args.seed, ints), "eta": listed(args.eta, floats),
            "cost": listed(args.cost, words), "init": listed(args.init, words),
            "mini_batch": listed(args.mini_batch, ints)}


def expand(args, parse_sizes) -> bool:
    """True when a setting lists several values (a grid); otherwise put single values back into ``args``
    (``args.eta`` a float, ``args.seed`` an int or None, …) for the one-run path. ``parse_sizes`` reads one
    ``--sizes`` value."""
    lists = list_settings(args, parse_sizes)
    if any(v is not None and len(v) > 1 for v in lists.values()):
        args.grid = lists
        return True
    one = {k: (None if v is None else v[0]) for k, v in lists.items()}
    args.sizes = None if one["sizes"] is None else ",".join(map(str, one["sizes"]))
    args.seed, args.eta, args.cost, args.init, args.mini_batch = (one["seed"], one["eta"], one["cost"],
                                                                   one["init"], one["mini_batch"])
    return False


def epoch_record(stats, run: int, seed: int, eta: float, **extra) -> dict:
    """One ``--json`` line: run, seed and eta, then the epoch's fields."""
    record = {"run": run, "seed": seed, "eta": eta, **extra, "epoch": stats.epoch,
              "test_correct": stats.test_correct, "test_total": stats.test_total,
              "validation_correct": stats.validation_correct, "validation_total": stats.validation_total,
              "cost": round(stats.cost, 6), "seconds": round(stats.epoch_seconds, 4),
              "images_seen": stats.images_seen}
    if stats.training_correct is not None:
        record.update(training_correct=stats.training_correct, training_total=stats.training_total)
    return record


def cmd_train_grid(args, *, load, check_train_args, interrupter, print_epoch) -> int:
    """``nnsim train`` for a grid (after :func:`expand`); the single run's helpers are passed in by
    :mod:`nnsim.cli.mnist_commands`, which owns them."""
    import secrets

    from nnsim.core.learning.network import DTYPES
    from nnsim.core.learning.runs import grid, train_runs

    lists = args.grid
    if args.save:
        raise UserError("--save saves one network: give one value per setting to save it")
    data = load(args)
    training = data.compact("training")
    n_train = len(training[1])
    sizes_list = lists["sizes"] or [None]
    checked_sizes = []
    for sizes in sizes_list:  # the one-run checks, for each listed value
        for eta in lists["eta"]:
            for m in lists["mini_batch"]:
                args.sizes = None if sizes is None else ",".join(map(str, sizes))
                args.eta, args.mini_batch = eta, m
                checked = check_train_args(args, data, n_train)
        checked_sizes.append(checked)
    seeds = lists["seed"] or [secrets.randbelow(2 ** 31)]
    runs = grid(sizes=checked_sizes, seeds=seeds, etas=lists["eta"], costs=lists["cost"], inits=lists["init"],
                mini_batch_sizes=lists["mini_batch"])
    validation, test = data.compact("validation"), data.compact("test")
    print(f"nnsim: training {len(runs)} runs together on {n_train:,} images from {data.source} "
          f"({args.encoding}, {args.dtype}, {args.epochs} epoch{'s' if args.epochs != 1 else ''})",
          file=sys.stderr)
    for i, r in enumerate(runs):
        print(f"nnsim: run {i}: {r.label()}", file=sys.stderr)
    last = {}
    with interrupter() as interrupt:
        reports = train_runs(runs, training, args.epochs,
                             validation_data=validation if len(validation[1]) else None,
                             test_data=test if len(test[1]) else None, stop=interrupt,
                             dtype=DTYPES[args.dtype], encoding=args.encoding, n_classes=data.n_classes,
                             training_accuracy=getattr(args, "training_accuracy", False),
                             processes=PROCESSES)
        for rep in reports:
            if rep.stats.stopped:
                continue
            last[rep.run] = rep.stats  # epoch ends (no other reports are asked for)
            if args.json:
                r = rep.settings
                print(json.dumps(epoch_record(rep.stats, rep.run, r.seed, r.eta, sizes=list(r.sizes),
                                              cost_function=r.cost, init=r.init,
                                              mini_batch_size=r.mini_batch_size)),
                      flush=True)
            else:
                print(f"run {rep.run:>2}  ", end="")
                print_epoch(rep.stats, False)
    if interrupt.requested:
        print("nnsim: stopped", file=sys.stderr)
    if not args.json:
        summary(runs, last)
    return 130 if interrupt.requested else 0


def summary(runs, last) -> None:
    """Each run's last test score, and the spread over seeds of runs that differ only in their seed."""
    print()
    width = max(len(r.label()) for r in runs) + 2
    print("run  " + "settings".ljust(width) + "test")
    groups: dict = {}
    for i, r in enumerate(runs):
        stats = last.get(i)
        score = None if stats is None or stats.test_correct is None else percent(stats.test_correct, stats.test_total)
        text = "—" if score is None else f"{score:.2f}%"
        print(f"{i:>3}  {r.label():<{width}}{text}")
        key = (r.sizes, r.eta, r.cost, r.init, r.mini_batch_size, r.n_train)
        if score is not None:
            groups.setdefault(key, []).append(score)
    spread = [(k, v) for k, v in groups.items() if len(v) > 1]
    if spread:
        print()
        print("spread across seeds (min / median / max):")
        for (sizes, eta, cost, init, m, n), scores in spread:
            label = f"{'-'.join(map(str, sizes))}, η={eta:g}, {cost}, {init} init, m={m}"
            print(f"  {label}: {min(scores):.2f} / {statistics.median(scores):.2f} / {max(scores):.2f}%"
                  f"  ({len(scores)} seeds)")
