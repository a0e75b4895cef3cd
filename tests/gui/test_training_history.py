"""The run history the plots draw and the CSV export writes: cost windows recovered from the engine's
running epoch means, epoch points, CSV rows."""

import csv

import pytest

from nnsim.core.learning.training import TrainingStats
from nnsim.gui.training.history import RunHistory, histories_csv


def stats(epoch, done, seen, cost, end=False, correct=None):
    return TrainingStats(epoch, done, 10, seen, cost, correct, 100 if end else 0, correct,
                         100 if end else 0, 0.1 * seen, end)


def test_cost_windows_and_epoch_points():
    run = RunHistory(1, "demo")
    # epoch 1: 10 mini-batches of 10 images; the engine reports the epoch's running mean cost
    run.add(stats(1, 5, 50, 0.4))          # first 50 images: mean 0.4
    run.add(stats(1, 10, 100, 0.3, True, 80))  # all 100: mean 0.3, so the last 50 had 0.2
    run.add(stats(2, 5, 150, 0.1))         # a new epoch starts a new mean
    assert run.cost_x == [0.5, 1.0, 1.5]
    assert run.cost_y == pytest.approx([0.4, 0.2, 0.1])
    assert run.epochs == [1] and run.epoch_cost == [0.3]
    assert run.validation_pct == [80.0] and run.test_pct == [80.0]

    rows = list(csv.DictReader(histories_csv([run]).splitlines()))
    assert [r["kind"] for r in rows] == ["batches", "batches", "batches", "epoch"]
    assert [int(r["epoch"]) for r in rows] == [1, 1, 2, 1]
    assert rows[-1]["test_pct"] == "80.00" and rows[0]["test_pct"] == ""


def test_a_stopped_run_keeps_its_last_window():
    run = RunHistory(2, "stopped")
    run.add(stats(1, 3, 30, 0.5))
    run.add(TrainingStats(1, 4, 10, 40, 0.45, None, 0, None, 0, 1.0, False, stopped=True))
    assert run.cost_y == pytest.approx([0.5, 0.3])
    assert run.epochs == []
