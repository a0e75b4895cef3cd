"""The training studio page on the real engine: short runs on 3,000 bundled MNIST images, waited for on
the GUI-thread runner's signals; pause/resume, stop within a mini-batch, close during a run, history and
exports, save → load → same accuracy, a bad data path shows a message."""

import csv
import threading

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from nnsim.core.learning.network import Network
from nnsim.gui import worker as worker_module
from nnsim.gui.training.page import TrainingPage
from nnsim.io.datacache import load_data

LIMIT = 3000


@pytest.fixture
def page(qtbot):
    p = TrainingPage()
    qtbot.addWidget(p)
    p.limit.setValue(LIMIT)
    p.report_every = 25
    yield p
    p.shutdown()


@pytest.fixture(autouse=True)
def warnings(monkeypatch):
    """Every message box the page shows, recorded instead of blocking the test."""
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append((title, text)))
    return shown


def run_to_end(qtbot, page, epochs, timeout=60_000):
    with qtbot.waitSignal(page.runner.sigFinished, timeout=timeout):
        with qtbot.waitSignal(page.sigRunFinished, timeout=timeout) as done:
            page.autostart(epochs)
    return done.args[0]


def test_short_run_fills_plots_and_inside_views(qtbot, page, warnings):
    outcome = run_to_end(qtbot, page, epochs=2)
    assert outcome == "finished" and warnings == []
    run = page.plots.current
    assert run.epochs == [1, 2]
    assert len(run.cost_x) >= 2 * (LIMIT // 10 // 25 - 1)  # a cost point every 25 mini-batches
    assert all(50 < v <= 100 for v in run.validation_pct + run.test_pct)  # it learned something
    assert run.epoch_cost[1] < run.epoch_cost[0]
    # the curves show exactly the history (setData after the last report)
    page.plots.flush()
    curves = page.plots._curves[0]
    np.testing.assert_allclose(curves.test.getData()[1], run.test_pct)
    np.testing.assert_allclose(curves.batch_cost.getData()[0], run.cost_x)
    assert set(page.plots.baselines()) == {"darkness", "random"}
    # inside the network: copies of the trained weights, a confusion matrix of the 10,000 test images
    analysis = page.inside.analysis
    assert analysis.confusion.sum() == 10_000
    assert analysis.correct == page.network.evaluate(*load_data(None).test)
    assert analysis.hidden_weights.shape == (30, 784)
    assert analysis.hidden_weights is not page.network.weights[0]
    # the views behind other tabs catch up when the user opens them
    page.inside.setCurrentWidget(page.inside.mistakes)
    assert page.inside.mistakes.count == min(24, analysis.total_wrong)
    page.inside.setCurrentWidget(page.inside.per_class)
    np.testing.assert_allclose(page.inside.per_class.values, analysis.per_class_pct)
    page.inside.setCurrentWidget(page.inside.confusion)
    assert page.inside.confusion.item(3, 3).text() == str(analysis.confusion[3, 3])
    assert "Done: epoch 2" in page.result_label.text()
    assert page.start_button.isEnabled() and not page.stop_button.isEnabled()


def test_runs_overlay_and_export(qtbot, page, tmp_path):
    page.eta.setValue(3.0)
    run_to_end(qtbot, page, epochs=1)
    page.eta.setValue(0.5)
    run_to_end(qtbot, page, epochs=1)
    plots = page.plots
    assert [r.number for r in plots.runs] == [1, 2] and "η=0.5" in plots.runs[1].label
    legend_names = [label.text for _, label in plots.acc_plot.legend.items]
    assert "#1 validation" in legend_names and "#2 test" in legend_names

    plots.export_csv(tmp_path / "h.csv")
    rows = list(csv.DictReader((tmp_path / "h.csv").read_text().splitlines()))
    assert len(rows) == sum(len(r.cost_x) + len(r.epochs) for r in plots.runs)
    epoch_rows = [r for r in rows if r["kind"] == "epoch"]
    assert [float(r["test_pct"]) for r in epoch_rows] == pytest.approx(
        [plots.runs[0].test_pct[0], plots.runs[1].test_pct[0]], abs=0.01)
    plots.export_png(tmp_path / "p.png", width=800)
    assert (tmp_path / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # hovering near the second run's test point shows its exact value
    x, y = 1.0, plots.runs[1].test_pct[0]
    scene_pos = plots.acc_plot.getViewBox().mapViewToScene(QPointF(x, y))
    plots._glw.scene().sigMouseMoved.emit(scene_pos)
    assert f"{y:.2f} %" in plots._readout.text()

    page.reset()
    assert plots.runs == [] and page.network is None


def test_pause_and_resume(qtbot, page, monkeypatch):
    held = threading.Event()  # set when the engine asks stop() while the run is paused
    original_stop = worker_module._Worker.stop_requested

    def noting_stop(self):
        if not self._running.is_set():
            held.set()
        return original_stop(self)

    monkeypatch.setattr(worker_module._Worker, "stop_requested", noting_stop)
    page.epochs.setValue(2)
    seen = []
    page.runner.sigYielded.connect(lambda item: seen.append(getattr(item, "images_seen", None)))
    page.start()
    qtbot.waitUntil(lambda: any(s for s in seen if s), timeout=30_000)
    with qtbot.waitSignal(page.runner.sigPausedChanged, timeout=5000):
        qtbot.mouseClick(page.pause_button, Qt.MouseButton.LeftButton)
    assert page.resume_button.isEnabled() and not page.pause_button.isEnabled()
    qtbot.waitUntil(held.is_set, timeout=30_000)  # the worker now waits inside stop() until resumed
    QApplication.processEvents()  # reports sent before it stopped arrive
    frozen = len(seen)
    QApplication.processEvents()
    assert len(seen) == frozen and page.runner.is_running() and page.runner.is_paused()
    assert page.progress.format() == "paused"
    with qtbot.waitSignal(page.sigRunFinished, timeout=60_000) as done:
        qtbot.mouseClick(page.resume_button, Qt.MouseButton.LeftButton)
    assert done.args == ["finished"] and page.plots.current.epochs == [1, 2]


def test_stop_acts_within_one_mini_batch(qtbot, page, monkeypatch):
    calls = {"n": 0, "at_cancel": None}
    original_stop, original_cancel = worker_module._Worker.stop_requested, worker_module._Worker.cancel

    def counting_stop(self):  # the engine calls stop() once before each mini-batch
        calls["n"] += 1
        return original_stop(self)

    def recording_cancel(self):
        calls["at_cancel"] = calls["n"]
        original_cancel(self)

    monkeypatch.setattr(worker_module._Worker, "stop_requested", counting_stop)
    monkeypatch.setattr(worker_module._Worker, "cancel", recording_cancel)
    page.epochs.setValue(30)
    page.mini_batch.setValue(10)
    reports = []
    page.runner.sigYielded.connect(lambda item: reports.append(item) if hasattr(item, "stopped") else None)
    page.start()
    qtbot.waitUntil(lambda: len(reports) >= 3, timeout=30_000)
    with qtbot.waitSignal(page.sigRunFinished, timeout=10_000) as done:
        qtbot.mouseClick(page.stop_button, Qt.MouseButton.LeftButton)
    assert done.args == ["stopped"]
    last = reports[-1]
    assert last.stopped
    # every mini-batch started before the cancel may finish; none starts after it (the task itself
    # calls stop() once after loading the data, before the first mini-batch)
    assert last.images_seen <= (calls["at_cancel"] - 1) * 10
    assert page.network is not None and "Stopped" in page.result_label.text()


def test_close_during_a_run_stops_cleanly(qtbot, warnings):
    page = TrainingPage()
    qtbot.addWidget(page)
    page.limit.setValue(LIMIT)
    page.report_every = 10
    page.epochs.setValue(100)
    reports = []
    page.runner.sigYielded.connect(lambda item: reports.append(item))
    page.start()
    qtbot.waitUntil(lambda: len(reports) >= 4, timeout=30_000)
    thread = page.runner._thread
    page.shutdown()
    page.close()
    assert not page.runner.is_running()
    assert thread.isFinished()
    assert warnings == []


def test_saved_then_loaded_network_gives_the_same_accuracy(qtbot, page, tmp_path):
    from nnsim.core.learning.training import sgd

    data = load_data(None)
    net = Network([784, 30, 10], seed=3)
    for _ in sgd(net, (data.training[0][:LIMIT], data.training[1][:LIMIT]), 1, 10, 3.0, seed=3):
        pass
    expected = net.evaluate(*data.test)
    page._use_network(net)
    with qtbot.waitSignal(page.runner.sigFinished, timeout=30_000):
        qtbot.mouseClick(page.evaluate_button, Qt.MouseButton.LeftButton)
    assert page.inside.analysis.correct == expected

    path = tmp_path / "net.npz"
    page.save_network(path)
    page.reset()
    loaded = page.load_network(path)
    assert loaded.sizes == [784, 30, 10]
    with qtbot.waitSignal(page.runner.sigFinished, timeout=30_000):
        page.evaluate()
    assert page.inside.analysis.correct == expected
    assert f"{expected:,} / 10,000" in page.result_label.text()


def test_a_bad_data_path_shows_a_message_and_the_page_goes_on(qtbot, page, warnings, tmp_path):
    missing = tmp_path / "no-such-mnist"
    page.set_data_path(missing)
    with qtbot.waitSignal(page.runner.sigFinished, timeout=30_000):
        with qtbot.waitSignal(page.sigRunFinished, timeout=30_000) as done:
            qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
    assert done.args == ["failed"]
    assert len(warnings) == 1 and "no-such-mnist" in warnings[0][1]
    assert page.start_button.isEnabled() and "failed" in page.result_label.text()
    assert "no-such-mnist" in page.last_error


def test_headless_errors_do_not_open_dialogs(qtbot, page, warnings, tmp_path):
    page.show_dialogs = False
    page.set_data_path(tmp_path / "missing.npz")
    with qtbot.waitSignal(page.sigRunFinished, timeout=30_000) as done:
        page.autostart(1)
    assert done.args == ["failed"] and warnings == []
    assert page.last_error.startswith("Training: ") and "missing.npz" in page.last_error


def test_bad_settings_show_a_message_without_starting(qtbot, page, warnings):
    page.sizes_edit.setText("784, thirty, 10")
    page.start()
    page.sizes_edit.setText("100, 30, 10")
    page.start()
    assert [t for t, _ in warnings] == ["Training", "Training"]
    assert "784 inputs" in warnings[1][1]
    assert not page.runner.is_running() and page.plots.runs == []


@pytest.fixture
def mirror(tmp_path):
    """A local HTTP server serving the bundled MNIST files (the download's mirror in the tests)."""
    import functools
    import http.server
    import threading

    from nnsim.paths import mnist_dir

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(mnist_dir()))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


def test_download_shows_progress_and_becomes_the_data_set(qtbot, page, mirror, tmp_path, warnings):
    progress = []
    page.runner.sigYielded.connect(lambda item: progress.append(item))
    folder = tmp_path / "cache"
    with qtbot.waitSignal(page.runner.sigFinished, timeout=30_000):
        page.download_data(folder, mirrors=[mirror])
    assert warnings == []
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz"])
    assert progress and progress[-1].index == 4 and progress[-1].done == progress[-1].total
    assert page.data_path == str(folder) and str(folder) in page.data_label.text()
    assert page.progress.format() == "downloaded"


def test_a_failed_download_shows_a_message(qtbot, page, tmp_path, warnings):
    with qtbot.waitSignal(page.runner.sigFinished, timeout=30_000):
        page.download_data(tmp_path / "cache", mirrors=["http://127.0.0.1:9/"])  # nothing listens there
    assert len(warnings) == 1 and warnings[0][0] == "Download"
    assert "could not download" in warnings[0][1]
    assert page.data_path is None


def test_binary_encoding_and_no_hidden_layer(qtbot, page):
    page.encoding.setCurrentIndex(page.encoding.findData("binary"))
    assert page.sizes_edit.text() == "784, 30, 4"
    page.sizes_edit.setText("784, 4")  # no hidden layer: the output neurons' weights are the images
    assert run_to_end(qtbot, page, epochs=1) == "finished"
    assert page.network.sizes == [784, 4] and page.network.encoding == "binary"
    assert page.inside.analysis.hidden_weights.shape == (4, 784)
    assert "output neurons" in page.inside.hidden._title.text()
    assert page.pad._labels == ["bit 8", "bit 4", "bit 2", "bit 1"]


def test_reset_during_a_run_leaves_nothing_behind(qtbot, page):
    page.epochs.setValue(50)
    reports = []
    page.runner.sigYielded.connect(reports.append)
    page.start()
    qtbot.waitUntil(lambda: len(reports) >= 5, timeout=30_000)
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)  # returns once the thread has ended
    QApplication.processEvents()  # reports it queued before ending arrive now and must be ignored
    assert not page.runner.is_running()
    assert page.plots.runs == [] and page.network is None and page.inside.analysis is None
    assert page.start_button.isEnabled()
