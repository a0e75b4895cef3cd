"""Inside the network: hidden units as 28×28 weight images, the confusion matrix, misclassified test
images and per-class accuracy — all drawn from an :class:`~nnsim.gui.training.tasks.Analysis` (copies
made in the worker, never the arrays being trained)."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPixmap
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QScrollArea,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

import pyqtgraph as pg

from nnsim.gui import style
from nnsim.gui.training import look
from nnsim.gui.training.digit_pad import gray_image


def mosaic(weights: np.ndarray, columns: int | None = None, gap: int = 2, aspect: float = 1.6) -> np.ndarray:
    """Tile (n, 784) incoming weights as 28×28 images: a (rows·30, cols·30) array with NaN gaps.

    ``columns`` defaults to what fills a view ``aspect`` times wider than tall. Each unit is scaled by its
    own largest |w|, so every image uses the whole colour range and 0 stays the middle colour (−1 … +1)."""
    n = weights.shape[0]
    columns = columns or min(n, max(1, math.ceil(math.sqrt(n * aspect))))
    rows = math.ceil(n / columns)
    cell = 28 + gap
    out = np.full((rows * cell - gap, columns * cell - gap), np.nan, dtype=np.float32)
    scale = np.abs(weights).max(axis=1)
    scale[scale == 0] = 1.0
    for i in range(n):
        r, c = divmod(i, columns)
        out[r * cell:r * cell + 28, c * cell:c * cell + 28] = (weights[i] / scale[i]).reshape(28, 28)
    return out


class _HiddenUnits(QWidget):
    def __init__(self):
        super().__init__()
        t = style.theme()
        self._title = QLabel("Train a network to see what its hidden neurons look for.")
        self._title.setWordWrap(True)
        self.mode = QComboBox()
        self.mode.addItem("what training changed (w − w at the start)", "change")
        self.mode.addItem("the weights themselves", "weights")
        self.mode.setToolTip("The weights start as random noise; the change since the start shows what "
                             "each neuron learned to look for. Border pixels are never inked, so their "
                             "weights never change.")
        self.mode.currentIndexChanged.connect(self._redraw)
        self._weights = None
        self._start = None
        self._caption = ""
        self.outputs = False  # True when the first layer is the output layer
        self._view = pg.GraphicsLayoutWidget()
        self._view.setBackground(t.background)
        vb = self._view.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
        vb.setMenuEnabled(False)
        self._image = pg.ImageItem()
        cmap = pg.ColorMap([0.0, 0.5, 1.0], look.HIDDEN_COLOURMAP)
        self._image.setColorMap(cmap)
        vb.addItem(self._image)
        self._vb = vb
        row = QHBoxLayout()
        row.addWidget(QLabel("Show:"))
        row.addWidget(self.mode)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addLayout(row)
        layout.addWidget(self._view, 1)

    def show_weights(self, weights: np.ndarray, caption: str, start: np.ndarray | None = None):
        """Show (n_hidden, 784) incoming weights; ``start`` (same shape) allows the "change" view."""
        self._weights, self._start, self._caption = weights, start, caption
        self._redraw()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._redraw()  # re-tile to the new shape (cheap: one small image)

    def shown(self) -> np.ndarray | None:
        """The (n_hidden, 784) array on screen (weights, or their change since the start)."""
        if self._weights is None:
            return None
        if self.mode.currentData() == "change" and self._start is not None:
            return self._weights - self._start
        return self._weights

    def _redraw(self):
        shown = self.shown()
        if shown is None:
            return
        size = self._view.size()
        aspect = max(0.5, min(4.0, size.width() / max(1, size.height())))
        tiles = np.nan_to_num(mosaic(shown, aspect=aspect), nan=0.0)
        self._image.setImage(tiles.T, levels=(-1.0, 1.0))  # ImageItem takes (x, y)
        self._vb.autoRange(padding=0.01)
        what = ("change of the incoming weights since training began"
                if shown is not self._weights else "incoming weights")
        layer = "output neurons (this network has no hidden layer)" if self.outputs else "hidden neurons"
        self._title.setText(
            f"The {what} of each of the {shown.shape[0]} {layer} as a 28×28 image "
            f"({self._caption}). Red: ink there excites the neuron; blue: it inhibits it.")


class _Confusion(QTableWidget):
    def __init__(self):
        super().__init__(10, 10)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setHorizontalHeaderLabels([f"says {d}" for d in range(10)])
        self.setVerticalHeaderLabels([f"true {d}" for d in range(10)])
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setToolTip("Rows: the true digit. Columns: the network's answer. The diagonal is right; "
                        "every other cell counts one kind of mistake.")
        self.setFont(style.font(11))
        self.matrix = np.zeros((10, 10), dtype=int)

    def show_matrix(self, matrix: np.ndarray):
        self.matrix = np.asarray(matrix, dtype=int)
        n = self.matrix.shape[0]
        self.setRowCount(n)
        self.setColumnCount(n)
        off = self.matrix.copy()
        np.fill_diagonal(off, 0)
        worst = max(int(off.max()), 1)
        for i in range(n):
            for j in range(n):
                value = int(self.matrix[i, j])
                item = self.item(i, j)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    self.setItem(i, j, item)
                item.setText(str(value))
                if i == j:
                    colour = QColor(look.RUN_COLOURS[2])
                    colour.setAlpha(90)
                elif value:
                    colour = QColor(look.RUN_COLOURS[1])
                    colour.setAlpha(int(30 + 200 * value / worst))
                else:
                    colour = QColor(0, 0, 0, 0)
                item.setBackground(QBrush(colour))


class _Mistakes(QScrollArea):
    COLUMNS = 8

    def __init__(self):
        super().__init__()
        self.setWidgetResizable(True)
        self._inner = QWidget()
        self._grid = QGridLayout(self._inner)
        self.setWidget(self._inner)
        self._head = QLabel("Train or evaluate a network to see the test images it gets wrong.")
        self._head.setWordWrap(True)
        self._grid.addWidget(self._head, 0, 0, 1, self.COLUMNS)
        self._cells: list[tuple[QLabel, QLabel]] = []
        for k in range(look.GALLERY_COUNT):
            picture = QLabel()
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption = QLabel()
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption.setFont(style.font(12, bold=True))
            r, c = divmod(k, self.COLUMNS)
            self._grid.addWidget(picture, 1 + 2 * r, c)
            self._grid.addWidget(caption, 2 + 2 * r, c)
            self._cells.append((picture, caption))
        self._grid.setRowStretch(1 + 2 * math.ceil(look.GALLERY_COUNT / self.COLUMNS), 1)
        self.count = 0

    def show_mistakes(self, images, true, predicted, total_wrong):
        self.count = min(len(true), len(self._cells))
        if self.count:
            self._head.setText(f"{total_wrong:,} test images are misclassified; here are the first "
                               f"{self.count}. Caption: true digit → the network's answer.")
        else:
            self._head.setText("No misclassified test images to show.")
        for k, (picture, caption) in enumerate(self._cells):
            if k < self.count:
                picture.setPixmap(QPixmap.fromImage(gray_image(images[k].reshape(28, 28), scale=3)))
                caption.setText(f"{int(true[k])} → {int(predicted[k])}")
            else:
                picture.clear()
                caption.clear()
            picture.setVisible(k < self.count)
            caption.setVisible(k < self.count)


class _PerClass(pg.PlotWidget):
    def __init__(self):
        super().__init__()
        t = style.theme()
        self.setBackground(t.background)
        self.setMenuEnabled(False)
        self.setMouseEnabled(False, False)
        self.hideButtons()
        plot = self.getPlotItem()
        plot.setTitle("Accuracy per digit on the test set", color=t.text.name(), size=look.TITLE_SIZE)
        plot.setLabel("left", "correct (%)", color=t.text.name())
        plot.setLabel("bottom", "true digit", color=t.text.name())
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setTextPen(t.text)
            axis.setPen(t.muted)
            axis.setTickFont(style.font(look.AXIS_FONT_PT))
        plot.getAxis("bottom").setTicks([[(d, str(d)) for d in range(10)]])
        self._bars = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7,
                                     brush=look.RUN_COLOURS[0])
        plot.addItem(self._bars)
        self._texts = []
        for d in range(10):
            text = pg.TextItem(color=t.text, anchor=(0.5, 1))
            text.setFont(style.font(10))
            plot.addItem(text)
            self._texts.append(text)
        self.values = np.zeros(10)

    def show_accuracy(self, pct: np.ndarray):
        self.values = np.asarray(pct, dtype=float)
        n = len(self.values)
        self._bars.setOpts(x=np.arange(n), height=self.values)
        low = float(np.nanmin(self.values)) if n else 0.0
        bottom = max(0.0, math.floor(low / 5.0) * 5.0 - 5.0)
        for d, text in enumerate(self._texts):
            if d < n:
                text.setText(f"{self.values[d]:.1f}")
                text.setPos(d, self.values[d])
        self.getPlotItem().setYRange(bottom, 106, padding=0)


class InsideNetwork(QTabWidget):
    """Tabs looking inside the current network; :meth:`show_analysis` refreshes them all."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.hidden = _HiddenUnits()
        self.confusion = _Confusion()
        self.mistakes = _Mistakes()
        self.per_class = _PerClass()
        self.addTab(self.hidden, "Hidden neurons")
        self.addTab(self.confusion, "Confusion matrix")
        self.addTab(self.mistakes, "Mistakes")
        self.addTab(self.per_class, "Per digit")
        self.analysis = None
        self._shown: dict = {}  # view -> the analysis it shows; only the visible view is redrawn
        self.currentChanged.connect(lambda index: self._refresh_current())

    def show_analysis(self, analysis):
        """Show an ``Analysis`` (hidden weights, confusion, mistakes, per-class accuracy).

        Only the visible tab is redrawn now; the others catch up when they are shown, so a training
        run pays for one view per epoch, not four."""
        self.analysis = analysis
        self._refresh_current()

    def _refresh_current(self):
        self._refresh(self.currentWidget())

    def _refresh(self, view):
        analysis = self.analysis
        if analysis is None or self._shown.get(view) is analysis:
            return
        if view is self.hidden and analysis.hidden_weights is not None:
            self.hidden.outputs = len(analysis.network.sizes) == 2
            self.hidden.show_weights(analysis.hidden_weights, analysis.caption, analysis.hidden_start)
        elif view is self.confusion:
            self.confusion.show_matrix(analysis.confusion)
        elif view is self.mistakes:
            self.mistakes.show_mistakes(analysis.mistake_images, analysis.mistake_true,
                                        analysis.mistake_predicted, analysis.total_wrong)
        elif view is self.per_class:
            self.per_class.show_accuracy(analysis.per_class_pct)
        else:
            return
        self._shown[view] = analysis

    def clear(self):
        self.analysis = None
        self._shown.clear()
        self.confusion.show_matrix(np.zeros((10, 10), dtype=int))
        self.mistakes.show_mistakes(np.zeros((0, 784)), [], [], 0)
        self.per_class.show_accuracy(np.zeros(10))
