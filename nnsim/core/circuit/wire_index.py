"""Wires indexed by their ends, so that finding a wire is O(1) and a node's wires O(its degree).

Without it, every :meth:`Graph.add_wire` scanned all wires for a duplicate and loading a document was
quadratic in its size. A :class:`WireIndex` is built from a graph's ``wires`` dict on first use and kept in
step by ``add_wire``/``remove_wire``; a graph rebuilds it when its ``wires`` dict was replaced or resized
behind its back (``copy()``, an insert at a position, a builder assigning ``graph.wires``). The per-node
dicts keep document order, so ``wires_into`` lists wires in the order the document does.
"""

from __future__ import annotations


class WireIndex:
    """``into[node]``, ``out[node]``, ``pairs[(source, target)]``: dicts wire id → wire, in document order;
    ``ends[wire.ends]`` → wire."""

    def __init__(self, wires: dict):
        self._wires = wires
        self._count = 0
        self.into: dict[str, dict] = {}
        self.out: dict[str, dict] = {}
        self.pairs: dict[tuple, dict] = {}
        self.ends: dict[tuple, object] = {}
        for wire in wires.values():
            self._add(wire)

    def __repr__(self):
        return f"WireIndex({self._count} wires)"

    def follows(self, wires: dict) -> bool:
        """True while this index describes ``wires`` (the same dict, with as many wires as it has seen)."""
        return wires is self._wires and len(wires) == self._count

    def added(self, wires: dict, wire) -> None:
        """``wire`` was appended to ``wires`` (when ``wires`` is another dict the index is simply stale)."""
        if wires is self._wires:
            self._add(wire)

    def removed(self, wires: dict, wire) -> None:
        if wires is self._wires:
            self._count -= 1
            for table, key in ((self.into, wire.target), (self.out, wire.source),
                               (self.pairs, (wire.source, wire.target))):
                entries = table.get(key)
                if entries is not None:
                    entries.pop(wire.id, None)
                    if not entries:
                        del table[key]
            if self.ends.get(_ends(wire)) is wire:
                del self.ends[_ends(wire)]

    def _add(self, wire) -> None:
        self._count += 1
        self.into.setdefault(wire.target, {})[wire.id] = wire
        self.out.setdefault(wire.source, {})[wire.id] = wire
        self.pairs.setdefault((wire.source, wire.target), {})[wire.id] = wire
        self.ends.setdefault(_ends(wire), wire)


def _ends(wire) -> tuple:
    return (wire.source, getattr(wire, "source_pin", ""), wire.target, getattr(wire, "target_pin", ""))
