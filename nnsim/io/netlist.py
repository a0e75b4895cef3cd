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

from nnsim.core.circuit.graph import INPUT, NEURON, Graph, Node, Wire
from nnsim.core.circuit.layout import layered_layout

FALSE = -1
TRUE = -2
NAND_WEIGHT = -2.0
NAND_BIAS = 3.0


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
        """The finished :class:`Graph` with ``outputs`` [(label, source)] as its output neurons, in that order.

        A source that is already an output, a constant or an input gets its own copy (the same perceptron
        again; a constant a bias-only perceptron; an input a buffer w = 2, b = −1, or two NANDs with
        ``nand_only``), so every output is a distinct neuron. Returns the graph and {label: node id}."""
        out_handles: list[int] = []
        taken: set[int] = set()
        for label, src in outputs:
            if src < 0 and self.nand_only and self._first_input is not None:
                src = self.constant(src)
            if src >= 0 and self.kinds[src] == NEURON and src not in taken:
                h = src
                self.labels[h] = label
            elif src >= 0 and self.kinds[src] == NEURON:
                h = self.neuron(label, list(self.sources[src]), self.biases[src], label)
            elif src >= 0:  # an input straight to an output
                if self.nand_only:
                    inner = self.neuron(f"{label}/not", [(src, 2 * NAND_WEIGHT)], NAND_BIAS)
                    h = self.neuron(label, [(inner, 2 * NAND_WEIGHT)], NAND_BIAS, label)
                else:
                    h = self.neuron(label, [(src, 2.0)], -1.0, label)
            else:
                h = self.neuron(label, [], 1.0 if src == TRUE else -1.0, label)
            taken.add(h)
            out_handles.append(h)
        fed = {s for srcs in self.sources for s, _ in srcs}
        order = [h for h, k in enumerate(self.kinds) if k == INPUT]
        order += [h for h, k in enumerate(self.kinds) if k == NEURON and h not in taken]
        order += out_handles
        g = Graph(name)
        g.description = description
        nodes = {}
        for h in order:
            nid = self.ids[h]
            if self.kinds[h] == INPUT:
                nodes[nid] = Node(nid, INPUT, self.labels[h])
            else:
                output = True if h in taken else (None if h in fed else False)
                nodes[nid] = Node(nid, NEURON, self.labels[h], activation="step", bias=self.biases[h], output=output)
        g.nodes = nodes
        wires = {}
        k = 0
        for h in order:
            for src, w in self.sources[h]:
                k += 1
                while f"w{k}" in nodes:
                    k += 1
                wires[f"w{k}"] = Wire(f"w{k}", self.ids[src], self.ids[h], w)
        g.wires = wires
        if layout:
            for nid, (x, y) in layered_layout(g).items():
                g.nodes[nid].x, g.nodes[nid].y = x, y
        return g, {self.labels[h]: self.ids[h] for h in out_handles}
