"""Logic speed (issue 3): building adders, their truth tables, `nnsim add` end to end, synthesis.

    .venv/bin/python benchmarks/bench_logic.py

Prints the median of several repeats for each figure (targets from issue 3 in brackets).
"""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np

from _timing import median_time
from nnsim.core import logic
from nnsim.core.circuit.compile import compile_graph
from nnsim.core.logic.synthesis import synthesize
from nnsim.core.logic.truthtable import TruthTable




def main() -> None:
    t = median_time(lambda: compile_graph(logic.adder(64)))
    g64 = logic.adder(64)
    print(f"build + compile 64-bit adder ({len(g64.neurons())} neurons, {len(g64.wires)} wires): "
          f"{t * 1e3:.1f} ms  [< 100 ms]")
    print(f"  of which build: {median_time(lambda: logic.adder(64)) * 1e3:.1f} ms")

    def add_64():
        run = subprocess.run([sys.executable, "-m", "nnsim.cli.__main__", "add", "--bits", "64",
                              str(2 ** 64 - 1), "12345"], capture_output=True, text=True, check=True)
        assert run.stdout.strip() == str(2 ** 64 - 1 + 12345)

    print(f"nnsim add --bits 64, end to end (process start included): {median_time(add_64, 5):.2f} s  [< 1 s]")

    c8 = compile_graph(logic.adder(8))
    t = median_time(c8.truth_table, 15)
    X, O = c8.truth_table()
    w = 1 << np.arange(7, -1, -1)
    assert np.array_equal(O.astype(np.int64) @ (1 << np.arange(8, -1, -1)), X[:, :8] @ w + X[:, 8:] @ w)
    print(f"exhaustive truth table, 8-bit adder (65,536 rows, checked): {t * 1e3:.1f} ms  [< 50 ms]")

    rng = np.random.default_rng(10)
    table = TruthTable([f"x{i}" for i in range(10)], [f"y{k}" for k in range(4)], rng.integers(0, 2, (1024, 4)))
    t = median_time(lambda: synthesize(table), 5)
    g = synthesize(table)
    t0 = time.perf_counter()
    _, O = compile_graph(g).truth_table()
    t_check = time.perf_counter() - t0
    assert np.array_equal(O, table.rows) and logic.is_nand_only(g)
    print(f"synthesis, random 10-input 4-output table (checked exactly inside): {t:.2f} s  [< 2 s]; "
          f"{len(g.neurons())} NAND gates; separate compiled check of all rows {t_check:.2f} s")

    rng = np.random.default_rng(12)
    table = TruthTable([f"x{i}" for i in range(12)], [f"y{k}" for k in range(4)], rng.integers(0, 2, (4096, 4)))
    t = median_time(lambda: synthesize(table), 3)
    print(f"synthesis, random 12-input 4-output table: {t:.2f} s; {len(synthesize(table).neurons())} NAND gates")

    t = median_time(lambda: logic.scale_report(logic.adder(8)), 3)
    r = logic.scale_report(logic.adder(8))
    print(f"scale report, 8-bit adder (65,536 rows, c to 1e-9): {t:.2f} s; margin {r.margin:g}, "
          f"smallest working c {r.min_scale:.6g}")


if __name__ == "__main__":
    main()
