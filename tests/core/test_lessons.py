"""The lesson check kinds (nnsim.core.lessons) and the condition language (nnsim.core.conditions), on
networks built here. The shipped lessons are checked in tests/io/test_lessonfile.py."""

import math
import re

import numpy as np
import pytest

from nnsim.core.circuit.graph import Graph
from nnsim.core.conditions import NodeMissing, parse_condition
from nnsim.core.expressions import ExpressionError
from nnsim.core.learning import encodings
from nnsim.core.lessons import (KINDS, CheckError, Lesson, Step, Work, check_lesson, make_check, run_check,
                                step_verdict)
from nnsim.core.logic.gates import CircuitBuilder, build
from nnsim.core.logic.sigmoid_limit import to_sigmoid


def xor_graph(names=("x1", "x2", "y")) -> Graph:
    b = CircuitBuilder()
    x1, x2 = b.input(names[0]), b.input(names[1])
    return b.graph("xor", [b.xor(x1, x2, names[2])])


def verdict(spec, graph=None, **answers):
    return run_check(make_check(spec), Work(graph if graph is not None else Graph(), answers))


def test_every_kind_is_registered():
    assert set(KINDS) == {"table", "nand_only", "max_neurons", "condition", "output_at", "sigmoid_twin",
                          "accuracy", "binary_layer", "number", "choice"}


# ----- table ------------------------------------------------------------------------------------------
def test_table_passes_with_names_matched_in_any_order():
    g = xor_graph(("x2", "x1", "y"))   # the inputs in the other order
    v = verdict({"kind": "table", "expression": "y = x1 ^ x2"}, g)
    assert v.passed and "All 4 rows" in v.reason


def test_table_names_the_wrong_row_and_what_it_gave():
    b = CircuitBuilder()
    x1, x2 = b.input("x1"), b.input("x2")
    g = b.graph("or", [b.or_(x1, x2, "y")])
    v = verdict({"kind": "table", "expression": "y = x1 ^ x2"}, g)
    assert not v.passed
    assert v.reason == "When x1 = 1, x2 = 1: y should be 0 but your network gives 1."


def test_table_says_which_names_are_missing():
    v = verdict({"kind": "table", "expression": "y = x1 ^ x2"}, xor_graph(("a", "b", "y")))
    assert not v.passed and "needs the inputs x1, x2" in v.reason and "a, b" in v.reason
    v = verdict({"kind": "table", "expression": "y = x1 ^ x2"}, xor_graph(("x1", "x2", "out")))
    assert not v.passed and "no output called y" in v.reason and "out" in v.reason


def test_table_over_more_inputs_than_the_expression_uses():
    b = CircuitBuilder()
    a, c = b.input("a"), b.input("c")
    g = b.graph("not", [b.not_(a, "not_a")])
    g.add_input("c2")  # a third input the expression does not use
    check = make_check({"kind": "table", "inputs": ["a", "c", "c2"], "expression": "not_a = ~a"})
    assert run_check(check, Work(g)).passed
    with pytest.raises(CheckError, match="leaves out 'a'"):
        make_check({"kind": "table", "inputs": ["c"], "expression": "not_a = ~a"})


def test_table_reads_sigmoid_outputs_as_the_one_comparison_does():
    g = to_sigmoid(xor_graph(), 10.0)   # outputs near 0 and 1, never exactly
    assert verdict({"kind": "table", "expression": "y = x1 ^ x2"}, g).passed


def test_table_from_rows_and_bad_tables():
    spec = {"kind": "table", "inputs": ["x1", "x2"], "outputs": ["y"], "rows": [[0], [1], [1], [0]]}
    assert verdict(spec, xor_graph()).passed
    with pytest.raises(CheckError):
        make_check({"kind": "table", "inputs": ["x1"], "outputs": ["y"], "rows": [[0], [1], [1]]})
    with pytest.raises(CheckError, match="expression"):
        make_check({"kind": "table", "expression": "y = x1 ^"})


def test_a_looped_network_is_a_failing_verdict_not_an_error():
    g = build("sr-latch")
    names = [n.name for n in g.inputs()]
    v = verdict({"kind": "table", "inputs": names, "outputs": [g.outputs()[0].name],
                 "rows": [[0]] * 2 ** len(names)}, g)
    assert not v.passed and "loop" in v.reason


# ----- NAND only, neuron count --------------------------------------------------------------------------
def test_nand_only_accepts_the_book_circuits_with_the_minus_four_wire():
    assert verdict({"kind": "nand_only"}, build("adder", 2)).passed   # its carries use one −4 wire


@pytest.mark.parametrize("change, words", [
    (lambda g: g.set_node("y", bias=2), "y has bias 2; a NAND perceptron has bias 3"),
    (lambda g: g.set_node("y", activation="sigmoid"), "y is a sigmoid neuron"),
    (lambda g: g.set_weight(g.wires_into("y")[0].id, -3), "y has incoming weights −3, −2"),
])
def test_nand_only_names_the_neuron_and_the_reason(change, words):
    g = xor_graph()
    change(g)
    v = verdict({"kind": "nand_only"}, g)
    assert not v.passed and words in v.reason


def test_nand_only_with_no_neurons():
    assert "no neurons" in verdict({"kind": "nand_only"}, Graph()).reason


def test_max_neurons():
    assert verdict({"kind": "max_neurons", "k": 4}, xor_graph()).passed
    v = verdict({"kind": "max_neurons", "k": 3}, xor_graph())
    assert not v.passed and v.reason == "Your network has 4 neurons; this can be done with 3."
    with pytest.raises(CheckError, match="at least 1"):
        make_check({"kind": "max_neurons", "k": 0})


# ----- conditions --------------------------------------------------------------------------------------
def perceptron() -> Graph:
    g = Graph()
    g.add_input("x1", id="x1")
    g.add_input("x2", id="x2")
    g.add_neuron("go", bias=-5, id="go")
    g.connect("x1", "go", 6)
    g.connect("x2", "go", 2)
    return g


def test_condition_reports_the_values_it_read():
    v = verdict({"kind": "condition", "test": "bias(go) > -6 and weight(x1, go) == 6"}, perceptron())
    assert v.passed
    v = verdict({"kind": "condition", "test": "threshold(go) > 6", "message": "Raise the threshold."}, perceptron())
    assert not v.passed
    assert v.reason == "Raise the threshold. threshold(go) > 6 does not hold: your network has threshold(go) = 5."


def test_condition_language():
    g = perceptron()
    for text, want in [("weight(x1, go) / bias(go) == -6/5", True), ("weight(x2, x1) == 0", True),
                       ("activation(go) == 'step'", True), ("base() > 2.7 and neurons() == 1 and wires() == 2", True),
                       ("max(weight(x1, go), weight(x2, go)) == 6 and abs(bias(go)) == 5", True),
                       ("not bias(go) < 0", False), ("1 < 2 < 1", False), ("bias(go) / 0 > 0", False),
                       ('bias("go") == -5', True)]:
        assert parse_condition(text).evaluate(g)[0] is want, text


@pytest.mark.parametrize("text, words", [
    ("__import__('os').system('true')", "unknown function"), ("bias(go).real", "not part of the condition"),
    ("go > 1", "means nothing here"), ("bias(go) ** 2 > 1", "only + − * /"), ("bias(go, x1)", "takes 1"),
    ("bias(go) >", "cannot read"), ("", "empty"), ("[1][0] == 1", "not part of"), ("bias(1) > 0", "node names"),
])
def test_condition_rejects_anything_else(text, words):
    with pytest.raises(ExpressionError, match=re.escape(words)):
        parse_condition(text)


def test_condition_on_a_missing_node():
    with pytest.raises(NodeMissing):
        parse_condition("bias(nope) > 0").evaluate(perceptron())
    v = verdict({"kind": "condition", "test": "bias(nope) > 0"}, perceptron())
    assert not v.passed and "no node called nope" in v.reason


# ----- outputs at given inputs, sigmoid twin --------------------------------------------------------------
def test_output_at():
    g = Graph()
    g.add_input("x", value=0, id="x")
    g.add_neuron("out", activation="sigmoid", bias=0, id="out")
    g.connect("x", "out", 1)
    v = verdict({"kind": "output_at", "inputs": {"x": 1}, "output": "out", "value": 0.7311, "tolerance": 1e-3}, g)
    assert v.passed and "0.7311" in v.reason
    v = verdict({"kind": "output_at", "cases": [{"inputs": {"x": 0}, "value": 0.5},
                                                {"inputs": {"x": 1}, "value": 0.9}], "tolerance": 0.01}, g)
    assert not v.passed and v.reason == "With x = 1, out should be 0.9 (± 0.01) but your network gives 0.7311."
    assert "no input called z" in verdict({"kind": "output_at", "inputs": {"z": 1}, "value": 1}, g).reason
    with pytest.raises(CheckError):
        make_check({"kind": "output_at", "inputs": {"x": 1}})


def test_sigmoid_twin_large_c_passes_small_c_says_by_how_much():
    g = xor_graph()
    assert verdict({"kind": "sigmoid_twin", "epsilon": 0.01}, to_sigmoid(g, 10)).passed
    v = verdict({"kind": "sigmoid_twin", "epsilon": 0.01}, to_sigmoid(g, 1))
    assert not v.passed and "larger c" in v.reason and "x1 = 1, x2 = 1" in v.reason
    assert "is not a sigmoid neuron" in verdict({"kind": "sigmoid_twin", "epsilon": 0.01}, g).reason


def test_sigmoid_twin_names_a_zero_row():
    g = Graph()
    g.add_input("a", id="a")
    g.add_input("b", id="b")
    g.add_neuron("y", activation="sigmoid", bias=-1, id="y")   # z = 0 when exactly one input is 1
    g.connect("a", "y", 1)
    g.connect("b", "y", 1)
    v = verdict({"kind": "sigmoid_twin", "epsilon": 0.01}, g)
    assert not v.passed and "z = 0 exactly" in v.reason and "a = 0, b = 1" in v.reason


# ----- numbers and choices -------------------------------------------------------------------------------
def test_number():
    spec = {"kind": "number", "answer": "b", "value": -7, "tolerance": 0.1, "label": "the bias"}
    assert verdict(spec, b=-7.05).passed
    assert verdict(spec, b=-6).reason == "−6 is too big."
    assert verdict(spec, b=-8).reason == "−8 is too small."
    assert verdict(spec).reason == "Type the bias as a number first."
    assert make_check(spec).fields()[0].kind == "number"


def test_choice():
    spec = {"kind": "choice", "answer": "q", "options": ["yes", "no", "maybe"], "correct": "b",
            "why": {"a": "Because not."}}
    assert verdict(spec, q="b").passed
    assert verdict(spec, q="a").reason == "Not (a): Because not."
    assert "read the step again" in verdict(spec, q="c").reason
    assert "Pick one" in verdict(spec).reason
    with pytest.raises(CheckError, match="one of a, b, c"):
        make_check({**spec, "correct": "d"})
    with pytest.raises(CheckError, match="unknown key 'corect'"):
        make_check({**spec, "corect": "b"})
    with pytest.raises(CheckError, match="unknown check kind"):
        make_check({"kind": "essay"})


# ----- MNIST kinds on a small synthetic data set ---------------------------------------------------------
class TinyData:
    """Two separable classes of 784-pixel images (seeded), standing in for MNIST."""

    def __init__(self, n=400, seed=0):
        rng = np.random.default_rng(seed)
        y = rng.integers(0, 2, n)
        X = rng.random((n, 784)).astype(np.float32) * 0.2
        X[y == 1, :392] += 0.7
        self.training = (X[: n // 2], y[: n // 2])
        self.test = (X[n // 2:], y[n // 2:])


def test_accuracy_trains_with_the_students_settings():
    data = TinyData()
    spec = {"kind": "accuracy", "min_accuracy": 90, "ask": ["eta", "epochs"], "hidden": 5,
            "mini_batch_size": 10}
    check = make_check(spec)
    assert [f.name for f in check.fields()] == ["eta", "epochs"]
    ok = run_check(check, Work(Graph(), {"eta": 3.0, "epochs": 3}, mnist=lambda: data))
    assert ok.passed, ok.reason
    slow = run_check(check, Work(Graph(), {"eta": 1e-4, "epochs": 1}, mnist=lambda: data))
    assert not slow.passed and "at least 90 % is needed" in slow.reason
    assert "Type the epochs" in run_check(check, Work(Graph(), {"eta": 3.0})).reason
    assert "between 1 and 30" in run_check(check, Work(Graph(), {"eta": 3.0, "epochs": 99})).reason


def test_binary_layer_on_its_right_and_reversed_answers():
    data = TinyData()
    check = make_check({"kind": "binary_layer", "min_agreement": 90, "epochs": 2, "hidden": 5})
    W, b = encodings.binary_layer()
    cache = {}
    right = run_check(check, Work(Graph(), {"layer": {"weights": W.tolist(), "biases": b.tolist()}},
                                  mnist=lambda: data, cache=cache))
    assert right.passed, right.reason
    wrong = run_check(check, Work(Graph(), {"layer": {"weights": W[::-1].tolist(), "biases": b.tolist()}},
                                  mnist=lambda: data, cache=cache))
    assert not wrong.passed and "your layer gives" in wrong.reason
    assert "Fill in all 40 weights" in run_check(check, Work(Graph(), {"layer": {"weights": [[1]]}})).reason


def test_a_training_check_without_data_fails_with_a_reason():
    check = make_check({"kind": "accuracy", "min_accuracy": 50})
    v = run_check(check, Work(Graph()))
    assert not v.passed and "no data" in v.reason


# ----- lessons ------------------------------------------------------------------------------------------
def test_check_lesson_runs_every_step_and_step_verdict_joins_reasons():
    steps = [Step("one", "", checks=[make_check({"kind": "nand_only"})]),
             Step("two", "", checks=[make_check({"kind": "max_neurons", "k": 1}),
                                     make_check({"kind": "nand_only"})])]
    lesson = Lesson("x", "X", 1, "", Graph(), steps)
    results = check_lesson(lesson, Work(xor_graph()))
    assert [r.step for r in results] == [0, 1, 1]
    v = step_verdict(results)
    assert not v.passed and v.reason == "Your network has 4 neurons; this can be done with 1."
    assert step_verdict([]).passed
    assert math.isclose(len(lesson.fields()), 0)
