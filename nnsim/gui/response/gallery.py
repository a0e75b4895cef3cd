"""The activation gallery: step, sigmoid, tanh, ReLU and softplus with their derivatives, side by side —
the book's question of which activations keep "a small change in, a small change out"."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from nnsim.core import activations
from nnsim.gui import style
from nnsim.gui.response.plotting import make_plot, pen

#: What each activation does to a small change (shown under its plot).
VERDICTS = {
    "step": "f′ = 0: a small Δz does nothing — or flips the output. No learning signal.",
    "sigmoid": "smooth: Δa ≈ f′(z)·Δz everywhere. Small change in, small change out.",
    "tanh": "smooth like σ, but from −1 to 1 (a rescaled σ).",
    "relu": "small change, small change for z ≠ 0; a kink at 0, and f′ = 0 for z < 0.",
    "softplus": "a smooth ReLU: f′ = σ(z), never 0.",
}


class ActivationGallery(QWidget):
    """One small plot per activation in ``style.GALLERY_ACTIVATIONS``: f(z) solid, f′(z) dashed; the sigmoid
    uses the document's base β and follows it."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self._z = np.linspace(-4, 4, 401)
        self.curves = {}
        self.plots = {}
        grid = QGridLayout()
        for i, name in enumerate(style.GALLERY_ACTIVATIONS):
            act = activations.get(name)
            plot = make_plot()
            # five in a row: a title in the axis font fits the plot's width ("Perceptron (step)" did not)
            plot.getPlotItem().setTitle(act.title, color=style.theme().text.name(),
                                        size=f"{style.RESPONSE_PLOT_FONT_PT * style.scale():.0f}pt")
            plot.setMinimumSize(130, 100)
            item = plot.getPlotItem()
            item.setMouseEnabled(False, False)
            f = item.plot([], [], pen=pen(style.response_colour("as_is"), 3), antialias=True)
            df = item.plot([], [], pen=pen(style.RESPONSE_DERIVATIVE_COLOUR, 2, dashed=True), antialias=True)
            item.setXRange(-4, 4, padding=0.02)
            item.setYRange(-1.1, 2.1, padding=0)
            self.curves[name] = (f, df)
            self.plots[name] = plot
            caption = QLabel(VERDICTS[name])
            caption.setWordWrap(True)
            caption.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
            caption.setMinimumHeight(3 * caption.fontMetrics().lineSpacing())  # the plots line up
            cell = QVBoxLayout()
            cell.addWidget(plot, 1)
            cell.addWidget(caption)
            grid.addLayout(cell, 0, i)  # one row: the lab sits in a wide, short dock
        for col in range(len(style.GALLERY_ACTIVATIONS)):
            grid.setColumnStretch(col, 1)
        legend = QLabel(f"<span style='color:{style.response_colour('as_is')}'><b>━ f(z)</b></span>"
                        f"&nbsp;&nbsp;<span style='color:{style.RESPONSE_DERIVATIVE_COLOUR}'><b>╍ f′(z)</b></span>"
                        "&nbsp;&nbsp;Which activations keep a small change in a weight a small change in the output?")
        legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(legend)
        layout.addLayout(grid, 1)
        document.graph.graph_changed.connect(self._on_setting)
        document.sigReplaced.connect(self.refresh)
        self.refresh()

    def _on_setting(self, name) -> None:
        if name == "sigmoid_base":
            self.refresh()

    def refresh(self) -> None:
        base = float(self.document.graph.sigmoid_base)
        for name, (f, df) in self.curves.items():
            act = activations.get(name)
            f.setData(self._z, act(self._z, base))
            df.setData(self._z, act.prime(self._z, base))
