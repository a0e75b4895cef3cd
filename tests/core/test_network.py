"""The book's network: shapes, seeding, dtypes, encodings, backprop against finite differences."""

import numpy as np
import pytest

from nnsim.core.learning import encodings
from nnsim.core.activations import sigmoid
from nnsim.core.learning.costs import CrossEntropyCost, QuadraticCost, get_cost
from nnsim.core.errors import UserError
from nnsim.core.learning.network import Network, as_pixels


def test_shapes_follow_the_book():
    net = Network([784, 30, 10], seed=0)
    assert net.sizes == [784, 30, 10]
    assert [w.shape for w in net.weights] == [(30, 784), (10, 30)]
    assert [b.shape for b in net.biases] == [(30,), (10,)]
    assert all(p.dtype == np.float32 for p in net.weights + net.biases)
    assert net.encoding == "onehot" and net.n_classes == 10
    assert net.n_params == 784 * 30 + 30 + 30 * 10 + 10
    assert "784, 30, 10" in repr(net)


def test_same_seed_same_weights_and_standard_normal_draws():
    a, b = Network([5, 4, 3], seed=7), Network([5, 4, 3], rng=np.random.default_rng(7))
    for p, q in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_array_equal(p, q)
    big = Network([400, 300, 10], seed=1)
    assert abs(float(big.weights[0].mean())) < 0.01 and abs(float(big.weights[0].std()) - 1) < 0.01


def test_float64_on_request_starts_from_the_same_numbers():
    a = Network([6, 3, 2], seed=3)
    b = Network([6, 3, 2], seed=3, dtype="float64")
    assert b.weights[0].dtype == np.float64
    np.testing.assert_allclose(a.weights[0], b.weights[0], rtol=1e-6)
    with pytest.raises(UserError, match="float32 or float64"):
        Network([2, 2], dtype=np.int32)


@pytest.mark.parametrize("sizes, message", [
    ([784], "at least"), ([784, 0, 10], "at least one neuron"), ("abc", "whole numbers"), ([3.5, 2], "whole"),
])
def test_bad_sizes_are_user_errors(sizes, message):
    with pytest.raises(UserError, match=message):
        Network(sizes)


def test_feedforward_rows_match_a_per_image_loop():
    net = Network([6, 5, 4, 3], seed=2, dtype=np.float64)
    X = np.random.default_rng(0).random((7, 6))
    batch = net.feedforward(X)
    assert batch.shape == (7, 3)
    for x, row in zip(X, batch):
        a = x
        for w, b in zip(net.weights, net.biases):
            a = 1 / (1 + np.exp(-(w @ a + b)))
        np.testing.assert_allclose(row, a, rtol=1e-12)
    assert net.feedforward(X[0]).shape == (1, 3)
    with pytest.raises(UserError, match="takes 6 inputs"):
        net.feedforward(np.zeros((2, 5)))


def test_uint8_pixels_mean_pixel_over_255():
    net = Network([4, 3], seed=0, encoding="onehot")
    X8 = np.array([[0, 51, 255, 128]], dtype=np.uint8)
    np.testing.assert_allclose(net.feedforward(X8), net.feedforward(X8 / 255.0), rtol=1e-6)
    assert as_pixels(X8).dtype == np.float32 and as_pixels(X8).max() == 1.0


def test_sigmoid_keeps_float32_and_never_overflows():
    z = np.array([-1e6, -50, 0, 50, 1e6], dtype=np.float32)
    s = sigmoid(z)
    assert s.dtype == np.float32
    np.testing.assert_allclose(s, [0, 0, 0.5, 1, 1], atol=1e-7)


def test_predict_evaluate_and_copy():
    net = Network([3, 2], seed=0, encoding="onehot")
    net.weights[0][...] = [[1, 0, 0], [0, 1, 0]]
    net.biases[0][...] = 0
    X = np.array([[5, 0, 0], [0, 5, 0], [0, 0, 5.0]])
    np.testing.assert_array_equal(net.predict(X), [0, 1, 0])
    assert net.evaluate(X, [0, 1, 1]) == 2
    twin = net.copy()
    twin.weights[0][0, 0] = -9
    assert net.weights[0][0, 0] == 1


def _finite_difference_gradients(net, X, Y, cost, eps=1e-6):
    def total():
        return float(cost.fn(net.feedforward(X), Y).sum())

    grads = []
    for p in net.biases + net.weights:
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            keep = p[i]
            p[i] = keep + eps
            up = total()
            p[i] = keep - eps
            down = total()
            p[i] = keep
            g[i] = (up - down) / (2 * eps)
        grads.append(g)
    L = len(net.biases)
    return grads[:L], grads[L:]


@pytest.mark.parametrize("cost", [QuadraticCost, CrossEntropyCost])
@pytest.mark.parametrize("sizes", [[4, 3, 2], [3, 5, 4, 2], [2, 3]])
def test_backprop_matches_central_differences(sizes, cost):
    net = Network(sizes, seed=4, dtype=np.float64, encoding="onehot")
    rng = np.random.default_rng(1)
    X = rng.random((5, sizes[0]))
    Y = net.targets(rng.integers(0, sizes[-1], 5))
    nabla_b, nabla_w = net.backprop(X, Y, cost)
    fd_b, fd_w = _finite_difference_gradients(net, X, Y, cost)
    for analytic, numeric in zip(nabla_b + nabla_w, fd_b + fd_w):
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


def test_update_mini_batch_lowers_the_cost():
    net = Network([4, 6, 2], seed=0, dtype=np.float64)
    rng = np.random.default_rng(2)
    X = rng.random((20, 4))
    y = (X[:, 0] > X[:, 1]).astype(int)
    before = net.cost(X, y)
    for _ in range(50):
        net.update_mini_batch(X, net.targets(y), 1.0)
    assert net.cost(X, y) < before


def test_costs_by_name():
    assert get_cost("quadratic") is QuadraticCost and get_cost(CrossEntropyCost()) is CrossEntropyCost
    with pytest.raises(UserError, match="unknown cost"):
        get_cost("hinge")
    a = np.array([[0.5, 0.5]])
    assert QuadraticCost.fn(a, np.array([[1.0, 0.0]]))[0] == pytest.approx(0.25)


def test_binary_encoding_targets_and_decoding():
    table = encodings.target_table("binary")
    assert table.shape == (10, 4)
    np.testing.assert_array_equal(table[7], [0, 1, 1, 1])
    np.testing.assert_array_equal(table[9], [1, 0, 0, 1])
    assert list(encodings.decode(table, "binary")) == list(range(10))
    net = Network([784, 30, 4], seed=0)
    assert net.encoding == "binary" and net.n_classes == 10
    with pytest.raises(UserError, match="needs 4 outputs"):
        Network([784, 30, 10], encoding="binary")
    with pytest.raises(UserError, match="unknown encoding"):
        Network([784, 30, 10], encoding="gray")


def test_hand_set_binary_layer_turns_one_hot_into_bits():
    W, b = encodings.binary_layer()
    assert W.shape == (4, 10) and b.shape == (4,)
    # The book's assumption: the right output ≥ 0.99, the others ≤ 0.01.
    a = np.full((10, 10), 0.01) + np.eye(10) * 0.98
    bits = sigmoid(a @ W.T + b)
    np.testing.assert_array_equal(encodings.decode(bits, "binary"), np.arange(10))
    assert np.all((bits > 0.999) | (bits < 0.001))
    net = Network([6, 5, 10], seed=1).with_binary_layer()
    assert net.sizes == [6, 5, 10, 4] and net.encoding == "binary"
    with pytest.raises(UserError, match="one-hot"):
        net.with_binary_layer()


def test_from_arrays_checks_shapes_and_values():
    w = [np.zeros((3, 4)), np.zeros((2, 3))]
    b = [np.zeros(3), np.zeros(2)]
    net = Network.from_arrays(w, b)
    assert net.sizes == [4, 3, 2] and net.dtype == np.float64
    with pytest.raises(UserError, match="do not chain"):
        Network.from_arrays([np.zeros((3, 4)), np.zeros((2, 4))], b)
    with pytest.raises(UserError, match="NaN"):
        Network.from_arrays([np.full((3, 4), np.nan), np.zeros((2, 3))], b)


def test_activations_of_every_layer_and_astype():
    net = Network([5, 4, 3], seed=0)
    X = np.random.default_rng(1).random((6, 5))
    layers = net.activations(X)
    assert [a.shape for a in layers] == [(6, 5), (6, 4), (6, 3)]
    np.testing.assert_allclose(layers[-1], net.feedforward(X), rtol=1e-6)
    wide = net.astype("float64")
    assert wide.dtype == np.float64 and wide.sizes == net.sizes
    np.testing.assert_allclose(wide.feedforward(X), net.feedforward(X), rtol=1e-5)
