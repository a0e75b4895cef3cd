"""NAND-built gates, adders, the latch, truth tables and comparison (nnsim.core.logic)."""

import numpy as np
import pytest

from nnsim.core.circuit.order import has_loop
from nnsim.core import logic
from nnsim.core.circuit.chips import flatten
from nnsim.core.circuit.compile import compile_graph
from nnsim.core.errors import UserError
from nnsim.core.circuit.graph import Graph
from nnsim.core.logic.truthtable import TruthTable

# Outputs for inputs (a, b) = 00, 01, 10, 11 (mux: (a, b, sel) = 000 … 111).
GATES = {
    "nand": [1, 1, 1, 0],
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "nor": [1, 0, 0, 0],
    "xor": [0, 1, 1, 0],
    "xnor": [1, 0, 0, 1],
    "and-direct": [0, 0, 0, 1],
    "or-direct": [0, 1, 1, 1],
    "not": [1, 0],
    "mux": [0, 0, 0, 1, 1, 0, 1, 1],  # sel=0 → a, sel=1 → b
}


@pytest.mark.parametrize("name", GATES)
def test_gate_truth_table(name):
    g = logic.build(name)
    table = logic.truth_table(g)
    assert table.rows.ravel().tolist() == GATES[name]
    assert TruthTable.from_expected(g.expected) == TruthTable(table.inputs, table.outputs,
                                                              np.array(GATES[name], float)[:, None])
    assert logic.compare(g, g.expected) == []


@pytest.mark.parametrize("name", ["nand", "not", "and", "or", "nor", "xor", "xnor", "mux", "half-adder",
                                  "full-adder", "adder", "sr-latch"])
def test_nand_built_circuits_are_nand_only(name):
    g = logic.build(name)
    assert logic.is_nand_only(g)
    assert all(logic.is_nand_perceptron(g, n.id) for n in g.neurons())


@pytest.mark.parametrize("name", ["and-direct", "or-direct"])
def test_direct_gates_are_one_perceptron_and_not_nand(name):
    g = logic.build(name)
    assert len(g.neurons()) == 1 and not logic.is_nand_only(g)


def test_gate_sizes_match_the_textbook_constructions():
    sizes = {name: len(logic.build(name).neurons()) for name in
             ("nand", "not", "and", "or", "nor", "xor", "xnor", "mux", "half-adder", "full-adder")}
    assert sizes == {"nand": 1, "not": 1, "and": 2, "or": 3, "nor": 4, "xor": 4, "xnor": 5, "mux": 4,
                     "half-adder": 5, "full-adder": 9}


def test_not_is_the_nand_perceptron_with_both_inputs_joined():
    g = logic.build("not")
    (w,) = g.wires.values()
    (n,) = g.neurons()
    assert (w.weight, n.bias, n.activation) == (-4, 3, "step")


def test_is_nand_perceptron_accepts_exactly_the_two_forms():
    g = Graph()
    a, b, c = (g.add_input(x).id for x in "abc")

    def neuron(bias, weights, activation="step"):
        n = g.add_neuron(bias=bias, activation=activation)
        for src, w in zip((a, b, c), weights):
            g.connect(src, n.id, w)
        return logic.is_nand_perceptron(g, n.id)

    assert neuron(3, [-2, -2]) and neuron(3, [-4])
    assert not neuron(3, [-2])                       # half a NAND
    assert not neuron(2, [-2, -2])                   # wrong bias
    assert not neuron(3, [-2, -2, -2])               # three inputs
    assert not neuron(3, [-1, -3])                   # same sum, different weights
    assert not neuron(3, [-2, -2], "sigmoid")
    assert not logic.is_nand_only(Graph())           # no neurons: not a NAND circuit


def test_half_adder_is_the_books():
    g = logic.build("half-adder")
    table = logic.truth_table(g)
    assert table.inputs == ["a0", "b0"] and table.outputs == ["carry", "s0"]
    assert table.rows.tolist() == [[0, 0], [0, 1], [0, 1], [1, 0]]
    # the carry neuron reads the first NAND through a single wire of weight -4
    carry = g.find("carry")
    assert [w.weight for w in g.wires_into(carry.id)] == [-4]


def test_full_adder_adds_three_bits():
    table = logic.truth_table(logic.build("full-adder"))
    assert table.inputs == ["a0", "b0", "cin"]
    X = table.input_rows().astype(int)
    total = X.sum(axis=1)
    assert table.rows.tolist() == np.stack([total >> 1, total & 1], axis=1).tolist()


def _adder_values(table: TruthTable, n: int, carry_in: bool = False):
    X = table.input_rows().astype(np.int64)
    w = 1 << np.arange(n - 1, -1, -1)
    A, B = X[:, :n] @ w, X[:, n:2 * n] @ w
    cin = X[:, 2 * n] if carry_in else 0
    out = table.rows.astype(np.int64) @ (1 << np.arange(n, -1, -1))
    return A + B + cin, out


@pytest.mark.parametrize("n", range(1, 9))
def test_adder_exhaustive(n):
    g = logic.adder(n)
    table = logic.truth_table(g)
    assert table.inputs == [f"a{i}" for i in reversed(range(n))] + [f"b{i}" for i in reversed(range(n))]
    assert table.outputs == ["carry"] + [f"s{i}" for i in reversed(range(n))]
    want, got = _adder_values(table, n)
    np.testing.assert_array_equal(got, want)
    assert len(flatten(g).neurons()) == 5 + 9 * (n - 1)
    assert (g.expected is not None) == (n <= logic.MAX_EXPECTED_ADDER_BITS)


def test_adder_with_carry_in_exhaustive():
    table = logic.truth_table(logic.adder(3, carry_in=True))
    assert table.inputs[-1] == "cin"
    want, got = _adder_values(table, 3, carry_in=True)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("n", [16, 32, 64])
def test_adder_random_pairs(n):
    rng = np.random.default_rng(n)
    A = [int(v) for v in rng.integers(0, 2 ** n, size=200, dtype=np.uint64)]
    B = [int(v) for v in rng.integers(0, 2 ** n, size=200, dtype=np.uint64)]
    A += [0, 2 ** n - 1, 2 ** n - 1]
    B += [0, 2 ** n - 1, 1]
    assert logic.adder_sums(A, B, n) == [a + b for a, b in zip(A, B)]


def test_add_numbers_from_the_issue():
    assert logic.add_numbers(4000000000, 123456789, 32) == 4123456789


@pytest.mark.parametrize("bad", [0, 65, -1, 2.5, True])
def test_adder_width_is_checked(bad):
    with pytest.raises(UserError, match="1 to 64"):
        logic.adder(bad)


def test_numbers_must_fit_the_adder():
    with pytest.raises(UserError, match="does not fit in 4 bits"):
        logic.add_numbers(16, 1, 4)
    with pytest.raises(UserError):
        logic.add_numbers(-1, 1, 4)


def test_build_names_and_errors():
    assert logic.build("Half_Adder").name == logic.build("half-adder").name
    assert len(logic.build("adder", bits=2).inputs()) == 4
    assert len(logic.build("adder").inputs()) == 8       # default 4 bits
    with pytest.raises(UserError, match="unknown circuit 'fred'.*half-adder"):
        logic.build("fred")
    with pytest.raises(UserError, match="--bits is for the adder"):
        logic.build("xor", bits=3)


def test_generated_graphs_have_expected_tables_and_labels():
    for name in ("nand", "not", "and", "or", "nor", "xor", "xnor", "mux", "and-direct", "or-direct",
                 "half-adder", "full-adder", "adder"):
        g = logic.build(name)
        c = compile_graph(g)
        assert g.expected.inputs == [c.labels[i] for i in c.input_ids]
        assert g.expected.outputs == [c.labels[o] for o in c.output_ids]
    assert logic.build("sr-latch").expected is None
    assert logic.adder(6).expected is None


def test_big_adder_builds_and_has_the_right_size():
    g = logic.adder(64, chips=True)
    flat = flatten(g)
    assert len(g.inputs()) == 128 and len(g.outputs()) == 65 and len(flat.neurons()) == 5 + 9 * 63
    assert len({w.id for w in g.wires.values()}) == len(g.wires)
    weighted = [w for w in flat.wires.values() if flat.nodes[w.target].kind == "neuron"]
    assert len(weighted) == 1143 and len({w.id for w in flat.wires.values()}) == len(flat.wires)
    assert [n.chip for n in g.instances()] == ["HalfAdder"] + ["FullAdder"] * 63


# ----- the latch ---------------------------------------------------------------------------------------
def test_latch_sets_holds_and_resets():
    g = logic.build("sr-latch")
    assert has_loop(g) and [n.name for n in g.outputs()] == ["Q", "Qbar"]
    #          set     hold    reset   hold    hold    set     hold
    rows = [[0, 1], [1, 1], [1, 0], [1, 1], [1, 1], [0, 1], [1, 1]]
    run = logic.run_sequence(g, rows)
    assert run.output_names == ["Q", "Qbar"]
    assert run.outputs.tolist() == [[1, 0], [1, 0], [0, 1], [0, 1], [0, 1], [1, 0], [1, 0]]
    assert (run.steps >= 0).all()                    # every step settled


def test_latch_holds_whatever_it_stores():
    g = logic.build("sr-latch")
    for first, q in (([0, 1], 1), ([1, 0], 0)):
        run = logic.run_sequence(g, [first] + [[1, 1]] * 5)
        assert run.outputs[:, 0].tolist() == [q] * 6


def test_latch_from_zero_with_both_inputs_high_oscillates():
    g = logic.build("sr-latch")
    run = logic.run_sequence(g, [[1, 1]])
    assert run.steps.tolist() == [-1] and run.periods.tolist() == [2]


def test_latch_forbidden_input_drives_both_outputs_high():
    run = logic.run_sequence(logic.build("sr-latch"), [[0, 0]])
    assert run.outputs.tolist() == [[1, 1]]


def test_looped_graph_has_no_truth_table():
    with pytest.raises(UserError, match="loop"):
        logic.truth_table(logic.build("sr-latch"))


# ----- compare -----------------------------------------------------------------------------------------
def test_compare_lists_differing_rows():
    g = logic.build("xor")
    wrong = TruthTable(["a", "b"], ["xor"], [[0], [1], [1], [1]])
    (m,) = logic.compare(g, wrong)
    assert (m.row, m.inputs, m.expected, m.actual) == (3, (1, 1), (1.0,), (0.0,))


def test_compare_matches_columns_by_name():
    g = logic.build("mux")   # inputs a, b, sel
    fn = lambda sel, a, b: np.where(sel == 1, b, a)  # noqa: E731
    reordered = TruthTable.from_function(["sel", "a", "b"], ["mux"], lambda X: fn(*X.T))
    assert logic.compare(g, reordered) == []
    with pytest.raises(UserError, match="inputs"):
        logic.compare(g, TruthTable(["a", "b"], ["mux"], [[0], [0], [0], [0]]))
    with pytest.raises(UserError, match="no output 'y'"):
        logic.compare(g, TruthTable(["a", "b", "sel"], ["y"], np.zeros((8, 1))))


def test_layout_runs_left_to_right_by_level():
    g = logic.adder(4, chips=False)
    xs = {nid: n.x for nid, n in g.nodes.items()}
    assert all(xs[n.id] == 0 for n in g.inputs())
    assert all(xs[w.source] < xs[w.target] for w in g.wires.values())
    assert all(x % 140 == 0 for x in xs.values())
    columns = {}
    for n in g.nodes.values():
        columns.setdefault(n.x, []).append(n.y)
    for ys in columns.values():
        ys = sorted(ys)
        assert all(b - a >= 70 for a, b in zip(ys, ys[1:]))  # spread ~80 apart, never on top of each other
    outputs_x = {g.nodes[o.id].x for o in g.outputs()}
    assert outputs_x == {max(xs.values())}                 # results line up on the right
