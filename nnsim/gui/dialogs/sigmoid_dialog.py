"""Convert a perceptron network to sigmoid neurons with every weight and bias multiplied by c.

The dialog shows the book's point: over the whole truth table the smallest |z| (the margin), the smallest c
from which every output rounds to the perceptron's answer, and the rows where some z = 0 exactly (there a
sigmoid gives ½ at every c and cannot imitate the step)."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel,
                               QPushButton, QVBoxLayout)

from nnsim.core import logic
from nnsim.core.circuit.graph import Graph
from nnsim.gui import style


class SigmoidDialog(QDialog):
    """For ``graph`` (not changed): choose c; ``converted()`` returns the sigmoid copy."""

    def __init__(self, graph: Graph, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Convert to sigmoid neurons")
        self.source = graph
        self.report = logic.scale_report(graph)
        self.scale = QDoubleSpinBox()
        self.scale.setDecimals(3)
        self.scale.setRange(0.001, 1e6)
        self.scale.setValue(max(1.0, round((self.report.min_scale or 1.0) * 1.5, 3)))
        self.use_min = QPushButton("Use the smallest working c")
        self.use_min.setEnabled(bool(self.report.min_scale))
        self.use_min.clicked.connect(lambda: self.scale.setValue(self.report.min_scale * 1.001))
        row = QHBoxLayout()
        row.addWidget(self.scale, 1)
        row.addWidget(self.use_min)
        self.summary = QLabel(self._summary())
        self.summary.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Scale c", row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Convert")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.scale.valueChanged.connect(self._update_preview)
        intro = QLabel("Every perceptron becomes a sigmoid neuron σ(c·(w·x + b)). As c grows, σ(c·z) approaches "
                       "the step wherever z ≠ 0. The circuit is replaced (Undo restores it).")
        intro.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.summary)
        lay.addLayout(form)
        lay.addWidget(self.preview)
        lay.addStretch(1)  # spare height goes below the text, not into a gap in the middle
        lay.addWidget(buttons)
        self._update_preview()
        self.resize(520, self.sizeHint().height())

    def _summary(self) -> str:
        r = self.report
        rows = "all" if r.exhaustive else "a sample of"
        lines = [f"Checked {rows} {len(r.rows)} input rows.",
                 f"Smallest |z| of any perceptron (the margin): {style.format_number(r.margin)}."]
        if r.min_scale is None:
            lines.append("No c works: some z is exactly 0, where a sigmoid gives ½ at every c.")
        elif r.min_scale == 0:
            lines.append("Every c > 0 works.")
        else:
            lines.append(f"Every output rounds to the perceptron's answer from c ≈ {r.min_scale:.4g}.")
        if r.zero_rows:
            shown = ", ".join("".join(str(v) for v in row) for row in r.zero_row_inputs()[:8])
            more = "…" if len(r.zero_rows) > 8 else ""
            lines.append(f"z = 0 exactly on input rows {shown}{more} (neurons {', '.join(r.zero_neurons[:6])}).")
        return "\n".join(lines)

    def _update_preview(self) -> None:
        c = self.scale.value()
        err = float(logic.sigmoid_error(self.source, [c], self.report.rows)[0])
        verdict = ("every output still rounds to the perceptron's answer" if err < 0.5 else
                   "some outputs no longer round to the perceptron's answer")
        self.preview.setText(f"At c = {c:g} the largest difference from the perceptron outputs is {err:.3g}: "
                             f"{verdict}.")

    def converted(self) -> Graph:
        return logic.to_sigmoid(self.source, self.scale.value())
