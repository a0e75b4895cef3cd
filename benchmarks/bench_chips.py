"""Chips: flattening and compiling circuits built of chips, the NAND multiplier, and opening chip
documents on the canvas. Run: python benchmarks/bench_chips.py [--scale]

- the 64-bit adder as a row of 64 chips (572 NAND perceptrons): build, flatten, compile; File › Open
  until the canvas has painted, and a click on an input until it has repainted (offscreen Qt, window
  1440×900, in-process);
- the 16×16 multiplier (271 chips, 2,608 NAND perceptrons): build, flatten + compile, 1,000 products in one
  vectorised pass; File › Open → first paint; and the 32×32 multiplier (10,848 perceptrons) the same way;
- issue 15's scale target, in the window as ``nnsim gui`` makes it (response lab and training pages too,
  whose panels follow every edit): File › Open → first paint of the generated 16×16 array-multiplier
  netlist (2,305 gates, c6288's size class) in its NAND-only form (8,674 perceptrons, 11,026 wires), of the
  same .bench file itself (imported on opening, XOR gates as chips), of ``ALU.hdl`` (imported as chips)
  and of the 32×32 chip multiplier; and ``nnsim gui FILE --screenshot`` end to end (a fresh process with
  empty settings: start, open, render, save the PNG).

Figures are medians (or best/worst of 3 for the canvas).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from _timing import median_time  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from nnsim.core import logic  # noqa: E402
from nnsim.core.circuit.chips import flatten  # noqa: E402
from nnsim.core.circuit.compile import compile_graph  # noqa: E402
from nnsim.io.bench import array_multiplier_bench, import_bench  # noqa: E402
from nnsim.io.fileformat import save_graph  # noqa: E402
from nnsim.paths import hdl_dir  # noqa: E402


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def core() -> None:
    t = median_time(lambda: logic.adder(64), repeats=7)
    g = logic.adder(64)
    print(f"64-bit chip adder: build {ms(t)}, flatten {ms(median_time(lambda: flatten(g), repeats=7))}, "
          f"compile (flattens) {ms(median_time(lambda: compile_graph(g), repeats=7))}")
    for bits in (16, 32):
        t = median_time(lambda: logic.multiplier(bits), repeats=5)
        m = logic.multiplier(bits)
        tc = median_time(lambda: compile_graph(m), repeats=5)
        c = compile_graph(m)
        rng = np.random.default_rng(0)
        A = [int(v) for v in rng.integers(0, 2 ** bits, 1000)]
        B = [int(v) for v in rng.integers(0, 2 ** bits, 1000)]
        logic.multiply_numbers(A[:1], B[:1], bits)   # compiles once (cached)
        tm = median_time(lambda: logic.multiply_numbers(A, B, bits), repeats=5)
        assert logic.multiply_numbers(A, B, bits) == [a * b for a, b in zip(A, B)]
        print(f"{bits}x{bits} multiplier ({len(c.neuron_ids):,} perceptrons, depth {c.depth}): build {ms(t)}, "
              f"compile {ms(tc)}, 1,000 products {ms(tm)}")


def open_on_canvas(tmp: Path, name: str, graph, path: Path | None = None, pages: bool = False) -> None:
    """Open ``graph`` (saved as a document), or the file ``path`` when given; ``pages``: with the response lab
    and training pages, as the app has them."""
    from nnsim.gui.app import install_optional_pages
    from nnsim.gui.main_window import MainWindow
    from nnsim.io.imports import load_any

    if path is None:
        path = tmp / f"{name}.json"
        save_graph(graph, path)
    t0 = time.perf_counter()
    load_any(path)
    load = time.perf_counter() - t0
    w = MainWindow(settings=QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat), recovery_dir=tmp / "rec")
    if pages:
        install_optional_pages(w)
    w.resize(1440, 900)
    w.show()
    QApplication.processEvents()
    times = []
    for _ in range(3):
        w.document.undo_stack.setClean()
        t0 = time.perf_counter()
        w.open_path(path, ask=False)
        w.circuit.simulator.flush()
        QApplication.processEvents()
        w.circuit.view.viewport().repaint()
        times.append(time.perf_counter() - t0)
    print(f"{name}: load the file {ms(load)}; File › Open → first paint {ms(min(times))} best, "
          f"{ms(max(times))} worst of 3 ({len(w.circuit.scene.nodes)} items on the canvas)")
    first = w.document.graph.inputs()[-1].id
    clicks = []
    for _ in range(11):   # click an input: one evaluation, pins and boxes updated, canvas repainted
        t0 = time.perf_counter()
        w.circuit.scene.toggle_input(first)
        w.circuit.simulator.flush()
        QApplication.processEvents()
        w.circuit.view.viewport().repaint()
        clicks.append(time.perf_counter() - t0)
    print(f"{name}: click an input → repainted {ms(sorted(clicks)[5])} median")
    w.document.undo_stack.setClean()
    w.close()


def gui_screenshot(tmp: Path, name: str, path: Path) -> None:
    """``nnsim gui FILE --size 1280x720 --screenshot PNG`` in a fresh process with empty settings."""
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp / "config"), QT_QPA_PLATFORM="offscreen")
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "nnsim.cli.__main__", "gui", str(path), "--size", "1280x720",
                        "--screenshot", str(tmp / "shot.png")], env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    print(f"{name}: nnsim gui --screenshot, end to end {min(times):.2f} s best, {max(times):.2f} s worst of 3")


def scale_target(tmp: Path) -> None:
    """Issue 15: a 2,400-gate circuit's NAND-only form opens on the canvas in under 5 s."""
    bench = tmp / "mul16.bench"
    bench.write_text(array_multiplier_bench(16))
    nand = tmp / "mul16-nand.json"
    save_graph(import_bench(bench, nand_only=True), nand)
    open_on_canvas(tmp, "16x16 netlist, NAND-only (8,674 perceptrons)", None, nand, pages=True)
    open_on_canvas(tmp, "16x16 netlist .bench (XOR chips)", None, bench, pages=True)
    open_on_canvas(tmp, "ALU.hdl (chips)", None, hdl_dir() / "ALU.hdl", pages=True)
    open_on_canvas(tmp, "32x32 chip multiplier, app window", logic.multiplier(32), pages=True)
    gui_screenshot(tmp, "16x16 netlist, NAND-only", nand)
    gui_screenshot(tmp, "16x16 netlist .bench", bench)


def main() -> None:
    only_scale = "--scale" in sys.argv[1:]   # only issue 15's scale target (the last block)
    if not only_scale:
        core()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if not only_scale:
            open_on_canvas(tmp, "64-bit chip adder", logic.adder(64))
            open_on_canvas(tmp, "16x16 multiplier", logic.multiplier(16))
            open_on_canvas(tmp, "32x32 multiplier", logic.multiplier(32))
        scale_target(tmp)
    del app


if __name__ == "__main__":
    main()
