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
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Iterable

from nnsim.core import activations
from nnsim.core.circuit.events import Signal

INPUT = "input"
NEURON = "neuron"
NODE_KINDS = (INPUT, NEURON)

#: Fields a neuron or input may change through :meth:`Graph.set_node`.
NODE_FIELDS = ("label", "value", "activation", "bias", "output", "x", "y")


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

    @property
    def is_input(self) -> bool:
        return self.kind == INPUT

    @property
    def name(self) -> str:
        """What people call it: the label, or the id when there is none."""
        return self.label or self.id

    def copy(self) -> "Node":
        return replace(self)


@dataclass
class Wire:
    """A weighted connection: ``source`` (input or neuron) → ``target`` (neuron)."""

    id: str
    source: str
    target: str
    weight: float = 0.0

    def copy(self) -> "Wire":
        return replace(self)


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
    """A network of inputs, neurons and wires.

    Events (each a :class:`~nnsim.core.circuit.events.Signal`): ``node_added(id)``, ``node_removed(id)``,
    ``wire_added(id)``, ``wire_removed(id)``, ``node_changed(id, field)``, ``wire_changed(id, field)``,
    ``graph_changed(field)`` for document-wide settings, and ``changed()`` after any change.

    ``structure_revision`` counts changes of topology, activations, outputs and labels (the compiler
    rebuilds);
    ``revision`` counts every change (parameters too).
    """

    def __init__(self, name: str = ""):
        self.name = name
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

    def wires_into(self, node_id: str) -> list[Wire]:
        return [w for w in self.wires.values() if w.target == node_id]

    def wires_from(self, node_id: str) -> list[Wire]:
        return [w for w in self.wires.values() if w.source == node_id]

    def wires_of(self, node_id: str) -> list[Wire]:
        return [w for w in self.wires.values() if w.source == node_id or w.target == node_id]

    def wire_between(self, source: str, target: str) -> Wire | None:
        for w in self.wires.values():
            if w.source == source and w.target == target:
                return w
        return None

    def outputs(self) -> list[Node]:
        """Output neurons in document order: those marked ``output=True``, plus, when ``output`` is
        ``None``, those that no wire leaves."""
        sources = {w.source for w in self.wires.values()}
        return [n for n in self.neurons() if n.output or (n.output is None and n.id not in sources)]

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
        """An unused id ``prefix1``, ``prefix2``, …"""
        taken = self.nodes.keys() | self.wires.keys()
        numbers = [int(m.group(1)) for k in taken if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", k))]
        i = max(numbers, default=0) + 1
        while f"{prefix}{i}" in taken:
            i += 1
        return f"{prefix}{i}"

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
        for f in ("value", "bias", "x", "y"):
            setattr(node, f, _check_number(f, getattr(node, f)))
        self.nodes = _inserted(self.nodes, node.id, node, index)
        self.node_added.emit(node.id)
        self._touch(True)
        return node

    def remove_node(self, node_id: str) -> Node:
        """Remove a node and every wire attached to it (wires first, each with its own event)."""
        node = self.node(node_id)
        for w in self.wires_of(node_id):
            self.remove_wire(w.id)
        del self.nodes[node_id]
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
        if self.nodes[wire.target].kind == INPUT:
            raise ValueError(f"wire {wire.id!r} goes into input {self.nodes[wire.target].name!r}; inputs take no wires")
        if self.wire_between(wire.source, wire.target) is not None:
            raise ValueError(f"{self.nodes[wire.source].name} and {self.nodes[wire.target].name} are already connected")
        wire.weight = _check_number("weight", wire.weight)
        self.wires = _inserted(self.wires, wire.id, wire, index)
        self.wire_added.emit(wire.id)
        self._touch(True)
        return wire

    def remove_wire(self, wire_id: str) -> Wire:
        wire = self.wire(wire_id)
        del self.wires[wire_id]
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
        }

    def copy(self) -> "Graph":
        """A deep copy with no listeners."""
        g = Graph(self.name)
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

    def replace_with(self, other: "Graph") -> None:
        """Make this document a copy of ``other`` (emitting events), e.g. after File › Open."""
        self.clear()
        for name in ("name", "description", "sigmoid_base", "expected"):
            self.set_setting(name, getattr(other, name))
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
