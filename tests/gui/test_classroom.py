"""Issue 11, the classroom screen: room for the plots, plots that open moving, presentation mode, themes,
the welcome page, placement of new nodes, loops told honestly, the keyboard (behaviour, not pixels)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QScrollArea

from nnsim import paths
from nnsim.gui import app as nnsim_app
from nnsim.gui.response.lab import ResponseLab


@pytest.fixture
def make_window(qtbot, tmp_path):
    made = []

    def make(size=(1280, 720), example=None, pages=True):
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        w = nnsim_app.create_window(settings=settings, recovery_dir=tmp_path / "rec", optional_pages=pages)
        w.resize(*size)
        w.show()
        QApplication.processEvents()
        if example:
            assert w.open_path(paths.examples_dir() / f"{example}.json", ask=False)
            QApplication.processEvents()
        made.append(w)
        return w

    yield make
    for w in made:   # closed here, clean (qtbot would close a dirty window into a modal "save?" question)
        w.document.undo_stack.setClean()
        w.close()
        w.deleteLater()


def plot_heights(lab: ResponseLab, index: int) -> list[int]:
    lab.setCurrentIndex(index)
    for _ in range(3):
        QApplication.processEvents()
    return [int(p.getPlotItem().getViewBox().sceneBoundingRect().height())
            for p in lab.widget(index).findChildren(pg.PlotWidget) if p.isVisible()]


@pytest.mark.parametrize("size, least", [((1024, 768), 110), ((1280, 720), 150), ((1920, 1080), 200)])
def test_every_plot_of_the_lab_has_room_and_nothing_scrolls_sideways(make_window, size, least):
    w = make_window(size, "perceptron-decision")
    assert w.show_page("response lab")
    lab = w.findChild(ResponseLab)
    for i in range(lab.count()):
        heights = plot_heights(lab, i)
        assert heights and min(heights) >= least, (lab.tabText(i), heights)
        sideways = [a for a in w.findChildren(QScrollArea) if a.isVisible() and a.horizontalScrollBar().isVisible()]
        assert not sideways, lab.tabText(i)


@pytest.mark.parametrize("example", ["perceptron-decision", "xor", "nand", "sigmoid-neuron", "sr-latch"])
def test_the_response_plot_opens_moving(make_window, example):
    w = make_window((1280, 720), example)
    w.show_page("response lab")
    plot = w.findChild(ResponseLab).response
    QApplication.processEvents()
    plot.refresh()
    values, outs, _ = plot.result
    assert np.ptp(outs["as_is"]) >= 0.1, (example, plot.combo.currentText())
    assert not w.document.dirty   # opening is not an edit


def test_choosing_another_output_keeps_it_moving(make_window):
    w = make_window((1280, 720), "full-adder")
    w.show_page("response lab")
    plot = w.findChild(ResponseLab).response
    plot.output_combo.setCurrentIndex(1)
    plot.output_combo.activated.emit(1)
    plot.refresh()
    assert np.ptp(plot.result[1]["as_is"]) >= 0.1
    # the student can still choose any parameter
    plot.combo.setCurrentIndex(0)
    plot.refresh()
    assert plot.combo.current_param() == plot.combo.itemData(0)


def test_redo_has_ctrl_shift_z_and_ctrl_y_once_each(make_window):
    w = make_window(pages=False)
    keys = [k.toString() for k in w.redo_action.shortcuts()]
    assert "Ctrl+Shift+Z" in keys and "Ctrl+Y" in keys
    assert len(keys) == len(set(keys))
    w.scene.add_preset(__import__("nnsim.gui.canvas.presets", fromlist=["find"]).find("input"),
                       w.view.centre_point())
    n = len(w.document.graph.nodes)
    w.undo_action.trigger()
    assert len(w.document.graph.nodes) == n - 1
    for seq in ("Ctrl+Shift+Z", "Ctrl+Y"):
        assert any(k == QKeySequence(seq) for k in w.redo_action.shortcuts())


def canvas_share(w) -> float:
    vp = w.view.viewport()
    return vp.width() * vp.height() / (w.width() * w.height())


def test_presentation_mode_gives_the_canvas_the_window_and_esc_leaves(make_window, qtbot):
    w = make_window((1280, 720), "adder-4bit")
    before = canvas_share(w)
    w.presentation_action.trigger()
    QApplication.processEvents()
    assert w.presentation_action.isChecked()
    assert canvas_share(w) >= max(0.45, before + 0.1)
    assert not w.circuit.palette_dock.isVisible() and not w.circuit.inspector_dock.isVisible()
    # one keystroke brings the truth table back, and the canvas still has its share
    w.presenter.table_action.trigger()
    QApplication.processEvents()
    assert w.circuit.table_dock.isVisible() and canvas_share(w) >= 0.45
    # one more shows the plot
    w.presenter.plot_action.trigger()
    assert w.pages.tabText(w.pages.currentIndex()) == "Response lab"
    w.presenter.plot_action.trigger()
    assert w.pages.currentIndex() == 0
    assert any(k == QKeySequence("Esc") for k in w.presenter.leave_action.shortcuts())
    w.presenter.leave_action.trigger()
    QApplication.processEvents()
    assert not w.presentation_action.isChecked()
    assert w.circuit.palette_dock.isVisible() and w.circuit.inspector_dock.isVisible()
    assert not w.presenter.leave_action.isEnabled()   # Esc is the canvas's again


def test_theme_menu_switches_and_remembers(make_window, tmp_path, qtbot):
    from nnsim.gui import style
    from nnsim.gui.theme import SETTING, saved_theme

    w = make_window(pages=True)
    try:
        w.theme_actions["dark"].trigger()
        assert style.theme().dark and w.settings.value(SETTING) == "dark"
        assert saved_theme(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)) == "dark"
        # the "network as it is" colour reads on the dark plot background (contrast ≥ 4.5:1)
        box = w.findChild(ResponseLab).response.boxes["as_is"]
        qtbot.waitUntil(lambda: contrast(box.palette().color(box.foregroundRole()), style.theme().background) >= 4.5)
        w.theme_actions["light"].trigger()
        assert not style.theme().dark and w.settings.value(SETTING) == "light"
        qtbot.waitUntil(lambda: contrast(box.palette().color(box.foregroundRole()), style.theme().background) >= 4.5)
    finally:
        w.theme_actions["system"].trigger()


def contrast(a, b) -> float:
    def lum(c):
        def ch(v):
            v = v / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.red()) + 0.7152 * ch(c.green()) + 0.0722 * ch(c.blue())
    la, lb = sorted((lum(a), lum(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_empty_app_shows_a_welcome_page_with_examples_and_no_empty_plot(make_window, qtbot):
    from nnsim.gui.welcome import show_welcome

    w = make_window((1280, 720))
    w.settings.setValue("recent", [str(paths.examples_dir() / "xor.json")])
    page = show_welcome(w)
    assert w.centralWidget().currentWidget() is page
    names = {p.name for p in w.example_files()}
    assert set(page.cards) == names and not page.cards["xor.json"].icon().isNull()
    assert [b.text() for b in page.recent_buttons] == ["xor.json"]
    assert (page.lessons_button is not None) == callable(getattr(w, "show_lessons", None))
    # a card opens its example, and the welcome page steps aside
    page.cards["xor.json"].click()
    assert w.centralWidget().currentWidget() is w.pages and w.welcome is None
    assert w.document.graph.find("xor") is not None


def test_the_response_plot_of_an_empty_document_is_a_message_not_empty_axes(make_window):
    w = make_window((1280, 720))
    plot = w.findChild(ResponseLab).response
    assert w.show_page("response lab")
    plot.refresh()
    assert not plot.plot.isVisible() and not plot.lo_spin.isVisible() and "no output" in plot.status.text()
    w.open_example(paths.examples_dir() / "nand.json")
    plot.refresh()
    assert plot.plot.isVisible() and plot.lo_spin.isVisible()


def test_empty_canvas_button_leaves_the_welcome_page(make_window):
    from nnsim.gui.welcome import show_welcome

    w = make_window((1024, 768))
    page = show_welcome(w)
    page.start_button.click()
    assert w.centralWidget().currentWidget() is w.pages and w.pages.currentIndex() == 0


def _overlaps(w) -> list:
    from nnsim.gui.canvas.placement import node_box

    items = list(w.scene.nodes.values())
    boxes = [node_box(i.pos().x(), i.pos().y()) for i in items]
    return [(a.node_id, b.node_id) for k, a in enumerate(items) for m, b in enumerate(items)
            if k < m and boxes[k].adjusted(8, 8, -8, -8).intersects(boxes[m].adjusted(8, 8, -8, -8))]


def test_new_nodes_never_land_on_existing_ones(make_window):
    from nnsim.gui.canvas.presets import find

    w = make_window((1280, 720), pages=False)
    scene, view = w.scene, w.view
    # palette double-clicks on an empty canvas: a column, not a staircase
    ids = [w.circuit.add_at_centre("perceptron")[0] for _ in range(4)]
    xs = {round(scene.nodes[i].pos().x()) for i in ids}
    ys = [scene.nodes[i].pos().y() for i in ids]
    assert len(xs) == 1 and ys == sorted(ys) and len(set(ys)) == 4
    # Tab insert twice at the same spot (the search box adds where it was opened)
    for _ in range(2):
        box = view.open_search(view.viewport().rect().center())
        box.choose_preset(find("input"))
    # paste and duplicate
    scene.select_ids(ids[:2])
    assert scene.copy_selection()
    scene.paste()
    scene.paste()
    scene.select_ids(ids[2:])
    scene.duplicate()
    assert len(w.document.graph.nodes) == 2 + 4 + 2 + 2 + 2
    assert _overlaps(w) == []


def test_the_latch_table_marks_the_hold_row_and_shows_set_hold_reset_hold(make_window):
    from nnsim.core import logic

    w = make_window((1280, 720), "sr-latch", pages=False)
    panel = w.circuit.truth_table
    panel.refresh()
    m = panel.model
    assert m.notes is not None and len(m.notes) == 4
    row = {tuple(int(v) for v in x): note for x, note in zip(m.X, m.notes)}
    assert row[(1, 1)] == "holds" and row[(0, 1)].startswith("step") and row[(1, 0)].startswith("step")
    assert "depends on the previous state" in m.note_tips[3]
    assert m.headerData(4, __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.Orientation.Horizontal) == "loop"
    assert panel.sequence.isVisibleTo(panel)
    text = panel.sequence.text()
    assert "Sbar" in text and "Qbar" in text
    # the sequence is set → hold → reset → hold, and the hold rows keep the stored bit
    c = w.document.live.circuit
    X, _ = c.truth_table()
    seq = logic.demo_sequence(c, X, logic.loop_rows(c, X))
    assert seq.tolist() == [[0, 1], [1, 1], [1, 0], [1, 1]]
    run = logic.run_sequence(w.document.graph, seq)
    assert run.outputs.tolist() == [[1, 0], [1, 0], [0, 1], [0, 1]] and (run.steps >= 0).all()


def test_a_feedforward_table_has_no_loop_column(make_window):
    w = make_window((1280, 720), "xor", pages=False)
    w.circuit.truth_table.refresh()
    assert w.circuit.truth_table.model.notes is None and not w.circuit.truth_table.sequence.isVisibleTo(w)


def key(w, k, mods=None):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.keyClick(w.view, k, mods if mods is not None else Qt.KeyboardModifier.NoModifier)
    QApplication.processEvents()


def test_every_canvas_action_without_a_mouse(make_window):
    from PySide6.QtCore import Qt

    Alt, Shift, Ctrl = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ShiftModifier, \
        Qt.KeyboardModifier.ControlModifier
    w = make_window((1280, 720), "nand", pages=False)
    g, scene = w.document.graph, w.scene
    w.view.setFocus()
    scene.clearSelection()
    # move between nodes: nothing selected -> the node nearest the centre; then right, to the neuron
    key(w, Qt.Key.Key_Left, Alt)
    first = scene.selected_node_ids()
    assert len(first) == 1
    x1 = g.find("x1").id
    scene.select_ids([x1])
    key(w, Qt.Key.Key_Right, Alt)
    out = g.find("out").id
    assert scene.selected_node_ids() == [out]
    # toggle an input
    scene.select_ids([x1])
    before = g.nodes[x1].value
    key(w, Qt.Key.Key_Return)
    assert g.nodes[x1].value == 1 - before
    # set a weight: pick a wire of the neuron with ] and type it
    scene.select_ids([out])
    key(w, Qt.Key.Key_BracketRight)
    wire = scene.selected_wire_ids()
    assert len(wire) == 1
    key(w, Qt.Key.Key_Return)
    editor = scene.views()[0].findChild(__import__("nnsim.gui.canvas.inline_editor",
                                                   fromlist=["InlineEditor"]).InlineEditor)
    assert editor is not None
    editor.setText("-3")
    from PySide6.QtTest import QTest
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert g.wires[wire[0]].weight == -3
    # delete the wire, then connect the two nodes again with C
    w.view.setFocus()
    scene.select_ids(wire_ids=wire)
    key(w, Qt.Key.Key_Delete)
    assert wire[0] not in g.wires
    scene.select_ids([out])
    key(w, Qt.Key.Key_Left, Alt | Shift)
    assert set(scene.selected_node_ids()) == {out, x1} or len(scene.selected_node_ids()) == 2
    n_wires = len(g.wires)
    scene.select_ids([x1, out])
    key(w, Qt.Key.Key_C)
    assert len(g.wires) == n_wires + 1 and g.wire_between(x1, out) is not None
    # undo with Ctrl+Z, redo with both Ctrl+Shift+Z and Ctrl+Y
    key(w, Qt.Key.Key_Z, Ctrl)
    assert g.wire_between(x1, out) is None
    key(w, Qt.Key.Key_Z, Ctrl | Shift)
    assert g.wire_between(x1, out) is not None
    key(w, Qt.Key.Key_Z, Ctrl)
    key(w, Qt.Key.Key_Y, Ctrl)
    assert g.wire_between(x1, out) is not None


def test_help_lists_the_keyboard_shortcuts(make_window):
    w = make_window(pages=False)
    dialog = w.show_shortcuts()
    text = dialog.text.toPlainText()
    for needle in ("Alt+", "Enter", "Ctrl+Shift+Z", "Ctrl+Y", "F5", "Delete", "Tab", "Connect".lower()):
        assert needle.lower() in text.lower(), needle
    dialog.close()


def test_unit_axes_label_0_half_1_with_padding(make_window):
    w = make_window((1280, 720), "xor")
    w.show_page("response lab")
    lab = w.findChild(ResponseLab)
    for widget in (lab.response, lab.shape):
        lab.setCurrentWidget(widget)
        QApplication.processEvents()
        widget.refresh() if hasattr(widget, "refresh") else None
        item = widget.plot.getPlotItem()
        labels = [text for v, text in item.getAxis("left")._tickLevels[0]]
        assert labels[:3] == ["0", "½", "1"]
        (_, _), (y0, y1) = item.getViewBox().viewRange()
        assert y0 < -0.05 and y1 > 1.05


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)])
def test_no_page_scrolls_sideways(make_window, size):
    from PySide6.QtWidgets import QAbstractScrollArea, QGraphicsView

    w = make_window(size, "adder-4bit")
    for i in range(w.pages.count()):
        w.pages.setCurrentIndex(i)
        QApplication.processEvents()
        sideways = [a for a in w.findChildren(QAbstractScrollArea) if a.isVisible()
                    and a.horizontalScrollBar().isVisible() and not isinstance(a, QGraphicsView)]
        assert not sideways, w.pages.tabText(i)
