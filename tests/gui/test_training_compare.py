"""The studio's comparison: runs per seed and η trained together, overlaid, and the spread across seeds."""

import statistics

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from nnsim.core.learning.network import Network
from nnsim.core.learning.training import sgd
from nnsim.gui.training.page import TrainingPage
from nnsim.io.datacache import load_data

LIMIT = 2000


@pytest.fixture
def page(qtbot):
    p = TrainingPage()
    qtbot.addWidget(p)
    p.limit.setValue(LIMIT)
    p.report_every = 50
    p.show_dialogs = False
    yield p
    p.shutdown()


def compare(qtbot, page, seeds, etas="", epochs=2):
    page.epochs.setValue(epochs)
    page.compare_seeds.setText(seeds)
    page.compare_etas.setText(etas)
    with qtbot.waitSignal(page.sigRunFinished, timeout=120_000) as done:
        page.compare_button.click()
    return done.args[0]


def test_a_comparison_overlays_runs_that_match_their_runs_alone(qtbot, page):
    page.sizes_edit.setText("784, 20, 10")
    page.cost.setCurrentIndex(page.cost.findData("cross-entropy"))
    page.init.setCurrentIndex(page.init.findData("scaled"))
    assert compare(qtbot, page, "1, 2, 3", "0.5") == "finished"
    runs = page.plots.runs
    assert [r.epochs for r in runs] == [[1, 2]] * 3
    assert [r.label for r in runs] == [f"784-20-10, η=0.5, m=10, cross-entropy, scaled init, seed {s}"
                                       for s in (1, 2, 3)]
    assert len({r.group for r in runs}) == 1
    data = load_data(None)
    X, y = data.compact("training")
    for run, seed in zip(runs, (1, 2, 3)):
        net = Network([784, 20, 10], seed=seed, init="scaled")
        alone = [s.test_correct for s in sgd(net, (X[:LIMIT], y[:LIMIT]), 2, 10, 0.5, seed=seed,
                                             cost="cross-entropy", test_data=data.compact("test"))]
        assert run.test_pct == pytest.approx([a / 100 for a in alone], abs=0.03)
        assert all(50 < t <= 100 for t in run.training_pct)  # training accuracy scored beside test
    assert "3 runs" in page.result_label.text() and "median" in page.result_label.text()

    # the spread view: one band with the median of the three runs; their own curves hidden
    page.plots.spread_box.setChecked(True)
    bands = page.plots._spreads[0].bands
    assert len(bands) == 1
    band = next(iter(bands.values()))
    epochs, median = band.median.getData()
    assert list(epochs) == [1, 2]
    assert median[1] == pytest.approx(statistics.median(r.test_pct[1] for r in runs))
    assert band.low.getData()[1][1] == pytest.approx(min(r.test_pct[1] for r in runs))
    assert not any(c.test.isVisible() for c in page.plots._curves)
    page.plots.spread_box.setChecked(False)
    assert all(c.test.isVisible() for c in page.plots._curves) and not page.plots._spreads[0].bands


def test_a_comparison_of_learning_rates_trains_one_run_per_eta_and_seed(qtbot, page):
    page.sizes_edit.setText("784, 10, 10")
    assert compare(qtbot, page, "4, 5", "0.01, 3", epochs=1) == "finished"
    labels = [r.label for r in page.plots.runs]
    assert len(labels) == 4 and "η=0.01" in labels[0] and "η=3" in labels[3]
    slow, fast = page.plots.runs[0].test_pct[0], page.plots.runs[3].test_pct[0]
    assert fast > slow + 20  # η = 3 learns in one epoch what η = 0.01 does not


@pytest.mark.parametrize("seeds, etas, message", [
    ("1, x", "", "seeds"), ("1", "3, -1", "η values"), (",".join(map(str, range(20))), "", "at most 16"),
])
def test_bad_lists_are_reported_without_training(page, monkeypatch, seeds, etas, message):
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: None)
    page.compare_seeds.setText(seeds)
    page.compare_etas.setText(etas)
    page.compare_button.click()
    assert message in page.last_error and not page.runner.is_running()
    np.testing.assert_equal(len(page.plots.runs), 0)


def test_the_learning_curve_trains_one_run_per_size_and_plots_them(qtbot, page):
    page.sizes_edit.setText("784, 10, 10")
    page.epochs.setValue(2)
    with qtbot.waitSignal(page.sigRunFinished, timeout=120_000) as done:
        page.curve_button.click()
    assert done.args[0] == "finished"
    assert page.inside.currentWidget() is page.curve_plot
    plot = page.curve_plot
    assert plot.sizes == [500, 1000, LIMIT]  # the sizes below the 2,000 images trained on, and all of them
    assert [len(r.epochs) for r in page.plots.runs] == [2, 2, 2]
    assert plot.test_pct == [r.test_pct[-1] for r in page.plots.runs]
    assert plot.test_pct[-1] > plot.test_pct[0]  # more data, more right
    assert all(t >= 0 for t in plot.training_pct)
    xs, ys = plot.test.getData()
    assert list(ys) == plot.test_pct
    assert "500: " in plot.note.text()


def test_the_smooth_cost_tab_sweeps_a_weight_of_the_current_network(qtbot, page):
    data = load_data(None)
    net = Network([784, 12, 10], seed=4)
    X, y = data.compact("training")
    list(sgd(net, (X[:LIMIT], y[:LIMIT]), 1, 10, 3.0, seed=4))
    page._use_network(net)
    view = page.sweep_view
    assert view.button.isEnabled() and view.layer.maximum() == 3
    view.layer.setValue(3)
    view.neuron.setValue(2)
    view.source.setValue(5)
    assert view.source.maximum() == 11
    with qtbot.waitSignal(view.runner.sigFinished, timeout=60_000):
        view.button.click()
    sweep = view.sweep
    assert sweep is not None, view.note.text()
    assert sweep.name == "w^3_2,5" and len(sweep.values) == 41
    assert sweep.start == pytest.approx(float(net.weights[1][2, 5]))
    assert sweep.correct[20] == net.evaluate(*data.compact("test"))
    assert list(view.cost_curve.getData()[1]) == pytest.approx(list(sweep.cost))
    assert "the number correct" in view.note.text()
    view.source.setValue(-1)  # the lowest value: the bias
    with qtbot.waitSignal(view.runner.sigFinished, timeout=60_000):
        view.button.click()
    assert view.sweep.name == "b^3_2"


def test_the_4_bit_output_tab_shows_edits_and_scores_the_books_layer(qtbot, page):
    from nnsim.core.learning import encodings

    data = load_data(None)
    net = Network([784, 12, 10], seed=5)
    X, y = data.compact("training")
    list(sgd(net, (X[:LIMIT], y[:LIMIT]), 1, 10, 3.0, seed=5))
    page._use_network(net)
    view = page.binary_view
    w, b = view.layer()
    book_w, book_b = encodings.binary_layer(10.0)
    np.testing.assert_array_equal(w, book_w)
    np.testing.assert_array_equal(b, book_b)
    assert view.table.item(1, 7).text() == "10"  # 7 = 0111: bit 4 set
    with qtbot.waitSignal(view.runner.sigFinished, timeout=60_000):
        view.score_button.click()
    test = data.compact("test")
    assert view.score == (*net.binary_readout(*test), 10_000)
    assert "agree with the one-hot answer" in view.result.text()

    # an edited weight changes the answers: output 1 no longer sets bit 1
    view.table.item(3, 1).setText("-10")
    with qtbot.waitSignal(view.runner.sigFinished, timeout=60_000):
        view.score_button.click()
    edited_w = book_w.copy()
    edited_w[3, 1] = -10
    assert view.score == (*net.binary_readout(*test, layer=(edited_w, book_b)), 10_000)
    assert view.score[0] < net.binary_readout(*test)[0]
    view.table.item(0, 0).setText("x")
    view.score_button.click()
    assert "not a number" in view.result.text()
