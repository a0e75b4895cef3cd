"""``nnsim build``, ``add``, ``synth``, ``convert``, ``check`` as a user runs them, errors included."""

import json
import subprocess
import sys

import pytest

from nnsim.cli import main
from nnsim.core import logic
from nnsim.io.fileformat import load_graph
from nnsim.paths import examples_dir


def test_add_from_the_issue_end_to_end():
    run = subprocess.run([sys.executable, "-m", "nnsim.cli.__main__", "add", "--bits", "32", "4000000000",
                          "123456789"], capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout == "4123456789\n"


@pytest.mark.parametrize("args, out", [
    (["add", "--bits", "64", str(2 ** 64 - 1), str(2 ** 64 - 1)], str(2 ** 65 - 2)),
    (["add", "5", "6"], "11"),
    (["add", "--bits", "8", "0xff", "0b1"], "256"),
    (["add", "--bits", "1", "1", "1"], "2"),
])
def test_add(args, out, capsys):
    assert main(args) == 0
    assert capsys.readouterr().out.strip() == out


@pytest.mark.parametrize("args, message", [
    (["add", "--bits", "4", "16", "1"], "16 does not fit in 4 bits"),
    (["add", "--bits", "65", "1", "1"], "1 to 64 bits"),
    (["add", "--bits", "8", "-1", "1"], "negative"),
    (["add", "--bits", "8", "x", "1"], "'x' is not a whole number"),
    (["add", str(2 ** 64), "1"], "needs 65 bits; the adder has at most 64 bits"),
    (["build", "fred"], "unknown circuit 'fred'"),
    (["build", "xor", "--bits", "2"], "--bits is for the adder"),
    (["synth", "--expr", "y = a &"], "line 1, column 8"),
    (["synth"], "either a table file or --expr"),
    (["convert", "missing.json", "--to", "sigmoid", "--min-scale"], "no such file"),
])
def test_errors_exit_2_with_a_message(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_build_writes_a_loadable_document(tmp_path, capsys):
    out = tmp_path / "adder.json"
    assert main(["build", "adder", "--bits", "3", "-o", str(out)]) == 0
    assert "3-bit adder" in capsys.readouterr().out
    g = load_graph(out)
    assert logic.is_nand_only(g) and logic.compare(g, g.expected) == []


def test_build_an_adder_with_carry_in(tmp_path, capsys):
    out = tmp_path / "a.json"
    assert main(["build", "adder", "--bits", "2", "--carry-in", "-o", str(out)]) == 0
    g = load_graph(out)
    assert [n.name for n in g.inputs()] == ["a1", "a0", "b1", "b0", "cin"]
    assert logic.compare(g, g.expected) == []
    assert main(["build", "xor", "--carry-in"]) == 2
    assert "--carry-in is for the adder" in capsys.readouterr().err


def test_build_without_output_prints_json(capsys):
    assert main(["build", "nand"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["format"] == "nnsim" and len(doc["nodes"]) == 3


def test_info_reports_nand_only(tmp_path, capsys):
    main(["build", "xor", "-o", str(tmp_path / "x.json")])
    main(["build", "and-direct", "-o", str(tmp_path / "d.json")])
    capsys.readouterr()
    main(["info", str(tmp_path / "x.json"), "--json"])
    assert json.loads(capsys.readouterr().out).get("nand_only") is True
    main(["info", str(tmp_path / "d.json"), "--json"])
    assert json.loads(capsys.readouterr().out).get("nand_only") is False


def test_synth_from_expression_and_from_table(tmp_path, capsys):
    fa = tmp_path / "fa.json"
    assert main(["synth", "--expr", "s = a ^ b ^ cin; cout = a & b | cin & (a ^ b)", "-o", str(fa)]) == 0
    assert "NAND perceptrons" in capsys.readouterr().out
    table = tmp_path / "fa.csv"
    assert main(["table", str(fa), "--format", "csv"]) == 0
    table.write_text(capsys.readouterr().out)
    fa2 = tmp_path / "fa2.json"
    assert main(["synth", str(table), "--inputs", "3", "-o", str(fa2), "--name", "again"]) == 0
    g = load_graph(fa2)
    assert g.name == "again" and logic.is_nand_only(g) and logic.compare(g, g.expected) == []


def test_synth_bad_table_names_the_line(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b,y\n0,0,1\n0,1,1\n1,0,3\n1,1,0\n")
    assert main(["synth", str(bad), "--inputs", "2"]) == 2
    assert "bad.csv, line 4: column 'y' holds '3'" in capsys.readouterr().err


def test_check_passes_and_fails(tmp_path, capsys):
    xor = str(examples_dir() / "xor.json")
    assert main(["check", xor]) == 0
    assert "all 4 rows match" in capsys.readouterr().out
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("b,a,xor\n0,0,0\n0,1,1\n1,0,1\n1,1,1\n")   # columns in another order; last row wrong
    assert main(["check", xor, "--expect", str(wrong)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "1 of 4 rows differ:" and out[2] == "1 1 | 1 | 0"
    right = tmp_path / "right.csv"
    right.write_text("a,b,xor\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    assert main(["check", xor, "--expect", str(right)]) == 0


def test_convert_reports_and_writes(tmp_path, capsys):
    from nnsim.core.circuit.chips import all_neurons

    adder = str(examples_dir() / "adder-4bit.json")
    out = tmp_path / "sig.json"
    assert main(["convert", adder, "--to", "sigmoid", "--min-scale", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    c = logic.scale_report(load_graph(adder)).min_scale
    assert "margin |z|:          1 " in text and f"{c:.6g}" in text and "z = 0 rows:          none" in text
    g = load_graph(out)
    assert {n.activation for n in all_neurons(g)} == {"sigmoid"}      # inside the adder's chips too
    assert len(all_neurons(g)) == 5 + 9 and len(g.instances()) == 4
    assert main(["convert", adder, "--to", "sigmoid", "--scale", "1"]) == 0
    assert "at c = 1:          fails" in capsys.readouterr().out
    assert main(["convert", adder, "--to", "sigmoid", "--scale", str(2 * c)]) == 0
    assert f"at c = {2 * c:g}:          works" in capsys.readouterr().out


def test_convert_names_zero_rows(tmp_path, capsys):
    from nnsim.core.circuit.graph import Graph
    from nnsim.io.fileformat import save_graph

    g = Graph("tie")
    a, b = g.add_input("a").id, g.add_input("b").id
    n = g.add_neuron("y", bias=-1)
    g.connect(a, n.id, 1)
    g.connect(b, n.id, 1)
    save_graph(g, tmp_path / "tie.json")
    assert main(["convert", str(tmp_path / "tie.json"), "--to", "sigmoid", "--min-scale"]) == 1
    out = capsys.readouterr().out
    assert "smallest working c:  none" in out
    assert "z = 0 rows:          2 (neurons y)" in out and "  a=0 b=1" in out and "  a=1 b=0" in out
