"""Undoable chip edits: define and remove chips, edit inside a definition, make a chip from a selection, and
flatten an instance back into its parts.

Like every edit in :mod:`nnsim.core.circuit.edits`, each holds ids and plain values, and ``apply`` then
``revert`` restores the document exactly. The two structural ones (:func:`make_chip`,
:class:`FlattenInstance`) are worked out against the document as it is and recorded as a list of the
basic edits, so undo and redo replay exactly the same steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nnsim.core.circuit.chips import ChipDef, locate
from nnsim.core.circuit.edits import AddNode, AddWire, Compound, Edit, RemoveNode, SetNode, SetWeight
from nnsim.core.circuit.graph import CHIP, INPUT, NEURON, OUTPUT, Graph, Node, Wire
from nnsim.core.errors import UserError


@dataclass(repr=False)
class AddChip(Edit):
    """Register a definition (its graph built with ``chips=graph.chips``)."""

    defn: ChipDef
    index: int | None = None

    @property
    def text(self):
        return f"define chip {self.defn.name}"

    def apply(self, graph):
        graph.add_chip(self.defn, self.index)

    def revert(self, graph):
        graph.remove_chip(self.defn.name)


@dataclass(repr=False)
class RemoveChip(Edit):
    """Remove a definition no instance uses."""

    name: str
    _defn: ChipDef | None = None
    _index: int = 0

    @property
    def text(self):
        return f"remove chip {self.name}"

    def apply(self, graph):
        self._index = list(graph.chips).index(self.name)
        self._defn = graph.remove_chip(self.name)

    def revert(self, graph):
        graph.add_chip(self._defn, self._index)


@dataclass(repr=False)
class InChip(Edit):
    """Apply ``edit`` inside the definition of chip ``name``: every instance of it changes."""

    name: str
    edit: Edit

    @property
    def text(self):
        return f"{self.edit.text} in {self.name}"

    def apply(self, graph):
        self.edit.apply(graph.chips[self.name].graph)

    def revert(self, graph):
        self.edit.revert(graph.chips[self.name].graph)


@dataclass(repr=False)
class _Planned(Edit):
    """An edit worked out from the document on its first ``apply`` into a :class:`Compound` of basic ones."""

    _plan: Compound | None = field(default=None, init=False)

    def plan(self, graph: Graph) -> Compound:  # pragma: no cover - abstract
        raise NotImplementedError

    def apply(self, graph):
        if self._plan is None:
            self._plan = self.plan(graph)
        self._plan.apply(graph)

    def revert(self, graph):
        self._plan.revert(graph)


def _unique(base: str, taken) -> str:
    if base not in taken:
        return base
    i = 2
    while f"{base}_{i}" in taken:
        i += 1
    return f"{base}_{i}"


def _signal_name(graph: Graph, source: str, pin: str, fallback: str) -> str:
    """A pin's name: the instance pin or the labelled node it comes from, else ``fallback`` (in, out)."""
    return pin or graph.nodes[source].label or fallback


def _spread(ys: list[float], gap: float = 60.0) -> list[float]:
    """``ys`` (sorted) pushed apart to at least ``gap`` (pins stacked on one spot would hide each other)."""
    out: list[float] = []
    for y in ys:
        out.append(y if not out else max(y, out[-1] + gap))
    return out


@dataclass(repr=False)
class MakeChip(_Planned):
    """Turn the selected neurons and instances into chip ``name``: a new definition plus one instance wired
    as the parts were. A wire coming in becomes an input pin (one per distinct signal), a signal read
    outside (or a selected output neuron) an output pin; inputs and output nodes stay outside. The truth
    table is unchanged: a selected output neuron is replaced outside by an output node of the same id."""

    node_ids: list[str]
    name: str

    @property
    def text(self):
        return f"make chip {self.name}"

    def plan(self, graph: Graph) -> Compound:
        name = self.name.strip()
        if not name:
            raise UserError("a chip needs a name")
        if name in graph.chips:
            raise UserError(f"a chip called {name!r} already exists")
        chosen = set(self.node_ids)
        sel = [nid for nid, n in graph.nodes.items() if nid in chosen and n.kind in (NEURON, CHIP)]
        if not sel:
            raise UserError("select neurons or chips to make a chip from (inputs and outputs stay outside)")
        inside = set(sel)
        outputs = {n.id for n in graph.outputs()}
        d = Graph(name, chips=graph.chips)
        xs = [graph.nodes[n].x for n in sel]
        ys = [graph.nodes[n].y for n in sel]
        cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
        left, right = min(xs) - 150, max(xs) + 150
        # input pins: one per distinct outside signal read inside
        in_pin: dict[tuple[str, str], str] = {}
        incoming = [w for w in graph.wires.values() if w.target in inside and w.source not in inside]
        sources = sorted(dict.fromkeys((w.source, w.source_pin) for w in incoming), key=lambda k: graph.nodes[k[0]].y)
        for key, y in zip(sources, _spread([graph.nodes[k[0]].y for k in sources])):
            label = _unique(_signal_name(graph, *key, "in"), {n.label for n in d.inputs()})
            in_pin[key] = d.add_input(label, x=left, y=y, id=_unique("in_" + label, d.nodes.keys() | inside)).id
        for nid in sel:
            node = graph.nodes[nid].copy()
            if node.kind == NEURON:
                node.output = False
            d.add_node(node)
        for w in graph.wires.values():
            if w.source in inside and w.target in inside:
                d.add_wire(w.copy())
        for w in incoming:
            c = w.copy()
            c.source, c.source_pin = in_pin[(w.source, w.source_pin)], ""
            d.add_wire(c)
        # output pins: signals read outside, and selected output neurons
        out_pin: dict[tuple[str, str], str] = {}
        outgoing = [w for w in graph.wires.values() if w.source in inside and w.target not in inside]
        wanted = [(w.source, w.source_pin) for w in outgoing] + [(n, "") for n in sel if n in outputs]
        keys = sorted(dict.fromkeys(wanted), key=lambda k: graph.nodes[k[0]].y)
        for key, y in zip(keys, _spread([graph.nodes[k[0]].y for k in keys])):
            label = _unique(_signal_name(graph, *key, "out"), {n.label for n in d.outputs()} | {n.label for n in d.inputs()})
            o = d.add_node(Node(_unique("out_" + label, d.nodes.keys() | d.wires.keys()), OUTPUT, label,
                                x=right, y=y))
            d.add_wire(Wire(d.new_id("w"), key[0], o.id, 1.0, key[1], ""))
            out_pin[key] = label
        defn = ChipDef(name, d)
        defn.check()

        taken = set(graph.nodes) | set(graph.wires)
        inst_id = _unique(name.lower().replace(" ", "_") or "chip", taken - inside)
        inst = Node(inst_id, CHIP, "", x=cx, y=cy, chip=name)
        final = []
        for nid in graph.nodes:
            if nid not in inside:
                final.append(nid)
                continue
            if nid == sel[0]:
                final.append(inst_id)
            if nid in outputs:
                final.append(nid)  # an output node of the same id keeps the column
        edits: list[Edit] = [RemoveNode(nid) for nid in sel]
        edits.append(AddChip(defn))
        added = {inst_id: inst}
        for nid in sel:
            if nid in outputs:
                old = graph.nodes[nid]
                added[nid] = Node(nid, OUTPUT, old.label, x=old.x + 150, y=old.y)
        for nid in sorted(added, key=final.index):
            edits.append(AddNode(added[nid], final.index(nid)))
        taken |= set(added)
        new_wires = []
        for (src, spin), pin_node in in_pin.items():
            new_wires.append(Wire("", src, inst_id, 1.0, spin, d.nodes[pin_node].label))
        for w in outgoing:
            new_wires.append(Wire(w.id, inst_id, w.target, w.weight, out_pin[(w.source, w.source_pin)], w.target_pin))
        for nid in sel:
            if nid in outputs:
                new_wires.append(Wire("", inst_id, nid, 1.0, out_pin[(nid, "")], ""))
        for w in new_wires:
            if not w.id:
                w.id = _unique(f"{inst_id}_w", taken)
            taken.add(w.id)
            edits.append(AddWire(w))
        return Compound(edits, self.text)


def make_chip(graph: Graph, node_ids, name: str) -> MakeChip:
    """The edit that makes chip ``name`` from the selected nodes (see :class:`MakeChip`). Apply it to
    check the selection: UserError says what is wrong."""
    return MakeChip(list(node_ids), name)


@dataclass(repr=False)
class FlattenInstance(_Planned):
    """Replace instance ``instance_id`` by a copy of its definition's parts (ids ``inst.id``), wired to what
    its pins were wired to. A tied or open pin's constant is folded into the biases it fed."""

    instance_id: str

    @property
    def text(self):
        return "flatten chip"

    def plan(self, graph: Graph) -> Compound:
        inst = graph.node(self.instance_id)
        if inst.kind != CHIP:
            raise UserError(f"{inst.name} is not a chip instance")
        defn = graph.chips[inst.chip]
        d = defn.graph
        taken = set(graph.nodes) | set(graph.wires)
        taken.discard(inst.id)
        new_id: dict[str, str] = {}
        for nid, n in d.nodes.items():
            if n.kind in (NEURON, CHIP):
                new_id[nid] = _unique(f"{inst.id}.{nid}", taken)
                taken.add(new_id[nid])
        into = {w.target_pin: w for w in graph.wires_into(inst.id)}

        def pin_source(pin: str):
            """(source, source_pin) outside, or a constant."""
            w = into.get(pin)
            if w is None:
                return float(inst.tied.get(pin, 0))
            return (w.source, w.source_pin)

        def inner_signal(source: str, spin: str):
            n = d.nodes[source]
            if n.kind == INPUT:
                return pin_source(n.name)
            return (new_id[source], spin)

        def driver(pin: str):
            node = d.nodes[defn.output_node(pin)]
            if node.kind == OUTPUT:
                w = d.wires_into(node.id)
                return inner_signal(w[0].source, w[0].source_pin) if w else 0.0
            return (new_id[node.id], "")

        index = list(graph.nodes).index(inst.id)
        edits: list[Edit] = [RemoveNode(inst.id)]
        nodes: dict[str, Node] = {}
        for nid, n in d.nodes.items():
            if nid in new_id:
                c = n.copy()
                c.id = new_id[nid]
                c.x, c.y = inst.x + (n.x - _mid(d, "x")), inst.y + (n.y - _mid(d, "y"))
                if c.kind == NEURON:
                    c.output = False
                nodes[c.id] = c
        wires: list[Wire] = []
        outside_bias: dict[str, float] = {}
        outside_tied: dict[str, dict] = {}

        def connect(sig, target: str, tpin: str, weight: float, wid: str) -> None:
            if isinstance(sig, float):
                t = nodes.get(target) or graph.nodes[target]
                if t.kind == NEURON:
                    if target in nodes:
                        t.bias += weight * sig
                    elif sig:
                        outside_bias[target] = outside_bias.get(target, t.bias) + weight * sig
                    return
                if t.kind == CHIP:
                    if sig and target in nodes:
                        t.tied[tpin] = 1
                    elif sig:
                        outside_tied.setdefault(target, dict(t.tied))[tpin] = 1
                    return
                const = _unique(f"{inst.id}.const", taken)
                taken.add(const)
                nodes[const] = Node(const, NEURON, "1" if sig else "0", bias=1.0 if sig else -1.0, output=False,
                                    x=inst.x, y=inst.y)
                sig = (const, "")
            for w in wires:
                if (w.source, w.source_pin, w.target, w.target_pin) == (*sig, target, tpin):
                    w.weight += weight
                    return
            wid = _unique(wid, taken)
            taken.add(wid)
            wires.append(Wire(wid, sig[0], target, weight, sig[1], tpin))

        for w in d.wires.values():
            if d.nodes[w.target].kind == OUTPUT:
                continue
            connect(inner_signal(w.source, w.source_pin), new_id[w.target], w.target_pin, w.weight,
                    f"{inst.id}.{w.id}")
        for w in graph.wires_from(inst.id):
            connect(driver(w.source_pin), w.target, w.target_pin, w.weight, w.id)
        for k, node in enumerate(nodes.values()):
            edits.append(AddNode(node, index + k))
        for w in wires:
            if w.target in graph.nodes and w.target != inst.id:
                existing = graph.wire_between(w.source, w.target, w.source_pin, w.target_pin)
                if existing is not None:  # merges with a wire already there (weights add up)
                    edits.append(SetWeight(existing.id, existing.weight + w.weight))
                    continue
            edits.append(AddWire(w))
        edits += [SetNode(t, {"bias": b}) for t, b in outside_bias.items()]
        edits += [SetNode(t, {"tied": tied}) for t, tied in outside_tied.items()]
        return Compound(edits, self.text)


def _mid(g: Graph, axis: str) -> float:
    vals = [getattr(n, axis) for n in g.nodes.values() if n.kind in (NEURON, CHIP)]
    return (min(vals) + max(vals)) / 2 if vals else 0.0


def set_param(graph: Graph, kind: str, path_id: str, value: float) -> Edit:
    """The edit that sets a parameter of the flat network — a weight (``kind`` "w") or bias ("b") named by
    its path id (``fa3/w2``) — to ``value``: in the definition holding it (so in every instance of that chip),
    or in the document itself for a top-level id."""
    part, chip, local = locate(graph, path_id)
    edit = SetWeight(local, value) if kind == "w" else SetNode(local, {"bias": value})
    return InChip(chip, edit) if chip else edit


def has_param(graph: Graph, kind: str, path_id: str) -> bool:
    """Whether ``path_id`` names a wire (``kind`` "w") or a node ("b") of the document or inside one of its
    chips."""
    try:
        part, _, local = locate(graph, path_id)
    except KeyError:
        return False
    return local in (part.wires if kind == "w" else part.nodes)
