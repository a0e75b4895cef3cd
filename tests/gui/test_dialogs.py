"""Build dialogs: n-bit adder, synthesis from a grid or an expression, conversion to sigmoid neurons."""

import pytest
from PySide6.QtWidgets import QDialog

from nnsim.core import logic
from nnsim.gui.dialogs import builders
from nnsim.gui.dialogs.adder_dialog import AdderDialog
from nnsim.gui.dialogs.sigmoid_dialog import SigmoidDialog
from nnsim.gui.dialogs.synthesis_dialog import SynthesisDialog

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def accept_when_shown(monkeypatch, cls):
    monkeypatch.setattr(cls, "exec", lambda self: QDialog.DialogCode.Accepted)


def set_number(window, prefix, bits, value):
    """Click the inputs a3…a0 (or b…) on the canvas so that they spell ``value`` in binary."""
    g = window.document.graph
    for i in range(bits):
        node = g.find(f"{prefix}{i}")
        if node.value != (value >> i) & 1:
            window.circuit.scene.toggle_input(node.id)


def read_sum(window, bits):
    window.circuit.simulator.flush()
    g, sim = window.document.graph, window.circuit.simulator
    total = sum(int(sim.value_of(g.find(f"s{i}").id)) << i for i in range(bits))
    return total + (int(sim.value_of(g.find("carry").id)) << bits)


def test_adder_dialog_builds_an_adder_that_adds(main_window, monkeypatch):
    w = main_window
    accept_when_shown(monkeypatch, AdderDialog)
    dialog = AdderDialog(w)
    dialog.bits.setValue(4)
    assert "8 inputs" in dialog.info.text()
    assert builders.build_adder(w, dialog)
    w.circuit.simulator.flush()
    assert len(w.document.graph.inputs()) == 8 and w.circuit.truth_table.model.passed.all()
    set_number(w, "a", 4, 5)
    set_number(w, "b", 4, 6)
    assert read_sum(w, 4) == 11
    assert w.circuit.truth_table.numbers.text() == "a = 5   b = 6   →   s = 11   carry = 0"
    set_number(w, "a", 4, 15)
    set_number(w, "b", 4, 15)
    assert read_sum(w, 4) == 30


def test_synthesis_from_the_grid(main_window, monkeypatch, qtbot):
    w = main_window
    accept_when_shown(monkeypatch, SynthesisDialog)
    dialog = SynthesisDialog(w)
    dialog.n_inputs.setValue(2)
    for row in (1, 2):   # XOR: click the output cells of rows 01 and 10
        dialog.grid.cellClicked.emit(row, 2)
    dialog._try_accept()
    assert builders.build_from_table(w, dialog)
    g = w.document.graph
    assert logic.is_nand_only(g)
    assert logic.truth_table(g).rows[:, 0].tolist() == [0, 1, 1, 0]
    w.circuit.simulator.flush()
    assert w.circuit.truth_table.model.passed.all()


def test_synthesis_from_an_expression_and_a_bad_one(main_window, monkeypatch):
    w = main_window
    dialog = SynthesisDialog(w)
    dialog.tabs.setCurrentIndex(1)
    dialog.expression.setPlainText("out = a & (b |")
    dialog._try_accept()
    assert dialog.error.text() and dialog.result_graph() is None
    dialog.expression.setPlainText("s = a ^ b ^ cin\ncout = a & b | cin & (a ^ b)")
    dialog._try_accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    accept_when_shown(monkeypatch, SynthesisDialog)
    assert builders.build_from_table(w, dialog)
    t = logic.truth_table(w.document.graph)
    total = t.input_rows().sum(axis=1)
    assert t.column("s").tolist() == (total % 2).tolist() and t.column("cout").tolist() == (total // 2).tolist()


def test_convert_to_sigmoid_is_one_undoable_step(main_window, monkeypatch):
    w = main_window
    w.document.replace(logic.build("xor"))
    before = w.document.graph.snapshot()
    accept_when_shown(monkeypatch, SigmoidDialog)
    dialog = SigmoidDialog(w.document.graph, w)
    assert dialog.report.min_scale and "c ≈" in dialog.summary.text()
    dialog.scale.setValue(dialog.report.min_scale * 0.5)
    assert "no longer round" in dialog.preview.text()
    dialog.scale.setValue(10.0)
    assert builders.convert_to_sigmoid(w, dialog)
    g = w.document.graph
    assert {n.activation for n in g.neurons()} == {"sigmoid"}
    assert sorted({wire.weight for wire in g.wires.values()}) == [-20.0]
    w.circuit.simulator.flush()
    assert w.circuit.truth_table.model.passed.all()   # c = 10 is above the smallest working c
    w.undo_action.trigger()
    assert w.document.graph.snapshot() == before
