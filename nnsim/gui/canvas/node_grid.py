"""A coarse spatial hash of node items, so a wire can find the nodes near a spot without asking the scene
(which would call every item's Python ``boundingRect``)."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF

CELL = 120.0


class NodeGrid:
    """Node items by grid cell of their position."""

    def __init__(self):
        self._cell_of: dict = {}
        self._cells: dict[tuple[int, int], set] = {}

    def _key(self, x: float, y: float) -> tuple[int, int]:
        return (math.floor(x / CELL), math.floor(y / CELL))

    def move(self, item) -> None:
        p = item.pos()
        key = self._key(p.x(), p.y())
        old = self._cell_of.get(item)
        if old == key:
            return
        if old is not None:
            self._cells[old].discard(item)
        self._cells.setdefault(key, set()).add(item)
        self._cell_of[item] = key

    def remove(self, item) -> None:
        old = self._cell_of.pop(item, None)
        if old is not None:
            self._cells[old].discard(item)

    def near(self, rect: QRectF) -> list:
        """Items whose position lies within one cell of ``rect``."""
        x0, y0 = self._key(rect.left() - CELL, rect.top() - CELL)
        x1, y1 = self._key(rect.right() + CELL, rect.bottom() + CELL)
        found = []
        for i in range(x0, x1 + 1):
            for j in range(y0, y1 + 1):
                found.extend(self._cells.get((i, j), ()))
        return found
