"""The ``.nnsim.json`` document format: versioned JSON, nodes and wires by id, atomic writes, never pickle.

See ``docs/file-format.md`` for the schema. Loading validates everything and raises
:class:`FileFormatError` naming the problem (and the file); a failed load changes nothing on disk and
returns no half-built graph.
"""

from __future__ import annotations

import json
import math

from nnsim.core import activations
from nnsim.core.errors import UserError
from nnsim.core.circuit.chips import ChipDef
from nnsim.core.circuit.graph import CHIP, INPUT, NEURON, OUTPUT, ExpectedTable, Graph, Node, Wire
from nnsim.io.files import atomic_write, loads_json, read_text

__all__ = ["FileFormatError", "atomic_write", "dumps_graph", "graph_from_dict", "graph_to_dict", "load_graph",
           "loads_graph", "save_graph"]

FORMAT = "nnsim"
#: The newest version this nnsim reads and writes: 2 adds chips (definitions, instances, output nodes, pins).
VERSION = 2
#: A document with no chips, instances or output nodes is still written as version 1, readable by older nnsim.
PLAIN_VERSION = 1
SUFFIX = ".json"


class FileFormatError(UserError):
    """A document that cannot be read; the message says where and what is wrong."""


# ----- Graph <-> plain data ----------------------------------------------------------------------------
def _num(x: float):
    """Integers stay integers in the file (``-2`` not ``-2.0``) so files read like the book."""
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else float(x)


def _nodes_to_list(graph: Graph) -> list[dict]:
    nodes = []
    for n in graph.nodes.values():
        d = {"id": n.id, "kind": n.kind, "label": n.label}
        if n.kind == INPUT:
            d["value"] = _num(n.value)
        elif n.kind == NEURON:
            d.update(activation=n.activation, bias=_num(n.bias))
            if n.output is not None:
                d["output"] = n.output
        elif n.kind == CHIP:
            d["chip"] = n.chip
            if n.tied:
                d["tied"] = {pin: int(v) for pin, v in n.tied.items()}
        d.update(x=_num(n.x), y=_num(n.y))
        nodes.append(d)
    return nodes


def _wires_to_list(graph: Graph) -> list[dict]:
    wires = []
    for w in graph.wires.values():
        d = {"id": w.id, "source": w.source}
        if w.source_pin:
            d["source_pin"] = w.source_pin
        d["target"] = w.target
        if w.target_pin:
            d["target_pin"] = w.target_pin
        d["weight"] = _num(w.weight)
        wires.append(d)
    return wires


def needs_chips(graph: Graph) -> bool:
    """Whether the document uses version 2's additions (chips, instances or output nodes)."""
    return bool(graph.chips) or any(n.kind in (CHIP, OUTPUT) for n in graph.nodes.values())


def graph_to_dict(graph: Graph) -> dict:
    version = VERSION if needs_chips(graph) else PLAIN_VERSION
    doc = {"format": FORMAT, "version": version, "name": graph.name}
    if graph.description:
        doc["description"] = graph.description
    if graph.sigmoid_base != activations.E:
        doc["sigmoid_base"] = _num(graph.sigmoid_base)
    if graph.chips:
        chips = []
        for name, d in graph.chips.items():
            c = {"name": name}
            if d.graph.description:
                c["description"] = d.graph.description
            c.update(nodes=_nodes_to_list(d.graph), wires=_wires_to_list(d.graph))
            chips.append(c)
        doc["chips"] = chips
    doc["nodes"] = _nodes_to_list(graph)
    doc["wires"] = _wires_to_list(graph)
    if graph.expected is not None:
        e = graph.expected
        doc["expected"] = {"inputs": list(e.inputs), "outputs": list(e.outputs),
                           "rows": [[_num(v) for v in row] for row in e.rows]}
    return doc


def _fail(where: str, problem: str):
    raise FileFormatError(f"{where}: {problem}" if where else problem)


def _get(obj: dict, key: str, types, where: str, default=...):
    if key not in obj:
        if default is ...:
            _fail(where, f"missing field {key!r}")
        return default
    value = obj[key]
    if types is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            _fail(where, f"{key!r} must be a number, not {value!r}")
        if not math.isfinite(value):
            _fail(where, f"{key!r} is {value}, but numbers must be finite")
        return float(value)
    if not isinstance(value, types):
        name = types.__name__ if isinstance(types, type) else "/".join(t.__name__ for t in types)
        _fail(where, f"{key!r} must be {name}, not {type(value).__name__}")
    return value


def graph_from_dict(doc, source: str = "") -> Graph:
    """Build a :class:`Graph` from plain data, validating every field. ``source`` prefixes messages."""
    pre = f"{source}: " if source else ""
    if not isinstance(doc, dict):
        _fail(source, "the top level must be a JSON object")
    if doc.get("format") != FORMAT:
        _fail(source, f"not an nnsim document (its \"format\" is {doc.get('format')!r}, expected \"nnsim\")")
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        _fail(source, f"\"version\" must be an integer, not {version!r}")
    if version > VERSION:
        _fail(source, f"this file is version {version}, from a newer nnsim; this nnsim reads up to version {VERSION}")
    if version < 1:
        _fail(source, f"unknown version {version}")
    g = Graph(_get(doc, "name", str, source, ""))
    g.description = _get(doc, "description", str, source, "")
    base = _get(doc, "sigmoid_base", float, source, activations.E)
    if not base > 1:
        _fail(source, f"\"sigmoid_base\" must be above 1, not {base}")
    g.sigmoid_base = base
    if "chips" in doc:
        if version < 2:
            _fail(source, "\"chips\" need version 2 (this file says version 1)")
        _chips_from(_get(doc, "chips", list, source), g, pre)
    _body_from(doc, g, pre, version, source)
    if doc.get("expected") is not None:
        g.expected = _expected_from(doc["expected"], g, f"{pre}expected table")
    g.revision = g.structure_revision = 0
    return g


def _chips_from(items: list, g: Graph, pre: str) -> None:
    for i, cd in enumerate(items):
        where = f"{pre}chip {i + 1}"
        if not isinstance(cd, dict):
            _fail(where, "must be an object")
        name = _get(cd, "name", str, where)
        where = f"{pre}chip {name!r}"
        if not name.strip():
            _fail(where, "empty name")
        if name in g.chips:
            _fail(where, "defined twice")
        body = Graph(name, chips=g.chips)
        body.description = _get(cd, "description", str, where, "")
        _body_from(cd, body, f"{where}: ", VERSION, where, chip=name)
        try:
            g.add_chip(ChipDef(name, body))
        except ValueError as err:
            _fail(where, str(err))


def _body_from(doc: dict, g: Graph, pre: str, version: int, source: str, chip: str = "") -> None:
    """Nodes and wires of ``doc`` into ``g`` (the document, or chip ``chip``'s definition)."""
    kinds = (INPUT, NEURON) if version < 2 else (INPUT, NEURON, CHIP, OUTPUT)
    seen: set[str] = set()
    for i, nd in enumerate(_get(doc, "nodes", list, source)):
        where = f"{pre}node {i + 1}"
        if not isinstance(nd, dict):
            _fail(where, "must be an object")
        nid = _get(nd, "id", str, where)
        where = f"{pre}node {nid!r}"
        if not nid:
            _fail(where, "empty id")
        if nid in seen:
            _fail(where, "duplicate id")
        seen.add(nid)
        kind = _get(nd, "kind", str, where)
        if kind not in kinds:
            newer = " (chip and output nodes need version 2)" if kind in (CHIP, OUTPUT) else ""
            _fail(where, f"unknown node kind {kind!r} (known: {', '.join(kinds)}){newer}")
        node = Node(nid, kind, _get(nd, "label", str, where, ""),
                    x=_get(nd, "x", float, where, 0.0), y=_get(nd, "y", float, where, 0.0))
        if kind == INPUT:
            node.value = _get(nd, "value", float, where, 0.0)
        elif kind == CHIP:
            node.chip = _get(nd, "chip", str, where)
            if node.chip == chip:
                _fail(where, f"chip {chip} contains itself")
            if node.chip not in g.chips:
                later = " (a chip must be listed after the chips it uses)" if chip else ""
                _fail(where, f"uses chip {node.chip!r}, which is not defined{later}")
            tied = _get(nd, "tied", dict, where, {})
            for pin, v in tied.items():
                if isinstance(v, bool) or v not in (0, 1):
                    _fail(where, f"tied pin {pin!r} must be 0 or 1, not {v!r}")
            node.tied = dict(tied)
        elif kind == OUTPUT:
            pass
        else:
            node.activation = _get(nd, "activation", str, where)
            if node.activation not in activations.ACTIVATIONS:
                _fail(where, f"unknown activation {node.activation!r} (known: {', '.join(activations.ACTIVATIONS)})")
            node.bias = _get(nd, "bias", float, where)
            out = nd.get("output")
            if out not in (None, True, False):
                _fail(where, f"\"output\" must be true, false or null, not {out!r}")
            node.output = out
        try:
            g.add_node(node)
        except ValueError as err:
            _fail(where, str(err))
    for i, wd in enumerate(_get(doc, "wires", list, source)):
        where = f"{pre}wire {i + 1}"
        if not isinstance(wd, dict):
            _fail(where, "must be an object")
        wid = _get(wd, "id", str, where)
        where = f"{pre}wire {wid!r}"
        if wid in seen:
            _fail(where, "duplicate id")
        seen.add(wid)
        wire = Wire(wid, _get(wd, "source", str, where), _get(wd, "target", str, where), _get(wd, "weight", float, where))
        if version >= 2:
            wire.source_pin = _get(wd, "source_pin", str, where, "")
            wire.target_pin = _get(wd, "target_pin", str, where, "")
        for end in ("source", "target"):
            if getattr(wire, end) not in g.nodes:
                where_ = "this chip" if chip else "this file"
                _fail(where, f"its {end} {getattr(wire, end)!r} is not a node in {where_}")
        try:
            g.add_wire(wire)
        except ValueError as err:
            _fail(where, str(err))


def _expected_from(ed, g: Graph, where: str) -> ExpectedTable:
    if not isinstance(ed, dict):
        _fail(where, "must be an object")
    ins = _get(ed, "inputs", list, where)
    outs = _get(ed, "outputs", list, where)
    rows = _get(ed, "rows", list, where)
    if not all(isinstance(s, str) for s in ins + outs):
        _fail(where, "input and output names must be strings")
    if len(ins) > 20:
        _fail(where, f"{len(ins)} inputs is too many for a table (at most 20)")
    if len(rows) != 2 ** len(ins):
        _fail(where, f"{len(rows)} rows, but {len(ins)} inputs need {2 ** len(ins)}")
    clean = []
    for r, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != len(outs):
            _fail(where, f"row {r + 1} must list {len(outs)} output values")
        for v in row:
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                _fail(where, f"row {r + 1} holds {v!r}, not a finite number")
        clean.append([float(v) for v in row])
    return ExpectedTable(list(ins), list(outs), clean)


# ----- text and files ----------------------------------------------------------------------------------
def dumps_graph(graph: Graph) -> str:
    """The document as JSON text, one node, wire or table row per line (deterministic: save → load → save
    is byte-identical)."""

    def one(value) -> str:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))

    def block(items, indent) -> str:
        if not items:
            return "[]"
        pad = " " * indent
        return "[\n" + ",\n".join(pad + "  " + one(i) for i in items) + "\n" + pad + "]"

    doc = graph_to_dict(graph)
    parts = []
    for key, value in doc.items():
        if key in ("nodes", "wires"):
            text = block(value, 2)
        elif key == "chips":
            items = []
            for c in value:
                head = ", ".join(f"{json.dumps(k)}: {one(v)}" for k, v in c.items() if k not in ("nodes", "wires"))
                items.append("    {" + head + ",\n      \"nodes\": " + block(c["nodes"], 6)
                             + ",\n      \"wires\": " + block(c["wires"], 6) + "\n    }")
            text = "[\n" + ",\n".join(items) + "\n  ]"
        elif key == "expected":
            text = ("{\n    \"inputs\": " + one(value["inputs"]) + ",\n    \"outputs\": " + one(value["outputs"])
                    + ",\n    \"rows\": " + block(value["rows"], 4) + "\n  }")
        else:
            text = one(value)
        parts.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def loads_graph(text: str, source: str = "") -> Graph:
    return graph_from_dict(loads_json(text, source, FileFormatError), source)


def load_graph(path) -> Graph:
    """Read a document; :class:`FileFormatError` names the file and the problem."""
    return loads_graph(read_text(path, FileFormatError), str(path))


def save_graph(graph: Graph, path) -> None:
    """Write the document atomically; raises :class:`FileFormatError` if the folder cannot be written."""
    try:
        atomic_write(path, dumps_graph(graph))
    except OSError as err:
        raise FileFormatError(f"{path}: cannot write ({err.strerror})") from None
