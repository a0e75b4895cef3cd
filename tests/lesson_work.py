"""Right and typical wrong work for every shipped lesson, shared by the core, io, CLI and GUI tests.

``RIGHT[id]()`` and ``WRONG[id]()`` return ``(graph, answers)``; ``WRONG_REASON[id]`` is a piece of the reason
the wrong work must fail with. Graphs are built with the core (NAND builder, scaling, conversions), never
copied from the lesson's own hints.
"""

from __future__ import annotations

import math

from nnsim.core.circuit.graph import Graph
from nnsim.core.learning import encodings
from nnsim.core.logic.gates import CircuitBuilder
from nnsim.core.logic.sigmoid_limit import scale, to_sigmoid
from nnsim.io.lessonfile import find_lesson

MNIST_LESSONS = {"mnist-training", "binary-output-layer"}


def start(lesson_id: str) -> Graph:
    return find_lesson(lesson_id).start.copy()


def _wire(g: Graph, source: str, target: str):
    return g.wire_between(g.find(source).id, g.find(target).id)


def _xor(names=("x1", "x2", "y"), four=True) -> Graph:
    b = CircuitBuilder()
    x1, x2 = b.input(names[0]), b.input(names[1])
    if four:
        y = b.xor(x1, x2, names[2])
    else:  # XOR = AND(OR, NAND): right, but six NAND perceptrons
        y = b.and_(b.or_(x1, x2), b.nand(x1, x2), names[2])
    return b.graph("xor", [y])


def perceptron_decision(right):
    g = start("perceptron-decision")
    if right:
        g.set_node("go", bias=-7)
    return g, {"bias": -7, "bigger_bias": "a"}


def nand_perceptron(right):
    g = start("nand-perceptron")
    w = (-1.0, -1.0, 1.5) if right else (2.0, 2.0, -3.0)   # any NAND works; the wrong one is AND
    g.set_weight("w1", w[0])
    g.set_weight("w2", w[1])
    g.set_node("y", bias=w[2])
    return g, {"why_nand": "a"}


def gates_from_nand(right):
    b = CircuitBuilder()
    a, bb = b.input("a"), b.input("b")
    outs = [b.not_(a, "not_a")]
    if right:
        outs.append(b.and_(a, bb, "a_and_b"))
    else:  # the single-perceptron AND: right table, not NAND
        outs.append(b.neuron([(a, 2.0), (bb, 2.0)], -3.0, "a_and_b"))
    outs.append(b.or_(a, bb, "a_or_b"))
    return b.graph("gates", outs), {}


def xor_from_nand(right):
    return _xor(four=right), {}


def adder_from_nand(right):
    b = CircuitBuilder()
    a0, a1, b0, b1 = (b.input(n) for n in ("a0", "a1", "b0", "b1"))
    s0, c0 = b.half_adder(a0, b0, "s0", "c0")
    if right:
        s1, carry = b.full_adder(a1, b1, c0, "s1", "carry")
        outs = [s0, s1, carry]
    else:  # forgot the carry from bit 0
        outs = [s0, c0, b.xor(a1, b1, "s1"), b.and_(a1, b1, "carry")]
    return b.graph("adder", outs), {}


def small_changes(right):
    g = start("small-changes")
    if right:
        g.set_node("out", activation="sigmoid", bias=math.log(3) - 2)
    else:  # moved the bias but left a perceptron
        g.set_node("out", bias=math.log(3) - 2)
    return g, {"perceptron_sweep": "a", "why_glide": "a"}


def sigmoid_scale(right):
    g = start("sigmoid-scale")
    if right:
        g = scale(g, 5.0)
    else:  # scaled the weights, forgot the bias
        for w in g.wires.values():
            w.weight *= 5
    return g, {"why_same": "a", "negative_c": "b"}


def sigmoid_limit(right):
    return to_sigmoid(start("sigmoid-limit"), 10.0 if right else 1.0), {"z_zero_output": 0.5, "limit_exception": "a"}


def sigmoid_base(right):
    g = start("sigmoid-base")
    g.set_setting("sigmoid_base", 2.014)   # the slider's nearest step to 2
    if right:
        g.set_weight("w", 1 / math.log(2.014))
    return g, {"c_base10": math.log(10)}


def linear_change(right):
    from nnsim.core.circuit.compile import compile_graph
    from nnsim.core.response import sensitivity

    g = start("linear-change")
    circuit = compile_graph(g)
    d = {s.param.id: float(s.gradient[0]) for s in sensitivity(circuit, [1.0, 1.0]) if s.param.kind == "w"}
    before = float(circuit.feedforward([[1.0, 1.0]])[0, 0])
    g.set_weight("w1", 0.6)
    g.set_weight("w2", -0.5)
    after = float(compile_graph(g).feedforward([[1.0, 1.0]])[0, 0])
    return g, {"predict_w1": d["w1"] * 0.1 if right else d["w1"],   # wrong: forgot to multiply by Δw
               "predict_both": d["w1"] * 0.1 + d["w2"] * -0.2, "real_change": after - before}


def gradient_descent(right):
    return Graph(), {"bowl_eta": 0.5, "valley_eta": 0.25 if right else 0.5, "valley_big_eta": "a"}


def mnist_training(right):
    settings = {"eta": 3.0, "epochs": 4, "mini_batch_size": 10, "hidden": 50} if right else \
        {"eta": 0.001, "epochs": 1, "mini_batch_size": 10, "hidden": 30}
    return Graph(), {**settings, "eta_small": "a", "eta_big": "a"}


def binary_output_layer(right):
    W, b = encodings.binary_layer()
    if not right:  # bit 0 written first: the rows upside down
        W = W[::-1]
    return Graph(), {"layer": {"weights": W.tolist(), "biases": b.tolist()}}


def baselines(right):
    return Graph(), {"chance": 10, "darkness": 22.25 if right else 50, "svm": "a"}


_MAKERS = {"perceptron-decision": perceptron_decision, "nand-perceptron": nand_perceptron,
           "gates-from-nand": gates_from_nand, "xor-from-nand": xor_from_nand, "adder-from-nand": adder_from_nand,
           "small-changes": small_changes, "sigmoid-scale": sigmoid_scale, "sigmoid-limit": sigmoid_limit,
           "sigmoid-base": sigmoid_base, "linear-change": linear_change, "gradient-descent": gradient_descent,
           "mnist-training": mnist_training, "binary-output-layer": binary_output_layer, "baselines": baselines}
RIGHT = {k: (lambda f=f: f(True)) for k, f in _MAKERS.items()}
WRONG = {k: (lambda f=f: f(False)) for k, f in _MAKERS.items()}

WRONG_REASON = {
    "perceptron-decision": "When weather = 1, partner = 0, transit = 0: go should be 0 but your network gives 1",
    "nand-perceptron": "When x1 = 0, x2 = 0: y should be 1 but your network gives 0",
    "gates-from-nand": "a_and_b has bias −3; a NAND perceptron has bias 3",
    "xor-from-nand": "Your network has 6 neurons; this can be done with 4",
    "adder-from-nand": "When a0 = 1, a1 = 0, b0 = 1, b1 = 0: s1 should be 1 but your network gives 0",
    "small-changes": "Make out a sigmoid neuron and keep its weight 2.",
    "sigmoid-scale": "Multiply both weights and the bias by the same c > 0 (not 1).",
    "sigmoid-limit": "away from its perceptron twin (allowed 0.01)",
    "sigmoid-base": "out should be 0.7311 (± 0.002) but your network gives 0.6682",
    "linear-change": "is too big",
    "gradient-descent": "0.5 is too big",
    "mnist-training": "at least 94 % is needed",
    "binary-output-layer": "at least 90 % is needed",
    "baselines": "50 is too big",
}
