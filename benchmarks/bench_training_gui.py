"""Training studio: does the page slow training down, and does the GUI stay responsive while it runs?

Prints, for the same settings (bundled MNIST, 784-30-10, η 3.0, mini-batch 10, seed 1):
- engine alone: ``sgd`` iterated directly, same report interval as the page, wall seconds per epoch;
- in the app: the TrainingPage on the offscreen platform, seconds per epoch as the engine reports them
  (the worker thread's wall time, inside the app, evaluation and per-epoch analysis included);
- the ratio app / engine (target ≤ 1.15);
- the longest stall of the GUI event loop: a 10 ms QTimer's worst lateness during the run (target < 50 ms),
  and the plots' redraws per second (target ≤ ~10).

Usage: ``.venv/bin/python benchmarks/bench_training_gui.py [--epochs 5] [--repeat 3] [--limit N]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from PySide6.QtCore import QElapsedTimer, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from nnsim.core.learning import metrics  # noqa: E402
from nnsim.core.learning.network import Network  # noqa: E402
from nnsim.core.learning.training import sgd  # noqa: E402
from nnsim.gui.training import tasks  # noqa: E402
from nnsim.io import datacache  # noqa: E402


def engine_alone(data, settings):
    X, y = data.compact("training")  # uint8 pixels, as the page trains on
    if settings.limit_train:
        X, y = X[:settings.limit_train], y[:settings.limit_train]
    net = Network(settings.sizes, seed=settings.seed, dtype=settings.dtype)
    every = max(1, (len(y) // settings.mini_batch_size) // 20)
    start = time.perf_counter()
    last = None
    for stats in sgd(net, (X, y), settings.epochs, settings.mini_batch_size, settings.eta,
                     validation_data=data.compact("validation"), test_data=data.compact("test"),
                     seed=settings.seed, report_every=every):
        last = stats
    seconds = time.perf_counter() - start
    return seconds / settings.epochs, metrics.percent(last.test_correct, last.test_total)


def _probe():
    """A 10 ms QTimer recording how late each tick comes (ms): the GUI event loop's stalls."""
    lateness = []
    clock = QElapsedTimer()
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(10)

    def tick():
        lateness.append(max(0, clock.restart() - 10))

    timer.timeout.connect(tick)
    return lateness, clock, timer


def idle_stalls(app, seconds=3.0):
    """The same probe on an idle app: what the machine itself (other processes) costs the event loop."""
    lateness, clock, timer = _probe()
    QTimer.singleShot(int(seconds * 1000), app.quit)
    clock.start()
    timer.start()
    app.exec()
    timer.stop()
    return lateness[1:]


def p99(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(0.99 * len(values)))] if values else 0


def in_app(app, page, epochs):
    """One run on the page; returns (s/epoch, worst lateness ms, p99 lateness ms, redraws/s, test %)."""
    lateness, clock, timer = _probe()
    finished = []

    def on_finished(outcome):
        finished.append(outcome)
        app.quit()

    page.sigRunFinished.connect(on_finished)
    redraws_before = page.plots.redraws
    start = time.perf_counter()
    page.autostart(epochs)
    clock.start()
    timer.start()
    app.exec()  # a real event loop: the timer's lateness is what training costs the GUI
    page.sigRunFinished.disconnect(on_finished)
    wall = time.perf_counter() - start
    timer.stop()
    run = page.plots.current
    seconds = run.seconds[-1]
    redraws = (page.plots.redraws - redraws_before) / max(wall, 1e-9)
    ticks = lateness[1:]
    return seconds / epochs, max(ticks or [0]), p99(ticks), redraws, run.test_pct[-1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="training images (0: all 50,000)")
    args = parser.parse_args(argv)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from nnsim.gui.training.page import TrainingPage

    settings = tasks.TrainingSettings(epochs=args.epochs, limit_train=args.limit or None)
    t0 = time.perf_counter()
    data = datacache.load_data(None)
    print(f"data loaded in {time.perf_counter() - t0:.2f} s ({len(data.training[1]):,} training images)")
    datacache.baselines(data)  # cached, as after the page's first run

    page = TrainingPage()
    page.resize(1400, 900)
    page.show()
    page.limit.setValue(args.limit)
    in_app(app, page, 1)  # warm-up: first paint of every item, caches
    idle = idle_stalls(app)
    print(f"idle app (no training): worst event-loop stall {max(idle):.0f} ms, p99 {p99(idle):.0f} ms "
          f"(the machine's own noise)")
    engine, app_runs = [], []
    for i in range(args.repeat):
        engine.append(engine_alone(data, settings))
        app_runs.append(in_app(app, page, args.epochs))
        e, a = engine[-1], app_runs[-1]
        print(f"repeat {i + 1}: engine {e[0]:.3f} s/epoch ({e[1]:.2f} %), app {a[0]:.3f} s/epoch "
              f"({a[4]:.2f} %), GUI stall worst {a[1]:.0f} ms, p99 {a[2]:.0f} ms, {a[3]:.1f} redraws/s")
    page.shutdown()
    e_med, a_med = statistics.median(x[0] for x in engine), statistics.median(x[0] for x in app_runs)
    e_min, a_min = min(x[0] for x in engine), min(x[0] for x in app_runs)
    print(f"s/epoch, engine alone: median {e_med:.3f}, best {e_min:.3f}; in the app: median {a_med:.3f}, "
          f"best {a_min:.3f}; ratio of medians {a_med / e_med:.2f}, of bests {a_min / e_min:.2f} "
          f"(target ≤ 1.15)")
    print(f"GUI event-loop stall during training: worst {max(x[1] for x in app_runs):.0f} ms, "
          f"p99 {max(x[2] for x in app_runs):.0f} ms (target < 50 ms)")
    print(f"plot redraws: at most {max(x[3] for x in app_runs):.1f} per second (target ≤ ~10)")


if __name__ == "__main__":
    main()
