"""ISCAS ``.bench`` netlists (the ISCAS-85 benchmark format) as perceptron networks.

The format, one statement a line, ``#`` to the end of a line a comment::

    INPUT(G1)
    OUTPUT(G22)
    G10 = NAND(G1, G3)
    G22 = XOR(G10, G16)

Gates AND, NAND, OR, NOR, NOT, BUFF (or BUF), XOR and XNOR take any number of inputs (NOT and BUFF one);
signals may be used before the line that defines them. ``DFF`` is refused (sequential circuits are not
supported). Mistakes raise :class:`BenchError` naming the file, the line and the problem.

Each linearly separable gate is one step perceptron (weights and bias below, n = fan-in; a signal given twice
counts twice). The integer weights keep the book's NAND perceptron (−2, −2, b = 3) as the 2-input NAND:

    AND   weights +2, bias −(2n − 1)     fires when all n inputs are 1
    NAND  weights −2, bias  2n − 1       fires unless all n inputs are 1
    OR    weights +2, bias −1            fires when any input is 1
    NOR   weights −2, bias +1            fires when no input is 1
    NOT   weight −4,  bias 3             NAND(a, a), the book's NOT
    BUFF  weight +2,  bias −1

XOR and XNOR (parity) are not linearly separable: XOR of two is the four-NAND network, wider ones a chain
of them, XNOR one more NAND (as NOT). With ``nand_only`` every gate becomes two-input NAND perceptrons (wide
gates as balanced trees). Neuron ids are the signal names; the NANDs inside a gate are ``SIGNAL/Nand1`` ….
"""

from __future__ import annotations

import re
from pathlib import Path

from nnsim.core.circuit.chips import ChipDef
from nnsim.core.circuit.graph import CHIP, INPUT, NEURON, OUTPUT, Graph, Node, Wire
from nnsim.io.files import read_text
from nnsim.io.hdl import SEQUENTIAL_MESSAGE, SequentialChipError
from nnsim.core.errors import UserError
from nnsim.io.netlist import NAND_BIAS, NAND_WEIGHT, Netlist, chip_layout

GATES = ("AND", "NAND", "OR", "NOR", "NOT", "BUFF", "BUF", "XOR", "XNOR")
SEPARABLE = ("AND", "NAND", "OR", "NOR", "NOT", "BUFF", "BUF")


class BenchError(UserError):
    """A .bench file that cannot be used; the message reads ``FILE:LINE: problem``."""


class SequentialBenchError(SequentialChipError):
    """A netlist with flip-flops (DFF)."""


def perceptron(gate: str, n: int) -> tuple[float, float]:
    """(weight of each input, bias) of the one perceptron for a linearly separable gate of fan-in ``n``."""
    gate = gate.upper()
    if gate == "AND":
        return 2.0, -(2.0 * n - 1)
    if gate == "NAND":
        return -2.0, 2.0 * n - 1
    if gate == "OR":
        return 2.0, -1.0
    if gate == "NOR":
        return -2.0, 1.0
    if gate == "NOT":
        return 2 * NAND_WEIGHT, NAND_BIAS
    if gate in ("BUFF", "BUF"):
        return 2.0, -1.0
    raise ValueError(f"{gate} is not one perceptron")


_NAME = r"[^\s(),=#]+"
_IO = re.compile(rf"(INPUT|OUTPUT)\s*\(\s*({_NAME})\s*\)\Z", re.IGNORECASE)
_GATE = re.compile(rf"({_NAME})\s*=\s*([A-Za-z]+)\s*\((.*)\)\Z")


class BenchNetlist:
    """A parsed netlist: ``inputs`` and ``outputs`` (names in file order) and ``gates``
    {signal: (GATE, [input signals], line)} in an order where every gate follows its inputs."""

    def __init__(self, inputs, outputs, gates, source=""):
        self.inputs = inputs
        self.outputs = outputs
        self.gates = gates
        self.source = source

    def __repr__(self):
        return f"BenchNetlist({len(self.inputs)} inputs, {len(self.outputs)} outputs, {len(self.gates)} gates)"


def parse_bench(text: str, source: str = "<bench>") -> BenchNetlist:
    """Parse and check a netlist (see the module docstring)."""
    def fail(line: int, problem: str, error=BenchError):
        raise error(f"{source}:{line}: {problem}")

    inputs: list[str] = []
    outputs: list[tuple[str, int]] = []
    gates: dict[str, tuple[str, list[str], int]] = {}
    defined: dict[str, int] = {}
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = _IO.match(line)
        if m:
            kind, name = m.group(1).upper(), m.group(2)
            if kind == "INPUT":
                if name in defined:
                    fail(no, f"{name} is defined twice (also on line {defined[name]})")
                defined[name] = no
                inputs.append(name)
            else:
                outputs.append((name, no))
            continue
        m = _GATE.match(line)
        if not m:
            fail(no, f"cannot read {line!r} (expected INPUT(x), OUTPUT(y) or y = GATE(a, b, ...))")
        name, gate, args = m.group(1), m.group(2).upper(), m.group(3)
        if gate == "DFF":
            fail(no, f"{name} = DFF(...): a flip-flop makes the circuit sequential, which is not supported "
                     f"({SEQUENTIAL_MESSAGE})", SequentialBenchError)
        if gate not in GATES:
            fail(no, f"unknown gate {m.group(2)} (known: AND, NAND, OR, NOR, NOT, BUFF, BUF, XOR, XNOR)")
        ins = [a.strip() for a in args.split(",")] if args.strip() else []
        if not ins or any(not a or not re.fullmatch(_NAME, a) for a in ins):
            fail(no, f"{gate} needs input signals separated by commas, not ({args.strip()})")
        if gate in ("NOT", "BUFF", "BUF") and len(ins) != 1:
            fail(no, f"{gate} takes one input, not {len(ins)}")
        if name in defined:
            fail(no, f"{name} is defined twice (also on line {defined[name]})")
        defined[name] = no
        gates[name] = (gate, ins, no)
    for name, (gate, ins, no) in gates.items():
        for a in ins:
            if a not in defined:
                fail(no, f"the signal {a} is used but never defined")
    seen_out = set()
    for name, no in outputs:
        if name not in defined:
            fail(no, f"OUTPUT({name}): the signal {name} is never defined")
        if name in seen_out:
            fail(no, f"OUTPUT({name}) is listed twice")
        seen_out.add(name)
    if not outputs:
        raise BenchError(f"{source}: the netlist has no OUTPUT")
    return BenchNetlist(inputs, [n for n, _ in outputs], _ordered(gates, fail), source)


def _ordered(gates: dict, fail) -> dict:
    """The gates with each after its inputs; a loop is an error."""
    order: dict = {}
    state: dict[str, int] = {}
    for root in gates:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(gates[root][1]))]
        while stack:
            node, it = stack[-1]
            for nxt in it:
                if nxt not in gates:
                    continue
                if state.get(nxt) == 1:
                    path = [n for n, _ in stack]
                    loop = path[path.index(nxt):] + [nxt]
                    fail(gates[nxt][2], f"a combinational loop: {' → '.join(reversed(loop))}")
                if nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(gates[nxt][1])))
                    break
            else:
                state[node] = 2
                order[node] = gates[node]
                stack.pop()
    return order


# ----- building ---------------------------------------------------------------------------------------
class _GateBuilder:
    """NAND networks for one gate, their inner neurons named ``SIGNAL/Nand1`` …, the last one ``SIGNAL``."""

    def __init__(self, net: Netlist, name: str):
        self.net = net
        self.name = name
        self.count = 0

    def nand(self, a: int, b: int) -> int:
        self.count += 1
        return self.net.nand(a, b, f"{self.name}/Nand{self.count}")

    def not_(self, a: int) -> int:
        return self.nand(a, a)

    def nand_all(self, xs: list[int]) -> int:
        """NAND of any number of signals: a balanced tree of ANDs under one NAND."""
        if len(xs) == 1:
            return self.not_(xs[0])
        half = len(xs) // 2
        return self.nand(self.and_all(xs[:half]), self.and_all(xs[half:]))

    def and_all(self, xs: list[int]) -> int:
        return xs[0] if len(xs) == 1 else self.not_(self.nand_all(xs))

    def xor(self, a: int, b: int) -> int:
        n = self.nand(a, b)
        return self.nand(self.nand(a, n), self.nand(b, n))

    def gate(self, gate: str, xs: list[int]) -> int:
        """The gate's output handle (before renaming the last neuron to the signal's name)."""
        if gate == "NAND":
            return self.nand_all(xs)
        if gate == "AND":
            return self.not_(self.nand_all(xs)) if len(xs) > 1 else self.not_(self.not_(xs[0]))
        if gate == "OR":
            return self.nand_all([self.not_(x) for x in xs]) if len(xs) > 1 else self.not_(self.not_(xs[0]))
        if gate == "NOR":
            return self.not_(self.gate("OR", xs))
        if gate == "NOT":
            return self.not_(xs[0])
        if gate in ("BUFF", "BUF"):
            return self.not_(self.not_(xs[0]))
        out = xs[0]
        for x in xs[1:]:
            out = self.xor(out, x)
        if len(xs) == 1:
            out = self.not_(self.not_(out))
        return self.not_(out) if gate == "XNOR" else out


def build_bench(netlist: BenchNetlist, nand_only: bool = False, name: str = "", layout: bool = True) -> Graph:
    """The perceptron document of a parsed netlist (see the module docstring)."""
    net = Netlist(nand_only)
    handle: dict[str, int] = {}
    for s in netlist.inputs:
        handle[s] = net.input(s, s)
    for signal, (gate, ins, _) in netlist.gates.items():
        xs = [handle[a] for a in ins]
        if gate in SEPARABLE and not nand_only:
            w, b = perceptron(gate, len(xs))
            handle[signal] = net.neuron(signal, [(x, w) for x in xs], b, signal)
        else:
            h = _GateBuilder(net, signal).gate(gate, xs)
            net.ids[h] = signal  # the gate's last neuron is the signal itself
            net.labels[h] = signal
            handle[signal] = h
    outputs = [(s, handle[s]) for s in netlist.outputs]
    name = name or Path(netlist.source).stem
    kind = "two-input NAND perceptrons" if nand_only else "perceptrons"
    description = (f"The netlist {Path(netlist.source).name}: {len(netlist.inputs)} inputs, "
                   f"{len(netlist.outputs)} outputs, {len(netlist.gates)} gates as {net.n_neurons} {kind}.")
    graph, _ = net.graph(name, outputs, description, layout=layout)
    return graph


def _define_parity(doc: Graph, gate: str, n: int) -> str:
    """Chip ``Xor3``, ``Xnor2`` … (inputs ``a1`` … ``an``, output ``out``) of NAND perceptrons, defined once."""
    name = f"{gate.capitalize()}{n}"
    if name not in doc.chips:
        net = Netlist()
        xs = [net.input(f"a{i + 1}", f"a{i + 1}") for i in range(n)]
        out = _GateBuilder(net, "g").gate(gate, xs)
        inner, _ = net.graph(name, [("out", out)], f"{gate} of {n} inputs from NAND perceptrons.")
        g = Graph(name, chips=doc.chips)
        g.description = inner.description
        g.nodes, g.wires = inner.nodes, inner.wires
        doc.add_chip(ChipDef(name, g))
    return name


def build_bench_chips(netlist: BenchNetlist, name: str = "", layout: bool = True) -> Graph:
    """The document of a parsed netlist with each XOR/XNOR gate an instance of a NAND chip (``Xor2`` …),
    the other gates one perceptron each; flattened it is the network :func:`build_bench` gives."""
    doc = Graph(name or Path(netlist.source).stem)
    nodes: dict[str, Node] = {s: Node(s, INPUT, s) for s in netlist.inputs}
    wires: dict[str, Wire] = {}
    ref: dict[str, tuple[str, str]] = {s: (s, "") for s in netlist.inputs}

    def wire(src: tuple[str, str], target: str, weight: float, target_pin: str = "") -> None:
        wid = f"w{len(wires) + 1}"
        wires[wid] = Wire(wid, src[0], target, weight, src[1], target_pin)

    for signal, (gate, ins, _) in netlist.gates.items():
        if gate in SEPARABLE:
            w, b = perceptron(gate, len(ins))
            nodes[signal] = Node(signal, NEURON, signal, bias=b, output=False)
            merged: dict[tuple[str, str], float] = {}
            for a in ins:
                merged[ref[a]] = merged.get(ref[a], 0.0) + w
            for src, weight in merged.items():
                wire(src, signal, weight)
            ref[signal] = (signal, "")
        else:
            chip = _define_parity(doc, gate, len(ins))
            nodes[signal] = Node(signal, CHIP, signal, chip=chip)
            for i, a in enumerate(ins):
                wire(ref[a], signal, 1.0, f"a{i + 1}")
            ref[signal] = (signal, "out")
    outputs = []
    for s in netlist.outputs:
        src = ref[s]
        node = nodes[src[0]]
        if node.kind == NEURON and not src[1] and node.output is not True:
            node.output = True
            outputs.append(nodes.pop(src[0]))
        else:
            oid = f"out_{s}"
            while oid in nodes or oid in netlist.gates:
                oid += "_"
            outputs.append(Node(oid, OUTPUT, s))
            wire(src, oid, 1.0)
    nodes.update((n.id, n) for n in outputs)
    doc.nodes, doc.wires = nodes, wires
    if layout:
        chip_layout(doc)
    doc.description = (f"The netlist {Path(netlist.source).name}: {len(netlist.inputs)} inputs, "
                       f"{len(netlist.outputs)} outputs, {len(netlist.gates)} gates; XOR and XNOR gates are "
                       f"chips of NAND perceptrons.")
    return doc


def import_bench(path, nand_only: bool = False, layout: bool = True, chips: bool = False) -> Graph:
    """Read a ``.bench`` file and build its document (with ``chips``, XOR/XNOR gates as NAND chips)."""
    path = Path(path)
    netlist = parse_bench(read_text(path, BenchError), str(path))
    if chips and not nand_only:
        return build_bench_chips(netlist, path.stem, layout)
    return build_bench(netlist, nand_only, path.stem, layout)


# ----- a generated netlist for scale tests -------------------------------------------------------------
def array_multiplier_bench(bits: int = 16) -> str:
    """The .bench text of a ``bits`` × ``bits`` array multiplier, the size class of ISCAS c6288 (16 × 16:
    2,304 gates). Inputs ``a0 … a{bits-1}``, ``b0 …``; outputs ``p0 … p{2·bits-1}`` (bit 0 least significant).

    Partial products are AND gates; each row is added by a ripple of full adders of nine NOR gates (the
    NAND full adder with NOR in place of NAND: sum and carry are self-dual, so the NOR network computes the
    same full adder) and XOR/AND half adders at the ends."""
    if not 2 <= bits <= 64:
        raise ValueError("the multiplier has 2 to 64 bits")
    n = bits
    lines = [f"# {n}x{n} array multiplier: AND partial products, NOR full adders (nnsim generated)"]
    lines += [f"INPUT(a{i})" for i in range(n)] + [f"INPUT(b{i})" for i in range(n)]
    lines += [f"OUTPUT(p{k})" for k in range(2 * n)]
    for i in range(n):
        for j in range(n):
            lines.append(f"pp{i}_{j} = AND(a{j}, b{i})")

    def half(a: str, b: str, s: str, c: str) -> None:
        lines.extend([f"{s} = XOR({a}, {b})", f"{c} = AND({a}, {b})"])

    def full(a: str, b: str, cin: str, s: str, c: str, tag: str) -> None:
        lines.extend([f"{tag}n1 = NOR({a}, {b})", f"{tag}n2 = NOR({a}, {tag}n1)", f"{tag}n3 = NOR({b}, {tag}n1)",
                      f"{tag}x = NOR({tag}n2, {tag}n3)", f"{tag}n5 = NOR({tag}x, {cin})",
                      f"{tag}n6 = NOR({tag}x, {tag}n5)", f"{tag}n7 = NOR({cin}, {tag}n5)",
                      f"{s} = NOR({tag}n6, {tag}n7)", f"{c} = NOR({tag}n1, {tag}n5)"])

    lines.append("p0 = BUFF(pp0_0)")
    upper: list[str | None] = [f"pp0_{j}" for j in range(1, n)] + [None]
    for i in range(1, n):
        last = i == n - 1
        sums = []
        carry = f"c{i}_0"
        half(upper[0], f"pp{i}_0", f"p{i}", carry)
        for j in range(1, n):
            s = f"p{n + j - 1}" if last else f"s{i}_{j}"
            c = (f"p{2 * n - 1}" if last else f"c{i}_{n - 1}") if j == n - 1 else f"c{i}_{j}"
            if upper[j] is None:
                half(f"pp{i}_{j}", carry, s, c)
            else:
                full(upper[j], f"pp{i}_{j}", carry, s, c, f"fa{i}_{j}")
            sums.append(s)
            carry = c
        upper = sums + [carry]
    return "\n".join(lines) + "\n"
