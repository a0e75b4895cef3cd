"""The largest number after each id prefix in a graph (``n12`` → prefix ``n``, number 12), so that
:meth:`Graph.new_id` is O(1) instead of a scan of every id (building 2,000 neurons one ``add_neuron()`` at a
time took 25 s: a million regular-expression matches).

Kept in step by the graph's add and remove methods; rebuilt when the graph's ``nodes`` or ``wires`` dict
was replaced or resized behind its back. Removing the id that holds a prefix's largest number marks that
prefix for a rescan, so ``new_id`` still gives "largest number + 1" as before (n1…n5, n5 removed: n5 again).
"""

from __future__ import annotations

import re

_NUMBERED = re.compile(r"(.*?)(\d+)")


def _split(key: str):
    m = _NUMBERED.fullmatch(key)
    return (m.group(1), int(m.group(2))) if m else (None, 0)


class IdNumbers:
    """Per prefix, the largest number any node or wire id carries after it."""

    def __init__(self, nodes: dict, wires: dict):
        self._dicts = (nodes, wires)
        self._count = len(nodes) + len(wires)
        self._largest: dict[str, int] = {}
        self._stale: set[str] = set()
        for key in (*nodes, *wires):
            self._note(key)

    def __repr__(self):
        return f"IdNumbers({len(self._largest)} prefixes)"

    def follows(self, nodes: dict, wires: dict) -> bool:
        return self._dicts[0] is nodes and self._dicts[1] is wires and len(nodes) + len(wires) == self._count

    def _note(self, key: str) -> None:
        prefix, number = _split(key)
        if prefix is not None and number > self._largest.get(prefix, 0):
            self._largest[prefix] = number

    def added(self, nodes: dict, wires: dict, key: str) -> None:
        """``key`` was added to ``nodes`` or ``wires`` (another dict than before: the index goes stale)."""
        if self._dicts[0] is nodes and self._dicts[1] is wires:
            self._count += 1
            self._note(key)

    def removed(self, nodes: dict, wires: dict, key: str) -> None:
        if self._dicts[0] is nodes and self._dicts[1] is wires:
            self._count -= 1
            prefix, number = _split(key)
            if prefix is not None and number == self._largest.get(prefix):
                self._stale.add(prefix)

    def largest(self, prefix: str) -> int:
        """The largest number after ``prefix`` among the ids (0 when none)."""
        if prefix in self._stale:
            self._stale.discard(prefix)
            nodes, wires = self._dicts
            self._largest[prefix] = max((n for p, n in map(_split, (*nodes, *wires)) if p == prefix), default=0)
        return self._largest.get(prefix, 0)
