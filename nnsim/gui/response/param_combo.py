"""A combo box of every weight and bias of the document, kept in step with the shared selection."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox

from nnsim.gui.response.plotting import coalescing_timer


class ParamCombo(QComboBox):
    """Lists the parameters as ``w:SRC:DST`` / ``b:NODE``. Choosing one selects it in the document
    (``document.select_param``); a selection made elsewhere (a wire or neuron clicked on the canvas) is
    shown here. Clearing the selection elsewhere keeps the last choice, so the lab works on its own; with
    nothing chosen yet it shows the first weight.

    ``sigParamChosen(("w", wire_id) | ("b", node_id) | None)`` fires whenever the shown parameter changes."""

    sigParamChosen = Signal(object)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.setMinimumContentsLength(14)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setToolTip("The weight (w:SOURCE:TARGET) or bias (b:NEURON) to study; "
                        "selecting a wire or neuron on the canvas picks it too")
        self._names: list = []
        self._chosen = None
        self._timer = coalescing_timer(self, self.rebuild)
        graph = document.graph
        graph.node_added.connect(self._on_structure)
        graph.node_removed.connect(self._on_structure)
        graph.wire_added.connect(self._on_structure)
        graph.wire_removed.connect(self._on_structure)
        graph.node_changed.connect(self._on_node_changed)
        document.sigParamSelected.connect(self._on_selected)
        document.sigReplaced.connect(self.rebuild)
        self.currentIndexChanged.connect(self._on_index)
        self.rebuild()
        if document.selected_param is not None:
            self._on_selected(document.selected_param)

    def current_param(self):
        """``("w", wire_id)``, ``("b", node_id)`` or ``None``."""
        return self._chosen

    def _on_structure(self, *_):
        self._timer.start()

    def _on_node_changed(self, node_id, field):
        if field in ("label", "activation"):
            self._timer.start()

    def rebuild(self) -> None:
        """Re-read the parameter names (after structural edits or relabelling)."""
        self._timer.stop()
        params = self.document.live.circuit.params   # the simulator's compiled circuit: compiled once
        names = [(p.name, (p.kind, p.id)) for p in params]
        if names == self._names:
            return
        self._names = names
        keys = [k for _, k in names]
        with QSignalBlocker(self):
            self.clear()
            for name, key in names:
                self.addItem(name, key)
            if self._chosen not in keys:  # nothing chosen yet: start with the first weight, never a blank plot
                self._chosen = None
                chosen = keys[0] if keys else None
            else:
                chosen = self._chosen
            self.setCurrentIndex(keys.index(chosen) if chosen is not None else -1)
        self._set_chosen(chosen)

    def choose(self, key) -> None:
        """Show parameter ``key`` (and select it in the document)."""
        if self._timer.isActive():
            self.rebuild()
        keys = [k for _, k in self._names]
        if key in keys:
            self.setCurrentIndex(keys.index(key))

    def _on_index(self, index: int) -> None:
        key = self.itemData(index) if index >= 0 else None
        key = tuple(key) if key is not None else None
        self._set_chosen(key)
        if key is not None:
            self.document.select_param(key)

    def _on_selected(self, key) -> None:
        if key is None:
            return
        key = tuple(key)
        if self._timer.isActive():
            self.rebuild()
        keys = [k for _, k in self._names]
        if key in keys and key != self._chosen:
            with QSignalBlocker(self):
                self.setCurrentIndex(keys.index(key))
            self._set_chosen(key)

    def _set_chosen(self, key) -> None:
        if key != self._chosen:
            self._chosen = key
            self.sigParamChosen.emit(key)
