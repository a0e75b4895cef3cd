"""The optional gate view (View › Draw Gates as Logic Symbols): NAND perceptrons drawn as NAND gates (a
NAND with its two inputs joined, one −4 wire, as NOT), and chips whose truth table is NOT, AND, OR, NAND,
NOR, XOR or XNOR drawn as that gate, for students who know logic simulators. Only the drawing changes."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPen

from nnsim.core.circuit.compile import compile_graph
from nnsim.core.errors import UserError
from nnsim.core.logic.gates import is_nand_perceptron
from nnsim.gui import style

#: Truth tables (rows 00, 01, 10, 11 or 0, 1) of the gates drawn as symbols.
_TABLES = {(1, 0): "not", (0, 0, 0, 1): "and", (0, 1, 1, 1): "or", (1, 1, 1, 0): "nand", (1, 0, 0, 0): "nor",
           (0, 1, 1, 0): "xor", (1, 0, 0, 1): "xnor"}

_state = {"on": False}


def enabled() -> bool:
    return _state["on"]


def set_enabled(on: bool) -> None:
    _state["on"] = bool(on)


def neuron_gate(graph, node_id: str) -> str:
    """"nand" or "not" when the neuron is the book's NAND perceptron (two −2 wires, or one −4), else ""."""
    if not is_nand_perceptron(graph, node_id):
        return ""
    return "not" if len(graph.wires_into(node_id)) == 1 else "nand"


_chip_kinds: dict = {}


def chip_gate(defn) -> str:
    """The gate a chip definition computes (one output, one or two inputs, perceptrons only), else ""."""
    key = (defn.name, defn.graph.revision, id(defn.graph))
    if key in _chip_kinds:
        return _chip_kinds[key]
    kind = ""
    if len(defn.outputs) == 1 and len(defn.inputs) in (1, 2):
        try:
            c = compile_graph(defn.graph)
            if not c.has_loop and all(a.name == "step" for a in c.activation_of.values()):
                kind = _TABLES.get(tuple(int(v) for v in c.truth_table()[1][:, 0]), "")
        except (UserError, ValueError):
            kind = ""
    _chip_kinds[key] = kind
    return kind


def gate_path(kind: str, r: QRectF) -> QPainterPath:
    """The outline of gate ``kind`` filling ``r`` (inputs on the left, output on the right)."""
    path = QPainterPath()
    bubble = kind in ("not", "nand", "nor", "xnor")
    right = r.right() - (r.height() * 0.18 if bubble else 0.0)
    if kind == "not":
        path.moveTo(r.topLeft())
        path.lineTo(QPointF(right, r.center().y()))
        path.lineTo(r.bottomLeft())
        path.closeSubpath()
    elif kind in ("and", "nand"):
        mid = r.left() + (right - r.left()) * 0.45
        path.moveTo(r.topLeft())
        path.lineTo(QPointF(mid, r.top()))
        path.arcTo(QRectF(mid - (right - mid), r.top(), 2 * (right - mid), r.height()), 90, -180)
        path.lineTo(r.bottomLeft())
        path.closeSubpath()
    else:  # or, nor, xor, xnor: a curved back and a pointed front
        left = r.left() + (r.width() * 0.1 if kind in ("xor", "xnor") else 0.0)
        path.moveTo(QPointF(left, r.top()))
        path.quadTo(QPointF(left + (right - left) * 0.6, r.top()), QPointF(right, r.center().y()))
        path.quadTo(QPointF(left + (right - left) * 0.6, r.bottom()), QPointF(left, r.bottom()))
        path.quadTo(QPointF(left + r.width() * 0.22, r.center().y()), QPointF(left, r.top()))
    if bubble:
        d = r.height() * 0.18
        path.addEllipse(QRectF(right, r.center().y() - d / 2, d, d))
    if kind in ("xor", "xnor"):
        back = QPainterPath()
        back.moveTo(r.topLeft())
        back.quadTo(QPointF(r.left() + r.width() * 0.22, r.center().y()), r.bottomLeft())
        path.addPath(back)
    return path


def draw_neuron(item, painter: QPainter) -> None:
    """A NAND perceptron drawn as its gate, with its port (to start a wire) and its label."""
    r = item.body_rect()
    draw(painter, item.gate, QRectF(r.left(), r.top() + r.height() * 0.1, r.width(), r.height() * 0.8),
         item.a, item.isSelected(), item.output_text())
    t = style.theme()
    painter.setPen(QPen(t.node_outline, 1.2 * style.scale()))
    painter.setBrush(QBrush(t.selection if item.hover else t.node_outline))
    painter.drawEllipse(item.port_rect())
    if item.label:
        painter.setPen(t.text)
        painter.setFont(style.font(10.5, True))
        painter.drawText(item.label_rect(), item.label_alignment(), item.label)


def draw(painter: QPainter, kind: str, r: QRectF, level: float, selected: bool, output_text: str = "") -> None:
    """Draw gate ``kind`` in ``r``, filled as lit as ``level`` (0…1)."""
    t = style.theme()
    s = style.scale()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(t.selection if selected else t.node_outline, (3.0 if selected else 2.0) * s))
    painter.setBrush(QBrush(style.mix(t.node_fill, t.on_fill, min(max(level, 0.0), 1.0))))
    painter.drawPath(gate_path(kind, r))
    if output_text:
        painter.setPen(t.on_text if level > 0.5 or not t.dark else t.text)
        painter.setFont(style.font(10, True))
        painter.drawText(r.adjusted(0, 0, -r.width() * 0.25, 0), Qt.AlignmentFlag.AlignCenter, output_text)
