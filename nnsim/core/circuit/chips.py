"""Chips: named sub-circuits with input and output pins, placed as instances and flattened for evaluation.

A :class:`ChipDef` is a name and an ordinary :class:`~nnsim.core.circuit.graph.Graph`: its input nodes are
the chip's input pins (in order, named by label, e.g. ``a[0]``) and its outputs — output nodes and output
neurons — are its output pins. An instance is a node of kind ``"chip"`` naming the definition; wires into
it name an input pin (``target_pin``), wires out of it an output pin (``source_pin``). Definitions live in
the document's one registry ``graph.chips`` and may contain instances of other chips, never of themselves.

:func:`flatten` turns a document into the same perceptron network without instances, which is what the
compiler evaluates, so truth tables, sensitivities and training see ordinary neurons. Ids inside an
instance become paths: neuron ``n1`` of instance ``fa3`` is ``fa3/n1``; inside a nested instance
``add/fa3/n1``. A pin that nothing drives reads 0; a tied pin (``node.tied = {"c": 1}``) reads its constant,
folded into the biases it feeds (``b += w·1``).
"""

from __future__ import annotations

from nnsim.core.circuit.graph import CHIP, INPUT, NEURON, OUTPUT, Graph, Node, Wire
from nnsim.core.errors import UserError

#: Separator of path ids (``fa3/n1``).
SEP = "/"


class ChipDef:
    """A chip definition: ``name`` and ``graph`` (its inputs are the input pins, its outputs the output pins).

    ``inputs`` and ``outputs`` list the pin names in order; ``input_node(pin)`` / ``output_node(pin)`` give
    the node id inside that stands for the pin."""

    def __init__(self, name: str, graph: Graph):
        self.name = name
        self.graph = graph
        self._stamp = None
        self._pins: tuple[dict[str, str], dict[str, str]] = ({}, {})

    def __repr__(self):
        return f"ChipDef({self.name!r}, inputs {self.inputs}, outputs {self.outputs})"

    def _pin_maps(self) -> tuple[dict[str, str], dict[str, str]]:
        g = self.graph
        stamp = (g.revision, id(g.nodes), len(g.nodes), id(g.wires), len(g.wires))
        if stamp != self._stamp:
            self._pins = ({n.name: n.id for n in g.inputs()}, {n.name: n.id for n in g.outputs()})
            self._stamp = stamp
        return self._pins

    @property
    def inputs(self) -> list[str]:
        return list(self._pin_maps()[0])

    @property
    def outputs(self) -> list[str]:
        return list(self._pin_maps()[1])

    def input_node(self, pin: str) -> str:
        return self._pin_maps()[0][pin]

    def output_node(self, pin: str) -> str:
        return self._pin_maps()[1][pin]

    def check(self) -> None:
        """ValueError when two pins on one side share a name."""
        for side, nodes in (("input", self.graph.inputs()), ("output", self.graph.outputs())):
            names = [n.name for n in nodes]
            dup = sorted({x for x in names if names.count(x) > 1})
            if dup:
                raise ValueError(f"chip {self.name}: two {side} pins are called {dup[0]!r}")


def uses(graph: Graph) -> bool:
    """Whether ``graph`` places any chip instance (else it is already flat)."""
    return any(n.kind == CHIP for n in graph.nodes.values())


# ----- flattening ---------------------------------------------------------------------------------------
class _Flattener:
    """Flattens definitions once each (memo) and a graph on top of them."""

    def __init__(self, chips: dict):
        self.chips = chips
        self.memo: dict[str, tuple[Graph, dict]] = {}
        self.stack: list[str] = []

    def definition(self, name: str) -> tuple[Graph, dict]:
        if name in self.memo:
            return self.memo[name]
        if name in self.stack:
            chain = " -> ".join(self.stack[self.stack.index(name):] + [name])
            raise UserError(f"chip {name} contains itself ({chain})")
        if name not in self.chips:
            raise UserError(f"unknown chip {name!r}")
        self.stack.append(name)
        try:
            result = self.graph(self.chips[name].graph, where=f"chip {name}")
        finally:
            self.stack.pop()
        self.memo[name] = result
        return result

    def graph(self, g: Graph, where: str = "the document") -> tuple[Graph, dict]:
        """``(flat, pins)``: the flat graph (inputs, neurons, output nodes; top-level ids kept) and
        ``pins[(path, pin)]`` = ``("n", flat id)`` or ``("c", value)`` for every instance pin at any depth."""
        insts = {n.id: n for n in g.nodes.values() if n.kind == CHIP}
        flats = {}
        for nid, inst in insts.items():
            if inst.chip not in self.chips:
                raise UserError(f"{where}: instance {inst.name} uses an unknown chip {inst.chip!r}")
            flats[nid] = self.definition(inst.chip)
        into_pin: dict[tuple[str, str], Wire] = {}
        for w in g.wires.values():
            if w.target in insts:
                into_pin[(w.target, w.target_pin)] = w
        for (nid, pin), w in into_pin.items():
            if pin not in self.chips[insts[nid].chip].inputs:
                raise UserError(f"{where}: wire {w.id} goes into pin {pin!r} of {insts[nid].name}, but chip "
                                f"{insts[nid].chip} has no such input pin")
        for nid, inst in insts.items():
            for pin in inst.tied:
                if pin not in self.chips[inst.chip].inputs:
                    raise UserError(f"{where}: {inst.name} ties pin {pin!r}, but chip {inst.chip} has no such input")
        memo_in: dict = {}
        memo_out: dict = {}
        visiting: set = set()

        def in_sig(nid: str, pin: str):
            key = (nid, pin)
            if key in memo_in:
                return memo_in[key]
            w = into_pin.get(key)
            if w is None:
                sig = ("c", float(insts[nid].tied.get(pin, 0)))
            elif w.source in insts:
                sig = out_sig(w.source, w.source_pin)
            else:
                sig = ("n", w.source)
            memo_in[key] = sig
            return sig

        def out_sig(nid: str, pin: str):
            key = (nid, pin)
            if key in memo_out:
                return memo_out[key]
            if key in visiting:
                raise UserError(f"{where}: a loop of wires through pins with no neuron on it (at "
                                f"{insts[nid].name}.{pin})")
            visiting.add(key)
            defn = self.chips[insts[nid].chip]
            if pin not in defn.outputs:
                raise UserError(f"{where}: a wire reads pin {pin!r} of {insts[nid].name}, but chip "
                                f"{defn.name} has no such output pin")
            flat, _ = flats[nid]
            sig = _driver(flat, defn.output_node(pin), nid, in_sig)
            visiting.discard(key)
            memo_out[key] = sig
            return sig

        out = Graph(g.name)
        out.description = g.description
        out.sigmoid_base = g.sigmoid_base
        out.expected = g.expected
        nodes: dict[str, Node] = {}
        outputs = {n.id for n in g.outputs()}
        for n in g.nodes.values():
            if n.kind == CHIP:
                prefix = n.id + SEP
                for m in flats[n.id][0].nodes.values():
                    if m.kind == NEURON:
                        # a label inside a chip is named by its path too: fa1/sum, not one "sum" per instance
                        c = Node(prefix + m.id, NEURON, prefix + m.label if m.label else "", activation=m.activation,
                                 bias=m.bias, output=False, x=n.x, y=n.y)
                        if c.id in nodes or c.id in g.nodes:
                            raise UserError(f"{where}: id {c.id!r} names both a node and a node inside {n.name}")
                        nodes[c.id] = c
            else:
                c = n.copy()
                if c.kind == NEURON:
                    c.output = c.id in outputs
                nodes[c.id] = c
        out.nodes = nodes
        wires: dict[str, Wire] = {}
        pair: dict[tuple[str, str], str] = {}

        def emit(sig, target: str, weight: float, wid: str) -> None:
            if sig[0] == "c":
                if nodes[target].kind == NEURON:
                    nodes[target].bias += weight * sig[1]
                    return
                const = _unique(f"{target}{SEP}const", nodes, wires)
                nodes[const] = Node(const, NEURON, "1" if sig[1] else "0", bias=1.0 if sig[1] else -1.0,
                                    output=False, x=nodes[target].x, y=nodes[target].y)
                sig = ("n", const)
                weight = 1.0
            key = (sig[1], target)
            if key in pair:  # two routes between the same nodes: one wire, weights summed (as NOT's -4)
                wires[pair[key]].weight += weight
                return
            if wid in wires or wid in nodes:
                wid = _unique(wid, nodes, wires)
            wires[wid] = Wire(wid, sig[1], target, weight)
            pair[key] = wid

        for w in g.wires.values():
            if w.target in insts:
                continue
            sig = out_sig(w.source, w.source_pin) if w.source in insts else ("n", w.source)
            emit(sig, w.target, w.weight, w.id)
        for nid in insts:
            flat, _ = flats[nid]
            prefix = nid + SEP
            for w in flat.wires.values():
                tgt = flat.nodes[w.target]
                if tgt.kind != NEURON:
                    continue  # an output pin: read through out_sig
                src = flat.nodes[w.source]
                sig = in_sig(nid, src.name) if src.kind == INPUT else ("n", prefix + w.source)
                emit(sig, prefix + w.target, w.weight, prefix + w.id)
        out.wires = wires
        pins: dict = {}
        for nid, inst in insts.items():
            defn = self.chips[inst.chip]
            for pin in defn.inputs:
                pins[(nid, pin)] = in_sig(nid, pin)
            for pin in defn.outputs:
                pins[(nid, pin)] = out_sig(nid, pin)
            for (path, pin), sig in flats[nid][1].items():
                pins[(nid + SEP + path, pin)] = _lift(sig, nid, flats[nid][0], in_sig)
        return out, pins


def _driver(flat: Graph, node_id: str, nid: str, in_sig):
    """The signal an output pin of instance ``nid`` carries: ``node_id`` is the pin's node in the flat
    definition ``flat`` (an output node or an output neuron)."""
    node = flat.nodes[node_id]
    if node.kind == OUTPUT:
        into = flat.wires_into(node_id)
        if not into:
            return ("c", 0.0)
        node = flat.nodes[into[0].source]
    if node.kind == INPUT:
        return in_sig(nid, node.name)
    return ("n", nid + SEP + node.id)


def _lift(sig, nid: str, flat: Graph, in_sig):
    """A signal inside a definition, as seen from the graph holding instance ``nid`` of it."""
    if sig[0] == "c":
        return sig
    node = flat.nodes[sig[1]]
    if node.kind == INPUT:
        return in_sig(nid, node.name)
    return ("n", nid + SEP + sig[1])


def _unique(base: str, *taken) -> str:
    if not any(base in t for t in taken):
        return base
    i = 2
    while any(f"{base}~{i}" in t for t in taken):
        i += 1
    return f"{base}~{i}"


def flatten_with_pins(graph: Graph) -> tuple[Graph, dict]:
    """:func:`flatten` and :func:`pin_signals` in one pass."""
    flat, pins = _Flattener(graph.chips).graph(graph)
    return flat, {k: v[1] for k, v in pins.items()}


def flatten(graph: Graph) -> Graph:
    """The same perceptron network with no instances (see the module docstring). A graph with no instances
    is returned as a copy. UserError names an unknown chip or pin, a chip containing itself, or a loop made
    only of pin-to-pin wires."""
    if not uses(graph):
        return graph.copy(chips={})
    return _Flattener(graph.chips).graph(graph)[0]


def close_open_outputs(graph: Graph) -> Graph:
    """``graph``, or a copy in which every output node that reads nothing reads a constant-0 neuron (bias
    −1, no wires), so that every output has a column to show."""
    fed = {w.target for w in graph.wires.values()}
    open_ = [n for n in graph.nodes.values() if n.kind == OUTPUT and n.id not in fed]
    if not open_:
        return graph
    g = graph.copy(chips={})
    for n in open_:
        const = _unique(f"{n.id}{SEP}const", g.nodes, g.wires)
        g.nodes[const] = Node(const, NEURON, "0", bias=-1.0, output=False, x=n.x, y=n.y)
        wid = _unique(f"{n.id}{SEP}w", g.nodes, g.wires)
        g.wires[wid] = Wire(wid, const, n.id, 1.0)
    return g


def pin_signals(graph: Graph) -> dict[tuple[str, str], str | float]:
    """``{(instance path, pin): flat node id or constant}`` for every pin of every instance, any depth
    (paths ``fa3``, ``add/fa3``): what the canvas shows on a pin is that node's value."""
    return flatten_with_pins(graph)[1]


def locate(graph: Graph, path_id: str) -> tuple[Graph, str, str]:
    """``(definition graph, chip name, local id)`` holding the node or wire called ``path_id`` in the flat
    network (``fa3/n1`` → FullAdder's graph, "FullAdder", ``n1``); the document itself with chip name ""
    for a top-level id. Editing there edits the definition, so every instance."""
    g, chip, rest = graph, "", path_id
    while True:
        if rest in g.nodes or rest in g.wires:
            return g, chip, rest
        parts = rest.split(SEP)
        for k in range(1, len(parts)):
            head = SEP.join(parts[:k])
            node = g.nodes.get(head)
            if node is not None and node.kind == CHIP:
                chip = node.chip
                g = g.chips[chip].graph
                rest = SEP.join(parts[k:])
                break
        else:
            raise KeyError(f"no node or wire {path_id!r}")


def graphs(graph: Graph) -> list[Graph]:
    """``graph`` and the graph of every chip definition it holds (to change every neuron everywhere)."""
    return [graph] + [d.graph for d in graph.chips.values()]


def uses_count(graph: Graph) -> dict[str, int]:
    """How many instances of each definition the flat network holds (nested ones multiplied out)."""
    memo: dict[str, dict[str, int]] = {}

    def inside(g: Graph, stack: tuple) -> dict[str, int]:
        counts: dict[str, int] = {}
        for n in g.nodes.values():
            if n.kind != CHIP:
                continue
            if n.chip in stack:
                raise UserError(f"chip {n.chip} contains itself")
            counts[n.chip] = counts.get(n.chip, 0) + 1
            if n.chip not in memo:
                memo[n.chip] = inside(graph.chips[n.chip].graph, stack + (n.chip,))
            for k, v in memo[n.chip].items():
                counts[k] = counts.get(k, 0) + v
        return counts

    return inside(graph, ())


def all_neurons(graph: Graph) -> list[Node]:
    """The neurons of ``graph`` and of every chip definition it holds (each once, however many instances)."""
    return [n for g in graphs(graph) for n in g.neurons()]


def chips_used(graph: Graph, part: Graph) -> set[str]:
    """The names of the chips ``part``'s instances use, directly or inside other chips (from ``graph.chips``)."""
    found: set[str] = set()
    todo = [n.chip for n in part.nodes.values() if n.kind == CHIP]
    while todo:
        name = todo.pop()
        if name in found or name not in graph.chips:
            continue
        found.add(name)
        todo += [n.chip for n in graph.chips[name].graph.instances()]
    return found
