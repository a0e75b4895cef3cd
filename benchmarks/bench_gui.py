"""Timings of the canvas editor (prints figures; not a test). Run: python benchmarks/bench_gui.py

- a 16-bit NAND adder: click an input (edit → one evaluation → repaint of the canvas), and one step of a
  node drag (item moves, its wires follow, repaint), then the drag's release (one MoveNodes undo step);
- a 64-bit adder: File › Open until the canvas has painted;
- app start: `nnsim gui --screenshot` end to end in a fresh process (interpreter start, imports, window,
  first paint, PNG written), and in-process window creation to first paint.

Offscreen Qt (software rendering), window 1440×900. Figures are medians unless stated.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from nnsim.core import logic  # noqa: E402
from nnsim.io.fileformat import save_graph  # noqa: E402


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def make_window(tmp: Path):
    from nnsim.gui.main_window import MainWindow

    w = MainWindow(settings=QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat), recovery_dir=tmp / "rec")
    w.resize(1440, 900)
    w.show()
    QApplication.processEvents()
    return w


def paint(w) -> None:
    """Deliver pending events and repaint the canvas now (what the user would see)."""
    QApplication.processEvents()
    w.circuit.view.viewport().repaint()


def bench_adder16(tmp: Path) -> None:
    path = tmp / "adder16.json"
    save_graph(logic.adder(16, chips=False), path)
    w = make_window(tmp)
    w.open_path(path, ask=False)
    w.circuit.view.fit()
    paint(w)
    g = w.document.graph
    scene, sim = w.circuit.scene, w.circuit.simulator
    print(f"16-bit adder: {len(g.neurons())} neurons, {len(g.wires)} wires, zoom {w.circuit.view.zoom():.2f}")
    ids = [n.id for n in g.inputs()]
    times = []
    for i in range(60):
        t0 = time.perf_counter()
        scene.toggle_input(ids[i % len(ids)])
        sim.flush()
        paint(w)
        times.append(time.perf_counter() - t0)
    print(f"  toggle an input → evaluate → repaint: median {ms(statistics.median(times))}, "
          f"max {ms(max(times))} (60 clicks)")

    # zoomed in to 100 %: labels drawn, fewer items visible
    w.circuit.view.set_zoom(1.0)
    w.circuit.view.centerOn(scene.nodes[ids[0]].pos())
    paint(w)
    times = []
    for i in range(30):
        t0 = time.perf_counter()
        scene.toggle_input(ids[i % 4])
        sim.flush()
        paint(w)
        times.append(time.perf_counter() - t0)
    print(f"  same at 100 % zoom with weight labels: median {ms(statistics.median(times))}")

    w.circuit.view.fit()
    paint(w)
    node = scene.nodes[g.neurons()[len(g.neurons()) // 2].id]
    start = node.pos()
    times = []
    for i in range(40):
        t0 = time.perf_counter()
        node.setPos(start + QPointF(3 * i, 2 * i))
        paint(w)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    scene._commit_moves()  # noqa: SLF001 - what the scene does on mouse release
    sim.flush()
    paint(w)
    release = time.perf_counter() - t0
    print(f"  drag a node one step (wires follow, repaint): median {ms(statistics.median(times))}, "
          f"max {ms(max(times))}; release (one undo step): {ms(release)}")
    w.document.undo_stack.setClean()
    w.close()


def bench_adder8_table(tmp: Path) -> None:
    """The truth-table panel at its largest: 16 inputs, 65,536 rows, recomputed when a weight changes."""
    from nnsim.core.circuit.edits import SetWeight

    path = tmp / "adder8.json"
    save_graph(logic.adder(8), path)
    w = make_window(tmp)
    t0 = time.perf_counter()
    w.open_path(path, ask=False)
    w.circuit.simulator.flush()
    paint(w)
    opened = time.perf_counter() - t0
    ids = [n.id for n in w.document.graph.inputs()]
    toggles, weights = [], []
    for i in range(20):
        t0 = time.perf_counter()
        w.circuit.scene.toggle_input(ids[i % len(ids)])
        w.circuit.simulator.flush()
        paint(w)
        toggles.append(time.perf_counter() - t0)
    wid = next(iter(w.document.graph.wires))
    for i in range(10):
        t0 = time.perf_counter()
        w.document.push(SetWeight(wid, -2.0 - 0.01 * i), merge_key="bench")
        w.circuit.simulator.flush()
        paint(w)
        weights.append(time.perf_counter() - t0)
    print(f"8-bit adder with its 65,536-row truth table: open {ms(opened)}; click an input (row highlight "
          f"moves) {ms(statistics.median(toggles))}; weight change (table recomputed) "
          f"{ms(statistics.median(weights))}")
    w.document.undo_stack.setClean()
    w.close()


def bench_adder64(tmp: Path) -> None:
    path = tmp / "adder64.json"
    save_graph(logic.adder(64, chips=False), path)
    w = make_window(tmp)
    times = []
    for _ in range(3):
        w.document.undo_stack.setClean()
        t0 = time.perf_counter()
        w.open_path(path, ask=False)
        w.circuit.simulator.flush()
        paint(w)
        times.append(time.perf_counter() - t0)
    g = w.document.graph
    print(f"64-bit adder ({len(g.neurons())} neurons, {len(g.wires)} wires): open → first paint "
          f"{ms(min(times))} best, {ms(max(times))} worst of 3")
    w.close()


def bench_start(tmp: Path) -> None:
    t0 = time.perf_counter()
    from nnsim.gui.app import install_optional_pages

    w = make_window(tmp)
    install_optional_pages(w)
    paint(w)
    inproc = time.perf_counter() - t0
    w.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    first = []
    for _ in range(3):
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", FIRST_PAINT], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        proc.stdout.readline()
        first.append(time.perf_counter() - t0)
        proc.wait()
    print(f"app start: fresh process to first painted window (what `nnsim` does; the response lab and training "
          f"pages are added just after): median {ms(statistics.median(first))} (min {ms(min(first))})")
    runs = []
    for i in range(3):
        png = tmp / f"start{i}.png"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "nnsim.cli", "gui", "--screenshot", str(png), "--size", "1280x800"],
                       check=True, env=env, capture_output=True)
        runs.append(time.perf_counter() - t0)
    print(f"app start: window with all pages to first paint in-process {ms(inproc)}; "
          f"`nnsim gui --screenshot` fresh process end to end: median {ms(statistics.median(runs))} "
          f"(min {ms(min(runs))})")


FIRST_PAINT = """
from nnsim.gui import app
qapp = app.create_application()
from PySide6.QtCore import QSettings
window = app.create_window(optional_pages=False)
window.resize(1280, 800)
window.show()
qapp.processEvents()
window.repaint()
print("painted", flush=True)
app.install_optional_pages(window)
window.shutdown()
"""


def main() -> None:
    app = QApplication.instance() or QApplication([])  # noqa: F841
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        bench_start(tmp)
        bench_adder16(tmp)
        bench_adder8_table(tmp)
        bench_adder64(tmp)


if __name__ == "__main__":
    main()
