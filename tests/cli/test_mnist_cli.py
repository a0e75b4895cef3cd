"""``nnsim train``, ``evaluate``, ``baseline`` and ``data`` as a user runs them, on a small MNIST subset."""

import functools
import gzip
import http.server
import json
import os
import re
import signal
import subprocess
import sys
import threading

import numpy as np
import pytest

from nnsim.cli import main
from nnsim.core.learning.network import Network
from nnsim.io.datasets import read_idx_images, read_idx_labels
from nnsim.io.networkfile import load_network, save_network
from nnsim.paths import mnist_dir


def _idx(images=None, labels=None) -> bytes:
    if images is not None:
        n = len(images)
        return b"".join(int(v).to_bytes(4, "big") for v in (0x803, n, 28, 28)) + images.tobytes()
    return b"".join(int(v).to_bytes(4, "big") for v in (0x801, len(labels))) + labels.astype(np.uint8).tobytes()


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """An MNIST-like folder: 1,200 real images to train on (1,000 + 200 validation), 300 to test."""
    X, _ = read_idx_images(mnist_dir() / "t10k-images-idx3-ubyte.gz", limit=1500)
    y = read_idx_labels(mnist_dir() / "t10k-labels-idx1-ubyte.gz", limit=1500)
    folder = tmp_path_factory.mktemp("small")
    for name, blob in (("train-images-idx3-ubyte", _idx(X[:1200])), ("train-labels-idx1-ubyte", _idx(labels=y[:1200])),
                       ("t10k-images-idx3-ubyte", _idx(X[1200:])), ("t10k-labels-idx1-ubyte", _idx(labels=y[1200:]))):
        (folder / f"{name}.gz").write_bytes(gzip.compress(blob, compresslevel=1))
    return str(folder)


def test_train_prints_the_books_line_per_epoch(small, capsys):
    assert main(["train", "--data", small, "--epochs", "2", "--seed", "1", "--sizes", "784,20,10"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 2
    for i, line in enumerate(lines, 1):
        assert re.fullmatch(rf"Epoch {i}: \d+ / 300  \(validation \d+ / 200, cost \d\.\d{{4}}, \d+\.\d\d s\)", line)
    assert int(lines[1].split()[2]) > 60  # of 300; guessing gets about 30
    assert "784-20-10" in err and "seed 1" in err and "1,000 images" in err


def test_train_json_save_and_evaluate(small, tmp_path, capsys):
    model = tmp_path / "net.npz"
    assert main(["train", "--data", small, "--epochs", "2", "--seed", "3", "--sizes", "784,16,10",
                 "--mini-batch", "20", "--eta", "2.5", "--json", "--save", str(model)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["epoch"] for r in records] == [1, 2]
    assert {"epoch", "test_correct", "test_total", "validation_correct", "cost", "seconds"} <= set(records[0])
    assert records[-1]["test_total"] == 300 and records[-1]["validation_total"] == 200
    assert records[1]["cost"] < records[0]["cost"]
    net = load_network(model)
    assert net.sizes == [784, 16, 10]
    assert main(["evaluate", str(model), "--data", small, "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["test_correct"] == records[-1]["test_correct"]
    assert scores["validation_correct"] == records[-1]["validation_correct"]
    assert main(["evaluate", str(model), "--data", small]) == 0
    assert re.search(r"^test: \d+ / 300 \(\d+\.\d\d%\)$", capsys.readouterr().out, re.M)


def test_same_seed_same_output(small, capsys):
    runs = []
    for _ in range(2):
        main(["train", "--data", small, "--epochs", "1", "--seed", "5", "--sizes", "784,8,10", "--json"])
        record = json.loads(capsys.readouterr().out)
        runs.append((record["test_correct"], record["cost"]))
    assert runs[0] == runs[1]


def test_binary_encoding_and_float64(small, capsys, tmp_path):
    model = tmp_path / "bin.npz"
    assert main(["train", "--data", small, "--epochs", "1", "--seed", "2", "--encoding", "binary",
                 "--dtype", "float64", "--limit-train", "500", "--save", str(model)]) == 0
    assert "784-30-4" in capsys.readouterr().err
    net = load_network(model)
    assert net.encoding == "binary" and net.dtype == np.float64


@pytest.mark.parametrize("args, message", [
    (["--eta", "0"], "--eta must be a finite number above 0"),
    (["--eta", "nan"], "--eta must be a finite number above 0"),
    (["--eta", "-3"], "--eta must be a finite number above 0"),
    (["--mini-batch", "0"], "--mini-batch must be at least 1"),
    (["--mini-batch", "200", "--limit-train", "100"], "mini-batch size 200 is larger than the 100"),
    (["--sizes", "700,30,10"], "--sizes must start at 784"),
    (["--sizes", "784,30,9"], "--sizes must end at 10"),
    (["--sizes", "784,30,10", "--encoding", "binary"], "--sizes must end at 4"),
    (["--sizes", "784,x,10"], "--sizes must be whole numbers"),
    (["--sizes", "784,0,10"], "at least one neuron"),
    (["--epochs", "-1"], "--epochs must be 0 or more"),
    (["--limit-train", "0"], "--limit-train must be at least 1"),
])
def test_bad_hyper_parameters_exit_2_with_a_message(small, capsys, args, message):
    assert main(["train", "--data", small, *args]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("nnsim: ") and message in err and "Traceback" not in err and out == ""


def test_bad_data_and_bad_model_files_exit_2(small, tmp_path, capsys):
    bad = tmp_path / "bad"
    bad.mkdir()
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                 "t10k-labels-idx1-ubyte"):
        (bad / name).write_bytes(b"\x00\x00\x08\x01" + b"\x00" * 12)
    assert main(["data", "info", "--data", str(bad)]) == 2
    assert "wrong magic number" in capsys.readouterr().err
    model = tmp_path / "small.npz"
    save_network(Network([64, 5, 10], seed=0), model)
    assert main(["evaluate", str(model), "--data", small]) == 2
    assert "takes 64 inputs" in capsys.readouterr().err
    assert main(["evaluate", str(tmp_path / "none.npz")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_baselines(small, capsys):
    assert main(["baseline", "darkness"]) == 0
    assert capsys.readouterr().out.strip() == "darkness: 2225 / 10000 (22.25%)"  # the book's figure
    assert main(["baseline", "random", "--data", small, "--json", "--seed", "1"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["method"] == "random" and record["test_total"] == 300 and 0 < record["test_correct"] < 80
    try:
        import sklearn  # noqa: F401
    except ImportError:
        assert main(["baseline", "svm", "--data", small]) == 2
        assert "scikit-learn" in capsys.readouterr().err


def test_data_info(small, capsys):
    assert main(["data", "info", "--data", small, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["training"], info["validation"], info["test"]) == (1000, 200, 300)
    assert info["image_shape"] == [28, 28] and info["classes"] == 10
    assert main(["data", "info"]) == 0
    out = capsys.readouterr().out
    assert "bundled MNIST" in out and "training: 50,000  validation: 10,000  test: 10,000" in out


def test_data_download_from_a_local_mirror(tmp_path, capsys):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(mnist_dir()))
    handler.log_message = lambda *a: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/"
        target = tmp_path / "cache"
        assert main(["data", "download", "--dir", str(target), "--mirror", "http://127.0.0.1:9/",
                     "--mirror", url]) == 0
        out, err = capsys.readouterr()
        assert out.count("downloaded from " + url) == 4
        assert "t10k-images-idx3-ubyte.gz" in err and "100%" in err  # the progress bar, on stderr
        assert main(["data", "download", "--dir", str(target), "--mirror", url]) == 0
        assert capsys.readouterr().out.count("cached") == 4
        assert main(["data", "info", "--data", str(target), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["training"] == 50000
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_ctrl_c_stops_after_the_current_mini_batch_and_still_saves(small, tmp_path):
    model = tmp_path / "interrupted.npz"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "nnsim.cli", "train", "--data", small, "--epochs", "100000",
                             "--sizes", "784,10,10", "--seed", "0", "--json", "--save", str(model)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        first = json.loads(proc.stdout.readline())  # training is under way
        assert first["epoch"] == 1
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert "stopped in epoch" in err and "saved the network" in err and "Traceback" not in err
    assert load_network(model).sizes == [784, 10, 10]
