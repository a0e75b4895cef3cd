"""Why a smooth cost: the weight sweep gives what setting the weight and measuring gives."""

import numpy as np
import pytest

from nnsim.core.errors import UserError
from nnsim.core.learning.network import Network
from nnsim.core.learning.smooth import weight_sweep


@pytest.mark.parametrize("layer, j, k", [(2, 1, 3), (3, 2, 0), (3, 4, None), (4, 0, 1)])
def test_the_sweep_equals_setting_the_weight_and_measuring(layer, j, k):
    rng = np.random.default_rng(0)
    net = Network([6, 5, 5, 10], seed=3, dtype=np.float64)
    X, y = rng.random((200, 6)), rng.integers(0, 10, 200)
    values = np.linspace(-3, 3, 13)
    sweep = weight_sweep(net, X, y, layer, j, k, values)
    before = [w.copy() for w in net.weights] + [b.copy() for b in net.biases]
    for v, cost, correct in zip(values, sweep.cost, sweep.correct):
        moved = net.copy()
        if k is None:
            moved.biases[layer - 2][j] = v
        else:
            moved.weights[layer - 2][j, k] = v
        assert cost == pytest.approx(moved.cost(X, y), rel=1e-9)
        assert correct == moved.evaluate(X, y)
    for p, q in zip(before, net.weights + net.biases):
        np.testing.assert_array_equal(p, q)  # the network itself is untouched
    assert sweep.total == 200 and sweep.name == (f"w^{layer}_{j},{k}" if k is not None else f"b^{layer}_{j}")


def test_the_cost_glides_while_the_count_jumps():
    rng = np.random.default_rng(1)
    net = Network([8, 6, 10], seed=1, dtype=np.float64)
    X, y = rng.random((300, 8)), rng.integers(0, 10, 300)
    sweep = weight_sweep(net, X, y, 3, 0, 0, np.linspace(-1, 1, 201))
    assert np.count_nonzero(np.diff(sweep.cost)) == 200
    assert np.count_nonzero(np.diff(sweep.correct)) < 100  # most small steps change no answer
    assert np.all(sweep.correct == sweep.correct.astype(int))


@pytest.mark.parametrize("layer, j, k, message", [(1, 0, 0, "layer must"), (2, 9, 0, "neurons 0…5"),
                                                  (2, 0, 8, "neurons 0…7"), (4, 0, 0, "layer must")])
def test_bad_parameters_are_user_errors(layer, j, k, message):
    net = Network([8, 6, 10], seed=1)
    with pytest.raises(UserError, match=message):
        weight_sweep(net, np.zeros((2, 8)), np.zeros(2, int), layer, j, k, [0.0])
