"""The learning curve: test and training accuracy against the number of training images (log scale).

The book's moral "sometimes good data beats a clever algorithm": the same network trained on more images
reads more test images right, and the gap between training and test accuracy (what it only remembers)
shrinks. The page's *Learning curve* button trains one run per training-set size together and feeds this
plot after every epoch.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

import pyqtgraph as pg

from nnsim.gui import style
from nnsim.gui.training import look


class LearningCurvePlot(QWidget):
    """Accuracy (%) against training images: ``set_points(sizes, test_pct, training_pct, epoch)``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        t = style.theme()
        self.note = QLabel("Press “Learning curve” (Compare runs) to train one network per training-set size "
                           "together; each point is that network's accuracy after its latest epoch.")
        self.note.setWordWrap(True)
        self.plot = pg.PlotWidget(background=t.background)
        item = self.plot.getPlotItem()
        item.setLogMode(x=True, y=False)
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setMenuEnabled(False)
        item.setLabel("bottom", "training images", color=t.text.name())
        item.setLabel("left", "accuracy (%)", color=t.text.name())
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setTextPen(t.text)
            axis.setPen(t.muted)
            axis.setTickFont(style.font(look.AXIS_FONT_PT))
        legend = item.addLegend(offset=(-10, -10), labelTextColor=t.text)  # bottom right: below the curves
        colour = look.run_colour(1)
        self.test = item.plot(pen=pg.mkPen(colour, width=look.CURVE_WIDTH, style=Qt.PenStyle.DashLine),
                              symbol="s", symbolSize=look.SYMBOL_SIZE, symbolBrush=colour, symbolPen="w",
                              name="test images")
        self.training = item.plot(pen=pg.mkPen(colour, width=look.BATCH_CURVE_WIDTH, style=Qt.PenStyle.DotLine),
                                  symbol="t", symbolSize=look.SYMBOL_SIZE, symbolBrush=colour, symbolPen="w",
                                  name="training images")
        self.legend = legend
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.plot, 1)
        self.sizes: list[int] = []
        self.test_pct: list[float] = []
        self.training_pct: list[float] = []

    def set_points(self, sizes, test_pct, training_pct, epoch: int | None = None) -> None:
        """One point per training-set size (sorted by size); NaN where a run has no epoch yet."""
        order = np.argsort(np.asarray(sizes, float))
        self.sizes = [int(sizes[i]) for i in order]
        self.test_pct = [float(test_pct[i]) for i in order]
        self.training_pct = [float(training_pct[i]) for i in order]
        x = np.asarray(self.sizes, float)
        # ticks at the sizes trained (the log axis's own minor labels crowd each other)
        self.plot.getPlotItem().getAxis("bottom").setTicks(
            [[(math.log10(n), f"{n:,}") for n in self.sizes], []] if self.sizes else None)
        self.test.setData(x, np.asarray(self.test_pct, float))
        self.training.setData(x, np.asarray(self.training_pct, float))
        shown = [(n, t) for n, t in zip(self.sizes, self.test_pct) if not math.isnan(t)]
        if shown:
            text = ", ".join(f"{n:,}: {t:.1f} %" for n, t in shown)
            when = "" if epoch is None else f" (latest epochs, up to {epoch})"
            self.note.setText(f"Test accuracy by training images{when}: {text}. The dotted line is the "
                              "accuracy on the training images themselves; the gap is what the network "
                              "only remembers.")

    def clear(self) -> None:
        self.set_points([], [], [])
