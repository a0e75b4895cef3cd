"""Live training curves: cost every N mini-batches and per epoch, validation and test accuracy per epoch.

Several runs are overlaid, each in its own colour with a legend entry; baselines (average darkness,
random guessing, an SVM) are labelled horizontal lines. Stats arrive as fast as the worker sends them,
but curves are redrawn by a timer at most ~10 times a second with ``curve.setData`` (items are never
recreated). Hovering shows the exact value of the nearest point.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

import pyqtgraph as pg
import shiboken6
import pyqtgraph.exporters  # noqa: F401 - registers ImageExporter

from nnsim.gui import style
from nnsim.gui.training import look
from nnsim.gui.training.history import RunHistory, histories_csv
from nnsim.gui.training.spread import SpreadBands


class EpochAxis(pg.AxisItem):
    """An epoch axis ticked at whole epochs only (1, 2, 5, 10 … apart), never 0.5 or 2.5."""

    def tickValues(self, minVal, maxVal, size):
        span = max(maxVal - minVal, 1e-9)
        room = max(int(size / 60), 1)   # about one label per 60 px
        step = next((s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if span / s <= room), 1000)
        first = math.ceil(minVal / step) * step
        values = [float(v) for v in np.arange(first, maxVal + 1e-9, step)]
        return [(float(step), values)]

    def tickStrings(self, values, scale, spacing):
        return [str(int(round(v))) for v in values]


class WrappingTitle(pg.LabelItem):
    """A plot title that wraps its lines to the plot's width instead of widening the plot.

    pyqtgraph's LabelItem makes the text's width its minimum width, so a long subtitle pushes the next plot
    out of a narrow window (it is clipped, not scrolled). This one asks for :data:`MIN_WIDTH` and wraps,
    and grows the plot's title row to the wrapped height. Put it in with :func:`use_wrapping_title`."""

    MIN_WIDTH = 120

    def __init__(self, plot: pg.PlotItem):
        super().__init__("", size=look.TITLE_SIZE, parent=plot)
        self._plot = plot
        option = self.item.document().defaultTextOption()
        option.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.item.document().setDefaultTextOption(option)

    def setText(self, text, **args):
        super().setText(text, **args)
        self._wrap(self.rect().width())

    def resizeEvent(self, ev):
        self._wrap(self.rect().width())
        super().resizeEvent(ev)

    def _wrap(self, width: float):
        if getattr(self, "_plot", None) is None:
            return  # still in LabelItem's __init__
        if not shiboken6.isValid(self._plot.layout):
            return  # the plot is being torn down: its layout is gone before this title
        width = max(float(self.MIN_WIDTH), width)
        if abs(self.item.textWidth() - width) > 0.5:
            self.item.setTextWidth(width)
        height = math.ceil(self.item.boundingRect().height())
        if self.isVisible() and self._plot.layout.rowMinimumHeight(0) != height:
            self.setMaximumHeight(height)
            self._plot.layout.setRowFixedHeight(0, height)

    def updateMin(self):
        super().updateMin()
        height = self._sizeHint[Qt.SizeHint.MinimumSize][1]
        self.setMinimumWidth(self.MIN_WIDTH)
        self._sizeHint[Qt.SizeHint.MinimumSize] = (self.MIN_WIDTH, height)
        self._sizeHint[Qt.SizeHint.PreferredSize] = (self.MIN_WIDTH, height)
        self.updateGeometry()


def use_wrapping_title(plot: pg.PlotItem) -> WrappingTitle:
    """Replace ``plot``'s title label with a :class:`WrappingTitle` (``plot.setTitle`` then sets it)."""
    plot.layout.removeItem(plot.titleLabel)
    plot.titleLabel.setParentItem(None)
    plot.titleLabel = WrappingTitle(plot)
    plot.layout.addItem(plot.titleLabel, 0, 1)
    return plot.titleLabel


class _RunCurves:
    """The four curves of one run (created once, then only fed with setData)."""

    def __init__(self, history: RunHistory, cost_plot: pg.PlotItem, acc_plot: pg.PlotItem,
                 accuracy_legend: bool = True, legend_label: str | None = None):
        colour = look.run_colour(history.number)
        tag = f"#{history.number}"
        self.history = history
        self.batch_cost = cost_plot.plot(pen=pg.mkPen(colour, width=look.BATCH_CURVE_WIDTH))
        self.epoch_cost = cost_plot.plot(
            pen=None, symbol="o", symbolSize=look.SYMBOL_SIZE, symbolBrush=colour, symbolPen="w")
        self.validation = acc_plot.plot(
            pen=pg.mkPen(colour, width=look.CURVE_WIDTH), symbol="o", symbolSize=look.SYMBOL_SIZE,
            symbolBrush=colour, symbolPen="w")
        self.test = acc_plot.plot(
            pen=pg.mkPen(colour, width=look.CURVE_WIDTH, style=Qt.PenStyle.DashLine), symbol="s",
            symbolSize=look.SYMBOL_SIZE - 1, symbolBrush=colour, symbolPen="w")
        self.training = acc_plot.plot(
            pen=pg.mkPen(colour, width=look.BATCH_CURVE_WIDTH, style=Qt.PenStyle.DotLine), symbol="t",
            symbolSize=look.SYMBOL_SIZE - 1, symbolBrush=colour, symbolPen="w")
        cost_plot.legend.addItem(self.batch_cost, f"{tag} {legend_label or history.label}")
        if accuracy_legend:  # a comparison's runs are told apart by colour and the cost plot's legend
            acc_plot.legend.addItem(self.validation, f"{tag} validation")
            acc_plot.legend.addItem(self.test, f"{tag} test")
            acc_plot.legend.addItem(self.training, f"{tag} training")
        self.hover_names = {
            self.batch_cost: f"{tag} cost", self.epoch_cost: f"{tag} cost (epoch)",
            self.validation: f"{tag} validation", self.test: f"{tag} test",
            self.training: f"{tag} training",
        }

    _epochs_drawn = -1

    def set_visible(self, visible: bool):
        for item in self.hover_names:
            item.setVisible(visible)

    def refresh(self, epochs: bool = True) -> str:
        """Redraw the cost curve, and the per-epoch curves when they changed (only at an epoch's end; with
        symbols they take longer) and ``epochs`` allows: returns "epochs" when they were redrawn, "behind"
        when they still wait, "" when they were up to date."""
        h = self.history
        self.batch_cost.setData(np.asarray(h.cost_x, float), np.asarray(h.cost_y, float))
        if len(h.epochs) == self._epochs_drawn:
            return ""
        if not epochs:
            return "behind"
        self._epochs_drawn = len(h.epochs)
        # an epoch's mean cost is the average over the whole epoch: drawn at the epoch's middle, where the
        # running line passed through that level (at its end the line is already lower: 0.08 against 0.13)
        self.epoch_cost.setData(np.asarray(h.epochs, float) - 0.5, np.asarray(h.epoch_cost, float))
        self.validation.setData(np.asarray(h.epochs, float), np.asarray(h.validation_pct, float))
        self.test.setData(np.asarray(h.epochs, float), np.asarray(h.test_pct, float))
        self.training.setData(np.asarray(h.epochs, float), np.asarray(h.training_pct, float))
        return "epochs"


class TrainingPlots(QWidget):
    """Cost (left) and accuracy (right) of every run since the last :meth:`clear`.

    ``sigHover(text)`` carries the hover read-out (also shown on the plot)."""

    sigHover = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        t = style.theme()
        self._glw = pg.GraphicsLayoutWidget()
        self._glw.setBackground(t.background)
        self._glw.setMinimumHeight(240)
        self.cost_plot = self._make_plot("Cost C<br><span style='font-size:10pt'>line: last N mini-batches<br>dots: "
                                         "mean over each epoch, at its middle</span>", "cost", 0)
        self.acc_plot = self._make_plot("", "accuracy (%)", 1)
        self.acc_plot.setYRange(0, 100)
        self._glw.ci.layout.setColumnStretchFactor(0, 1)
        self._glw.ci.layout.setColumnStretchFactor(1, 1)

        self._full_range = QCheckBox("Axis 0–100 %")
        self._full_range.setToolTip("Off: zoom onto the curves. On: the whole scale, with darkness and "
                                    "random guessing as horizontal lines.")
        self._full_range.toggled.connect(self._apply_range)
        self.spread_box = QCheckBox("Spread across seeds")  # placed by the page, beside its Compare button
        self.spread_box.setToolTip("Runs that differ only in their seed as one band (min to max) and their "
                                   "median, instead of one curve each")
        self.spread_box.toggled.connect(self._spread_toggled)
        self._readout = QLabel("Hover over a curve to read its exact value.")
        self._readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._readout.setMinimumWidth(50)
        self._baseline_label = QLabel()
        self._baseline_label.setMinimumWidth(50)
        self.header = QHBoxLayout()  # the page adds its export buttons here
        self.header.addWidget(self._readout, 1)
        self.header.addWidget(self._baseline_label)
        self.header.addWidget(self._full_range)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.header)
        layout.addWidget(self._glw, 1)

        self.runs: list[RunHistory] = []
        self._curves: list[_RunCurves] = []
        self._baselines: dict[str, pg.InfiniteLine] = {}
        self._baseline_names: dict[str, str] = {}  # name -> the text shown for it
        self._dirty = False
        self._changed: set[int] = set()  # indices of runs with new stats since the last redraw
        self._stale: set[int] = set()    # runs whose hidden curves missed a redraw
        self._pending: list[int] = []    # runs whose curves are still to be made
        self._short: list[str | None] = []
        self._spread_epochs = None
        self._spreads = (SpreadBands(self.acc_plot, "test_pct"), SpreadBands(self.cost_plot, "epoch_cost"))
        self.redraws = 0  # how many times the curves were redrawn (for benchmarks and tests)
        self.timer = QTimer(self)
        self.timer.setInterval(look.PLOT_INTERVAL_MS)
        self.timer.timeout.connect(self._flush)
        self.timer.start()

        self._marker = pg.ScatterPlotItem(size=look.SYMBOL_SIZE + 6, pen=pg.mkPen(t.text, width=2),
                                          brush=None)
        self._label = pg.TextItem(color=t.text, fill=pg.mkBrush(t.label_fill), anchor=(0, 1))
        self._hover_plot = None
        self._glw.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self._retitle()
        self._apply_range()

    def _make_plot(self, title, y_label, column) -> pg.PlotItem:
        t = style.theme()
        plot = self._glw.addPlot(row=0, col=column, axisItems={"bottom": EpochAxis("bottom")})
        use_wrapping_title(plot)
        plot.setTitle(title, color=t.text.name(), size=look.TITLE_SIZE)
        plot.setLabel("bottom", "epoch", color=t.text.name())
        plot.setLabel("left", y_label, color=t.text.name())
        plot.showGrid(x=True, y=True, alpha=0.25)
        plot.setMenuEnabled(False)
        font = style.font(look.AXIS_FONT_PT)
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setTextPen(t.text)
            axis.setPen(t.muted)
            axis.setTickFont(font)
            axis.enableAutoSIPrefix(False)
        # The legend sits below its plot, in the layout, so it never hides a curve.
        legend = pg.LegendItem(labelTextColor=t.text, labelTextSize=f"{font.pointSizeF():g}pt",   # = tick labels
                               colCount=1 + column)
        self._glw.addItem(legend, row=1, col=column)
        plot.legend = legend
        return plot

    # ----- runs -------------------------------------------------------------------------------------------
    def start_run(self, label: str, group: str | None = None, short: str | None = None) -> RunHistory:
        """Begin a new run overlaid on the earlier ones; later stats go to it (or to the run given to
        :meth:`add_stats`). Runs of one ``group`` differ only in their seed (see the spread view); they
        get no legend entries of their own on the accuracy plot, and ``short`` (what tells them apart) as
        their entry on the cost plot's legend, which is then laid out in columns."""
        history = RunHistory(number=len(self.runs) + 1, label=label, group=group)
        self.runs.append(history)
        self._curves.append(None)
        self._short.append(short)
        if group is None:
            self._create_curves(len(self.runs) - 1)
        else:  # a comparison's runs: ~10 ms of plot items each, one run per turn of the event loop
            self.cost_plot.legend.setColumnCount(look.COMPARE_LEGEND_COLUMNS)
            self._pending.append(len(self.runs) - 1)
            QTimer.singleShot(0, self._create_pending)
        return history

    def _create_curves(self, i: int) -> None:
        history = self.runs[i]
        curves = _RunCurves(history, self.cost_plot, self.acc_plot, accuracy_legend=history.group is None,
                            legend_label=self._short[i])
        self._curves[i] = curves
        if self.spread_box.isChecked() and history.group is not None:
            curves.set_visible(False)
        self._changed.add(i)
        self._dirty = True

    def _create_pending(self) -> None:
        if self._pending:
            self._create_curves(self._pending.pop(0))
        if self._pending:
            QTimer.singleShot(0, self._create_pending)

    @property
    def current(self) -> RunHistory | None:
        return self.runs[-1] if self.runs else None

    def add_stats(self, stats, history: RunHistory | None = None):
        """Record one ``TrainingStats`` in ``history`` (default: the newest run); drawn at the next tick."""
        if not self.runs:
            self.start_run("run")
        history = history or self.runs[-1]
        history.add(stats)
        self._changed.add(history.number - 1)
        self._dirty = True

    def groups(self) -> dict[str, list[RunHistory]]:
        """Runs by group label (runs without a group are left out)."""
        out: dict[str, list[RunHistory]] = {}
        for run in self.runs:
            if run.group is not None:
                out.setdefault(run.group, []).append(run)
        return out

    def _spread_toggled(self, on: bool):
        grouped = {label for label, runs in self.groups().items() if len(runs) > 1}
        for i, curves in enumerate(self._curves):
            if curves is None:
                continue
            visible = not (on and curves.history.group in grouped)
            curves.set_visible(visible)
            if visible and i in self._stale:
                curves.refresh()
                self._stale.discard(i)
        self._spread_epochs = False  # differs from every state: the bands are redrawn or cleared now
        self._update_spread()

    def _update_spread(self):
        """Redraw the bands when a run has a new epoch (they follow the per-epoch series only)."""
        on = self.spread_box.isChecked()
        epochs = tuple(len(run.epochs) for run in self.runs) if on else None
        if epochs != self._spread_epochs:
            self._spread_epochs = epochs
            for bands in self._spreads:
                if on:
                    bands.update(self.groups())
                else:
                    bands.clear()
        self._apply_range()

    def set_baseline(self, name: str, accuracy_pct: float, label: str | None = None):
        """A labelled horizontal line on the accuracy plot (replaces an earlier line of that name);
        ``label`` is its text instead of ``name`` (e.g. "SVM (10,000 images)")."""
        colour = look.BASELINE_COLOURS.get(name, look.DEFAULT_BASELINE_COLOUR)
        text = f"{label or name}: {accuracy_pct:.1f} %"
        self._baseline_names[name] = label or name
        line = self._baselines.get(name)
        if line is None:
            line = pg.InfiniteLine(angle=0, movable=False,
                                   pen=pg.mkPen(colour, width=2, style=Qt.PenStyle.DotLine),
                                   label=text, labelOpts={"position": 0.15, "color": colour,
                                                           "anchors": [(0, 1), (0, 1)]})
            self.acc_plot.addItem(line, ignoreBounds=True)
            self._baselines[name] = line
        line.setValue(accuracy_pct)
        line.label.setFormat(text)
        self._retitle()

    def _retitle(self):
        t = style.theme()
        self.acc_plot.setTitle("Accuracy on held-out images<br><span style='font-size:10pt'>"
                               "solid: validation · dashed: test<br>dotted: training images</span>",
                               color=t.text.name(), size=look.TITLE_SIZE)
        if self._baselines:
            named = ", ".join(f"{self._baseline_names.get(n, n)} {line.value():.1f} %"
                              for n, line in self._baselines.items())
            self._baseline_label.setText(f"Baselines to beat: {named}.")
        else:
            self._baseline_label.setText("")

    def baselines(self) -> dict[str, float]:
        return {name: float(line.value()) for name, line in self._baselines.items()}

    def clear(self):
        """Forget every run (baselines stay: they belong to the data, not to a run)."""
        for curves in filter(None, self._curves):
            for item in curves.hover_names:
                for plot in (self.cost_plot, self.acc_plot):
                    if item in plot.listDataItems():
                        plot.removeItem(item)
                    plot.legend.removeItem(item)
        self._curves.clear()
        self._short.clear()
        self._pending.clear()
        self._stale.clear()
        self._spread_epochs = None
        self.runs.clear()
        self._changed.clear()
        self.cost_plot.legend.setColumnCount(1)
        for bands in self._spreads:
            bands.clear()
        self._hide_hover()
        self._dirty = False

    def flush(self):
        """Redraw now if anything changed (the timer calls this ~10 times a second)."""
        self._flush()

    def _flush(self):
        if not self._dirty:
            return
        self._dirty = False
        self.redraws += 1
        budget = look.EPOCH_REDRAWS_PER_TICK  # a comparison's epochs end together: spread their redraws
        behind = set()
        for i in sorted(self._changed):  # only runs with new stats, and only the curves shown
            curves = self._curves[i] if i < len(self._curves) else None
            if curves is None:
                continue
            if not curves.test.isVisible():
                self._stale.add(i)
            else:
                done = curves.refresh(epochs=budget > 0)
                budget -= done == "epochs"
                if done == "behind":
                    behind.add(i)
        self._changed = behind
        self._dirty = bool(behind)
        self._update_spread()

    def _apply_range(self):
        vb = self.acc_plot.getViewBox()
        if self._full_range.isChecked():
            vb.disableAutoRange(pg.ViewBox.YAxis)
            vb.setYRange(0, 100, padding=0.02)
            return
        values = [v for run in self.runs for v in run.validation_pct + run.test_pct + run.training_pct
                  if not math.isnan(v)]
        if self.spread_box.isChecked():
            values += self._spreads[0].values()
        if values:
            low, high = min(values), max(values)
            vb.setYRange(max(0.0, low - 1.0), min(100.0, high + 1.0), padding=0.05)
        else:
            vb.setYRange(0, 100, padding=0.02)

    # ----- hover ------------------------------------------------------------------------------------------
    def _hide_hover(self):
        if self._hover_plot is not None:
            self._hover_plot.removeItem(self._marker)
            self._hover_plot.removeItem(self._label)
            self._hover_plot = None

    def _on_mouse_moved(self, scene_pos):
        for plot in (self.cost_plot, self.acc_plot):
            if plot.sceneBoundingRect().contains(scene_pos):
                break
        else:
            self._hide_hover()
            return
        vb = plot.getViewBox()
        mouse = vb.mapSceneToView(scene_pos)
        px, py = vb.viewPixelSize()
        best = None
        for curves in filter(None, self._curves):
            for item, name in curves.hover_names.items():
                if item not in plot.listDataItems() or not item.isVisible():
                    continue
                xs, ys = item.getData()
                if xs is None or len(xs) == 0:
                    continue
                d = np.hypot((xs - mouse.x()) / px, (ys - mouse.y()) / py)
                d[np.isnan(d)] = np.inf
                i = int(np.argmin(d))
                if d[i] <= look.HOVER_PIXELS and (best is None or d[i] < best[0]):
                    best = (d[i], name, float(xs[i]), float(ys[i]))
        if best is None:
            self._hide_hover()
            return
        _, name, x, y = best
        unit = " %" if plot is self.acc_plot else ""
        digits = 2 if plot is self.acc_plot else 4
        text = f"{name}: epoch {x:.2f}, {y:.{digits}f}{unit}"
        if self._hover_plot is not plot:
            self._hide_hover()
            plot.addItem(self._marker, ignoreBounds=True)
            plot.addItem(self._label, ignoreBounds=True)
            self._hover_plot = plot
        self._marker.setData([x], [y])
        self._label.setText(text)
        self._label.setPos(x, y)
        self._readout.setText(text)
        self.sigHover.emit(text)

    # ----- export -----------------------------------------------------------------------------------------
    def export_png(self, path, width: int = 1600):
        """Both plots as one PNG image (pyqtgraph's ImageExporter), ``width`` pixels wide."""
        self._flush()
        exporter = pg.exporters.ImageExporter(self._glw.ci)
        exporter.parameters()["width"] = int(width)
        exporter.export(str(Path(path)))

    def export_csv(self, path):
        """Every run's history as CSV (one row per report and per epoch)."""
        Path(path).write_text(histories_csv(self.runs), encoding="utf-8")
