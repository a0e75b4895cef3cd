"""The response lab's long work runs in worker threads: the Scale c plot and the Sensitivity table fill in
while the GUI thread stays free, a superseded request's stale result is dropped, Teach trains in a worker
and sends throttled snapshots, and shutdown during a computation is clean.

A computation is held in the worker by patching the core function the task calls with one that waits on a
``threading.Event`` (and records which thread it ran in)."""

import threading

import numpy as np
import pytest

from nnsim.core import logic, response
from nnsim.core.circuit.edits import SetNode
from nnsim.core.response import scale_curve, with_activation
from nnsim.core.learning.teach import xor_network
from nnsim.gui.document import Document
from nnsim.gui.response import tasks
from qt_helpers import shown

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")



class Hold:
    """Replaces ``<name>`` where the tasks call it (``tasks``, or ``nnsim.core.response`` for the steps of
    ``scale_curve``) by a wrapper that records its thread, sets ``entered`` and waits for ``release`` (set
    it to let every call through); ``delay`` seconds are spent in each call after that."""

    def __init__(self, monkeypatch, name, delay=0.0):
        where = tasks if hasattr(tasks, name) else response
        self.real = getattr(where, name)
        self.entered, self.release = threading.Event(), threading.Event()
        self.threads = []
        self.delay = delay

        def wrapper(*args, **kwargs):
            self.threads.append(threading.current_thread())
            self.entered.set()
            assert self.release.wait(10)
            if self.delay:
                threading.Event().wait(self.delay)
            return self.real(*args, **kwargs)

        monkeypatch.setattr(where, name, wrapper)


def perceptron_xor():
    g = logic.build("xor")
    assert all(n.activation == "step" for n in g.neurons())
    return g


# ----- scale c ---------------------------------------------------------------------------------------------
def test_scale_plot_fills_in_from_a_worker(qtbot, monkeypatch):
    from nnsim.gui.response.scale_plot import ScalePlot

    hold = Hold(monkeypatch, "scale_report")
    doc = Document(perceptron_xor())
    w = shown(qtbot, ScalePlot(doc))
    try:
        qtbot.waitUntil(hold.entered.is_set, timeout=5000)                  # the request is in the worker ...
        assert w.busy and w.curve_data is None
        # ... and the GUI thread goes on: its timers fire, the "computing" note appears
        qtbot.waitUntil(lambda: "Computing" in w.info.text(), timeout=3000)
        with qtbot.waitSignal(w.sigUpdated, timeout=10_000):
            hold.release.set()
        assert hold.threads and threading.main_thread() not in hold.threads
        monkeypatch.undo()
        expected = scale_curve(doc.graph)            # the stepped task gives the core's numbers
        assert w.curve_data.min_scale == expected.min_scale == hold.real(doc.graph).min_scale
        assert np.array_equal(w.curve_data.scales, expected.scales)
        assert np.array_equal(w.curve_data.error, expected.error)
        assert w.min_line.isVisible() and f"{expected.min_scale:.4g}" in w.info.text()
        qtbot.waitUntil(lambda: not w.busy)
    finally:
        w.shutdown()


def test_scale_plot_drops_a_superseded_result(qtbot, monkeypatch):
    from nnsim.gui.response.scale_plot import ScalePlot

    hold = Hold(monkeypatch, "scale_report")
    doc = Document(perceptron_xor())
    old_min = hold.real(doc.graph).min_scale
    w = shown(qtbot, ScalePlot(doc))
    shown_curves = []
    w.sigUpdated.connect(lambda: shown_curves.append(w.curve_data))
    try:
        qtbot.waitUntil(hold.entered.is_set, timeout=5000)                  # the first request is held in the worker
        first = doc.graph.neurons()[0]
        doc.push(SetNode(first.id, {"bias": first.bias + 0.5}))   # smaller margin: a larger smallest c
        qtbot.waitUntil(lambda: w._key == doc.graph.revision, timeout=3000)   # a newer request is in
        new_min = hold.real(doc.graph).min_scale
        assert new_min != old_min
        with qtbot.waitSignal(w.runner.sigFinished, timeout=10_000):
            hold.release.set()
        assert len(shown_curves) == 1 and shown_curves[0].min_scale == new_min   # the old one never shown
        assert w.curve_data.min_scale == new_min
    finally:
        w.shutdown()


def test_scale_plot_reports_a_circuit_it_cannot_use(qtbot):
    from nnsim.gui.response.scale_plot import ScalePlot

    doc = Document(with_activation(perceptron_xor(), "sigmoid"))
    w = shown(qtbot, ScalePlot(doc))
    try:
        qtbot.waitUntil(lambda: "perceptron circuit" in w.info.text(), timeout=5000)
        assert w.curve_data is None and not w.min_line.isVisible()
    finally:
        w.shutdown()


# ----- sensitivity ---------------------------------------------------------------------------------------
def test_sensitivity_table_fills_in_from_a_worker_and_drops_stale_rows(qtbot, monkeypatch):
    from nnsim.gui.response.sensitivity_panel import SensitivityPanel

    doc = Document(with_activation(logic.adder(2), "sigmoid"))
    n_params = len(doc.live.circuit.params)
    w = shown(qtbot, SensitivityPanel(doc), (760, 700))
    try:
        qtbot.waitUntil(lambda: w.table.rowCount() == n_params, timeout=5000)
        hold = Hold(monkeypatch, "sensitivity")
        tables = []
        w.sigUpdated.connect(lambda: tables.append(w.rows[0].delta))
        w.delta_spin.setValue(0.2)                   # a request, held in the worker ...
        qtbot.waitUntil(hold.entered.is_set, timeout=5000)
        assert w.rows[0].delta == 0.1 and w.table.rowCount() == n_params   # the old table stays meanwhile
        w.delta_spin.setValue(0.3)                   # ... superseded by this one
        with qtbot.waitSignal(w.runner.sigFinished, timeout=10_000):
            hold.release.set()
        assert tables == [0.3]                       # the Δ = 0.2 rows were never shown
        assert all(r.delta == 0.3 for r in w.rows) and w.table.rowCount() == n_params
        assert threading.main_thread() not in hold.threads
        grads = [abs(r.gradient[w.output_index()]) for r in w.rows]
        assert grads == sorted(grads, reverse=True)
        assert "Δ = 0.3" in w.summary.text()
    finally:
        w.shutdown()


# ----- teach ---------------------------------------------------------------------------------------------
def test_teach_task_sends_throttled_snapshots_with_every_report():
    ticks = iter(np.arange(0, 100, 0.03))            # a clock that moves 30 ms per report
    task = tasks.teach_task(xor_network(3), 4.0, 20, seed=3, every=0.1, clock=lambda: next(ticks))
    gen = task(lambda: False)
    snaps = []
    with pytest.raises(StopIteration) as end:
        while True:
            snaps.append(next(gen))
    assert snaps[0].epochs == [0]                     # the start is shown at once
    assert [e for s in snaps for e in s.epochs] == list(range(21))   # no report lost
    assert all(len(s.epochs) <= 4 for s in snaps) and len(snaps) == 6   # the start, then 4 reports per 100 ms
    assert snaps[-1].stats.epoch == 20 and end.value.value is snaps[-1].stats


def test_teach_trains_in_a_worker_and_stays_one_undo_step(qtbot, monkeypatch):
    from nnsim.gui.response.teach_panel import TeachPanel

    threads = []
    real = tasks.teach

    def recording(*args, **kwargs):
        for stats in real(*args, **kwargs):
            threads.append(threading.current_thread())
            yield stats

    monkeypatch.setattr(tasks, "teach", recording)
    doc = Document(xor_network(3))
    w = shown(qtbot, TeachPanel(doc))
    snapshots = []
    w.runner.sigYielded.connect(snapshots.append)
    w.epochs_spin.setValue(600)
    with qtbot.waitSignal(w.sigFinished, timeout=20_000) as done:
        w.start_button.click()
        assert w.running and w.start_button.text() == "Stop"
        assert doc.graph.wires["w_x1_h1"].weight == xor_network(3).wires["w_x1_h1"].weight   # not yet
    stats = done.args[0]
    assert stats.epoch == 600 and stats.correct == 4
    assert threads and threading.main_thread() not in threads
    assert w.history_epochs == list(range(601)) and len(snapshots) <= 601
    assert doc.graph.wires["w_x1_h1"].weight == pytest.approx(float(stats.weights[
        [i for i, p in enumerate(stats.params) if p.id == "w_x1_h1"][0]]))
    assert doc.undo_stack.count() == 1 and not doc.merge_open
    doc.undo_stack.undo()
    assert doc.graph.wires["w_x1_h1"].weight == xor_network(3).wires["w_x1_h1"].weight


def test_teach_shutdown_mid_run_and_a_reshaped_network_ends_the_run(qtbot):
    from nnsim.core.circuit.edits import RemoveWire
    from nnsim.gui.response.teach_panel import TeachPanel

    doc = Document(xor_network(3))
    w = shown(qtbot, TeachPanel(doc))
    w.epochs_spin.setValue(1_000_000)
    w.start_button.click()
    qtbot.waitUntil(lambda: len(w.history_epochs) > 1, timeout=10_000)
    with qtbot.waitSignal(w.sigFinished, timeout=10_000):
        doc.push(RemoveWire("w_h2_out"))             # the network changes shape: the run ends
    assert not w.running and not w.runner.is_running() and w.last.epoch < 1_000_000
    doc.undo_stack.undo()                            # the wire is back; the run's step is still one step
    assert "w_h2_out" in doc.graph.wires
    w.start_button.click()
    qtbot.waitUntil(lambda: len(w.history_epochs) > 1, timeout=10_000)
    count = doc.undo_stack.count()
    w.shutdown()                                     # cancel → quit → wait, as the main window does
    assert not w.running and not w.runner.is_running() and not doc.merge_open
    weights = {k: v.weight for k, v in doc.graph.wires.items()}
    qtbot.wait(100)                                  # nothing arrives after the shutdown
    assert {k: v.weight for k, v in doc.graph.wires.items()} == weights and doc.undo_stack.count() == count


# ----- the lab and the main window ------------------------------------------------------------------------
def test_lab_shutdown_during_a_scale_computation(qtbot, monkeypatch):
    from nnsim.gui.response.lab import ResponseLab

    hold = Hold(monkeypatch, "sigmoid_error", delay=0.25)
    hold.release.set()                               # let calls through, 0.25 s each (7 in all)
    doc = Document(logic.adder(2))
    lab = shown(qtbot, ResponseLab(doc), (820, 700))
    updates = []
    lab.scale.sigUpdated.connect(lambda: updates.append(1))
    lab.setCurrentWidget(lab.scale)
    qtbot.waitUntil(hold.entered.is_set, timeout=5000)                      # the curve is being computed in the worker
    lab.shutdown()
    assert not lab.scale.runner.is_running() and not lab.scale.busy
    assert not lab.sensitivity.runner.is_running() and not lab.teach.runner.is_running()
    qtbot.wait(100)
    assert updates == [] and lab.scale.curve_data is None
    assert len(hold.threads) < 7                     # stopped between chunks, not run to the end


def test_closing_the_main_window_stops_the_lab(qtbot, main_window, monkeypatch):
    from nnsim.gui.response.lab import ResponseLab

    hold = Hold(monkeypatch, "sigmoid_error", delay=0.25)
    hold.release.set()
    lab = ResponseLab(main_window.document)
    main_window.add_circuit_dock(lab, "Response lab")
    main_window.document.replace(logic.adder(2))
    lab.setCurrentWidget(lab.scale)
    qtbot.waitUntil(hold.entered.is_set, timeout=5000)
    main_window.close()                              # the main window calls lab.shutdown()
    assert not lab.scale.runner.is_running() and lab.scale.curve_data is None
    assert len(hold.threads) < 7


def test_closing_a_panel_of_its_own_stops_its_thread(qtbot, monkeypatch):
    from nnsim.gui.response.scale_plot import ScalePlot

    hold = Hold(monkeypatch, "sigmoid_error", delay=0.25)
    hold.release.set()
    w = ScalePlot(Document(logic.adder(2)))
    qtbot.addWidget(w)                               # closed at teardown too; this closes it first
    w.show()
    qtbot.waitUntil(hold.entered.is_set, timeout=5000)
    w.close()
    assert not w.runner.is_running() and w.curve_data is None


def test_breather_pauses_at_most_every_interval_and_reports_stop():
    now = [0.0]
    stops = []
    b = tasks.Breather(stop=lambda: stops.append(1) or True, every=0.005, pause=0.0, clock=lambda: now[0])
    assert b() is False and stops == []              # too soon: no pause, no stop() call
    now[0] = 0.006
    assert b() is True and stops == [1]              # a pause, then stop() is asked
    assert b() is False and stops == [1]


def test_sensitivity_task_leaves_early_when_stopped():
    graph = with_activation(logic.adder(2, chips=False), "sigmoid")
    x = np.ones(len(graph.inputs()))
    calls = []

    def stop():                                      # cancelled once the table has begun
        calls.append(1)
        return len(calls) > 1

    big = with_activation(logic.adder(16, chips=False), "sigmoid")   # 419 rows: many breaths, stopped at the first
    gen = tasks.sensitivity_task(big, np.ones(len(big.inputs())), 0.1, 0)(stop)
    with pytest.raises(StopIteration) as end:
        next(gen)
    assert end.value.value is None and len(calls) == 2
    gen = tasks.sensitivity_task(graph, x, 0.1, 0)(lambda: False)
    with pytest.raises(StopIteration) as end:
        next(gen)
    assert len(end.value.value.rows) == len(graph.wires) + len(graph.neurons())
