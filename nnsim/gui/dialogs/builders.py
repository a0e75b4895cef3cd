"""The Circuit menu's build actions: they open the dialogs and put the result on the canvas.

A built adder or synthesised circuit becomes a new untitled document (after the usual unsaved-changes
question); converting to sigmoid neurons changes the current document as one undoable step.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMessageBox

from nnsim.core.circuit.chips import all_neurons
from nnsim.core.errors import UserError
from nnsim.core.circuit.graph import Graph
from nnsim.gui.canvas.clipboard import replacement
from nnsim.gui.dialogs.adder_dialog import AdderDialog
from nnsim.gui.dialogs.sigmoid_dialog import SigmoidDialog
from nnsim.gui.dialogs.synthesis_dialog import SynthesisDialog


def show_new_circuit(window, graph: Graph) -> bool:
    """Open a generated circuit as a new untitled document."""
    if not window.maybe_save():
        return False
    window.document.replace(graph)
    window.circuit.view.fit()
    return True


def build_adder(window, dialog: AdderDialog | None = None) -> bool:
    dialog = dialog or AdderDialog(window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return show_new_circuit(window, dialog.graph())


def build_from_table(window, dialog: SynthesisDialog | None = None) -> bool:
    dialog = dialog or SynthesisDialog(window)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_graph() is None:
        return False
    return show_new_circuit(window, dialog.result_graph())


def convert_to_sigmoid(window, dialog: SigmoidDialog | None = None) -> bool:
    g = window.document.graph
    if not any(n.activation == "step" for n in all_neurons(g)):
        QMessageBox.information(window, "Convert to sigmoid", "There are no perceptrons (step neurons) to convert.")
        return False
    try:
        dialog = dialog or SigmoidDialog(g, window)
    except UserError as err:
        QMessageBox.warning(window, "Convert to sigmoid", str(err))
        return False
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    window.document.push(replacement(g, dialog.converted(), f"convert to sigmoid (c = {dialog.scale.value():g})"))
    return True


def make_actions(window, menu) -> list[QAction]:
    """Add the build actions to ``menu`` (the Circuit menu) and return them."""
    specs = [
        ("New n-bit &Adder…", "Ctrl+Shift+A", "A ripple-carry adder of 1 to 16 bits from NAND perceptrons",
         lambda: build_adder(window)),
        ("Circuit from &Truth Table…", "Ctrl+Shift+T", "Type a truth table or an expression; nnsim builds it from "
         "NAND perceptrons", lambda: build_from_table(window)),
        ("Convert to &Sigmoid…", None, "Every perceptron becomes a sigmoid neuron with weights and bias × c",
         lambda: convert_to_sigmoid(window)),
    ]
    actions = []
    for text, shortcut, tip, slot in specs:
        a = QAction(text, window)
        if shortcut:
            a.setShortcut(shortcut)
        a.setStatusTip(tip)
        a.setToolTip(tip)
        a.triggered.connect(slot)
        menu.addAction(a)
        window.addAction(a)
        actions.append(a)
    return actions
