"""An output node on the canvas: a small box showing the value of the one signal it reads, named on its
right (where the answer goes). Inside a chip, output nodes are the chip's output pins."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from nnsim.core.circuit.graph import Node
from nnsim.gui import style
from nnsim.gui.canvas.node_item import BoxItem, NodeItem

_GAP = 6.0


class OutputItem(BoxItem):
    """The view of one output node (kind ``"output"``)."""

    def __init__(self, node: Node):
        super().__init__(node)
        self.is_output = True
        self._relayout()

    def __repr__(self):
        return f"OutputItem({self.node_id!r})"

    def sync(self, node: Node) -> None:
        self.label = node.name
        self._relayout()
        if self.pos() != QPointF(node.x, node.y):
            self.setPos(node.x, node.y)
        self.update()

    def set_activity(self, a: float, z: float, is_output: bool) -> None:
        if a != self.a:
            self.a = float(a)
            self.update()

    # ----- geometry --------------------------------------------------------------------------------
    def _body_rect(self) -> QRectF:
        w, h = style.OUTPUT_SIZE
        s = style.size_scale()
        return QRectF(-w * s / 2, -h * s / 2, w * s, h * s)

    def _label_rect(self) -> QRectF:
        if not self.label:
            return QRectF()
        w, h = self._label_size()
        return QRectF(self.body_rect().right() + _GAP, -h / 2, w, h)

    def label_alignment(self):
        return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

    def _bounding_rect(self) -> QRectF:
        r = self.body_rect()
        if self.label:
            r = r.united(self.label_rect())
        return r.adjusted(-4, -4, 4, 4)

    def entry_point(self, wire) -> QPointF:
        return self.pos() + QPointF(self.body_rect().left(), 0.0)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.body_rect(), 6, 6)
        if self.label:
            path.addRect(self.label_rect())
        return path

    # ----- painting --------------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        t = style.theme()
        s = style.scale()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        body = self.body_rect()
        level = self.a if math.isfinite(self.a) else 0.0
        fill = style.mix(t.node_fill, t.on_fill, level) if level >= 0 else style.mix(t.node_fill, t.negative_fill, -level)
        selected = self.isSelected()
        painter.setPen(QPen(t.node_outline, 1.5 * s))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(body.adjusted(-4, -4, 4, 4), 8, 8)      # the output mark: a second outline
        painter.setPen(QPen(t.selection if selected else t.node_outline, (3.5 if selected else 2.0) * s))
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(body, 6, 6)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < 0.25:
            return
        painter.setPen(t.on_text if fill.lightness() > 150 or not t.dark else t.text)
        painter.setFont(style.font(12.0, True))
        v = self.a
        text = "?" if not math.isfinite(v) else str(int(v)) if v in (0.0, 1.0) else f"{v:.2f}"
        painter.drawText(body, Qt.AlignmentFlag.AlignCenter, text)
        if self.label:
            painter.setPen(t.text)
            painter.setFont(style.font(10.5, True))
            painter.drawText(self.label_rect(), self.label_alignment(), self.label)

    # ----- interaction -----------------------------------------------------------------------------
    def hoverMoveEvent(self, event):
        super(NodeItem, self).hoverMoveEvent(event)

    def mousePressEvent(self, event):  # no port: nothing leaves an output node
        super(NodeItem, self).mousePressEvent(event)

    def mouseDoubleClickEvent(self, event):
        if self.label and self.label_rect().contains(event.pos()):
            self.scene().edit_label(self.node_id)
        event.accept()
