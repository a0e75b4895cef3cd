"""Linear-time figures for hostile sizes (issue 14): loading 200,000 nodes and wires, a neuron with a
fan-in of 20,000, ``synth --expr`` with shared sub-expressions, and opening a fan-in of 1,000 on the canvas.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_hostile.py

Each figure is one timed run after building the input (these are seconds-long, not micro, timings).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from _timing import median_time  # noqa: F401 - also sets one BLAS thread, as the nnsim command does
from nnsim.core.circuit.graph import Graph
from nnsim.core.logic.boolexpr import parse_expression
from nnsim.io.fileformat import load_graph, save_graph


def timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def chain_document(n: int) -> dict:
    """An input and a chain of ``n - 1`` neurons: n nodes, n - 1 wires."""
    nodes = [{"id": "x", "kind": "input", "label": "x", "value": 0, "x": 0, "y": 0}]
    nodes += [{"id": f"n{i}", "kind": "neuron", "label": "", "activation": "step", "bias": 0.5, "x": i, "y": 0}
              for i in range(1, n)]
    wires = [{"id": f"w{i}", "source": "x" if i == 1 else f"n{i - 1}", "target": f"n{i}", "weight": 1}
             for i in range(1, n)]
    return {"format": "nnsim", "version": 1, "name": "chain", "nodes": nodes, "wires": wires}


def fan_in_graph(k: int) -> Graph:
    g = Graph("fan-in")
    for i in range(k):
        g.add_input(id=f"x{i}")
    g.add_neuron("out", id="out")
    for i in range(k):
        g.connect(f"x{i}", "out", 1.0, id=f"w{i}")
    return g


def generated_chain(n: int) -> Graph:
    """A chain built the way code builds circuits: no ids given, so each one is Graph.new_id's."""
    g = Graph("chain")
    previous = g.add_input().id
    for _ in range(n):
        node = g.add_neuron().id
        g.connect(previous, node, 1.0)
        previous = node
    return g


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for n in (20_000, 100_000):
            path = Path(tmp) / f"chain{n}.json"
            path.write_text(json.dumps(chain_document(n)))
            t, g = timed(lambda: load_graph(path))
            print(f"load a {n:,}-node chain ({len(g.nodes) + len(g.wires):,} nodes and wires, "
                  f"{path.stat().st_size / 1e6:.1f} MB): {t:.2f} s")
        save_graph(g, Path(tmp) / "again.json")
    for k in (2_000, 20_000):
        t, _ = timed(lambda: fan_in_graph(k))
        print(f"build a neuron with a fan-in of {k:,}: {t * 1e3:.0f} ms")
    for n in (2_000, 20_000):
        t, _ = timed(lambda: generated_chain(n))
        print(f"build a {n:,}-neuron chain with generated ids (add_neuron(), connect()): {t * 1e3:.0f} ms")
    text = "; ".join(["a0 = x ^ y"] + [f"a{i} = a{i - 1} & a{i - 1} | a{i - 1}" for i in range(1, 41)])
    t, _ = timed(lambda: parse_expression(text))
    print(f"synth --expr, {len(text)} characters doubling its tree 40 times: {t * 1e3:.0f} ms")
    if os.environ.get("QT_QPA_PLATFORM") or sys.platform == "darwin":
        canvas_fan_in(1_000)


def canvas_fan_in(k: int) -> None:
    from PySide6.QtWidgets import QApplication

    from nnsim.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    g = fan_in_graph(k)
    for i, node in enumerate(g.nodes.values()):
        node.x, node.y = (0.0, 40.0 * i) if node.kind == "input" else (400.0, 20.0 * k)
    window = MainWindow()
    t0 = time.perf_counter()
    window.document.replace(g)   # what File › Open does
    app.processEvents()
    t = time.perf_counter() - t0
    print(f"canvas: open a neuron with a fan-in of {k:,} ({len(window.circuit.scene.wires):,} wire items): "
          f"{t:.2f} s  [< 2 s]")
    window.document.undo_stack.setClean()
    window.shutdown()


if __name__ == "__main__":
    main()
