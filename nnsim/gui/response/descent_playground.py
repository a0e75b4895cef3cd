"""Gradient descent playground: a cost C(v1, v2) as a coloured image with contours; click to set the start,
choose η and the number of steps, and watch the path. Per step, ΔC is plotted against the book's ∇C·Δv;
noise from mini-batches of a small seeded data set compares batch, mini-batch and online descent."""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QSpinBox, QSplitter, QVBoxLayout, QWidget)

import pyqtgraph as pg

from nnsim.core.learning.descent import COSTS, descend, get_cost, make_dataset
from nnsim.core.errors import UserError
from nnsim.gui import style
from nnsim.gui.response.plotting import error_style, make_plot, pen, set_title

def pretty_cost(text: str) -> str:
    """A cost as the menus write it: ``v1^2`` → ``v1²``, ``*`` → ``·``, ``-`` → ``−`` (typed costs keep ^)."""
    text = re.sub(r"\^2(?![0-9.])", "²", text).replace("*", "·")
    return re.sub(r"(?<=[\s(])-|^-|(?<=\s)-(?=\s)", "−", text)


#: Menu entries: title → built-in cost name (``None``: the typed expression).
CHOICES = {"Bowl  v1² + v2²": "bowl", "Long valley  0.1·v1² + 4·v2²": "valley",
           "Rosenbrock  (1 − v1)² + 100·(v2 − v1²)²": "rosenbrock", "Saddle  v1² − v2²": "saddle",
           "Typed expression…": None}
#: A learning rate and number of steps that show each cost well.
SUGGESTED = {"bowl": (0.1, 40), "valley": (0.1, 120), "rosenbrock": (0.0015, 1500), "saddle": (0.1, 40),
             None: (0.05, 100)}
MODES = ("exact ∇C", "full batch", "mini-batch", "online (m = 1)")


class DescentPlayground(QWidget):
    """Costs from :mod:`nnsim.core.learning.descent`; every setting change recomputes the path(s) at once."""

    uses_document = False   # a cost of two variables, not the circuit: the lab page gives it the room

    def __init__(self, parent=None):
        super().__init__(parent)
        self.cost = COSTS["bowl"]
        self.start = np.array(self.cost.start)
        self.path = None
        self.compare_paths = {}
        self.data = make_dataset(style.DESCENT_DATA_POINTS, spread=style.DESCENT_DATA_SPREAD, seed=0)

        self.cost_combo = QComboBox()
        self.cost_combo.addItems(list(CHOICES))
        self.expression = QLineEdit()
        self.expression.setPlaceholderText("e.g. v1^2 + 3*sin(v2) + 0.5*v2^2   (Enter to use)")
        self.expression.setText("v1^2 + 3*sin(v2) + 0.5*v2^2")
        self.expression.setEnabled(False)
        self.eta_spin = QDoubleSpinBox()
        self.eta_spin.setDecimals(4)
        self.eta_spin.setRange(0.0001, 5.0)
        self.eta_spin.setSingleStep(0.01)
        self.eta_spin.setToolTip("The learning rate η: each step moves Δv = −η∇C")
        self.steps_spin = QSpinBox()
        self.steps_spin.setRange(1, 5000)
        self.mode_combo = QComboBox()
        self.mode_combo.addItems(MODES)
        self.mode_combo.setToolTip(f"exact: the true gradient; the others average C over a data set of "
                                   f"{style.DESCENT_DATA_POINTS} points and estimate ∇C from all, m, or 1 of them")
        self.m_spin = QSpinBox()
        self.m_spin.setRange(1, style.DESCENT_DATA_POINTS)
        self.m_spin.setValue(8)
        self.m_spin.setToolTip("The mini-batch size m")
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 9999)
        self.seed_spin.setToolTip("Seed for shuffling the data set into mini-batches")
        self.compare_box = QCheckBox("compare batch / mini-batch / online")
        for w in (self.eta_spin, self.steps_spin, self.m_spin, self.seed_spin):
            w.setKeyboardTracking(False)

        t = style.theme()
        self.plot = make_plot("v1", "v2")
        self.plot.setMinimumSize(150, 150)
        item = self.plot.getPlotItem()
        item.setMouseEnabled(False, False)   # aspect not locked: the cost map fills its axes
        self.image = pg.ImageItem()
        self.image.setColorMap(pg.colormap.get(style.DESCENT_COLORMAP))
        item.addItem(self.image)
        self.contours = []
        for _ in range(style.DESCENT_CONTOURS):
            iso = pg.IsocurveItem(pen=pg.mkPen((255, 255, 255, 110), width=1))
            iso.setParentItem(self.image)
            self.contours.append(iso)
        self.compare_items = {}
        for name in ("batch", "mini-batch", "online"):
            colour = style.DESCENT_PATH_COLOURS[name]
            self.compare_items[name] = item.plot([], [], pen=pen(colour, 2), antialias=True)
        self.path_item = item.plot([], [], pen=pen(style.DESCENT_PATH_COLOURS["main"], 2.5), antialias=True,
                                   symbol="o", symbolSize=5, symbolBrush=style.DESCENT_PATH_COLOURS["main"],
                                   symbolPen=None)
        self.start_item = pg.ScatterPlotItem(size=16 * style.scale(), symbol="o",
                                             brush=pg.mkBrush(style.RESPONSE_MARKER_COLOUR), pen=pg.mkPen("k", width=1.5))
        item.addItem(self.start_item)
        self.plot.scene().sigMouseClicked.connect(self._on_click)

        self.steps_plot = make_plot("step", "|ΔC|", log_y=True)
        self.steps_plot.setMinimumSize(130, 120)
        self.dC_curve = self.steps_plot.plot([], [], pen=pen(style.RESPONSE_ACTUAL_COLOUR, 2.5), antialias=True)
        self.pred_curve = self.steps_plot.plot([], [], pen=pen(style.RESPONSE_PREDICTED_COLOUR, 2, dashed=True),
                                               antialias=True)
        self.steps_legend = QLabel(f"Per step, sizes: <span style='color:{style.RESPONSE_ACTUAL_COLOUR}'><b>━ actual "
                                   f"|ΔC|</b></span> &nbsp; <span style='color:{style.RESPONSE_PREDICTED_COLOUR}'><b>╍ "
                                   "|∇C·Δv| = η|∇C|²</b></span> (the book's prediction; they agree while steps are small)")
        self.steps_legend.setWordWrap(True)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet(error_style())
        self.error.setWordWrap(True)
        self.legend = QLabel()
        self.legend.setWordWrap(True)

        grid = QGridLayout()
        grid.addWidget(QLabel("Cost"), 0, 0)
        grid.addWidget(self.cost_combo, 0, 1, 1, 3)
        grid.addWidget(QLabel("C ="), 1, 0)
        grid.addWidget(self.expression, 1, 1, 1, 3)
        grid.addWidget(QLabel("η"), 2, 0)
        grid.addWidget(self.eta_spin, 2, 1)
        grid.addWidget(QLabel("steps"), 2, 2)
        grid.addWidget(self.steps_spin, 2, 3)
        grid.addWidget(QLabel("gradient"), 3, 0)
        grid.addWidget(self.mode_combo, 3, 1)
        grid.addWidget(QLabel("m"), 3, 2)
        grid.addWidget(self.m_spin, 3, 3)
        grid.addWidget(self.compare_box, 4, 0, 1, 2)
        grid.addWidget(QLabel("seed"), 4, 2)
        grid.addWidget(self.seed_spin, 4, 3)
        # Controls on the left, the cost map and the per-step plot side by side: the lab's dock is wide and
        # short, so the plots shrink with it rather than scroll.
        controls = QWidget()
        controls.setMaximumWidth(420)
        side = QVBoxLayout(controls)
        side.setContentsMargins(0, 0, 0, 0)
        side.addLayout(grid)
        side.addWidget(self.error)
        side.addWidget(self.legend)
        side.addWidget(self.steps_legend)
        side.addWidget(self.info)
        side.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.plot)
        splitter.addWidget(self.steps_plot)
        splitter.setStretchFactor(0, 2)   # the cost map is the picture; the step plot is the footnote
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([500, 300])
        layout = QHBoxLayout(self)
        layout.addWidget(controls)
        layout.addWidget(splitter, 1)

        self.cost_combo.currentIndexChanged.connect(self._on_cost_choice)
        self.expression.returnPressed.connect(self._on_expression)
        for sig in (self.eta_spin.valueChanged, self.steps_spin.valueChanged, self.m_spin.valueChanged,
                    self.seed_spin.valueChanged, self.mode_combo.currentIndexChanged, self.compare_box.toggled):
            sig.connect(self.run)
        self._on_cost_choice(0)

    # ----- settings --------------------------------------------------------------------------------
    def _on_cost_choice(self, index: int) -> None:
        name = CHOICES[self.cost_combo.itemText(index)]
        self.expression.setEnabled(name is None)
        if name is None:
            self._on_expression()
            return
        self.set_cost(COSTS[name])

    def _on_expression(self) -> None:
        try:
            cost = get_cost(self.expression.text())
        except UserError as err:
            self.error.setText(str(err))
            return
        self.set_cost(cost)

    def set_cost(self, cost) -> None:
        """Show ``cost``: redraw the image and contours, reset the start and suggested η, rerun."""
        self.error.setText("")
        self.cost = cost
        self.start = np.array(cost.start, dtype=float)
        eta, steps = SUGGESTED.get(cost.name if cost.name in COSTS else None)
        for w, v in ((self.eta_spin, eta), (self.steps_spin, steps)):
            w.blockSignals(True)
            w.setValue(v)
            w.blockSignals(False)
        v1, v2, C = cost.grid(style.DESCENT_GRID)
        finite = np.isfinite(C)
        if not finite.any():
            self.error.setText("this cost is not a finite number anywhere in the window")
            return
        c_min = float(np.min(C[finite]))
        shown = np.log10(1.0 + np.where(finite, C, np.max(C[finite])) - c_min)
        x0, x1, y0, y1 = cost.extent
        self.image.setImage(shown, autoLevels=True)
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        levels = np.quantile(shown, np.linspace(0.04, 0.96, len(self.contours)))
        for iso, level in zip(self.contours, levels):
            iso.setData(shown, float(level))
        item = self.plot.getPlotItem()
        item.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        set_title(self.plot, f"C = {pretty_cost(cost.text)}")
        self.run()

    # ----- running ---------------------------------------------------------------------------------
    def _on_click(self, ev) -> None:
        vb = self.plot.getPlotItem().getViewBox()
        if ev.button() != Qt.MouseButton.LeftButton or not vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        p = vb.mapSceneToView(ev.scenePos())
        self.set_start(p.x(), p.y())

    def set_start(self, v1: float, v2: float) -> None:
        """Start the descent at (v1, v2) and rerun."""
        self.start = np.array([v1, v2], dtype=float)
        self.run()

    def _descend(self, mode: str):
        eta, steps, seed = self.eta_spin.value(), self.steps_spin.value(), self.seed_spin.value()
        if mode == MODES[0]:
            return descend(self.cost, self.start, eta, steps)
        m = {MODES[1]: None, MODES[2]: self.m_spin.value(), MODES[3]: 1}[mode]
        return descend(self.cost, self.start, eta, steps, data=self.data, mini_batch_size=m, seed=seed)

    def run(self, *_) -> None:
        """Recompute and redraw the path(s) for the current settings."""
        mode = self.mode_combo.currentText()
        self.m_spin.setEnabled(mode == MODES[2] or self.compare_box.isChecked())
        try:
            self.path = self._descend(mode)
            self.compare_paths = {}
            if self.compare_box.isChecked():
                self.compare_paths = {"batch": self._descend(MODES[1]), "mini-batch": self._descend(MODES[2]),
                                      "online": self._descend(MODES[3])}
        except UserError as err:
            self.error.setText(str(err))
            return
        self.start_item.setData([self.start[0]], [self.start[1]])
        path = self.path
        self.path_item.setData(path.v[:, 0], path.v[:, 1])
        self.path_item.setVisible(not self.compare_box.isChecked())
        for name, it in self.compare_items.items():
            p = self.compare_paths.get(name)
            it.setData(p.v[:, 0], p.v[:, 1]) if p is not None else it.setData([], [])
        steps = np.arange(1, path.steps + 1)
        self.dC_curve.setData(steps, np.maximum(np.abs(path.dC), 1e-300))
        self.pred_curve.setData(steps, np.maximum(np.abs(path.predicted), 1e-300))
        if self.compare_box.isChecked():
            self.legend.setText("  ".join(f"<span style='color:{style.DESCENT_PATH_COLOURS[n]};"
                                          f"background:#333'><b>&nbsp;━ {n}&nbsp;</b></span>"
                                          for n in self.compare_items)
                                + "  — same η and steps; click the image to move the start.")
        else:
            self.legend.setText("Click the image to set the start point (orange); the white path is the "
                                "descent, each dot one step Δv = −η∇C.")
        r = style.readable
        lines = [f"C: {r(path.cost[0])} → {r(path.cost[-1])} in {path.steps} steps "
                 f"(v = ({r(path.v[-1, 0], 3)}, {r(path.v[-1, 1], 3)}))."]
        if path.steps:
            lines.append(f"Step 1: ΔC = {r(path.dC[0])}, ∇C·Δv = {r(path.predicted[0])}. "
                         f"Largest |ΔC − ∇C·Δv| = {r(np.max(np.abs(path.dC - path.predicted)), 3)} — "
                         "it shrinks like η²: halve η and it quarters.")
        if path.diverged:
            lines.append(f"<span style='color:{style.RESPONSE_ERROR_COLOUR}'><b>Diverged</b> after {path.steps} "
                         "steps: η is too large for this cost.</span>")
        self.info.setText(" ".join(lines))
        self.error.setText("")
