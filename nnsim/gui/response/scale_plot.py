"""Scale c: the sigmoid copy of a perceptron circuit with every weight and bias × c. Its truth-table error
falls as c grows; from the smallest working c on, every output is within ½ of the perceptron's — except on
rows where some perceptron's z is exactly 0, where σ gives ½ at every c.

The curve of a big circuit takes a second or more (the 16-bit adder), so it is computed in a worker thread
(:func:`nnsim.gui.response.tasks.scale_task` on a copy of the graph) and drawn when it arrives."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

import pyqtgraph as pg

from nnsim.gui import style
from nnsim.gui.response.plotting import coalescing_timer, error_style, make_plot, pen, set_title
from nnsim.gui.response.tasks import scale_task
from nnsim.gui.worker import TaskRunner

BUSY_NOTE_MS = 300   # say "computing…" when a curve takes longer than this


def log_ticks(lo: float, hi: float) -> list:
    """pyqtgraph ticks for a log10 axis: labelled powers of ten, unlabelled 2…9 multiples between."""
    major, minor = [], []
    for k in range(int(np.floor(lo)), int(np.ceil(hi)) + 1):
        if lo - 1e-9 <= k <= hi + 1e-9:
            major.append((float(k), f"{10.0 ** k:g}"))
        for m in range(2, 10):
            x = k + math.log10(m)
            if lo <= x <= hi:
                minor.append((x, ""))
    return [major, minor]


class ScalePlot(QWidget):
    """The error against c (log axis) for the document's perceptron circuit, recomputed (at most every
    ``style.SCALE_REFRESH_MS``, and after a drag has ended) while visible; the smallest working c is marked,
    the z = 0 rows named.

    Each refresh submits a request to ``runner`` (a :class:`~nnsim.gui.worker.TaskRunner`): a newer request
    supersedes an older one, whose result is dropped. ``sigUpdated`` fires once a result (a curve or an
    error message) is shown; ``curve_data`` is the :class:`~nnsim.core.response.ScaleCurve` shown, or ``None``.
    Call :meth:`shutdown` before closing."""

    sigUpdated = Signal()

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.curve_data = None
        self._stale = True
        self.plot = make_plot("scale c (log)", "largest |σ copy − perceptron|")
        item = self.plot.getPlotItem()
        self.curve = item.plot([], [], pen=pen(style.response_colour("sigmoid"), 3), antialias=True,
                               symbol="o", symbolSize=4, symbolBrush=style.response_colour("sigmoid"),
                               symbolPen=None)
        self.half = pg.InfiniteLine(0.5, angle=0, movable=False, pen=pen(style.RESPONSE_ERROR_COLOUR, 1.5, dashed=True),
                                    label="½: a row fails above this", labelOpts={"position": 0.82,
                                                                                  "color": style.RESPONSE_ERROR_COLOUR})
        item.addItem(self.half, ignoreBounds=True)
        self.min_line = pg.InfiniteLine(0, angle=90, movable=False, pen=pen(style.RESPONSE_MARKER_COLOUR, 3),
                                        label="", labelOpts={"position": 0.62, "color": style.RESPONSE_MARKER_COLOUR,
                                                             "fill": style.theme().label_fill})
        item.addItem(self.min_line, ignoreBounds=True)
        self.min_line.hide()
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(pg.QtCore.Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.info)
        self._timer = coalescing_timer(self, self.refresh, style.SCALE_REFRESH_MS)
        document.graph.changed.connect(self._schedule)  # a core Signal: a Python method
        document.sigReplaced.connect(self._timer.start)
        self._key = None
        self._request = None       # the graph revision being computed, None when idle
        self.runner = TaskRunner(self)
        self.runner.sigReturned.connect(self._show)
        self.runner.sigErrored.connect(self._show_error)
        self.runner.sigFinished.connect(self._on_finished)
        self._busy_timer = coalescing_timer(self, self._show_busy, BUSY_NOTE_MS)

    def showEvent(self, event):
        super().showEvent(event)
        if self._stale:
            QTimer.singleShot(0, self.refresh)

    def _schedule(self, *_) -> None:
        self._timer.start()

    def refresh(self) -> None:
        self._timer.stop()
        if not self.isVisible():
            self._stale = True
            return
        if self.document.merge_open:      # a drag is in progress: recompute once it ends (can take ~1 s)
            self._timer.start()
            return
        self._stale = False
        graph = self.document.graph
        key = graph.revision
        if key == self._key:
            return
        self._key = key
        self._request = key
        self._busy_timer.start()
        self.runner.submit(scale_task(graph.copy()))

    @property
    def busy(self) -> bool:
        """True while a curve is being computed."""
        return self._request is not None

    def closeEvent(self, event):
        """Closed as a window of its own (not as a dock's content): stop its threads too."""
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop a computation in progress and wait for its thread (cancel → quit → wait)."""
        self._timer.stop()
        self._busy_timer.stop()
        self.runner.shutdown()
        self._request = None

    def _on_finished(self) -> None:
        self._request = None
        self._busy_timer.stop()

    def _show_busy(self) -> None:
        if self.busy:
            self.info.setStyleSheet("")
            self.info.setText(f"<i>Computing the sigmoid copy's error for 49 values of c "
                              f"(“{self.document.graph.name or 'this circuit'}”)…</i>")

    def _show_error(self, message: str, details: str = "") -> None:
        self._busy_timer.stop()
        self.curve_data = None
        self.curve.setData([], [])
        self.min_line.hide()
        self.info.setStyleSheet(error_style())
        self.info.setText(f"The scale plot needs a feedforward perceptron circuit: {message}. "
                          "Build or open one (e.g. a gate or an adder) to see how sigmoid neurons with "
                          "weights × c imitate it.")
        self.sigUpdated.emit()

    def _show(self, data) -> None:
        """Draw a :class:`ScaleCurve` that arrived from the worker (on the GUI thread)."""
        if data is None:
            return      # stopped by shutdown
        self._busy_timer.stop()
        graph = self.document.graph
        self.curve_data = data
        self.info.setStyleSheet("")
        logs = np.log10(data.scales)
        self.curve.setData(logs, data.error)
        item = self.plot.getPlotItem()
        item.setXRange(logs[0], logs[-1], padding=0.02)
        item.getAxis("bottom").setTicks(log_ticks(logs[0], logs[-1]))
        item.setYRange(0, max(0.55, float(np.max(data.error)) * 1.05), padding=0)
        set_title(self.plot, f"sigmoid copy of “{graph.name or 'this circuit'}” with weights and biases × c")
        parts = []
        if data.min_scale == 0:
            self.min_line.hide()
            parts.append("<b>Any c > 0 works</b> for this circuit.")
        elif data.min_scale is not None:
            self.min_line.show()
            self.min_line.label.setFormat(f"smallest c = {data.min_scale:.4g}")
            self.min_line.setValue(math.log10(data.min_scale))
            parts.append(f"<b>From c = {data.min_scale:.4g} on</b> every output of the sigmoid copy is within ½ of "
                         f"the perceptron's (the same number <code>nnsim convert --min-scale</code> prints). "
                         f"The smallest |z| of any perceptron is {data.margin:.3g}: σ(c·z) → step(z) as c → ∞.")
        else:
            self.min_line.hide()
            parts.append("<b>No scale c works</b> for this circuit.")
        if data.zero_rows:
            rows = "; ".join(f"inputs {''.join(str(v) for v in row)} ({', '.join(names)})"
                             for row, names in data.zero_rows[:6])
            more = f" and {len(data.zero_rows) - 6} more" if len(data.zero_rows) > 6 else ""
            parts.append(f"<span style='color:{style.RESPONSE_ERROR_COLOUR}'>z = 0 exactly on {rows}{more}: there "
                         "σ gives ½ for every c, so no scale can imitate the step.</span>")
        self.info.setText("<br>".join(parts))
        self.sigUpdated.emit()
