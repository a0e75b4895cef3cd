"""The response lab as a page of its own: the circuit on the left, the lab's plots on the right.

Below the canvas the lab's plots got 50–60 px of height at every window size; as a page beside a second
view of the same canvas they get most of the window, and the student still sees (and clicks) the circuit
whose weight the plot moves: both views show one scene, so a click on either selects the parameter.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QSplitter

from nnsim.gui.canvas.view import CircuitView

#: Share of the page's width the circuit gets (the lab gets the rest).
CIRCUIT_SHARE = 0.36


class LabPage(QSplitter):
    """``view`` (a :class:`CircuitView` of the circuit page's scene) beside ``lab`` (a ResponseLab)."""

    def __init__(self, circuit_page, lab, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.view = CircuitView(circuit_page.scene)
        self.view.context_actions = circuit_page.view.context_actions
        self.view.setMinimumWidth(160)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setToolTip("The circuit: click a wire or neuron to plot its weight or bias, click an input "
                             "to switch it")
        self.lab = lab
        self.addWidget(self.view)
        self.addWidget(lab)
        self.setChildrenCollapsible(False)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self._sized = False
        circuit_page.document.sigReplaced.connect(lambda: QTimer.singleShot(0, self._fit_if_shown))
        if hasattr(lab, "currentChanged"):
            lab.currentChanged.connect(lambda _: self._apply_sizes())

    def _circuit_width(self) -> int:
        """The circuit's share; a tool that does not work on the circuit (the descent playground) leaves it
        a narrow strip and takes the room."""
        current = self.lab.currentWidget() if hasattr(self.lab, "currentWidget") else None
        if current is not None and getattr(current, "uses_document", True) is False:
            return self.view.minimumWidth()
        return max(self.view.minimumWidth(), int(self.width() * CIRCUIT_SHARE))

    def _apply_sizes(self) -> None:
        if self.width() > 0:
            left = self._circuit_width()
            self.setSizes([left, max(self.width() - left, 1)])
            QTimer.singleShot(0, self._fit_if_shown)

    def showEvent(self, event):
        super().showEvent(event)
        if not self._sized and self.width() > 0:
            self._sized = True
            self._apply_sizes()
        QTimer.singleShot(0, self._fit_if_shown)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self._sized and event.oldSize().width() > 0 and event.size().width() != event.oldSize().width():
            self._apply_sizes()
        self._fit_if_shown()

    def _fit_if_shown(self) -> None:
        if self.isVisible():
            self.view.fit()

    def restyle(self) -> None:
        self.lab.restyle()

    def shutdown(self) -> None:
        self.lab.shutdown()
