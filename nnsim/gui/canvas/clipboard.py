"""Copy and paste of canvas selections as nnsim JSON (the file format), and fragment insertion.

``extract`` cuts a selection out of a graph with its inner wires; ``insertion`` turns any fragment (a
pasted selection, a palette preset, a generated circuit) into one undoable edit with fresh ids. The system
clipboard carries the fragment as nnsim JSON text (it can be pasted into a file, or from one).
"""

from __future__ import annotations

import re

from PySide6.QtGui import QGuiApplication

from nnsim.core.circuit.chip_edits import AddChip, RemoveChip
from nnsim.core.circuit import chips
from nnsim.core.circuit.chips import ChipDef
from nnsim.core.circuit.edits import AddNode, AddWire, Compound, Edit, SetSetting, remove_selection
from nnsim.core.errors import UserError
from nnsim.core.circuit.graph import Graph
from nnsim.io.fileformat import dumps_graph, loads_graph

MIME = "application/x-nnsim+json"


def extract(graph: Graph, node_ids) -> Graph:
    """A new graph holding the nodes ``node_ids`` and the wires between two of them."""
    keep = set(node_ids)
    frag = Graph("selection")
    frag.sigmoid_base = graph.sigmoid_base
    frag.nodes = {k: n.copy() for k, n in graph.nodes.items() if k in keep}
    frag.wires = {k: w.copy() for k, w in graph.wires.items() if w.source in keep and w.target in keep}
    used = chips.chips_used(graph, frag)
    for name in graph.chips:   # registry order: a chip comes after the chips it uses
        if name in used:
            frag.chips[name] = ChipDef(name, graph.chips[name].graph.copy(chips=frag.chips))
            frag.chips[name].graph.chip_name = name
    return frag


def _prefix(some_id: str) -> str:
    m = re.fullmatch(r"([A-Za-z_]+)\d*", some_id)
    return m.group(1) if m else "n"


def insertion(graph: Graph, fragment: Graph, dx: float = 0.0, dy: float = 0.0,
              label: str = "paste") -> tuple[Compound, list[str]]:
    """One edit adding a copy of ``fragment`` to ``graph``, moved by (dx, dy), with ids that ``graph`` does
    not use yet. Returns the edit and the new node ids (in fragment order). Does not apply it."""
    taken = set(graph.nodes) | set(graph.wires)
    mapping: dict[str, str] = {}

    def fresh(old: str) -> str:
        prefix = _prefix(old)
        numbers = [int(m.group(1)) for k in taken if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", k))]
        i = max(numbers, default=0) + 1
        while f"{prefix}{i}" in taken:
            i += 1
        new = f"{prefix}{i}"
        taken.add(new)
        return new

    # chips the fragment places and the graph lacks come with it (a chip of the same name is taken as the same)
    edits: list[Edit] = [AddChip(ChipDef(name, d.graph.copy(chips=graph.chips)))
                         for name, d in fragment.chips.items() if name not in graph.chips]
    for n in fragment.nodes.values():
        node = n.copy()
        node.id = mapping[n.id] = fresh(n.id)
        node.x, node.y = n.x + dx, n.y + dy
        edits.append(AddNode(node))
    for w in fragment.wires.values():
        wire = w.copy()
        wire.id = fresh(w.id)
        wire.source, wire.target = mapping[w.source], mapping[w.target]
        edits.append(AddWire(wire))
    return Compound(edits, label), [mapping[k] for k in fragment.nodes]


def replacement(graph: Graph, new: Graph, label: str = "replace circuit") -> Compound:
    """One undoable edit that turns ``graph`` into a copy of ``new`` (a generated circuit), settings included."""
    edits: list[Edit] = list(remove_selection(graph, list(graph.nodes)).edits)
    edits += [RemoveChip(name) for name in reversed(list(graph.chips))]
    edits += [AddChip(ChipDef(name, d.graph.copy(chips=graph.chips))) for name, d in new.chips.items()]
    edits += [AddNode(n.copy()) for n in new.nodes.values()]
    edits += [AddWire(w.copy()) for w in new.wires.values()]
    edits += [SetSetting(name, getattr(new, name)) for name in ("name", "description", "sigmoid_base", "expected")]
    return Compound(edits, label)


def copy_to_clipboard(fragment: Graph) -> None:
    # Plain text only: a QMimeData handed to the clipboard from Python is freed twice at exit (PySide6).
    QGuiApplication.clipboard().setText(dumps_graph(fragment))


def fragment_from_clipboard() -> Graph | None:
    """The nnsim fragment on the clipboard, or ``None`` when it holds something else."""
    data = QGuiApplication.clipboard().mimeData()
    if data is None:
        return None
    if data.hasFormat(MIME):
        text = bytes(data.data(MIME)).decode("utf-8")
    elif data.hasText() and '"format": "nnsim"' in data.text():
        text = data.text()
    else:
        return None
    try:
        return loads_graph(text, "clipboard")
    except UserError:
        return None
