"""A fine spatial hash of the wires' weight labels, so that placing one label checks only the labels
near it, not every label of every wire at a neuron (with a fan-in of 1,000 that was a million checks per
placement)."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF

CELL = 48.0


class LabelGrid:
    """Wire items by the grid cells their label rectangle covers."""

    def __init__(self):
        self._cells_of: dict = {}
        self._cells: dict[tuple[int, int], set] = {}

    @staticmethod
    def _keys(rect: QRectF) -> list[tuple[int, int]]:
        x0, y0 = math.floor(rect.left() / CELL), math.floor(rect.top() / CELL)
        x1, y1 = math.floor(rect.right() / CELL), math.floor(rect.bottom() / CELL)
        return [(i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1)]

    def place(self, wire, rect: QRectF) -> None:
        """``wire``'s label now covers ``rect`` (scene); an empty rect takes it out."""
        self.remove(wire)
        if rect.isEmpty():
            return
        keys = self._keys(rect)
        for key in keys:
            self._cells.setdefault(key, set()).add(wire)
        self._cells_of[wire] = keys

    def remove(self, wire) -> None:
        for key in self._cells_of.pop(wire, ()):
            cell = self._cells.get(key)
            if cell is not None:
                cell.discard(wire)
                if not cell:
                    del self._cells[key]

    def near(self, rect: QRectF) -> set:
        """Wires whose label may intersect ``rect``."""
        found = set()
        for key in self._keys(rect):
            found.update(self._cells.get(key, ()))
        return found


def obstacles(node) -> tuple:
    """What a weight label must not cover on ``node``, as ``(left, top, right, bottom)`` in the node's own
    coordinates: its body (with a margin), port, name and bias. Plain numbers: a label placement tests
    a few of these per nearby node, and as ``QRectF`` calls that was most of the time spent opening a large
    circuit. Kept in the item's geometry cache, so it follows every relayout."""
    found = node._g.get("obstacles")
    if found is None:
        rects = [node.body_rect().adjusted(-3, -3, 3, 3), node.port_rect()]
        if node.label:
            rects.append(node.label_rect())
        if not node.is_input:
            rects.append(node.bias_rect())
        found = node._g["obstacles"] = tuple((r.left(), r.top(), r.right(), r.bottom())
                                             for r in rects if not r.isEmpty())
    return found
