"""Truth-table synthesis into NAND-only networks: exact on random tables, minimised, shared gates."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nnsim.core import logic
from nnsim.core.circuit.compile import compile_graph
from nnsim.core.errors import UserError
from nnsim.core.logic.synthesis import cover_cost, minimise, prime_implicants, synthesize
from nnsim.core.logic.truthtable import TruthTable


def _random_table(n_in, n_out, seed, p=0.5):
    rng = np.random.default_rng(seed)
    return TruthTable([f"x{i}" for i in range(n_in)], [f"y{k}" for k in range(n_out)],
                      (rng.random((2 ** n_in, n_out)) < p).astype(np.int64))


def _assert_matches(graph, table):
    c = compile_graph(graph)
    assert [c.labels[i] for i in c.input_ids] == table.inputs
    assert [c.labels[o] for o in c.output_ids] == table.outputs
    _, O = c.truth_table()
    np.testing.assert_array_equal(O, table.rows)


@settings(max_examples=40)
@given(n_in=st.integers(1, 8), n_out=st.integers(1, 4), seed=st.integers(0, 2 ** 32 - 1),
       p=st.sampled_from([0.05, 0.5, 0.95]))
def test_random_tables_synthesise_to_exact_nand_only_circuits(n_in, n_out, seed, p):
    table = _random_table(n_in, n_out, seed, p)
    g = synthesize(table)
    assert logic.is_nand_only(g)
    assert all(len(g.wires_into(n.id)) in (1, 2) for n in g.neurons())   # 2-input NANDs (NOT: tied inputs)
    _assert_matches(g, table)
    assert logic.compare(g, g.expected) == []


def test_a_ten_input_four_output_random_table_is_exact():
    table = _random_table(10, 4, seed=10)
    g = synthesize(table)
    _assert_matches(g, table)


def test_constants_copies_and_plain_inputs_become_outputs():
    X = lambda n: TruthTable.from_function  # noqa: E731
    table = X(2)(["a", "b"], ["zero", "one", "a_copy", "b_too", "again"],
                 lambda R: np.stack([0 * R[:, 0], 0 * R[:, 0] + 1, R[:, 0], R[:, 1], R[:, 1]], axis=1))
    g = synthesize(table)
    assert logic.is_nand_only(g)
    assert len({n.id for n in g.outputs()}) == 5
    _assert_matches(g, table)


def test_gates_are_shared_between_outputs():
    a_and_b = TruthTable.from_function(["a", "b", "c"], ["y"], lambda R: R[:, 0] & R[:, 1])
    both = TruthTable.from_function(["a", "b", "c"], ["y", "z"],
                                    lambda R: np.stack([R[:, 0] & R[:, 1], (R[:, 0] & R[:, 1]) | R[:, 2]], 1))
    alone = len(synthesize(a_and_b).neurons())
    together = len(synthesize(both).neurons())
    z_alone = len(synthesize(TruthTable(["a", "b", "c"], ["z"], both.rows[:, 1:])).neurons())
    assert together < alone + z_alone


def test_minimisation_finds_the_textbook_cover():
    # f(a,b,c,d) = Σm(0,1,2,5,6,7,8,9,10,14) = b'c' + cd' + a'bd: 3 terms, 7 literals
    ones = [0, 1, 2, 5, 6, 7, 8, 9, 10, 14]
    cover = minimise(ones, 4)
    covered = set()
    for value, mask in cover:
        covered |= {m for m in range(16) if (m & ~mask) == value}
    assert covered == set(ones)
    assert sorted(cover) == [(0, 0b1001), (0b0010, 0b1100), (0b0101, 0b0010)]
    assert cover_cost(cover, 4) == 3 + 7


def test_prime_implicants_of_a_full_cube():
    assert prime_implicants(range(8), 3) == [(0, 7)]
    assert minimise([], 3) == []


def test_minimised_circuits_are_small():
    majority = TruthTable.from_function(["a", "b", "c"], ["m"],
                                        lambda R: (R.sum(axis=1) >= 2).astype(int))
    g = synthesize(majority)
    assert len(g.neurons()) == 6    # NAND(a,b), NAND(b,c), NAND(c,a), then a 3-way OR from three NANDs
    assert all(n.output is not False for n in g.neurons())   # no dead gates left behind
    assert len(synthesize(TruthTable(["a", "b"], ["y"], [[0], [0], [0], [1]])).neurons()) == 2   # AND


def test_synthesis_limits():
    with pytest.raises(UserError, match="1 to 12 inputs"):
        synthesize(TruthTable([f"x{i}" for i in range(13)], ["y"], np.zeros((2 ** 13, 1), int)))
    with pytest.raises(UserError, match="0 or 1"):
        synthesize(TruthTable(["a"], ["y"], [[0.5], [1]]))


def test_synthesised_graph_is_laid_out_and_carries_its_table():
    table = _random_table(4, 2, seed=3)
    g = synthesize(table, name="demo")
    assert g.name == "demo"
    assert logic.TruthTable.from_expected(g.expected) == TruthTable(table.inputs, table.outputs,
                                                                    table.rows.astype(float))
    assert all(g.nodes[w.source].x < g.nodes[w.target].x for w in g.wires.values())


def test_parity_is_a_chain_of_xors_not_two_to_the_n_products():
    from nnsim.core.logic.boolexpr import parse_expression

    table = parse_expression("p = " + " ^ ".join(f"x{i}" for i in range(12)))
    g = synthesize(table)
    assert len(g.neurons()) == 4 * 11
    assert logic.compare(g, table) == []
    assert len(synthesize(parse_expression("y = a ^ b")).neurons()) == 4
    assert len(synthesize(parse_expression("y = ~(a ^ b)")).neurons()) == 5


@settings(max_examples=25)
@given(n_in=st.integers(2, 7), seed=st.integers(0, 2 ** 32 - 1))
def test_functions_with_xor_parts_are_exact(n_in, seed):
    rng = np.random.default_rng(seed)
    X = TruthTable([f"x{i}" for i in range(n_in)], ["y"], np.zeros((2 ** n_in, 1), int)).input_rows().astype(int)
    mask = rng.random(n_in) < 0.5
    g_part = (X[:, ~mask].sum(axis=1) >= 1 + rng.integers(0, 2)) if (~mask).any() else np.zeros(len(X), int)
    y = (X[:, mask].sum(axis=1) + g_part) % 2
    table = TruthTable([f"x{i}" for i in range(n_in)], ["y"], y[:, None])
    g = synthesize(table)
    assert logic.is_nand_only(g)
    _assert_matches(g, table)
