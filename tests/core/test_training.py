"""Mini-batch SGD: the fast trainer against the reference backprop, learning, reports, stop, determinism."""

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from nnsim.core import blas
from nnsim.core.learning import kernel
from nnsim.core.errors import UserError
from nnsim.core.learning.network import Network
from nnsim.core.learning.training import TrainingStats, sgd
from nnsim.io.datasets import read_idx_images, read_idx_labels
from nnsim.paths import mnist_dir


@pytest.fixture(scope="module")
def mnist_sample():
    """2,000 real MNIST test images (uint8) and their labels: read from the start of the bundled file."""
    X, _ = read_idx_images(mnist_dir() / "t10k-images-idx3-ubyte.gz", limit=2000)
    y = read_idx_labels(mnist_dir() / "t10k-labels-idx1-ubyte.gz", limit=2000)
    return X, y


def _reference_epoch(net, X, y, m, eta, seed, cost="quadratic"):
    """The book's SGD for one epoch, with the same shuffle as ``sgd``, through Network.update_mini_batch."""
    perm = np.arange(len(X))
    np.random.default_rng(seed).shuffle(perm)
    for k in range(0, len(X), m):
        idx = perm[k:k + m]
        net.update_mini_batch(X[idx], net.targets(y[idx]), eta, cost)


def _assert_same_params(a, b, **tol):
    for p, q in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_allclose(p, q, **tol)


@pytest.mark.parametrize("sizes", [[12, 7, 10], [12, 6, 5, 4], [12, 10]])
@pytest.mark.parametrize("m", [1, 3, 10])
@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
def test_fast_trainer_equals_the_reference_update(sizes, m, cost):
    rng = np.random.default_rng(5)
    X = rng.random((23, 12))  # 23 images: the last mini-batch is short for m = 3 and 10
    y = rng.integers(0, 10, 23)
    fast = Network(sizes, seed=1, dtype=np.float64)
    slow = fast.copy()
    list(sgd(fast, (X, y), 1, m, 0.9, seed=11, cost=cost))
    _reference_epoch(slow, X, y, m, 0.9, 11, cost)
    _assert_same_params(fast, slow, rtol=1e-9, atol=1e-12)


def test_mini_batches_larger_than_a_piece_are_summed(monkeypatch):
    monkeypatch.setattr(kernel, "MAX_PIECE", 4)
    rng = np.random.default_rng(6)
    X, y = rng.random((30, 8)), rng.integers(0, 10, 30)
    for m in (9, 30):  # 30 = n: batch gradient descent
        fast = Network([8, 5, 10], seed=2, dtype=np.float64)
        slow = fast.copy()
        list(sgd(fast, (X, y), 2, m, 2.0, seed=3))
        perm = np.arange(30)
        shuffles = np.random.default_rng(3)
        for _ in range(2):
            shuffles.shuffle(perm)
            for k in range(0, 30, m):
                idx = perm[k:k + m]
                slow.update_mini_batch(X[idx], slow.targets(y[idx]), 2.0)
        _assert_same_params(fast, slow, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("limit", [0, 1 << 30])  # without and with leaving out the blank pixels
def test_pixels_blank_in_every_image_keep_their_weights(monkeypatch, limit):
    monkeypatch.setattr(kernel, "COMPACT_LIMIT", limit)
    rng = np.random.default_rng(8)
    X = rng.integers(0, 256, (40, 9)).astype(np.uint8)
    X[:, [0, 4, 5]] = 0
    y = rng.integers(0, 10, 40)
    fast = Network([9, 6, 10], seed=1, dtype=np.float64)
    slow = fast.copy()
    list(sgd(fast, (X, y), 2, 7, 1.5, seed=2))
    shuffles = np.random.default_rng(2)
    perm = np.arange(40)
    for _ in range(2):
        shuffles.shuffle(perm)
        for k in range(0, 40, 7):
            idx = perm[k:k + 7]
            slow.update_mini_batch(X[idx], slow.targets(y[idx]), 1.5)
    _assert_same_params(fast, slow, rtol=1e-9, atol=1e-12)
    start = Network([9, 6, 10], seed=1, dtype=np.float64)
    np.testing.assert_array_equal(fast.weights[0][:, [0, 4, 5]], start.weights[0][:, [0, 4, 5]])


@pytest.mark.parametrize("gather_bytes", [1 << 19, 7 * 10 * 784])  # one block, or blocks of ~7 batches
def test_uint8_pixels_train_like_floats(mnist_sample, monkeypatch, gather_bytes):
    monkeypatch.setattr(kernel, "GATHER_BYTES", gather_bytes)
    X, y = mnist_sample[0][:300], mnist_sample[1][:300]
    a = Network([784, 10, 10], seed=0, dtype=np.float64)
    b = a.copy()
    list(sgd(a, (X, y), 1, 10, 3.0, seed=0))
    list(sgd(b, (X / 255.0, y), 1, 10, 3.0, seed=0))
    _assert_same_params(a, b, rtol=1e-7, atol=1e-10)


def test_a_tiny_network_learns_xor():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = np.array([0, 1, 1, 0])
    net = Network([2, 4, 2], seed=3, dtype=np.float64)
    for _ in sgd(net, (np.repeat(X, 25, axis=0), np.repeat(y, 25)), 200, 4, 4.0, seed=0):
        pass
    np.testing.assert_array_equal(net.predict(X), y)


def test_cost_falls_on_a_thousand_mnist_images(mnist_sample):
    X, y = mnist_sample[0][:1000], mnist_sample[1][:1000]
    test = mnist_sample[0][1000:2000], mnist_sample[1][1000:2000]
    net = Network([784, 30, 10], seed=1)
    costs, scores = [], []
    for stats in sgd(net, (X, y), 4, 10, 3.0, test_data=test, seed=1):
        costs.append(stats.cost)
        scores.append(stats.test_correct)
    assert costs[-1] < costs[0] < 0.5
    assert all(b < a for a, b in zip(costs, costs[1:]))
    assert scores[-1] > 500  # of 1,000: far above the 10% of guessing after 4 epochs on 1,000 images
    assert net.cost(X, y) == pytest.approx(costs[-1], rel=0.5)


def test_reports_every_n_mini_batches_and_at_each_epoch_end():
    rng = np.random.default_rng(0)
    X, y = rng.random((95, 5)), rng.integers(0, 10, 95)
    reports = list(sgd(Network([5, 3, 10], seed=0), (X, y), 2, 10, 1.0, validation_data=(X[:7], y[:7]),
                       test_data=(X[:9], y[:9]), seed=0, report_every=4))
    assert [(r.epoch, r.batches_done, r.epoch_end) for r in reports] == [
        (1, 4, False), (1, 8, False), (1, 10, True), (2, 4, False), (2, 8, False), (2, 10, True)]
    assert all(isinstance(r, TrainingStats) and r.batches_per_epoch == 10 for r in reports)
    assert [r.images_seen for r in reports] == [40, 80, 95, 135, 175, 190]
    end = reports[2]
    assert end.validation_total == 7 and 0 <= end.validation_correct <= 7
    assert end.test_total == 9 and 0 <= end.test_correct <= 9 and end.test_accuracy == end.test_correct / 9
    assert reports[0].test_correct is None and reports[0].validation_correct is None
    assert all(r.cost > 0 and r.seconds >= 0 for r in reports)
    assert reports[-1].seconds >= reports[0].seconds


def test_stop_halts_within_one_mini_batch_and_the_weights_are_written_back():
    rng = np.random.default_rng(1)
    X, y = rng.random((200, 6)), rng.integers(0, 10, 200)
    calls = []

    def stop():
        calls.append(1)
        return len(calls) > 3  # true before the 4th mini-batch

    net = Network([6, 4, 10], seed=0, dtype=np.float64)
    start = net.copy()
    reports = list(sgd(net, (X, y), 5, 10, 1.0, seed=0, stop=stop))
    assert len(reports) == 1 and reports[0].stopped and reports[0].batches_done == 3
    assert reports[0].images_seen == 30 and not reports[0].epoch_end
    # exactly three mini-batches were applied
    _reference_epoch(start, X[:0], y[:0], 10, 1.0, 0)
    perm = np.arange(200)
    np.random.default_rng(0).shuffle(perm)
    for k in range(0, 30, 10):
        start.update_mini_batch(X[perm[k:k + 10]], start.targets(y[perm[k:k + 10]]), 1.0)
    _assert_same_params(net, start, rtol=1e-9, atol=1e-12)


def test_stop_before_the_first_mini_batch_trains_nothing():
    rng = np.random.default_rng(1)
    X, y = rng.random((20, 3)), rng.integers(0, 10, 20)
    net = Network([3, 10], seed=0)
    before = net.copy()
    reports = list(sgd(net, (X, y), 3, 5, 1.0, seed=0, stop=lambda: True))
    assert reports[0].stopped and reports[0].batches_done == 0
    _assert_same_params(net, before, rtol=0, atol=0)


def test_closing_the_generator_leaves_the_network_up_to_date():
    rng = np.random.default_rng(2)
    X, y = rng.random((50, 4)), rng.integers(0, 10, 50)
    net = Network([4, 10], seed=0, dtype=np.float64)
    twin = net.copy()
    run = sgd(net, (X, y), 3, 5, 1.0, seed=0, report_every=2)
    next(run)
    run.close()
    list(sgd(twin, (X, y), 1, 5, 1.0, seed=0, stop=iter([False, False, True]).__next__))
    _assert_same_params(net, twin, rtol=1e-12, atol=0)


def test_same_seed_gives_identical_weights(mnist_sample):
    X, y = mnist_sample[0][:500], mnist_sample[1][:500]
    nets = []
    for _ in range(2):
        net = Network([784, 16, 10], seed=9)
        list(sgd(net, (X, y), 2, 10, 3.0, seed=4))
        nets.append(net)
    _assert_same_params(*nets, rtol=0, atol=0)
    other = Network([784, 16, 10], seed=9)
    list(sgd(other, (X, y), 2, 10, 3.0, seed=5))
    assert not np.array_equal(other.weights[0], nets[0].weights[0])


def test_binary_encoding_learns_and_the_hand_set_layer_reads_the_trained_net(mnist_sample):
    X, y = mnist_sample
    train, test = (X[:1500], y[:1500]), (X[1500:], y[1500:])
    binary = Network([784, 30, 4], seed=2)
    list(sgd(binary, train, 5, 10, 3.0, seed=2))
    assert binary.evaluate(*test) > 250  # of 500; guessing 4 bits gets about 50

    onehot = Network([784, 30, 10], seed=2)
    list(sgd(onehot, train, 10, 10, 3.0, seed=2))
    stacked = onehot.with_binary_layer()
    argmax = onehot.predict(test[0])
    bits = stacked.predict(test[0])
    assert np.mean(bits == argmax) > 0.85  # they differ only where the one-hot answer is unsure
    confident = np.sort(onehot.feedforward(test[0]), axis=1)
    clear = (confident[:, -1] > 0.9) & (confident[:, -2] < 0.1)
    assert clear.sum() > 30
    np.testing.assert_array_equal(bits[clear], argmax[clear])
    assert abs(stacked.evaluate(*test) - onehot.evaluate(*test)) <= 0.02 * len(test[1])


@pytest.mark.parametrize("kwargs, message", [
    (dict(eta=0), "eta"), (dict(eta=float("nan")), "eta"), (dict(eta=-1), "eta"),
    (dict(mini_batch_size=0), "mini-batch"), (dict(mini_batch_size=11), "larger than the 10"),
    (dict(epochs=-1), "epochs"), (dict(epochs=1.5), "epochs"),
])
def test_bad_hyper_parameters_are_user_errors(kwargs, message):
    rng = np.random.default_rng(0)
    args = dict(epochs=1, mini_batch_size=2, eta=1.0) | kwargs
    with pytest.raises(UserError, match=message):
        sgd(Network([3, 10]), (rng.random((10, 3)), rng.integers(0, 10, 10)), **args)


def test_bad_data_are_user_errors():
    net = Network([3, 10])
    X = np.zeros((4, 3))
    with pytest.raises(UserError, match="takes 3 inputs"):
        sgd(net, (np.zeros((4, 2)), np.zeros(4, int)), 1, 1, 1.0)
    with pytest.raises(UserError, match="labels of shape"):
        sgd(net, (X, np.zeros(3, int)), 1, 1, 1.0)
    with pytest.raises(UserError, match="0…9"):
        sgd(net, (X, np.array([0, 1, 2, 10])), 1, 1, 1.0)
    with pytest.raises(UserError, match="integers"):
        sgd(net, (X, np.zeros(4)), 1, 1, 1.0)
    with pytest.raises(UserError, match="test images"):
        sgd(net, (X, np.zeros(4, int)), 1, 1, 1.0, test_data=(np.zeros((2, 5)), np.zeros(2, int)))


def test_float32_training_stays_float32_and_finite(mnist_sample):
    X, y = mnist_sample[0][:200], mnist_sample[1][:200]
    net = Network([784, 20, 10], seed=0)
    list(sgd(net, (X, y), 1, 1, 3.0, seed=0))  # online learning: mini-batches of one image
    assert all(p.dtype == np.float32 for p in net.weights + net.biases)
    assert net.has_finite_params()


def test_blas_runs_on_one_thread_while_training_and_is_restored_after():
    get = blas.blas_threads
    with threadpool_limits(2, user_api="blas"):  # a caller who wants two
        seen = []
        rng = np.random.default_rng(0)
        X, y = rng.random((30, 4)), rng.integers(0, 10, 30)
        for _ in sgd(Network([4, 10]), (X, y), 2, 5, 1.0, seed=0, stop=lambda: seen.append(get()) or False):
            assert get() == 2  # between reports the caller's setting is back
    assert set(seen) == {1}


@pytest.mark.parametrize("cost", ["quadratic", "cross-entropy"])
def test_network_sgd_fast_kernel_equals_the_books_loop(mnist_sample, cost):
    """Network.SGD runs the book's loop (fast=False) or the fast kernel: the same seed gives the same
    weights (float64: to 1e-6 after 80 mini-batches; float32, a few mini-batches: to its rounding) and the same test counts."""
    X, y = mnist_sample[0][:400], mnist_sample[1][:400]
    test = mnist_sample[0][1000:1500], mnist_sample[1][1000:1500]
    fast = Network([784, 20, 10], seed=3, dtype=np.float64)
    book = fast.copy()
    fast_scores = fast.SGD((X, y), 2, 10, 3.0, test_data=test, seed=7, cost=cost)
    book_scores = book.SGD((X, y), 2, 10, 3.0, test_data=test, seed=7, cost=cost, fast=False)
    _assert_same_params(fast, book, rtol=1e-6, atol=1e-8)
    assert fast_scores == book_scores and len(fast_scores) == 2 and fast_scores[-1] > 100
    fast = Network([784, 20, 10], seed=3)
    book = fast.copy()
    fast.SGD((X[:60], y[:60]), 1, 10, 3.0, seed=7, cost=cost)
    book.SGD((X[:60], y[:60]), 1, 10, 3.0, seed=7, cost=cost, fast=False)
    _assert_same_params(fast, book, rtol=1e-3, atol=1e-4)


def test_scaled_initialisation_divides_the_weights_by_the_root_of_the_fan_in():
    book = Network([784, 100, 10], seed=4, dtype=np.float64)
    scaled = Network([784, 100, 10], seed=4, dtype=np.float64, init="scaled")
    for w, v, n_in in zip(book.weights, scaled.weights, (784, 100)):
        np.testing.assert_allclose(v, w / np.sqrt(n_in))
    for b, c in zip(book.biases, scaled.biases):
        np.testing.assert_array_equal(b, c)
    with pytest.raises(UserError, match="initialisation"):
        Network([3, 10], init="xavier")
