"""The live truth table: every input row of the circuit in one vectorised pass, the current inputs' row
highlighted, a pass/fail mark against the document's expected table, click a row to set the inputs,
export as CSV."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from nnsim.core.circuit.edits import Compound, SetNode
from nnsim.core.errors import UserError
from nnsim.core.logic.loop_rows import OSCILLATES, REMEMBERS, demo_sequence, loop_rows
from nnsim.core.logic.truthtable import TruthTable, check_table, run_sequence
from nnsim.gui import style
from nnsim.gui.canvas.simulator import Simulator
from nnsim.gui.document import Document
from nnsim.gui.panels.number_readout import NumberReadout
from nnsim.gui.panels.truth_table_model import TruthTableModel
from nnsim.io.fileformat import atomic_write


class TruthTablePanel(QWidget):
    """Follows ``document`` and ``simulator``; recomputes the table only when weights or structure change."""

    def __init__(self, document: Document, simulator: Simulator, parent=None):
        super().__init__(parent)
        self.document = document
        self.simulator = simulator
        self.model = TruthTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Fixed sizes: with 65,536 rows, ResizeToContents would measure every cell at every change.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(int(26 * style.scale()))
        rows.setVisible(False)
        self.table.clicked.connect(lambda index: self.set_inputs_from_row(index.row()))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.clicked.connect(self.export_csv)
        self.expected_button = QPushButton("Expected…")
        self.expected_button.setToolTip("Type, paste or write as an expression the table this circuit should "
                                        "compute; rows that differ get a ✗")
        self.expected_button.clicked.connect(lambda: self.edit_expected())
        bottom = QHBoxLayout()   # the summary gets its own line above the buttons: it wraps in a narrow panel
        bottom.addStretch(1)
        bottom.addWidget(self.expected_button)
        bottom.addWidget(self.export_button)
        self.numbers = NumberReadout(document, simulator)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.numbers)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.summary)
        self.sequence = QLabel()   # a loop with memory: set → hold → reset → hold, in time steps
        self.sequence.setWordWrap(True)
        self.sequence.hide()
        lay.addWidget(self.sequence)
        lay.addLayout(bottom)
        self._stale = True
        g = document.graph
        for sig in (g.node_added, g.node_removed, g.wire_added, g.wire_removed, g.wire_changed, g.graph_changed):
            sig.connect(self._invalidate)
        g.node_changed.connect(self._on_node_changed)
        simulator.sigEvaluated.connect(self.refresh)
        self.refresh()

    def edit_expected(self, dialog=None) -> bool:
        """Edit the expected table in a dialog (one undoable step)."""
        from nnsim.gui.dialogs.expected_dialog import edit_expected

        return edit_expected(self.document, self, dialog)

    def _invalidate(self, *args) -> None:
        self._stale = True

    def _on_node_changed(self, node_id: str, field: str) -> None:
        if field not in ("value", "x", "y"):
            self._stale = True

    def refresh(self) -> None:
        if self._stale:
            self._stale = False
            self._recompute()
        self._highlight_current()

    def _recompute(self) -> None:
        c = self.document.live.circuit
        g = self.document.graph
        ins = [g.nodes[i].name for i in c.input_ids]
        outs = [g.nodes[o].name for o in c.output_ids]
        if c.n_inputs > style.MAX_TABLE_INPUTS:
            self.model.set_table([], [], np.zeros((0, 0)), np.zeros((0, 0)), [], None)
            self.summary.setText(f"{c.n_inputs} inputs would make 2^{c.n_inputs} rows: too many to list. "
                                 f"Click the inputs on the canvas instead.")
            self.export_button.setEnabled(False)
            return
        if not c.output_ids:
            self.model.set_table(ins, [], np.zeros((0, len(ins))), np.zeros((0, 0)), [], None)
            self.summary.setText("No outputs yet: add a neuron.")
            self.export_button.setEnabled(False)
            return
        X, O = c.truth_table()
        binary = [c.activation_of[o].binary for o in c.output_ids]
        passed, misfit = None, ""
        if g.expected is not None and g.expected.rows:
            table = TruthTable([c.labels[i] for i in c.input_ids], [c.labels[o] for o in c.output_ids], O)
            try:
                passed = check_table(table, g.expected).passed
            except UserError as err:
                misfit = f" The expected table does not fit: {err}."
        self.model.set_table(ins, outs, X, O, binary, passed)
        loop_note = self._loop_marks(c, X, ins, outs) if c.has_loop else ""
        if not c.has_loop:
            self.model.set_notes(None)
            self.sequence.hide()
        self._size_columns()
        self.export_button.setEnabled(True)
        rows = len(X)
        if loop_note:
            self.summary.setText(loop_note + misfit)
        elif passed is None:
            self.summary.setText(f"{rows} rows. Click a row to set the inputs.{misfit}")
        else:
            bad = int(np.count_nonzero(~passed))
            self.summary.setText(f"All {rows} rows match the expected table." if not bad else
                                 f"{bad} of {rows} rows differ from the expected table (✗).")

    def _loop_marks(self, c, X, ins, outs) -> str:
        """A circuit with a loop: mark each row (settles at step k, oscillates, holds the previous state),
        as ``nnsim table`` does, and show a sequence of rows in time steps that shows the memory."""
        rows = loop_rows(c, X)
        self.model.set_notes([r.mark for r in rows], [r.note for r in rows])
        holds = sum(r.kind == REMEMBERS for r in rows)
        swings = sum(r.kind == OSCILLATES for r in rows)
        parts = ["Loop: each row run from all 0."]
        if holds:
            parts.append("“holds”: the outputs depend on the previous state.")
        if swings:
            parts.append(f"{swings} row{'s' if swings > 1 else ''} never settle{'s' if swings == 1 else ''}.")
        seq = demo_sequence(c, X, rows)
        if len(seq):
            run = run_sequence(self.document.graph, seq)
            head = "".join(f"<th>{n}</th>" for n in ins + outs) + "<th>steps</th>"
            body = "".join(
                "<tr>" + "".join(f"<td align=center>{int(v)}</td>" for v in x)
                + "".join(f"<td align=center><b>{style.format_number(round(float(v), 3))}</b></td>" for v in o)
                + f"<td align=center>{s if s >= 0 else '–'}</td></tr>"
                for x, o, s in zip(seq, run.outputs, run.steps))
            self.sequence.setText(f"<b>In sequence</b>, each row from the state the one before left:<table cellspacing=0 cellpadding=3><tr>{head}</tr>{body}</table>")
            self.sequence.show()
        else:
            self.sequence.hide()
        return " ".join(parts)

    def restyle(self) -> None:
        """Fonts changed (presentation mode): row heights and column widths follow."""
        self.numbers.setFont(style.font(12, True))
        self.table.verticalHeader().setDefaultSectionSize(int(26 * style.scale()))
        self._size_columns()
        self.model.layoutChanged.emit()

    def _size_columns(self) -> None:
        """Each column as wide as its header or its widest value, measured once per table. When that is wider
        than the panel (a 4+4-bit adder: 14 columns), the table turns compact: 0/1 columns as narrow as a digit
        and a bit name ("a3", headers at the normal size even in presentation mode), a long name ("carry")
        elided to "c…" (its tooltip says it whole), so the outputs show without scrolling sideways."""
        m = self.model
        cell = QFontMetricsF(style.font(10.5, True))
        n_in, n_out = len(m.inputs), len(m.outputs)
        names = m.inputs + m.outputs + m._extra()
        binary = [c < n_in or c >= n_in + n_out or m.binary[c - n_in] for c in range(len(names))]
        samples = [cell.horizontalAdvance("0" if b else "0.000") for b in binary]
        if m.notes is not None and m.notes:   # a looped circuit's "step 2" / "oscillates" / "holds" column
            binary[n_in + n_out] = False
            samples[n_in + n_out] = max(QFontMetricsF(style.font(10.5)).horizontalAdvance(t) for t in m.notes)

        def head(c, compact):
            return QFontMetricsF(m.header_font(c, compact))

        widths = [int(max(max(head(c, False).horizontalAdvance(name), samples[c]) + 18, 30 * style.scale()))
                  for c, name in enumerate(names)]
        available = self.table.viewport().width()
        if not self.table.verticalScrollBar().isVisible() and len(m.X) * self.table.verticalHeader().defaultSectionSize() \
                > self.table.viewport().height():
            available -= self.table.verticalScrollBar().sizeHint().width()   # it is about to appear
        compact = 0 < available < sum(widths)
        if compact:
            least = int(cell.horizontalAdvance("0") + 6)
            slack = [0] * len(names)      # how much a long name ("carry" -> "c…") can give up
            for c, name in enumerate(names):
                if binary[c]:
                    least_c = max(samples[c] + 6, cell.horizontalAdvance("✓") + 6)
                    full = max(head(c, True).horizontalAdvance(name) + 8, least_c)
                    short = max(head(c, True).horizontalAdvance(name if len(name) <= 3 else name[0] + "…") + 8,
                                least_c)
                    widths[c], slack[c] = full, full - short
            excess = sum(widths) - available
            if excess > 0 and sum(slack):   # long names shrink only as far as needed
                give = min(1.0, excess / sum(slack))
                widths = [int(w - s * give) for w, s in zip(widths, slack)]
            if sum(widths) > available:     # still too wide: every column shrinks towards a digit's room
                scale = available / sum(widths)
                widths = [max(least, int(w * scale)) for w in widths]
        m.set_compact(compact)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(min(widths, default=20))
        shown = {}
        for c, width in enumerate(widths):
            header.resizeSection(c, width)
            if head(c, compact).horizontalAdvance(names[c]) + 4 > width:
                shown[c] = head(c, compact).elidedText(names[c], Qt.TextElideMode.ElideRight, width - 2)
        m.set_shown_names(shown)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._size_columns()   # compact columns only when the natural ones do not fit

    def current_row(self) -> int:
        c = self.simulator.circuit or self.document.live.circuit
        v = c.input_values
        if len(v) > style.MAX_TABLE_INPUTS or not np.all((v == 0) | (v == 1)):
            return -1
        return int(sum(int(b) << (len(v) - 1 - i) for i, b in enumerate(v))) if len(v) else 0

    def _highlight_current(self) -> None:
        row = self.current_row()
        self.model.set_current(row)
        if 0 <= row < self.model.rowCount():
            index = self.model.index(row, 0)
            if not self.table.viewport().rect().contains(self.table.visualRect(index)):
                self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def set_inputs_from_row(self, row: int) -> None:
        """Set every input to the values of ``row`` as one undoable step."""
        if not 0 <= row < self.model.rowCount():
            return
        ins = self.document.graph.inputs()
        edits = [SetNode(n.id, {"value": float(v)}) for n, v in zip(ins, self.model.X[row]) if n.value != v]
        if edits:
            self.document.push(Compound(edits, "set inputs"))

    def export_csv(self, path: str | None = None) -> None:
        if not path:
            start = str(self.document.path.with_suffix(".csv")) if self.document.path else "truth-table.csv"
            path, _ = QFileDialog.getSaveFileName(self, "Export truth table", start, "CSV files (*.csv)")
            if not path:
                return
        try:
            atomic_write(path, self.model.to_csv())
        except OSError as err:
            QMessageBox.warning(self, "Export failed", f"{path}: {err.strerror}")
