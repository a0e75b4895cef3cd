"""Response lab numbers: sweeps, z = 0 crossings, sensitivities, nudges and the scale-c curve."""

import numpy as np
import pytest

from nnsim.core.circuit.compile import compile_graph
from nnsim.core.errors import UserError
from nnsim.core.circuit.graph import Graph
from nnsim.core.response import (nudge_curve, parse_inputs, resolve_param, scale_curve, sensitivity, sweep,
                                 sweep_states, with_activation)


def xor_of_nands(activation: str = "step") -> Graph:
    """XOR from four NAND perceptrons (w = −2, −2, b = 3)."""
    g = Graph("xor")
    g.add_input("a", id="a")
    g.add_input("b", id="b")
    for nid in ("n1", "n2", "n3", "out"):
        g.add_neuron(nid, activation, bias=3, id=nid)
    for s, t in (("a", "n1"), ("b", "n1"), ("a", "n2"), ("n1", "n2"), ("n1", "n3"), ("b", "n3"),
                 ("n2", "out"), ("n3", "out")):
        g.connect(s, t, -2, id=f"{s}_{t}")
    return g


def test_perceptron_sweep_is_binary_and_jumps_where_z_crosses_zero():
    g = xor_of_nands()
    res = sweep(g, "w:a->n1", np.linspace(-6, 6, 1201), inputs=[1, 1])
    out = res.outputs["as_is"][:, 0]
    assert set(np.unique(out)) <= {0.0, 1.0}
    assert res.crossings, "a sweep over ±6 must cross some z = 0"
    # n1's z = w − 2 + 3 = w + 1: it flips at w = −1 exactly.
    n1 = [c for c in res.crossings if c.node_id == "n1"]
    assert len(n1) == 1 and n1[0].value == pytest.approx(-1.0, abs=1e-9)
    # every jump of the output lies between two samples that bracket a crossing
    jumps = np.flatnonzero(np.diff(out) != 0)
    assert len(jumps) >= 1
    for k in jumps:
        lo, hi = res.values[k], res.values[k + 1]
        assert any(lo <= c.value <= hi for c in res.crossings)
    # and the perceptron variant of a perceptron circuit is the circuit itself
    assert np.array_equal(res.outputs["perceptron"], res.outputs["as_is"])


def test_sigmoid_sweep_is_smooth_and_monotone():
    g = with_activation(xor_of_nands(), "sigmoid")
    values = np.linspace(-8, 8, 801)
    res = sweep(g, "w:n2->out", values, inputs=[1, 0])
    out = res.outputs["as_is"][:, 0]
    assert np.all((out > 0) & (out < 1))
    # monotone: out = σ(w·a_n2 + …) with a_n2 > 0 moves one way only as w grows
    d = np.diff(out)
    assert np.all(d > 0) or np.all(d < 0)
    # smooth: no step is bigger than the largest slope allows (σ' ≤ ¼ times a_n2 ≤ 1)
    assert np.max(np.abs(d)) <= 0.25 * (values[1] - values[0]) + 1e-12
    # the all-perceptron overlay of the same parameters still jumps
    assert set(np.unique(res.outputs["perceptron"])) <= {0.0, 1.0}


def test_sweep_states_matches_circuit_sweep_and_leaves_circuit():
    g = with_activation(xor_of_nands(), "sigmoid")
    c = compile_graph(g)
    p = c.param("b:n3")
    before = c.param_vector()
    a, z = sweep_states(g, p, [0, 1], np.linspace(-3, 3, 7), circuit=c)
    assert np.allclose(a[:, c.output_cols], c.sweep([0, 1], p, np.linspace(-3, 3, 7)))
    assert np.array_equal(c.param_vector(), before)
    assert z.shape == a.shape
    # z of the bias's own neuron moves one for one with the bias; a is f(z) everywhere
    assert np.allclose(np.diff(z[:, c.col["n3"]]), 1.0)
    assert np.allclose(a[:, c.neuron_cols], 1 / (1 + np.exp(-z[:, c.neuron_cols])))
    # a weight: every row agrees with a run of the circuit with that weight set
    w = c.param("w:n1->n2")
    a, z = sweep_states(g, w, [1, 0], [-1.0, 0.5, 2.0], circuit=c)
    for k, v in enumerate([-1.0, 0.5, 2.0]):
        c.set_param(w, v)
        a_k, z_k = c.run([[1, 0]])
        assert np.allclose(a[k], a_k[0]) and np.allclose(z[k], z_k[0])
    c.set_param_vector(before)


def test_predicted_change_matches_actual_to_first_order():
    g = with_activation(xor_of_nands(), "sigmoid")
    c = compile_graph(g)
    deltas = np.array([0.4, 0.2, 0.1, 0.05])
    predicted, actual = nudge_curve(c, [1, 0], "w:a->n2", deltas)
    error = np.abs(actual - predicted)
    assert np.all(np.abs(predicted) > 0)
    ratios = error[:-1] / error[1:]
    assert np.all((ratios > 3.0) & (ratios < 5.0)), ratios   # halving Δ quarters the error: O(Δ²)


def test_sensitivity_is_sorted_and_predicts_small_nudges():
    g = with_activation(xor_of_nands(), "sigmoid")
    c = compile_graph(g)
    rows = sensitivity(c, [1, 0], delta=1e-3)
    assert len(rows) == len(c.params)
    sizes = [abs(r.gradient[0]) for r in rows]
    assert sizes == sorted(sizes, reverse=True)
    for r in rows:
        assert r.actual[0] == pytest.approx(r.predicted[0], abs=1e-5)
    # perceptrons: every ∂O/∂p is 0, but a big enough nudge flips the output
    cp = compile_graph(xor_of_nands())
    rows = sensitivity(cp, [1, 1], delta=2.5)
    assert all(r.gradient[0] == 0 for r in rows)
    assert any(abs(r.actual[0]) == 1 for r in rows)


def test_param_ids_by_label_or_id_and_bad_ones():
    g = xor_of_nands()
    g.set_node("n1", label="first")
    c = compile_graph(g)
    assert resolve_param(c, "w:first->n2") == resolve_param(c, "w:n1->n2")
    assert resolve_param(c, ("b", "n1")).name == "b:first"
    with pytest.raises(UserError, match="no parameter"):
        resolve_param(c, "w:a->zz")
    with pytest.raises(UserError, match="2 finite input values"):
        parse_inputs("1,0,1", c)
    assert parse_inputs("1, 0", c).tolist() == [1.0, 0.0]


def test_scale_curve_agrees_with_the_logic_min_scale_and_names_zero_rows():
    from nnsim.core.logic import scale_report, to_sigmoid

    g = xor_of_nands()
    curve = scale_curve(g)
    c_min = scale_report(g).min_scale
    assert curve.min_scale == c_min and c_min is not None
    works = curve.error < 0.5
    assert np.all(works[curve.scales >= c_min]) and not np.any(works[curve.scales < c_min * (1 - 1e-6)])
    assert works[-1] and not works[0]
    # the error falls as c grows past the smallest working c
    assert np.all(np.diff(curve.error[curve.scales >= c_min]) <= 1e-12)
    assert curve.zero_rows == []
    _, out = compile_graph(to_sigmoid(g, 2 * c_min)).truth_table()
    assert np.array_equal(np.round(out[:, 0]), [0, 1, 1, 0])
    # a neuron with bias 0 sees z = 0 when its input is 0: no scale fixes that row
    h = Graph("buffer")
    h.add_input("x", id="x")
    h.add_neuron("y", bias=0, id="y")
    h.connect("x", "y", 1, id="w")
    curve = scale_curve(h, [1, 10, 1000])
    assert curve.min_scale is None and curve.zero_rows == [((0,), ["y"])]
    assert np.allclose(curve.error, 0.5)


def test_sweep_of_a_looped_latch_settles_each_value():
    from nnsim.core.logic import build

    g = build("sr-latch")
    c = compile_graph(g)
    assert c.has_loop
    p = c.params[-1]                       # a bias
    res = sweep(g, p, np.linspace(-4, 6, 21), inputs=np.ones(c.n_inputs))
    assert res.outputs["as_is"].shape == (21, len(c.output_ids))
    assert set(np.unique(res.outputs["as_is"])) <= {0.0, 1.0}


def test_nudging_every_parameter_at_once_follows_the_gradient_for_small_steps():
    from nnsim.core.circuit.compile import Circuit
    from nnsim.core.circuit.graph import Graph
    from nnsim.core.response import nudge_all_curve

    g = Graph("two sigmoids")
    g.add_input("a", value=1, id="a")
    g.add_input("b", value=0, id="b")
    g.add_neuron("h", "sigmoid", bias=0.5, id="h")
    g.add_neuron("out", "sigmoid", bias=-0.3, id="out")
    g.connect("a", "h", 1.2, id="w1")
    g.connect("b", "h", -0.7, id="w2")
    g.connect("h", "out", 2.0, id="w3")
    c = Circuit(g)
    x = np.array([1.0, 0.0])
    start = c.param_vector()
    scales = np.linspace(-2, 2, 81)
    predicted, actual = nudge_all_curve(c, x, scales, seed=3)
    np.testing.assert_array_equal(c.param_vector(), start)  # left as it was
    u = np.random.default_rng(3).standard_normal(len(start))
    assert predicted[-1] == pytest.approx(c.gradients(x[None])[0, 0] @ u * 2.0)
    small = np.abs(scales) <= 0.05
    np.testing.assert_allclose(actual[small], predicted[small], atol=2e-3)
    assert np.max(np.abs(actual - predicted)) > 0.05  # a large nudge leaves the straight line
    c.set_param_vector(start + 2.0 * u)
    moved = c.feedforward(x[None])[0, 0]
    c.set_param_vector(start)
    assert actual[-1] == pytest.approx(moved - c.feedforward(x[None])[0, 0])


def test_lively_choice_tries_fewer_parameters_in_a_big_network(monkeypatch):
    """No single parameter moves the top bit of a multiplier at 0 × 0; a network of 10,000 neurons gets
    only as many whole-network sweeps as LIVELY_WORK allows before lively_choice gives up."""
    from nnsim.core import logic, response
    from nnsim.core.circuit.compile import Circuit

    sweeps = []
    real = Circuit.sweep_states
    monkeypatch.setattr(Circuit, "sweep_states", lambda self, *a: sweeps.append(1) or real(self, *a))
    big = compile_graph(logic.multiplier(32))
    assert response.lively_choice(big) is None
    size = len(big.columns) - big.n_inputs
    assert len(sweeps) == max(response.LIVELY_MIN_TRIES, response.LIVELY_WORK // size) < response.LIVELY_BUDGET
    sweeps.clear()
    small = compile_graph(xor_of_nands())
    assert response.lively_choice(small) == (("b", "out"), pytest.approx(small.input_values))
    assert len(sweeps) == 1
