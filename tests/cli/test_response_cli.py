"""``nnsim sweep`` and ``nnsim sensitivity`` as a user runs them."""

import csv
import io
import json

import pytest

from nnsim.cli import main
from nnsim.core.response import with_activation
from nnsim.io.fileformat import save_graph
from nnsim.paths import examples_dir

NAND = str(examples_dir() / "nand.json")


@pytest.fixture
def sigmoid_nand(tmp_path):
    from nnsim.io.fileformat import load_graph
    path = tmp_path / "snand.json"
    save_graph(with_activation(load_graph(NAND), "sigmoid"), path)
    return str(path)


def test_sweep_csv_of_a_perceptron_jumps_once(capsys):
    assert main(["sweep", NAND, "--param", "w:x1->out", "--from", "-3", "--to", "1", "--steps", "9",
                 "--inputs", "1,1", "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["w:x1:out", "out"]
    values = [float(r[0]) for r in rows[1:]]
    outs = [float(r[1]) for r in rows[1:]]
    assert values == [-3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1]
    # z = w − 2 + 3 = w + 1 > 0 only for w > −1
    assert outs == [0, 0, 0, 0, 0, 1, 1, 1, 1]


def test_sweep_text_names_the_crossing(capsys):
    assert main(["sweep", NAND, "--param", "b:out", "--from", "-2", "--to", "6", "--steps", "5",
                 "--inputs", "1,1"]) == 0
    out = capsys.readouterr().out
    assert "b:out from -2 to 6 in 5 steps (now 3)" in out
    assert "z = 0 (perceptrons jump) at: 4 (out)" in out


def test_sweep_by_id_and_output_choice(sigmoid_nand, capsys):
    assert main(["sweep", sigmoid_nand, "--param", "b:out", "--steps", "3", "--output", "out", "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["b:out", "out"] and len(rows) == 4
    outs = [float(r[1]) for r in rows[1:]]
    assert 0 < outs[0] < outs[1] < outs[2] < 1


def test_sensitivity_json_sorted_with_predicted_and_actual(sigmoid_nand, capsys):
    assert main(["sensitivity", sigmoid_nand, "--inputs", "1,0", "--delta", "0.001", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["inputs"] == {"x1": 1.0, "x2": 0.0} and doc["delta"] == 0.001
    params = doc["parameters"]
    assert {p["name"] for p in params} == {"w:x1:out", "w:x2:out", "b:out"}
    grads = [abs(p["gradient"]["out"]) for p in params]
    assert grads == sorted(grads, reverse=True)
    # x2 = 0: its weight has no effect at all
    assert params[-1]["name"] == "w:x2:out" and params[-1]["gradient"]["out"] == 0
    for p in params:
        assert p["actual"]["out"] == pytest.approx(p["predicted"]["out"], abs=1e-6)


def test_sensitivity_text_for_perceptrons(capsys):
    assert main(["sensitivity", NAND, "--inputs", "1,1", "--delta", "1.5"]) == 0
    out = capsys.readouterr().out
    assert "nudge Δ = 1.5" in out and "perceptrons have ∂O/∂p = 0" in out
    b_line = next(line for line in out.splitlines() if line.startswith("b:out"))
    assert b_line.split() == ["b:out", "3", "0", "0", "1"]


@pytest.mark.parametrize("args, message", [
    (["sweep", NAND, "--param", "w:x1->nope"], "no parameter 'w:x1->nope'"),
    (["sweep", NAND, "--param", "b:out", "--inputs", "1"], "2 finite input values expected"),
    (["sweep", NAND, "--param", "b:out", "--steps", "0"], "--steps must be between"),
    (["sweep", NAND, "--param", "b:out", "--output", "zz"], "no output 'zz'"),
    (["sensitivity", NAND, "--inputs", "a,b"], "input values must be numbers"),
    (["sensitivity", "missing.json", "--inputs", "1,1"], "no such file"),
])
def test_user_errors(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_scale_curve_agrees_with_nnsim_convert_min_scale(capsys):
    from nnsim.core.response import scale_curve
    from nnsim.io.fileformat import load_graph

    path = str(examples_dir() / "half-adder.json")
    assert main(["convert", path, "--to", "sigmoid", "--min-scale"]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("smallest working c:"))
    printed = float(line.split()[3])
    curve = scale_curve(load_graph(path))
    assert f"{curve.min_scale:.6g}" == f"{printed:.6g}"
    assert curve.error[curve.scales >= curve.min_scale].max() < 0.5
    assert curve.error[curve.scales < printed * 0.999].min() >= 0.5
