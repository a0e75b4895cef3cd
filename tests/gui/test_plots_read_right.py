"""Issue 11 item 9: plots that read right (behaviour, not pixels)."""

from __future__ import annotations

import numpy as np

from nnsim.gui import style


def test_rounding_noise_reads_as_zero():
    assert style.readable(1.33e-84) == "0"
    assert style.readable(-1.13687e-13) == "0"
    assert style.readable(-0.5) == "−0.5" and style.readable(0.123456) == "0.1235"


def test_descent_title_spells_the_cost_as_the_menu_and_the_map_fills_its_axes(qtbot):
    from nnsim.gui.response.descent_playground import CHOICES, DescentPlayground

    w = DescentPlayground()
    qtbot.addWidget(w)
    w.resize(700, 500)
    w.show()
    item = w.plot.getPlotItem()
    assert not item.getViewBox().state["aspectLocked"]
    shown = item.titleLabel.text
    menu_titles = [t for t, n in CHOICES.items() if n is not None]
    assert "^" not in shown and "*" not in shown
    assert any(shown.endswith(t.split("  ", 1)[1]) for t in menu_titles), shown
    (x0, x1), (y0, y1) = item.getViewBox().viewRange()
    rect = w.image.mapRectToParent(w.image.boundingRect())
    assert np.isclose(rect.left(), x0, atol=1e-6) and np.isclose(rect.right(), x1, atol=1e-6)
    assert np.isclose(rect.top(), y0, atol=1e-6) and np.isclose(rect.bottom(), y1, atol=1e-6)


def test_training_axes_tick_whole_epochs_and_legends_match_tick_labels(qtbot):
    from nnsim.gui.training.plots import EpochAxis, TrainingPlots

    axis = EpochAxis("bottom")
    for lo, hi, size in [(0, 3, 400), (0.8, 30.2, 500), (0, 1, 120), (0, 300, 200)]:
        (step, values), = axis.tickValues(lo, hi, size)
        assert values and all(v == int(v) for v in values) and step >= 1
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    for plot in (plots.cost_plot, plots.acc_plot):
        tick = plot.getAxis("bottom").style.get("tickFont") or plot.getAxis("bottom").font()
        assert plot.legend.opts["labelTextSize"] == f"{tick.pointSizeF():g}pt"
        assert isinstance(plot.getAxis("bottom"), EpochAxis)


def test_epoch_mean_cost_sits_at_the_middle_of_its_epoch(qtbot):
    from nnsim.gui.training.plots import TrainingPlots

    plots = TrainingPlots()
    qtbot.addWidget(plots)
    run = plots.start_run("test")
    plots._create_pending() if hasattr(plots, "_create_pending") else None
    curves = plots._curves[0]
    # the mean over epochs 1 and 2 (0.13, 0.07) is drawn where the running line passed that level
    run.epochs[:] = [1, 2]
    run.epoch_cost[:] = [0.13, 0.07]
    run.validation_pct[:] = run.test_pct[:] = run.training_pct[:] = [90.0, 93.0]
    curves.refresh()
    x, y = curves.epoch_cost.getData()
    assert list(x) == [0.5, 1.5] and list(y) == [0.13, 0.07]
    x, _ = curves.test.getData()
    assert list(x) == [1.0, 2.0]   # accuracies are measured at an epoch's end
