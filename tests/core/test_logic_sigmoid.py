"""Perceptron → sigmoid conversion, the scale report, and perceptron scale invariance."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nnsim.core import logic
from nnsim.core.circuit.chips import flatten
from nnsim.core.circuit.compile import compile_graph
from nnsim.core.errors import UserError
from nnsim.core.circuit.graph import Graph
from nnsim.core.circuit.random_graph import random_feedforward


def _table(g):
    return compile_graph(g).truth_table()[1]


@settings(max_examples=25)
@given(seed=st.integers(0, 10_000), c=st.floats(1e-3, 1e3))
def test_scaling_a_random_perceptron_network_changes_nothing(seed, c):
    g = random_feedforward(4, 8, activations=("step",), seed=seed)
    np.testing.assert_array_equal(_table(logic.scale(g, c)), _table(g))


@pytest.mark.parametrize("c", [1e-6, 0.37, 1.0, 42.0, 1e9])
def test_scaling_nand_circuits_changes_nothing(c):
    for g in (logic.build("xor"), logic.adder(3), logic.build("mux")):
        scaled = logic.scale(g, c)
        np.testing.assert_array_equal(_table(scaled), _table(g))
        flat, flat_scaled = flatten(g), flatten(scaled)   # the adder is made of chips: every weight inside
        weights = lambda f: [w.weight for w in f.wires.values() if f.nodes[w.target].kind == "neuron"]  # noqa: E731
        assert weights(flat_scaled) == [w * c for w in weights(flat)]


@pytest.mark.parametrize("c", [0.25, 4.0, 1024.0])
def test_scale_invariance_holds_exactly_even_on_z_zero_rows_for_powers_of_two(c):
    g = Graph()
    a, b = g.add_input("a").id, g.add_input("b").id
    n = g.add_neuron("y", bias=-1)
    g.connect(a, n.id, 1)
    g.connect(b, n.id, 1)           # z = a + b - 1 is 0 on rows 01 and 10
    np.testing.assert_array_equal(_table(logic.scale(g, c)), _table(g))


@pytest.mark.parametrize("bad", [0, -1, math.inf, math.nan])
def test_scale_must_be_positive_and_finite(bad):
    with pytest.raises(UserError, match="above 0"):
        logic.to_sigmoid(logic.build("nand"), bad)
    with pytest.raises(UserError):
        logic.scale(logic.build("nand"), bad)


def test_to_sigmoid_multiplies_weights_and_biases_of_perceptrons():
    g = logic.build("half-adder")
    s = logic.to_sigmoid(g, 5.0)
    assert {n.activation for n in s.neurons()} == {"sigmoid"}
    assert [w.weight for w in s.wires.values()] == [5 * w.weight for w in g.wires.values()]
    assert [n.bias for n in s.neurons()] == [5 * n.bias for n in g.neurons()]
    assert {n.activation for n in g.neurons()} == {"step"}   # the original is untouched


def test_scale_report_of_the_adder_works_at_c_and_fails_below():
    g = logic.adder(4)
    report = logic.scale_report(g)
    assert report.exhaustive and len(report.rows) == 256
    assert report.margin == 1.0 and report.zero_rows == []
    c = report.min_scale
    assert 1 < c < 10
    perceptron = _table(g)
    at_c = _table(logic.to_sigmoid(g, c))
    below = _table(logic.to_sigmoid(g, c * (1 - 1e-6)))
    assert np.array_equal(np.round(at_c), perceptron) and np.all(np.abs(at_c - perceptron) < 0.5)
    assert np.any(np.abs(below - perceptron) >= 0.5)
    errors = logic.sigmoid_error(g, [c * 0.5, c * (1 - 1e-6), c, 2 * c, 100 * c])
    assert errors[0] >= 0.5 and errors[1] >= 0.5 and np.all(errors[2:] < 0.5)
    assert errors[4] < 1e-6                    # large c: the sigmoids are nearly steps


def test_scale_report_names_z_zero_rows_and_finds_no_c():
    g = Graph("or with a tie")
    a, b = g.add_input("a").id, g.add_input("b").id
    n = g.add_neuron("y", bias=-1)
    g.connect(a, n.id, 1)
    g.connect(b, n.id, 1)                      # z = 0 when exactly one input is 1: the step says 0
    report = logic.scale_report(g)
    assert report.margin == 0
    assert report.zero_rows == [1, 2] and report.zero_row_inputs() == [(0, 1), (1, 0)]
    assert report.zero_neurons == ["y"]
    assert report.min_scale is None            # σ(c·0) = 1/2 never rounds to the step's 0


def test_scale_report_for_a_small_margin_needs_a_large_c():
    g = Graph()
    a = g.add_input("a").id
    n = g.add_neuron("y", bias=-0.001)
    g.connect(a, n.id, 1)                      # z = -0.001 or 0.999
    report = logic.scale_report(g)
    assert report.margin == pytest.approx(0.001)
    # σ(-0.001·c) < 1/2 and σ(0.999·c) > 1/2 for every c > 0: a single neuron works at any c
    assert report.min_scale == 0.0


def test_scale_report_samples_rows_of_a_wide_circuit():
    report = logic.scale_report(logic.adder(16), samples=300, seed=1)
    assert not report.exhaustive and len(report.rows) == 302
    assert report.margin == 1.0 and report.min_scale > 1


def test_scale_report_needs_perceptrons_only():
    g = logic.to_sigmoid(logic.build("xor"), 3)
    with pytest.raises(UserError, match="not a perceptron network"):
        logic.scale_report(g)
    with pytest.raises(UserError, match="loop"):
        logic.scale_report(logic.build("sr-latch"))


@pytest.mark.parametrize("make", [lambda: logic.build("xor"), lambda: logic.build("mux"),
                                  lambda: logic.build("full-adder"), lambda: logic.adder(2, carry_in=True),
                                  lambda: logic.build("xnor")],
                         ids=["xor", "mux", "full-adder", "adder2-cin", "xnor"])
def test_reported_scale_is_the_edge_between_failing_and_working(make):
    g = make()
    c = logic.scale_report(g).min_scale
    below, at, above = logic.sigmoid_error(g, [c * (1 - 1e-6), c, c * 1.01])
    assert below >= 0.5 > at and above < 0.5


def test_a_single_perceptron_works_at_every_scale():
    # one neuron: σ(c·z) is on the right side of ½ whenever z ≠ 0, for every c > 0
    assert logic.scale_report(logic.build("or-direct")).min_scale == 0.0
