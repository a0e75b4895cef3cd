"""The canvas editor, driven through the same gestures and actions a person uses."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from nnsim.core.circuit.graph import Graph
from nnsim.gui.canvas.inline_editor import InlineEditor
from nnsim.gui.panels.palette import Palette

# Qt's offscreen platform warns when a main window with docks or a status bar is shown; it is harmless.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def activate_palette(qtbot, window, key):
    """Double-click a palette entry (it lands in the middle of the view); returns the new node ids."""
    palette: Palette = window.circuit.palette_panel
    item = palette.item_for(key)
    palette.scrollToItem(item)
    rect = palette.visualItemRect(item)
    before = set(window.document.graph.nodes)
    qtbot.mouseClick(palette.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    qtbot.mouseDClick(palette.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    return [n for n in window.document.graph.nodes if n not in before]


def type_into(qtbot, editor, text):
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.wait(5)


def output_of(window, node_id):
    window.circuit.simulator.flush()
    return window.circuit.scene.nodes[node_id].output_text()


def build_nand(qtbot, window, mouse):
    """Two inputs and a perceptron from the palette, wired and set to w = −2, −2, b = 3 by hand."""
    g = window.document.graph
    (x1,) = activate_palette(qtbot, window, "input")
    (x2,) = activate_palette(qtbot, window, "input")
    (n,) = activate_palette(qtbot, window, "perceptron")
    scene = window.circuit.scene
    # lay them out by dragging: inputs on the left, the neuron on the right
    mouse.drag(scene.nodes[x1].pos(), QPointF(-200, -60))
    mouse.drag(scene.nodes[x2].pos(), QPointF(-200, 60))
    mouse.drag(scene.nodes[n].pos(), QPointF(40, 0))
    assert (g.nodes[x1].x, g.nodes[x1].y) == (-200, -60)
    # connect: drag from each input's port onto the neuron
    for x in (x1, x2):
        mouse.drag(scene.nodes[x].port_scene(), scene.nodes[n].pos())
    wires = [g.wire_between(x1, n), g.wire_between(x2, n)]
    assert all(w is not None for w in wires)
    # weights: double-click each weight label and type −2
    for w in wires:
        mouse.double_click(scene.wires[w.id].label_rect().center())
        editors = [e for e in window.circuit.view.viewport().findChildren(InlineEditor) if e.isVisible()]
        assert len(editors) == 1, w.id
        type_into(qtbot, editors[0], "-2")
    # bias: select the neuron and use the inspector's spin box
    mouse.click(scene.nodes[n].pos())
    inspector = window.circuit.inspector
    assert inspector.node_id == n
    inspector.bias_edit.spin.setValue(3.0)
    return x1, x2, n


def test_build_nand_from_the_palette_and_click_its_inputs(qtbot, main_window, mouse):
    window = main_window
    x1, x2, n = build_nand(qtbot, window, mouse)
    g = window.document.graph
    assert sorted(w.weight for w in g.wires.values()) == [-2, -2]
    assert g.nodes[n].bias == 3
    scene = window.circuit.scene
    seen = {}
    for a, b in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        for x, v in ((x1, a), (x2, b)):
            if g.nodes[x].value != v:
                mouse.click(scene.nodes[x].pos())  # a click toggles an input
            assert g.nodes[x].value == v
        seen[(a, b)] = output_of(window, n)
    assert seen == {(0, 0): "1", (0, 1): "1", (1, 0): "1", (1, 1): "0"}
    # the truth table panel agrees, one row per input combination
    table = window.circuit.truth_table.model
    assert table.O[:, 0].tolist() == [1, 1, 1, 0]
    assert table.current == 3


def test_connect_and_delete_wires_with_undo(qtbot, main_window, mouse):
    window = main_window
    x1, x2, n = build_nand(qtbot, window, mouse)
    g, scene = window.document.graph, window.circuit.scene
    wire = g.wire_between(x1, n)
    mouse.click(scene.wires[wire.id].label_rect().center())
    assert scene.selected_wire_ids() == [wire.id]
    window.delete_action.trigger()
    assert g.wire_between(x1, n) is None and wire.id not in scene.wires
    window.undo_action.trigger()
    assert g.wire_between(x1, n).weight == -2 and wire.id in scene.wires
    # a wire cannot go into an input or be drawn twice
    count = len(g.wires)
    mouse.drag(scene.nodes[n].port_scene(), scene.nodes[x1].pos())
    mouse.drag(scene.nodes[x2].port_scene(), scene.nodes[n].pos())
    assert len(g.wires) == count


def test_undo_and_redo_every_kind_of_edit(qtbot, main_window, mouse):
    window = main_window
    doc, g, scene = window.document, window.document.graph, window.circuit.scene
    states = [g.snapshot()]

    def record():
        states.append(g.snapshot())

    (x1,) = activate_palette(qtbot, window, "input"); record()           # add
    (n,) = activate_palette(qtbot, window, "sigmoid"); record()
    mouse.drag(scene.nodes[n].pos(), scene.nodes[n].pos() + QPointF(160, 40)); record()  # move (one step)
    mouse.drag(scene.nodes[x1].port_scene(), scene.nodes[n].pos()); record()  # connect
    (wid,) = list(g.wires)
    scene.select_ids(wire_ids=[wid])
    slider = window.circuit.inspector.weight_edit.slider                # a slider drag is one step
    slider.setSliderDown(True)
    for v in (150, 220, 310):
        slider.setValue(v)
    slider.setSliderDown(False)
    record()
    assert g.wires[wid].weight == 3.1
    mouse.click(scene.nodes[x1].pos()); record()                          # toggle an input
    scene.select_ids([n])
    window.circuit.inspector.activation.setCurrentIndex(window.circuit.inspector.activation.findData("step"))
    window.circuit.inspector.activation.activated.emit(window.circuit.inspector.activation.currentIndex())
    record()                                                              # activation
    editor = scene.edit_label(n)
    type_into(qtbot, editor, "out"); record()                             # label
    scene.select_ids([x1, n])
    window.duplicate_action.trigger(); record()                           # duplicate
    window.delete_action.trigger(); record()                              # delete
    assert doc.undo_stack.count() == len(states) - 1
    for expected in reversed(states[:-1]):
        window.undo_action.trigger()
        assert g.snapshot() == expected
    for expected in states[1:]:
        window.redo_action.trigger()
        assert g.snapshot() == expected
    assert len(scene.nodes) == len(g.nodes) and len(scene.wires) == len(g.wires)


def test_copy_paste_keeps_inner_wires(qtbot, main_window, mouse):
    window = main_window
    x1, x2, n = build_nand(qtbot, window, mouse)
    g, scene = window.document.graph, window.circuit.scene
    # rubber band around x1 and n (x2 stays out): drag on empty canvas
    scene.clearSelection()
    mouse.click(scene.nodes[x1].pos())
    mouse.click(scene.nodes[n].pos(), Qt.KeyboardModifier.ShiftModifier)   # shift-click adds
    assert scene.selected_node_ids() == [x1, n]
    window.copy_action.trigger()
    window.paste_action.trigger()
    assert len(g.nodes) == 5 and len(g.wires) == 3
    new = scene.selected_node_ids()
    assert len(new) == 2 and not set(new) & {x1, x2, n}
    inner = [w for w in g.wires.values() if w.source in new and w.target in new]
    assert len(inner) == 1 and inner[0].weight == -2
    # a translated copy (x1 and n keep their places relative to each other) that lands clear of the originals
    dx, dy = g.nodes[new[0]].x - g.nodes[x1].x, g.nodes[new[0]].y - g.nodes[x1].y
    assert (g.nodes[new[1]].x - g.nodes[n].x, g.nodes[new[1]].y - g.nodes[n].y) == (dx, dy) != (0, 0)
    assert all(scene.node_at(scene.nodes[k].pos()) is scene.nodes[k] for k in new)
    window.undo_action.trigger()
    assert len(g.nodes) == 3


def test_rubber_band_selects(qtbot, main_window, mouse):
    window = main_window
    x1, x2, n = build_nand(qtbot, window, mouse)
    scene = window.circuit.scene
    scene.clearSelection()
    mouse.drag(QPointF(-300, -150), QPointF(-120, 150))
    assert scene.selected_node_ids() == [x1, x2]


def test_tab_search_adds_a_node_under_the_cursor(qtbot, main_window):
    window = main_window
    view = window.circuit.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    box = view.search_box
    assert box is not None and box.isVisible()
    qtbot.keyClicks(box, "sigmoid")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    neurons = window.document.graph.neurons()
    assert len(neurons) == 1 and neurons[0].activation == "sigmoid"


def test_input_slider_gives_real_values_and_sigmoid_output(qtbot, main_window, mouse):
    window = main_window
    (x,) = activate_palette(qtbot, window, "input")
    (n,) = activate_palette(qtbot, window, "sigmoid")
    scene = window.circuit.scene
    scene.connect_nodes(x, n, 2.0)
    scene.select_ids([x])
    window.circuit.inspector.value_edit.spin.setValue(0.5)
    assert window.document.graph.nodes[x].value == 0.5
    assert output_of(window, n) == "0.73"  # σ(2 · 0.5) = 0.731
    assert scene.nodes[n].z == 1.0


def test_zoom_fit_and_presentation(qtbot, main_window, mouse):
    window = main_window
    build_nand(qtbot, window, mouse)
    view = window.circuit.view
    z = view.zoom()
    window.zoom_in_action.trigger()
    assert view.zoom() > z
    window.zoom_out_action.trigger()
    window.zoom_out_action.trigger()
    assert view.zoom() < z
    window.fit_action.trigger()
    rect = window.circuit.scene.items_rect()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(rect)
    small = window.circuit.scene.nodes[next(iter(window.document.graph.nodes))].boundingRect()
    window.presentation_action.trigger()
    big = window.circuit.scene.nodes[next(iter(window.document.graph.nodes))].boundingRect()
    assert big.width() > small.width()
    window.presentation_action.trigger()


def test_looped_graph_steps_in_time(qtbot, main_window):
    from nnsim.core.logic import build

    window = main_window
    window.document.replace(build("sr-latch"))
    page = window.circuit
    page.simulator.flush()
    assert page.simulator.has_loop and not page.time_bar.isHidden()
    page.run_action.setChecked(False)
    t = page.simulator.t
    page.step_action.trigger()
    assert page.simulator.t == t + 1
    assert "time step" in page.time_label.text()
    window.document.replace(Graph("plain"))
    page.simulator.flush()
    assert page.time_bar.isHidden()


def test_a_palette_entry_dropped_on_the_canvas(qtbot, main_window):
    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    window = main_window
    palette = window.circuit.palette_panel
    view = window.circuit.view
    data = QMimeData()   # what the palette's drag carries
    data.setData(palette.mimeTypes()[0], palette.item_for("nand").data(0, Qt.ItemDataRole.UserRole).encode())
    where = view.mapFromScene(QPointF(200, 100))
    copy, left, none = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for event in (QDragEnterEvent(where, copy, data, left, none), QDragMoveEvent(where, copy, data, left, none),
                  QDropEvent(QPointF(where), copy, data, left, none)):
        QApplication.sendEvent(view.viewport(), event)
        assert event.isAccepted()
    g = window.document.graph
    assert len(g.inputs()) == 2 and len(g.neurons()) == 1
    # a gate dropped on an empty canvas brings its truth table, and it passes
    window.circuit.simulator.flush()
    assert g.expected is not None and window.circuit.truth_table.model.passed.all()
    assert abs(sum(n.x for n in g.nodes.values()) / len(g.nodes) - 200) < 60


def test_search_list_is_navigated_with_the_arrow_keys(qtbot, main_window):
    window = main_window
    view = window.circuit.view
    box = view.open_search()
    qtbot.keyClicks(box, "adder")
    assert [box.list.item(i).text() for i in range(box.list.count())] == ["Half adder", "Full adder"]
    qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    g = window.document.graph
    assert len(g.inputs()) == 3 and not box.isVisible()   # the full adder: a0, b0, cin
    box = view.open_search()
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert not box.isVisible() and len(g.inputs()) == 3


def test_snap_pan_and_hover(qtbot, main_window, mouse):
    window = main_window
    (x,) = activate_palette(qtbot, window, "input")
    (n,) = activate_palette(qtbot, window, "sigmoid")
    scene, view, g = window.circuit.scene, window.circuit.view, window.document.graph
    mouse.drag(scene.nodes[n].pos(), QPointF(-93, 47))
    assert (g.nodes[n].x, g.nodes[n].y) == (-100, 40)          # on the 20-unit grid
    window.snap_action.trigger()
    mouse.drag(scene.nodes[n].pos(), QPointF(-93, 47))
    assert (g.nodes[n].x, g.nodes[n].y) == (-93, 47)
    # space + drag pans the view and moves nothing
    before = {k: (v.x, v.y) for k, v in g.nodes.items()}
    h = view.horizontalScrollBar().value()
    view.setFocus()
    qtbot.keyPress(view, Qt.Key.Key_Space)
    mouse.drag(QPointF(200, 200), QPointF(100, 200))
    qtbot.keyRelease(view, Qt.Key.Key_Space)
    assert view.horizontalScrollBar().value() != h
    assert {k: (v.x, v.y) for k, v in g.nodes.items()} == before
    # hovering a neuron shows z
    item = scene.nodes[n]
    qtbot.mouseMove(view.viewport(), mouse.at(item.pos() + QPointF(0, 5)))
    assert item.hover and item.isUnderMouse()


def test_arrow_keys_nudge_the_selection(qtbot, main_window):
    window = main_window
    (n,) = activate_palette(qtbot, window, "perceptron")
    g, view = window.document.graph, window.circuit.view
    x, y = g.nodes[n].x, g.nodes[n].y
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    assert (g.nodes[n].x, g.nodes[n].y) == (x + 20, y - 1)
    assert window.circuit.scene.nodes[n].pos().x() == x + 20
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert (g.nodes[n].x, g.nodes[n].y) == (x, y)


def test_weight_labels_keep_clear_of_each_other(main_window):
    """A fully connected 3-4-3 sigmoid net: its 24 weight labels crowd between the layers. Each label looks
    for a spot along its wire that covers no other label; before, 18 pairs overlapped here."""
    rng = np.random.default_rng(1)
    g = Graph("dense")
    ins = [g.add_input(f"x{i}", 0, x=0, y=i * 80).id for i in range(3)]
    hid = [g.add_neuron(f"h{i}", "sigmoid", bias=0.5, x=200, y=i * 80 - 40).id for i in range(4)]
    out = [g.add_neuron(f"o{i}", "sigmoid", bias=0.5, x=400, y=i * 80).id for i in range(3)]
    for layer_in, layer_out in ((ins, hid), (hid, out)):
        for a in layer_in:
            for b in layer_out:
                g.connect(a, b, round(float(rng.normal()), 2))
    main_window.document.replace(g)
    wires = list(main_window.circuit.scene.wires.values())
    overlapping = [(a, b) for i, a in enumerate(wires) for b in wires[i + 1:]
                   if a.label_rect().intersects(b.label_rect())]
    assert len(wires) == 24 and len(overlapping) <= 2


def test_nand_perceptrons_from_the_palette_get_names_of_their_own(qtbot, main_window):
    """Four NAND perceptrons for an XOR: NAND, NAND 2, NAND 3, NAND 4 — not four columns called "NAND" in
    the truth table, and parameter names by label rather than by id. Undo takes the name back with the node."""
    ids = [activate_palette(qtbot, main_window, "nand-neuron")[0] for _ in range(4)]
    g = main_window.document.graph
    assert [g.nodes[n].label for n in ids] == ["NAND", "NAND 2", "NAND 3", "NAND 4"]
    assert g.find("NAND 3").id == ids[2]
    main_window.circuit.simulator.flush()
    assert main_window.circuit.simulator.circuit.param("b:NAND 2").name == "b:NAND 2"
    main_window.document.undo_stack.undo()
    assert ids[3] not in g.nodes
    assert g.nodes[activate_palette(qtbot, main_window, "nand-neuron")[0]].label == "NAND 4"


def test_inspector_says_whether_an_automatic_neuron_is_an_output(qtbot, main_window):
    """The Output menu's "automatic" entry tells whether this neuron is an output now (no wire leaves it)."""
    from nnsim.paths import examples_dir

    assert main_window.open_path(examples_dir() / "half-adder.json", ask=False)
    g = main_window.document.graph
    scene, inspector = main_window.circuit.scene, main_window.circuit.inspector
    scene.select_ids(["n1"])                                  # the first NAND: its wires lead on
    assert inspector.output.currentText() == "Automatic: no (a wire leaves it)"
    scene.select_ids([g.find("carry").id])                   # marked as an output in the file
    assert inspector.output.currentText() == "Yes"
    assert inspector.output.itemText(0) == "Automatic: yes (no wire leaves it)"


def test_a_second_gate_gets_numbered_names(qtbot, main_window):
    """Two XOR gates from the palette: the second one's a, b and xor become "a 2", "b 2", "xor 2" (the
    truth table would otherwise show two columns called a). A pasted copy is numbered the same way."""
    first = activate_palette(qtbot, main_window, "xor")
    second = activate_palette(qtbot, main_window, "xor")
    g = main_window.document.graph
    names = [g.nodes[n].label for n in first], [g.nodes[n].label for n in second]
    assert "a" in names[0] and "xor" in names[0]
    assert "a 2" in names[1] and "b 2" in names[1] and "xor 2" in names[1]
    main_window.circuit.scene.select_ids([g.find("xor").id])
    main_window.circuit.scene.duplicate()
    assert g.find("xor 3") is not None
