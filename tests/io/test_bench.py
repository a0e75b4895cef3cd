"""ISCAS .bench netlists: each gate kind of any fan-in, as one perceptron or NAND networks, --nand-only,
the generated array multiplier, and the mistakes a netlist can hold."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from nnsim.core.circuit.compile import compile_graph
from nnsim.core.logic.gates import is_nand_only
from nnsim.core.logic.truthtable import truth_table
from nnsim.io.bench import (BenchError, SequentialBenchError, array_multiplier_bench, build_bench,
                            build_bench_chips, parse_bench, perceptron)

SPEC = {
    "AND": lambda X: X.all(1), "NAND": lambda X: ~X.all(1), "OR": lambda X: X.any(1),
    "NOR": lambda X: ~X.any(1), "XOR": lambda X: X.sum(1) % 2 == 1, "XNOR": lambda X: X.sum(1) % 2 == 0,
}

C17_LIKE = """# six NAND gates in the shape of ISCAS c17 (written for nnsim's tests)
INPUT(1)
INPUT(2)
INPUT(3)
INPUT(6)
INPUT(7)
OUTPUT(22)
OUTPUT(23)
10 = NAND(1, 3)
11 = NAND(3, 6)
16 = NAND(2, 11)
19 = NAND(11, 7)
22 = NAND(10, 16)
23 = NAND(16, 19)
"""


def table(text, nand_only=False):
    return truth_table(build_bench(parse_bench(text, "t.bench"), nand_only))


@pytest.mark.parametrize("nand_only", [False, True])
@pytest.mark.parametrize("gate", sorted(SPEC))
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_every_gate_of_any_fan_in(gate, n, nand_only):
    names = [f"x{i}" for i in range(n)]
    text = "".join(f"INPUT({x})\n" for x in names) + f"OUTPUT(y)\ny = {gate}({', '.join(names)})\n"
    t = table(text, nand_only)
    X = t.input_rows().astype(bool)
    assert list(t.column("y")) == list(SPEC[gate](X).astype(float))
    g = build_bench(parse_bench(text, "t.bench"), nand_only)
    if nand_only:
        assert is_nand_only(g)
    elif gate not in ("XOR", "XNOR"):
        (neuron,) = g.neurons()
        w, b = perceptron(gate, n)
        assert neuron.bias == b and all(wire.weight == w for wire in g.wires_into(neuron.id))


def test_not_buff_and_a_signal_given_twice():
    t = table("INPUT(a)\nINPUT(b)\nOUTPUT(n)\nOUTPUT(f)\nOUTPUT(d)\nn = NOT(a)\nf = BUF(b)\nd = AND(a, a, b)\n")
    a, b = t.input_rows().T
    assert list(t.column("n")) == list(1 - a) and list(t.column("f")) == list(b)
    assert list(t.column("d")) == list(a * b)
    g = build_bench(parse_bench("INPUT(a)\nOUTPUT(n)\nn = NOT(a)\n", "t.bench"))
    assert is_nand_only(g) and g.neurons()[0].bias == 3   # NOT is NAND(a, a): one wire of −4, bias 3


def test_c17_like_netlist_and_its_names():
    g = build_bench(parse_bench(C17_LIKE, "c.bench"))
    assert [n.label for n in g.inputs()] == ["1", "2", "3", "6", "7"]
    assert [n.name for n in g.outputs()] == ["22", "23"] and len(g.neurons()) == 6 and is_nand_only(g)
    t = truth_table(g)
    x1, x2, x3, x6, x7 = t.input_rows().astype(int).T
    nand = lambda p, q: 1 - (p & q)  # noqa: E731
    n11 = nand(x3, x6)
    n16 = nand(x2, n11)
    assert list(t.column("22")) == list(nand(nand(x1, x3), n16))
    assert list(t.column("23")) == list(nand(n16, nand(n11, x7)))


def test_xor_is_a_nand_network_named_after_its_signal():
    g = build_bench(parse_bench("INPUT(a)\nINPUT(b)\nOUTPUT(s)\ns = XOR(a, b)\n", "x.bench"))
    assert set(g.nodes) == {"a", "b", "s", "s/Nand1", "s/Nand2", "s/Nand3"} and is_nand_only(g)


@pytest.mark.parametrize("nand_only", [False, True])
def test_array_multiplier_multiplies(nand_only):
    g = build_bench(parse_bench(array_multiplier_bench(4), "m.bench"), nand_only)
    c = compile_graph(g)
    pairs = np.array(list(itertools.product(range(16), repeat=2)))
    X = np.zeros((256, 8))
    names = [c.labels[i] for i in c.input_ids]
    for k in range(4):
        X[:, names.index(f"a{k}")] = (pairs[:, 0] >> k) & 1
        X[:, names.index(f"b{k}")] = (pairs[:, 1] >> k) & 1
    O = c.feedforward(X).astype(int)
    outs = [c.labels[o] for o in c.output_ids]
    product = sum(O[:, outs.index(f"p{k}")] << k for k in range(8))
    assert list(product) == list(pairs[:, 0] * pairs[:, 1])
    assert is_nand_only(g) == nand_only


def test_big_multiplier_size_class():
    netlist = parse_bench(array_multiplier_bench(16), "m.bench")
    assert len(netlist.gates) == 2305 and len(netlist.inputs) == 32 and len(netlist.outputs) == 32


@pytest.mark.parametrize("text, error, words", [
    ("INPUT(a)\nOUTPUT(q)\nq = DFF(a)\n", SequentialBenchError, "t.bench:3: q = DFF(...)"),
    ("INPUT(a)\nOUTPUT(q)\nq = MAJ(a)\n", BenchError, "t.bench:3: unknown gate MAJ"),
    ("INPUT(a)\nOUTPUT(q)\nq = AND(a, z)\n", BenchError, "t.bench:3: the signal z is used but never defined"),
    ("INPUT(a)\nOUTPUT(q)\nq = AND(a, r)\nr = OR(a, q)\n", BenchError, "combinational loop"),
    ("INPUT(a)\nOUTPUT(a2)\na = NOT(a)\n", BenchError, "t.bench:3: a is defined twice (also on line 1)"),
    ("INPUT(a)\nOUTPUT(q)\n", BenchError, "t.bench:2: OUTPUT(q): the signal q is never defined"),
    ("INPUT(a)\nOUTPUT(q)\nq = NOT(a, a)\n", BenchError, "NOT takes one input, not 2"),
    ("INPUT(a)\nq := AND(a)\n", BenchError, "t.bench:2: cannot read"),
])
def test_mistakes_name_the_line(text, error, words):
    with pytest.raises(error) as err:
        parse_bench(text, "t.bench")
    assert words in str(err.value)
    if error is SequentialBenchError:
        assert "not supported" in str(err.value)


def test_xor_gates_become_nand_chips():
    netlist = parse_bench("INPUT(a)\nINPUT(b)\nINPUT(c)\nOUTPUT(s)\nOUTPUT(t)\nOUTPUT(a)\n"
                          "s = XOR(a, b, c)\nt = AND(s, a)\n", "x.bench")
    doc = build_bench_chips(netlist)
    assert list(doc.chips) == ["Xor3"] and doc.chips["Xor3"].inputs == ["a1", "a2", "a3"]
    assert is_nand_only(doc.chips["Xor3"].graph) and [n.name for n in doc.outputs()] == ["s", "t", "a"]
    assert truth_table(doc) == truth_table(build_bench(netlist))
    m = parse_bench(array_multiplier_bench(4), "m.bench")
    assert truth_table(build_bench_chips(m)) == truth_table(build_bench(m))
