"""The issue's "done when", as a new user would: open the half adder, select a weight on the canvas and see
the step; switch to sigmoid and see the curve; nudge a weight and read predicted against actual ΔO."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from nnsim.core.circuit.edits import Compound, SetNode
from nnsim.paths import examples_dir

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_half_adder_step_then_sigmoid_then_nudge(qtbot, main_window, mouse):
    from nnsim.gui.response.lab import ResponseLab

    lab = ResponseLab(main_window.document)
    main_window.add_circuit_dock(lab, "Response lab")
    assert main_window.open_path(examples_dir() / "half-adder.json", ask=False)
    doc = main_window.document
    scene = main_window.circuit.scene
    pause = QApplication.doubleClickInterval() + 50      # separate clicks, never a double-click (an editor)
    for node in doc.graph.inputs():                      # switch both inputs on, by clicking them
        mouse.click(scene.nodes[node.id].scenePos())
        qtbot.wait(pause)
    qtbot.waitUntil(lambda: all(n.value == 1 for n in doc.graph.inputs()))
    wire_id = next(w.id for w in doc.graph.wires.values() if w.source == doc.graph.find("a0").id)
    item = scene.wires[wire_id]
    mouse.click(item.mapToScene(item.label_rect().center()))   # select the wire a0 -> first NAND
    qtbot.waitUntil(lambda: doc.selected_param == ("w", wire_id))
    qtbot.waitUntil(lambda: lab.response.result is not None)
    values, outs, crossings = lab.response.result
    assert set(np.unique(outs["as_is"])) == {0.0, 1.0}     # a perceptron: a step
    assert crossings and lab.response.marker.value() == doc.graph.wires[wire_id].weight

    doc.push(Compound([SetNode(n.id, {"activation": "sigmoid"}) for n in doc.graph.neurons()], "sigmoid"))
    qtbot.waitUntil(lambda: len(np.unique(lab.response.result[1]["as_is"])) > 100)
    curve = lab.response.result[1]["as_is"]
    assert np.max(np.abs(np.diff(curve))) < 0.01              # a sigmoid: it glides

    lab.setCurrentWidget(lab.sensitivity)
    qtbot.waitUntil(lambda: lab.sensitivity.table.rowCount() == len(doc.live.circuit.params))
    lab.sensitivity.delta_spin.setValue(0.05)
    qtbot.mouseClick(lab.sensitivity.apply_button, Qt.MouseButton.LeftButton)
    predicted, actual = lab.sensitivity.last_nudge
    assert actual == pytest.approx(predicted, rel=0.1, abs=1e-4)
    assert "predicted" in lab.sensitivity.result.text()


def test_lab_dock_shows_its_plots_whole_at_1440x900(qtbot, main_window):
    """Below the canvas at 1440x900 the lab's tabs fit their dock: the plots shrink, no scroll bar hides them."""
    from PySide6.QtWidgets import QScrollArea

    from nnsim.gui.response.lab import ResponseLab

    lab = ResponseLab(main_window.document)
    main_window.add_circuit_dock(lab, "Response lab")
    main_window.resize(1440, 900)
    assert main_window.open_path(examples_dir() / "half-adder.json", ask=False)
    area = next(a for a in main_window.findChildren(QScrollArea) if a.widget() is lab)
    for i in range(lab.count()):
        lab.setCurrentIndex(i)
        qtbot.wait(10)
        assert not area.verticalScrollBar().isVisible(), lab.tabText(i)
        assert not area.horizontalScrollBar().isVisible(), lab.tabText(i)
    assert lab.response.plot.height() >= lab.response.plot.minimumHeight()
    assert main_window.circuit.view.height() > 300       # the canvas keeps the larger share


def test_a_long_status_does_not_make_the_lab_taller(qtbot, main_window):
    """The response tab's two-line status (value, then where z crosses 0) must not raise the lab's minimum
    height: a wrapped label asks for its text wrapped narrow, which pushed the lab past its dock."""
    from nnsim.gui.response.lab import ResponseLab

    lab = ResponseLab(main_window.document)
    main_window.add_circuit_dock(lab, "Response lab")
    assert main_window.open_path(examples_dir() / "half-adder.json", ask=False)
    lab.response.status.setText("<b>carry = 0.08</b> at w:a0->n1 = −4.9. " * 6 + "<br>" + "z = 0 at −1. " * 12)
    assert lab.response.minimumSizeHint().height() < 300     # was 329 with a two-line status


def test_presentation_mode_keeps_the_lab_and_the_palette_whole(qtbot, main_window):
    """F5 at 1440x900: larger text, yet the lab still fits its dock and the palette shows every entry (the
    side panels run the full height; the lab sits under the canvas only)."""
    from PySide6.QtWidgets import QScrollArea

    from nnsim.gui.response.lab import ResponseLab

    lab = ResponseLab(main_window.document)
    main_window.add_circuit_dock(lab, "Response lab")
    main_window.resize(1440, 900)
    area = next(a for a in main_window.findChildren(QScrollArea) if a.widget() is lab)
    palette = main_window.circuit.palette_panel
    try:
        main_window.set_presentation(True)
        qtbot.waitUntil(lambda: not area.verticalScrollBar().isVisible())
        assert not palette.verticalScrollBar().isVisible()
        assert palette.geometry().bottom() > lab.mapTo(main_window, lab.rect().topLeft()).y()
    finally:
        main_window.set_presentation(False)


def test_perceptron_response_labels_0_and_1(qtbot, main_window):
    """A short response plot still labels 0 and 1 on its y axis (the automatic ticks dropped both)."""
    from nnsim.gui.response.lab import ResponseLab

    lab = ResponseLab(main_window.document)
    main_window.add_circuit_dock(lab, "Response lab")
    main_window.resize(1440, 900)
    assert main_window.open_path(examples_dir() / "half-adder.json", ask=False)
    qtbot.waitUntil(lambda: lab.response.result is not None)
    axis = lab.response.plot.getPlotItem().getAxis("left")
    y0, y1 = lab.response.plot.getPlotItem().viewRange()[1]
    assert y0 <= -0.1 and y1 >= 1.1
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        shown = [spec[2] for spec in axis.generateDrawSpecs(painter)[2]]
    finally:
        painter.end()
    assert "0" in shown and "1" in shown


def test_descent_map_shows_the_whole_long_valley(qtbot):
    """Beside its controls, in a short dock, the aspect-locked cost map still shows the cost's whole window
    (setting x and then y separately let the y range win and cut the valley's ends off)."""
    from nnsim.gui.response.descent_playground import DescentPlayground

    d = DescentPlayground()
    qtbot.addWidget(d)
    d.resize(908, 330)
    d.show()
    qtbot.waitExposed(d)
    d.cost_combo.setCurrentIndex(1)
    qtbot.wait(20)
    x0, x1, y0, y1 = d.cost.extent
    (vx0, vx1), (vy0, vy1) = d.plot.getPlotItem().viewRange()
    assert x1 - x0 > 2 * (y1 - y0)                       # the long valley
    assert vx0 <= x0 + 1e-6 and vx1 >= x1 - 1e-6 and vy0 <= y0 + 1e-6 and vy1 >= y1 - 1e-6


def test_no_marker_on_an_empty_response_plot(qtbot, main_window):
    """With nothing to sweep the plot shows no draggable marker; it comes back with a parameter."""
    from nnsim.gui.response.lab import ResponseLab

    lab = ResponseLab(main_window.document)
    main_window.add_circuit_dock(lab, "Response lab")
    qtbot.waitUntil(lab.response.isVisible)
    lab.response.refresh()
    assert lab.response.result is None and not lab.response.marker.isVisible()
    assert main_window.open_path(examples_dir() / "half-adder.json", ask=False)
    qtbot.waitUntil(lambda: lab.response.result is not None)
    assert lab.response.marker.isVisible()


def test_curve_checkboxes_grow_in_presentation_mode(qtbot, main_window):
    """The coloured curve switches follow the application font (F5 makes it 1.3× larger) and stay bold."""
    from nnsim.gui.response.lab import ResponseLab

    lab = ResponseLab(main_window.document)
    main_window.add_circuit_dock(lab, "Response lab")
    box = lab.response.boxes["as_is"]
    before = box.font().pointSizeF()
    try:
        main_window.set_presentation(True)
        qtbot.waitUntil(lambda: box.font().pointSizeF() > 1.2 * before)
        assert box.font().bold()
    finally:
        main_window.set_presentation(False)


def test_load_xor_shows_the_new_circuit_whole_and_reads_no_number_x(qtbot, main_window):
    """Teach › Load XOR 2-2-1 swaps the circuit in one undoable step: the canvas fits it as opening a file
    does; its inputs x1, x2 (the book's names) are two inputs, not the bits of a number "x"."""
    from nnsim.gui.response.lab import ResponseLab

    lab = ResponseLab(main_window.document)
    main_window.add_circuit_dock(lab, "Response lab")
    main_window.resize(1440, 900)
    view, scene = main_window.circuit.view, main_window.circuit.scene
    view.scale(2.5, 2.5)
    view.centerOn(-400, -400)
    lab.teach.load_xor()
    qtbot.wait(10)
    seen = view.mapToScene(view.viewport().rect()).boundingRect()
    assert seen.contains(scene.items_rect())
    main_window.circuit.simulator.flush()
    assert main_window.circuit.truth_table.numbers.isHidden()


def test_the_output_follows_a_chosen_output_neuron(qtbot, main_window):
    """Picking the bias of an output neuron (or a wire into one) plots that output."""
    from nnsim.gui.response.lab import ResponseLab

    lab = ResponseLab(main_window.document)
    main_window.add_circuit_dock(lab, "Response lab")
    assert main_window.open_path(examples_dir() / "half-adder.json", ask=False)
    g = main_window.document.graph
    s0 = g.find("s0").id
    main_window.document.select_param(("b", s0))
    qtbot.waitUntil(lambda: lab.response.output_combo.currentText() == "s0")
    into_carry = next(w.id for w in g.wires.values() if w.target == g.find("carry").id)
    main_window.document.select_param(("w", into_carry))
    qtbot.waitUntil(lambda: lab.response.output_combo.currentText() == "carry")
    main_window.document.select_param(("w", next(w.id for w in g.wires.values() if w.source == "a0")))
    qtbot.wait(10)
    assert lab.response.output_combo.currentText() == "carry"      # a hidden neuron's weight: kept as it was


@pytest.mark.parametrize("size", [(1280, 800), (1440, 900)])
def test_sensitivity_table_and_nudge_plot_sit_side_by_side(qtbot, main_window, size):
    """The sensitivity table left, its nudge plot right: stacked, the plot got ~40 px in the short dock and
    the whole lab asked for more height than the canvas could spare."""
    from PySide6.QtWidgets import QScrollArea

    from nnsim.gui.response.lab import ResponseLab

    lab = ResponseLab(main_window.document)
    main_window.add_circuit_dock(lab, "Response lab")
    main_window.resize(*size)
    assert main_window.open_path(examples_dir() / "adder-4bit.json", ask=False)
    panel = lab.sensitivity
    lab.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.table.rowCount() == len(main_window.document.live.circuit.params))
    area = next(a for a in main_window.findChildren(QScrollArea) if a.widget() is lab)
    assert not area.verticalScrollBar().isVisible() and not area.horizontalScrollBar().isVisible()
    table_right = panel.table.mapTo(panel, panel.table.rect().topRight()).x()
    plot_left = panel.nudge_plot.mapTo(panel, panel.nudge_plot.rect().topLeft()).x()
    assert plot_left > table_right
    assert panel.nudge_plot.plot.height() >= panel.nudge_plot.plot.minimumHeight()
    assert panel.minimumSizeHint().height() < lab.response.minimumSizeHint().height()   # not the tallest tab
    assert main_window.circuit.view.height() > size[1] // 2 - 60


def test_presentation_mode_enlarges_the_lab_plots_and_back(qtbot, main_window):
    """F5 reaches the plots (built once per tab): tick and title fonts and pen widths grow, then shrink back."""
    from nnsim.gui.response.lab import ResponseLab

    lab = ResponseLab(main_window.document)
    main_window.add_circuit_dock(lab, "Response lab")
    assert main_window.open_path(examples_dir() / "half-adder.json", ask=False)
    item = lab.teach.plot.getPlotItem()
    tick = item.getAxis("bottom").style["tickFont"].pointSizeF()
    width = lab.teach.curve.opts["pen"].widthF()
    title = item.titleLabel.opts["size"]
    try:
        main_window.set_presentation(True)
        assert item.getAxis("bottom").style["tickFont"].pointSizeF() > 1.3 * tick
        assert lab.teach.curve.opts["pen"].widthF() == pytest.approx(1.35 * width)
        assert item.titleLabel.opts["size"] != title
    finally:
        main_window.set_presentation(False)
    assert item.getAxis("bottom").style["tickFont"].pointSizeF() == pytest.approx(tick)
    assert lab.teach.curve.opts["pen"].widthF() == pytest.approx(width)
    assert item.titleLabel.opts["size"] == title
