"""Build an n-bit ripple-carry adder from NAND perceptrons (1–16 bits on the canvas)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout

from nnsim.core import logic
from nnsim.core.circuit.graph import Graph

MAX_CANVAS_BITS = 16


class AdderDialog(QDialog):
    """Choose the number of bits (and a carry in); ``graph()`` builds the adder."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Build an n-bit adder")
        self.bits = QSpinBox()
        self.bits.setRange(1, MAX_CANVAS_BITS)
        self.bits.setValue(4)
        self.carry_in = QCheckBox("with a carry input (cin)")
        self.info = QLabel()
        self.info.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Bits", self.bits)
        form.addRow("", self.carry_in)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Build")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        intro = QLabel("A ripple-carry adder made only of NAND perceptrons (w = −2, −2, b = 3): a half or full "
                       "adder per bit, the carry rippling from bit 0 upwards. It opens as a new circuit.")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.info)
        lay.addWidget(buttons)
        self.bits.valueChanged.connect(self._update_info)
        self.carry_in.toggled.connect(self._update_info)
        self._update_info()

    def _update_info(self) -> None:
        n = self.bits.value()
        neurons = 5 + 9 * (n - 1) if not self.carry_in.isChecked() else 9 * n
        inputs = 2 * n + self.carry_in.isChecked()
        self.info.setText(f"{inputs} inputs, {neurons} perceptrons, outputs carry and s{n - 1} … s0. "
                          f"Click the inputs to add two numbers up to {2 ** n - 1}.")

    def graph(self) -> Graph:
        return logic.adder(self.bits.value(), carry_in=self.carry_in.isChecked())
