"""``nnsim table``, ``nnsim info`` and ``--version`` as a user runs them, errors included."""

import json
import subprocess
import sys

import pytest

from nnsim import __version__
from nnsim.cli import main
from nnsim.paths import examples_dir

NAND = str(examples_dir() / "nand.json")


def test_table_prints_the_nand_truth_table(capsys):
    assert main(["table", NAND]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["x1", "x2", "|", "out"]
    assert [line.split() for line in lines[2:]] == [["0", "0", "|", "1"], ["0", "1", "|", "1"],
                                                    ["1", "0", "|", "1"], ["1", "1", "|", "0"]]


def test_table_csv_and_json(capsys):
    main(["table", str(examples_dir() / "sigmoid-neuron.json"), "--format", "csv"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "weather,partner,transit,go" and lines[1] == "0,0,0,0.006693" and len(lines) == 9
    main(["table", NAND, "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["inputs"] == ["x1", "x2"] and doc["rows"][3] == {"inputs": [1, 1], "outputs": [0.0]}


def test_info_json(capsys):
    assert main(["info", str(examples_dir() / "perceptron-decision.json"), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["inputs"] == 3 and info["neurons"] == 1 and info["wires"] == 3
    assert info["neurons_by_activation"] == {"step": 1} and info["depth"] == 1 and info["has_loop"] is False
    assert info["parameters"] == ["w:weather:go", "w:partner:go", "w:transit:go", "b:go"]


def test_info_text(capsys):
    main(["info", NAND])
    out = capsys.readouterr().out
    assert "inputs:   2" in out and "loop:     no" in out


@pytest.mark.parametrize("args, message", [
    (["table", "missing.json"], "missing.json: no such file"),
    (["info", "tests/data/bad/nan-weight.json"], "NaN is not a valid number"),
])
def test_errors_go_to_stderr_with_exit_2(args, message, capsys):
    assert main(args) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err and captured.out == ""


def test_console_script_version_and_usage_error():
    run = subprocess.run([sys.executable, "-m", "nnsim.cli.__main__", "--version"], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip() == f"nnsim {__version__}"
    run = subprocess.run([sys.executable, "-m", "nnsim.cli.__main__", "table"], capture_output=True, text=True)
    assert run.returncode == 2 and "required" in run.stderr and "Traceback" not in run.stderr


def test_table_of_a_looped_network_says_when_rows_settle(tmp_path, capsys):
    from nnsim.core.circuit.graph import Graph
    from nnsim.io.fileformat import save_graph

    g = Graph("latch")
    g.add_input("S_", id="s")
    g.add_input("R_", id="r")
    g.add_neuron("Q", bias=3, output=True, id="q")
    g.add_neuron("Qbar", bias=3, output=True, id="qb")
    for src, dst in (("s", "q"), ("qb", "q"), ("r", "qb"), ("q", "qb")):
        g.connect(src, dst, -2)
    save_graph(g, tmp_path / "latch.json")
    assert main(["table", str(tmp_path / "latch.json"), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "S_,R_,Q,Qbar,settled"
    assert lines[2] == "0,1,1,0,step 2" and lines[4] == "1,1,0,0,oscillates (period 2)"
