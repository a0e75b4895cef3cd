"""The response lab: one tab per tool, all over the shared document, docked beside the canvas."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QTabWidget

import pyqtgraph as pg  # noqa: E402  (PySide6 first, see nnsim.gui)

from nnsim.gui import style

from nnsim.gui.response.descent_playground import DescentPlayground
from nnsim.gui.response.gallery import ActivationGallery
from nnsim.gui.response.plotting import coalescing_timer, recolour_plot, restyle_plot
from nnsim.gui.response.response_plot import ResponsePlot
from nnsim.gui.response.scale_plot import ScalePlot
from nnsim.gui.response.sensitivity_panel import SensitivityPanel
from nnsim.gui.response.sigmoid_shape import SigmoidShape
from nnsim.gui.response.teach_panel import TeachPanel


class ResponseLab(QTabWidget):
    """Tabs: Response (output against one weight or bias), Sigmoid β (its shape), Activations (a gallery),
    Sensitivity (∂O/∂p table + nudge plot), Scale c, Descent (2-D playground) and Teach.

    The selected parameter is shared with the canvas through ``document.selected_param``; every change the
    lab makes goes through ``document.push`` (undoable). The Scale c plot, the Sensitivity table and Teach
    compute in worker threads on copies of the graph (see :mod:`nnsim.gui.worker`); call :meth:`shutdown`
    before closing."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.setDocumentMode(True)
        self.response = ResponsePlot(document)
        self.shape = SigmoidShape(document)
        self.gallery = ActivationGallery(document)
        self.sensitivity = SensitivityPanel(document)
        self.scale = ScalePlot(document)
        self.descent = DescentPlayground()
        self.teach = TeachPanel(document)
        self.addTab(self.response, "Response")
        self.addTab(self.shape, "Sigmoid β")
        self.addTab(self.gallery, "Activations")
        self.addTab(self.sensitivity, "Sensitivity")
        self.addTab(self.scale, "Scale c")
        self.addTab(self.descent, "Descent")
        self.addTab(self.teach, "Teach")
        self.setTabToolTip(0, "How one output moves as one weight or bias moves")
        self.setTabToolTip(1, "The sigmoid's base β: from nearly flat to nearly a step")
        self.setTabToolTip(2, "Step, sigmoid, tanh, ReLU, softplus: which keep small change in, small change out?")
        self.setTabToolTip(3, "∂O/∂p for every parameter: predicted against actual ΔO")
        self.setTabToolTip(4, "Sigmoid neurons with weights × c imitate a perceptron circuit as c grows")
        self.setTabToolTip(5, "Gradient descent on a cost of two variables")
        self.setTabToolTip(6, "Train the canvas network on its target truth table")
        self._styled_scale = style.scale()
        self._restyle_timer = coalescing_timer(self, self.restyle)
        self._recolour_timer = coalescing_timer(self, self.recolour)

    def changeEvent(self, event):
        # Presentation mode (F5) changes the application font: the plots, built once, follow it here
        # (at once when the scale changed, so the main window sizes the dock to the lab's new minimum)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            # a theme switch (style, then palette: once both are in): plots were built in the old colours
            self._recolour_timer.start()
        if event.type() in (QEvent.Type.ApplicationFontChange, QEvent.Type.FontChange):
            if style.scale() != self._styled_scale:
                self.restyle()
            else:
                self._restyle_timer.start()
        super().changeEvent(event)

    def restyle(self) -> None:
        """Re-apply fonts, pen widths and marker sizes after presentation mode was switched on or off."""
        self._restyle_timer.stop()
        ratio = style.scale() / self._styled_scale
        self._styled_scale = style.scale()
        for plot in self.findChildren(pg.PlotWidget):
            restyle_plot(plot, ratio)
        self.response.status.setFont(style.font(style.RESPONSE_PLOT_FONT_PT))
        self.response.status.setMinimumHeight(2 * self.response.status.fontMetrics().lineSpacing() + 4)
        self.shape.value_label.setFont(style.font(style.RESPONSE_PLOT_FONT_PT, bold=True))
        self.sensitivity.restyle()

    def recolour(self) -> None:
        for plot in self.findChildren(pg.PlotWidget):
            recolour_plot(plot)
        self.response.recolour()

    def closeEvent(self, event):
        """Closed as a window of its own (not as a dock's content): stop its threads too."""
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the worker threads (scale curve, sensitivity table, teach run): cancel → quit → wait."""
        self.scale.shutdown()
        self.sensitivity.shutdown()
        self.teach.shutdown()
