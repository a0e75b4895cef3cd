"""The sigmoid's shape: a log slider for the base β of σ_β(z) = 1/(1 + β^(−z)), applied to the network's
sigmoid neurons, with σ_β and its derivative plotted against z."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from nnsim.core import activations
from nnsim.core.circuit.chips import all_neurons
from nnsim.core.circuit.edits import SetSetting
from nnsim.gui import style
from nnsim.gui.response.plotting import coalescing_timer, make_plot, pen, set_title, unit_axis

_LOG_LO, _LOG_HI = math.log10(style.BASE_RANGE[0]), math.log10(style.BASE_RANGE[1])


def base_to_slider(base: float) -> int:
    """The slider position (0 … BASE_SLIDER_STEPS) of base β, on a log scale."""
    t = (math.log10(min(max(base, style.BASE_RANGE[0]), style.BASE_RANGE[1])) - _LOG_LO) / (_LOG_HI - _LOG_LO)
    return int(round(t * style.BASE_SLIDER_STEPS))


def slider_to_base(position: int) -> float:
    """Base β at slider ``position``; rounded to 4 significant digits so it reads well."""
    t = position / style.BASE_SLIDER_STEPS
    base = 10 ** (_LOG_LO + t * (_LOG_HI - _LOG_LO))
    return float(f"{base:.4g}")


class SigmoidShape(QWidget):
    """β slider (log, 1.01 … 10⁶, default e) setting ``graph.sigmoid_base`` through the undo stack (one step
    per drag), and a plot of σ_β(z), σ_β′(z) and the perceptron's step for comparison."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self._serial = 0
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, style.BASE_SLIDER_STEPS)
        self.slider.setToolTip("The base β of σ_β(z) = 1/(1 + β^(−z)), log scale from 1.01 to 10⁶")
        self.value_label = QLabel()
        self.value_label.setFont(style.font(style.RESPONSE_PLOT_FONT_PT, bold=True))
        self.value_label.setMinimumWidth(120)
        self.reset_button = QPushButton("β = e (the book's σ)")
        self.reset_button.clicked.connect(lambda: self.set_base(math.e))
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.plot = make_plot("weighted input z", "")
        z = np.linspace(-6, 6, 601)
        self._z = z
        item = self.plot.getPlotItem()
        self.step_curve = item.plot(z, activations.step(z), pen=pen(style.RESPONSE_REFERENCE_COLOUR, 2, dashed=True),
                                    antialias=True)
        self.sigma_curve = item.plot([], [], pen=pen(style.response_colour("as_is"), 3.5), antialias=True)
        self.prime_curve = item.plot([], [], pen=pen(style.RESPONSE_DERIVATIVE_COLOUR, 2.5, dashed=True),
                                     antialias=True)
        legend = QLabel(f"<span style='color:{style.response_colour('as_is')}'><b>━ σ<sub>β</sub>(z)</b></span>"
                        f"&nbsp;&nbsp;<span style='color:{style.RESPONSE_DERIVATIVE_COLOUR}'><b>╍ σ<sub>β</sub>′(z)</b></span>"
                        f"&nbsp;&nbsp;<span style='color:{style.RESPONSE_REFERENCE_COLOUR}'><b>╍ perceptron step</b></span>")
        row = QHBoxLayout()
        row.addWidget(QLabel("β"))
        row.addWidget(self.slider, 1)
        row.addWidget(self.value_label)
        row.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(legend)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.info)

        self.slider.valueChanged.connect(self._on_slider)
        self.slider.sliderReleased.connect(self._on_released)
        document.graph.graph_changed.connect(self._on_graph_setting)
        # counted once after a batch of edits: opening a document adds its nodes one by one, and counting
        # every sigmoid neuron after each one was quadratic (minutes for 10,000 NAND perceptrons)
        self._info_timer = coalescing_timer(self, self._update_info)
        document.graph.node_changed.connect(self._on_node_changed)
        document.graph.node_added.connect(self._on_node_changed)
        document.graph.node_removed.connect(self._on_node_changed)
        document.sigReplaced.connect(self.refresh)
        self.refresh()

    def base(self) -> float:
        return float(self.document.graph.sigmoid_base)

    def set_base(self, base: float, merge_key=None) -> None:
        """Set the document's sigmoid base (an undoable edit)."""
        if base != self.base():
            self.document.push(SetSetting("sigmoid_base", float(base)), merge_key=merge_key)

    def _on_slider(self, position: int) -> None:
        base = slider_to_base(position)
        if self.slider.isSliderDown():
            self.set_base(base, merge_key=("sigmoid_base", self._serial))
        else:
            self.set_base(base)

    def _on_released(self) -> None:
        self.document.end_merge()
        self._serial += 1

    def _on_graph_setting(self, name) -> None:
        if name == "sigmoid_base":
            self.refresh()

    def _on_node_changed(self, *args) -> None:
        if len(args) < 2 or args[1] == "activation":
            self._info_timer.start()

    def refresh(self) -> None:
        base = self.base()
        if slider_to_base(self.slider.value()) != base:
            with QSignalBlocker(self.slider):
                self.slider.setValue(base_to_slider(base))
        name = " (e)" if abs(base - math.e) < 1e-12 else ""
        self.value_label.setText(f"β = {base:.4g}{name}")
        s = activations.sigmoid(self._z, base)
        d = activations.sigmoid_prime(self._z, base)
        self.sigma_curve.setData(self._z, s)
        self.prime_curve.setData(self._z, d)
        item = self.plot.getPlotItem()
        unit_axis(item, max(1.0, float(d.max())))
        item.setXRange(-6, 6, padding=0.01)
        set_title(self.plot, f"σ<sub>β</sub>(z) = 1/(1 + β<sup>−z</sup>), β = {base:.4g}: "
                             f"steepness ln β = {math.log(base):.3g}")
        self._update_info()

    def _update_info(self) -> None:
        self._info_timer.stop()
        base = self.base()
        n = sum(1 for nd in all_neurons(self.document.graph) if nd.activation == "sigmoid")
        where = (f"Applies to the {n} sigmoid neuron{'s' if n != 1 else ''} of this network."
                 if n else "This network has no sigmoid neurons yet: switch some to sigmoid to see the effect.")
        self.info.setText(
            f"{where} σ<sub>β</sub>(z) = σ(z·ln β): a larger β is a steeper sigmoid, and as β → ∞ it becomes the "
            f"perceptron's step; near β = 1 it is almost flat. The slope at z = 0 is ln β / 4 = "
            f"{math.log(base) / 4:.3g}, so a small change Δz changes the output by about that times Δz.")
