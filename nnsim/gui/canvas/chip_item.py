"""A chip instance on the canvas: one box with the chip's name, its input pins on the left and output pins
on the right (a bus ``a[0]`` … ``a[15]`` as one row ``a[16]`` with its number), and their live values.

Like :class:`~nnsim.gui.canvas.node_item.NodeItem` (whose interface the scene relies on) it is a view: it
shows what the scene tells it and reports gestures — start a wire at an output pin, open the chip on a
double-click, edit its label — to the scene.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from nnsim.core.circuit.graph import Node
from nnsim.gui import style
from nnsim.gui.canvas import gate_symbols
from nnsim.gui.canvas.node_item import BoxItem, NodeItem
from nnsim.gui.canvas.pin_rows import PinRow, pin_rows
from nnsim.gui.canvas.selection import shift_as_ctrl

_PAD = 8.0


class ChipItem(BoxItem):
    """The view of one chip instance. ``inputs``/``outputs``: the definition's pin names, in order."""

    def __init__(self, node: Node, inputs: list[str], outputs: list[str]):
        self.chip = node.chip
        self.tied: dict = dict(node.tied)
        self.in_rows: list[PinRow] = pin_rows(inputs)
        self.out_rows: list[PinRow] = pin_rows(outputs)
        self.pin_values: dict[str, float] = {}
        self.out_values: dict[str, float] = {}
        super().__init__(node)
        self.setCursor(Qt.CursorShape.ArrowCursor)
        self.setToolTip(f"{node.id}: an instance of chip {node.chip} (double-click to open it)")

    def __repr__(self):
        return f"ChipItem({self.node_id!r}, {self.chip})"

    # ----- data ------------------------------------------------------------------------------------
    def sync(self, node: Node) -> None:
        self.chip = node.chip
        self.tied = dict(node.tied)
        super().sync(node)

    def set_pins(self, inputs: list[str], outputs: list[str]) -> None:
        """The definition's pins changed (it was edited)."""
        self.in_rows, self.out_rows = pin_rows(inputs), pin_rows(outputs)
        self._relayout()
        self.update()

    def set_pin_values(self, inputs: dict[str, float], outputs: dict[str, float]) -> None:
        if inputs != self.pin_values or outputs != self.out_values:
            self.pin_values, self.out_values = dict(inputs), dict(outputs)
            self.update()

    def set_activity(self, a: float, z: float, is_output: bool) -> None:  # a chip has no single activity
        return

    # ----- geometry --------------------------------------------------------------------------------
    def _row_texts(self) -> tuple[float, float]:
        fm = QFontMetricsF(style.font(10.5))
        room = lambda r: fm.horizontalAdvance(r.title + (" 00000" if r.is_bus else " 0"))  # noqa: E731 - name, value
        left = max((room(r) for r in self.in_rows), default=0.0)
        right = max((room(r) for r in self.out_rows), default=0.0)
        return left, right

    _sizes: dict = {}   # (chip, rows, scales) -> body rect: font metrics are costly, boxes repeat

    def _body_rect(self) -> QRectF:
        key = (self.chip, tuple(r.title for r in self.in_rows), tuple(r.title for r in self.out_rows),
               style.size_scale(), style.scale())
        rect = ChipItem._sizes.get(key)
        if rect is None:
            rect = ChipItem._sizes[key] = self._measure_body()
        return QRectF(rect)

    def _measure_body(self) -> QRectF:
        s = style.size_scale()
        rows = max(len(self.in_rows), len(self.out_rows), 1)
        title = QFontMetricsF(style.font(11.5, True)).horizontalAdvance(self.chip) + 2 * _PAD
        left, right = self._row_texts()
        w = max(style.CHIP_MIN_WIDTH * s, title, left + right + 5 * _PAD)
        h = style.CHIP_TITLE * s + rows * style.CHIP_ROW * s + _PAD / 2
        return QRectF(-w / 2, -h / 2, w, h)

    def _label_rect(self) -> QRectF:
        if not self.label:
            return QRectF()
        w, h = self._label_size()
        return QRectF(-w / 2, self.body_rect().top() - 2 - h, w, h)

    def _bounding_rect(self) -> QRectF:
        r = self.body_rect()
        if self.label:
            r = r.united(self.label_rect())
        return r.adjusted(-style.CHIP_PIN_RADIUS - 4, -4, style.CHIP_PIN_RADIUS + 4, 4)

    def row_y(self, index: int) -> float:
        """Local y of the centre of pin row ``index``."""
        s = style.size_scale()
        return self.body_rect().top() + style.CHIP_TITLE * s + (index + 0.5) * style.CHIP_ROW * s

    def _row_of(self, rows: list[PinRow], pin: str) -> int:
        for i, r in enumerate(rows):
            if pin in r.pins:
                return i
        return -1

    def pin_local(self, pin: str, output: bool) -> QPointF:
        rows = self.out_rows if output else self.in_rows
        i = self._row_of(rows, pin)
        body = self.body_rect()
        x = body.right() if output else body.left()
        return QPointF(x, self.row_y(i) if i >= 0 else 0.0)

    def entry_point(self, wire) -> QPointF:
        return self.pos() + self.pin_local(getattr(wire, "target_pin", ""), False)

    def exit_point(self, wire) -> QPointF:
        return self.pos() + self.pin_local(getattr(wire, "source_pin", ""), True)

    def pin_at(self, local: QPointF, output: bool) -> str | None:
        """The pin whose row is at ``local`` (item coordinates) on the given side, or None (a bus row gives
        its first bit that is still free is up to the caller: here its bit 0)."""
        rows = self.out_rows if output else self.in_rows
        s = style.size_scale()
        for i, r in enumerate(rows):
            if abs(local.y() - self.row_y(i)) <= style.CHIP_ROW * s / 2:
                return r.pins[0]
        return None

    def row_at(self, local: QPointF, output: bool) -> PinRow | None:
        rows = self.out_rows if output else self.in_rows
        s = style.size_scale()
        for i, r in enumerate(rows):
            if abs(local.y() - self.row_y(i)) <= style.CHIP_ROW * s / 2:
                return r
        return None

    def on_output_pin(self, local: QPointF) -> bool:
        body = self.body_rect()
        return abs(local.x() - body.right()) <= 2 * style.CHIP_PIN_RADIUS + 4 and \
            self.row_at(local, True) is not None

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.body_rect().adjusted(-style.CHIP_PIN_RADIUS, 0, style.CHIP_PIN_RADIUS, 0), 6, 6)
        if self.label:
            path.addRect(self.label_rect())
        return path

    # ----- painting --------------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        t = style.theme()
        s = style.scale()
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        body = self.body_rect()
        selected = self.isSelected()
        title_h = style.CHIP_TITLE * style.size_scale()
        if getattr(self, "gate", "") and gate_symbols.enabled():   # a recognised gate, drawn as its symbol
            level = max(self.out_values.values(), default=0.0)
            gate_symbols.draw(painter, self.gate, body.adjusted(_PAD, title_h * 0.5, -_PAD, -2), level, selected,
                              "")
            for rows, values, output in ((self.in_rows, self.pin_values, False), (self.out_rows, self.out_values, True)):
                for i, row in enumerate(rows):
                    self._paint_pin(painter, t, row, values, output, i, lod)
            return
        painter.setPen(QPen(t.selection if selected else t.node_outline, (3.0 if selected else 1.8) * s))
        painter.setBrush(QBrush(t.node_fill))
        painter.drawRoundedRect(body, 6, 6)
        # the title band, tinted, so that a chip reads as one even when too small for its name
        band = QRectF(body.left() + 1.5, body.top() + 1.5, body.width() - 3, title_h - 1.5)
        painter.fillRect(band, style.mix(t.node_fill, t.grid, 0.45))
        painter.setPen(QPen(t.grid, 1))
        painter.drawLine(QPointF(body.left() + 4, body.top() + title_h), QPointF(body.right() - 4, body.top() + title_h))
        for rows, values, output in ((self.in_rows, self.pin_values, False), (self.out_rows, self.out_values, True)):
            for i, row in enumerate(rows):
                self._paint_pin(painter, t, row, values, output, i, lod)
        if lod < 0.3:
            return
        painter.setPen(t.text)
        painter.setFont(style.font(11.5, True))
        painter.drawText(QRectF(body.left(), body.top(), body.width(), title_h), Qt.AlignmentFlag.AlignCenter,
                         self.chip)
        painter.setFont(style.font(10.5, True))
        if self.label:
            painter.drawText(self.label_rect(), Qt.AlignmentFlag.AlignCenter, self.label)
        if lod < style.LABEL_MIN_ZOOM / 2:
            return
        painter.setFont(style.font(10.5))
        fm = QFontMetricsF(style.font(10.5))
        for rows, values, output in ((self.in_rows, self.pin_values, False), (self.out_rows, self.out_values, True)):
            for i, row in enumerate(rows):
                y = self.row_y(i)
                h = style.CHIP_ROW * style.size_scale()
                rect = QRectF(body.left() + _PAD, y - h / 2, body.width() - 2 * _PAD, h)
                side = Qt.AlignmentFlag.AlignRight if output else Qt.AlignmentFlag.AlignLeft
                align = side | Qt.AlignmentFlag.AlignVCenter
                tied = "" if output or row.pins[0] not in self.tied else f"={self.tied[row.pins[0]]}"
                name = row.title + tied
                value = row.value_text(values)
                painter.setPen(t.text)
                if output:
                    painter.drawText(rect, align, name)
                    if value:
                        painter.setPen(t.muted)
                        vr = rect.adjusted(0, 0, -fm.horizontalAdvance(name) - 5, 0)
                        painter.drawText(vr, align, value)
                else:
                    painter.drawText(rect, align, name)
                    if value:
                        painter.setPen(t.muted)
                        vr = rect.adjusted(fm.horizontalAdvance(name) + 5, 0, 0, 0)
                        painter.drawText(vr, align, value)

    def _paint_pin(self, painter, t, row: PinRow, values: dict, output: bool, index: int, lod: float) -> None:
        if lod < 0.35:   # too small to see: a big circuit fitted to the window repaints faster without them
            return
        c = QPointF(self.body_rect().right() if output else self.body_rect().left(), self.row_y(index))
        r = style.CHIP_PIN_RADIUS * style.scale()
        lit = [values.get(p, 0.0) for p in row.pins]
        level = sum(min(max(v, 0.0), 1.0) for v in lit) / len(lit) if lit else 0.0
        painter.setPen(QPen(t.node_outline, 1.2 * style.scale()))
        painter.setBrush(QBrush(style.mix(t.node_fill, t.on_fill, level)))
        if row.is_bus:
            painter.drawRoundedRect(QRectF(c.x() - r, c.y() - r * 1.4, 2 * r, 2.8 * r), 2, 2)
        else:
            painter.drawEllipse(c, r, r)

    # ----- interaction -----------------------------------------------------------------------------
    def hoverMoveEvent(self, event):
        self.setCursor(Qt.CursorShape.CrossCursor if self.on_output_pin(event.pos()) else Qt.CursorShape.ArrowCursor)
        super(NodeItem, self).hoverMoveEvent(event)

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton and self.on_output_pin(event.pos()):
            row = self.row_at(event.pos(), True)
            self.scene().start_connection(self, event.scenePos(), pin=row.pins[0])
            event.accept()
            return
        shift_as_ctrl(event)
        super(NodeItem, self).mousePressEvent(event)

    def mouseReleaseEvent(self, event):
        shift_as_ctrl(event)
        super(NodeItem, self).mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event):
        scene = self.scene()
        if self.label and self.label_rect().contains(event.pos()):
            scene.edit_label(self.node_id)
        elif hasattr(scene, "open_instance"):
            scene.open_instance(self.node_id)
        event.accept()
