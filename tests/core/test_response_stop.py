"""Long core loops take a ``stop`` callable: asked between steps, a True answer ends the call with ``None``;
a stop that never fires changes nothing."""

import numpy as np

from nnsim.core.circuit.compile import compile_graph
from nnsim.core.response import SCALE_CHUNK, scale_curve, sensitivity, with_activation
from nnsim.io.fileformat import load_graph
from nnsim.paths import examples_dir


def xor():
    return load_graph(examples_dir() / "xor.json")


def counting_stop(after: int):
    """A stop() that says True from its ``after``-th question on; ``asked`` counts the questions."""
    def stop():
        stop.asked += 1
        return stop.asked >= after
    stop.asked = 0
    return stop


def test_sensitivity_asks_before_each_parameter_and_stops():
    circuit = compile_graph(with_activation(xor(), "sigmoid"))
    x = np.array([1.0, 0.0])
    never = counting_stop(10 ** 9)
    rows = sensitivity(circuit, x, 0.1, stop=never)
    assert never.asked == len(circuit.params) == len(rows)
    plain = sensitivity(circuit, x, 0.1)
    assert [r.param for r in rows] == [r.param for r in plain]
    assert all(np.array_equal(a.actual, b.actual) for a, b in zip(rows, plain))
    third = counting_stop(3)
    assert sensitivity(circuit, x, 0.1, stop=third) is None and third.asked == 3


def test_scale_curve_asks_between_chunks_and_stops():
    plain = scale_curve(xor())
    never = counting_stop(10 ** 9)
    stepped = scale_curve(xor(), stop=never)
    assert never.asked == -(-len(plain.scales) // SCALE_CHUNK)
    assert np.array_equal(stepped.scales, plain.scales) and np.array_equal(stepped.error, plain.error)
    assert stepped.min_scale == plain.min_scale
    second = counting_stop(2)
    assert scale_curve(xor(), stop=second) is None and second.asked == 2
