"""Every file in resources/examples/ loads and compiles; feedforward ones match their expected table, the
latch sets, holds and resets."""

import pytest

from nnsim.core.circuit.compile import compile_graph
from nnsim.core.logic import check_expected, run_sequence
from nnsim.io.fileformat import load_graph
from nnsim.paths import examples_dir

EXAMPLES = sorted(examples_dir().glob("*.json"))


def test_the_intro_examples_are_there():
    names = {p.name for p in EXAMPLES}
    assert {"nand.json", "perceptron-decision.json", "sigmoid-neuron.json"} <= names


LOOPED = [p for p in EXAMPLES if compile_graph(load_graph(p)).has_loop]
FEEDFORWARD = [p for p in EXAMPLES if p not in LOOPED]


def test_the_only_looped_example_is_the_latch():
    assert [p.name for p in LOOPED] == ["sr-latch.json"]


@pytest.mark.parametrize("path", FEEDFORWARD, ids=[p.stem for p in FEEDFORWARD])
def test_feedforward_example_matches_its_expected_table(path):
    g = load_graph(path)
    c = compile_graph(g)
    assert g.name and c.output_ids and g.expected is not None
    labels = [c.labels[i] for i in c.input_ids], [c.labels[o] for o in c.output_ids]
    assert (g.expected.inputs, g.expected.outputs) == labels
    result = check_expected(g, g.expected)
    assert result.all_match, [str(m) for m in result.mismatches()]


@pytest.mark.parametrize("path", LOOPED, ids=[p.stem for p in LOOPED])
def test_looped_example_sets_holds_and_resets(path):
    """A loop has no truth table; the latch is checked in time steps instead (inputs are active low)."""
    g = load_graph(path)
    assert g.name and g.expected is None
    #          set     hold    reset   hold
    rows = [[0, 1], [1, 1], [1, 0], [1, 1]]
    run = run_sequence(g, rows)
    assert run.output_names == ["Q", "Qbar"] and (run.steps >= 0).all()
    assert run.outputs.tolist() == [[1, 0], [1, 0], [0, 1], [0, 1]]


def test_the_nand_example_is_the_books_perceptron():
    g = load_graph(examples_dir() / "nand.json")
    assert sorted(w.weight for w in g.wires.values()) == [-2, -2]
    assert [n.bias for n in g.neurons()] == [3]
    _, O = compile_graph(g).truth_table()
    assert O.ravel().tolist() == [1, 1, 1, 0]
