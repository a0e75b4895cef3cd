"""Graph-core speed: truth tables, single evaluations after a weight change, compilation.

    .venv/bin/python benchmarks/bench_graph.py

Prints the median of several repeats for each figure (targets from issue 2 in brackets).
"""

from __future__ import annotations


from _timing import median_time  # also sets one BLAS thread, as the nnsim command does
from nnsim.core.circuit.compile import LiveCircuit, compile_graph
from nnsim.core.circuit.random_graph import random_feedforward




def main() -> None:
    g16 = random_feedforward(16, 100, fan_in=3, levels=10, activations=("step", "sigmoid"), seed=1)
    c16 = compile_graph(g16)
    t = median_time(c16.truth_table)
    print(f"truth table, 16 inputs x 100 neurons (65,536 rows): {t * 1e3:.2f} ms  [< 20 ms]")

    g1k = random_feedforward(32, 1000, fan_in=4, levels=20, activations=("sigmoid",), seed=2)
    t = median_time(lambda: compile_graph(g1k), repeats=7)
    print(f"compile, 1,000 neurons / {len(g1k.wires)} wires, 20 levels: {t * 1e3:.1f} ms  [< 50 ms]")

    live = LiveCircuit(g1k)
    live.circuit.evaluate_current()
    wire = next(iter(g1k.wires))
    state = {"w": 0.0}

    def change_and_evaluate():
        state["w"] += 0.01
        g1k.set_weight(wire, state["w"])
        live.circuit.evaluate_current()

    t = median_time(change_and_evaluate, repeats=51)
    print(f"weight change + one evaluation, 1,000 neurons: {t * 1e3:.3f} ms  [< 1 ms]")

    deep = random_feedforward(32, 1000, fan_in=3, levels=100, activations=("step",), seed=3)
    cd = compile_graph(deep)
    t = median_time(cd.evaluate_current, repeats=51)
    print(f"one evaluation, 1,000 neurons over 100 levels: {t * 1e3:.3f} ms")

    c = compile_graph(random_feedforward(3, 150, activations=("sigmoid",), seed=4))
    t = median_time(lambda: c.gradients([[0.1, 0.5, 0.9]]), repeats=21)
    print(f"all gradients (every output x every parameter), 150 neurons: {t * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
