"""``nnsim learning-curve``, ``nnsim cost-sweep`` and ``nnsim evaluate --binary-layer`` on a small MNIST subset."""

import csv
import io
import json

import pytest

from nnsim.cli import main
from nnsim.core.learning.network import Network
from nnsim.core.learning.training import sgd
from nnsim.io.datasets import load_mnist
from nnsim.io.networkfile import save_network

from test_grid_cli import small  # noqa: F401 - the 900-image MNIST-like folder


def test_learning_curve_trains_every_size_as_one_grid(small, capsys):  # noqa: F811
    assert main(["learning-curve", "--data", small, "--train", "100,400,700", "--epochs", "2",
                 "--sizes", "784,12,10", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [int(r["training_images"]) for r in rows] == [100, 400, 700]
    assert all(int(r["training_total"]) == int(r["training_images"]) for r in rows)
    assert float(rows[-1]["test_pct"]) > float(rows[0]["test_pct"])  # more data, better
    data = load_mnist(small)
    X, y = data.compact("training")
    net = Network([784, 12, 10], seed=1)
    alone = list(sgd(net, (X[:400], y[:400]), 2, 10, 3.0, seed=1, test_data=data.compact("test")))
    assert int(rows[1]["test_correct"]) == pytest.approx(alone[-1].test_correct, abs=2)


def test_learning_curve_json_and_table(small, capsys):  # noqa: F811
    assert main(["learning-curve", "--data", small, "--train", "200", "--epochs", "1", "--seed", "1,2",
                 "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["training_images"], r["seed"]) for r in records] == [(200, 1), (200, 2)]
    assert main(["learning-curve", "--data", small, "--train", "200", "--epochs", "1"]) == 0
    out = capsys.readouterr().out
    assert "training images" in out and "gap" in out and "200" in out


def test_learning_curve_refuses_sizes_beyond_the_data(small, capsys):  # noqa: F811
    assert main(["learning-curve", "--data", small, "--train", "100,5000", "--epochs", "1"]) == 2
    assert "--train sizes must lie in 1…750" in capsys.readouterr().err


@pytest.fixture
def trained(small, tmp_path):  # noqa: F811
    data = load_mnist(small)
    net = Network([784, 16, 10], seed=2)
    list(sgd(net, data.compact("training"), 3, 10, 3.0, seed=2))
    return save_network(net, tmp_path / "net.npz"), net, data


def test_cost_sweep_prints_the_cost_and_the_count(trained, small, capsys):  # noqa: F811
    path, net, data = trained
    assert main(["cost-sweep", str(path), "--data", small, "--weight", "3,4,7", "--points", "9",
                 "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["parameter"] == "w^3_4,7" and len(doc["cost"]) == 9 and doc["total"] == 300
    assert doc["start"] == pytest.approx(float(net.weights[1][4, 7]))
    assert doc["correct"][4] == net.evaluate(*data.compact("test"))  # the middle value is the weight's own
    assert main(["cost-sweep", str(path), "--data", small, "--weight", "2,3"]) == 0
    out = capsys.readouterr().out
    assert "b^2_3" in out and "← now" in out and "the number correct" in out


@pytest.mark.parametrize("args, message", [(["--weight", "5,0,0"], "layer must"), (["--weight", "x"], "L,J,K"),
                                           (["--points", "1"], "--points"), (["--range", "0"], "--range")])
def test_cost_sweep_bad_arguments(trained, small, capsys, args, message):  # noqa: F811
    assert main(["cost-sweep", str(trained[0]), "--data", small, *args]) == 2
    assert message in capsys.readouterr().err


def test_evaluate_with_the_binary_layer(trained, small, capsys):  # noqa: F811
    path, net, data = trained
    assert main(["evaluate", str(path), "--data", small, "--binary-layer", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    X, y = data.compact("test")
    assert (doc["binary_correct"], doc["binary_agree"]) == net.binary_readout(X, y)
    assert doc["binary_agree"] > 0.6 * doc["test_total"]  # chance: 10 %
    assert main(["evaluate", str(path), "--data", small, "--binary-layer"]) == 0
    assert "hand-set 10 → 4 binary layer" in capsys.readouterr().out
