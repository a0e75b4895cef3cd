"""The scene's chip support: which item draws a node, the live values of pins and of the inside of an opened
chip, and opening and closing instances (the path shown in the breadcrumb).

The scene shows one graph at a time: the document, or — after :func:`open_instance` — the definition of the
instance at ``scene.chip_path`` (instance ids from the top). The compiled circuit is always the whole
document's; a node ``n1`` shown inside instance ``fa3`` is column ``fa3/n1`` of it, and a pin's value comes
from ``circuit.pins``. Edits made inside go to the definition (``InChip``), so every instance follows.
"""

from __future__ import annotations

import math

from nnsim.core.circuit.chips import SEP, flatten
from nnsim.core.circuit.edits import AddWire, MoveNodes, SetNode, SetWeight
from nnsim.core.errors import UserError
from nnsim.core.circuit.graph import CHIP, INPUT, OUTPUT, Graph, Node
from nnsim.gui.canvas import gate_symbols
from nnsim.gui.canvas.chip_item import ChipItem
from nnsim.gui.canvas.node_item import NodeItem
from nnsim.gui.canvas.output_item import OutputItem
from nnsim.gui.canvas.presets import Preset


def make_item(graph: Graph, node: Node) -> NodeItem:
    """The item that draws ``node``: a box with pins for an instance, a small box for an output node."""
    if node.kind == CHIP:
        d = graph.chips.get(node.chip)
        return ChipItem(node, d.inputs if d else [], d.outputs if d else [])
    if node.kind == OUTPUT:
        return OutputItem(node)
    return NodeItem(node)


def path_text(scene) -> str:
    return SEP.join(scene.chip_path)


def _prefix(scene) -> str:
    return path_text(scene) + SEP if scene.chip_path else ""


def flat_id(scene, node_id: str) -> str:
    """The id in the compiled (flat) circuit of node ``node_id`` of the shown graph (``fa3/n1``)."""
    return _prefix(scene) + node_id


def _value_of(sig, circuit, a) -> float | None:
    if sig is None:
        return None
    if isinstance(sig, str):
        col = circuit.col.get(sig)
        return None if col is None else float(a[col])
    return float(sig)


def signal_value(scene, circuit, a, node_id: str, pin: str = "") -> float | None:
    """The value on node ``node_id`` of the shown graph (on its output pin ``pin`` for an instance)."""
    node = scene.graph.nodes.get(node_id)
    if node is None:
        return None
    pre = _prefix(scene)
    if node.kind == CHIP:
        return _value_of(circuit.pins.get((pre + node_id, pin)), circuit, a)
    if scene.chip_path and node.kind in (INPUT, OUTPUT):   # a pin of the opened instance
        return _value_of(circuit.pins.get((path_text(scene), node.name)), circuit, a)
    col = circuit.col.get(pre + node_id)
    return None if col is None else float(a[col])


def path_is_valid(scene) -> int:
    """How many steps of ``scene.chip_path`` still lead to an instance (after an undo or an Open)."""
    g = scene.document.graph
    for depth, inst in enumerate(scene.chip_path):
        node = g.nodes.get(inst)
        if node is None or node.kind != CHIP or node.chip not in g.chips:
            return depth
        g = g.chips[node.chip].graph
    return len(scene.chip_path)


def show_activity(scene, circuit, a, z) -> None:
    """Fills, pin values and wire brightness from the last evaluation (``a``, ``z``: per column)."""
    pre = _prefix(scene)
    inside = bool(scene.chip_path)
    outputs = {n.id for n in scene.graph.outputs()} if inside else set(circuit.output_ids)
    mark_gates(scene)
    for nid, item in scene.nodes.items():
        if isinstance(item, ChipItem):
            ins = {p: _value_of(circuit.pins.get((pre + nid, p)), circuit, a) for r in item.in_rows for p in r.pins}
            outs = {p: _value_of(circuit.pins.get((pre + nid, p)), circuit, a) for r in item.out_rows for p in r.pins}
            item.set_pin_values({k: v for k, v in ins.items() if v is not None},
                                {k: v for k, v in outs.items() if v is not None})
            continue
        if inside and item.kind in (INPUT, OUTPUT):
            v = signal_value(scene, circuit, a, nid)
            if v is not None:
                if item.kind == INPUT and item.value != v:
                    item.value = v   # a pin of the opened chip shows the signal reaching it
                    item.update()
                item.set_activity(v, 0.0, item.kind == OUTPUT)
            continue
        col = circuit.col.get(pre + nid)
        if col is not None:
            item.set_activity(a[col], z[col], nid in outputs)
    for w in scene.wires.values():
        v = signal_value(scene, circuit, a, w.source.node_id, getattr(w, "source_pin", ""))
        w.set_active(v is None or (math.isfinite(v) and v >= 0.5))


def mark_gates(scene) -> None:
    """Tell each item which gate it draws as in the gate view ("" when off or not a recognised gate)."""
    on = gate_symbols.enabled()
    g = scene.graph
    for nid, item in scene.nodes.items():
        if isinstance(item, ChipItem):
            gate = gate_symbols.chip_gate(g.chips[item.chip]) if on and item.chip in g.chips else ""
        elif item.kind == "neuron":
            gate = gate_symbols.neuron_gate(g, nid) if on and nid in g.nodes else ""
        else:
            continue
        changed = getattr(item, "gate", "") != gate
        item.gate = gate
        if changed:
            item.update()


def breaks_instances(document: Graph, edit) -> str:
    """Why an edit inside a definition cannot be made (it removes or renames a pin that instances are wired
    to, or would make a chip contain itself), or "" when it can. Numbers and positions are always fine; a
    structural edit is tried on a copy of the document first."""
    inner = getattr(edit, "edit", None)
    if inner is None:   # at the top: only a wire between chip pins can close a loop of pins alone
        if not (isinstance(edit, AddWire) and edit.wire.source_pin and edit.wire.target_pin):
            return ""
    elif isinstance(inner, (SetWeight, MoveNodes)) or (
            isinstance(inner, SetNode) and set(inner.new) <= {"value", "bias", "x", "y"}):
        return ""
    trial = document.copy()
    try:
        edit.apply(trial)
        flatten(trial)
    except (UserError, ValueError, KeyError) as err:
        return f"Not done: {str(err).strip(chr(34) + chr(39))}"
    finally:
        _forget_plans(edit)   # worked out on the copy: work them out again on the document
    return ""


def _forget_plans(edit) -> None:
    if hasattr(edit, "_plan"):
        edit._plan = None
    for inner in getattr(edit, "edits", ()):
        _forget_plans(inner)
    if hasattr(edit, "edit"):
        _forget_plans(edit.edit)


def chip_changed(scene, name: str) -> None:
    """Definition ``name`` was edited: boxes of its instances list its pins again."""
    d = scene.graph.chips.get(name)
    if d is None:
        return
    for item in scene.nodes.values():
        if isinstance(item, ChipItem) and item.chip == name:
            item.set_pins(d.inputs, d.outputs)
            for w in item.incoming + item.outgoing:
                w.update_path()


def chip_presets(graph: Graph) -> list[Preset]:
    """An add-node entry for each chip the document defines (Tab on the canvas, then its name)."""

    def make(name: str):
        def fragment() -> Graph:
            g = Graph(name, chips=graph.chips)
            g.nodes[name.lower()] = Node(name.lower(), CHIP, "", chip=name)
            return g
        return fragment

    return [Preset(f"chip:{name}", name, "Chips", f"an instance of chip {name}", make(name)) for name in graph.chips]


def crumbs(scene) -> list[str]:
    """The breadcrumb's entries: the document, then each opened instance as ``Chip (id)``."""
    names = [scene.document.graph.name or "Document"]
    g = scene.document.graph
    for inst in scene.chip_path:
        node = g.nodes[inst]
        names.append(f"{node.chip} ({node.label or inst})")
        g = g.chips[node.chip].graph
    return names
