"""Response-lab speed on a ~150-neuron circuit (a 16-bit ripple-carry adder built from NAND perceptrons,
and its all-sigmoid copy): a 1,000-point sweep, the z = 0 crossings, a sensitivity table, and a weight
drag (document edit + plot update, with and without the main window's canvas). Then the tools that compute
in worker threads (Scale c, Sensitivity, Teach): the GUI thread's share of a request, the time until the
result is shown, and the longest the GUI thread's event loop went without running meanwhile (a 5 ms timer
measures it: that is the longest the window could have been frozen).

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

from _timing import median_time  # noqa: E402
from nnsim.core.circuit.compile import compile_graph  # noqa: E402
from nnsim.core.logic import adder  # noqa: E402
from nnsim.core.response import SweepCircuit, scale_curve, sensitivity, sweep, with_activation  # noqa: E402




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

    from nnsim.core.circuit.edits import SetWeight
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
    window.close()              # shuts the pages down; its repaints must not disturb the figures below
    app.processEvents()


class StallMeter:
    """Runs the GUI event loop until ``done()`` and reports the longest gap between ticks of a 5 ms timer
    (how long the GUI thread was busy without handling events)."""

    def __init__(self, app):
        from PySide6.QtCore import QTimer

        self.app = app
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = None
        self.worst = 0.0

    def _tick(self):
        now = time.perf_counter()
        if self.last is not None:
            self.worst = max(self.worst, now - self.last)
        self.last = now

    def run(self, done, timeout: float = 60.0) -> tuple[float, float]:
        """(seconds until ``done()``, longest gap) — the event loop runs meanwhile."""
        self.last, self.worst = time.perf_counter(), 0.0
        self.timer.start()
        t0 = time.perf_counter()
        while not done() and time.perf_counter() - t0 < timeout:
            self.app.processEvents()
            time.sleep(0.001)
        elapsed = time.perf_counter() - t0
        self.timer.stop()
        self._tick()
        return elapsed, self.worst


def worker_figures(graph) -> None:
    """Scale c, Sensitivity and Teach through their worker threads."""
    from PySide6.QtWidgets import QApplication

    from nnsim.core.circuit.edits import SetNode
    from nnsim.gui.document import Document
    from nnsim.gui.response.scale_plot import ScalePlot
    from nnsim.gui.response.sensitivity_panel import SensitivityPanel
    from nnsim.gui.response.teach_panel import TeachPanel

    app = QApplication.instance() or QApplication([])
    meter = StallMeter(app)
    print("worker threads (GUI-thread time; time until shown; longest GUI-thread stall meanwhile)")

    # scale c on the perceptron adder: refresh() copies the graph and submits; the result is drawn later
    doc = Document(graph.copy())
    plot = ScalePlot(doc)
    plot.resize(900, 600)
    plot.show()
    meter.run(lambda: plot.curve_data is not None)       # the first curve (warm-up)
    neuron = doc.graph.neurons()[0]
    requests, shown, stalls, applies = [], [], [], []
    for i in range(3):
        updates = []
        plot.sigUpdated.connect(lambda: updates.append(1))
        doc.graph.set_node(neuron.id, bias=neuron.bias + (0.25 if i % 2 == 0 else -0.25))
        t0 = time.perf_counter()
        plot.refresh()
        requests.append(time.perf_counter() - t0)
        elapsed, worst = meter.run(lambda: bool(updates))
        shown.append(elapsed)
        stalls.append(worst)
        plot.sigUpdated.disconnect()
        t0 = time.perf_counter()
        plot._show(plot.curve_data)
        applies.append(time.perf_counter() - t0)
    print(f"  scale-c request on the GUI thread (copy + submit)       {ms(statistics.median(requests))}")
    print(f"  scale-c curve drawn from the result (GUI thread)        {ms(statistics.median(applies))}")
    print(f"  scale-c request until the curve is shown                {ms(statistics.median(shown))}")
    print(f"  longest GUI-thread stall while it is computed (median of requests; worst) "
          f"{ms(statistics.median(stalls))}; {ms(max(stalls)).strip()}   [no freeze]")
    plot.shutdown()

    # the sensitivity table of the sigmoid copy (419 rows)
    doc = Document(with_activation(graph, "sigmoid"))
    panel = SensitivityPanel(doc)
    panel.resize(900, 700)
    panel.show()
    meter.run(lambda: len(panel.rows) > 0)
    requests, shown, stalls, applies = [], [], [], []
    for i in range(5):
        updates = []
        panel.sigUpdated.connect(lambda: updates.append(1))
        t0 = time.perf_counter()
        panel.delta_spin.setValue(0.1 + 0.01 * (i + 1))     # refresh(): copy + submit
        requests.append(time.perf_counter() - t0)
        elapsed, worst = meter.run(lambda: bool(updates))
        shown.append(elapsed)
        stalls.append(worst)
        panel.sigUpdated.disconnect()
    last = {}   # one result, to time the table fill alone
    panel.runner.sigReturned.connect(lambda r: last.setdefault("r", r))
    panel.delta_spin.setValue(0.5)
    meter.run(lambda: "r" in last)
    for _ in range(5):
        t0 = time.perf_counter()
        panel._show(last["r"])
        applies.append(time.perf_counter() - t0)
    print(f"  sensitivity request on the GUI thread (copy + submit)   {ms(statistics.median(requests))}")
    print(f"  sensitivity table filled from the result ({len(panel.rows)} rows)   {ms(statistics.median(applies))}")
    print(f"  sensitivity request until the table is filled           {ms(statistics.median(shown))}")
    print(f"  longest GUI-thread stall while it is computed (median of requests; worst) "
          f"{ms(statistics.median(stalls))}; {ms(max(stalls)).strip()}   [no freeze]")
    panel.shutdown()

    # teach a sigmoid 4-bit adder (32 neurons, 256 rows) its truth table for a while
    small = with_activation(adder(4), "sigmoid")
    doc = Document(small)
    teach = TeachPanel(doc)
    teach.resize(900, 600)
    teach.show()
    app.processEvents()
    snaps, apply_times = [], []
    original = teach._on_snapshot

    def timed(snap):
        t0 = time.perf_counter()
        original(snap)
        apply_times.append(time.perf_counter() - t0)
        snaps.append(snap)

    teach.runner.sigYielded.disconnect()
    teach.runner.sigYielded.connect(timed)
    teach.epochs_spin.setValue(400)
    teach.eta_spin.setValue(1.0)
    finished = []
    teach.sigFinished.connect(finished.append)
    teach.start()
    elapsed, worst = meter.run(lambda: bool(finished))
    epochs = finished[0].epoch
    print(f"  teach a sigmoid 4-bit adder (32 neurons, {len(finished[0].params)} params, 256 rows): "
          f"{epochs} epochs in {elapsed:.2f} s, {len(snaps)} snapshots ({len(snaps) / elapsed:.1f}/s)")
    print(f"  a snapshot applied on the GUI thread (edit + curve + table) {ms(statistics.median(apply_times))}")
    print(f"  longest GUI-thread stall while it trains            {ms(worst)}   [no freeze]")
    print(f"  undo steps for the run: {doc.undo_stack.count()}")
    teach.shutdown()


def main() -> None:
    g = adder(16)
    core_figures(g, "16-bit adder of NAND perceptrons")
    core_figures(with_activation(g, "sigmoid"), "sigmoid copy")
    gui_figures(with_activation(g, "sigmoid"))
    worker_figures(g)


if __name__ == "__main__":
    main()
