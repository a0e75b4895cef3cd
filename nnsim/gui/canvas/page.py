"""The circuit page: the canvas in the middle, the palette on the left, the inspector and truth table on the
right, and the time-step controls that appear when the graph has a loop."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFrame, QLabel, QMainWindow, QScrollArea, QToolBar, QWidget

from nnsim.gui import style
from nnsim.gui.canvas import placement
from nnsim.gui.canvas.presets import find
from nnsim.gui.canvas.scene import CircuitScene
from nnsim.gui.canvas.simulator import Simulator
from nnsim.gui.canvas.view import CircuitView
from nnsim.gui.document import Document
from nnsim.gui.panels.inspector import Inspector
from nnsim.gui.panels.palette import Palette
from nnsim.gui.panels.truth_table import TruthTablePanel


def scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area, so that its minimum size does not set the window's."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


class CircuitPage(QMainWindow):
    """Everything about one document's circuit. ``scene``, ``view``, ``simulator``, ``palette``,
    ``inspector`` and ``truth_table`` are public for the main window and tests."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlags(Qt.WindowType.Widget)
        self.setDockNestingEnabled(True)
        # The palette runs the full height on the left; a panel below the canvas (the response lab) starts
        # to its right, so the palette's entries stay visible (presentation mode too).
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.document = document
        self.simulator = Simulator(document, self)
        self.scene = CircuitScene(document, self.simulator, self)
        self.view = CircuitView(self.scene)
        self.setCentralWidget(self.view)

        self.palette_panel = Palette()
        self.palette_panel.sigActivated.connect(self.add_at_centre)
        self.inspector = Inspector(self.scene)
        self.truth_table = TruthTablePanel(document, self.simulator)
        self.palette_dock = self._dock(self.palette_panel, "Palette", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.inspector_dock = self._dock(scrolling(self.inspector), "Inspector", Qt.DockWidgetArea.RightDockWidgetArea)
        self.table_dock = self._dock(self.truth_table, "Truth table", Qt.DockWidgetArea.RightDockWidgetArea)
        self.splitDockWidget(self.inspector_dock, self.table_dock, Qt.Orientation.Vertical)
        self.resizeDocks([self.palette_dock], [190], Qt.Orientation.Horizontal)
        self.resizeDocks([self.inspector_dock], [330], Qt.Orientation.Horizontal)
        self.resizeDocks([self.inspector_dock, self.table_dock], [320, 380], Qt.Orientation.Vertical)

        # time steps for graphs with a loop
        self.step_action = QAction("Step", self)
        self.step_action.setShortcut(QKeySequence("Ctrl+T"))
        self.step_action.setToolTip("One time step: every neuron reads its sources' previous outputs (Ctrl+T)")
        self.step_action.triggered.connect(self._step)
        self.run_action = QAction("Run", self)
        self.run_action.setCheckable(True)
        self.run_action.setChecked(True)
        self.run_action.setShortcut(QKeySequence("Ctrl+R"))
        self.run_action.setToolTip("Keep stepping until nothing changes (Ctrl+R)")
        self.run_action.toggled.connect(self.simulator.set_running)
        self.reset_action = QAction("Reset", self)
        self.reset_action.setToolTip("Every neuron back to 0, time step 0")
        self.reset_action.triggered.connect(self.simulator.reset)
        self.time_label = QLabel()
        self.time_label.setFont(style.font(11, True))
        self.time_bar = QToolBar("Time steps")
        self.time_bar.setObjectName("time-steps")
        self.time_bar.addWidget(QLabel("  Loop:  "))
        self.time_bar.addAction(self.step_action)
        self.time_bar.addAction(self.run_action)
        self.time_bar.addAction(self.reset_action)
        self.time_bar.addWidget(self.time_label)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.time_bar)
        self._nodes = list(document.graph.nodes.values())   # held, so their id()s stay unique
        document.undo_stack.indexChanged.connect(self._fit_new_circuit)
        self.simulator.sigLoopChanged.connect(self._on_loop_changed)
        self.simulator.sigEvaluated.connect(self._update_time)
        self._on_loop_changed(self.simulator.has_loop)

    def _dock(self, widget: QWidget, title: str, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title.lower().replace(" ", "-"))
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def add_dock(self, widget: QWidget, title: str) -> QDockWidget:
        """Add a panel below the canvas (the response lab goes here)."""
        return self._dock(widget, title, Qt.DockWidgetArea.BottomDockWidgetArea)

    def add_at_centre(self, key: str) -> list[str]:
        """Add a palette entry in the middle of the view on a free spot; repeated adds (the view unmoved)
        go in a column below the last one."""
        centre = self.view.centre_point()
        p = QPointF(centre)
        last = getattr(self, "_last_palette_add", None)
        if last is not None and last[0] == (round(centre.x()), round(centre.y())) and last[1] in self.scene.nodes:
            below = self.scene.nodes[last[1]].pos()
            p = QPointF(below.x(), below.y() + placement.NODE_BOX[1] * style.size_scale())
        ids = self.scene.add_preset(find(key), p)
        if ids:
            self._last_palette_add = ((round(centre.x()), round(centre.y())), ids[0])
        return ids

    def _fit_new_circuit(self, _index=None) -> None:
        """An edit (or its undo) that swapped the whole circuit for another (e.g. the response lab's Load XOR
        2-2-1) shows the new one whole, as opening a file does."""
        nodes = list(self.document.graph.nodes.values())
        old = {id(n) for n in self._nodes}
        self._nodes = nodes
        if len(nodes) < 2 or any(id(n) in old for n in nodes):
            return
        seen = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        if not seen.contains(self.scene.items_rect()):
            self.view.fit()

    def _step(self) -> None:
        self.run_action.setChecked(False)
        self.simulator.step()

    def _on_loop_changed(self, has_loop: bool) -> None:
        self.time_bar.setVisible(has_loop)
        if has_loop:   # the truth table's loop marks and its set → hold → reset → hold sequence need the room
            self.resizeDocks([self.inspector_dock, self.table_dock], [150, 10_000], Qt.Orientation.Vertical)
        for a in (self.step_action, self.run_action, self.reset_action):
            a.setEnabled(has_loop)

    def _update_time(self) -> None:
        sim = self.simulator
        if sim.t is None:
            self.time_label.setText("")
            return
        state = "settled" if sim.settled else ("running" if sim.running else "waiting: press Step")
        self.time_label.setText(f"   time step t = {sim.t}   ({state})")
