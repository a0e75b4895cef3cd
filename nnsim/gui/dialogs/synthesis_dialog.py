"""Build a NAND-perceptron circuit from a truth table typed in a grid, or from a boolean expression."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QSpinBox,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from nnsim.core import logic
from nnsim.core.circuit.compile import binary_rows
from nnsim.core.errors import UserError
from nnsim.core.circuit.graph import Graph
from nnsim.core.logic.truthtable import TruthTable
from nnsim.gui import style

MAX_GRID_INPUTS = 6
EXAMPLE = "s = a ^ b ^ cin\ncout = a & b | cin & (a ^ b)"


def _names(text: str, default_prefix: str, count: int) -> list[str]:
    given = [t.strip() for t in text.replace(";", ",").split(",") if t.strip()]
    names = given[:count] + [f"{default_prefix}{i}" for i in range(len(given), count)]
    return names


class SynthesisDialog(QDialog):
    """Two tabs: a grid of output cells (click to flip 0/1) and an expression. ``graph()`` synthesises it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Circuit from a truth table")
        self.resize(520, 600)
        self.tabs = QTabWidget()

        # grid
        grid_page = QWidget()
        self.n_inputs = QSpinBox()
        self.n_inputs.setRange(1, MAX_GRID_INPUTS)
        self.n_inputs.setValue(2)
        self.n_outputs = QSpinBox()
        self.n_outputs.setRange(1, 4)
        self.input_names = QLineEdit("a, b")
        self.output_names = QLineEdit("out")
        self.grid = QTableWidget()
        self.grid.cellClicked.connect(self._flip)
        self.grid.verticalHeader().setVisible(False)
        self.grid.horizontalHeader().setMinimumSectionSize(44)
        form = QFormLayout()
        form.addRow("Inputs", self.n_inputs)
        form.addRow("Input names", self.input_names)
        form.addRow("Outputs", self.n_outputs)
        form.addRow("Output names", self.output_names)
        lay = QVBoxLayout(grid_page)
        lay.addLayout(form)
        lay.addWidget(QLabel("Click an output cell to switch it between 0 and 1."))
        lay.addWidget(self.grid, 1)
        for w in (self.n_inputs, self.n_outputs):
            w.valueChanged.connect(self._rebuild_grid)
        for w in (self.input_names, self.output_names):
            w.editingFinished.connect(self._rename)
        self.tabs.addTab(grid_page, "Truth table")

        # expression
        expr_page = QWidget()
        self.expression = QPlainTextEdit(EXAMPLE)
        lay = QVBoxLayout(expr_page)
        lay.addWidget(QLabel("One output per line, name = expression. Operators: & (and), | (or), ^ (xor), "
                             "~ or ! (not), parentheses."))
        lay.addWidget(self.expression, 1)
        self.tabs.addTab(expr_page, "Expression")

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d23a2a;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Build")
        buttons.accepted.connect(self._try_accept)
        buttons.rejected.connect(self.reject)
        main = QVBoxLayout(self)
        intro = QLabel("nnsim finds a small network of NAND perceptrons that computes the table exactly "
                       "(minimised first, gates shared between outputs). It opens as a new circuit.")
        intro.setWordWrap(True)
        main.addWidget(intro)
        main.addWidget(self.tabs, 1)
        main.addWidget(self.error)
        main.addWidget(buttons)
        self._result: Graph | None = None
        self._rebuild_grid()

    # ----- grid ------------------------------------------------------------------------------------
    def _rebuild_grid(self) -> None:
        n, k = self.n_inputs.value(), self.n_outputs.value()
        old = self.outputs_array() if self.grid.rowCount() else None
        ins = _names(self.input_names.text(), "x", n)
        outs = _names(self.output_names.text(), "y", k)
        self.grid.clear()
        self.grid.setRowCount(2 ** n)
        self.grid.setColumnCount(n + k)
        self.grid.setHorizontalHeaderLabels(ins + outs)
        X = binary_rows(n)
        for r in range(2 ** n):
            for c in range(n):
                item = QTableWidgetItem(str(int(X[r, c])))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.grid.setItem(r, c, item)
            for j in range(k):
                v = int(old[r, j]) if old is not None and r < old.shape[0] and j < old.shape[1] else 0
                item = QTableWidgetItem(str(v))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip("click to switch between 0 and 1")
                self._style_cell(item)
                self.grid.setItem(r, n + j, item)
        self.grid.resizeColumnsToContents()

    def _rename(self) -> None:
        n, k = self.n_inputs.value(), self.n_outputs.value()
        self.grid.setHorizontalHeaderLabels(_names(self.input_names.text(), "x", n)
                                            + _names(self.output_names.text(), "y", k))

    def _flip(self, row: int, col: int) -> None:
        if col < self.n_inputs.value():
            return
        item = self.grid.item(row, col)
        item.setText("0" if item.text() == "1" else "1")
        self._style_cell(item)

    def _style_cell(self, item: QTableWidgetItem) -> None:
        """Output cells that are 1 stand out, so the table reads at a glance."""
        font = item.font()
        font.setBold(item.text() == "1")
        item.setFont(font)
        item.setBackground(style.theme().on_fill if item.text() == "1" else style.theme().node_fill)
        item.setForeground(style.theme().on_text if item.text() == "1" else style.theme().text)

    def outputs_array(self) -> np.ndarray:
        n = self.grid.columnCount() - self.n_outputs.value() if self.grid.columnCount() else self.n_inputs.value()
        k = self.grid.columnCount() - n
        return np.array([[int(self.grid.item(r, n + j).text()) for j in range(k)]
                         for r in range(self.grid.rowCount())], dtype=np.int64).reshape(self.grid.rowCount(), k)

    def table(self) -> TruthTable:
        """The table on the current tab (``UserError`` for a bad expression)."""
        if self.tabs.currentIndex() == 1:
            return logic.parse_expression(self.expression.toPlainText())
        n, k = self.n_inputs.value(), self.n_outputs.value()
        ins, outs = _names(self.input_names.text(), "x", n), _names(self.output_names.text(), "y", k)
        if len(set(ins + outs)) != n + k:
            raise UserError("every input and output needs a different name")
        return TruthTable(ins, outs, self.outputs_array())

    # ----- result ----------------------------------------------------------------------------------
    def graph(self) -> Graph:
        """The synthesised circuit (``UserError`` when the table or expression is wrong)."""
        return logic.synthesize(self.table())

    def _try_accept(self) -> None:
        try:
            self._result = self.graph()
        except UserError as err:
            self.error.setText(str(err))
            return
        self.accept()

    def result_graph(self) -> Graph | None:
        return self._result
