"""``nnsim import``, ``nnsim hdl test``, ``nnsim eval`` and ``nnsim check`` with partial tables, as a user
runs them: exit codes and what is printed."""

from __future__ import annotations

import json

import numpy as np

from nnsim.cli import main
from nnsim.io.bench import array_multiplier_bench
from nnsim.io.fileformat import load_graph


def test_import_hdl_and_bench(hdl_folder, capsys):
    out = hdl_folder / "alu.json"
    assert main(["import", str(hdl_folder / "ALU.hdl"), "-o", str(out)]) == 0
    assert "ALU: 38 inputs" in capsys.readouterr().out
    assert len(load_graph(out).outputs()) == 18
    assert main(["info", "--json", str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["nand_only"] is False     # false folded into biases
    assert main(["import", str(hdl_folder / "ALU.hdl"), "--nand-only", "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["info", "--json", str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["nand_only"] is True
    bench = hdl_folder / "m.bench"
    bench.write_text(array_multiplier_bench(3))
    assert main(["import", str(bench), "--nand-only", "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["info", "--json", str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["nand_only"] is True


def test_import_errors_exit_2(hdl_folder, capsys):
    (hdl_folder / "Bad.hdl").write_text("CHIP Bad {\n IN a; OUT b;\n PARTS:\n Nand(a=a, b=a, out=c[0]);\n}\n")
    assert main(["import", str(hdl_folder / "Bad.hdl")]) == 2
    assert "Bad.hdl:4: " in capsys.readouterr().err
    (hdl_folder / "Seq.hdl").write_text("CHIP Seq { IN a; OUT b; PARTS: DFF(in=a, out=b); }")
    assert main(["import", str(hdl_folder / "Seq.hdl")]) == 2
    assert "sequential chips are not supported yet" in capsys.readouterr().err
    (hdl_folder / "s.bench").write_text("INPUT(a)\nOUTPUT(q)\nq = DFF(a)\n")
    assert main(["import", str(hdl_folder / "s.bench")]) == 2
    assert "s.bench:3: " in capsys.readouterr().err
    assert main(["import", str(hdl_folder / "ALU.cmp")]) == 2


def test_hdl_test_exit_codes(hdl_folder, capsys):
    assert main(["hdl", "test", str(hdl_folder / "ALU.tst")]) == 0
    assert "Comparison ended successfully" in capsys.readouterr().out
    assert (hdl_folder / "ALU.out").read_text() == (hdl_folder / "ALU.cmp").read_text()
    cmp = hdl_folder / "Not.cmp"
    cmp.write_text(cmp.read_text().replace("|   1   |   0   |", "|   1   |   1   |"))
    assert main(["hdl", "test", str(hdl_folder / "Not.tst")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Comparison failure at line 3")
    assert out[1] == "  expected: |   1   |   1   |" and out[2] == "  got:      |   1   |   0   |"
    (hdl_folder / "Clock.tst").write_text("load Not.hdl, output-list in out; tick;")
    assert main(["hdl", "test", str(hdl_folder / "Clock.tst")]) == 2
    assert "sequential chips are not supported yet" in capsys.readouterr().err
    assert main(["hdl", "test", "--nand-only", str(hdl_folder / "Inc16.tst")]) == 0


def test_eval_and_partial_check_of_a_wide_circuit(hdl_folder, capsys):
    bench = hdl_folder / "m.bench"
    bench.write_text(array_multiplier_bench(16))
    rng = np.random.default_rng(15)
    A, B = rng.integers(0, 2 ** 16, 40), rng.integers(0, 2 ** 16, 40)
    names = [f"b{i}" for i in range(16)] + [f"a{i}" for i in range(16)]   # columns in any order
    rows = [[(b >> i) & 1 for i in range(16)] + [(a >> i) & 1 for i in range(16)] for a, b in zip(A, B)]
    inputs = hdl_folder / "in.csv"
    inputs.write_text(",".join(names) + "\n" + "".join(",".join(map(str, r)) + "\n" for r in rows))
    assert main(["eval", str(bench), "--inputs", str(inputs)]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0].split(",")
    assert header[:32] == [f"a{i}" for i in range(16)] + [f"b{i}" for i in range(16)] and len(lines) == 41
    for line, a, b in zip(lines[1:], A, B):
        cells = dict(zip(header, line.split(",")))
        assert sum(int(cells[f"p{k}"]) << k for k in range(32)) == a * b
    assert main(["eval", str(bench), "--inputs", str(inputs), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["rows"]) == 40 and doc["outputs"][0] == "p0"

    expect = hdl_folder / "expect.csv"
    products = [[(a * b >> k) & 1 for k in (0, 31, 7)] for a, b in zip(A, B)]
    body = "".join(",".join(map(str, r + p)) + "\n" for r, p in zip(rows, products))
    expect.write_text(",".join(names + ["p0", "p31", "p7"]) + "\n" + body)
    assert main(["check", str(bench), "--expect", str(expect)]) == 0
    assert "OK: all 40 rows match" in capsys.readouterr().out
    products[5][2] ^= 1
    body = "".join(",".join(map(str, r + p)) + "\n" for r, p in zip(rows, products))
    expect.write_text(",".join(names + ["p0", "p31", "p7"]) + "\n" + body)
    assert main(["check", str(bench), "--expect", str(expect)]) == 1
    assert capsys.readouterr().out.startswith("1 of 40 rows differ:")
    expect.write_text("a0,p0\n1,0\n")
    assert main(["check", str(bench), "--expect", str(expect)]) == 2
    assert "no column for the input 'a1'" in capsys.readouterr().err


def test_an_output_that_is_also_an_input(hdl_folder, capsys):
    bench = hdl_folder / "p.bench"
    bench.write_text("INPUT(a)\nINPUT(b)\nOUTPUT(a)\nOUTPUT(y)\ny = AND(a, b)\n")   # as in ISCAS c2670
    rows = hdl_folder / "in.csv"
    rows.write_text("b,a\n1,1\n0,1\n")
    assert main(["eval", str(bench), "--inputs", str(rows)]) == 0
    out = capsys.readouterr().out
    assert out == "a,b,a,y\n1,1,1,1\n1,0,1,0\n"
    (hdl_folder / "expect.csv").write_text(out)
    assert main(["check", str(bench), "--expect", str(hdl_folder / "expect.csv")]) == 0
