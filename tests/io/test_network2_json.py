"""The book's network2 JSON: what nnsim writes is what network2.py's load reads, and back."""

import json

import numpy as np
import pytest

from nnsim.core.learning.network import Network
from nnsim.io.networkfile import NetworkFileError, load_network, load_network_with_meta, save_network


def book_load_and_feedforward(path, x):
    """What network2.py does with the file: ``load`` (json.load, then np.array of each list; biases stay
    (n, 1) columns) and ``feedforward`` of one image as a column vector."""
    with open(path) as f:
        data = json.load(f)
    weights = [np.array(w) for w in data["weights"]]
    biases = [np.array(b) for b in data["biases"]]
    a = np.asarray(x, float).reshape(-1, 1)
    for b, w in zip(biases, weights):
        a = 1.0 / (1.0 + np.exp(-(np.dot(w, a) + b)))
    return data, a


def test_saved_json_is_network2_format_and_the_books_code_reads_it(tmp_path):
    net = Network([6, 4, 3], seed=2)
    path = save_network(net, tmp_path / "net.json", {"cost": "cross-entropy", "seed": 2})
    data, a = book_load_and_feedforward(path, np.linspace(0, 1, 6))
    assert list(data) == ["sizes", "weights", "biases", "cost"]
    assert data["sizes"] == [6, 4, 3] and data["cost"] == "CrossEntropyCost"
    assert np.array(data["biases"][0]).shape == (4, 1) and np.array(data["weights"][1]).shape == (3, 4)
    np.testing.assert_allclose(a[:, 0], net.feedforward(np.linspace(0, 1, 6))[0], rtol=1e-5)


def test_json_round_trip_keeps_every_number_and_the_cost(tmp_path):
    net = Network([5, 3, 10], seed=1, dtype=np.float64)
    save_network(net, tmp_path / "a.json")
    back, meta = load_network_with_meta(tmp_path / "a.json")
    assert meta["cost"] == "quadratic" and back.sizes == [5, 3, 10]
    for p, q in zip(net.weights + net.biases, back.weights + back.biases):
        np.testing.assert_array_equal(p, q)


def test_a_file_written_by_network2_loads(tmp_path):
    rng = np.random.default_rng(0)
    sizes = [4, 3, 10]
    doc = {"sizes": sizes, "weights": [rng.standard_normal((3, 4)).tolist(), rng.standard_normal((10, 3)).tolist()],
           "biases": [rng.standard_normal((3, 1)).tolist(), rng.standard_normal((10, 1)).tolist()],
           "cost": "QuadraticCost"}
    (tmp_path / "book.json").write_text(json.dumps(doc))
    net = load_network(tmp_path / "book.json")
    np.testing.assert_array_equal(net.biases[1], np.array(doc["biases"][1])[:, 0])
    np.testing.assert_array_equal(net.weights[0], np.array(doc["weights"][0]))


@pytest.mark.parametrize("doc, message", [
    ({"sizes": [2, 1]}, "not a network2 file"),
    ({"sizes": [2, 1], "weights": [[[1, 2]]], "biases": [[[0]]], "cost": "HingeCost"}, "unknown cost"),
    ({"sizes": [2, 1], "weights": [[[1, 2, 3]]], "biases": [[[0]]], "cost": "QuadraticCost"}, "layer 1 has"),
    ({"sizes": [2, 0], "weights": [], "biases": [], "cost": "QuadraticCost"}, "positive whole"),
    ({"sizes": [2, 1], "weights": [[["a", 2]]], "biases": [[[0]]], "cost": "QuadraticCost"}, "numbers"),
    ([1, 2], "not a network2 file"),
])
def test_bad_network2_files_name_the_problem(tmp_path, doc, message):
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    with pytest.raises(NetworkFileError, match=message):
        load_network(tmp_path / "bad.json")


def test_nan_in_a_network2_file_is_refused(tmp_path):
    (tmp_path / "nan.json").write_text('{"sizes": [1, 1], "weights": [[[NaN]]], "biases": [[[0]]], '
                                       '"cost": "QuadraticCost"}')
    with pytest.raises(NetworkFileError, match="NaN"):
        load_network(tmp_path / "nan.json")
