"""A weighted wire on the canvas: a curve from the source's port to the target, coloured by the weight's
sign, as thick as |w| says, with a weight label that can be double-clicked to type a new value."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from nnsim.gui import style
from nnsim.gui.canvas import text_metrics
from nnsim.gui.canvas.selection import shift_as_ctrl

_LABEL_AT = 0.5   # fraction along the curve where the weight label sits
# then the spots tried, in turn, for a label that would cover a node or another label
_LABEL_TRIES = (0.5, 0.62, 0.38, 0.72, 0.28, 0.8, 0.2, 0.86, 0.14, 0.44, 0.56, 0.68, 0.32, 0.76, 0.24, 0.9, 0.1)


def wire_path(p0: QPointF, p1: QPointF) -> QPainterPath:
    """A horizontal-tangent cubic from ``p0`` to ``p1``. A wire that runs backwards (a loop, as in a latch)
    arcs over the top of both ends so that it does not lie on the forward wire."""
    dx = p1.x() - p0.x()
    path = QPainterPath(p0)
    if dx >= 20:
        reach = max(40.0, dx * 0.5)
        path.cubicTo(p0 + QPointF(reach, 0), p1 - QPointF(reach, 0), p1)
        return path
    reach = max(70.0, -dx * 0.3)
    top = min(p0.y(), p1.y()) - 70.0 - abs(p0.y() - p1.y()) * 0.3
    path.cubicTo(QPointF(p0.x() + reach, top), QPointF(p1.x() - reach, top), p1)
    return path


class WireItem(QGraphicsItem):
    """The view of one wire between two :class:`NodeItem` s. ``source_pin``/``target_pin`` name a chip
    instance's pins; a ``plain`` wire (into a chip pin or an output node) has no weight to show. With
    ``route=False`` the wire has no path until :meth:`update_path` (the scene routes a batch of new wires once,
    after the whole edit: routing each at birth too would route every wire of an opened document twice)."""

    def __init__(self, wire_id: str, source, target, weight: float, source_pin: str = "", target_pin: str = "",
                 plain: bool = False, route: bool = True):
        super().__init__()
        self.wire_id = wire_id
        self.source = source
        self.target = target
        self.source_pin = source_pin
        self.target_pin = target_pin
        self.plain = plain
        self.weight = float(weight)
        self.active = True
        self._path = QPainterPath()
        self._label_centre = QPointF()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(style.Z_WIRE)
        self.setAcceptHoverEvents(True)
        self.hover = False
        if route:
            self.update_path()
        else:
            self._pen_width = self._compute_pen_width()
            self._bounding = QRectF()

    def __repr__(self):
        return f"WireItem({self.wire_id!r}, {self.source.node_id}->{self.target.node_id})"

    def set_weight(self, weight: float) -> None:
        self.weight = float(weight)
        self.update_path()  # the label's width changed: find it a spot again

    def set_active(self, active: bool) -> None:
        if active != self.active:
            self.active = active
            self.update()

    def update_path(self) -> None:
        self.prepareGeometryChange()
        start = self.source.exit_point(self) if hasattr(self.source, "exit_point") else self.source.port_scene()
        self._path = wire_path(start, self.target.entry_point(self))
        self._label_centre = self._label_spot()
        self._relayout()
        self.update()

    def _label_spot(self) -> QPointF:
        """Where the weight label goes: long wires carry it nearer the neuron they feed; then the first spot
        along the wire where it covers no node, name, bias or another wire's label (the scene knows where nodes
        are)."""
        if self.plain:   # no label to place
            return self._path.pointAtPercent(_LABEL_AT)
        length = self._path.length()
        first = min(max(_LABEL_AT, 1.0 - 80.0 / length), 0.8) if length > 0 else _LABEL_AT
        scene = self.scene()
        if scene is None or not hasattr(scene, "label_blocked"):
            return self._path.pointAtPercent(first)
        size = self._label_size()
        for t in (first, *_LABEL_TRIES):
            c = self._path.pointAtPercent(t)
            if not scene.label_blocked(QRectF(c.x() - size[0] / 2, c.y() - size[1] / 2, *size), self):
                return c
        return self._path.pointAtPercent(first)

    def _label_size(self) -> tuple[float, float]:
        if self.plain:
            return 0.0, 0.0
        return text_metrics.advance(9, True, self.label_text()) + 10, text_metrics.height(9, True) + 2

    def _relayout(self) -> None:
        """Cache the pen width, label box and bounds (fonts make them costly to work out at each paint)."""
        self.prepareGeometryChange()
        self._pen_width = self._compute_pen_width()
        self._label_rect = self._compute_label_rect()
        m = self._pen_width + 4
        self._bounding = self._path.boundingRect().adjusted(-m, -m, m, m).united(
            self._label_rect.adjusted(-2, -2, 2, 2))
        scene = self.scene()
        if scene is not None and hasattr(scene, "label_moved"):
            scene.label_moved(self)

    # ----- geometry --------------------------------------------------------------------------------
    def pen_width(self) -> float:
        return self._pen_width

    def _compute_pen_width(self) -> float:
        if self.plain:
            return style.WIRE_MIN_WIDTH * 1.2 * style.scale()
        w = style.WIRE_MIN_WIDTH + style.WIRE_WIDTH_PER_UNIT * abs(self.weight)
        return min(w, style.WIRE_MAX_WIDTH) * style.scale()

    def label_text(self) -> str:
        return style.format_number(self.weight)

    def label_rect(self) -> QRectF:
        return self._label_rect

    def has_label_rect(self) -> bool:
        """Whether the label has been placed yet (a wire being built has not)."""
        return hasattr(self, "_label_rect")

    def _compute_label_rect(self) -> QRectF:
        w, h = self._label_size()
        c = self._label_centre
        return QRectF(c.x() - w / 2, c.y() - h / 2, w, h)

    def boundingRect(self) -> QRectF:
        return self._bounding

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(max(self.pen_width(), 10.0))
        path = stroker.createStroke(self._path)
        path.addRect(self.label_rect())
        return path

    def colour(self, t: style.Theme) -> QColor:
        if self.plain:
            return t.node_outline
        return t.positive if self.weight > 0 else t.negative if self.weight < 0 else t.zero

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        t = style.theme()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(self.colour(t))
        if not self.active:
            colour.setAlpha(style.WIRE_IDLE_ALPHA)
        if self.isSelected() or self.hover:
            glow = QColor(t.selection)
            glow.setAlpha(110 if self.hover and not self.isSelected() else 170)
            painter.setPen(QPen(glow, self.pen_width() + 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawPath(self._path)
        pen = QPen(colour, self.pen_width(), Qt.PenStyle.SolidLine if self.weight != 0 else Qt.PenStyle.DashLine,
                   Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < style.LABEL_MIN_ZOOM or self.plain:
            return
        r = self.label_rect()
        painter.setPen(QPen(self.colour(t), 1.2))
        painter.setBrush(QBrush(t.label_fill))
        painter.drawRoundedRect(r, 5, 5)
        painter.setPen(self.colour(t))
        painter.setFont(style.font(9, True))
        painter.drawText(r, Qt.AlignmentFlag.AlignCenter, self.label_text())

    # ----- interaction -----------------------------------------------------------------------------
    def hoverEnterEvent(self, event):
        self.hover = True
        self.update()

    def hoverLeaveEvent(self, event):
        self.hover = False
        self.update()

    def mousePressEvent(self, event):
        shift_as_ctrl(event)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event):
        shift_as_ctrl(event)
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event):
        if not self.plain:
            self.scene().edit_weight(self.wire_id)
        event.accept()
