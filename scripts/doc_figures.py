"""Regenerate the deterministic figures quoted in docs/ and check that the docs still quote them.

    python scripts/doc_figures.py              # every figure, with the command that produces it (~5 min)
    python scripts/doc_figures.py --quick      # only the cheap ones (seconds): baselines, the first epoch
    python scripts/doc_figures.py --check      # exit 1 when a doc disagrees (combine with --quick)
    python scripts/doc_figures.py --survey     # also the 20-seed 784-100-10 survey (several minutes more)

Each figure runs the very command the docs name (``nnsim ... --json`` in a fresh process, one BLAS thread as
the command always uses), so a figure and its command cannot drift apart. Accuracy figures are
deterministic for a given seed on a given machine and NumPy/OpenBLAS build; timings are not, and live in
docs/benchmarks.md with the benchmark that measured them. tests/test_doc_figures.py checks the quick ones.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def nnsim(*args: str) -> list[dict]:
    """The JSON lines printed by ``nnsim ARGS --json``."""
    run = subprocess.run([sys.executable, "-m", "nnsim.cli", *args, "--json"], capture_output=True,
                         text=True, cwd=ROOT)
    if run.returncode != 0:
        raise RuntimeError(f"nnsim {' '.join(args)} failed:\n{run.stderr}")
    return [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]


def thousands(n: int) -> str:
    return f"{n:,}"


def pct(correct: int, total: int = 10_000) -> str:
    return f"{100 * correct / total:.2f}"


def final_by_seed(records: list[dict]) -> dict[int, dict]:
    """The last epoch's record of each run of a grid, by seed."""
    last: dict[int, dict] = {}
    for r in records:
        last[r["seed"]] = r
    return dict(sorted(last.items()))


def spread(records: list[dict]) -> dict:
    """Epoch-30 test accuracies of a grid over seeds: the list, lowest, highest and median (as text)."""
    scores = [100 * r["test_correct"] / r["test_total"] for r in final_by_seed(records).values()]
    return {"list": ", ".join(f"{s:.2f}" for s in scores), "lo": f"{min(scores):.2f}", "hi": f"{max(scores):.2f}",
            "median": f"{statistics.median(scores):.2f}", "lo0": f"{min(scores):.0f}", "hi0": f"{max(scores):.0f}",
            "scores": scores}


@dataclass
class Figure:
    """``commands``: what the docs name; ``compute()`` runs them and returns the values; each quote is
    (doc file, text with ``{value}`` fields) that must appear in the doc (whitespace-insensitive)."""

    name: str
    commands: list[str]
    compute: Callable[[], dict]
    quotes: list[tuple[str, str]]
    quick: bool = False
    survey: bool = False


def _darkness():
    d = nnsim("baseline", "darkness")[0]["test_correct"]
    return {"d": d, "d_n": thousands(d), "d_pct": pct(d)}


def _random():
    return {"r": nnsim("baseline", "random", "--seed", "0")[0]["test_correct"]}


def _epoch(r: dict) -> dict:
    return {"t": r["test_correct"], "v": r["validation_correct"], "c": f"{r['cost']:.4f}"}


def _first_epoch():
    # Epoch 1 of `nnsim train --seed 1`: the first epoch does not depend on how many follow.
    return {f"e1_{k}": v for k, v in _epoch(nnsim("train", "--seed", "1", "--epochs", "1")[0]).items()}


def _seed1():
    records = nnsim("train", "--seed", "1")
    out = {}
    for e in (1, 2, 3, 30):
        for k, v in _epoch(records[e - 1]).items():
            out[f"e{e}_{k}"] = v
        out[f"e{e}_n"] = thousands(records[e - 1]["test_correct"])
    return out


def _binary_layer():
    with tempfile.TemporaryDirectory() as tmp:
        net = str(Path(tmp) / "net.npz")
        nnsim("train", "--seed", "1", "--save", net)
        ev = nnsim("evaluate", net, "--binary-layer")[0]
    bits = nnsim("train", "--encoding", "binary", "--seed", "1")[-1]["test_correct"]
    return {"onehot_n": thousands(ev["test_correct"]), "layer_n": thousands(ev["binary_correct"]),
            "agree": pct(ev["binary_agree"], ev["test_total"]), "bits_n": thousands(bits)}


def _grid(*args):
    return lambda: spread(nnsim("train", *args))


def _fixes():
    s = spread(nnsim("train", "--sizes", "784,100,10", "--cost", "cross-entropy", "--init", "scaled",
                     "--eta", "0.5", "--seed", "1,2,3,4,5"))
    s["within"] = f"{max(s['scores']) - min(s['scores']):.2f}"
    s["lo1"], s["hi1"] = f"{min(s['scores']):.1f}", f"{max(s['scores']):.1f}"
    return s


def _eta():
    records = nnsim("train", "--eta", "0.001,3,100", "--epochs", "5", "--seed", "1")
    by_eta: dict[float, list[float]] = {}
    for r in records:
        by_eta.setdefault(r["eta"], []).append(100 * r["test_correct"] / r["test_total"])
    lo, hi = f"{min(by_eta[100.0]):.1f}", f"{max(by_eta[100.0]):.1f}"
    return {"slow5": f"{by_eta[0.001][-1]:.1f}", "book5": f"{by_eta[3.0][-1]:.1f}",
            "big": f"at {lo}" if lo == hi else f"between {lo} and {hi}"}


def _studio():
    """The training studio's own task with its defaults (784-30-10, η = 3.0, m = 10, 30 epochs, seed 1)."""
    from nnsim.core.learning.training import TrainingStats
    from nnsim.gui.training.tasks import TrainingSettings, training_task

    ends = [item for item in _drain(training_task(TrainingSettings()))
            if isinstance(item, TrainingStats) and item.epoch_end]
    scores = [100 * s.test_correct / s.test_total for s in ends]
    best = max(range(len(scores)), key=lambda e: (scores[e], -e))
    return {"first": f"{scores[0]:.1f}", "late_lo": f"{min(scores[20:]):.1f}", "late_hi": f"{max(scores[20:]):.1f}",
            "last_n": thousands(ends[-1].test_correct), "first2": f"{scores[0]:.2f}", "last2": f"{scores[-1]:.2f}",
            "best2": f"{scores[best]:.2f}", "best_epoch": best + 1}


def _drain(task):
    generator = task(lambda: False)
    return list(generator)


def _survey():
    seeds = ",".join(str(s) for s in range(1, 21))
    s = spread(nnsim("train", "--sizes", "784,100,10", "--seed", seeds))
    good = [x for x in s["scores"] if x >= 95]
    bad = [x for x in s["scores"] if x < 95]
    return {"n_good": len(good), "good_lo": f"{min(good):.2f}", "good_hi": f"{max(good):.2f}",
            "good_median": f"{statistics.median(good):.2f}", "n_bad": len(bad), "bad_lo": f"{min(bad):.0f}",
            "bad_hi": f"{max(bad):.0f}", "median": s["median"]}


TRAIN_30_5 = "nnsim train --seed 1,2,3,4,5"
HIDDEN_100 = "nnsim train --sizes 784,100,10 --seed 1,2,3,4,5"
FIXES = "nnsim train --sizes 784,100,10 --cost cross-entropy --init scaled --eta 0.5 --seed 1,2,3,4,5"

FIGURES = [
    Figure("average darkness", ["nnsim baseline darkness"], _darkness, [
        ("mnist.md", "nnsim baseline darkness # {d} / 10000, as in the book"),
        ("mnist.md", "| average darkness | {d_n} |"),
        ("benchmarks.md", "average darkness {d_n} / 10,000"),
        ("training-studio.md", "({d_pct} % of the test images, the book's 2,225;"),
    ], quick=True),
    Figure("random guess", ["nnsim baseline random --seed 0"], _random, [
        ("mnist.md", "({r} with `nnsim baseline random --seed 0`)"),
        ("benchmarks.md", "random guessing {r} (`nnsim baseline random --seed 0`)"),
    ], quick=True),
    Figure("first epoch, seed 1", ["nnsim train --seed 1 --epochs 1"], _first_epoch, [
        ("mnist.md", "Epoch 1: {e1_t} / 10000 (validation {e1_v} / 10000, cost {e1_c},"),
    ], quick=True),
    Figure("30 epochs, seed 1", ["nnsim train --seed 1"], _seed1, [
        ("mnist.md", "Epoch 2: {e2_t} / 10000 (validation {e2_v} / 10000, cost {e2_c},"),
        ("mnist.md", "Epoch 30: {e30_t} / 10000 (validation {e30_v} / 10000, cost {e30_c},"),
        ("benchmarks.md", "last line `Epoch 30: {e30_t} / 10000`"),
        ("benchmarks.md", "({e1_n}, {e2_n}, {e3_n}), and epoch 30 is still {e30_n}"),
    ]),
    Figure("binary-output exercise", ["nnsim train --seed 1 --save net.npz",
                                      "nnsim evaluate net.npz --binary-layer",
                                      "nnsim train --encoding binary --seed 1"], _binary_layer, [
        ("mnist.md", "one-hot {onehot_n} / 10,000, the same network with the hand-set layer {layer_n} / 10,000; "
                     "the two answers agree on {agree}% of the test images"),
        ("mnist.md", "A 784-30-4 network trained directly on the bits reaches {bits_n}"),
        ("benchmarks.md", "one-hot {onehot_n} / 10,000, with the hand-set 10→4 layer {layer_n} / 10,000, the two "
                          "answers agreeing on {agree}% of the test images; a 784-30-4 network trained on the "
                          "bits directly: {bits_n}"),
    ]),
    Figure("784-30-10 over seeds 1-5", [TRAIN_30_5], _grid("--seed", "1,2,3,4,5"), [
        ("mnist.md", "seeds 1–5 end at {lo}–{hi}% (median {median}%; `" + TRAIN_30_5 + "`)"),
        ("benchmarks.md", "| 784-30-10 | 1–5 | {list}% | **{median}%** |"),
    ]),
    Figure("784-100-10 over seeds 1-5", [HIDDEN_100], _grid("--sizes", "784,100,10", "--seed", "1,2,3,4,5"), [
        ("mnist.md", "| `" + HIDDEN_100 + "` | {list}% | **{median}%** |"),
        ("benchmarks.md", "| 784-100-10 | 1–5 | {list}% | **{median}%** |"),
        ("benchmarks.md", "| `" + HIDDEN_100 + "` | {list}% | {median}% |"),
        ("training-studio.md", "the book's recipe ends anywhere between {lo0} % and {hi0} % depending on the seed"),
    ]),
    Figure("chapter 3's fixes over seeds 1-5", [FIXES], _fixes, [
        ("mnist.md", "| `" + FIXES + "` | {list}% | **{median}%** |"),
        ("mnist.md", "every seed ends within {within} points of the others"),
        ("benchmarks.md", "| `" + FIXES + "` | {list}% | **{median}%** |"),
        ("training-studio.md", "ends at {lo1}–{hi1} % for every seed"),
    ]),
    Figure("learning rates, 5 epochs", ["nnsim train --eta 0.001,3,100 --epochs 5 --seed 1"], _eta, [
        ("training-studio.md", "η = 3 (blue) reaches {book5} %; η = 0.001 (orange) learns so slowly that after "
                               "five epochs it is at {slow5} %, still near the darkness baseline; η = 100 (green) "
                               "overshoots at once, its sigmoids saturate and it stays {big} %"),
    ]),
    Figure("the studio's default run", ["the Training page's Start with its defaults (seed 1)"], _studio, [
        ("training-studio.md", "With seed 1 the test accuracy is {first} % after the first epoch and "
                               "{late_lo}–{late_hi} % from epoch 21 on ({last_n} / 10,000 after epoch 30;"),
        ("benchmarks.md", "| {first2} % / {last2} % (best {best2} % at epoch {best_epoch}) |"),
    ]),
    Figure("784-100-10 over seeds 1-20", ["nnsim train --sizes 784,100,10 --seed 1,2,…,20"], _survey, [
        ("benchmarks.md", "| 784-100-10 | 1–20 | {n_good} of 20 runs reach {good_lo}–{good_hi}% (median of those "
                          "{good_median}%, the book's 96.59%); the other {n_bad} end at {bad_lo}–{bad_hi}% | "
                          "{median}% |"),
        ("mnist.md", "here {n_good} of 20 seeds reach {good_lo}–{good_hi}%, and the other {n_bad} end at "
                     "{bad_lo}–{bad_hi}% (`nnsim train --sizes 784,100,10 --seed 1,2,…,20`"),
    ], survey=True),
]


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def check(figures, out=print) -> list[str]:
    """Compute each figure, print it, and return the quotes its doc no longer holds."""
    missing = []
    for fig in figures:
        values = fig.compute()
        out(f"## {fig.name}: {' ; '.join(fig.commands)}")
        out("   " + ", ".join(f"{k} = {v}" for k, v in values.items() if k != "scores"))
        for doc, template in fig.quotes:
            text = template.format(**values)
            ok = _normal(text) in _normal((DOCS / doc).read_text(encoding="utf-8"))
            out(f"   {'ok  ' if ok else 'DIFF'} docs/{doc}: {text}")
            if not ok:
                missing.append(f"docs/{doc}: {text}")
    return missing


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the figures that take seconds")
    parser.add_argument("--survey", action="store_true", help="also the 20-seed survey (minutes)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a doc disagrees")
    args = parser.parse_args(argv)
    figures = [f for f in FIGURES if (f.quick or not args.quick) and (args.survey or not f.survey)]
    missing = check(figures)
    if missing:
        print(f"\n{len(missing)} quoted figure(s) differ from what the commands print now.")
    return 1 if (missing and args.check) else 0


if __name__ == "__main__":
    raise SystemExit(main())
