"""Teaching a canvas graph its truth table with SGD on the graph's own gradients."""

import numpy as np
import pytest

from nnsim.core.circuit.compile import compile_graph
from nnsim.core.errors import UserError
from nnsim.core.circuit.graph import ExpectedTable, Graph
from nnsim.core.learning.teach import param_edits, target_table, teach, xor_network


def test_xor_is_learned_from_a_fixed_seed():
    g = xor_network(seed=3)
    before = g.snapshot()
    stats = list(teach(g, eta=4.0, epochs=600, report_every=50))
    assert stats[0].epoch == 0 and stats[-1].epoch == 600
    assert stats[0].correct < 4
    assert stats[-1].cost < 0.01 and stats[-1].correct == 4
    assert stats[-1].cost < stats[0].cost / 10
    assert g.snapshot() == before                        # teach never edits the graph itself
    edit = param_edits(g, stats[-1].params, stats[-1].weights)
    edit.apply(g)
    _, out = compile_graph(g).truth_table()
    assert np.array_equal(np.round(out[:, 0]), [0, 1, 1, 0])
    edit.revert(g)
    assert g.snapshot() == before


def test_same_seed_same_run_and_stop():
    a = [s.cost for s in teach(xor_network(3), epochs=50, mini_batch_size=1, seed=7)]
    b = [s.cost for s in teach(xor_network(3), epochs=50, mini_batch_size=1, seed=7)]
    assert a == b
    calls = []

    def stop():
        calls.append(1)
        return len(calls) > 10

    stats = list(teach(xor_network(3), epochs=1000, stop=stop))
    assert stats[-1].epoch == 10 and len(stats) == 12


def test_gradient_step_lowers_the_cost():
    stats = list(teach(xor_network(3), eta=0.05, epochs=3))
    costs = [s.cost for s in stats]
    assert costs[1] < costs[0] and costs[2] < costs[1]


def test_perceptrons_or_missing_table_are_user_errors():
    g = xor_network(0)
    g.set_node("h1", activation="step")
    with pytest.raises(UserError, match="switch h1 to sigmoid"):
        next(teach(g))
    g = xor_network(0)
    g.expected = None
    with pytest.raises(UserError, match="no target truth table"):
        next(teach(g))


def test_target_table_reorders_by_labels():
    g = Graph("and")
    g.add_input("b", id="b")
    g.add_input("a", id="a")
    g.add_neuron("y", "sigmoid", id="y")
    g.connect("a", "y", 1, id="w1")
    g.connect("b", "y", 1, id="w2")
    # "a implies b" in counting order of (a, b): rows a b = 00 01 10 11 → 1 1 0 1
    g.expected = ExpectedTable(["a", "b"], ["y"], [[1], [1], [0], [1]])
    X, Y = target_table(g)
    # rows count in the graph's input order (b, a); the targets follow them
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    for (b, a), (y,) in zip(X, Y):
        assert y == float((not a) or b)


def test_reported_cost_is_the_books_quadratic_cost():
    g = xor_network(seed=2)
    first = next(teach(g, epochs=0))
    X, Y = target_table(g)
    a = compile_graph(g).feedforward(X)
    assert first.cost == pytest.approx(np.sum((Y - a) ** 2) / (2 * len(X)), rel=1e-12)
