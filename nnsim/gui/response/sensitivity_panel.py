"""The sensitivity table: ∂O/∂p for every weight and bias at the present inputs, largest first, with a
nudge Δ's predicted ΔO next to the actual ΔO; beside it, the nudge plot of the selected parameter.

One ΔO per parameter is one network pass each (a few hundred milliseconds for the 16-bit adder), so the
rows are computed in a worker thread (:func:`nnsim.gui.response.tasks.sensitivity_task` on a copy of the
graph) and the table is filled when they arrive."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from nnsim.core.circuit.chip_edits import set_param
from nnsim.gui import style
from nnsim.gui.response.nudge_plot import NudgePlot
from nnsim.gui.response.plotting import coalescing_timer, error_style
from nnsim.gui.response.tasks import sensitivity_task
from nnsim.gui.user_text import isolated, isolated_html
from nnsim.gui.worker import TaskRunner

COLUMNS = ("parameter", "value", "∂O/∂p", "predicted ΔO", "actual ΔO", "difference")
HEADERS = ("parameter", "value", "∂O/∂p", "pred. ΔO", "actual ΔO", "diff.")   # short: the table is half the lab wide


def _fmt(v: float) -> str:
    return style.readable(v)


class SensitivityPanel(QWidget):
    """Rows follow the document (recomputed in a worker, coalesced, while visible; a newer request
    supersedes an older one, whose result is dropped). Clicking a row selects that parameter in the
    document; "Apply nudge" adds Δ to it as one undoable step and reports the predicted against the
    measured change. ``sigUpdated`` fires when the table has been filled from a result. Call
    :meth:`shutdown` before closing."""

    sigUpdated = Signal()

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.rows = []
        self.runner = TaskRunner(self)
        self.runner.sigReturned.connect(self._show)
        self.runner.sigErrored.connect(self._show_error)
        self._stale = True
        self.output_combo = QComboBox()
        self.output_combo.currentIndexChanged.connect(lambda _: self.refresh())
        self.delta_spin = QDoubleSpinBox()
        self.delta_spin.setRange(-100, 100)
        self.delta_spin.setDecimals(3)
        self.delta_spin.setSingleStep(0.05)
        self.delta_spin.setValue(0.1)
        self.delta_spin.setKeyboardTracking(False)
        self.delta_spin.setToolTip("The nudge Δ added to one parameter at a time")
        self.delta_spin.valueChanged.connect(lambda _: self.refresh())
        self.apply_button = QPushButton("Apply nudge")
        self.apply_button.setToolTip("Add Δ to the selected parameter on the canvas (undo with Ctrl+Z)")
        self.apply_button.clicked.connect(self.apply_nudge)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        for c, tip in enumerate(COLUMNS):
            self.table.horizontalHeaderItem(c).setToolTip(tip)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)   # sized once per fill, see _show
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._on_row_selected)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.nudge_plot = NudgePlot(document, range_box_inside=False)   # its range box goes in the row above

        row = QHBoxLayout()
        row.addWidget(QLabel("Output"))
        row.addWidget(self.output_combo)
        row.addWidget(QLabel("nudge Δ"))
        row.addWidget(self.delta_spin)
        row.addWidget(self.apply_button)
        row.addStretch(1)
        row.addWidget(self.nudge_plot.max_spin)
        # The table and the nudge plot side by side: in the short dock below the canvas, stacking them left the
        # plot a sliver (and made the whole lab taller than it needs to be).
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.result)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.nudge_plot)
        self.splitter.setStretchFactor(0, 11)
        self.splitter.setStretchFactor(1, 9)
        self.splitter.setSizes([550, 450])
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)

        self._timer = coalescing_timer(self, self.refresh)
        document.graph.changed.connect(self._schedule)  # a core Signal: a Python method
        document.sigReplaced.connect(self._timer.start)
        document.sigParamSelected.connect(self._on_param_selected)
        self.refresh()

    def showEvent(self, event):
        super().showEvent(event)
        if self._stale:
            self._timer.start()

    def restyle(self) -> None:
        """Fonts changed (presentation mode): the columns fit their contents again."""
        for c in range(len(COLUMNS)):
            self.table.resizeColumnToContents(c)

    def output_index(self) -> int:
        return max(self.output_combo.currentIndex(), 0)

    def _schedule(self, *_) -> None:
        # one ΔO per parameter is one pass each: while a drag is in progress, refresh less often
        self._timer.start(style.SENSITIVITY_GESTURE_MS if self.document.merge_open else 0)

    def refresh(self) -> None:
        """Ask the worker for the rows at the present inputs, output and Δ (the table fills in later)."""
        self._timer.stop()
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        circuit = self.document.live.circuit
        names = [circuit.labels[o] for o in circuit.output_ids]
        if names != [self.output_combo.itemText(i) for i in range(self.output_combo.count())]:
            keep = self.output_combo.currentText()
            with QSignalBlocker(self.output_combo):
                self.output_combo.clear()
                self.output_combo.addItems(names)
                self.output_combo.setCurrentIndex(names.index(keep) if keep in names else 0)
        self.runner.submit(sensitivity_task(self.document.graph.copy(), circuit.input_values,
                                            self.delta_spin.value(), self.output_index()))

    def closeEvent(self, event):
        """Closed as a window of its own (not as a dock's content): stop its threads too."""
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop a computation in progress and wait for its thread (cancel → quit → wait)."""
        self._timer.stop()
        self.runner.shutdown()

    def _show_error(self, message: str, details: str = "") -> None:
        self.rows = []
        with QSignalBlocker(self.table):
            self.table.setRowCount(0)
        self.summary.setStyleSheet(error_style())
        self.summary.setText(message)
        self.sigUpdated.emit()

    def _show(self, result) -> None:
        """Fill the table from a :class:`~nnsim.gui.response.tasks.SensitivityResult` (on the GUI thread)."""
        if result is None:
            return      # stopped by shutdown
        self.summary.setStyleSheet("")
        if result.note:
            self.rows = []
            with QSignalBlocker(self.table):
                self.table.setRowCount(0)
            self.summary.setText(result.note)
            self.sigUpdated.emit()
            return
        k, name = result.output, result.output_name
        self.rows = result.rows
        inputs = ", ".join(f"{isolated_html(label)} = {v:g}" for label, v in zip(result.input_labels, result.x))
        self.summary.setText(f"<b>{isolated_html(name)} = {style.readable(result.value)}</b> at inputs {inputs or 'none'}. "
                             f"Rows: ∂O/∂p, and Δ = {result.delta:g}'s predicted ∂O/∂p·Δ against actual "
                             "ΔO.")
        self.table.setToolTip(f"Each row: how fast {name} moves per unit of that parameter (∂O/∂p), and what a "
                              f"nudge of Δ = {result.delta:g} does: predicted ∂O/∂p·Δ against actual.")
        selected = self.document.selected_param
        # Columns are sized once after the fill: with ResizeToContents every setText re-measures the whole
        # column, and refilling 419 rows (the 16-bit adder) took 16 s instead of tens of milliseconds.
        self.table.setUpdatesEnabled(False)
        with QSignalBlocker(self.table):
            self.table.setRowCount(len(self.rows))
            for r, row in enumerate(self.rows):
                diff = row.actual[k] - row.predicted[k]
                cells = (row.param.name, _fmt(row.value), _fmt(row.gradient[k]), _fmt(row.predicted[k]),
                         _fmt(row.actual[k]), _fmt(diff))
                for c, text in enumerate(cells):
                    item = self.table.item(r, c)
                    if item is None:
                        item = QTableWidgetItem()
                        self.table.setItem(r, c, item)
                    item.setText(text)
                    if c:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    item.setData(Qt.ItemDataRole.UserRole, (row.param.kind, row.param.id))
            self.table.clearSelection()
            keys = [(row.param.kind, row.param.id) for row in self.rows]
            if selected is not None and tuple(selected) in keys:
                self.table.selectRow(keys.index(tuple(selected)))
        for c in range(len(COLUMNS)):
            self.table.resizeColumnToContents(c)
        self.table.setUpdatesEnabled(True)
        self.nudge_plot.show_param(self._current_key(), k)
        self.sigUpdated.emit()

    def _current_key(self):
        selected = self.document.selected_param
        keys = [(row.param.kind, row.param.id) for row in self.rows]
        if selected is not None and tuple(selected) in keys:
            return tuple(selected)
        return keys[0] if keys else None

    def _on_row_selected(self) -> None:
        items = self.table.selectedItems()
        if items:
            key = tuple(items[0].data(Qt.ItemDataRole.UserRole))
            self.document.select_param(key)
            self.nudge_plot.show_param(key, self.output_index())

    def _on_param_selected(self, key) -> None:
        """A parameter picked elsewhere (the canvas): select its row and show its nudge curve; the rows
        themselves do not change, so nothing is recomputed."""
        if key is None or not self.isVisible():
            return
        keys = [(row.param.kind, row.param.id) for row in self.rows]
        if tuple(key) in keys:
            with QSignalBlocker(self.table):
                self.table.selectRow(keys.index(tuple(key)))
            self.nudge_plot.show_param(tuple(key), self.output_index())

    def apply_nudge(self) -> None:
        """Add Δ to the selected parameter (one undo step); report predicted against actual ΔO."""
        key = self._current_key()
        circuit = self.document.live.circuit
        if key is None or key not in circuit.param_index:
            return
        p = circuit.params[circuit.param_index[key]]
        k = self.output_index()
        delta = self.delta_spin.value()
        x = circuit.input_values.copy()
        before = float(circuit.feedforward(x[None, :])[0, k])
        grad = float(circuit.gradients(x[None, :])[0, k, circuit.param_index[key]])
        value = circuit.get_param(p) + delta
        self.document.push(set_param(self.document.graph, p.kind, p.id, value))   # inside a chip: its definition
        after = float(self.document.live.circuit.feedforward(x[None, :])[0, k])
        name = self.document.live.circuit.labels[self.document.live.circuit.output_ids[k]]
        self.last_nudge = (grad * delta, after - before)
        name = isolated(name)
        self.result.setText(f"Nudged {isolated(p.name)} by {delta:g}: predicted Δ{name} = {style.readable(grad * delta)}, "
                            f"actual Δ{name} = {style.readable(after - before)} (now {style.readable(after)}).")
        self.refresh()
