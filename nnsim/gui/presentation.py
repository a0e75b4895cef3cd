"""Presentation mode's layout: the canvas gets the window; the side panels wait in a slim strip.

Entering hides the palette, the inspector and the truth table and shows a narrow bar on the right edge
with one button each for the truth table (F6) and the response plot (F7); Esc leaves, and the panels come
back as they were. Fonts and pens grow through :func:`nnsim.gui.style.set_presentation` (the main window).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar


class Presenter(QObject):
    """Owns the strip and the panels' visibility for one :class:`~nnsim.gui.main_window.MainWindow`."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        page = window.circuit
        self.hidden_docks = [page.palette_dock, page.inspector_dock, page.table_dock]
        self._was_visible: dict = {}
        self.active = False

        self.strip = QToolBar("Presentation")
        self.strip.setObjectName("presentation-strip")
        self.strip.setMovable(False)
        self.strip.setFloatable(False)
        self.strip.setOrientation(Qt.Orientation.Vertical)
        self.strip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.table_action = QAction("Truth\ntable", window)
        self.table_action.setCheckable(True)
        self.table_action.setShortcut(QKeySequence("F6"))
        self.table_action.setToolTip("Show or hide the truth table (F6)")
        self.table_action.toggled.connect(self._show_table)
        self.plot_action = QAction("Plot", window)
        self.plot_action.setShortcut(QKeySequence("F7"))
        self.plot_action.setToolTip("Switch between the circuit and the response plot (F7)")
        self.plot_action.triggered.connect(self.toggle_plot)
        self.leave_action = QAction("Leave\n(Esc)", window)
        self.leave_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.leave_action.setToolTip("Leave presentation mode (Esc or F5)")
        self.leave_action.triggered.connect(lambda: window.set_presentation(False))
        for a in (self.table_action, self.plot_action, self.leave_action):
            a.setEnabled(False)
            window.addAction(a)
            self.strip.addAction(a)
        self.strip.hide()
        page.addToolBar(Qt.ToolBarArea.RightToolBarArea, self.strip)

    def apply(self, on: bool) -> None:
        if on == self.active:
            return
        self.active = on
        if on:
            self._was_visible = {d: d.isVisible() for d in self.hidden_docks}
            for d in self.hidden_docks:
                d.hide()
        else:
            for d, visible in self._was_visible.items():
                d.setVisible(visible)
        self.strip.setVisible(on)
        for a in (self.table_action, self.plot_action, self.leave_action):
            a.setEnabled(on)
        with_blocked = self.table_action.blockSignals(True)
        self.table_action.setChecked(False)
        self.table_action.blockSignals(with_blocked)
        QTimer.singleShot(0, self._fit)

    def _show_table(self, shown: bool) -> None:
        if not self.active:
            return
        self.window.circuit.table_dock.setVisible(shown)
        if shown:
            self.window.circuit.resizeDocks([self.window.circuit.table_dock], [330], Qt.Orientation.Horizontal)
        QTimer.singleShot(0, self._fit)

    def toggle_plot(self) -> None:
        """The response lab's page, or back to the circuit."""
        w = self.window
        if w.pages.currentIndex() != 0:
            w.pages.setCurrentIndex(0)
        elif not w.show_page("response lab"):
            w.statusBar().showMessage("The response lab is not installed.", 4000)

    def _fit(self) -> None:
        if self.window.pages.currentIndex() == 0:
            self.window.circuit.view.fit()
