"""Build an nnsim document from a checked HDL chip (:class:`~nnsim.io.hdl.ChipModel`).

Every ``Nand`` part becomes one NAND perceptron (w = −2, −2, b = 3); a constant input (``true``, ``false``
or an unconnected pin) is folded into its bias, or, with ``nand_only``, comes from NAND perceptrons that
make the constant. Node ids are part paths: the third Nand inside the first FullAdder of an Add16 is
``FullAdder1/Nand3`` (parts are counted per chip name in the order the HDL lists them).

The chip's pins become the document's inputs and outputs, one per bit, named ``a[0]`` … ``a[15]`` for a bus
(bit 0 least significant) and ``a`` for a single bit, listed most significant bit first so that a truth
table row reads each bus as a binary number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nnsim.core.circuit.graph import Graph
from nnsim.io.hdl import ChipModel, PinDecl, load_chip
from nnsim.io.netlist import FALSE, TRUE, Netlist


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
        return f"HdlBuild({self.model.name!r}, {len(self.graph.neurons())} neurons)"


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


def import_hdl(path, nand_only: bool = False, layout: bool = True) -> HdlBuild:
    """Read ``path`` (and the chips it uses from its folder) and build its document."""
    return build_chip(load_chip(path), nand_only, layout)
