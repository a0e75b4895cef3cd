"""The response lab's widgets through pytest-qt: built around a Document with a small graph, driven through
the widgets as a person would, checked on the model and on the widgets."""

import math

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from nnsim.core.circuit.edits import SetNode, SetWeight
from nnsim.core.circuit.graph import ExpectedTable, Graph
from nnsim.gui.document import Document
from qt_helpers import shown

# the offscreen platform warns about size hints when a top-level widget is shown; harmless
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def nand_pair(activation="step") -> Graph:
    """out = NAND(NAND(a, b), b): two NAND perceptrons in a row."""
    g = Graph("two nands")
    g.add_input("a", value=1, id="a")
    g.add_input("b", value=1, id="b")
    g.add_neuron("n", activation, bias=3, id="n")
    g.add_neuron("out", activation, bias=3, id="out")
    g.connect("a", "n", -2, id="w_an")
    g.connect("b", "n", -2, id="w_bn")
    g.connect("n", "out", -2, id="w_no")
    g.connect("b", "out", -2, id="w_bo")
    g.expected = ExpectedTable(["a", "b"], ["out"], [[1], [0], [1], [1]])
    return g



def send_mouse(widget, kind, pos, buttons):
    button = Qt.MouseButton.LeftButton
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def drag_in_plot(qtbot, plot_widget, start, end, steps=8):
    """Press at data point ``start``, move to ``end`` in steps, release — through the plot's viewport."""
    vb = plot_widget.getPlotItem().getViewBox()

    def at(p):
        return plot_widget.mapFromScene(vb.mapViewToScene(QPointF(*p)))

    vp = plot_widget.viewport()
    left = Qt.MouseButton.LeftButton
    send_mouse(vp, QEvent.Type.MouseButtonPress, at(start), left)
    for i in range(1, steps + 1):
        t = i / steps
        send_mouse(vp, QEvent.Type.MouseMove, at((start[0] + t * (end[0] - start[0]), start[1])), left)
        qtbot.wait(5)
    send_mouse(vp, QEvent.Type.MouseButtonRelease, at((end[0], start[1])), Qt.MouseButton.NoButton)


# ----- response plot -------------------------------------------------------------------------------------
@pytest.fixture
def response(qtbot):
    from nnsim.gui.response.response_plot import ResponsePlot

    doc = Document(nand_pair())
    w = shown(qtbot, ResponsePlot(doc))
    return doc, w


def test_picking_a_parameter_plots_a_step_with_its_jump(response, qtbot):
    doc, w = response
    first = w.combo.current_param()  # a new lab starts on a parameter that moves the output (issue 11)
    assert first is not None and w.result is not None and np.ptp(w.result[1]["as_is"]) > 0
    w.combo.choose(("b", "n"))
    assert doc.selected_param == ("b", "n")
    values, outs, crossings = w.result
    assert len(values) == 1000 and values[0] <= 3 <= values[-1]
    assert set(np.unique(outs["as_is"])) <= {0.0, 1.0}
    assert np.array_equal(outs["perceptron"], outs["as_is"])
    assert np.all(np.abs(np.diff(outs["sigmoid"])) < 0.05)        # the sigmoid overlay glides
    # n's z = −2 − 2 + b: it crosses 0 at b = 4; the output follows
    assert [round(c.value, 9) for c in crossings] == [4.0, 4.0] and {c.node_id for c in crossings} == {"n", "out"}
    jumps = values[np.flatnonzero(np.diff(outs["as_is"]))]
    assert len(jumps) == 1 and abs(jumps[0] - 4) < values[1] - values[0]
    assert w.marker.value() == 3
    x, y = w.curves["as_is"].getData()
    assert len(x) == 1000
    xs, _ = w.crossing_lines.getData()
    assert list(np.round(xs, 9)) == [4.0, 4.0]
    assert "z = 0 at 4 (n, out)" in w.status.text()


def test_canvas_selection_and_edits_elsewhere_move_the_plot(response, qtbot):
    doc, w = response
    doc.select_param(("w", "w_no"))                 # as the canvas does when a wire is clicked
    assert w.combo.currentText() == "w:n:out" and w.marker.value() == -2
    doc.push(SetWeight("w_no", 1.5))                # a weight changed elsewhere: the marker follows
    qtbot.waitUntil(lambda: w.marker.value() == 1.5)
    assert w.dot.getData()[0].tolist() == [1.5]
    doc.select_param(None)                          # clicking empty canvas keeps the lab's choice
    assert w.combo.currentText() == "w:n:out"
    # another weight dragged on the canvas: coarse curves during the gesture, full detail after it
    doc.push(SetWeight("w_an", -1.0), merge_key=("canvas", "w_an"))
    qtbot.waitUntil(lambda: len(w.curves["as_is"].getData()[0]) == 250)
    doc.end_merge()
    qtbot.waitUntil(lambda: len(w.curves["as_is"].getData()[0]) == 1000)
    old_curve = w.curves["as_is"]
    doc.push(SetNode("a", {"value": 0.0}))          # an input toggled: the curve is recomputed in place
    qtbot.waitUntil(lambda: "a = 0" in w.status.text())
    assert w.curves["as_is"] is old_curve


def test_dragging_the_marker_sets_the_weight_in_one_undo_step(response, qtbot):
    doc, w = response
    w.combo.choose(("w", "w_an"))
    before = doc.undo_stack.count()
    drag_in_plot(qtbot, w.plot, (-2, 0.5), (1.0, 0.5))
    new = doc.graph.wires["w_an"].weight
    assert new == pytest.approx(1.0, abs=0.1) and new != -2
    assert doc.undo_stack.count() == before + 1
    assert w.marker.value() == pytest.approx(new)
    assert not doc.merge_open
    doc.undo_stack.undo()
    assert doc.graph.wires["w_an"].weight == -2
    qtbot.waitUntil(lambda: w.marker.value() == -2)
    drag_in_plot(qtbot, w.plot, (-2, 0.5), (0.0, 0.5))  # a second drag is a second step
    assert doc.undo_stack.count() == before + 1 and doc.undo_stack.index() == before + 1


def test_relabelling_renames_the_plot(response, qtbot):
    doc, w = response
    w.combo.choose(("w", "w_no"))
    doc.push(SetNode("n", {"label": "first"}))
    qtbot.waitUntil(lambda: w.combo.currentText() == "w:first:out")
    qtbot.waitUntil(lambda: "w:first:out" in w.status.text())
    assert w.plot.getPlotItem().getAxis("bottom").labelText == "w:first:out"
    assert w.combo.current_param() == ("w", "w_no")


def test_overlays_can_be_hidden_and_output_chosen(response, qtbot):
    doc, w = response
    w.combo.choose(("b", "out"))
    w.boxes["sigmoid"].setChecked(False)
    assert w.curves["sigmoid"].getData()[0] is None or len(w.curves["sigmoid"].getData()[0]) == 0
    assert "sigmoid" not in w.result[1]
    assert w.output_combo.count() == 1 and w.output_combo.currentText() == "out"


# ----- sigmoid shape and gallery ---------------------------------------------------------------------------
def test_base_slider_drag_is_one_undo_step(qtbot):
    from nnsim.gui.response.sigmoid_shape import SigmoidShape, base_to_slider, slider_to_base

    doc = Document(nand_pair("sigmoid"))
    w = shown(qtbot, SigmoidShape(doc))
    assert w.slider.value() == base_to_slider(math.e) and "β = 2.718 (e)" in w.value_label.text()
    w.slider.setSliderDown(True)
    for pos in (600, 700, 800):
        w.slider.setValue(pos)
    w.slider.setSliderDown(False)                   # emits sliderReleased
    assert doc.graph.sigmoid_base == slider_to_base(800) and doc.graph.sigmoid_base > 1000
    assert doc.undo_stack.count() == 1
    s = w.sigma_curve.getData()[1]
    assert s[len(s) // 2 + 20] > 0.98               # steep: almost a step already at z = 0.4
    assert doc.live.circuit.feedforward([[1, 1]])[0, 0] == pytest.approx(doc.live.circuit.feedforward([[1, 1]])[0, 0])
    doc.undo_stack.undo()
    assert doc.graph.sigmoid_base == math.e and w.slider.value() == base_to_slider(math.e)
    assert slider_to_base(0) == 1.01 and slider_to_base(1000) == 1e6
    w.slider.setValue(0)                            # keyboard/page moves: one step each
    assert doc.graph.sigmoid_base == 1.01 and doc.undo_stack.count() == 1
    w.reset_button.click()
    assert doc.graph.sigmoid_base == math.e


def test_gallery_draws_each_activation_and_follows_the_base(qtbot):
    from nnsim.core.circuit.edits import SetSetting
    from nnsim.gui.response.gallery import ActivationGallery

    doc = Document(nand_pair())
    w = shown(qtbot, ActivationGallery(doc))
    assert set(w.curves) == {"step", "sigmoid", "tanh", "relu", "softplus"}
    z, f = w.curves["step"][0].getData()
    assert set(np.unique(f)) == {0.0, 1.0}
    assert np.all(w.curves["step"][1].getData()[1] == 0)
    doc.push(SetSetting("sigmoid_base", 100.0))
    z, s = w.curves["sigmoid"][0].getData()
    assert s[np.searchsorted(z, 1.0)] > 0.98


# ----- sensitivity -------------------------------------------------------------------------------------------
def test_sensitivity_table_rows_selection_and_nudge(qtbot):
    from nnsim.gui.response.sensitivity_panel import SensitivityPanel

    doc = Document(nand_pair("sigmoid"))
    w = shown(qtbot, SensitivityPanel(doc), (760, 700))
    qtbot.waitUntil(lambda: w.table.rowCount() == 6)
    grads = [abs(r.gradient[0]) for r in w.rows]
    assert grads == sorted(grads, reverse=True)
    assert w.table.item(0, 0).text() == w.rows[0].param.name
    # clicking a row selects that parameter everywhere and shows its nudge curve
    rect = w.table.visualItemRect(w.table.item(2, 0))
    qtbot.mouseClick(w.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    key = (w.rows[2].param.kind, w.rows[2].param.id)
    assert doc.selected_param == key and w.nudge_plot.pid == key
    deltas, actual = w.nudge_plot.actual.getData()
    _, predicted = w.nudge_plot.predicted.getData()
    small = np.abs(deltas) < 0.05
    assert np.allclose(actual[small], predicted[small], atol=1e-3)
    lo, hi = w.nudge_plot.band.getRegion()
    assert lo < 0 < hi
    # a small nudge: the prediction is right to first order, and it is one undo step
    with qtbot.waitSignal(w.sigUpdated, timeout=10_000):      # the rows are computed in a worker
        w.delta_spin.setValue(0.01)
    old = w.rows[0].value
    name = w.rows[0].param.name
    rect = w.table.visualItemRect(w.table.item(0, 0))
    qtbot.mouseClick(w.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    count = doc.undo_stack.count()
    qtbot.mouseClick(w.apply_button, Qt.MouseButton.LeftButton)
    predicted, actual = w.last_nudge
    assert actual == pytest.approx(predicted, rel=0.05) and actual != 0
    assert doc.undo_stack.count() == count + 1
    assert doc.live.circuit.get_param(doc.live.circuit.param(name)) == pytest.approx(old + 0.01)
    assert "predicted" in w.result.text() and "actual" in w.result.text()


# ----- scale c ------------------------------------------------------------------------------------------------
def test_scale_plot_marks_the_logic_min_scale(qtbot):
    from nnsim.core.logic import scale_report
    from nnsim.gui.response.scale_plot import ScalePlot

    doc = Document(nand_pair())
    w = shown(qtbot, ScalePlot(doc))
    qtbot.waitUntil(lambda: w.curve_data is not None)
    c = scale_report(doc.graph).min_scale
    assert w.curve_data.min_scale == c and w.min_line.isVisible()
    assert w.min_line.value() == pytest.approx(math.log10(c))
    assert f"{c:.4g}" in w.info.text()
    doc.push(SetNode("n", {"activation": "sigmoid"}))   # no longer a perceptron circuit
    qtbot.waitUntil(lambda: w.curve_data is None)
    assert "perceptron" in w.info.text() and not w.min_line.isVisible()


# ----- descent -------------------------------------------------------------------------------------------------
def test_descent_playground_click_costs_and_modes(qtbot):
    from nnsim.gui.response.descent_playground import CHOICES, DescentPlayground

    w = shown(qtbot, DescentPlayground(), (700, 800))
    assert w.cost.name == "bowl" and w.path.steps == 40 and not w.path.diverged
    assert w.path.cost[-1] < 1e-3 * w.path.cost[0]
    rel = np.abs(w.path.dC - w.path.predicted) / np.abs(w.path.predicted)
    w.eta_spin.setValue(0.01)
    rel_small = np.abs(w.path.dC - w.path.predicted) / np.abs(w.path.predicted)
    assert rel_small.max() < rel.max() / 5                # ΔC → ∇C·Δv as η shrinks
    # a click on the image moves the start
    vb = w.plot.getPlotItem().getViewBox()
    pos = w.plot.mapFromScene(vb.mapViewToScene(QPointF(1.0, -0.5)))
    qtbot.mouseClick(w.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert w.start == pytest.approx([1.0, -0.5], abs=0.05)
    assert w.path.v[0] == pytest.approx(w.start)
    # compare batch / mini-batch / online
    w.compare_box.setChecked(True)
    assert set(w.compare_paths) == {"batch", "mini-batch", "online"}
    assert all(len(w.compare_items[n].getData()[0]) == w.steps_spin.value() + 1 for n in w.compare_paths)
    # Rosenbrock gets a small η; a too-large η diverges and says so
    w.cost_combo.setCurrentIndex(list(CHOICES.values()).index("rosenbrock"))
    assert w.cost.name == "rosenbrock" and w.eta_spin.value() < 0.01
    w.compare_box.setChecked(False)
    w.eta_spin.setValue(0.5)
    assert w.path.diverged and "Diverged" in w.info.text()


def test_typed_expression_and_its_errors(qtbot):
    from nnsim.gui.response.descent_playground import CHOICES, DescentPlayground

    w = shown(qtbot, DescentPlayground(), (700, 800))
    w.cost_combo.setCurrentIndex(list(CHOICES.values()).index(None))
    assert w.expression.isEnabled() and w.cost.name == "expression"
    w.expression.clear()
    qtbot.keyClicks(w.expression, "(v1-1)^2 + 2*(v2+0.5)^2")
    qtbot.keyClick(w.expression, Qt.Key.Key_Return)
    assert w.cost.text == "(v1-1)^2 + 2*(v2+0.5)^2" and w.error.text() == ""
    w.steps_spin.setValue(300)
    assert w.path.v[-1] == pytest.approx([1.0, -0.5], abs=1e-3)
    w.expression.clear()
    qtbot.keyClicks(w.expression, "__import__('os').getcwd()")
    qtbot.keyClick(w.expression, Qt.Key.Key_Return)
    assert "not allowed" in w.error.text() or "unknown function" in w.error.text()
    assert w.cost.text == "(v1-1)^2 + 2*(v2+0.5)^2"        # nothing lost


# ----- teach --------------------------------------------------------------------------------------------------
def test_teach_learns_xor_on_the_canvas_as_one_undo_step(qtbot):
    from nnsim.gui.response.teach_panel import TeachPanel

    doc = Document(nand_pair())                          # perceptrons: the panel says why it cannot teach
    w = shown(qtbot, TeachPanel(doc))
    qtbot.waitUntil(lambda: "switch" in w.status.text())
    w.start_button.click()
    assert not w.running
    qtbot.mouseClick(w.xor_button, Qt.MouseButton.LeftButton)
    assert doc.graph.name == "xor 2-2-1" and len(doc.graph.neurons()) == 3 and doc.undo_stack.count() == 1
    qtbot.waitUntil(lambda: "Ready: 4 rows" in w.status.text())
    w.epochs_spin.setValue(600)
    # before a run: axes over the epochs to come and a line saying what will appear there
    (x0, x1), _ = w.plot.getPlotItem().getViewBox().viewRange()
    assert w.hint.isVisible() and x0 <= 0 and 600 <= x1 < 700
    with qtbot.waitSignal(w.sigFinished, timeout=20000) as blocker:
        qtbot.mouseClick(w.start_button, Qt.MouseButton.LeftButton)
    assert not w.hint.isVisible()
    stats = blocker.args[0]
    assert stats.epoch == 600 and stats.correct == 4 and stats.cost < 0.01
    assert w.history_cost[-1] < w.history_cost[0] / 10
    assert w.history_epochs == list(range(601))           # every epoch's cost, from throttled snapshots
    _, out = doc.live.circuit.truth_table()
    assert np.array_equal(np.round(out[:, 0]), [0, 1, 1, 0])
    assert doc.undo_stack.count() == 2                   # load + the whole training run
    doc.undo_stack.undo()
    _, out = doc.live.circuit.truth_table()
    assert not np.array_equal(np.round(out[:, 0]), [0, 1, 1, 0])


def test_teach_stop_and_make_sigmoid(qtbot):
    from nnsim.gui.response.teach_panel import TeachPanel

    doc = Document(nand_pair())
    w = shown(qtbot, TeachPanel(doc))
    w.sigmoid_button.click()
    assert all(n.activation == "sigmoid" for n in doc.graph.neurons()) and doc.undo_stack.count() == 1
    w.random_button.click()
    assert doc.undo_stack.count() == 2 and doc.graph.wires["w_an"].weight != -2
    w.epochs_spin.setValue(1_000_000)
    w.start_button.click()
    assert w.running and w.start_button.text() == "Stop"
    qtbot.waitUntil(lambda: len(w.history_cost) > 5)
    with qtbot.waitSignal(w.sigFinished, timeout=5000):
        w.start_button.click()
    assert not w.running and w.last.epoch < 1_000_000


# ----- the lab ----------------------------------------------------------------------------------------------
def test_lab_tabs_share_the_document(qtbot):
    from nnsim.gui.response.lab import ResponseLab

    doc = Document(nand_pair())
    lab = shown(qtbot, ResponseLab(doc), (820, 700))
    titles = [lab.tabText(i) for i in range(lab.count())]
    assert titles == ["Response", "Sigmoid β", "Activations", "Sensitivity", "Scale c", "Descent", "Teach"]
    doc.select_param(("w", "w_bo"))
    assert lab.response.combo.currentText() == "w:b:out"
    lab.setCurrentWidget(lab.sensitivity)
    qtbot.waitUntil(lambda: lab.sensitivity.table.rowCount() == 6)
    assert lab.sensitivity.nudge_plot.pid == ("w", "w_bo")
    lab.shutdown()


def test_teach_spin_boxes_keep_their_own_width(qtbot):
    """η, epochs, mini-batch and seed are as wide as their contents, not stretched across a wide lab."""
    from nnsim.gui.response.teach_panel import TeachPanel

    w = shown(qtbot, TeachPanel(Document(nand_pair("sigmoid"))), (1100, 400))
    qtbot.waitExposed(w)
    for spin in (w.eta_spin, w.epochs_spin, w.batch_spin, w.seed_spin):
        assert spin.width() < 2 * spin.sizeHint().width() and spin.width() < 160   # was ~300 px


def test_the_nudge_plot_moves_every_parameter_at_once(qtbot):
    from nnsim.core.response import nudge_all_curve
    from nnsim.gui.response.nudge_plot import NudgePlot
    from nnsim.gui import style

    doc = Document(nand_pair("sigmoid"))
    w = shown(qtbot, NudgePlot(doc), (600, 400))
    w.all_box.setChecked(True)
    xs, actual = w.actual.getData()
    _, predicted = w.predicted.getData()
    circuit = doc.live.circuit
    want_pred, want_act = nudge_all_curve(circuit, circuit.input_values, xs, 0, seed=style.RESPONSE_NUDGE_SEED)
    np.testing.assert_allclose(predicted, want_pred)
    np.testing.assert_allclose(actual, want_act)
    lo, hi = w.band.getRegion()
    assert lo < 0 < hi
    assert "All 6 parameters moved at once" in w.info.text()
    w.all_box.setChecked(False)  # back to one parameter: none picked yet
    assert "Pick a parameter" in w.info.text()
