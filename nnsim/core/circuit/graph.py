"""The editable document: input nodes, neurons and weighted wires, with canvas positions.

A :class:`Graph` is the single source of truth that the canvas views and the compiler read. It may have
any topology, loops included. Change it only through its methods (or, for undo, through
:mod:`nnsim.core.circuit.edits`): each one validates, stores, then emits an event so views can follow.

Nodes and wires are small dataclasses keyed by string ids. Node order matters: the truth table's input
columns follow the order of input nodes (the first input is the most significant bit) and its output
columns the order of output neurons.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Iterable

from nnsim.core import activations
from nnsim.core.circuit.events import Signal
from nnsim.core.circuit.id_numbers import IdNumbers
from nnsim.core.circuit.wire_index import WireIndex

INPUT = "input"
NEURON = "neuron"
#: An instance of a chip definition (see :mod:`nnsim.core.circuit.chips`): one box with pins.
CHIP = "chip"
#: A named output pin: reads exactly one signal (a wire from an input, a neuron or an instance's pin).
OUTPUT = "output"
NODE_KINDS = (INPUT, NEURON, CHIP, OUTPUT)

#: Fields a node may change through :meth:`Graph.set_node`.
NODE_FIELDS = ("label", "value", "activation", "bias", "output", "x", "y", "tied")


@dataclass
class Node:
    """An input (``kind="input"``, with a ``value``) or a neuron (``activation``, ``bias``).

    ``output`` marks a neuron as an output: ``True`` or ``False``, or ``None`` for automatic (a neuron is an
    output when no wire leaves it). ``x, y`` are its position on the canvas (scene units).
    """

    id: str
    kind: str = NEURON
    label: str = ""
    value: float = 0.0
    activation: str = "step"
    bias: float = 0.0
    output: bool | None = None
    x: float = 0.0
    y: float = 0.0
    chip: str = ""
    tied: dict = field(default_factory=dict)

    @property
    def is_input(self) -> bool:
        return self.kind == INPUT

    @property
    def is_instance(self) -> bool:
        return self.kind == CHIP

    @property
    def name(self) -> str:
        """What people call it: the label, or the id when there is none."""
        return self.label or self.id

    def copy(self) -> "Node":
        return replace(self, tied=dict(self.tied))


@dataclass
class Wire:
    """A weighted connection: ``source`` (input, neuron or an instance's output pin ``source_pin``) →
    ``target`` (neuron, an instance's input pin ``target_pin``, or an output node). Wires into a pin or an
    output node are plain connections of weight 1."""

    id: str
    source: str
    target: str
    weight: float = 0.0
    source_pin: str = ""
    target_pin: str = ""

    def copy(self) -> "Wire":
        return replace(self)

    @property
    def ends(self) -> tuple[str, str, str, str]:
        return self.source, self.source_pin, self.target, self.target_pin


@dataclass
class ExpectedTable:
    """A truth table the document should compute: input/output labels and 0/1 rows, in binary counting
    order of the inputs (first input most significant). ``rows[i]`` = outputs for input row ``i``."""

    inputs: list[str]
    outputs: list[str]
    rows: list[list[float]] = field(default_factory=list)


def _inserted(items: dict, key: str, value, index: int | None) -> dict:
    """``items`` with ``key: value`` at position ``index`` (appended in place when ``index`` is None or last)."""
    if index is None or index >= len(items):
        items[key] = value
        return items
    pairs = list(items.items())
    pairs.insert(index, (key, value))
    return dict(pairs)


def _check_number(what: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number, not {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, not {value}")
    return value


class Graph:
    """A network of inputs, neurons, chip instances, output nodes and wires.

    ``chips`` maps names to chip definitions (:class:`~nnsim.core.circuit.chips.ChipDef`); it is ONE registry
    shared by a document and the graphs of its definitions (pass ``chips=doc.chips`` when building a
    definition's graph). ``chip_name`` is the definition a graph belongs to ("" for a document).

    Events (each a :class:`~nnsim.core.circuit.events.Signal`): ``node_added(id)``, ``node_removed(id)``,
    ``wire_added(id)``, ``wire_removed(id)``, ``node_changed(id, field)``, ``wire_changed(id, field)``,
    ``graph_changed(field)`` for document-wide settings, ``chip_added(name)``, ``chip_removed(name)``,
    ``chip_changed(name)`` (a definition's graph changed), and ``changed()`` after any change.

    ``structure_revision`` counts changes of topology, activations, outputs and labels (the compiler
    rebuilds);
    ``revision`` counts every change (parameters too).
    """

    def __init__(self, name: str = "", chips: dict | None = None):
        self.name = name
        self.chips: dict = {} if chips is None else chips
        self.chip_name = ""
        self._chip_slots: dict = {}
        self._index: WireIndex | None = None
        self._numbers: IdNumbers | None = None
        self.description = ""
        self.sigmoid_base = activations.E
        self.expected: ExpectedTable | None = None
        self.nodes: dict[str, Node] = {}
        self.wires: dict[str, Wire] = {}
        self.revision = 0
        self.structure_revision = 0
        self.node_added = Signal("node_added")
        self.node_removed = Signal("node_removed")
        self.wire_added = Signal("wire_added")
        self.wire_removed = Signal("wire_removed")
        self.node_changed = Signal("node_changed")
        self.wire_changed = Signal("wire_changed")
        self.graph_changed = Signal("graph_changed")
        self.chip_added = Signal("chip_added")
        self.chip_removed = Signal("chip_removed")
        self.chip_changed = Signal("chip_changed")
        self.changed = Signal("changed")

    # ----- reading -----------------------------------------------------------------------------------
    def __repr__(self):
        return f"Graph({self.name!r}, {len(self.inputs())} inputs, {len(self.neurons())} neurons, {len(self.wires)} wires)"

    def node(self, node_id: str) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise KeyError(f"no node {node_id!r}") from None

    def wire(self, wire_id: str) -> Wire:
        try:
            return self.wires[wire_id]
        except KeyError:
            raise KeyError(f"no wire {wire_id!r}") from None

    def inputs(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.kind == INPUT]

    def neurons(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.kind == NEURON]

    def instances(self) -> list[Node]:
        """Chip instances (kind ``"chip"``) in document order."""
        return [n for n in self.nodes.values() if n.kind == CHIP]

    def _wires_index(self) -> WireIndex:
        """Wires by their ends (:mod:`~nnsim.core.circuit.wire_index`), kept in step by add_wire and
        remove_wire; rebuilt when ``wires`` was replaced or changed behind our back."""
        if self._index is None or not self._index.follows(self.wires):
            self._index = WireIndex(self.wires)
        return self._index

    def wires_into(self, node_id: str) -> list[Wire]:
        """Wires into ``node_id`` in document order (O(its fan-in))."""
        return list(self._wires_index().into.get(node_id, {}).values())

    def wires_from(self, node_id: str) -> list[Wire]:
        """Wires leaving ``node_id`` in document order (O(its fan-out))."""
        return list(self._wires_index().out.get(node_id, {}).values())

    def wires_of(self, node_id: str) -> list[Wire]:
        """Wires into or out of ``node_id`` (a loop onto itself once)."""
        index = self._wires_index()
        return list({**index.out.get(node_id, {}), **index.into.get(node_id, {})}.values())

    def wire_between(self, source: str, target: str, source_pin: str = "", target_pin: str = "") -> Wire | None:
        """The wire ``source[.source_pin] → target[.target_pin]``, or None (O(1))."""
        return self._wires_index().ends.get((source, source_pin, target, target_pin))

    def outputs(self) -> list[Node]:
        """Outputs in document order: neurons marked ``output=True``, neurons with ``output`` ``None`` that no
        wire leaves, and output nodes (kind ``"output"``)."""
        sources = {w.source for w in self.wires.values()}
        return [n for n in self.nodes.values() if n.kind == OUTPUT or (
            n.kind == NEURON and (n.output or (n.output is None and n.id not in sources)))]

    def find(self, name: str) -> Node:
        """The node whose id or (unique) label is ``name``."""
        if name in self.nodes:
            return self.nodes[name]
        found = [n for n in self.nodes.values() if n.label == name]
        if len(found) == 1:
            return found[0]
        if not found:
            raise KeyError(f"no node with id or label {name!r}")
        raise KeyError(f"label {name!r} names {len(found)} nodes; use the id ({', '.join(n.id for n in found)})")

    def new_id(self, prefix: str = "n") -> str:
        """An unused id ``prefix1``, ``prefix2``, …: one more than the largest number after ``prefix`` (O(1),
        see :mod:`~nnsim.core.circuit.id_numbers`)."""
        i = self._id_numbers().largest(prefix) + 1
        while f"{prefix}{i}" in self.nodes or f"{prefix}{i}" in self.wires:
            i += 1
        return f"{prefix}{i}"

    def _id_numbers(self) -> IdNumbers:
        if self._numbers is None or not self._numbers.follows(self.nodes, self.wires):
            self._numbers = IdNumbers(self.nodes, self.wires)
        return self._numbers

    # ----- changing ----------------------------------------------------------------------------------
    def _touch(self, structural: bool) -> None:
        self.revision += 1
        if structural:
            self.structure_revision += 1
        self.changed.emit()

    def add_node(self, node: Node, index: int | None = None) -> Node:
        """Add ``node`` (stored as given) at position ``index`` of the node order (default: last)."""
        if node.id in self.nodes or node.id in self.wires:
            raise ValueError(f"id {node.id!r} is already used")
        if node.kind not in NODE_KINDS:
            raise ValueError(f"unknown node kind {node.kind!r} (known: {', '.join(NODE_KINDS)})")
        activations.get(node.activation)
        if node.kind == CHIP:
            self._check_instance(node.chip, node.tied)
        elif node.chip or node.tied:
            raise ValueError(f"node {node.id!r} is not a chip instance; only instances have a chip and tied pins")
        for f in ("value", "bias", "x", "y"):
            setattr(node, f, _check_number(f, getattr(node, f)))
        numbers = self._id_numbers()
        self.nodes = _inserted(self.nodes, node.id, node, index)
        numbers.added(self.nodes, self.wires, node.id)
        self.node_added.emit(node.id)
        self._touch(True)
        return node

    def remove_node(self, node_id: str) -> Node:
        """Remove a node and every wire attached to it (wires first, each with its own event)."""
        node = self.node(node_id)
        for w in self.wires_of(node_id):
            self.remove_wire(w.id)
        numbers = self._id_numbers()
        del self.nodes[node_id]
        numbers.removed(self.nodes, self.wires, node_id)
        self.node_removed.emit(node_id)
        self._touch(True)
        return node

    def add_wire(self, wire: Wire, index: int | None = None) -> Wire:
        if wire.id in self.wires or wire.id in self.nodes:
            raise ValueError(f"id {wire.id!r} is already used")
        if wire.source not in self.nodes:
            raise ValueError(f"wire {wire.id!r} comes from a missing node {wire.source!r}")
        if wire.target not in self.nodes:
            raise ValueError(f"wire {wire.id!r} goes to a missing node {wire.target!r}")
        src, dst = self.nodes[wire.source], self.nodes[wire.target]
        if dst.kind == INPUT:
            raise ValueError(f"wire {wire.id!r} goes into input {dst.name!r}; inputs take no wires")
        if src.kind == OUTPUT:
            raise ValueError(f"wire {wire.id!r} leaves output {src.name!r}; nothing reads an output node")
        self._check_pins(wire, src, dst)
        index_before = self._wires_index()
        into = index_before.into.get(wire.target, {})
        if index_before.ends.get(wire.ends) is not None:
            what = f"{src.name}" + (f".{wire.source_pin}" if wire.source_pin else "")
            raise ValueError(f"{what} and {dst.name}{'.' + wire.target_pin if wire.target_pin else ''} "
                             "are already connected")
        if dst.kind == OUTPUT and into:
            raise ValueError(f"output {dst.name!r} already reads a signal; an output node takes one wire")
        if dst.kind == CHIP and any(w.target_pin == wire.target_pin for w in into.values()):
            raise ValueError(f"pin {wire.target_pin!r} of {dst.name} is already driven")
        wire.weight = _check_number("weight", wire.weight)
        if dst.kind in (CHIP, OUTPUT) and wire.weight != 1:
            raise ValueError(f"a wire into {'a chip pin' if dst.kind == CHIP else 'an output node'} is a plain "
                             f"connection of weight 1, not {wire.weight:g}")
        numbers = self._id_numbers()
        self.wires = _inserted(self.wires, wire.id, wire, index)
        numbers.added(self.nodes, self.wires, wire.id)
        index_before.added(self.wires, wire)  # appended in place: kept current; else rebuilt on next use
        self.wire_added.emit(wire.id)
        self._touch(True)
        return wire

    def _check_pins(self, wire: Wire, src: Node, dst: Node) -> None:
        for node, pin, side in ((src, wire.source_pin, "outputs"), (dst, wire.target_pin, "inputs")):
            if node.kind != CHIP:
                if pin:
                    raise ValueError(f"wire {wire.id!r} names pin {pin!r}, but {node.name!r} is not a chip instance")
                continue
            pins = getattr(self.chips[node.chip], side)
            if not pin:
                raise ValueError(f"wire {wire.id!r} must name one of the {side[:-1]} pins of {node.name} "
                                 f"({', '.join(pins) or 'none'})")
            if pin not in pins:
                raise ValueError(f"chip {node.chip} has no {side[:-1]} pin {pin!r} (its {side}: "
                                 f"{', '.join(pins) or 'none'})")

    def _check_instance(self, chip: str, tied: dict) -> None:
        if chip not in self.chips:
            raise ValueError(f"unknown chip {chip!r}" + (f" (defined: {', '.join(self.chips)})" if self.chips else ""))
        if self.chip_name:
            path = chip_path(self.chips, chip, self.chip_name)
            if path is not None:
                raise ValueError(f"chip {self.chip_name} cannot contain {chip}: it would contain itself "
                                 f"({' -> '.join([self.chip_name, *path])})")
        ins = self.chips[chip].inputs
        for pin, v in tied.items():
            if pin not in ins:
                raise ValueError(f"chip {chip} has no input pin {pin!r} to tie")
            if isinstance(v, bool) or v not in (0, 1):
                raise ValueError(f"a tied pin holds 0 or 1, not {v!r}")

    def remove_wire(self, wire_id: str) -> Wire:
        wire = self.wire(wire_id)
        index = self._wires_index()
        numbers = self._id_numbers()
        del self.wires[wire_id]
        numbers.removed(self.nodes, self.wires, wire_id)
        index.removed(self.wires, wire)
        self.wire_removed.emit(wire_id)
        self._touch(True)
        return wire

    def set_node(self, node_id: str, **fields) -> None:
        """Change fields of a node (see ``NODE_FIELDS``); emits ``node_changed(id, field)`` for each."""
        node = self.node(node_id)
        structural = False
        for name, value in fields.items():
            if name not in NODE_FIELDS:
                raise ValueError(f"a node has no field {name!r}")
            if name in ("value", "bias", "x", "y"):
                value = _check_number(name, value)
            elif name == "activation":
                activations.get(value)
                structural = True
            elif name == "output":
                if value not in (None, True, False):
                    raise ValueError(f"output must be true, false or null, not {value!r}")
                structural = True
            elif name == "label":
                value = str(value)
                structural = True  # compiled circuits name columns and parameters by label
            elif name == "tied":
                if node.kind != CHIP:
                    raise ValueError(f"{node.name} is not a chip instance; it has no pins to tie")
                value = dict(value)
                self._check_instance(node.chip, value)
                structural = True
            setattr(node, name, value)
        for name in fields:
            self.node_changed.emit(node_id, name)
        if fields:
            self._touch(structural)

    def set_weight(self, wire_id: str, weight: float) -> None:
        wire = self.wire(wire_id)
        wire.weight = _check_number("weight", weight)
        self.wire_changed.emit(wire_id, "weight")
        self._touch(False)

    def move_node(self, node_id: str, x: float, y: float) -> None:
        self.set_node(node_id, x=x, y=y)

    def set_inputs(self, values: Iterable[float]) -> None:
        """Set every input's value, in input order."""
        ins = self.inputs()
        values = list(values)
        if len(values) != len(ins):
            raise ValueError(f"{len(ins)} input values expected, got {len(values)}")
        for node, v in zip(ins, values):
            if node.value != v:
                self.set_node(node.id, value=v)

    def set_setting(self, name: str, value) -> None:
        """Change a document-wide setting: ``name``, ``description``, ``sigmoid_base`` or ``expected``."""
        if name == "sigmoid_base":
            value = _check_number("sigmoid base", value)
            activations.steepness(value)
        elif name in ("name", "description"):
            value = str(value)
        elif name != "expected":
            raise ValueError(f"a graph has no setting {name!r}")
        setattr(self, name, value)
        self.graph_changed.emit(name)
        self._touch(name == "sigmoid_base")

    # ----- whole-document helpers ----------------------------------------------------------------------
    def snapshot(self) -> dict:
        """A plain-data copy of the whole document (for equality checks and clipboard-like copies)."""
        return {
            "name": self.name,
            "description": self.description,
            "sigmoid_base": self.sigmoid_base,
            "expected": asdict(self.expected) if self.expected else None,
            "nodes": [asdict(n) for n in self.nodes.values()],
            "wires": [asdict(w) for w in self.wires.values()],
            "chips": {name: d.graph.snapshot_body() for name, d in self.chips.items()} if not self.chip_name else {},
        }

    def snapshot_body(self) -> dict:
        """Nodes and wires as plain data (a chip definition's part of :meth:`snapshot`)."""
        return {"nodes": [asdict(n) for n in self.nodes.values()], "wires": [asdict(w) for w in self.wires.values()],
                "description": self.description}

    def copy(self, chips: dict | None = None) -> "Graph":
        """A deep copy with no listeners. A document's chip definitions are copied too (into a new registry);
        a definition's graph copied with ``chips=registry`` shares that registry instead."""
        g = Graph(self.name, chips={} if chips is None else chips)
        if chips is None and self.chips:
            for name, d in self.chips.items():
                g.chips[name] = type(d)(name, d.graph.copy(chips=g.chips))
                g.chips[name].graph.chip_name = name
            for name in g.chips:
                g._watch_chip(name)
        g.description = self.description
        g.sigmoid_base = self.sigmoid_base
        g.expected = ExpectedTable(list(self.expected.inputs), list(self.expected.outputs),
                                   [list(r) for r in self.expected.rows]) if self.expected else None
        g.nodes = {k: n.copy() for k, n in self.nodes.items()}
        g.wires = {k: w.copy() for k, w in self.wires.items()}
        return g

    def clear(self) -> None:
        for w in list(self.wires):
            self.remove_wire(w)
        for n in list(self.nodes):
            self.remove_node(n)
        for name in reversed(list(self.chips)):
            self.remove_chip(name)

    def replace_with(self, other: "Graph") -> None:
        """Make this document a copy of ``other`` (emitting events), e.g. after File › Open."""
        self.clear()
        for name in ("name", "description", "sigmoid_base", "expected"):
            self.set_setting(name, getattr(other, name))
        for name, d in other.chips.items():
            self.add_chip(type(d)(name, d.graph.copy(chips=self.chips)))
        for n in other.nodes.values():
            self.add_node(n.copy())
        for w in other.wires.values():
            self.add_wire(w.copy())

    # ----- building conveniences (for code that generates circuits) ------------------------------------
    def add_input(self, label: str = "", value: float = 0.0, x: float = 0.0, y: float = 0.0,
                  id: str | None = None) -> Node:
        return self.add_node(Node(id or self.new_id("x"), INPUT, label, value=value, x=x, y=y))

    def add_neuron(self, label: str = "", activation: str = "step", bias: float = 0.0,
                   x: float = 0.0, y: float = 0.0, output: bool | None = None, id: str | None = None) -> Node:
        return self.add_node(Node(id or self.new_id("n"), NEURON, label, activation=activation, bias=bias,
                                  output=output, x=x, y=y))

    def connect(self, source: str, target: str, weight: float, id: str | None = None) -> Wire:
        return self.add_wire(Wire(id or self.new_id("w"), source, target, weight))

    def add_instance(self, chip: str, label: str = "", x: float = 0.0, y: float = 0.0, id: str | None = None,
                     tied: dict | None = None) -> Node:
        """Place an instance of the chip definition ``chip`` (``tied``: input pin → 0/1)."""
        return self.add_node(Node(id or self.new_id("c"), CHIP, label, x=x, y=y, chip=chip, tied=dict(tied or {})))

    def connect_pin(self, source: str, target: str, weight: float = 1.0, source_pin: str = "", target_pin: str = "",
                    id: str | None = None) -> Wire:
        """A wire that may start at an instance's output pin (``source_pin``) or end at an instance's input
        pin (``target_pin``, weight 1)."""
        return self.add_wire(Wire(id or self.new_id("w"), source, target, weight, source_pin, target_pin))

    def add_output(self, label: str, source: str, source_pin: str = "", x: float = 0.0, y: float = 0.0,
                   id: str | None = None) -> Node:
        """An output node named ``label`` reading ``source`` (an instance's output pin when ``source_pin``)."""
        node = self.add_node(Node(id or self.new_id("o"), OUTPUT, label, x=x, y=y))
        try:
            self.connect_pin(source, node.id, 1.0, source_pin=source_pin, id=f"{node.id}_w" if id else None)
        except ValueError:
            self.remove_node(node.id)
            raise
        return node

    # ----- chip definitions --------------------------------------------------------------------------------
    def add_chip(self, defn, index: int | None = None) -> None:
        """Register a chip definition (a :class:`~nnsim.core.circuit.chips.ChipDef`) in the shared registry."""
        name = defn.name
        if not isinstance(name, str) or not name.strip():
            raise ValueError("a chip needs a name")
        if name in self.chips:
            raise ValueError(f"a chip called {name!r} is already defined")
        if defn.graph.chips is not self.chips:
            raise ValueError(f"chip {name}: build its graph with Graph(name, chips=doc.chips)")
        for inst in defn.graph.instances():
            path = chip_path(self.chips, inst.chip, name)
            if inst.chip == name or path is not None:
                raise ValueError(f"chip {name} would contain itself ({' -> '.join([name, *(path or [name])])})")
        defn.check()
        defn.graph.chip_name = name
        if index is None:
            self.chips[name] = defn
        else:  # the registry is shared: reorder it in place
            items = _inserted(dict(self.chips), name, defn, index)
            self.chips.clear()
            self.chips.update(items)
        self._watch_chip(name)
        self.chip_added.emit(name)
        self._touch(True)

    def remove_chip(self, name: str):
        """Unregister a definition no instance uses; returns it."""
        if name not in self.chips:
            raise KeyError(f"no chip {name!r}")
        users = [g for g in [self, *(d.graph for d in self.chips.values())]
                 if any(n.chip == name for n in g.instances())]
        if users:
            where = ", ".join(g.chip_name or "the document" for g in users)
            raise ValueError(f"chip {name} is still used (in {where})")
        defn = self.chips.pop(name)
        slot = self._chip_slots.pop(name, None)
        if slot is not None:
            defn.graph.changed.disconnect(slot)
        self.chip_removed.emit(name)
        self._touch(True)
        return defn

    def _watch_chip(self, name: str) -> None:
        def slot(name=name):
            self.chip_changed.emit(name)
            self._touch(True)
        self._chip_slots[name] = slot
        self.chips[name].graph.changed.connect(slot, weak=False)


def chip_path(chips: dict, start: str, goal: str) -> list[str] | None:
    """The chain of chip names from ``start`` down to an instance of ``goal`` (``[start, …, goal]``), or None."""
    seen: set[str] = set()

    def walk(name):
        if name == goal:
            return [name]
        if name in seen or name not in chips:
            return None
        seen.add(name)
        for inst in chips[name].graph.instances():
            rest = walk(inst.chip)
            if rest is not None:
                return [name, *rest]
        return None

    return walk(start)
