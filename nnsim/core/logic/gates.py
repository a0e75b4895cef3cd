"""NAND universality on the graph core: gates, adders and a latch built from NAND perceptrons only.

The book's perceptron with weights −2, −2 and bias 3 computes NAND (z = 3 − 2a − 2b is 3, 1, 1, −1). Every
circuit here is made of that one perceptron:

* a 2-input NAND gate is a step neuron, bias 3, with two wires of weight −2 from two different sources;
* NOT(a) = NAND(a, a). A graph holds at most one wire per source → target pair, so the two inputs of that
  NAND, both tied to ``a``, are drawn as **one wire of weight −4** (−2 + −2), bias 3: z = 3 − 4a. This is
  exactly what the book does for the carry bit of its half adder ("a single connection with weight −4").

:func:`is_nand_perceptron` accepts exactly these two forms. The direct single-perceptron AND (2, 2, bias
−3) and OR (2, 2, bias −1) are there to contrast with the NAND-built ones.

Adders list their bits most significant first — inputs ``a{n-1} … a0, b{n-1} … b0`` and outputs
``carry, s{n-1} … s0`` — so a truth-table row read left to right is the two numbers and their sum in binary.

Truth tables and the one comparison with an expected table live in :mod:`nnsim.core.logic.truthtable`, the
perceptron → sigmoid limit in :mod:`nnsim.core.logic.sigmoid_limit`, synthesis of any table in
:mod:`nnsim.core.logic.synthesis`, expressions in :mod:`nnsim.core.logic.boolexpr`.
"""

from __future__ import annotations

import functools
import re

import numpy as np

from nnsim.core.circuit.chips import ChipDef, flatten, uses
from nnsim.core.circuit.compile import Circuit, compile_graph
from nnsim.core.errors import UserError
from nnsim.core.circuit.graph import INPUT, NEURON, OUTPUT, Graph, Node, Wire
from nnsim.core.circuit.layout import layered_layout
from nnsim.core.logic.truthtable import TruthTable

NAND_WEIGHT = -2.0
NAND_BIAS = 3.0
#: NOT(a) = NAND(a, a): the two −2 wires from the same source joined into one.
NOT_WEIGHT = 2 * NAND_WEIGHT

#: Largest adder whose expected table is stored in the graph (2·5 = 10 inputs, 1,024 rows).
MAX_EXPECTED_ADDER_BITS = 5
MAX_ADDER_BITS = 64

_PLAIN_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*\Z")


# ----- building ---------------------------------------------------------------------------------------
class CircuitBuilder:
    """Collects a generated circuit and turns it into a :class:`Graph` in one go.

    Nodes are integer handles while building. :meth:`graph` gives them string ids (a label that is a plain,
    unused name becomes the id; other neurons get ``n1``, ``n2``, …), orders them (inputs, inner neurons,
    then the outputs in the order asked), lays them out left to right and fills the graph's dicts directly
    (adding a 64-bit adder node by node through ``Graph.add_node`` would copy the node dict each time).
    """

    def __init__(self):
        self.kinds: list[str] = []
        self.labels: list[str] = []
        self.values: list[float] = []
        self.biases: list[float] = []
        self.acts: list[str] = []
        self.wires: list[tuple[int, int, float]] = []
        self._pairs: set[tuple[int, int]] = set()

    def __repr__(self):
        return f"CircuitBuilder({self.kinds.count(INPUT)} inputs, {self.kinds.count(NEURON)} neurons)"

    def _node(self, kind: str, label: str, value=0.0, bias=0.0, activation="step") -> int:
        self.kinds.append(kind)
        self.labels.append(label)
        self.values.append(float(value))
        self.biases.append(float(bias))
        self.acts.append(activation)
        return len(self.kinds) - 1

    def input(self, label: str, value: float = 0.0) -> int:
        return self._node(INPUT, label, value=value)

    def neuron(self, sources: list[tuple[int, float]], bias: float, label: str = "",
               activation: str = "step") -> int:
        h = self._node(NEURON, label, bias=bias, activation=activation)
        for src, w in sources:
            self.connect(src, h, w)
        return h

    def connect(self, src: int, dst: int, weight: float) -> None:
        if (src, dst) in self._pairs:
            raise ValueError(f"node {src} already feeds node {dst}")
        self._pairs.add((src, dst))
        self.wires.append((src, dst, float(weight)))

    # NAND-built gates; each returns the handle of its output neuron.
    def nand(self, a: int, b: int, label: str = "") -> int:
        if a == b:
            return self.not_(a, label)
        return self.neuron([(a, NAND_WEIGHT), (b, NAND_WEIGHT)], NAND_BIAS, label)

    def not_(self, a: int, label: str = "") -> int:
        return self.neuron([(a, NOT_WEIGHT)], NAND_BIAS, label)

    def and_(self, a: int, b: int, label: str = "") -> int:
        return self.not_(self.nand(a, b), label)

    def or_(self, a: int, b: int, label: str = "") -> int:
        return self.nand(self.not_(a), self.not_(b), label)

    def xor(self, a: int, b: int, label: str = "") -> int:
        n1 = self.nand(a, b)
        return self.nand(self.nand(a, n1), self.nand(b, n1), label)

    def half_adder(self, a: int, b: int, sum_label: str = "", carry_label: str = "") -> tuple[int, int]:
        """The book's half adder: four NANDs for the sum, the first one negated (weight −4) for the carry."""
        n1 = self.nand(a, b)
        s = self.nand(self.nand(a, n1), self.nand(b, n1), sum_label)
        return s, self.not_(n1, carry_label)

    def full_adder(self, a: int, b: int, cin: int, sum_label: str = "", carry_label: str = "") -> tuple[int, int]:
        """Nine NANDs: x = a XOR b (four), sum = x XOR cin (four, sharing NAND(x, cin)), and
        carry = NAND(NAND(a, b), NAND(x, cin)) = a·b + x·cin."""
        n1 = self.nand(a, b)
        x = self.nand(self.nand(a, n1), self.nand(b, n1))
        n5 = self.nand(x, cin)
        s = self.nand(self.nand(x, n5), self.nand(cin, n5), sum_label)
        return s, self.nand(n1, n5, carry_label)

    # ----- the graph --------------------------------------------------------------------------------
    def graph(self, name: str, outputs: list[int], *, description: str = "", expected: TruthTable | None = None,
              input_order: list[int] | None = None, prune: bool = False) -> Graph:
        """The finished :class:`Graph` with ``outputs`` (neuron handles, distinct) marked in that order.
        With ``prune``, neurons that no output depends on are left out."""
        if len(set(outputs)) != len(outputs) or any(self.kinds[o] != NEURON for o in outputs):
            raise ValueError("outputs must be distinct neurons")
        out_set = set(outputs)
        keep = self._needed(outputs) if prune else set(range(len(self.kinds)))
        order = [h for h, k in enumerate(self.kinds) if k == INPUT]
        order += [h for h, k in enumerate(self.kinds) if k == NEURON and h not in out_set and h in keep]
        order += list(outputs)
        ids = self._ids(order)
        fed = {src for src, dst, _ in self.wires if dst in keep}
        g = Graph(name)
        g.description = description
        nodes = {}
        for h in order:
            if self.kinds[h] == INPUT:
                nodes[ids[h]] = Node(ids[h], INPUT, self.labels[h], value=self.values[h])
            else:
                output = True if h in out_set else (None if h in fed else False)
                nodes[ids[h]] = Node(ids[h], NEURON, self.labels[h], activation=self.acts[h],
                                     bias=self.biases[h], output=output)
        g.nodes = nodes
        taken = set(nodes)
        wires = {}
        k = 0
        for src, dst, w in self.wires:
            if dst not in keep:
                continue
            k += 1
            while f"w{k}" in taken:
                k += 1
            wires[f"w{k}"] = Wire(f"w{k}", ids[src], ids[dst], w)
        g.wires = wires
        first = [ids[h] for h in input_order] if input_order is not None else None
        for nid, (x, y) in layered_layout(g, input_order=first).items():
            g.nodes[nid].x, g.nodes[nid].y = x, y
        g.expected = expected.to_expected() if expected is not None else None
        return g

    def _needed(self, outputs: list[int]) -> set[int]:
        """Handles the outputs depend on (themselves included)."""
        sources: dict[int, list[int]] = {}
        for src, dst, _ in self.wires:
            sources.setdefault(dst, []).append(src)
        seen, stack = set(outputs), list(outputs)
        while stack:
            for s in sources.get(stack.pop(), ()):
                if s not in seen:
                    seen.add(s)
                    stack.append(s)
        return seen

    def _ids(self, order: list[int]) -> dict[int, str]:
        ids: dict[int, str] = {}
        used: set[str] = set()
        for h in order:  # labelled nodes first claim their label as id
            lab = self.labels[h]
            if lab and _PLAIN_ID.match(lab) and lab not in used and not re.fullmatch(r"[nw]\d+", lab):
                ids[h] = lab
                used.add(lab)
        count = {"x": 0, "n": 0}
        for h in order:
            if h not in ids:
                prefix = "x" if self.kinds[h] == INPUT else "n"
                count[prefix] += 1
                while f"{prefix}{count[prefix]}" in used:
                    count[prefix] += 1
                ids[h] = f"{prefix}{count[prefix]}"
                used.add(ids[h])
        return ids


# ----- gates and circuits -----------------------------------------------------------------------------
def _table(inputs: list[str], outputs: list[str], fn) -> TruthTable:
    return TruthTable.from_function(inputs, outputs, lambda X: fn(*X.T))


_GATE_DOCS = {
    "nand": ("NAND perceptron", "The book's perceptron: weights -2, -2 and bias 3. Its output is 0 only when "
             "both inputs are 1. Every other circuit here is built from copies of it."),
    "not": ("NOT from NAND", "NOT a = NAND(a, a): the NAND perceptron with both inputs tied to a. The two "
            "wires of weight -2 from the same input are drawn as one wire of weight -4."),
    "and": ("AND from NANDs", "AND = NOT(NAND(a, b)): two NAND perceptrons."),
    "or": ("OR from NANDs", "OR = NAND(NOT a, NOT b) (De Morgan): three NAND perceptrons."),
    "nor": ("NOR from NANDs", "NOR = NOT(OR): four NAND perceptrons."),
    "xor": ("XOR from NANDs", "The classic four-NAND XOR: n = NAND(a, b), then NAND(NAND(a, n), NAND(b, n)). "
            "This is the sum bit of the book's half adder."),
    "xnor": ("XNOR from NANDs", "XNOR = NOT(XOR): five NAND perceptrons."),
    "mux": ("2:1 multiplexer from NANDs", "out = a when sel is 0, b when sel is 1: "
            "NAND(NAND(a, NOT sel), NAND(b, sel)), four NAND perceptrons."),
    "and-direct": ("AND, one perceptron", "A single perceptron computes AND: weights 2, 2 and bias -3 "
                   "(z = 2a + 2b - 3 is positive only when both are 1). Compare with AND from NANDs."),
    "or-direct": ("OR, one perceptron", "A single perceptron computes OR: weights 2, 2 and bias -1 "
                  "(z = 2a + 2b - 1 is positive when either is 1). Compare with OR from NANDs."),
}


def _gate(key: str) -> Graph:
    b = CircuitBuilder()
    if key == "not":
        a = b.input("a")
        out = b.not_(a, "not")
        return b.graph(_GATE_DOCS[key][0], [out], description=_GATE_DOCS[key][1],
                       expected=_table(["a"], ["not"], lambda a: 1 - a))
    if key == "mux":
        a, bb, sel = b.input("a"), b.input("b"), b.input("sel")
        out = b.nand(b.nand(a, b.not_(sel)), b.nand(bb, sel), "mux")
        return b.graph(_GATE_DOCS[key][0], [out], description=_GATE_DOCS[key][1],
                       expected=_table(["a", "b", "sel"], ["mux"], lambda a, bb, s: np.where(s == 1, bb, a)))
    a, bb = b.input("a"), b.input("b")
    label = key.removesuffix("-direct")
    makers = {
        "nand": (b.nand, lambda x, y: 1 - (x & y)),
        "and": (b.and_, lambda x, y: x & y),
        "or": (b.or_, lambda x, y: x | y),
        "nor": (lambda x, y, lab: b.not_(b.or_(x, y), lab), lambda x, y: 1 - (x | y)),
        "xor": (b.xor, lambda x, y: x ^ y),
        "xnor": (lambda x, y, lab: b.not_(b.xor(x, y), lab), lambda x, y: 1 - (x ^ y)),
        "and-direct": (lambda x, y, lab: b.neuron([(x, 2.0), (y, 2.0)], -3.0, lab), lambda x, y: x & y),
        "or-direct": (lambda x, y, lab: b.neuron([(x, 2.0), (y, 2.0)], -1.0, lab), lambda x, y: x | y),
    }
    make, fn = makers[key]
    out = make(a, bb, label)
    return b.graph(_GATE_DOCS[key][0], [out], description=_GATE_DOCS[key][1],
                   expected=_table(["a", "b"], [label], fn))


def half_adder() -> Graph:
    """The book's half adder: inputs ``a0, b0``; outputs ``carry, s0`` (five NAND perceptrons)."""
    b = CircuitBuilder()
    a0, b0 = b.input("a0"), b.input("b0")
    s, c = b.half_adder(a0, b0, "s0", "carry")
    return b.graph("Half adder from NANDs", [c, s], input_order=[a0, b0], description=(
        "The book's half adder: the bitwise sum s0 = a0 XOR b0 from four NAND perceptrons and the carry bit "
        "a0 AND b0 from one more, which takes the first NAND's output twice (one wire of weight -4)."),
        expected=_table(["a0", "b0"], ["carry", "s0"], lambda x, y: np.stack([x & y, x ^ y], axis=1)))


def full_adder() -> Graph:
    """Inputs ``a0, b0, cin``; outputs ``carry, s0`` (nine NAND perceptrons)."""
    b = CircuitBuilder()
    a0, b0, cin = b.input("a0"), b.input("b0"), b.input("cin")
    s, c = b.full_adder(a0, b0, cin, "s0", "carry")
    total = lambda x, y, z: x + y + z  # noqa: E731
    return b.graph("Full adder from NANDs", [c, s], input_order=[a0, b0, cin], description=(
        "Adds three bits a0 + b0 + cin with nine NAND perceptrons: the sum bit s0 and the carry out. "
        "Chained, full adders make an n-bit adder."),
        expected=_table(["a0", "b0", "cin"], ["carry", "s0"],
                        lambda x, y, z: np.stack([total(x, y, z) >> 1, total(x, y, z) & 1], axis=1)))


def _check_bits(n, what: str, low: int, high: int) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not low <= n <= high:
        raise UserError(f"{what} has {low} to {high} bits, not {n!r}")
    return int(n)


def adder(n: int, carry_in: bool = False, chips: bool = True) -> Graph:
    """An n-bit ripple-carry adder (1 ≤ n ≤ 64) from NAND perceptrons: a half adder for bit 0 (a full adder
    when ``carry_in``, with an extra input ``cin``), full adders above it.

    Inputs ``a{n-1} … a0, b{n-1} … b0`` (then ``cin``); outputs ``carry, s{n-1} … s0``. 5 + 9(n − 1) neurons.
    With ``chips`` (the default) it is a row of chip instances — ``HalfAdder`` (five NAND perceptrons) for
    bit 0 and ``FullAdder`` (nine) above, ids ``ha0``, ``fa1`` … — whose outputs are output nodes; with
    ``chips=False`` the same network is built flat. The expected table is stored for up to
    ``MAX_EXPECTED_ADDER_BITS`` bits.
    """
    n = _check_bits(n, "an adder", 1, MAX_ADDER_BITS)
    inputs = [f"a{i}" for i in reversed(range(n))] + [f"b{i}" for i in reversed(range(n))]
    inputs += ["cin"] if carry_in else []
    outputs = ["carry"] + [f"s{i}" for i in reversed(range(n))]
    expected = None
    if n <= MAX_EXPECTED_ADDER_BITS:
        weights = 1 << np.arange(n - 1, -1, -1)

        def fn(X):
            total = X[:, :n] @ weights + X[:, n:2 * n] @ weights + (X[:, 2 * n] if carry_in else 0)
            return (total[:, None] >> np.arange(n, -1, -1)[None, :]) & 1

        expected = TruthTable.from_function(inputs, outputs, fn)
    what = "a full adder (carry in: cin)" if carry_in else "a half adder"
    higher = ", a full adder for each higher bit, the carry rippling up" if n > 1 else ""
    name = f"{n}-bit adder from NANDs"
    description = (f"A ripple-carry adder of {n} bits made only of NAND perceptrons: {what} for bit 0{higher}. "
                   f"Inputs a{n - 1}..a0 and b{n - 1}..b0 (most significant first); outputs carry, "
                   f"s{n - 1}..s0 = a + b.")
    if chips:
        g = _adder_row(n, carry_in, name)
        g.description = description + (" Each box is a chip: open one to see its NAND perceptrons.")
        g.expected = expected.to_expected() if expected is not None else None
        return g
    b = CircuitBuilder()
    A = {i: b.input(f"a{i}") for i in reversed(range(n))}
    B = {i: b.input(f"b{i}") for i in reversed(range(n))}
    carry = b.input("cin") if carry_in else None
    sums = {}
    for i in range(n):
        last = i == n - 1
        if carry is None:
            sums[i], carry = b.half_adder(A[i], B[i], f"s{i}", "carry" if last else "")
        else:
            sums[i], carry = b.full_adder(A[i], B[i], carry, f"s{i}", "carry" if last else "")
    order = [h for i in range(n) for h in (A[i], B[i])] + ([b.labels.index("cin")] if carry_in else [])
    return b.graph(name, [carry] + [sums[i] for i in reversed(range(n))],
                   input_order=order, expected=expected, description=description)


# ----- chips: half and full adders, adder rows, multipliers -------------------------------------------
#: Staircase of an adder row: each bit's chip sits this far right and down from the one before.
ROW_DX = 180.0
ROW_DY = 130.0


def _pin_wire(g: Graph, source: str, target: str, source_pin: str = "", target_pin: str = "") -> None:
    """A plain connection with the next free ``w<k>`` id (new_id scans every id: quadratic when building)."""
    g.connect_pin(source, target, 1.0, source_pin=source_pin, target_pin=target_pin, id=f"w{len(g.wires) + 1}")


def _output(g: Graph, label: str, source: str, source_pin: str, *, id: str, x: float, y: float) -> None:
    g.add_node(Node(id, OUTPUT, label, x=x, y=y))
    _pin_wire(g, source, id, source_pin)


def _define(doc: Graph, name: str, built: Graph, description: str) -> None:
    """Register the generated graph ``built`` as chip ``name`` of ``doc`` (unless already defined)."""
    if name in doc.chips:
        return
    g = Graph(name, chips=doc.chips)
    g.description = description
    g.nodes, g.wires = built.nodes, built.wires
    doc.add_chip(ChipDef(name, g))


def define_half_adder(doc: Graph) -> str:
    """Define chip ``HalfAdder`` (pins a, b → sum, carry: the book's five NAND perceptrons) in ``doc``."""
    b = CircuitBuilder()
    a, bb = b.input("a"), b.input("b")
    s, c = b.half_adder(a, bb, "sum", "carry")
    _define(doc, "HalfAdder", b.graph("HalfAdder", [s, c], input_order=[a, bb]),
            "sum = a XOR b from four NAND perceptrons; carry = a AND b, the first NAND negated (weight -4).")
    return "HalfAdder"


def define_full_adder(doc: Graph) -> str:
    """Define chip ``FullAdder`` (pins a, b, cin → sum, carry: nine NAND perceptrons) in ``doc``."""
    b = CircuitBuilder()
    a, bb, cin = b.input("a"), b.input("b"), b.input("cin")
    s, c = b.full_adder(a, bb, cin, "sum", "carry")
    _define(doc, "FullAdder", b.graph("FullAdder", [s, c], input_order=[a, bb, cin]),
            "a + b + cin with nine NAND perceptrons: x = a XOR b, sum = x XOR cin, "
            "carry = NAND(NAND(a, b), NAND(x, cin)).")
    return "FullAdder"


def _adder_row(n: int, carry_in: bool, name: str) -> Graph:
    """The chip form of :func:`adder`: instances ``ha0``/``fa0`` … ``fa{n-1}`` in a staircase, bit 0 on top."""
    g = Graph(name)
    if not carry_in:
        define_half_adder(g)
    if n > 1 or carry_in:
        define_full_adder(g)
    for side in "ab":
        for i in reversed(range(n)):
            g.add_input(f"{side}{i}", id=f"{side}{i}", x=0.0, y=ROW_DY * i + (-22 if side == "a" else 20))
    carry = g.add_input("cin", id="cin", x=0.0, y=-60.0).id if carry_in else None
    carry_pin = ""
    insts = []
    for i in range(n):
        half = carry is None
        inst = g.add_instance("HalfAdder" if half else "FullAdder", id=f"ha{i}" if half else f"fa{i}",
                              x=ROW_DX * (i + 1), y=ROW_DY * i)
        _pin_wire(g, f"a{i}", inst.id, target_pin="a")
        _pin_wire(g, f"b{i}", inst.id, target_pin="b")
        if carry is not None:
            _pin_wire(g, carry, inst.id, source_pin=carry_pin, target_pin="cin")
        carry, carry_pin = inst.id, "carry"
        insts.append(inst.id)
    last = ROW_DX * n + 185
    _output(g, "carry", carry, "carry", id="carry", x=last, y=ROW_DY * (n - 1) + 34)
    for i in reversed(range(n)):
        _output(g, f"s{i}", insts[i], "sum", id=f"s{i}", x=ROW_DX * (i + 1) + 185, y=ROW_DY * i - 34)
    return g


def define_adder(doc: Graph, n: int) -> str:
    """Define chip ``Adder{n}`` in ``doc``: pins ``a[0]…a[n-1]``, ``b[0]…b[n-1]`` → ``s[0]…s[n-1]``, ``carry``
    (bit 0 least significant), a ripple of one HalfAdder and n − 1 FullAdder chips."""
    name = f"Adder{n}"
    if name in doc.chips:
        return name
    define_half_adder(doc)
    if n > 1:
        define_full_adder(doc)
    g = Graph(name, chips=doc.chips)
    g.description = f"{n}-bit ripple-carry adder: a HalfAdder for bit 0, a FullAdder for each bit above."
    for side in "ab":
        for i in range(n):
            g.add_input(f"{side}[{i}]", id=f"{side}{i}", x=0.0, y=ROW_DY * i + (-22 if side == "a" else 20))
    carry, pin = None, ""
    sums = []
    for i in range(n):
        inst = g.add_instance("HalfAdder" if carry is None else "FullAdder", id=f"fa{i}", x=ROW_DX * (i + 1),
                              y=ROW_DY * i)
        _pin_wire(g, f"a{i}", inst.id, target_pin="a")
        _pin_wire(g, f"b{i}", inst.id, target_pin="b")
        if carry is not None:
            _pin_wire(g, carry, inst.id, source_pin=pin, target_pin="cin")
        carry, pin = inst.id, "carry"
        sums.append(inst.id)
    for i in range(n):
        _output(g, f"s[{i}]", sums[i], "sum", id=f"s{i}", x=ROW_DX * (i + 1) + 185, y=ROW_DY * i - 34)
    _output(g, "carry", carry, "carry", id="carry", x=ROW_DX * n + 185, y=ROW_DY * (n - 1) + 34)
    doc.add_chip(ChipDef(name, g))
    return name


def define_and(doc: Graph) -> str:
    """Define chip ``And`` (a, b → out): NOT(NAND(a, b)), two NAND perceptrons."""
    b = CircuitBuilder()
    a, bb = b.input("a"), b.input("b")
    out = b.and_(a, bb, "out")
    _define(doc, "And", b.graph("And", [out], input_order=[a, bb]), "AND = NOT(NAND(a, b)): two NAND perceptrons.")
    return "And"


MAX_MULTIPLIER_BITS = 32


def multiplier(bits: int) -> Graph:
    """An array multiplier (2 ≤ bits ≤ 32) of NAND perceptrons, built of chips: ``bits²`` ``And`` chips make
    the partial products a_j·b_i, and adder chips add them row by row (``Adder{bits}``; for the first row,
    whose top bit is 0, an ``Adder{bits-1}`` and a ``HalfAdder``).

    Inputs ``a{n-1} … a0, b{n-1} … b0``; outputs ``p{2n-1} … p0`` = a × b. Row i adds the partial
    products a·b_i to the previous row's sum shifted right one bit (its carry entering at the top); the bit
    shifted out is product bit p_i. 11n² − 13n NAND perceptrons (2,608 for 16 bits)."""
    n = _check_bits(bits, "a multiplier", 2, MAX_MULTIPLIER_BITS)
    g = Graph(f"{n}x{n}-bit multiplier from NANDs")
    g.description = (f"Multiplies two {n}-bit numbers with NAND perceptrons only: And chips form the partial "
                     f"products a_j*b_i; each Adder{n} chip adds one row of them to the running sum. Inputs "
                     f"a{n - 1}..a0 and b{n - 1}..b0 (most significant first); outputs p{2 * n - 1}..p0 = a * b.")
    and_chip = define_and(g)
    add_chip = define_adder(g, n) if n > 2 else ""
    # Column i holds the And chips a_j·b_i (row j) with b_i above it; its adder sits to its right.
    col, step = 100.0, 420.0
    x_col = lambda i: 200.0 + step * i  # noqa: E731
    middle = col * (n - 1) / 2
    for side in "ab":
        for i in reversed(range(n)):
            g.add_input(f"{side}{i}", id=f"{side}{i}", x=0.0 if side == "a" else x_col(i) - 130.0,
                        y=col * i if side == "a" else -col)
    pp = {}
    for i in range(n):
        for j in range(n):
            inst = g.add_instance(and_chip, id=f"and{i}_{j}", x=x_col(i), y=col * j)
            _pin_wire(g, f"a{j}", inst.id, target_pin="a")
            _pin_wire(g, f"b{i}", inst.id, target_pin="b")
            pp[i, j] = inst.id
    product: dict[int, tuple[str, str]] = {0: (pp[0, 0], "out")}
    # Row 1 adds a·b_1 to a·b_0 shifted right, whose top bit is 0: an (n-1)-bit adder and a half adder
    # for the top bit (no pin is left reading a constant, so the flat network is NAND perceptrons only).
    first = g.add_instance(define_adder(g, n - 1) if n > 2 else define_half_adder(g), id="add1",
                           x=x_col(1) + 220.0, y=middle)
    top = g.add_instance(define_half_adder(g), id="add1_top", x=x_col(1) + 360.0, y=middle + 130.0)
    if n > 2:
        for k in range(n - 1):
            _pin_wire(g, pp[0, k + 1], first.id, source_pin="out", target_pin=f"a[{k}]")
            _pin_wire(g, pp[1, k], first.id, source_pin="out", target_pin=f"b[{k}]")
        low = [(first.id, f"s[{k}]") for k in range(n - 1)]
    else:
        _pin_wire(g, pp[0, 1], first.id, source_pin="out", target_pin="a")
        _pin_wire(g, pp[1, 0], first.id, source_pin="out", target_pin="b")
        low = [(first.id, "sum")]
    _pin_wire(g, pp[1, n - 1], top.id, source_pin="out", target_pin="a")
    _pin_wire(g, first.id, top.id, source_pin="carry", target_pin="b")
    product[1] = low[0]
    acc = low[1:] + [(top.id, "sum"), (top.id, "carry")]   # the running sum, shifted right one bit
    for i in range(2, n):
        add = g.add_instance(add_chip, id=f"add{i}", x=x_col(i) + 220.0, y=middle)
        for k in range(n):
            _pin_wire(g, acc[k][0], add.id, source_pin=acc[k][1], target_pin=f"a[{k}]")
            _pin_wire(g, pp[i, k], add.id, source_pin="out", target_pin=f"b[{k}]")
        product[i] = (add.id, "s[0]")
        acc = [(add.id, f"s[{k}]") for k in range(1, n)] + [(add.id, "carry")]
    for k in range(n):
        product[n + k] = acc[k]
    right = x_col(n - 1) + 480.0
    for k in reversed(range(2 * n)):
        _output(g, f"p{k}", *product[k], id=f"p{k}", x=right, y=col * k / 2)
    if n <= MAX_EXPECTED_ADDER_BITS:
        weights = 1 << np.arange(n - 1, -1, -1)
        names_in = [f"a{i}" for i in reversed(range(n))] + [f"b{i}" for i in reversed(range(n))]
        names_out = [f"p{k}" for k in reversed(range(2 * n))]
        g.expected = TruthTable.from_function(names_in, names_out, lambda X: (
            ((X[:, :n] @ weights) * (X[:, n:] @ weights))[:, None] >> np.arange(2 * n - 1, -1, -1)[None, :]) & 1
        ).to_expected()
    return g


def sr_latch() -> Graph:
    """An SR latch from two cross-coupled NAND perceptrons (a loop; run in time steps).

    Inputs are active low: ``Sbar = 0`` sets (Q = 1), ``Rbar = 0`` resets (Q = 0), both 1 holds the bit.
    Outputs ``Q`` and ``Qbar``. It starts with Sbar = 0, Rbar = 1 (set).
    """
    b = CircuitBuilder()
    s, r = b.input("Sbar", 0.0), b.input("Rbar", 1.0)
    q = b.neuron([(s, NAND_WEIGHT)], NAND_BIAS, "Q")
    qbar = b.neuron([(r, NAND_WEIGHT), (q, NAND_WEIGHT)], NAND_BIAS, "Qbar")
    b.connect(qbar, q, NAND_WEIGHT)
    return b.graph("SR latch from NANDs", [q, qbar], input_order=[s, r], description=(
        "One bit of memory: Q = NAND(Sbar, Qbar) and Qbar = NAND(Rbar, Q), each reading the other's previous "
        "output. The inputs are active low: Sbar = 0 sets Q to 1, Rbar = 0 resets it to 0, and with both at "
        "1 the latch holds its bit. Both at 0 is forbidden (Q = Qbar = 1). Started from all zeros with both "
        "inputs at 1, the two NANDs flip together forever (period 2): set or reset it first."))


BUILDERS = {
    **{name: functools.partial(_gate, name) for name in _GATE_DOCS},
    "half-adder": half_adder,
    "full-adder": full_adder,
    "adder": adder,
    "multiplier": multiplier,
    "sr-latch": sr_latch,
}


def build(name: str, bits: int | None = None) -> Graph:
    """A generated circuit by name: ``nand, not, and, or, nor, xor, xnor, mux, and-direct, or-direct,
    half-adder, full-adder, adder`` (``bits``, default 4), ``multiplier`` (``bits``, default 4) or
    ``sr-latch``. Carries ``graph.expected`` (except the latch and adders or multipliers over 5 bits) and
    canvas positions."""
    key = name.strip().lower().replace("_", "-")
    if key not in BUILDERS:
        raise UserError(f"unknown circuit {name!r} (known: {', '.join(BUILDERS)})")
    if key in ("adder", "multiplier"):
        return BUILDERS[key](4 if bits is None else bits)
    if bits is not None:
        raise UserError(f"--bits is for the adder and the multiplier, not for {key}")
    return BUILDERS[key]()


# ----- recognising NAND circuits ----------------------------------------------------------------------
def _is_nand(node: Node, weights: list[float]) -> bool:
    return (node.kind == NEURON and node.activation == "step" and node.bias == NAND_BIAS
            and sorted(weights) in ([NAND_WEIGHT, NAND_WEIGHT], [NOT_WEIGHT]))


def is_nand_perceptron(graph: Graph, node_id: str) -> bool:
    """Whether a node is the book's NAND perceptron: a step neuron with bias 3 and either two wires of
    weight −2 or one wire of weight −4 (NAND with both inputs tied to one source, i.e. NOT)."""
    return _is_nand(graph.node(node_id), [w.weight for w in graph.wires_into(node_id)])


def is_nand_only(graph: Graph) -> bool:
    """Whether the graph has neurons and every one is a NAND perceptron (``nnsim info``'s ``nand_only``);
    a graph with chips is judged by its flat network."""
    if uses(graph):
        graph = flatten(graph)
    weights: dict[str, list[float]] = {}
    for w in graph.wires.values():
        weights.setdefault(w.target, []).append(w.weight)
    neurons = graph.neurons()
    return bool(neurons) and all(_is_nand(n, weights.get(n.id, [])) for n in neurons)


# ----- adding numbers ---------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def _adder_circuit(bits: int) -> Circuit:
    return compile_graph(adder(bits))


def adder_sums(A, B, bits: int) -> list[int]:
    """``A[i] + B[i]`` computed by the compiled ``bits``-bit NAND adder, for lists of non-negative ints
    below 2**bits (exact for 64 bits: Python ints in and out, one vectorised pass)."""
    A, B = list(A), list(B)
    if len(A) != len(B):
        raise ValueError("A and B must have the same length")
    circuit = _adder_circuit(int(bits))
    for x in A + B:
        if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or not 0 <= x < 2 ** bits:
            raise UserError(f"{x} does not fit in {bits} bits (0 to {2 ** bits - 1})")
    X = np.zeros((len(A), 2 * bits))
    for j in range(bits):
        shift = bits - 1 - j
        X[:, j] = [(int(a) >> shift) & 1 for a in A]
        X[:, bits + j] = [(int(b) >> shift) & 1 for b in B]
    O = circuit.feedforward(X).astype(int)
    cols = [[circuit.labels[o] for o in circuit.output_ids].index(name)
            for name in ["carry"] + [f"s{i}" for i in reversed(range(bits))]]
    return [int("".join(str(v) for v in row[cols]), 2) for row in O]


def add_numbers(a: int, b: int, bits: int) -> int:
    """``a + b`` by the ``bits``-bit perceptron adder."""
    return adder_sums([a], [b], bits)[0]


@functools.lru_cache(maxsize=4)
def _multiplier_circuit(bits: int) -> Circuit:
    return compile_graph(multiplier(bits))


def _bit_rows(numbers: list[int], bits: int) -> np.ndarray:
    """Each number's bits, most significant first. Shape (len(numbers), bits)."""
    values = np.array(numbers, dtype=np.uint64)
    shifts = np.arange(bits - 1, -1, -1, dtype=np.uint64)
    return ((values[:, None] >> shifts[None, :]) & np.uint64(1)).astype(float)


def multiply_numbers(A, B, bits: int) -> list[int]:
    """``A[i] × B[i]`` computed by the ``bits``-bit NAND array multiplier (see :func:`multiplier`), for lists
    of non-negative ints below 2**bits: one vectorised pass, exact (the 2·bits product bits are read back
    as Python ints)."""
    A, B = list(A), list(B)
    if len(A) != len(B):
        raise ValueError("A and B must have the same length")
    bits = _check_bits(bits, "the multiplier", 2, MAX_MULTIPLIER_BITS)
    for x in A + B:
        if isinstance(x, bool) or not isinstance(x, (int, np.integer)) or not 0 <= x < 2 ** bits:
            raise UserError(f"{x} does not fit in {bits} bits (0 to {2 ** bits - 1})")
    circuit = _multiplier_circuit(bits)
    X = np.hstack([_bit_rows(A, bits), _bit_rows(B, bits)]) if A else np.zeros((0, 2 * bits))
    O = circuit.feedforward(X) if A else np.zeros((0, 2 * bits))
    names = [circuit.labels[o] for o in circuit.output_ids]
    cols = [names.index(f"p{k}") for k in reversed(range(2 * bits))]
    return [int("".join("1" if v > 0.5 else "0" for v in row[cols]), 2) for row in O]
