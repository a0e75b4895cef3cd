"""Importer speed (issue 15): a 16x16 array-multiplier .bench netlist (2,305 gates, the size class of ISCAS
c6288) imported, checked on 1,000 rows, and its NAND-only form; the HDL ALU and its test script.

    .venv/bin/python benchmarks/bench_import.py [c6288.bench ...]

Netlists given on the command line (for example the ISCAS-85 files, which are not in this repository) are
imported and evaluated on 1,000 random rows too. Prints the median of several repeats for each figure (targets from issue 15 in brackets).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from _timing import median_time
from nnsim.core.logic.truthtable import check_rows
from nnsim.io.bench import array_multiplier_bench, import_bench
from nnsim.io.fileformat import load_graph, save_graph
from nnsim.io.hdl_build import import_hdl
from nnsim.io.tst import run_tst
from nnsim.paths import hdl_dir

HDL = hdl_dir()
SCRIPTS = Path(__file__).resolve().parent.parent / "tests" / "data" / "hdl"


def rows_file(path: Path, n: int = 1000) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    rng = np.random.default_rng(15)
    A, B = rng.integers(0, 2 ** 16, n), rng.integers(0, 2 ** 16, n)
    ins = [f"a{i}" for i in range(16)] + [f"b{i}" for i in range(16)]
    outs = [f"p{k}" for k in range(32)]
    X = np.concatenate([(A[:, None] >> np.arange(16)) & 1, (B[:, None] >> np.arange(16)) & 1], axis=1)
    E = ((A * B)[:, None] >> np.arange(32)) & 1
    path.write_text(",".join(ins + outs) + "\n" + "".join(",".join(map(str, r)) + "\n" for r in np.hstack([X, E])))
    return ins, X, outs, E


def nnsim(*args) -> None:
    subprocess.run([sys.executable, "-m", "nnsim.cli.__main__", *map(str, args)], capture_output=True, check=True)


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    bench = tmp / "mul16.bench"
    bench.write_text(array_multiplier_bench(16))
    g = import_bench(bench)
    print(f"16x16 multiplier netlist: {len(g.neurons())} perceptrons, {len(g.wires)} wires")
    print(f"import .bench, flat (parse, build, layout): {median_time(lambda: import_bench(bench), 7):.3f} s  [< 2 s]")
    print(f"import .bench with XOR chips (nnsim import's default): "
          f"{median_time(lambda: import_bench(bench, chips=True), 7):.3f} s  [< 2 s]")
    doc = tmp / "mul16.json"
    save_graph(g, doc)
    print(f"nnsim import mul16.bench -o mul16.json, end to end: "
          f"{median_time(lambda: nnsim('import', bench, '-o', doc), 5):.2f} s  [< 2 s]")
    rows = tmp / "rows.csv"
    ins, X, outs, E = rows_file(rows)
    result = check_rows(g, ins, X, outs, E)
    assert result.all_match
    print(f"check 1,000 rows (compile + one vectorised pass + verdicts): "
          f"{median_time(lambda: check_rows(g, ins, X, outs, E), 7):.3f} s  [< 1 s]")
    print(f"load the document: {median_time(lambda: load_graph(doc), 5):.3f} s")
    print(f"nnsim check mul16.json --expect rows.csv, end to end: "
          f"{median_time(lambda: nnsim('check', doc, '--expect', rows), 5):.2f} s")
    n = import_bench(bench, nand_only=True)
    print(f"--nand-only: {len(n.neurons())} NAND perceptrons, {len(n.wires)} wires; import "
          f"{median_time(lambda: import_bench(bench, nand_only=True), 5):.3f} s")
    print(f"import ALU.hdl (742 NAND perceptrons), flat: {median_time(lambda: import_hdl(HDL / 'ALU.hdl'), 7) * 1e3:.0f} ms;"
          f" as 12 chip definitions: {median_time(lambda: import_hdl(HDL / 'ALU.hdl', chips=True), 7) * 1e3:.0f} ms")
    work = tmp / "hdl"
    work.mkdir()
    for f in [*HDL.glob("*.hdl"), *SCRIPTS.glob("*.*")]:
        (work / f.name).write_bytes(f.read_bytes())
    print(f"run ALU.tst (36 evals, writes ALU.out): {median_time(lambda: run_tst(work / 'ALU.tst'), 7) * 1e3:.0f} ms")


def netlists(paths: list[str]) -> None:
    from nnsim.core.circuit.compile import compile_graph

    for path in paths:
        g = import_bench(path, chips=True)
        c = compile_graph(g)
        X = np.random.default_rng(15).integers(0, 2, (1000, c.n_inputs)).astype(float)
        n = import_bench(path, nand_only=True)
        print(f"{Path(path).name}: {len(c.neuron_ids)} perceptrons ({len(n.neurons())} NAND-only); import "
              f"{median_time(lambda: import_bench(path, chips=True), 5):.3f} s, NAND-only "
              f"{median_time(lambda: import_bench(path, nand_only=True), 5):.3f} s; compile + 1,000 rows "
              f"{median_time(lambda: compile_graph(g).feedforward(X), 5):.3f} s")


if __name__ == "__main__":
    main()
    netlists(sys.argv[1:])
