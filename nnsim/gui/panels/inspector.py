"""The inspector: edit the selected node or wire (label, value, activation, bias, output flag, weight).

Every change is a core edit pushed to the document; a slider drag is one undo step. The fields follow the
graph's events, so undo, the canvas and the inspector always agree.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget)

from nnsim.core.activations import ACTIVATIONS
from nnsim.core.circuit.edits import SetNode, SetWeight
from nnsim.core.circuit.graph import CHIP, INPUT, NEURON, OUTPUT
from nnsim.gui import style
from nnsim.gui.canvas.chip_view import flat_id
from nnsim.gui.canvas.scene import CircuitScene
from nnsim.gui.panels.value_editor import ValueEditor
from nnsim.gui.user_text import isolated

_OUTPUT_CHOICES = [("Automatic (no wire leaves it)", None), ("Yes", True), ("No", False)]


class Inspector(QWidget):
    """Shows and edits what is selected in ``scene``."""

    def __init__(self, scene: CircuitScene, parent=None):
        super().__init__(parent)
        self.scene = scene
        self.document = scene.document
        self.node_id: str | None = None
        self.wire_id: str | None = None

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # it shows labels: "<img …>" is a name, not markup
        self.title.setWordWrap(True)
        self.title.setFont(style.font(11, True))
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(self.hint.foregroundRole())
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText("name shown on the canvas")
        self.value_edit = ValueEditor(0.0, 1.0)
        self.activation = QComboBox()
        for name, act in ACTIVATIONS.items():
            self.activation.addItem(act.title, name)
        self.bias_edit = ValueEditor(-10.0, 10.0)
        self.output = QComboBox()
        for text, value in _OUTPUT_CHOICES:
            self.output.addItem(text, value)
        self.weight_edit = ValueEditor(-10.0, 10.0)
        self.readout = QLabel()
        self.readout.setFont(style.font(10.5))
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow("Label", self.label_edit)
        self.form.addRow("Value", self.value_edit)
        self.form.addRow("Activation", self.activation)
        self.form.addRow("Bias b", self.bias_edit)
        self.form.addRow("Output", self.output)
        self.form.addRow("Weight w", self.weight_edit)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.hint)
        lay.addLayout(self.form)
        lay.addWidget(self.readout)
        lay.addStretch(1)

        self.label_edit.editingFinished.connect(self._on_label)
        self.value_edit.sigEdited.connect(lambda v, g: self._push_node("value", v, g))
        self.value_edit.sigGestureEnded.connect(self.document.end_merge)
        self.bias_edit.sigEdited.connect(lambda v, g: self._push_node("bias", v, g))
        self.bias_edit.sigGestureEnded.connect(self.document.end_merge)
        self.weight_edit.sigEdited.connect(self._on_weight)
        self.weight_edit.sigGestureEnded.connect(self.document.end_merge)
        self.activation.activated.connect(lambda i: self._push_node("activation", self.activation.itemData(i), False))
        self.output.activated.connect(lambda i: self._push_node("output", self.output.itemData(i), False))

        scene.selectionChanged.connect(self.refresh)
        scene.sigPathChanged.connect(self.refresh)   # a chip was opened or closed
        scene.simulator.sigEvaluated.connect(self._update_readout)
        g = self.document.graph
        g.node_changed.connect(self._on_graph_node_changed)
        g.wire_changed.connect(self._on_graph_wire_changed)
        g.node_removed.connect(self._on_removed)
        g.wire_removed.connect(self._on_removed)
        self.refresh()

    # ----- showing ---------------------------------------------------------------------------------
    def _show_rows(self, *widgets) -> None:
        for w in (self.label_edit, self.value_edit, self.activation, self.bias_edit, self.output, self.weight_edit):
            self.form.setRowVisible(w, w in widgets)

    def refresh(self) -> None:
        try:
            nodes, wires = self.scene.selected_node_ids(), self.scene.selected_wire_ids()
        except RuntimeError:  # the scene is being destroyed
            return
        g = self.scene.graph   # the document, or the definition of an opened chip
        self.node_id = nodes[0] if len(nodes) == 1 and not wires else None
        self.wire_id = wires[0] if len(wires) == 1 and not nodes else None
        if self.wire_id and g.nodes[g.wires[self.wire_id].target].kind in (CHIP, OUTPUT):
            self.wire_id = None   # a plain connection into a pin or an output: no weight to edit
        if self.node_id:
            n = g.nodes[self.node_id]
            self.label_edit.setText(n.label)
            self.label_edit.setPlaceholderText(n.id)
            if n.kind in (CHIP, OUTPUT):
                chip = n.kind == CHIP
                self.title.setText(f"Chip {isolated(n.chip)} ({isolated(n.name)})" if chip
                                   else f"Output {isolated(n.name)}")
                self.hint.setText("An instance of a chip: double-click it to see and edit its inside (every "
                                  "instance changes). Circuit › Flatten Chip puts its parts here instead." if chip
                                  else "An output node shows the one signal wired into it, under its name.")
                self._show_rows(self.label_edit)
            elif n.is_input:
                self.title.setText(f"Input {isolated(n.name)}")
                self.hint.setText("Click the input on the canvas to switch it between 0 and 1, or drag the slider "
                                  "for any value in between.")
                self.value_edit.set_value(n.value)
                self._show_rows(self.label_edit, self.value_edit)
            else:
                self.title.setText(f"Neuron {isolated(n.name)}")
                self.hint.setText("output = f(w·x + b). Double-click a weight or the bias on the canvas to type it.")
                self.activation.setCurrentIndex(self.activation.findData(n.activation))
                self.bias_edit.set_value(n.bias)
                # say what "automatic" means for this neuron now, not only the rule
                leaves = any(w.source == n.id for w in g.wires.values())
                self.output.setItemText(0, "Automatic: no (a wire leaves it)" if leaves
                                        else "Automatic: yes (no wire leaves it)")
                self.output.setCurrentIndex([v for _, v in _OUTPUT_CHOICES].index(n.output))
                self._show_rows(self.label_edit, self.activation, self.bias_edit, self.output)
        elif self.wire_id:
            w = g.wires[self.wire_id]
            self.title.setText(f"Wire {isolated(g.nodes[w.source].name)} → {isolated(g.nodes[w.target].name)}")
            self.hint.setText("The weight multiplies the source's output. Blue wires excite (w > 0), red ones "
                              "inhibit (w < 0); thicker means larger |w|.")
            self.weight_edit.set_value(w.weight)
            self._show_rows(self.weight_edit)
        else:
            count = len(nodes) + len(wires)
            self.title.setText(f"{count} items selected" if count else "Nothing selected")
            self.hint.setText("Click a node or wire to edit it. Drag from a node's right-hand dot to a neuron to "
                              "connect them. Tab or double-click the canvas to add a node." if not count else
                              "Select a single node or wire to edit it.")
            self._show_rows()
        self._update_readout()

    def _update_readout(self) -> None:
        sim = self.scene.simulator
        flat = flat_id(self.scene, self.node_id) if self.node_id else None
        g = self.scene.graph
        if self.node_id and sim.circuit is not None and flat in sim.circuit.col and self.node_id in g.nodes \
                and g.nodes[self.node_id].kind in (INPUT, NEURON):
            col = sim.circuit.col[flat]
            n = g.nodes[self.node_id]
            if n.is_input:
                self.readout.setText(f"output = {style.format_number(sim.a[col])}")
            else:
                parts = [f"{style.format_number(w.weight)}·{isolated(g.nodes[w.source].name)}"
                         for w in g.wires_into(self.node_id)]
                formula = " + ".join(parts + [style.format_number(n.bias)]).replace("+ −", "− ")
                threshold = style.format_number(-n.bias)
                self.readout.setText(f"z = {formula} = {style.format_number(round(float(sim.z[col]), 4))}\n"
                                     f"output = {style.format_number(round(float(sim.a[col]), 4))}\n"
                                     f"threshold = −b = {threshold}\n"
                                     f"z > 0 exactly when w·x > {threshold}")
        else:
            self.readout.setText("")

    # ----- following the model ---------------------------------------------------------------------
    def _on_graph_node_changed(self, node_id: str, field: str) -> None:
        if node_id == self.node_id and field not in ("x", "y"):
            self.refresh()

    def _on_graph_wire_changed(self, wire_id: str, field: str) -> None:
        if wire_id == self.wire_id:
            self.refresh()

    def _on_removed(self, some_id: str) -> None:
        if some_id in (self.node_id, self.wire_id):
            self.node_id = self.wire_id = None

    # ----- editing ---------------------------------------------------------------------------------
    def _push_node(self, field: str, value, gesture: bool) -> None:
        if not self.node_id:
            return
        n = self.scene.graph.nodes[self.node_id]
        if getattr(n, field) == value:
            return
        key = ("inspector", field, self.node_id) if gesture else None
        self.scene.push(SetNode(self.node_id, {field: value}), merge_key=key)

    def _on_weight(self, value: float, gesture: bool) -> None:
        if not self.wire_id or self.scene.graph.wires[self.wire_id].weight == value:
            return
        key = ("inspector", "w", self.wire_id) if gesture else None
        self.scene.push(SetWeight(self.wire_id, value), merge_key=key)

    def _on_label(self) -> None:
        if self.node_id:
            self._push_node("label", self.label_edit.text().strip(), False)
