"""Trained networks as .npz: round trips, versions, and files that must be refused."""

import numpy as np
import pytest

from nnsim.core.learning.network import Network
from nnsim.io.networkfile import (VERSION, NetworkFileError, load_network, load_network_with_meta,
                                  save_network)


def _same(a, b):
    assert a.sizes == b.sizes and a.encoding == b.encoding and a.n_classes == b.n_classes
    assert a.dtype == b.dtype
    for p, q in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("sizes, dtype", [([784, 30, 10], np.float32), ([5, 4, 3, 4], np.float64)])
def test_round_trip(tmp_path, sizes, dtype):
    net = Network(sizes, seed=1, dtype=dtype)
    path = save_network(net, tmp_path / "net.npz", meta={"eta": 3.0})
    loaded, meta = load_network_with_meta(path)
    _same(net, loaded)
    assert meta == {"eta": 3.0}
    X = np.random.default_rng(0).random((4, sizes[0]))
    np.testing.assert_array_equal(net.feedforward(X), loaded.feedforward(X))


def test_save_is_atomic_and_keeps_the_name(tmp_path):
    path = tmp_path / "model"  # no .npz: written under exactly this name
    save_network(Network([3, 2], seed=0), path)
    assert path.is_file() and sorted(p.name for p in tmp_path.iterdir()) == ["model"]
    save_network(Network([3, 2], seed=1), path)  # overwrite
    assert load_network(path).sizes == [3, 2]


def test_the_binary_layer_survives_a_round_trip(tmp_path):
    net = Network([6, 5, 10], seed=0).with_binary_layer()
    _same(net, load_network(save_network(net, tmp_path / "b.npz")))


def _write(path, **arrays):
    base = {"format": np.array("nnsim-network"), "version": np.array(1), "sizes": np.array([3, 2]),
            "encoding": np.array("onehot"), "n_classes": np.array(2),
            "w0": np.zeros((2, 3)), "b0": np.zeros(2)}
    base.update(arrays)
    np.savez(path, **{k: v for k, v in base.items() if v is not None})
    return path


@pytest.mark.parametrize("arrays, message", [
    (dict(format=np.array("something")), "not an nnsim network file"),
    (dict(format=None), "not an nnsim network file"),
    (dict(version=np.array(VERSION + 1)), "newer nnsim"),
    (dict(version=np.array("one")), "'version' must be one whole number"),
    (dict(w0=None), "'w0' is missing"),
    (dict(w0=np.zeros((3, 3))), "layer 1 has weights"),
    (dict(b0=np.zeros(3)), "layer 1 has weights"),
    (dict(w0=np.full((2, 3), np.nan)), "NaN"),
    (dict(w0=np.zeros((2, 3), dtype=int)), "not floats"),
    (dict(sizes=np.array([3])), "at least two"),
    (dict(w1=np.zeros((2, 2))), "do not fit sizes"),
    (dict(encoding=np.array("gray")), "unknown encoding"),
    (dict(w0=np.array([None] * 6, dtype=object).reshape(2, 3)), "allow_pickle|Object arrays"),
])
def test_bad_files_name_the_problem(tmp_path, arrays, message):
    path = _write(tmp_path / "bad.npz", **arrays)
    with pytest.raises(NetworkFileError, match=message) as err:
        load_network(path)
    assert str(path) in str(err.value)


def test_not_a_zip_and_missing_file(tmp_path):
    path = tmp_path / "junk.npz"
    path.write_bytes(b"\x00" * 10)
    with pytest.raises(NetworkFileError, match="junk.npz"):
        load_network(path)
    with pytest.raises(NetworkFileError, match="no such file"):
        load_network(tmp_path / "absent.npz")
    np.save(tmp_path / "single.npy", np.zeros(3))
    with pytest.raises(NetworkFileError, match="not an nnsim network file"):
        load_network(tmp_path / "single.npy")
