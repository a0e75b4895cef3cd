"""The canvas view: wheel zoom, middle-drag or space-drag pan, rubber-band selection, fit, the Tab search
box, and a dotted grid background in the palette's colours."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsView, QMenu

from nnsim.gui import style
from nnsim.gui.canvas.chip_view import chip_presets
from nnsim.gui.canvas.keyboard import CanvasKeys
from nnsim.gui.canvas.node_search import NodeSearch
from nnsim.gui.canvas.presets import presets
from nnsim.gui.canvas.scene import CircuitScene

MIN_ZOOM = 0.08
MAX_ZOOM = 4.0


class CircuitView(QGraphicsView):
    """Shows a :class:`CircuitScene`."""

    sigZoomChanged = Signal(float)

    def __init__(self, scene: CircuitScene, parent=None):
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._pan_from: QPoint | None = None
        self._space = False
        self.search_box: NodeSearch | None = None
        self.context_actions: list = []   # filled by the main window (cut, copy, paste, delete, …)
        self.keys = CanvasKeys(self)
        self._grow_scene_rect()

    @property
    def circuit_scene(self) -> CircuitScene:
        return self.scene()

    def zoom(self) -> float:
        return self.transform().m11()

    # ----- zoom and fit ----------------------------------------------------------------------------
    def set_zoom(self, factor: float) -> None:
        factor = min(max(factor, MIN_ZOOM), MAX_ZOOM)
        current = self.zoom()
        if current > 0 and not math.isclose(factor, current):
            self.scale(factor / current, factor / current)
            self.sigZoomChanged.emit(self.zoom())

    def zoom_by(self, ratio: float) -> None:
        self.set_zoom(self.zoom() * ratio)

    def zoom_in(self) -> None:
        anchor = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.zoom_by(1.25)
        self.setTransformationAnchor(anchor)

    def zoom_out(self) -> None:
        anchor = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.zoom_by(1 / 1.25)
        self.setTransformationAnchor(anchor)

    def fit(self) -> None:
        """Show the whole circuit, no larger than 1.6× (a single neuron should not fill the screen)."""
        rect = self.circuit_scene.items_rect()
        if rect.isNull():
            self.resetTransform()
            self.centerOn(0, 0)
            return
        self._grow_scene_rect()
        m = 40.0
        self.fitInView(rect.adjusted(-m, -m, m, m), Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > 1.6:
            self.set_zoom(1.6)
        self.centerOn(rect.center())
        self.sigZoomChanged.emit(self.zoom())

    def _grow_scene_rect(self) -> None:
        """Leave room around the circuit so that it can be panned freely."""
        rect = self.circuit_scene.items_rect()
        pad = 2000.0
        base = QRectF(-pad, -pad, 2 * pad, 2 * pad)
        self.setSceneRect(base.united(rect.adjusted(-pad, -pad, pad, pad)))

    def wheelEvent(self, event):
        delta = event.angleDelta().y()
        if delta:
            self.zoom_by(1.0015 ** delta)
        event.accept()

    # ----- panning ---------------------------------------------------------------------------------
    def _pan(self, pos: QPoint) -> None:
        d = pos - self._pan_from
        self._pan_from = pos
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - d.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() - d.y())

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.MiddleButton or (self._space and event.button() == Qt.MouseButton.LeftButton):
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event):
        if self._pan_from is not None:
            self._pan(event.position().toPoint())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event):
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if self._space else Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        super().mouseReleaseEvent(event)
        self._grow_scene_rect()

    def mouseDoubleClickEvent(self, event):
        if self.itemAt(event.position().toPoint()) is None and event.button() == Qt.MouseButton.LeftButton:
            self.open_search(event.position().toPoint())
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event):
        """Right-click: the item under the mouse is selected first (unless it already is), then the menu."""
        item = self.itemAt(event.pos())
        while item is not None and item.parentItem() is not None:
            item = item.parentItem()
        if item is not None and item.flags() & item.GraphicsItemFlag.ItemIsSelectable and not item.isSelected():
            self.circuit_scene.clearSelection()
            item.setSelected(True)
        if not self.context_actions:
            return
        menu = QMenu(self)
        for action in self.context_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.exec(event.globalPos())

    _ARROWS = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}

    def keyPressEvent(self, event):
        if self.keys.handle(event):   # the canvas without a mouse (nnsim.gui.canvas.keyboard)
            event.accept()
            return
        if event.key() in self._ARROWS and self.circuit_scene.selected_node_ids():
            # arrow keys nudge the selection by one grid step (Shift: one unit), one undo step each
            dx, dy = self._ARROWS[event.key()]
            step = 1.0 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else style.GRID
            self.circuit_scene.nudge_selection(dx * step, dy * step)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event):
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self._pan_from = None
            self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        super().keyReleaseEvent(event)

    def event(self, event):
        # Tab opens the search box instead of moving the focus
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Tab and not event.modifiers():
            pos = self.viewport().mapFromGlobal(self.cursor().pos())
            if not self.viewport().rect().contains(pos):
                pos = self.viewport().rect().center()
            self.open_search(pos)
            return True
        return super().event(event)

    # ----- Tab search ------------------------------------------------------------------------------
    def open_search(self, pos: QPoint | None = None) -> NodeSearch:
        """Open the add-node search box at ``pos`` (viewport coordinates; default: the centre)."""
        if pos is None:
            pos = self.viewport().rect().center()
        if self.search_box is not None:
            try:
                self.search_box.close_box()
            except RuntimeError:
                pass
        scene_pos = self.mapToScene(pos)
        self.search_box = NodeSearch(self.viewport(), pos, presets() + chip_presets(self.circuit_scene.graph),
                                     lambda p: self.circuit_scene.add_preset(p, scene_pos))
        return self.search_box

    def centre_point(self) -> QPointF:
        """The scene point at the middle of the view (where double-clicked palette entries land)."""
        return self.mapToScene(self.viewport().rect().center())

    # ----- background ------------------------------------------------------------------------------
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        t = style.theme()
        painter.fillRect(rect, t.background)
        if self.zoom() < 0.35:
            return
        g = style.GRID * (2 if self.zoom() < 0.7 else 1)
        left = math.floor(rect.left() / g) * g
        top = math.floor(rect.top() / g) * g
        pen = QPen(t.grid, 2.2 / max(self.zoom(), 0.2))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        points = []
        x = left
        while x < rect.right():
            y = top
            while y < rect.bottom():
                points.append(QPointF(x, y))
                y += g
            x += g
        painter.drawPoints(points)
