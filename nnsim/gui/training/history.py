"""The history of one training run, as plain lists the plots draw and the CSV export writes (no Qt).

It reads the engine's ``TrainingStats`` by attribute: ``epoch`` (1-based), ``batches_done``,
``batches_per_epoch``, ``images_seen``, ``cost``, ``validation_correct/total``, ``test_correct/total``,
``seconds``, ``epoch_end``.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field

from nnsim.core.learning.metrics import percent

CSV_COLUMNS = ["run", "label", "kind", "epoch", "x_epochs", "images_seen", "cost",
               "validation_pct", "test_pct", "seconds", "training_pct"]


def epoch_position(stats) -> float:
    """Where a stats record sits on the x axis, in epochs: 0.5 = half-way through the first epoch."""
    per_epoch = max(int(stats.batches_per_epoch or 1), 1)
    done = min(int(stats.batches_done), per_epoch)
    return (int(stats.epoch) - 1) + done / per_epoch


@dataclass
class RunHistory:
    """One run: ``cost_x/cost_y`` the mean cost over the mini-batches since the previous report (every N
    mini-batches), and per epoch ``epochs``, ``epoch_cost`` (the epoch's mean), ``validation_pct``,
    ``test_pct``, ``seconds`` (wall time since the start).

    The engine reports the mean cost of the epoch so far; the window's own mean is recovered from two
    consecutive reports, so the curve shows how the cost moves now, not an average that restarts."""

    number: int
    label: str
    group: str | None = None   # runs that differ only in their seed share a group (the spread view)
    cost_x: list = field(default_factory=list)
    cost_y: list = field(default_factory=list)
    cost_epoch: list = field(default_factory=list)
    cost_images: list = field(default_factory=list)
    cost_seconds: list = field(default_factory=list)
    epochs: list = field(default_factory=list)
    epoch_cost: list = field(default_factory=list)
    validation_pct: list = field(default_factory=list)
    test_pct: list = field(default_factory=list)
    training_pct: list = field(default_factory=list)   # NaN when the training images were not scored
    epoch_images: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    _epoch_base: int = 0       # images_seen when the current epoch began
    _prev_images: int = 0      # images of this epoch at the previous report
    _prev_sum: float = 0.0     # their summed cost

    def __repr__(self):
        best = max(self.test_pct, default=math.nan)
        return f"RunHistory(#{self.number} {self.label!r}, {len(self.epochs)} epochs, best test {best:.2f}%)"

    def add(self, stats):
        """Append one stats record: a cost point, and at an epoch's end an accuracy point too."""
        cost = math.nan if stats.cost is None else float(stats.cost)
        seen = int(stats.images_seen)
        in_epoch = seen - self._epoch_base
        total = cost * in_epoch
        if in_epoch > self._prev_images:
            self.cost_x.append(epoch_position(stats))
            self.cost_y.append((total - self._prev_sum) / (in_epoch - self._prev_images))
            self.cost_epoch.append(int(stats.epoch))
            self.cost_images.append(seen)
            self.cost_seconds.append(float(stats.seconds))
        self._prev_images, self._prev_sum = in_epoch, total
        if stats.epoch_end:
            self.epochs.append(int(stats.epoch))
            self.epoch_cost.append(cost)
            self.validation_pct.append(percent(stats.validation_correct, stats.validation_total))
            self.test_pct.append(percent(stats.test_correct, stats.test_total))
            scored = getattr(stats, "training_correct", None)
            self.training_pct.append(math.nan if scored is None else percent(scored, stats.training_total))
            self.epoch_images.append(seen)
            self.seconds.append(float(stats.seconds))
            self._epoch_base, self._prev_images, self._prev_sum = seen, 0, 0.0

    def rows(self):
        """CSV rows (dicts keyed by :data:`CSV_COLUMNS`), mini-batch points then epoch points."""
        for x, e, c, n, s in zip(self.cost_x, self.cost_epoch, self.cost_y, self.cost_images,
                                 self.cost_seconds):
            yield {"run": self.number, "label": self.label, "kind": "batches",
                   "epoch": e, "x_epochs": f"{x:.4f}", "images_seen": n,
                   "cost": f"{c:.6g}", "validation_pct": "", "test_pct": "", "seconds": f"{s:.3f}",
                   "training_pct": ""}
        for e, c, v, t, n, s, r in zip(self.epochs, self.epoch_cost, self.validation_pct, self.test_pct,
                                       self.epoch_images, self.seconds, self.training_pct):
            yield {"run": self.number, "label": self.label, "kind": "epoch", "epoch": e,
                   "x_epochs": f"{float(e):.4f}", "images_seen": n, "cost": f"{c:.6g}",
                   "validation_pct": "" if math.isnan(v) else f"{v:.2f}",
                   "test_pct": "" if math.isnan(t) else f"{t:.2f}", "seconds": f"{s:.3f}",
                   "training_pct": "" if math.isnan(r) else f"{r:.2f}"}


def histories_csv(runs) -> str:
    """All runs' histories as CSV text with a header row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for run in runs:
        writer.writerows(run.rows())
    return out.getvalue()


def spread(runs, attribute: str = "test_pct"):
    """Min, median and max of one per-epoch series over ``runs`` (RunHistory), for the epochs every run
    has reached: ``(epochs, low, median, high)``, lists of equal length (empty when a run has none)."""
    n = min((len(getattr(r, attribute)) for r in runs), default=0)
    epochs, low, mid, high = [], [], [], []
    for k in range(n):
        values = sorted(getattr(r, attribute)[k] for r in runs)
        epochs.append(runs[0].epochs[k])
        low.append(values[0])
        high.append(values[-1])
        half = len(values) // 2
        mid.append(values[half] if len(values) % 2 else 0.5 * (values[half - 1] + values[half]))
    return epochs, low, mid, high
