"""Training studio comparison (issue 13): does the GUI stay responsive while eight runs train together?

A TrainingPage (offscreen, 1400×900) compares eight seeds of 784-30-10 (η 3.0, mini-batch 10, bundled
MNIST; ``--limit`` training images), with the "Spread across seeds" view on (``--curves``: off). A 10 ms precise QTimer on the
GUI thread records how late each tick comes: its worst lateness is the event loop's longest stall
(target < 50 ms). The same probe on the idle app shows the machine's own noise.

Usage: ``.venv/bin/python benchmarks/bench_compare_gui.py [--runs 8] [--epochs 2] [--repeat 3] [--limit N]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from PySide6.QtWidgets import QApplication  # noqa: E402

from bench_training_gui import _probe, idle_stalls, p99  # noqa: E402
from nnsim.core.blas import use_one_thread  # noqa: E402
from nnsim.io import datacache  # noqa: E402


def compare_once(app, page, runs, epochs):
    """One comparison; returns (wall seconds per epoch, worst lateness ms, p99 ms, redraws/s)."""
    lateness, clock, timer = _probe()
    page.epochs.setValue(epochs)
    page.compare_seeds.setText(", ".join(str(s) for s in range(1, runs + 1)))
    page.compare_etas.setText("")
    page.sigRunFinished.connect(lambda outcome: app.quit())
    redraws = page.plots.redraws
    start = time.perf_counter()
    page.compare()
    clock.start()
    timer.start()
    app.exec()
    wall = time.perf_counter() - start
    timer.stop()
    page.sigRunFinished.disconnect()
    ticks = lateness[1:]
    return wall / epochs, max(ticks or [0]), p99(ticks), (page.plots.redraws - redraws) / wall


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="training images (0: all 50,000)")
    parser.add_argument("--curves", action="store_true", help="every run's own curves, not the spread view")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    use_one_thread()
    from nnsim.gui.training.page import TrainingPage

    data = datacache.load_data(None)
    datacache.baselines(data)
    page = TrainingPage()
    page.resize(1400, 900)
    page.show()
    page.show_dialogs = False
    page.limit.setValue(args.limit)
    page.plots.spread_box.setChecked(not args.curves)
    print(f"view: {'every run' + chr(39) + 's curves' if args.curves else 'spread across seeds'}")
    print(f"start: load average {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    compare_once(app, page, args.runs, 1)  # warm-up
    idle = idle_stalls(app)
    print(f"idle app: worst event-loop stall {max(idle):.0f} ms, p99 {p99(idle):.0f} ms")
    results = []
    for i in range(args.repeat):
        page.plots.clear()
        results.append(compare_once(app, page, args.runs, args.epochs))
        r = results[-1]
        print(f"repeat {i + 1}: {args.runs} runs, {r[0]:.2f} s per epoch (all runs, evaluation included), "
              f"GUI stall worst {r[1]:.0f} ms, p99 {r[2]:.0f} ms, {r[3]:.1f} redraws/s")
    page.shutdown()
    print(f"GUI event-loop stall while {args.runs} runs train: worst {max(r[1] for r in results):.0f} ms, "
          f"median of worsts {statistics.median(r[1] for r in results):.0f} ms, "
          f"p99 {max(r[2] for r in results):.0f} ms (target < 50 ms)")
    print(f"end: load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
