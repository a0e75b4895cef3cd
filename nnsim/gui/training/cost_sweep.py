"""Why a smooth cost: one weight of the current network swept, the quadratic cost above, the number of
correct test images below (the book, section 1.6). The cost glides; the count moves in whole steps or not
at all, so a small change of a weight tells gradient descent nothing through the count.

The sweep (:func:`nnsim.core.learning.smooth.weight_sweep`) runs in this view's own worker thread on a copy
of the network, so it never waits for a training run and never blocks the GUI.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout,
                               QWidget)

import pyqtgraph as pg

from nnsim.gui import style
from nnsim.gui.training import look
from nnsim.gui.worker import TaskRunner


def sweep_task(net, data_path, layer, j, k, span, points, images):
    """A task: the weight sweep of ``net`` (a copy) on the first ``images`` test images; returns it."""
    from nnsim.core.learning.smooth import weight_sweep
    from nnsim.io.datacache import load_data

    def task(stop):
        X, y = load_data(data_path).compact("test")
        X, y = X[:images], y[:images]
        start = float(net.weights[layer - 2][j, k] if k is not None else net.biases[layer - 2][j])
        return weight_sweep(net, X, y, layer, j, k, np.linspace(start - span, start + span, points))

    return task


class CostSweepView(QWidget):
    """Controls (layer l, neuron j, input k or the bias, ± range) and two plots sharing the x axis."""

    def __init__(self, parent=None):
        super().__init__(parent)
        t = style.theme()
        self.runner = TaskRunner(self)
        self.runner.sigReturned.connect(self._show)
        self.runner.sigErrored.connect(lambda message, details: self.note.setText(message))
        self.network = None
        self.data_path = None
        self.sweep = None
        self.layer, self.neuron, self.source = QSpinBox(), QSpinBox(), QSpinBox()
        self.layer.setPrefix("layer ")
        self.neuron.setPrefix("neuron j ")
        self.source.setPrefix("from k ")
        self.source.setSpecialValueText("the bias")
        self.source.setMinimum(-1)
        self.source.setToolTip("The neuron of the layer before whose weight w_jk is swept (the lowest "
                               "value: the bias b_j)")
        self.span = QDoubleSpinBox()
        self.span.setPrefix("± ")
        self.span.setRange(0.01, 100.0)
        self.span.setValue(1.0)
        self.button = QPushButton("Sweep")
        self.button.setToolTip("Set the weight to 41 values around its own and measure the cost and the number "
                               "of correct test images for each")
        self.button.clicked.connect(lambda: self.start())  # not start(checked)
        self.layer.valueChanged.connect(self._limit_indices)
        row = QHBoxLayout()
        for w in (self.layer, self.neuron, self.source, self.span, self.button):
            row.addWidget(w)
        row.addStretch(1)
        self.note = QLabel("Train or load a network, pick one of its weights and press Sweep: the quadratic "
                           "cost glides while the number of test images read right moves in steps.")
        self.note.setWordWrap(True)
        self.plots = pg.GraphicsLayoutWidget()
        self.plots.setBackground(t.background)
        self.cost_plot = self.plots.addPlot(row=0, col=0)
        self.count_plot = self.plots.addPlot(row=1, col=0)
        self.count_plot.setXLink(self.cost_plot)
        for plot, label in ((self.cost_plot, "quadratic cost"), (self.count_plot, "correct")):
            plot.showGrid(x=True, y=True, alpha=0.25)
            plot.setMenuEnabled(False)
            plot.setLabel("left", label, color=t.text.name())
            for name in ("left", "bottom"):
                plot.getAxis(name).setTextPen(t.text)
                plot.getAxis(name).setPen(t.muted)
                plot.getAxis(name).enableAutoSIPrefix(False)  # a cost of 0.08, not 80 (×0.001)
        colour = look.run_colour(1)
        self.cost_curve = self.cost_plot.plot(pen=pg.mkPen(colour, width=look.CURVE_WIDTH))
        self.count_curve = self.count_plot.plot(pen=pg.mkPen(look.run_colour(2), width=look.CURVE_WIDTH),
                                                stepMode="center")
        self.now = [pg.InfiniteLine(angle=90, pen=pg.mkPen(t.muted, style=Qt.PenStyle.DashLine))
                    for _ in range(2)]
        self.cost_plot.addItem(self.now[0])
        self.count_plot.addItem(self.now[1])
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(self.plots, 1)
        self.set_network(None)

    def set_network(self, net, data_path=None) -> None:
        """The network whose weights are swept (None: none yet) and its data set."""
        self.network, self.data_path = net, data_path
        self.button.setEnabled(net is not None)
        self.layer.setRange(2, max(2, net.num_layers if net is not None else 2))
        if net is not None:
            self.layer.setValue(net.num_layers)  # the weights into the outputs: each one matters
        self._limit_indices()

    def _limit_indices(self):
        net, layer = self.network, self.layer.value()
        if net is None:
            return
        self.neuron.setRange(0, net.sizes[layer - 1] - 1)
        self.source.setRange(-1, net.sizes[layer - 2] - 1)
        self.cost_plot.setLabel("bottom", self._name(), color=style.theme().text.name())

    def _name(self) -> str:
        l, j, k = self.layer.value(), self.neuron.value(), self.source.value()
        return f"b^{l}_{j}" if k < 0 else f"w^{l}_{j},{k}"

    @Slot()
    def start(self, points: int = 41, images: int = 10_000) -> None:
        """Sweep the chosen weight (in this view's worker; a newer request replaces an older one)."""
        if self.network is None:
            return
        k = self.source.value()
        self.note.setText(f"Sweeping {self._name()}…")
        self.runner.submit(sweep_task(self.network.copy(), self.data_path, self.layer.value(),
                                      self.neuron.value(), None if k < 0 else k, self.span.value(), points,
                                      images))

    @Slot(object)
    def _show(self, sweep) -> None:
        self.sweep = sweep
        x = sweep.values
        self.cost_curve.setData(x, sweep.cost)
        edges = np.concatenate([[x[0] - (x[1] - x[0]) / 2], (x[:-1] + x[1:]) / 2,
                                [x[-1] + (x[-1] - x[-2]) / 2]])
        self.count_curve.setData(edges, sweep.correct.astype(float))
        for line in self.now:
            line.setValue(sweep.start)
        self.cost_plot.setLabel("bottom", sweep.name, color=style.theme().text.name())
        moves = int(np.count_nonzero(np.diff(sweep.correct)))
        glides = int(np.count_nonzero(np.diff(sweep.cost)))
        self.note.setText(f"{sweep.name} from {x[0]:.3g} to {x[-1]:.3g} (dashed: its value now) on "
                          f"{sweep.total:,} test images: between neighbouring values the cost changes "
                          f"{glides} times of {len(x) - 1}, the number correct {moves} times, and only by "
                          "whole images.")

    def shutdown(self) -> None:
        self.runner.shutdown()
