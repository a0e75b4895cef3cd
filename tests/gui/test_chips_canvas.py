"""Chips on the canvas: boxes with live pins, make a chip from a selection, open it (breadcrumb), edit its
definition, flatten it back, and undo for all of it."""

import numpy as np
import pytest

from nnsim.core import logic
from nnsim.core.circuit.compile import compile_graph
from nnsim.gui.canvas import chip_actions
from nnsim.gui.canvas.chip_item import ChipItem
from nnsim.gui.canvas.output_item import OutputItem

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def table(graph):
    return compile_graph(graph).truth_table()[1]


def test_a_chip_adder_is_drawn_as_boxes_with_live_pins(main_window, mouse):
    w = main_window
    w.document.replace(logic.adder(4, chips=True))
    scene = w.circuit.scene
    boxes = [i for i in scene.nodes.values() if isinstance(i, ChipItem)]
    assert [b.chip for b in boxes] == ["HalfAdder", "FullAdder", "FullAdder", "FullAdder"]
    assert [r.title for r in boxes[1].in_rows] == ["a", "b", "cin"]
    assert isinstance(scene.nodes["s0"], OutputItem)
    mouse.click(scene.nodes["a0"].pos())                 # a0 = 1, b0 = 1: s0 = 0, carry into bit 1
    mouse.click(scene.nodes["b0"].pos())
    w.circuit.simulator.flush()
    assert boxes[0].pin_values == {"a": 1.0, "b": 1.0}
    assert boxes[0].out_values == {"sum": 0.0, "carry": 1.0}
    assert boxes[1].pin_values["cin"] == 1.0
    assert scene.nodes["s1"].a == 1.0 and scene.nodes["s0"].a == 0.0


def test_a_bus_is_one_row_with_its_number(main_window):
    w = main_window
    w.document.replace(logic.multiplier(4))
    scene = w.circuit.scene
    add = scene.nodes["add2"]
    assert [r.title for r in add.in_rows] == ["a[4]", "b[4]"] and [r.title for r in add.out_rows] == ["s[4]", "carry"]
    assert add.in_rows[0].value_text({"a[0]": 1.0, "a[1]": 0.0, "a[2]": 1.0, "a[3]": 0.0}) == "5"


def test_make_open_edit_flatten_and_undo(main_window, qtbot):
    w = main_window
    w.document.replace(logic.build("xor"))
    g, scene, stack = w.document.graph, w.circuit.scene, w.document.undo_stack
    before, snap = table(g), g.snapshot()
    scene.select_ids([n.id for n in g.neurons()][:3])
    assert chip_actions.make_chip_from_selection(scene, name="Front")
    assert [n.chip for n in g.instances()] == ["Front"] and isinstance(scene.nodes["front"], ChipItem)
    np.testing.assert_array_equal(table(g), before)

    assert scene.open_instance("front")                  # double-click does the same
    crumb = w.circuit.chip_breadcrumb
    assert crumb.isVisible() and [b.text() for b in crumb.buttons][1] == "Front (front)"
    assert scene.graph is g.chips["Front"].graph and set(scene.nodes) == set(scene.graph.nodes)
    inner = scene.graph.neurons()[0].id
    from nnsim.core.circuit.edits import SetNode

    scene.push(SetNode(inner, {"bias": -5.0}))           # an edit inside changes the definition
    assert g.chips["Front"].graph.nodes[inner].bias == -5.0
    assert not np.array_equal(table(g), before)
    stack.undo()
    np.testing.assert_array_equal(table(g), before)
    crumb.buttons[0].click()                             # back to the document
    assert scene.graph is g and not crumb.isVisible()

    scene.select_ids(["front"])
    assert chip_actions.flatten_selection(scene)
    assert not g.instances()
    np.testing.assert_array_equal(table(g), before)
    stack.undo()                                         # flatten undone
    stack.undo()                                         # make chip undone
    assert g.snapshot() == snap
    stack.redo()
    assert [n.chip for n in g.instances()] == ["Front"]


def test_undoing_the_chip_while_it_is_open_goes_back_up(main_window):
    w = main_window
    w.document.replace(logic.build("xor"))
    g, scene = w.document.graph, w.circuit.scene
    scene.select_ids([g.neurons()[0].id])
    assert chip_actions.make_chip_from_selection(scene, name="One")
    scene.open_instance("one")
    w.document.undo_stack.undo()
    w.circuit.simulator.flush()
    assert scene.chip_path == [] and scene.graph is g and "one" not in scene.nodes


def test_making_a_chip_needs_a_selection_and_a_new_name(main_window, qtbot):
    w = main_window
    w.document.replace(logic.build("xor"))
    scene = w.circuit.scene
    scene.select_ids([])
    with qtbot.waitSignal(scene.sigStatus) as status:
        assert not chip_actions.make_chip_from_selection(scene, name="X")
    assert "Select the neurons" in status.args[0]
    scene.select_ids([n.id for n in w.document.graph.inputs()])
    with qtbot.waitSignal(scene.sigStatus) as status:
        assert not chip_actions.make_chip_from_selection(scene, name="X")
    assert "select neurons or chips" in status.args[0]
    assert w.document.undo_stack.count() == 0


def test_the_gate_view_draws_nand_perceptrons_and_gate_chips_as_symbols(main_window, qtbot):
    w = main_window
    w.document.replace(logic.multiplier(2))
    scene = w.circuit.scene
    w.gate_symbols_action.setChecked(True)
    try:
        assert scene.nodes["and0_0"].gate == "and" and scene.nodes["add1"].gate == ""   # a HalfAdder: 2 outputs
        scene.open_instance("and0_0")
        w.circuit.simulator.flush()
        kinds = sorted(scene.nodes[n.id].gate for n in scene.graph.neurons())
        assert kinds == ["nand", "not"]                     # NAND(a, b), then NAND with both inputs joined
        scene.close_chip(0)
    finally:
        w.gate_symbols_action.setChecked(False)
    assert scene.nodes["and0_0"].gate == ""


def test_the_inspector_names_a_chip_and_edits_inside_one(main_window):
    w = main_window
    w.document.replace(logic.adder(2))
    scene, inspector = w.circuit.scene, w.circuit.inspector
    scene.select_ids(["fa1"])
    assert inspector.title.text() == "Chip FullAdder (fa1)" and w.document.selected_param is None
    scene.open_instance("fa1")
    w.circuit.simulator.flush()
    inner = w.document.graph.chips["FullAdder"].graph
    scene.select_ids(["n1"])
    assert inspector.title.text().startswith("Neuron") and "z = " in inspector.readout.text()
    inspector._push_node("bias", 2.5, False)             # as typing 2.5 into the bias box
    assert inner.nodes["n1"].bias == 2.5 and "n1" not in w.document.graph.nodes
    w.document.undo_stack.undo()
    assert inner.nodes["n1"].bias == 3.0


def test_copy_and_paste_chips_into_another_document(main_window):
    from nnsim.gui.canvas import clipboard

    w = main_window
    w.document.replace(logic.adder(2))
    scene = w.circuit.scene
    scene.select_ids(["fa1"])
    assert scene.copy_selection()
    frag = clipboard.fragment_from_clipboard()
    assert list(frag.chips) == ["FullAdder"] and frag.instances()[0].chip == "FullAdder"
    w.document.replace(logic.build("xor"))                # no chips here
    new = scene.paste()
    g = w.document.graph
    assert [g.nodes[n].chip for n in new] == ["FullAdder"] and "FullAdder" in g.chips
    w.document.undo_stack.undo()
    assert not g.chips and not g.instances()


def test_a_pin_wired_outside_cannot_be_deleted_or_renamed_inside(main_window, qtbot):
    w = main_window
    w.document.replace(logic.adder(2))
    scene = w.circuit.scene
    scene.open_instance("fa1")
    count = w.document.undo_stack.count()
    scene.select_ids(["cin"])
    with qtbot.waitSignal(scene.sigStatus) as status:
        scene.delete_selection()
    assert "no such input pin" in status.args[0] and "cin" in w.document.graph.chips["FullAdder"].graph.nodes
    with qtbot.waitSignal(scene.sigStatus):
        w.circuit.inspector._push_node("label", "carry_in", False)
    assert w.document.undo_stack.count() == count
    scene.select_ids(["n1"])                             # a neuron inside may go: nothing outside names it
    scene.delete_selection()
    assert "n1" not in w.document.graph.chips["FullAdder"].graph.nodes


def test_the_breadcrumb_stays_in_the_corner_when_the_view_scrolls(main_window):
    w = main_window
    w.document.replace(logic.adder(4))
    w.circuit.scene.open_instance("fa2")
    crumb = w.circuit.chip_breadcrumb
    corner = crumb.pos()
    view = w.circuit.view
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() + 40)
    view.fit()
    assert crumb.pos() == corner and crumb.isVisible()


def test_the_response_lab_moves_a_weight_inside_a_chip(qtbot):
    from nnsim.core.circuit.chip_edits import set_param
    from nnsim.gui.document import Document
    from nnsim.gui.response.response_plot import ResponsePlot

    doc = Document(logic.adder(2))
    inner = doc.graph.chips["FullAdder"].graph
    doc.select_param(("w", "fa1/w1"))
    assert doc.selected_param == ("w", "fa1/w1")
    doc.push(set_param(doc.graph, "w", "fa1/w1", -1.0), merge_key="drag")
    doc.push(set_param(doc.graph, "w", "fa1/w1", -1.5), merge_key="drag")   # one drag: one undo step
    assert doc.undo_stack.count() == 1 and inner.wires["w1"].weight == -1.5
    doc.undo_stack.undo()
    assert inner.wires["w1"].weight == -2.0
    plot = ResponsePlot(doc)
    qtbot.addWidget(plot)
    plot.combo.choose(("b", "fa1/carry"))
    plot.set_value(2.0)
    assert inner.nodes["carry"].bias == 2.0


def test_arrange_inside_an_opened_chip_lays_out_its_definition(main_window):
    w = main_window
    w.document.replace(logic.adder(2))
    w.circuit.scene.open_instance("fa1")
    inner = w.document.graph.chips["FullAdder"].graph
    inner_before = {n.id: (n.x, n.y) for n in inner.nodes.values()}
    top_before = {n.id: (n.x, n.y) for n in w.document.graph.nodes.values()}
    for n in inner.neurons():
        inner.move_node(n.id, 0.0, 0.0)                  # a mess
    w.arrange()
    assert {n.id: (n.x, n.y) for n in inner.nodes.values()} == inner_before   # the layout it was built with
    assert {n.id: (n.x, n.y) for n in w.document.graph.nodes.values()} == top_before


def test_place_another_instance_and_never_a_chip_inside_itself(main_window, qtbot):
    from PySide6.QtCore import QPointF

    w = main_window
    w.document.replace(logic.adder(2))
    scene = w.circuit.scene
    new = chip_actions.place_chip(scene, "FullAdder", QPointF(0, 400))
    assert w.document.graph.nodes[new].chip == "FullAdder" and isinstance(scene.nodes[new], ChipItem)
    scene.open_instance("fa1")
    with qtbot.waitSignal(scene.sigStatus) as status:
        assert chip_actions.place_chip(scene, "FullAdder", QPointF(0, 0)) is None
    assert "contain itself" in status.args[0]
    assert chip_actions.place_chip(scene, "HalfAdder", QPointF(0, 300)) is not None   # chips inside chips
    scene.close_chip(0)
    np.testing.assert_array_equal(table(w.document.graph)[:, 0].shape, (16,))


def test_a_loop_made_only_of_pin_wires_is_refused(main_window, qtbot):
    from nnsim.core.circuit.chips import ChipDef
    from nnsim.core.circuit.graph import Graph

    w = main_window
    doc = Graph("wires")
    body = Graph("Wire", chips=doc.chips)
    body.add_input("in", id="in")
    body.add_output("out", "in", id="out")                # a chip that passes its input straight through
    doc.add_chip(ChipDef("Wire", body))
    doc.add_instance("Wire", id="c1")
    w.document.replace(doc)
    scene = w.circuit.scene
    with qtbot.waitSignal(scene.sigStatus) as status:
        assert scene.connect_nodes("c1", "c1", source_pin="out", target_pin="in") is None
    assert "loop of wires through pins" in status.args[0]
    c2 = chip_actions.place_chip(scene, "Wire", scene.snap_point(scene.nodes["c1"].pos()))
    assert scene.connect_nodes("c1", c2, source_pin="out", target_pin="in") is not None
    with qtbot.waitSignal(scene.sigStatus) as status:
        assert scene.connect_nodes(c2, "c1", source_pin="out", target_pin="in") is None
    assert "loop of wires through pins" in status.args[0]
    w.circuit.simulator.flush()                          # still compiles


def test_tab_search_offers_the_documents_chips(main_window, qtbot):
    w = main_window
    w.document.replace(logic.adder(2))
    box = w.circuit.view.open_search()
    assert {"HalfAdder", "FullAdder"} <= {p.title for p in box.matches("adder")}
    before = {n.id for n in w.document.graph.instances()}
    box.choose("FullAdder")
    new = [n for n in w.document.graph.instances() if n.id not in before]
    assert [n.chip for n in new] == ["FullAdder"]
