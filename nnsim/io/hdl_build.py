"""Build an nnsim document from a checked HDL chip (:class:`~nnsim.io.hdl.ChipModel`).

Every ``Nand`` part becomes one NAND perceptron (w = −2, −2, b = 3); a constant input (``true``, ``false``
or an unconnected pin) is folded into its bias, or, with ``nand_only``, comes from NAND perceptrons that
make the constant. Node ids are part paths: the third Nand inside the first FullAdder of an Add16 is
``FullAdder1/Nand3`` (parts are counted per chip name in the order the HDL lists them).

The chip's pins become the document's inputs and outputs, one per bit, named ``a[0]`` … ``a[15]`` for a bus
(bit 0 least significant) and ``a`` for a single bit, listed most significant bit first so that a truth
table row reads each bus as a binary number.

:func:`build_chip_document` keeps the chips: every HDL chip used becomes a chip definition (its Nand parts
NAND perceptrons, its other parts instances of their chips; a ``true`` pin is tied to 1, a ``false`` or
unconnected one reads 0), and the document is the top chip's own parts. Flattened for evaluation it is
the same network, with the same path ids, as :func:`build_chip` gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nnsim.core.circuit.chips import ChipDef
from nnsim.core.circuit.graph import CHIP, INPUT, NEURON, OUTPUT, Graph, Node, Wire
from nnsim.io.hdl import ChipModel, PinDecl, load_chip
from nnsim.io.netlist import FALSE, NAND_BIAS, NAND_WEIGHT, TRUE, Netlist, chip_layout


def bit_name(pin: PinDecl | tuple[str, int], bit: int) -> str:
    """``a[3]`` for bit 3 of a bus, ``a`` for a single-bit pin."""
    name, width = (pin.name, pin.width) if isinstance(pin, PinDecl) else pin
    return f"{name}[{bit}]" if width > 1 else name


@dataclass
class HdlBuild:
    """The document built from a chip, and where each pin's bits are: ``inputs``/``outputs`` map a pin to
    its node ids (bit 0 first); ``signals`` maps the chip's internal signals to node ids or the constants
    0/1 (bit 0 first)."""

    graph: Graph
    model: ChipModel
    inputs: dict[str, list[str]] = field(default_factory=dict)
    outputs: dict[str, list[str]] = field(default_factory=dict)
    signals: dict[str, list] = field(default_factory=dict)

    def __repr__(self):
        return f"HdlBuild({self.model.name!r}, {len(self.graph.nodes)} nodes, {len(self.graph.chips)} chips)"


def _elaborate(model: ChipModel, pins_in: dict[str, list[int]], prefix: str, net: Netlist):
    """Add ``model``'s perceptrons to ``net``; returns its outputs and internal signals as handles."""
    sig = {name: [FALSE] * width for name, width in model.signals.items()}
    out = {p.name: [FALSE] * p.width for p in model.outputs}

    def source(s) -> int:
        kind, name, bit = s
        if kind == "in":
            return pins_in[name][bit]
        if kind == "sig":
            return sig[name][bit]
        return TRUE if name else FALSE

    for part in model.parts:
        ins = {pin: [source(s) for s in bits] for pin, bits in part.inputs.items()}
        path = prefix + part.name
        if part.model is None:
            res = {"out": [net.nand(ins["a"][0], ins["b"][0], path)]}
        else:
            res, _ = _elaborate(part.model, ins, path + "/", net)
        for pin, dests in part.outputs.items():
            for bit, dest_list in enumerate(dests):
                for kind, name, b in dest_list:
                    (sig if kind == "sig" else out)[name][b] = res[pin][bit]
    return out, sig


def build_chip(model: ChipModel, nand_only: bool = False, layout: bool = True) -> HdlBuild:
    """The flat perceptron document of ``model`` (see the module docstring)."""
    net = Netlist(nand_only)
    pins_in: dict[str, list[int]] = {}
    for pin in model.inputs:
        handles = {}
        for bit in reversed(range(pin.width)):
            name = bit_name(pin, bit)
            handles[bit] = net.input(name, name)
        pins_in[pin.name] = [handles[b] for b in range(pin.width)]
    out, sig = _elaborate(model, pins_in, "", net)
    outputs = [(bit_name(p, bit), out[p.name][bit]) for p in model.outputs for bit in reversed(range(p.width))]
    n_nand = net.n_neurons
    where = f" ({model.source})" if model.source else ""
    description = (f"The nand2tetris chip {model.name}{where}, built from {n_nand} NAND perceptron"
                   f"{'s' * (n_nand != 1)}.")
    graph, out_ids = net.graph(model.name, outputs, description, layout=layout)
    build = HdlBuild(graph, model)
    for p in model.inputs:
        build.inputs[p.name] = [net.ids[h] for h in pins_in[p.name]]
    for p in model.outputs:
        build.outputs[p.name] = [out_ids[bit_name(p, bit)] for bit in range(p.width)]
    for name, handles in sig.items():
        build.signals[name] = [1 if h == TRUE else 0 if h == FALSE else net.ids[h] for h in handles]
    return build


# ----- chips ---------------------------------------------------------------------------------------------
def _fill(g: Graph, model: ChipModel) -> dict[str, list]:
    """Fill ``g`` with ``model``'s pins (input nodes, output nodes), Nand perceptrons and part instances.
    Returns the internal signals' sources: a node id, ``(instance, pin)`` or the constants 0/1, bit 0 first."""
    nodes: dict[str, Node] = {}
    wires: dict[str, Wire] = {}
    for pin in model.inputs:
        for bit in reversed(range(pin.width)):
            nid = bit_name(pin, bit)
            nodes[nid] = Node(nid, INPUT, nid)
    drivers: dict[tuple, tuple[str, str]] = {}   # ("sig"|"out", name, bit) -> (node id, source pin)
    for part in model.parts:
        if part.model is None:
            nodes[part.name] = Node(part.name, NEURON, "", bias=NAND_BIAS, output=False)
        else:
            nodes[part.name] = Node(part.name, CHIP, "", chip=part.chip)
        for pin, dests in part.outputs.items():
            width = len(dests)
            for bit, dest_list in enumerate(dests):
                ref = (part.name, "") if part.model is None else (part.name, bit_name((pin, width), bit))
                for kind, name, b in dest_list:
                    drivers[(kind, name, b)] = ref

    def source(s):
        kind, name, bit = s
        if kind == "in":
            return (bit_name((name, model.width(name)), bit), "")
        if kind == "sig":
            return drivers.get(("sig", name, bit), 0)
        return int(name)

    def wire(src: tuple[str, str], target: str, weight: float, target_pin: str = "") -> None:
        wid = f"w{len(wires) + 1}"
        wires[wid] = Wire(wid, src[0], target, weight, src[1], target_pin)

    for part in model.parts:
        if part.model is None:
            weights: dict[tuple[str, str], float] = {}
            bias = NAND_BIAS
            for pin in ("a", "b"):
                src = source(part.inputs[pin][0])
                if isinstance(src, int):
                    bias += NAND_WEIGHT * src          # a constant input folded into the bias
                else:
                    weights[src] = weights.get(src, 0.0) + NAND_WEIGHT
            nodes[part.name].bias = bias
            for src, w in weights.items():
                wire(src, part.name, w)
            continue
        tied = {}
        for pin, bits in part.inputs.items():
            for bit, s in enumerate(bits):
                pin_name = bit_name((pin, len(bits)), bit)
                src = source(s)
                if isinstance(src, int):
                    if src:
                        tied[pin_name] = 1
                else:
                    wire(src, part.name, 1.0, pin_name)
        nodes[part.name].tied = tied
    const_id = None
    for pin in model.outputs:
        for bit in reversed(range(pin.width)):
            nid = bit_name(pin, bit)
            nodes[nid] = Node(nid, OUTPUT, nid)
            src = drivers.get(("out", pin.name, bit))
            if src is None:  # never driven: reads 0, as in the course's simulator
                if const_id is None:
                    const_id = "false" if "false" not in nodes else "false~2"
                    nodes[const_id] = Node(const_id, NEURON, "false", bias=-1.0, output=False)
                src = (const_id, "")
            wire(src, nid, 1.0)
    g.nodes, g.wires = nodes, wires
    return {name: [source(("sig", name, bit)) for bit in range(width)] for name, width in model.signals.items()}


def build_chip_document(model: ChipModel, layout: bool = True) -> HdlBuild:
    """The document of ``model`` with every HDL chip it uses as a chip definition (see the module docstring)."""
    doc = Graph(model.name)
    for sub in model.used_chips():
        g = Graph(sub.name, chips=doc.chips)
        _fill(g, sub)
        g.description = f"The nand2tetris chip {sub.name} ({sub.source})."
        if layout:
            chip_layout(g)
        doc.add_chip(ChipDef(sub.name, g))
    signals = _fill(doc, model)
    if layout:
        chip_layout(doc)
    n_nand = len(build_chip(model, layout=False).graph.neurons())
    where = f" ({model.source})" if model.source else ""
    doc.description = (f"The nand2tetris chip {model.name}{where}: {n_nand} NAND perceptron"
                       f"{'s' * (n_nand != 1)} in {len(doc.chips)} chip definition{'s' * (len(doc.chips) != 1)}.")
    build = HdlBuild(doc, model)
    for p in model.inputs:
        build.inputs[p.name] = [bit_name(p, bit) for bit in range(p.width)]
    for p in model.outputs:
        build.outputs[p.name] = [bit_name(p, bit) for bit in range(p.width)]
    build.signals = {name: [v if isinstance(v, (int, str)) else v if v[1] else v[0] for v in vals]
                     for name, vals in signals.items()}
    return build


def import_hdl(path, nand_only: bool = False, layout: bool = True, chips: bool = False) -> HdlBuild:
    """Read ``path`` (and the chips it uses from its folder) and build its document: flat, or with
    ``chips`` one chip definition per HDL chip (``nand_only`` is always flat: constants are NAND networks)."""
    model = load_chip(path)
    if chips and not nand_only:
        return build_chip_document(model, layout)
    return build_chip(model, nand_only, layout)
