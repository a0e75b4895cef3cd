"""Compiled evaluation: batches, truth tables, gradients against finite differences, ΔO prediction,
sweeps, time steps for looped graphs, and a circuit that follows edits."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

from nnsim.core.circuit.compile import LiveCircuit, binary_rows, compile_graph
from nnsim.core.circuit.graph import Graph
from nnsim.core.circuit.random_graph import random_feedforward

ALL = ("sigmoid", "tanh", "step", "relu", "linear", "softplus")
SMOOTH = ("sigmoid", "tanh", "linear", "softplus")




def test_nand_truth_table_in_binary_counting_order(nand):
    X, O = compile_graph(nand).truth_table()
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert O.ravel().tolist() == [1, 1, 1, 0]


def test_binary_rows_first_input_is_most_significant():
    assert binary_rows(3)[5].tolist() == [1, 0, 1]
    with pytest.raises(ValueError, match="at most"):
        binary_rows(21)


def row_by_row(g: Graph, X: np.ndarray) -> np.ndarray:
    """Reference: evaluate each row neuron by neuron in topological order, plain Python."""
    from nnsim.core import activations
    from nnsim.core.circuit.order import topological_order

    out = []
    for x in X:
        val = {n.id: v for n, v in zip(g.inputs(), x)}
        for nid in topological_order(g):
            node = g.nodes[nid]
            z = node.bias + sum(w.weight * val[w.source] for w in g.wires_into(nid))
            val[nid] = float(activations.get(node.activation)(np.array(z), g.sigmoid_base))
        out.append([val[o.id] for o in g.outputs()])
    return np.array(out)


@given(seed=st.integers(0, 100_000), n_in=st.integers(1, 5), n_neurons=st.integers(1, 12),
       fan_in=st.integers(1, 4))
def test_batch_evaluation_equals_row_by_row(seed, n_in, n_neurons, fan_in):
    g = random_feedforward(n_in, n_neurons, fan_in=fan_in, activations=ALL, seed=seed)
    X, O = compile_graph(g).truth_table()
    np.testing.assert_allclose(O, row_by_row(g, X), rtol=1e-12, atol=1e-12)


@given(seed=st.integers(0, 100_000), n_neurons=st.integers(1, 10))
def test_gradients_match_central_differences(seed, n_neurons):
    g = random_feedforward(3, n_neurons, fan_in=3, activations=SMOOTH, seed=seed)
    c = compile_graph(g)
    X = np.random.default_rng(seed).uniform(-1, 1, size=(4, 3))
    grad = c.gradients(X)
    h = 1e-6
    for i, p in enumerate(c.params):
        v = c.get_param(p)
        c.set_param(p, v + h)
        up = c.feedforward(X)
        c.set_param(p, v - h)
        down = c.feedforward(X)
        c.set_param(p, v)
        np.testing.assert_allclose(grad[:, :, i], (up - down) / (2 * h), rtol=1e-5, atol=1e-7)


def test_perceptron_gradients_are_zero(nand):
    c = compile_graph(nand)
    assert not c.gradients(binary_rows(2)).any()


def test_predicted_change_is_first_order():
    g = random_feedforward(3, 8, activations=("sigmoid",), seed=3)
    c = compile_graph(g)
    x = [[0.5, -0.2, 1.0]]
    errors = []
    for delta in (1e-1, 1e-2, 1e-3):
        changes = {p: delta * (1 if i % 2 else -1) for i, p in enumerate(c.params)}
        predicted, actual = c.predict_change(x, changes)
        errors.append(np.max(np.abs(predicted - actual)))
    assert errors[1] < errors[0] / 50 and errors[2] < errors[1] / 50  # error shrinks like Δ²
    before = c.param_vector()
    c.predict_change(x, {c.params[0].name: 0.3})
    np.testing.assert_array_equal(c.param_vector(), before)


def test_param_names_and_lookup_by_label_or_id(nand):
    c = compile_graph(nand)
    assert [p.name for p in c.params] == ["w:x1:out", "w:x2:out", "b:out"]
    assert c.param("w:x1->n1").id == "w1" and c.param("b:n1").id == "n1"
    with pytest.raises(KeyError, match="no parameter"):
        c.param("w:x1->x2")


def test_sweep_matches_evaluating_each_value():
    g = random_feedforward(2, 9, activations=("sigmoid", "tanh"), seed=5)
    c = compile_graph(g)
    x = np.array([0.3, -0.7])
    values = np.linspace(-3, 3, 25)
    for p in (c.params[2], c.params[-1]):
        swept = c.sweep(x, p, values)
        old = c.get_param(p)
        expect = []
        for v in values:
            c.set_param(p, v)
            expect.append(c.feedforward(x[None])[0])
        c.set_param(p, old)
        np.testing.assert_allclose(swept, np.array(expect), atol=1e-12)


def latch() -> Graph:
    """An S̄R̄ latch: two NAND perceptrons feeding each other."""
    g = Graph("latch")
    g.add_input("S_", id="s")
    g.add_input("R_", id="r")
    g.add_neuron("Q", bias=3, output=True, id="q")
    g.add_neuron("Qbar", bias=3, output=True, id="qb")
    g.connect("s", "q", -2)
    g.connect("qb", "q", -2)
    g.connect("r", "qb", -2)
    g.connect("q", "qb", -2)
    return g


def test_latch_runs_in_time_steps_and_holds_its_bit():
    c = compile_graph(latch())
    assert c.has_loop
    set_ = c.settle([[0, 1]])
    assert set_.a[0, c.output_cols].tolist() == [1, 0] and set_.steps[0] >= 1
    held = c.settle([[1, 1]], state=set_.a)
    assert held.a[0, c.output_cols].tolist() == [1, 0] and held.steps[0] == 0
    reset = c.settle([[1, 0]], state=held.a)
    assert reset.a[0, c.output_cols].tolist() == [0, 1]
    assert c.settle([[1, 1]], state=reset.a).a[0, c.output_cols].tolist() == [0, 1]


def test_oscillation_is_reported_with_its_period():
    res = compile_graph(latch()).settle([[1, 1]])  # both outputs start at 0: they flip together forever
    assert res.oscillating[0] and res.period[0] == 2


def test_feedforward_graph_settles_to_the_levelled_result():
    g = random_feedforward(3, 10, activations=("step",), seed=2)
    c = compile_graph(g)
    X = binary_rows(3)
    res = c.settle(X)
    assert np.all(res.steps <= c.depth)
    np.testing.assert_array_equal(res.a[:, c.output_cols], c.feedforward(X))


def test_live_circuit_patches_parameters_and_recompiles_on_structure(nand):
    g = nand
    live = LiveCircuit(g)
    first = live.circuit
    g.set_weight("w1", 4.0)
    g.set_node("n1", bias=-1.0)
    assert live.circuit is first and live.circuit.feedforward([[1, 0]])[0, 0] == 1
    g.set_node("x1", value=1.0)
    assert live.circuit.input_values.tolist() == [1.0, 0.0]
    g.add_neuron("extra", id="e")
    assert live.circuit is not first and len(live.circuit.output_ids) == 2


def test_wrong_row_width_is_refused(nand):
    with pytest.raises(ValueError, match="2 input values"):
        compile_graph(nand).feedforward([[1, 0, 1]])


def test_live_circuit_follows_relabelling(nand):
    live = LiveCircuit(nand)
    assert live.circuit.params[0].name == "w:x1:out"
    nand.set_node("n1", label="nand")
    assert live.circuit.params[0].name == "w:x1:nand" and live.circuit.labels["n1"] == "nand"
