"""Automatic left-to-right layered layout for generated circuits (gates, adders, synthesised networks).

Inputs sit in column 0; every neuron sits one column right of its furthest source (its level, as in the
compiler), so signals flow left to right. In a graph with a loop (the latch) the wires that close a loop
are ignored for levelling. Output neurons that feed nothing are moved to the last column, so results
line up on the right. Within a column, nodes are ordered by the mean height of their sources (the
barycentre heuristic, which keeps most wires short and uncrossed) and kept at least ``dy`` apart.
"""

from __future__ import annotations

from nnsim.core.circuit.graph import Graph
from nnsim.core.circuit.order import levels

#: Horizontal distance between levels and vertical spacing within a level, in scene units.
DX = 140.0
DY = 80.0


def layered_layout(graph: Graph, *, dx: float = DX, dy: float = DY, input_order: list[str] | None = None,
                   outputs_last: bool = True) -> dict[str, tuple[float, float]]:
    """Positions ``{node_id: (x, y)}`` for every node: x = level · ``dx``, y spread ``dy`` apart.

    ``input_order`` (node ids) sets the top-to-bottom order of the inputs (default: document order).
    With ``outputs_last``, output neurons that feed nothing go to the rightmost column.
    """
    level = levels(graph)
    if outputs_last and graph.neurons():
        last = max(level.values())
        fed = {w.source for w in graph.wires.values()}
        for node in graph.outputs():
            if node.id not in fed:
                level[node.id] = last
    columns: dict[int, list[str]] = {}
    for nid in graph.nodes:
        columns.setdefault(level[nid], []).append(nid)
    sources: dict[str, list[str]] = {nid: [] for nid in graph.nodes}
    for w in graph.wires.values():
        sources[w.target].append(w.source)

    pos: dict[str, tuple[float, float]] = {}
    first = columns.get(0, [])
    if input_order is not None:
        rank = {nid: i for i, nid in enumerate(input_order)}
        first = sorted(first, key=lambda nid: rank.get(nid, len(rank)))
    for i, nid in enumerate(first):
        pos[nid] = (0.0, i * dy)
    for lv in sorted(k for k in columns if k > 0):
        ids = columns[lv]
        wanted = []
        for i, nid in enumerate(ids):
            ys = [pos[s][1] for s in sources[nid] if s in pos]
            wanted.append(sum(ys) / len(ys) if ys else i * dy)
        order = sorted(range(len(ids)), key=lambda i: (wanted[i], i))
        ys: list[float] = []
        for i in order:
            ys.append(wanted[i] if not ys else max(wanted[i], ys[-1] + dy))
        shift = sum(wanted[i] - y for i, y in zip(order, ys)) / len(ys)
        for i, y in zip(order, ys):
            pos[ids[i]] = (lv * dx, float(round((y + shift) / 10.0) * 10.0))
    return pos


def apply_layout(graph: Graph, positions: dict[str, tuple[float, float]] | None = None) -> None:
    """Move the nodes to ``positions`` (default: :func:`layered_layout`), through ``graph.move_node``."""
    positions = layered_layout(graph) if positions is None else positions
    for nid, (x, y) in positions.items():
        node = graph.node(nid)
        if (node.x, node.y) != (x, y):
            graph.move_node(nid, x, y)
