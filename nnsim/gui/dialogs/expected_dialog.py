"""Edit the table a circuit should compute: type the outputs row by row, paste CSV, or give an expression.

The result replaces the document's expected table through one undoable :class:`SetSetting` edit, so the
truth-table panel's ✓/✗ marks, ``nnsim check`` and the lessons compare against it (any exercise a teacher
invents can be checked). CSV is read by :func:`nnsim.io.tables.parse_table`, expressions by
:func:`nnsim.core.logic.boolexpr.parse_expression`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QLabel, QLineEdit, QPlainTextEdit,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from nnsim.core.circuit.compile import binary_rows
from nnsim.core.circuit.edits import SetSetting
from nnsim.core.circuit.graph import ExpectedTable, Graph
from nnsim.core.errors import UserError
from nnsim.core.logic.boolexpr import parse_expression
from nnsim.core.logic.truthtable import TruthTable, align_expected, format_value, truth_table
from nnsim.gui import style
from nnsim.io.tables import format_table, parse_table

#: Most inputs for which the outputs can be typed row by row (2⁸ = 256 rows); beyond, paste or an expression.
MAX_TYPED_INPUTS = 8
TYPE_TAB, CSV_TAB, EXPRESSION_TAB = range(3)


def _number(text: str) -> float | None:
    try:
        return float(text.strip().replace("−", "-").replace(",", "."))
    except ValueError:
        return None


class ExpectedTableDialog(QDialog):
    """Starts from the document's expected table (or the circuit's present outputs); :meth:`table` is the
    result (``None`` after *Clear*)."""

    def __init__(self, graph: Graph, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Expected truth table")
        self.inputs = [n.name for n in graph.inputs()]
        self.cleared = False
        self._result: TruthTable | None = None
        start = self._start_table(graph)

        self.tabs = QTabWidget()
        typed = QWidget()
        t = QVBoxLayout(typed)
        self.outputs_edit = QLineEdit(", ".join(start.outputs if start else []))
        self.outputs_edit.setPlaceholderText("output names, e.g. y or s, carry")
        self.outputs_edit.editingFinished.connect(self._rebuild_grid)
        t.addWidget(QLabel("Outputs (names, separated by commas):"))
        t.addWidget(self.outputs_edit)
        self.grid = QTableWidget()
        self.grid.verticalHeader().setVisible(False)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        t.addWidget(self.grid, 1)
        t.addWidget(QLabel("Type 0 or 1 (or any number) in each output cell."))
        self.tabs.addTab(typed, "Type outputs")

        pasted = QWidget()
        p = QVBoxLayout(pasted)
        p.addWidget(QLabel("Paste CSV: a header of names (inputs first, then outputs), then one row per input "
                           "combination."))
        self.csv_edit = QPlainTextEdit(format_table(start) if start is not None else "")
        self.csv_edit.setFont(style.font(10))
        p.addWidget(self.csv_edit, 1)
        self.tabs.addTab(pasted, "Paste CSV")

        expr = QWidget()
        e = QVBoxLayout(expr)
        e.addWidget(QLabel("One statement per output, e.g.  y = x1 ^ x2   or   s = a ^ b; carry = a & b\n"
                           "(| or, ^ xor, & and, ~ not, parentheses)."))
        self.expression_edit = QPlainTextEdit()
        self.expression_edit.setPlaceholderText("y = x1 ^ x2")
        e.addWidget(self.expression_edit, 1)
        self.tabs.addTab(expr, "Expression")

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {style.theme().fail_colour.name()}")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.clear_button = buttons.addButton("Clear table", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.clear_button.setToolTip("The circuit has no expected table any more")
        self.clear_button.clicked.connect(self._clear)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.error_label)
        lay.addWidget(buttons)
        self._values = {}
        if start is not None:
            X = binary_rows(len(start.inputs)).astype(int)
            for r, x in enumerate(X):
                for k, o in enumerate(start.outputs):
                    self._values[(tuple(x), o)] = format_value(start.rows[r, k])
        if len(self.inputs) > MAX_TYPED_INPUTS:
            self.tabs.setTabEnabled(TYPE_TAB, False)
            self.tabs.setCurrentIndex(EXPRESSION_TAB)
        else:
            self._rebuild_grid()
        self.resize(int(460 * style.scale()), int(520 * style.scale()))

    def _start_table(self, graph: Graph) -> TruthTable | None:
        """The present expected table over the circuit's inputs, else the circuit's present outputs."""
        if graph.expected is not None and sorted(graph.expected.inputs) == sorted(self.inputs):
            want, _ = align_expected(graph.expected, self.inputs, list(graph.expected.outputs))
            return TruthTable(self.inputs, list(graph.expected.outputs), want)
        if graph.expected is not None:
            return TruthTable.from_expected(graph.expected)
        if not self.inputs or len(self.inputs) > MAX_TYPED_INPUTS:
            return None
        try:
            table = truth_table(graph)
        except UserError:
            return TruthTable(self.inputs, [], [[] for _ in range(2 ** len(self.inputs))])
        return TruthTable(table.inputs, table.outputs, (table.rows >= 0.5).astype(float))

    def output_names(self) -> list[str]:
        return [n.strip() for n in self.outputs_edit.text().split(",") if n.strip()]

    def _rebuild_grid(self) -> None:
        """Columns: the inputs (fixed), then one editable column per output name; typed values are kept by
        name when the names change."""
        self._remember_grid()
        outs = self.output_names()
        X = binary_rows(len(self.inputs)).astype(int)
        self.grid.clear()
        self.grid.setRowCount(len(X))
        self.grid.setColumnCount(len(self.inputs) + len(outs))
        self.grid.setHorizontalHeaderLabels(self.inputs + outs)
        for r, x in enumerate(X):
            for j, v in enumerate(x):
                item = QTableWidgetItem(str(v))
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.grid.setItem(r, j, item)
            for k, o in enumerate(outs):
                self.grid.setItem(r, len(self.inputs) + k, QTableWidgetItem(self._values.get((tuple(x), o), "")))

    def _remember_grid(self) -> None:
        if self.grid.columnCount() <= len(self.inputs):
            return
        names = [self.grid.horizontalHeaderItem(c).text() for c in range(len(self.inputs), self.grid.columnCount())]
        for r in range(self.grid.rowCount()):
            x = tuple(int(self.grid.item(r, j).text()) for j in range(len(self.inputs)))
            for k, o in enumerate(names):
                item = self.grid.item(r, len(self.inputs) + k)
                self._values[(x, o)] = item.text() if item else ""

    def _typed_table(self) -> TruthTable:
        self._rebuild_grid()
        outs = self.output_names()
        if not outs:
            raise UserError("name at least one output")
        if len(set(outs)) != len(outs):
            raise UserError("two outputs have the same name")
        rows = []
        for r in range(self.grid.rowCount()):
            row = []
            for k, o in enumerate(outs):
                text = self.grid.item(r, len(self.inputs) + k).text()
                v = _number(text)
                if v is None:
                    where = ", ".join(f"{n} = {self.grid.item(r, j).text()}" for j, n in enumerate(self.inputs))
                    raise UserError(f"row {where}: {o} is {text!r}, not a number" if text.strip() else
                                    f"row {where}: type a value for {o}")
                row.append(v)
            rows.append(row)
        return TruthTable(self.inputs, outs, rows)

    def _clear(self) -> None:
        self.cleared = True
        self._result = None
        super().accept()

    def accept(self) -> None:
        try:
            tab = self.tabs.currentIndex()
            if tab == TYPE_TAB:
                self._result = self._typed_table()
            elif tab == CSV_TAB:
                self._result = parse_table(self.csv_edit.toPlainText(), source="the pasted table")
            else:
                self._result = parse_expression(self.expression_edit.toPlainText())
        except UserError as err:
            self.error_label.setText(str(err))
            return
        self.cleared = False
        super().accept()

    def table(self) -> TruthTable | None:
        return self._result


def edit_expected(document, parent=None, dialog: ExpectedTableDialog | None = None) -> bool:
    """Open the dialog for ``document`` and apply its result as one undoable edit. True when changed."""
    dialog = dialog or ExpectedTableDialog(document.graph, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    table = dialog.table()
    new = None if table is None else ExpectedTable(list(table.inputs), list(table.outputs),
                                                   [[float(v) for v in row] for row in table.rows])
    if new is None and document.graph.expected is None:
        return False
    document.push(SetSetting("expected", new))
    return True
