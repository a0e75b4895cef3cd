"""Predicted against actual ΔO as a nudge Δ of one parameter grows (or, with "all parameters", a nudge of
every parameter at once along one random direction): where the two part, the linear approximation
ΔO ≈ Σ ∂O/∂p·Δp stops holding."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

import pyqtgraph as pg

from nnsim.core.response import nudge_all_curve, nudge_curve
from nnsim.gui import style
from nnsim.gui.response.plotting import coalescing_timer, make_plot, pen


class NudgePlot(QWidget):
    """ΔO of one output against Δ ∈ [−max, max] for one parameter: the straight prediction and the
    actual change; a band marks where |actual − predicted| stays under ``style.RESPONSE_LINEAR_TOLERANCE``."""

    def __init__(self, document, parent=None, range_box_inside: bool = True):
        """With ``range_box_inside`` False the "Δ up to ±" box (``max_spin``) is left for the parent to place."""
        super().__init__(parent)
        self.document = document
        self.pid = None
        self.output = 0
        self.max_spin = QDoubleSpinBox()
        self.max_spin.setRange(0.01, 100)
        self.max_spin.setValue(3.0)
        self.max_spin.setDecimals(2)
        self.max_spin.setKeyboardTracking(False)
        self.max_spin.setPrefix("Δ up to ±")
        self.max_spin.setToolTip("The largest nudge Δ shown")
        self.max_spin.valueChanged.connect(lambda _: self.refresh())
        self.all_box = QCheckBox("all parameters")
        self.all_box.setToolTip("Move every weight and bias at once, Δp = s·u along one random direction u "
                                "(a standard normal per parameter), and compare Σ ∂O/∂p·Δp with the real ΔO")
        self.all_box.toggled.connect(lambda _: self.refresh())
        self.plot = make_plot("nudge Δ", "ΔO")
        self.plot.setMinimumHeight(100)
        item = self.plot.getPlotItem()
        self.band = pg.LinearRegionItem(values=(0, 0), movable=False,
                                        brush=pg.mkBrush(style.response_colour("sigmoid") + "30"),
                                        pen=pg.mkPen(None))
        self.band.setZValue(-10)
        item.addItem(self.band, ignoreBounds=True)
        self.predicted = item.plot([], [], pen=pen(style.RESPONSE_PREDICTED_COLOUR, 2.5, dashed=True), antialias=True)
        self.actual = item.plot([], [], pen=pen(style.RESPONSE_ACTUAL_COLOUR, 3), antialias=True)
        self.info = QLabel()
        self.info.setWordWrap(True)
        # Beside the sensitivity table the plot is about half the dock wide and short: a one-line legend, no
        # title (its axes name the output and the parameter; a long plot title would also set the plot's
        # minimum width and push its right-hand end out of the pane).
        legend = QLabel(f"<span style='color:{style.RESPONSE_ACTUAL_COLOUR}'><b>━ actual</b></span>&nbsp;&nbsp;"
                        f"<span style='color:{style.RESPONSE_PREDICTED_COLOUR}'><b>╍ predicted</b></span>"
                        f"&nbsp;&nbsp;<span style='color:{style.response_colour('sigmoid')}'><b>▒ within "
                        f"{style.RESPONSE_LINEAR_TOLERANCE:g}</b></span>")
        legend.setWordWrap(True)
        legend.setToolTip(f"actual ΔO, the prediction ∂O/∂p·Δ, and the band where they are within "
                          f"{style.RESPONSE_LINEAR_TOLERANCE:g} of each other")
        row = QHBoxLayout()
        row.addWidget(legend, 1)
        row.addWidget(self.all_box)
        if range_box_inside:
            row.addWidget(self.max_spin)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.info)
        self._timer = coalescing_timer(self, self.refresh)
        document.graph.changed.connect(self._schedule)  # a core Signal: a Python method
        self.refresh()

    def set_axis_labels(self, x_label: str, y_label: str) -> None:
        label_style = {"color": style.theme().text.name(),
                       "font-size": f"{style.RESPONSE_PLOT_FONT_PT * style.scale():.0f}pt"}
        item = self.plot.getPlotItem()
        item.setLabel("bottom", x_label, **label_style)
        item.setLabel("left", y_label, **label_style)

    def show_param(self, pid, output: int = 0) -> None:
        self.pid = tuple(pid) if pid is not None else None
        self.output = output
        self.refresh()

    def _schedule(self, *_) -> None:
        self._timer.start()

    def refresh(self) -> None:
        self._timer.stop()
        circuit = self.document.live.circuit
        every = self.all_box.isChecked()
        if ((not every and (self.pid is None or self.pid not in circuit.param_index)) or circuit.has_loop
                or not circuit.output_ids or not circuit.params):
            self.predicted.setData([], [])
            self.actual.setData([], [])
            self.band.setRegion((0, 0))
            self.info.setText("Pick a parameter in the table to see its nudge curve.")
            return
        k = min(self.output, len(circuit.output_ids) - 1)
        m = self.max_spin.value()
        deltas = np.linspace(-m, m, 401)
        out = circuit.labels[circuit.output_ids[k]]
        if every:
            pred, act = nudge_all_curve(circuit, circuit.input_values, deltas, k, seed=style.RESPONSE_NUDGE_SEED)
            x_label, what = "s (every Δp = s·u)", f"ΔO of {out} when every parameter moves by s·u"
        else:
            p = circuit.params[circuit.param_index[self.pid]]
            pred, act = nudge_curve(circuit, circuit.input_values, p, deltas, k)
            x_label, what = f"Δ {p.name}", f"ΔO of {out} when {p.name} moves by Δ"
        self.predicted.setData(deltas, pred)
        self.actual.setData(deltas, act)
        ok = np.abs(act - pred) <= style.RESPONSE_LINEAR_TOLERANCE
        centre = len(deltas) // 2
        lo = hi = centre
        while lo > 0 and ok[lo - 1]:
            lo -= 1
        while hi < len(deltas) - 1 and ok[hi + 1]:
            hi += 1
        self.band.setRegion((deltas[lo], deltas[hi]))
        self.set_axis_labels(x_label, f"Δ{out}")
        self.plot.setToolTip(what)
        ys = np.concatenate([pred, act])
        y0, y1 = float(ys.min()), float(ys.max())
        pad = 0.08 * max(y1 - y0, 0.02)
        self.plot.getPlotItem().setYRange(y0 - pad, y1 + pad, padding=0)
        self.plot.getPlotItem().setXRange(-m, m, padding=0.02)
        slope = (pred[-1] - pred[0]) / (2 * m)
        if every:
            span = ("over the whole range" if lo == 0 and hi == len(deltas) - 1
                    else f"for s from {deltas[lo]:.3g} to {deltas[hi]:.3g}, and bends away beyond")
            self.info.setText(f"All {len(circuit.params)} parameters moved at once along a random direction: "
                              f"Σ ∂O/∂p·Δp = {style.readable(slope)}·s holds to "
                              f"{style.RESPONSE_LINEAR_TOLERANCE:g} {span}.")
        elif slope == 0 and np.any(act != 0):
            self.info.setText("∂O/∂p = 0 here, so the prediction is flat — yet the actual output changes "
                              "(a perceptron flips, or a sigmoid is saturated).")
        elif lo == 0 and hi == len(deltas) - 1:
            self.info.setText(f"∂O/∂p = {style.readable(slope)}: the prediction holds to {style.RESPONSE_LINEAR_TOLERANCE:g} over the "
                              f"whole range ±{m:g}.")
        else:
            self.info.setText(f"∂O/∂p = {style.readable(slope)}: the linear prediction holds to "
                              f"{style.RESPONSE_LINEAR_TOLERANCE:g} for Δ from {deltas[lo]:.3g} to {deltas[hi]:.3g}; "
                              "beyond that the curve bends away.")
