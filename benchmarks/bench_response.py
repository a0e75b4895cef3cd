"""Response-lab speed on a ~150-neuron circuit (a 16-bit ripple-carry adder built from NAND perceptrons,
and its all-sigmoid copy): a 1,000-point sweep, the z = 0 crossings, a sensitivity table, and a weight
drag (document edit + plot update, with and without the main window's canvas).

    .venv/bin/python benchmarks/bench_response.py

Prints the median of several repeats for each figure (the issue's target in brackets).
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import numpy as np  # noqa: E402

from nnsim.core.compile import compile_graph  # noqa: E402
from nnsim.core.logic import adder  # noqa: E402
from nnsim.core.response import SweepCircuit, scale_curve, sensitivity, sweep, with_activation  # noqa: E402


def median_time(fn, repeats: int = 15) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def core_figures(graph, name: str) -> None:
    circuit = compile_graph(graph)
    rng = np.random.default_rng(0)
    x = rng.integers(0, 2, circuit.n_inputs).astype(float)
    a0, _ = circuit.run(x[None, :])
    # a weight in the middle of the carry chain whose source is on (so it matters at these inputs)
    weights = [q for q in circuit.params if q.kind == "w" and a0[0, circuit.col[circuit.wire_ends[q.id][0]]] > 0.5]
    p = weights[len(weights) // 3]
    values = np.linspace(-6, 6, 1000)
    print(f"{name}: {len(circuit.neuron_ids)} neurons, {len(circuit.params)} parameters, depth {circuit.depth}")
    sc = SweepCircuit(graph, p, circuit)
    print(f"  1,000-point sweep, all nodes (a, z)       {ms(median_time(lambda: sc.states(x, values)))}   [one pass]")
    print(f"  1,000-point sweep, outputs (Circuit.sweep){ms(median_time(lambda: circuit.sweep(x, p, values)))}")
    z = sc.states(x, values)[1]
    n = len(sc.crossings(x, values, z))
    print(f"  z = 0 crossings ({n:3d}) refined to 1e-12  {ms(median_time(lambda: sc.crossings(x, values, z), 5))}")
    print(f"  sweep() with 3 variants + crossings       {ms(median_time(lambda: sweep(graph, p, values, x), 3))}")
    if not name.startswith("sigmoid"):
        print(f"  scale-c curve (49 values of c + scale_report)  {ms(median_time(lambda: scale_curve(graph), 3))}")
    if name.startswith("sigmoid"):
        print(f"  sensitivity table ({len(circuit.params)} rows, ΔO each)   "
              f"{ms(median_time(lambda: sensitivity(circuit, x, 0.1), 3))}")


def gui_figures(graph) -> None:
    from PySide6.QtWidgets import QApplication

    from nnsim.core.edits import SetWeight
    from nnsim.gui.document import Document
    from nnsim.gui.response.response_plot import ResponsePlot

    app = QApplication.instance() or QApplication([])
    doc = Document(graph)
    plot = ResponsePlot(doc)
    plot.resize(900, 600)
    plot.show()
    app.processEvents()
    wire = list(doc.graph.wires)[len(doc.graph.wires) // 3]
    other = list(doc.graph.wires)[len(doc.graph.wires) // 2]
    plot.combo.choose(("w", wire))
    app.processEvents()
    state = {"v": -2.0}

    def drag_step():
        state["v"] += 0.01
        plot.set_value(round(state["v"], 3), merge_key=("bench", wire))
        plot.repaint()

    def other_drag():
        state["v"] += 0.01
        doc.push(SetWeight(other, state["v"]), merge_key=("bench2", other))
        plot.refresh()
        plot.repaint()

    def other_edit():
        state["v"] += 0.01
        doc.push(SetWeight(other, state["v"]))
        plot.refresh()
        plot.repaint()

    print(f"  drag the plotted weight: edit + marker + repaint        {ms(median_time(drag_step, 30))}   [< 30 ms]")
    print(f"  drag another weight: edit + 3 coarse curves + repaint   {ms(median_time(other_drag, 15))}   [< 30 ms]")
    doc.end_merge()
    print(f"  another weight set once: edit + 3 full curves + repaint {ms(median_time(other_edit, 10))}")

    from nnsim.gui.app import create_window
    import tempfile
    from PySide6.QtCore import QSettings

    tmp = tempfile.mkdtemp()
    window = create_window(settings=QSettings(os.path.join(tmp, "s.ini"), QSettings.Format.IniFormat),
                           recovery_dir=os.path.join(tmp, "rec"))
    window.document.replace(graph.copy())
    window.resize(1500, 950)
    window.show()
    app.processEvents()
    from nnsim.gui.response.lab import ResponseLab

    lab = window.findChildren(ResponseLab)[0]
    wid = list(window.document.graph.wires)[len(window.document.graph.wires) // 3]
    lab.response.combo.choose(("w", wid))
    app.processEvents()

    def window_drag():
        state["v"] += 0.01
        lab.response.set_value(round(state["v"], 3), merge_key=("bench3", wid))
        app.processEvents()
        window.repaint()

    print(f"  same drag in the main window (canvas + lab + table repaint) {ms(median_time(window_drag, 15))}   [< 30 ms]")
    window.document.undo_stack.setClean()
    if hasattr(window, "shutdown"):
        window.shutdown()


def main() -> None:
    g = adder(16)
    core_figures(g, "16-bit adder of NAND perceptrons")
    core_figures(with_activation(g, "sigmoid"), "sigmoid copy")
    gui_figures(with_activation(g, "sigmoid"))


if __name__ == "__main__":
    main()
