"""``nnsim train`` with lists of settings: a grid of runs trained together, each as it trains alone."""

import gzip
import json

import pytest

from nnsim.cli import main
from nnsim.io.datasets import read_idx_images, read_idx_labels
from nnsim.paths import mnist_dir


def _idx(images=None, labels=None) -> bytes:
    if images is not None:
        return b"".join(int(v).to_bytes(4, "big") for v in (0x803, len(images), 28, 28)) + images.tobytes()
    return b"".join(int(v).to_bytes(4, "big") for v in (0x801, len(labels))) + labels.astype("uint8").tobytes()


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """An MNIST-like folder: 900 images to train on (800 + 100 validation), 300 to test."""
    X, _ = read_idx_images(mnist_dir() / "t10k-images-idx3-ubyte.gz", limit=1200)
    y = read_idx_labels(mnist_dir() / "t10k-labels-idx1-ubyte.gz", limit=1200)
    folder = tmp_path_factory.mktemp("grid")
    for name, blob in (("train-images-idx3-ubyte", _idx(X[:900])), ("train-labels-idx1-ubyte", _idx(labels=y[:900])),
                       ("t10k-images-idx3-ubyte", _idx(X[900:])), ("t10k-labels-idx1-ubyte", _idx(labels=y[900:]))):
        (folder / f"{name}.gz").write_bytes(gzip.compress(blob, compresslevel=1))
    return str(folder)


def _json_lines(capsys):
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_a_grid_gives_each_run_the_numbers_it_gives_alone(small, capsys):
    common = ["--data", small, "--epochs", "2", "--sizes", "784,16,10", "--json"]
    assert main(["train", *common, "--seed", "0,1", "--eta", "0.5,3", "--cost", "quadratic,cross-entropy",
                 "--init", "scaled"]) == 0
    records = _json_lines(capsys)
    assert len(records) == 16 and {r["run"] for r in records} == set(range(8))
    assert {"run", "seed", "eta", "epoch", "test_correct", "validation_correct", "cost", "seconds"} <= set(records[0])
    for run in (0, 3, 6):
        mine = [r for r in records if r["run"] == run]
        assert [r["epoch"] for r in mine] == [1, 2]
        r = mine[0]
        assert main(["train", *common, "--seed", str(r["seed"]), "--eta", str(r["eta"]), "--cost", r["cost_function"],
                     "--init", "scaled"]) == 0
        alone = _json_lines(capsys)
        assert [a["test_correct"] for a in alone] == pytest.approx([m["test_correct"] for m in mine], abs=2)
        assert alone[0]["run"] == 0 and alone[0]["seed"] == r["seed"] and alone[0]["eta"] == r["eta"]


def test_a_grid_prints_each_run_and_the_spread_across_seeds(small, capsys):
    assert main(["train", "--data", small, "--epochs", "1", "--sizes", "784,12,10", "--seed", "1,2,3",
                 "--mini-batch", "10,20", "--training-accuracy"]) == 0
    out, err = capsys.readouterr()
    assert "training 6 runs together" in err and "run 5: 784-12-10, seed 3, η=3, m=20" in err
    assert out.count("Epoch 1:") == 6 and "training " in out
    assert "spread across seeds (min / median / max):" in out
    assert "784-12-10, η=3, quadratic, book init, m=20:" in out and "(3 seeds)" in out


@pytest.mark.parametrize("args, message", [
    (["--seed", "1,2", "--save", "x.npz"], "--save saves one network"),
    (["--eta", "3,-1"], "eta"),
    (["--seed", "1,2", "--cost", "hinge"], "unknown cost"),
    (["--seed", "1,2", "--init", "xavier"], "initialisation"),
    (["--init", "xavier"], "initialisation"),
])
def test_bad_grids_are_user_errors(small, capsys, args, message):
    assert main(["train", "--data", small, "--epochs", "1", *args]) == 2
    assert message in capsys.readouterr().err


def test_a_bad_list_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["train", "--seed", "1,x"])
    assert exc.value.code == 2 and "argument --seed: expected numbers" in capsys.readouterr().err
