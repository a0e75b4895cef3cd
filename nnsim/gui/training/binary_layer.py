"""The book's exercise (section 1.4): a hand-set layer of 4 neurons on top of the 10 outputs writes the
network's answer in binary. Its weights are shown, and editable, as a 4 × 10 table (plus the biases);
*Score* puts the layer on the current network and counts, on the test images, the 4-bit answers that are
right and those that agree with the one-hot answer.

The scoring runs in this view's own worker thread on a copy of the network.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QAbstractItemView, QDoubleSpinBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from nnsim.core.learning import encodings
from nnsim.core.learning.metrics import percent
from nnsim.gui.worker import TaskRunner

BIT_NAMES = ["bit 8", "bit 4", "bit 2", "bit 1"]


def score_task(net, layer, data_path):
    """A task: ``(right, agree, total)`` of ``net`` (a copy) with ``layer`` on top, on the test images."""
    from nnsim.io.datacache import load_data

    def task(stop):
        X, y = load_data(data_path).compact("test")
        right, agree = net.binary_readout(X, y, layer=layer)
        return right, agree, len(y)

    return task


class BinaryLayerView(QWidget):
    """The 4 × 10 weights (rows: bits, most significant first; columns: the one-hot outputs 0–9) and the
    biases, the book's strength, and the score of the layer on the current network."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.runner = TaskRunner(self)
        self.runner.sigReturned.connect(self._show)
        self.runner.sigErrored.connect(lambda message, details: self.result.setText(message))
        self.network = None
        self.data_path = None
        self.score = None
        self.table = QTableWidget(encodings.BITS, 11)
        self.table.setHorizontalHeaderLabels([str(d) for d in range(10)] + ["bias"])
        self.table.setVerticalHeaderLabels(BIT_NAMES)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setToolTip("Weight from one-hot output d (column) to bit neuron j (row); double-click to edit")
        self.strength = QDoubleSpinBox()
        self.strength.setRange(0.1, 100.0)
        self.strength.setValue(10.0)
        self.strength.setPrefix("strength ")
        self.reset_button = QPushButton("The book's layer")
        self.reset_button.setToolTip("+strength where digit d has bit j set, −strength where not; biases 0")
        self.reset_button.clicked.connect(lambda: self.set_layer(*encodings.binary_layer(self.strength.value())))
        self.score_button = QPushButton("Score")
        self.score_button.setToolTip("Put this layer on the current network and read the test images")
        self.score_button.clicked.connect(lambda: self.start())
        row = QHBoxLayout()
        for w in (self.strength, self.reset_button, self.score_button):
            row.addWidget(w)
        row.addStretch(1)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        intro = QLabel("The book's exercise: 4 sigmoid neurons on top of the 10 outputs write the answer in "
                       "binary (7 → 0111). If the right output is above 0.99 and the others below 0.01, each "
                       "bit neuron's z is beyond ±0.9·strength.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result)
        self.set_layer(*encodings.binary_layer(self.strength.value()))
        self.set_network(None)

    def set_layer(self, weights, biases) -> None:
        """Show ``weights`` (4, 10) and ``biases`` (4,) in the table."""
        for j in range(encodings.BITS):
            for d in range(10):
                self.table.setItem(j, d, QTableWidgetItem(f"{weights[j][d]:g}"))
            self.table.setItem(j, 10, QTableWidgetItem(f"{biases[j]:g}"))

    def layer(self) -> tuple[np.ndarray, np.ndarray]:
        """The table as ``(weights (4, 10), biases (4,))``; ValueError naming a cell that is not a number."""
        values = np.zeros((encodings.BITS, 11))
        for j in range(encodings.BITS):
            for c in range(11):
                item = self.table.item(j, c)
                text = "" if item is None else item.text().strip()
                try:
                    values[j, c] = float(text)
                except ValueError:
                    raise ValueError(f"{BIT_NAMES[j]}, {'bias' if c == 10 else f'output {c}'}: "
                                     f"{text!r} is not a number") from None
                if not np.isfinite(values[j, c]):
                    raise ValueError(f"{BIT_NAMES[j]}, {'bias' if c == 10 else f'output {c}'}: not finite")
        return values[:, :10], values[:, 10]

    def set_network(self, net, data_path=None) -> None:
        self.network, self.data_path = net, data_path
        usable = net is not None and net.encoding == "onehot" and net.sizes[-1] == 10
        self.score_button.setEnabled(usable)
        if net is None:
            self.result.setText("Train or load a one-hot network, then press Score.")
        elif not usable:
            self.result.setText("The layer goes on top of a network with 10 one-hot outputs.")

    @Slot()
    def start(self) -> None:
        """Score the table's layer on the current network (in this view's worker)."""
        if self.network is None or not self.score_button.isEnabled():
            return
        try:
            layer = self.layer()
        except ValueError as err:
            self.result.setText(str(err))
            return
        self.result.setText("Reading the test images…")
        self.runner.submit(score_task(self.network.copy(), layer, self.data_path))

    @Slot(object)
    def _show(self, score) -> None:
        self.score = score
        right, agree, total = score
        self.result.setText(f"With this layer the 4-bit answers are right for {right:,} / {total:,} test images "
                            f"({percent(right, total):.2f} %); they agree with the one-hot answer (the "
                            f"largest output) on {agree:,} ({percent(agree, total):.2f} %).")

    def shutdown(self) -> None:
        self.runner.shutdown()
