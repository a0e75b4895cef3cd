"""Hostile training settings: a negative seed, a network too large for memory, η beyond the precision,
an unwritable --save destination (checked before training), a save that fails at the end (rescued), and
a run whose cost becomes NaN (stopped with the epoch and mini-batch, nothing saved)."""

import errno
import os
import sys

import numpy as np
import pytest
from hostile_helpers import snapshot

from nnsim.cli import main
from nnsim.cli import mnist_commands
from nnsim.core.learning.network import Network
from nnsim.core.learning.training import Diverged, sgd


@pytest.fixture
def data(tmp_path):
    """A small seeded 28×28 data set as a Keras-style .npz (600 training, 100 test images)."""
    rng = np.random.default_rng(0)
    path = tmp_path / "small.npz"
    np.savez(path, x_train=rng.integers(0, 256, (600, 28, 28), dtype=np.uint8), y_train=rng.integers(0, 10, 600),
             x_test=rng.integers(0, 256, (100, 28, 28), dtype=np.uint8), y_test=rng.integers(0, 10, 100))
    return path


def train(data, *extra):
    return main(["train", "--data", str(data), "--epochs", "1", "--sizes", "784,10,10", "--seed", "1", *extra])


def refused(capsys, tmp_path, data, extra, message):
    before = snapshot(tmp_path)
    assert train(data, *extra) == 2
    out, err = capsys.readouterr()
    assert message in err and "Traceback" not in err and "Epoch" not in out  # refused before training
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("seed", ["-1", "1,-1"])
def test_a_negative_seed(tmp_path, capsys, data, seed):
    refused(capsys, tmp_path, data, ["--seed", seed], "--seed must be a whole number from 0 to 2⁶³ − 1, not -1")


def test_a_network_too_large_for_memory_is_refused_with_the_figure(tmp_path, capsys, data):
    refused(capsys, tmp_path, data, ["--sizes", "784,100000000,10"],
            "--sizes 784,100000000,10 needs about 1,606.0 GB of memory to train (79,500,000,010 weights")


def test_an_eta_beyond_float32(tmp_path, capsys, data):
    refused(capsys, tmp_path, data, ["--eta", "1e300", "--save", str(tmp_path / "net.npz")],
            "η = 1e+300 is beyond float32 (largest 3.4e+38)")


@pytest.mark.parametrize("target, message", [
    ("missing/dir/net.npz", "does not exist"),
    (".", "is a folder; give a file name"),
])
def test_an_unusable_save_destination_is_refused_before_training(tmp_path, capsys, data, target, message):
    refused(capsys, tmp_path, data, ["--save", str(tmp_path / target)], message)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_read_only_save_destination_is_refused_before_training(tmp_path, capsys, data):
    target = tmp_path / "net.npz"
    target.write_bytes(b"keep me")
    target.chmod(0o444)
    refused(capsys, tmp_path, data, ["--save", str(target)], "the file is read-only")


def test_a_save_that_fails_at_the_end_is_rescued_in_the_working_folder(tmp_path, capsys, data, monkeypatch):
    real = mnist_commands.save_network
    calls = []

    def full_disk_once(net, path, meta=None):
        calls.append(path)
        if len(calls) == 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(net, path, meta)

    monkeypatch.setattr(mnist_commands, "save_network", full_disk_once)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert train(data, "--save", str(tmp_path / "net.npz")) == 0
    err = capsys.readouterr().err
    rescued = list(work.glob("net-rescued-*.npz"))
    assert len(rescued) == 1 and f"saved the network to {rescued[0]} instead" in err
    assert "No space left on device" in err and not (tmp_path / "net.npz").exists()


def test_a_nan_cost_stops_the_run_naming_epoch_and_mini_batch():
    rng = np.random.default_rng(0)
    X = rng.random((400, 16)).astype(np.float32)
    y = rng.integers(0, 10, 400)
    X[123, 5] = np.nan  # one image poisons the mini-batch it lands in, and every one after

    def run(stop_at=None):
        calls = []

        def stop():
            calls.append(1)
            return stop_at is not None and len(calls) >= stop_at

        net = Network([16, 8, 10], seed=0)
        return list(sgd(net, (X, y), 1, 10, 3.0, seed=0, stop=stop))

    with pytest.raises(Diverged, match=r"cost became NaN at epoch 1, mini-batch (\d+): lower η") as err:
        run()
    batch = int(err.value.args[0].split("mini-batch ")[1].split(":")[0])
    assert 1 <= batch <= 40
    last = run(stop_at=batch)[-1]  # stopped before that mini-batch: every cost so far was finite
    assert last.stopped and last.batches_done == batch - 1 and np.isfinite(last.cost)
    with pytest.raises(Diverged):
        run(stop_at=batch + 1)


def test_the_training_page_refuses_a_network_too_large_for_memory(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from nnsim.gui.training.page import TrainingPage

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append((title, text)))
    page = TrainingPage()
    qtbot.addWidget(page)
    page.sizes_edit.setText("784, 100000000, 10")
    page.start()
    assert len(shown) == 1 and "needs about 1,606.0 GB of memory to train" in shown[0][1]
    assert not page.runner.is_running()
    page.shutdown()
