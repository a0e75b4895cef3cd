"""Pure, undoable edits of a :class:`~nnsim.core.circuit.graph.Graph`.

Each edit holds ids and plain values only (never a view or a live node object), so that ``apply`` then
``revert`` restores the document exactly, node order and wire order included. The GUI wraps each one in a
``QUndoCommand``; tests and scripts use them directly::

    edit = SetWeight("w1", new=-2.0)
    edit.apply(graph)     # captures the old value the first time
    edit.revert(graph)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nnsim.core.circuit.graph import Graph, Node, Wire


class Edit:
    """Base class: ``apply(graph)``, ``revert(graph)`` and a ``text`` for the Undo menu."""

    text = "edit"

    def apply(self, graph: Graph) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def revert(self, graph: Graph) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}({self.text!r})"


@dataclass(repr=False)
class AddNode(Edit):
    node: Node
    index: int | None = None

    @property
    def text(self):
        return f"add {self.node.name}"

    def apply(self, graph):
        graph.add_node(self.node.copy(), self.index)

    def revert(self, graph):
        graph.remove_node(self.node.id)


@dataclass(repr=False)
class RemoveNode(Edit):
    """Remove a node with its wires; revert puts all of them back where they were."""

    node_id: str
    _node: Node | None = None
    _index: int = 0
    _wires: list[tuple[int, Wire]] = field(default_factory=list)

    @property
    def text(self):
        return f"delete {self._node.name if self._node else self.node_id}"

    def apply(self, graph):
        self._node = graph.node(self.node_id).copy()
        self._index = list(graph.nodes).index(self.node_id)
        order = list(graph.wires)
        self._wires = [(order.index(w.id), w.copy()) for w in graph.wires_of(self.node_id)]
        graph.remove_node(self.node_id)

    def revert(self, graph):
        graph.add_node(self._node.copy(), self._index)
        for index, wire in sorted(self._wires, key=lambda iw: iw[0]):
            graph.add_wire(wire.copy(), index)


@dataclass(repr=False)
class AddWire(Edit):
    wire: Wire
    index: int | None = None
    text = "connect"

    def apply(self, graph):
        graph.add_wire(self.wire.copy(), self.index)

    def revert(self, graph):
        graph.remove_wire(self.wire.id)


@dataclass(repr=False)
class RemoveWire(Edit):
    wire_id: str
    _wire: Wire | None = None
    _index: int = 0
    text = "delete wire"

    def apply(self, graph):
        self._wire = graph.wire(self.wire_id).copy()
        self._index = list(graph.wires).index(self.wire_id)
        graph.remove_wire(self.wire_id)

    def revert(self, graph):
        graph.add_wire(self._wire.copy(), self._index)


_UNSET = object()


@dataclass(repr=False)
class SetNode(Edit):
    """Set fields of a node, e.g. ``SetNode("n1", {"bias": 3.0})``. Old values are captured on the first
    apply unless given in ``old``."""

    node_id: str
    new: dict
    old: dict | None = None

    @property
    def text(self):
        return "set " + ", ".join(self.new)

    def apply(self, graph):
        node = graph.node(self.node_id)
        if self.old is None:
            self.old = {k: getattr(node, k) for k in self.new}
        graph.set_node(self.node_id, **self.new)

    def revert(self, graph):
        graph.set_node(self.node_id, **self.old)


@dataclass(repr=False)
class SetWeight(Edit):
    wire_id: str
    new: float
    old: float | None = None
    text = "set weight"

    def apply(self, graph):
        if self.old is None:
            self.old = graph.wire(self.wire_id).weight
        graph.set_weight(self.wire_id, self.new)

    def revert(self, graph):
        graph.set_weight(self.wire_id, self.old)


@dataclass(repr=False)
class MoveNodes(Edit):
    """Move nodes: ``moves = {id: ((old_x, old_y), (new_x, new_y))}`` — a whole drag is one edit."""

    moves: dict[str, tuple[tuple[float, float], tuple[float, float]]]
    text = "move"

    def apply(self, graph):
        for node_id, (_, (x, y)) in self.moves.items():
            graph.move_node(node_id, x, y)

    def revert(self, graph):
        for node_id, ((x, y), _) in self.moves.items():
            graph.move_node(node_id, x, y)


@dataclass(repr=False)
class SetSetting(Edit):
    """Change a document-wide setting (``sigmoid_base``, ``name``, ``description``, ``expected``)."""

    name: str
    new: object
    old: object = _UNSET

    @property
    def text(self):
        return f"set {self.name.replace('_', ' ')}"

    def apply(self, graph):
        if self.old is _UNSET:
            self.old = getattr(graph, self.name)
        graph.set_setting(self.name, self.new)

    def revert(self, graph):
        graph.set_setting(self.name, self.old)


@dataclass(repr=False)
class Compound(Edit):
    """Several edits as one step (paste, delete a selection, replace the document); reverted in reverse."""

    edits: list[Edit]
    label: str = "edit"

    @property
    def text(self):
        return self.label

    def apply(self, graph):
        done = []
        try:
            for e in self.edits:
                e.apply(graph)
                done.append(e)
        except Exception:
            for e in reversed(done):
                e.revert(graph)
            raise

    def revert(self, graph):
        for e in reversed(self.edits):
            e.revert(graph)


def remove_selection(graph: Graph, node_ids, wire_ids=()) -> Compound:
    """One edit that deletes the given wires, then the given nodes (with their remaining wires)."""
    node_ids = [n for n in graph.nodes if n in set(node_ids)]
    wires = [w for w in graph.wires if w in set(wire_ids)
             and graph.wires[w].source not in node_ids and graph.wires[w].target not in node_ids]
    edits: list[Edit] = [RemoveWire(w) for w in wires] + [RemoveNode(n) for n in node_ids]
    return Compound(edits, "delete")
