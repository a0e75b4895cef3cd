"""A node on the canvas: an input switch or a neuron, drawn from the graph's data and the last evaluation.

The item is a view: it shows a copy of its node's fields (``sync``) and its activity (``set_activity``),
and reports gestures to the scene (start a wire at the port, toggle an input, edit a label). It never
changes the graph itself.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from nnsim.core.circuit.graph import Node
from nnsim.gui import style
from nnsim.gui.canvas import gate_symbols, label_grid, text_metrics
from nnsim.gui.canvas.selection import shift_as_ctrl

_LABEL_GAP = 6.0
# looked up once: an enum attribute look-up costs more than the comparison, and itemChange runs about a
# dozen times for every node item created
_POSITION_CHANGE = QGraphicsItem.GraphicsItemChange.ItemPositionChange
_POSITION_CHANGED = QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged
_SELECTED_CHANGED = QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged
# NodeItem geometry by look (see NodeItem._relayout), valid while style.font(9) is this font object
_shapes: dict = {}
_shapes_font = None


class NodeItem(QGraphicsItem):
    """The view of one node. ``node_id`` names it; ``incoming``/``outgoing`` list its wire items."""

    def __init__(self, node: Node):
        super().__init__()
        self.node_id = node.id
        self.kind = node.kind
        self.label = ""
        self.value = 0.0
        self.activation = "step"
        self.bias = 0.0
        self.is_output = False
        self.a = 0.0          # output (activation) from the last evaluation
        self.z = 0.0          # weighted input w·x + b
        self.hover = False
        self.incoming: list = []
        self.outgoing: list = []
        self._press_screen = None
        self._g: dict = {}
        self.sync(node)   # placed before it sends geometry changes: nothing to tell anyone yet
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setAcceptHoverEvents(True)
        self.setZValue(style.Z_NODE)
        self.setCursor(Qt.CursorShape.PointingHandCursor if node.is_input else Qt.CursorShape.ArrowCursor)

    def __repr__(self):
        return f"NodeItem({self.node_id!r})"

    # ----- data ------------------------------------------------------------------------------------
    @property
    def is_input(self) -> bool:
        return self.kind == "input"

    def sync(self, node: Node) -> None:
        """Copy the node's fields (called by the scene when the graph changes)."""
        # inputs always show their name; neurons only a label someone gave them (outputs, "NAND"…)
        self.label = node.name if node.is_input else node.label
        self.value = node.value
        self.activation = node.activation
        self.bias = node.bias
        self._relayout()
        if self.pos() != QPointF(node.x, node.y):
            self.setPos(node.x, node.y)
        self.update()

    def set_activity(self, a: float, z: float, is_output: bool) -> None:
        if is_output != self.is_output:
            self.is_output = is_output
            self._relayout()  # the label moves to the right of an output
            self.update()
        if a != self.a or z != self.z:
            self.a, self.z = float(a), float(z)
            self.update()

    def refresh_geometry(self) -> None:
        """Sizes depend on fonts and presentation mode: call after either changes."""
        self._relayout()
        self.update()

    # ----- geometry --------------------------------------------------------------------------------
    def _body_rect(self) -> QRectF:
        if self.is_input:
            w, h = style.input_size()
            return QRectF(-w / 2, -h / 2, w, h)
        r = style.neuron_radius()
        return QRectF(-r, -r, 2 * r, 2 * r)

    def _port_centre(self) -> QPointF:
        return QPointF(self.body_rect().right() + 1.0, 0.0)

    def _port_rect(self) -> QRectF:
        r = style.PORT_RADIUS * style.scale()
        c = self.port_centre()
        return QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)

    def _label_rect(self) -> QRectF:
        """Inputs are named on their left, output neurons on their right (where the answer goes), other
        labelled neurons above."""
        if not self.label:
            return QRectF()
        w = text_metrics.advance(10.5, True, self.label) + 8
        h = text_metrics.height(10.5, True)
        body = self.body_rect()
        if self.is_input:
            return QRectF(body.left() - _LABEL_GAP - w, -h / 2, w, h)
        if self.is_output:
            return QRectF(self.port_rect().right() + _LABEL_GAP, -h / 2, w, h)
        return QRectF(-w / 2, body.top() - 2 - h, w, h)

    def label_alignment(self):
        if self.is_input:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if self.is_output:
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        return Qt.AlignmentFlag.AlignCenter

    def bias_text(self) -> str:
        return f"b = {style.format_number(self.bias)}"

    def _bias_rect(self) -> QRectF:
        if self.is_input:
            return QRectF()
        w = text_metrics.advance(9, False, self.bias_text()) + 10
        h = text_metrics.height(9) + 2
        return QRectF(-w / 2, self.body_rect().bottom() + 2, w, h)

    def _z_rect(self) -> QRectF:
        w = text_metrics.advance(9, False, "z = −00.00") + 10
        h = text_metrics.height(9) + 2
        b = self.body_rect()
        return QRectF(b.right() - 6, b.top() - h - 2, w, h)

    def _relayout(self) -> None:
        """Work out every rectangle once (fonts make this costly); paint and hit tests read the results.
        Nodes that look alike (10,000 NAND perceptrons: same label, bias, kind) share one computation."""
        self.prepareGeometryChange()
        global _shapes_font
        if _shapes_font is not style.font(9):   # new fonts or presentation mode: sizes change
            _shapes.clear()
            _shapes_font = style.font(9)
        key = (type(self), self.kind, self.label, self.is_output, self.bias_text(), style.scale(), style.size_scale())
        shape = _shapes.get(key)
        if shape is None:
            self._fill_geometry()
            label_grid.obstacles(self)   # kept in self._g, so shared too
            if len(_shapes) > 2048:   # many distinct labels or biases: keep the table small
                _shapes.clear()
            _shapes[key] = self._g
        self._g = dict(_shapes[key])

    def _fill_geometry(self) -> None:
        """Every rectangle into ``self._g``, in an order where each may read the ones before it."""
        self._g = {}
        for name in ("body_rect", "port_centre", "port_rect", "label_rect", "bias_rect", "z_rect"):
            self._g[name] = getattr(self, "_" + name)()
        self._g["bounding"] = self._bounding_rect()

    def _bounding_rect(self) -> QRectF:
        r = self.body_rect().united(self.port_rect())
        if self.label:
            r = r.united(self.label_rect())
        if not self.is_input:
            r = r.united(self.bias_rect()).united(self.z_rect())
        return r.adjusted(-4, -4, 4, 4)

    def body_rect(self) -> QRectF:
        return self._g["body_rect"] if "body_rect" in self._g else self._body_rect()

    def port_centre(self) -> QPointF:
        return self._g["port_centre"] if "port_centre" in self._g else self._port_centre()

    def port_rect(self) -> QRectF:
        return self._g["port_rect"] if "port_rect" in self._g else self._port_rect()

    def label_rect(self) -> QRectF:
        return self._g["label_rect"]

    def bias_rect(self) -> QRectF:
        return self._g["bias_rect"]

    def z_rect(self) -> QRectF:
        return self._g["z_rect"]

    def boundingRect(self) -> QRectF:
        return self._g["bounding"]

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        if self.is_input:
            path.addRoundedRect(self.body_rect(), 8, 8)
        else:
            path.addEllipse(self.body_rect())
        path.addEllipse(self.port_rect().adjusted(-3, -3, 3, 3))
        if self.label:
            path.addRect(self.label_rect())
        if not self.is_input:
            path.addRect(self.bias_rect())
        return path

    def reset_entry_order(self) -> None:
        """Forget the order of the incoming wires (a source moved, or wires came and went)."""
        self._entry_ranks = None

    def entry_point(self, wire) -> QPointF:
        """Where ``wire`` meets this node: incoming wires are spread over the left side, top to bottom in
        the order of their sources' heights."""
        wires = self.incoming
        k = len(wires)
        ranks = getattr(self, "_entry_ranks", None)
        if ranks is None or len(ranks) != k:  # sorted once per layout, not once per wire (fan-in 1,000)
            order = sorted(wires, key=lambda w: (w.source.y(), w.source.x()))
            ranks = self._entry_ranks = {w: i for i, w in enumerate(order)}
        rank = ranks.get(wire)
        if k <= 1 or rank is None:
            rank, k = 0, 1
        spread = min(26.0, 120.0 / k)
        phi = math.radians((rank - (k - 1) / 2) * spread)
        r = style.neuron_radius()
        return self.pos() + QPointF(-r * math.cos(phi), r * math.sin(phi))

    def port_scene(self) -> QPointF:
        return self.pos() + self.port_centre()

    # ----- painting --------------------------------------------------------------------------------
    def _fill(self, t: style.Theme):
        level = self.value if self.is_input else self.a
        if not math.isfinite(level):
            level = 0.0
        if level >= 0:
            return style.mix(t.node_fill, t.on_fill, level)
        return style.mix(t.node_fill, t.negative_fill, -level)

    def output_text(self) -> str:
        v = self.value if self.is_input else self.a
        if not math.isfinite(v):
            return "?"
        if self.is_input or self.activation == "step":
            return style.format_number(v) if v != int(v) else str(int(v))
        return f"{v:.2f}"

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        if getattr(self, "gate", "") and gate_symbols.enabled():   # View › Draw Gates as Logic Symbols
            gate_symbols.draw_neuron(self, painter)
            return
        t = style.theme()
        s = style.scale()
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        body = self.body_rect()
        fill = self._fill(t)
        selected = self.isSelected()
        outline = QPen(t.selection if selected else t.node_outline, (3.5 if selected else 2.0) * s)

        # output mark: a second ring (neurons) so people see where the answer is
        if self.is_output and not self.is_input:
            painter.setPen(QPen(t.node_outline, 1.5 * s))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(body.adjusted(-5, -5, 5, 5))

        painter.setPen(outline)
        painter.setBrush(QBrush(fill))
        if self.is_input:
            painter.drawRoundedRect(body, 8, 8)
        else:
            painter.drawEllipse(body)

        # port
        painter.setPen(QPen(t.node_outline, 1.2 * s))
        painter.setBrush(QBrush(t.selection if self.hover else t.node_outline))
        painter.drawEllipse(self.port_rect())

        # dark text on a light fill (always in the light theme; on lit nodes in the dark one)
        text_colour = t.on_text if fill.lightness() > 150 or not t.dark else t.text
        # value / output
        painter.setPen(text_colour)
        if lod < 0.25:
            return
        text = self.output_text()
        size = 12.0
        big = style.font(size, True)
        while size > 7 and QFontMetricsF(big).horizontalAdvance(text) > body.width() - 8:
            size -= 1.0
            big = style.font(size, True)
        painter.setFont(big)
        value_rect = QRectF(body.left(), body.top(), body.width(), body.height() * (1.0 if self.is_input else 0.72))
        painter.drawText(value_rect, Qt.AlignmentFlag.AlignCenter, text)
        if not self.is_input:
            painter.setFont(style.font(7.5))
            tag = style.ACTIVATION_TAGS.get(self.activation, self.activation)
            painter.drawText(QRectF(body.left(), body.center().y() + 4, body.width(), body.height() * 0.3),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, tag)

        # label above
        painter.setPen(t.text)
        if self.label:
            painter.setFont(style.font(10.5, True))
            painter.drawText(self.label_rect(), self.label_alignment(), self.label)

        if self.is_input or lod < style.LABEL_MIN_ZOOM:
            return
        # bias below
        br = self.bias_rect()
        painter.setPen(QPen(t.grid, 1))
        painter.setBrush(QBrush(t.label_fill))
        painter.drawRoundedRect(br, 4, 4)
        painter.setPen(t.muted if self.bias == 0 else t.text)
        painter.setFont(style.font(9))
        painter.drawText(br, Qt.AlignmentFlag.AlignCenter, self.bias_text())

        # z on hover
        if self.hover:
            zr = self.z_rect()
            painter.setPen(QPen(t.selection, 1))
            painter.setBrush(QBrush(t.label_fill))
            painter.drawRoundedRect(zr, 4, 4)
            painter.setPen(t.text)
            painter.drawText(zr, Qt.AlignmentFlag.AlignCenter, f"z = {style.format_number(round(self.z, 3))}")

    # ----- interaction -----------------------------------------------------------------------------
    def itemChange(self, change, value):
        if change == _POSITION_CHANGE and self.scene() is not None:
            return self.scene().snapped(value)
        if change == _POSITION_CHANGED and self.scene() is not None:
            self.scene().node_item_moved(self)
        elif change == _SELECTED_CHANGED:
            self.setZValue(style.Z_SELECTED if value else style.Z_NODE)
        return super().itemChange(change, value)

    def hoverEnterEvent(self, event):
        self.hover = True
        self.update()
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event):
        self.hover = False
        self.update()
        super().hoverLeaveEvent(event)

    def hoverMoveEvent(self, event):
        on_port = self.port_rect().adjusted(-3, -3, 3, 3).contains(event.pos())
        self.setCursor(Qt.CursorShape.CrossCursor if on_port else
                       Qt.CursorShape.PointingHandCursor if self.is_input else Qt.CursorShape.ArrowCursor)
        super().hoverMoveEvent(event)

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton and \
                self.port_rect().adjusted(-3, -3, 3, 3).contains(event.pos()):
            self.scene().start_connection(self, event.scenePos())
            event.accept()
            return
        self._press_screen = event.screenPos() if event.button() == Qt.MouseButton.LeftButton else None
        shift_as_ctrl(event)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event):
        shift_as_ctrl(event)
        super().mouseReleaseEvent(event)
        press, self._press_screen = self._press_screen, None
        if (press is not None and self.is_input and event.button() == Qt.MouseButton.LeftButton
                and not event.modifiers() and (event.screenPos() - press).manhattanLength() < 4
                and self.body_rect().contains(event.pos())):
            self.scene().toggle_input(self.node_id)

    def mouseDoubleClickEvent(self, event):
        p = event.pos()
        scene = self.scene()
        if self.label and self.label_rect().contains(p):
            scene.edit_label(self.node_id)
        elif not self.is_input and (self.bias_rect().contains(p) or self.body_rect().contains(p)):
            scene.edit_bias(self.node_id)
        elif self.is_input and self.body_rect().contains(p):
            scene.edit_value(self.node_id)
        event.accept()


class BoxItem(NodeItem):
    """A node drawn as a box of its own shape (a chip instance, an output node): no bias or z read-out,
    and its geometry is its own (pins and values differ between boxes), not shared like a neuron's."""

    def _port_centre(self) -> QPointF:
        return QPointF(self.body_rect().right(), 0.0)

    def _port_rect(self) -> QRectF:
        return QRectF()

    def _label_size(self) -> tuple[float, float]:
        """Width and height of the box's name (bold, as a neuron's)."""
        return text_metrics.advance(10.5, True, self.label) + 8, text_metrics.height(10.5, True)

    def _bias_rect(self) -> QRectF:
        return QRectF()

    def _z_rect(self) -> QRectF:
        return QRectF()

    def _relayout(self) -> None:
        self.prepareGeometryChange()
        self._fill_geometry()
