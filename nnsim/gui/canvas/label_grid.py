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
