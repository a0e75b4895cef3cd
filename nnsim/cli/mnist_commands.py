"""``nnsim train``, ``evaluate``, ``baseline`` and ``data``: the MNIST engine from the command line.

``nnsim train`` prints the book's line per epoch, ``Epoch 1: 9129 / 10000``, with the validation score,
the training cost and the seconds; ``--json`` prints one JSON object per epoch instead. Ctrl-C stops after
the current mini-batch, and the network is still saved when ``--save`` was given.
"""

from __future__ import annotations

import json
import math
import secrets
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from nnsim.cli import grid_commands
from nnsim.core.learning import baselines, encodings
from nnsim.core.errors import UserError
from nnsim.core.learning.metrics import percent
from nnsim.core.learning.network import DTYPES, Network, check_sizes
from nnsim.core.learning.training import check_eta_precision, check_hyper, evaluate, sgd
from nnsim.io.datasets import MnistData, load_mnist
from nnsim.io.download import MIRRORS, default_cache_dir, download_mnist
from nnsim.io.files import check_writable
from nnsim.io.networkfile import load_network_with_meta, save_network
from nnsim.io.system import check_training_fits

DATA_HELP = ("a folder of IDX files (.gz or raw), mnist.pkl.gz or a Keras-style .npz "
             "(default: the MNIST copy bundled with nnsim)")


def register(sub) -> None:
    p = sub.add_parser("train", help="train a network on MNIST by mini-batch SGD (the book's chapter 1)",
                       description="Train a sigmoid network with the quadratic cost by mini-batch stochastic "
                                   "gradient descent, printing the test score after each epoch as the book "
                                   "does. Ctrl-C stops after the current mini-batch (and still saves).")
    p.add_argument("--sizes", metavar="784,30,10", action="append",
                   help="neurons per layer, input first (default: pixels,30,outputs of the encoding); "
                        "repeat it to train several shapes one after another")
    p.add_argument("--eta", type=grid_commands.floats, default=[3.0], metavar="η",
                   help="learning rate η (default 3.0)" + grid_commands.LIST_HELP)
    p.add_argument("--mini-batch", dest="mini_batch", type=grid_commands.ints, default=[10], metavar="M",
                   help="mini-batch size (default 10; 1 is online learning); a comma-separated list "
                        "trains one size after another")
    p.add_argument("--epochs", type=int, default=30, help="epochs (default 30)")
    p.add_argument("--seed", type=grid_commands.ints,
                   help="seed of the initial weights and the shuffles (default: random)" + grid_commands.LIST_HELP)
    p.add_argument("--encoding", choices=encodings.ENCODINGS, default="onehot",
                   help="10 one-hot outputs or 4 binary ones (default onehot)")
    p.add_argument("--cost", type=grid_commands.words, default=["quadratic"], metavar="quadratic|cross-entropy",
                   help="cost function (default quadratic, as in chapter 1; cross-entropy: chapter 3)"
                        + grid_commands.LIST_HELP)
    p.add_argument("--init", type=grid_commands.words, default=["book"], metavar="book|scaled",
                   help="initial weights: book N(0, 1) as in chapter 1, or scaled N(0, 1/n_in) as in chapter 3"
                        + grid_commands.LIST_HELP)
    p.add_argument("--training-accuracy", dest="training_accuracy", action="store_true",
                   help="also score the training images after each epoch (beside validation and test)")
    p.add_argument("--data", metavar="PATH", help=DATA_HELP)
    p.add_argument("--limit-train", dest="limit_train", type=int, metavar="N",
                   help="train on the first N training images only")
    p.add_argument("--dtype", choices=tuple(DTYPES), default="float32", help="arithmetic (default float32)")
    p.add_argument("--save", metavar="F.npz", help="save the trained network here (F.json: the book's "
                                                   "network2 format, which its load() reads)")
    p.add_argument("--json", action="store_true", help="one JSON object per epoch")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="score a saved network on the test and validation images")
    p.add_argument("file", help="a network saved by nnsim train --save (.npz), or the book's network2 .json")
    p.add_argument("--binary-layer", dest="binary_layer", action="store_true",
                   help="also put the book's hand-set 10 → 4 layer on top (section 1.4's exercise) and "
                        "score its 4-bit answers and their agreement with the one-hot answer")
    p.add_argument("--data", metavar="PATH", help=DATA_HELP)
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("baseline", help="the baselines of chapter 1: average darkness, random guess, SVM",
                       description="Score a simple rule on the test images: 'darkness' guesses the digit "
                                   "whose average ink is closest, 'random' guesses uniformly, 'svm' trains "
                                   "scikit-learn's SVC (optional extra 'svm'; minutes on 50,000 images).")
    p.add_argument("method", choices=("darkness", "random", "svm"))
    p.add_argument("--data", metavar="PATH", help=DATA_HELP)
    p.add_argument("--seed", type=int, default=0, help="seed of the random guesses (default 0)")
    p.add_argument("--limit-train", dest="limit_train", type=int, metavar="N",
                   help="train on the first N training images only")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.set_defaults(func=cmd_baseline)

    p = sub.add_parser("data", help="download the standard MNIST files, or describe a data set")
    data_sub = p.add_subparsers(dest="data_command", metavar="ACTION", parser_class=type(p))
    d = data_sub.add_parser("download", help="fetch the four MNIST files into a cache folder",
                            description="Fetch the four standard MNIST files from public mirrors (several "
                                        "are tried), check the SHA-256 of each decompressed file and move it "
                                        "into the folder atomically. Files already there are kept.")
    d.add_argument("--dir", metavar="D", help=f"where to put them (default {default_cache_dir()})")
    d.add_argument("--mirror", action="append", metavar="URL",
                   help="a mirror to try instead of the built-in ones (repeatable)")
    d.add_argument("--force", action="store_true", help="fetch again even when the files are there")
    d.set_defaults(func=cmd_download)
    d = data_sub.add_parser("info", help="sizes, image shape, pixel type and source of a data set")
    d.add_argument("--data", metavar="PATH", help=DATA_HELP)
    d.add_argument("--json", action="store_true", help="print a JSON object")
    d.set_defaults(func=cmd_data_info)
    p.set_defaults(func=lambda args: _no_action(p))


def _no_action(parser) -> int:
    parser.print_help(sys.stderr)
    return 2


# -- helpers --------------------------------------------------------------------------------------------

def parse_sizes(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.replace(" ", "").split(",") if part != ""]
    except ValueError:
        raise UserError(f"--sizes must be whole numbers separated by commas, like 784,30,10, not {text!r}") \
            from None
    return check_sizes(values)


def check_train_args(args, data: MnistData, n_train: int) -> list[int]:
    """The layer sizes for this data set, after checking every hyper-parameter (UserError on a bad one)."""
    n_out = encodings.n_outputs(args.encoding, data.n_classes)
    sizes = parse_sizes(args.sizes) if args.sizes else [data.n_pixels, 30, n_out]
    if sizes[0] != data.n_pixels:
        raise UserError(f"--sizes must start at {data.n_pixels}, the pixels of one "
                        f"{data.image_shape[0]}×{data.image_shape[1]} image, not {sizes[0]}")
    if sizes[-1] != n_out:
        what = f"{data.n_classes} classes" if args.encoding == "onehot" else f"{n_out} bits"
        raise UserError(f"--sizes must end at {n_out} for the {args.encoding} encoding ({what}), "
                        f"not {sizes[-1]}")
    if not math.isfinite(args.eta) or args.eta <= 0:
        raise UserError(f"--eta must be a finite number above 0, not {args.eta}")
    check_eta_precision(args.eta, DTYPES[args.dtype])
    seeds = (getattr(args, "grid", None) or {}).get("seed") or [args.seed]
    for seed in seeds:
        if seed is not None and not 0 <= seed < 2 ** 63:
            raise UserError(f"--seed must be a whole number from 0 to 2⁶³ − 1, not {seed}")
    check_training_fits(sizes, DTYPES[args.dtype], args.mini_batch, f"--sizes {','.join(map(str, sizes))}")
    if args.mini_batch < 1:
        raise UserError(f"--mini-batch must be at least 1, not {args.mini_batch}")
    if args.epochs < 0:
        raise UserError(f"--epochs must be 0 or more, not {args.epochs}")
    check_hyper(args.epochs, args.mini_batch, args.eta, n_train)
    return sizes


def _save_or_rescue(net, path, meta):
    """Save ``net`` to ``path``; if that fails now (the disk filled up during training, say), save it in
    the working folder, else the temporary folder, and say where. Returns the path written."""
    try:
        return save_network(net, path, meta)
    except OSError as err:
        reason = err.strerror or str(err)
    stem = Path(path).name.removesuffix(".npz") or "network"
    for folder in (Path.cwd(), Path(tempfile.gettempdir())):
        rescue = folder / f"{stem}-rescued-{time.strftime('%Y%m%d-%H%M%S')}.npz"
        try:
            written = save_network(net, rescue, meta)
        except OSError:
            continue
        print(f"nnsim: could not save to {path} ({reason}); saved the network to {written} instead",
              file=sys.stderr)
        return written
    raise UserError(f"could not save the network to {path} ({reason}), nor in the working or temporary folder")


def _load(args) -> MnistData:
    data = load_mnist(getattr(args, "data", None))
    limit = getattr(args, "limit_train", None)
    if limit is not None:
        if limit < 1:
            raise UserError(f"--limit-train must be at least 1, not {limit}")
        data = data.limit(limit)
    return data


class _Interrupt:
    """Ctrl-C sets a flag that ``sgd`` reads between mini-batches; a second Ctrl-C interrupts at once."""

    def __init__(self):
        self.requested = False
        self._previous = None

    def __call__(self) -> bool:
        return self.requested

    def _handler(self, signum, frame):
        self.requested = True
        signal.signal(signal.SIGINT, self._previous or signal.default_int_handler)

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handler)
        return self

    def __exit__(self, *exc):
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
        return False


# -- commands -------------------------------------------------------------------------------------------

def cmd_train(args) -> int:
    if grid_commands.expand(args, parse_sizes):
        return grid_commands.cmd_train_grid(args, load=_load, check_train_args=check_train_args,
                                            interrupter=_Interrupt, print_epoch=_print_epoch)
    if args.save:
        check_writable(args.save)  # before training: a network trained for minutes must not be lost
    data = _load(args)
    training = data.compact("training")
    sizes = check_train_args(args, data, len(training[1]))
    seed = args.seed if args.seed is not None else secrets.randbelow(2 ** 31)
    net = Network(sizes, seed=seed, dtype=DTYPES[args.dtype], encoding=args.encoding,
                  n_classes=data.n_classes, init=args.init)
    validation = data.compact("validation")
    test = data.compact("test")
    print(f"nnsim: training {'-'.join(map(str, sizes))} ({args.encoding}, {args.cost}, {args.dtype}) on "
          f"{len(training[1]):,} images from {data.source}: eta {args.eta:g}, mini-batch {args.mini_batch}, "
          f"{args.epochs} epoch{'s' if args.epochs != 1 else ''}, seed {seed}", file=sys.stderr)
    last = None
    with _Interrupt() as interrupt:
        run = sgd(net, training, args.epochs, args.mini_batch, args.eta,
                  validation_data=validation if len(validation[1]) else None,
                  test_data=test if len(test[1]) else None, seed=seed, stop=interrupt, cost=args.cost,
                  report_every=0, training_accuracy=args.training_accuracy)
        for stats in run:
            last = stats
            if stats.stopped:
                print(f"nnsim: stopped in epoch {stats.epoch} after {stats.batches_done} of "
                      f"{stats.batches_per_epoch} mini-batches", file=sys.stderr)
                break
            _print_epoch(stats, args.json, seed=seed, eta=args.eta)
    if args.save:
        meta = {"sizes": sizes, "eta": args.eta, "mini_batch_size": args.mini_batch, "seed": seed,
                "cost": args.cost, "init": args.init, "data": data.source, "training_images": len(training[1]),
                "epochs_done": 0 if last is None else last.epoch - (0 if last.epoch_end else 1)}
        if last is not None and last.test_correct is not None:
            meta.update(test_correct=last.test_correct, test_total=last.test_total)
        path = _save_or_rescue(net, args.save, meta)
        print(f"nnsim: saved the network to {path}", file=sys.stderr)
    return 130 if interrupt.requested else 0


def _print_epoch(stats, as_json: bool, seed=None, eta=None) -> None:
    if as_json:
        print(json.dumps(grid_commands.epoch_record(stats, 0, seed, eta)), flush=True)
        return
    if stats.test_correct is not None:
        head = f"Epoch {stats.epoch}: {stats.test_correct} / {stats.test_total}"
    else:
        head = f"Epoch {stats.epoch} complete"
    extra = []
    if stats.validation_correct is not None:
        extra.append(f"validation {stats.validation_correct} / {stats.validation_total}")
    if stats.training_correct is not None:
        extra.append(f"training {stats.training_correct} / {stats.training_total}")
    extra.append(f"cost {stats.cost:.4f}")
    extra.append(f"{stats.epoch_seconds:.2f} s")
    print(f"{head}  ({', '.join(extra)})", flush=True)


def cmd_evaluate(args) -> int:
    net, meta = load_network_with_meta(args.file)
    data = load_mnist(args.data)
    if net.sizes[0] != data.n_pixels:
        raise UserError(f"{args.file}: the network takes {net.sizes[0]} inputs but the images of "
                        f"{data.source} have {data.n_pixels} pixels")
    if net.n_classes != data.n_classes:
        raise UserError(f"{args.file}: the network reads {net.n_classes} classes, the data have "
                        f"{data.n_classes}")
    out = {"file": str(args.file), "sizes": net.sizes, "encoding": net.encoding, "data": data.source}
    for split in ("test", "validation"):
        X, y = data.compact(split)
        out[f"{split}_correct"] = evaluate(net, X, y) if len(y) else None
        out[f"{split}_total"] = len(y)
    if args.binary_layer:
        X, y = data.compact("test")
        out["binary_correct"], out["binary_agree"] = net.binary_readout(X, y)
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"{args.file}: {'-'.join(map(str, net.sizes))} ({net.encoding})")
    for split in ("test", "validation"):
        correct, total = out[f"{split}_correct"], out[f"{split}_total"]
        if total:
            print(f"{split}: {correct} / {total} ({percent(correct, total):.2f}%)")
    if args.binary_layer:
        total = out["test_total"]
        print(f"with the hand-set 10 → 4 binary layer: {out['binary_correct']} / {total} "
              f"({percent(out['binary_correct'], total):.2f}%); its 4 bits agree with the one-hot answer on "
              f"{out['binary_agree']} / {total} ({percent(out['binary_agree'], total):.2f}%)")
    return 0


def cmd_baseline(args) -> int:
    data = _load(args)
    training, test = data.compact("training"), data.compact("test")
    started = time.perf_counter()
    if args.method == "darkness":
        correct = baselines.average_darkness(training, test, data.n_classes)
        settings = {}
    elif args.method == "random":
        correct = baselines.random_guess(test, args.seed, data.n_classes)
        settings = {"seed": args.seed}
    else:
        settings = dict(baselines.SVM_SETTINGS)
        correct = baselines.svm(training, test)
    total = len(test[1])
    seconds = time.perf_counter() - started
    if args.json:
        print(json.dumps({"method": args.method, "test_correct": correct, "test_total": total,
                          "training_images": len(training[1]), "settings": settings,
                          "seconds": round(seconds, 3)}))
    else:
        note = f"  (SVC {', '.join(f'{k}={v}' for k, v in settings.items())})" if args.method == "svm" else ""
        print(f"{args.method}: {correct} / {total} ({percent(correct, total):.2f}%){note}")
    return 0


def cmd_download(args) -> int:
    bar = _ProgressBar(sys.stderr)
    results = download_mnist(args.dir, mirrors=tuple(args.mirror) if args.mirror else MIRRORS,
                             progress=bar, force=args.force)
    bar.finish()
    for r in results:
        print(f"{r.path}  {r.status}" + (f" from {r.url}" if r.url else ""))
    folder = results[0].path.parent if results else args.dir
    print(f"nnsim: use it with --data {folder}", file=sys.stderr)
    return 0


def cmd_data_info(args) -> int:
    data = load_mnist(args.data)
    info = data.summary()
    if args.json:
        print(json.dumps(info))
        return 0
    print(f"source: {info['source']}")
    print(f"images: {info['image_shape'][0]}×{info['image_shape'][1]} pixels ({info['pixels']}), "
          f"{info['classes']} classes")
    print(f"training: {info['training']:,}  validation: {info['validation']:,}  test: {info['test']:,}")
    print("training images per class: " + ", ".join(f"{k}: {v}" for k, v in
                                                    enumerate(info["training_class_counts"])))
    return 0


class _ProgressBar:
    """``name [#####.....]  45%  4.4 / 9.9 MB`` on one line of ``stream``, redrawn at most 10 times a second
    on a terminal; elsewhere one line per finished file."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self._name = None
        self._last = 0.0
        self._line = ""

    def __call__(self, name: str, done: int, total: int | None) -> None:
        if name != self._name:
            self.finish()
            self._name = name
        now = time.monotonic()
        complete = total is not None and done >= total
        if self.tty and (now - self._last >= 0.1 or complete):
            self._last = now
            self._line = self._render(name, done, total)
            self.stream.write("\r" + self._line)
            self.stream.flush()
        elif not self.tty:
            self._line = self._render(name, done, total)

    def _render(self, name, done, total) -> str:
        mb = done / 1e6
        if total:
            frac = min(done / total, 1.0)
            filled = int(frac * self.WIDTH)
            return (f"{name} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {frac * 100:3.0f}%  "
                    f"{mb:.1f} / {total / 1e6:.1f} MB")
        return f"{name} {mb:.1f} MB"

    def finish(self) -> None:
        if self._name is None:
            return
        if self.tty:
            self.stream.write("\n")
        elif self._line:
            self.stream.write(self._line + "\n")
        self.stream.flush()
        self._name = None
        self._line = ""
