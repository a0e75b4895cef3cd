"""Where a new node goes: never on top of an existing one.

Tab insert, a palette double-click or drop, paste and duplicate ask :func:`free_offset` for the nearest
place (on the grid, nearest first) where the new fragment's nodes clear every node already on the canvas.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF

from nnsim.gui import style

#: Room a node takes around its centre (scene units), with its labels and a little air.
NODE_BOX = (96.0, 76.0)
MAX_RINGS = 60


def node_box(x: float, y: float) -> QRectF:
    w, h = NODE_BOX
    s = style.size_scale()
    return QRectF(x - w * s / 2, y - h * s / 2, w * s, h * s)


def occupied(scene) -> list[QRectF]:
    """The rectangles the canvas's nodes cover (their drawn bounds, at least a :data:`NODE_BOX`)."""
    rects = []
    for item in scene.nodes.values():
        p = item.pos()
        rects.append(item.sceneBoundingRect().united(node_box(p.x(), p.y())))
    return rects


def fragment_boxes(fragment, dx: float, dy: float) -> list[QRectF]:
    return [node_box(n.x + dx, n.y + dy) for n in fragment.nodes.values()]


def _free(boxes: list[QRectF], taken: list[QRectF]) -> bool:
    return not any(b.intersects(t) for b in boxes for t in taken)


def free_offset(scene, fragment, dx: float, dy: float) -> tuple[float, float]:
    """The offset nearest (dx, dy), on the grid, at which ``fragment`` overlaps no node of ``scene``."""
    taken = occupied(scene)
    if _free(fragment_boxes(fragment, dx, dy), taken):
        return dx, dy
    g = style.GRID * 2
    for ring in range(1, MAX_RINGS):
        cells = [(i, j) for i in range(-ring, ring + 1) for j in range(-ring, ring + 1)
                 if max(abs(i), abs(j)) == ring]
        cells.sort(key=lambda c: (math.hypot(c[0], c[1]), c[1] < 0, abs(c[0])))   # nearest; below before above
        for i, j in cells:
            ox, oy = dx + i * g, dy + j * g
            if _free(fragment_boxes(fragment, ox, oy), taken):
                return ox, oy
    return dx, dy
