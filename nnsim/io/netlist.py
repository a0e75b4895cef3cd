"""A flat netlist of perceptrons, built gate by gate by the importers and turned into a :class:`Graph`.

Nodes are integer handles while building; the constants are the handles :data:`FALSE` and :data:`TRUE`.
A constant input of a perceptron is folded into its bias (weight × value), so ``NAND(a, true)`` is one
perceptron with a single −2 wire and bias 1. With ``nand_only`` the constants are real NAND perceptrons
instead (true = NAND(x, NOT x) for the first input x, false = NOT true), so every neuron stays the book's
NAND perceptron. Two wires from the same source into one neuron are joined into one wire (weights added),
as the book does for NOT = NAND(a, a): one wire of weight −4.

Node ids are given by the caller (paths such as ``Add16/FullAdder3/HalfAdder1/Nand2``); :meth:`graph`
fills the graph's dicts directly (adding thousands of nodes one by one through ``Graph.add_node`` would
copy the dicts each time) and lays the nodes out left to right.
"""

from __future__ import annotations

import re

from nnsim.core.circuit.graph import CHIP, INPUT, NEURON, OUTPUT, Graph, Node, Wire
from nnsim.core.circuit.layout import layered_layout

FALSE = -1
TRUE = -2
NAND_WEIGHT = -2.0
NAND_BIAS = 3.0

#: For spacing the layout: the canvas draws an instance as a box of a title and one row per pin or bus
#: (``a[0]`` … ``a[15]`` is one row), about this tall per row, and about this wide.
ROW_HEIGHT = 24.0
TITLE_HEIGHT = 26.0
CHIP_DX = 300.0


class Netlist:
    """Collects inputs and step perceptrons; see the module docstring."""

    def __init__(self, nand_only: bool = False):
        self.nand_only = nand_only
        self.ids: list[str] = []
        self.labels: list[str] = []
        self.kinds: list[str] = []
        self.biases: list[float] = []
        self.sources: list[list[tuple[int, float]]] = []
        self._used: set[str] = set()
        self._const: dict[int, int] = {}
        self._first_input: int | None = None

    def __repr__(self):
        return f"Netlist({self.kinds.count(INPUT)} inputs, {self.kinds.count(NEURON)} neurons)"

    def _unique(self, node_id: str) -> str:
        if node_id in self._used:
            k = 2
            while f"{node_id}~{k}" in self._used:
                k += 1
            node_id = f"{node_id}~{k}"
        self._used.add(node_id)
        return node_id

    def input(self, node_id: str, label: str = "") -> int:
        self.ids.append(self._unique(node_id))
        self.labels.append(label)
        self.kinds.append(INPUT)
        self.biases.append(0.0)
        self.sources.append([])
        if self._first_input is None:
            self._first_input = len(self.ids) - 1
        return len(self.ids) - 1

    def neuron(self, node_id: str, inputs: list[tuple[int, float]], bias: float, label: str = "") -> int:
        """A step perceptron with ``inputs`` [(source handle or constant, weight)] and ``bias``."""
        merged: dict[int, float] = {}
        for src, w in inputs:
            if src < 0 and self.nand_only and self._first_input is not None:
                src = self.constant(src)
            if src == TRUE:
                bias += w
            elif src != FALSE:
                merged[src] = merged.get(src, 0.0) + w
        self.ids.append(self._unique(node_id))
        self.labels.append(label)
        self.kinds.append(NEURON)
        self.biases.append(float(bias))
        self.sources.append(list(merged.items()))
        return len(self.ids) - 1

    def nand(self, a: int, b: int, node_id: str, label: str = "") -> int:
        """The NAND perceptron: weights −2, −2 and bias 3."""
        return self.neuron(node_id, [(a, NAND_WEIGHT), (b, NAND_WEIGHT)], NAND_BIAS, label)

    def constant(self, value: int) -> int:
        """A node that always outputs ``value`` (TRUE or FALSE), made of NAND perceptrons on the first input."""
        if value not in self._const:
            x = self._first_input
            if value == TRUE:
                not_x = self.neuron("const/not", [(x, 2 * NAND_WEIGHT)], NAND_BIAS)
                self._const[TRUE] = self.neuron("const/true", [(x, NAND_WEIGHT), (not_x, NAND_WEIGHT)], NAND_BIAS)
            else:
                self._const[FALSE] = self.neuron("const/false", [(self.constant(TRUE), 2 * NAND_WEIGHT)], NAND_BIAS)
        return self._const[value]

    @property
    def n_neurons(self) -> int:
        return self.kinds.count(NEURON)

    # ----- the graph --------------------------------------------------------------------------------
    def graph(self, name: str, outputs: list[tuple[str, int]], description: str = "",
              layout: bool = True) -> tuple[Graph, dict[str, str]]:
        """The finished :class:`Graph` with ``outputs`` [(label, source)] as its outputs, in that order.

        A source neuron becomes an output neuron with that label; a source that is already an output, or an
        input, is read by an output node (kind "output") instead, and a constant by a bias-only perceptron
        (bias 1 or −1; with ``nand_only`` the NAND-made constant). Returns the graph and {label: node id}."""
        entries: list[tuple[int, str | None]] = []   # (handle, output-node label or None)
        taken: set[int] = set()
        for label, src in outputs:
            if src < 0 and self.nand_only and self._first_input is not None:
                src = self.constant(src)
            if src >= 0 and self.kinds[src] == NEURON and src not in taken:
                self.labels[src] = label
                taken.add(src)
                entries.append((src, None))
            elif src >= 0:
                entries.append((src, label))
            else:
                h = self.neuron(label, [], 1.0 if src == TRUE else -1.0, label)
                taken.add(h)
                entries.append((h, None))
        fed = {s for srcs in self.sources for s, _ in srcs}
        nodes: dict[str, Node] = {}
        wires: dict[str, Wire] = {}

        def add(h: int) -> None:
            nid = self.ids[h]
            if self.kinds[h] == INPUT:
                nodes[nid] = Node(nid, INPUT, self.labels[h])
                return
            output = True if h in taken else (None if h in fed else False)
            nodes[nid] = Node(nid, NEURON, self.labels[h], activation="step", bias=self.biases[h], output=output)
            for src, w in self.sources[h]:
                wid = f"w{len(wires) + 1}"
                wires[wid] = Wire(wid, self.ids[src], nid, w)

        for h, kind in enumerate(self.kinds):
            if kind == INPUT or h not in taken:
                add(h)
        ids: dict[str, str] = {}
        for h, label in entries:  # the outputs last, in the order asked
            if label is None:
                add(h)
                ids[self.labels[h]] = self.ids[h]
            else:
                oid = self._unique(label)
                nodes[oid] = Node(oid, OUTPUT, label)
                wid = f"w{len(wires) + 1}"
                wires[wid] = Wire(wid, self.ids[h], oid, 1.0)
                ids[label] = oid
        g = Graph(name)
        g.description = description
        g.nodes, g.wires = nodes, wires
        if layout:
            for nid, (x, y) in layered_layout(g).items():
                g.nodes[nid].x, g.nodes[nid].y = x, y
        return g, ids


def chip_layout(g: Graph) -> None:
    """Left to right by level (as :func:`layered_layout`), the outputs in the last column, each column
    restacked so that tall instances fit."""
    pos = layered_layout(g, dx=CHIP_DX)
    right = max((x for x, _ in pos.values()), default=0.0)
    for nid, (x, y) in list(pos.items()):
        if g.nodes[nid].kind == OUTPUT:  # the chip's outputs line up on the right, as its inputs on the left
            pos[nid] = (right, y)

    def rows(pins: list[str]) -> int:
        return len({re.sub(r"\[\d+\]\Z", "", p) for p in pins})

    def height(n: Node) -> float:
        if n.kind != CHIP:
            return 50.0
        d = g.chips[n.chip]
        return TITLE_HEIGHT + max(rows(d.inputs), rows(d.outputs), 1) * ROW_HEIGHT + 10.0

    columns: dict[float, list[str]] = {}
    for nid, (x, y) in pos.items():
        columns.setdefault(x, []).append(nid)
    rank = {nid: i for i, nid in enumerate(g.nodes)}
    for x, ids in columns.items():
        # inputs and outputs keep the pins' order; inner columns follow the barycentre order
        in_order = all(g.nodes[i].kind in (INPUT, OUTPUT) for i in ids)
        ids.sort(key=lambda nid: rank[nid] if in_order else pos[nid][1])
        total = sum(height(g.nodes[i]) + 20.0 for i in ids)
        y = -total / 2
        for nid in ids:
            h = height(g.nodes[nid])
            g.nodes[nid].x, g.nodes[nid].y = x, round((y + h / 2) / 10.0) * 10.0
            y += h + 20.0
