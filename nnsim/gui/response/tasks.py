"""The response lab's long computations as tasks for :class:`nnsim.gui.worker.TaskRunner`.

Each ``*_task(...)`` is called on the GUI thread with a *copy* of the document's graph (``Graph.copy()``,
cheap next to the work) and returns ``task(stop) -> Iterator``; the work itself —
compiling, sweeping, training — runs in the worker thread on that copy and never touches the document.
Results are plain data that the view applies on the GUI thread. No Qt here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from nnsim.core.circuit.chips import all_neurons
from nnsim.core.circuit.compile import compile_graph
from nnsim.core.errors import UserError
from nnsim.core.circuit.graph import Graph
from nnsim.core.response import ScaleCurve, Sensitivity, scale_curve, sensitivity
from nnsim.core.learning.teach import TeachStats, teach

SNAPSHOT_SECONDS = 0.1   # teach sends weight snapshots at most this often (~10 a second)
BREATHE_EVERY = 0.01     # a worker doing many small NumPy calls sleeps BREATHE_PAUSE this often ...
BREATHE_PAUSE = 0.0005   # ... so the GUI thread gets the GIL (see Breather)


class Breather:
    """Call it often from a worker's inner loop: at most every ``every`` seconds it sleeps ``pause``
    seconds and returns ``stop()``; otherwise it returns False at once.

    Why: a worker making many short NumPy calls releases and re-takes the GIL at each one, and CPython then
    hardly ever hands the GIL to a thread waiting for it (the "convoy effect"), and the GUI thread's event
    loop stalls while a sensitivity table is computed. A short sleep now and then hands the GIL over for a
    small share of the worker's time (figures in docs/benchmarks.md, "Response lab")."""

    def __init__(self, stop=None, every: float = BREATHE_EVERY, pause: float = BREATHE_PAUSE,
                 clock=time.perf_counter):
        self.stop, self.every, self.pause, self.clock = stop, every, pause, clock
        self.last = clock()

    def __repr__(self):
        return f"Breather(every {self.every * 1000:g} ms, pause {self.pause * 1000:g} ms)"

    def __call__(self) -> bool:
        if self.clock() - self.last < self.every:
            return False
        time.sleep(self.pause)
        self.last = self.clock()
        return bool(self.stop is not None and self.stop())


# ----- scale c -----------------------------------------------------------------------------------------
def scale_task(graph: Graph, points: int = 49):
    """:func:`nnsim.core.response.scale_curve` of ``graph`` (a copy), which asks ``stop()`` between its
    steps. Returns the :class:`ScaleCurve`, or ``None`` when stopped. A graph that is no perceptron circuit
    raises its ``UserError`` (reported by the runner)."""

    def task(stop):
        if not all_neurons(graph):
            raise UserError("this network has no neurons yet")
        return scale_curve(graph, points=points, stop=stop)
        yield  # a generator: the runner iterates it

    return task


# ----- sensitivity ---------------------------------------------------------------------------------------
@dataclass
class SensitivityResult:
    """The sensitivity table of one request: ``rows`` sorted by |∂O/∂p| of output number ``output`` (named
    ``output_name``, present value ``value``), at input row ``x`` (n_inputs,) of the inputs
    ``input_labels``, for a nudge ``delta``. ``note`` says why there are no rows (a loop, no output, no
    parameters); it is empty otherwise."""

    rows: list[Sensitivity]
    x: np.ndarray
    delta: float
    output: int
    output_name: str = ""
    value: float = float("nan")
    input_labels: list[str] = field(default_factory=list)
    note: str = ""

    def __repr__(self):
        return f"SensitivityResult({len(self.rows)} rows, output {self.output_name!r}, Δ = {self.delta:g})"


def sensitivity_task(graph: Graph, x, delta: float, output: int):
    """:func:`nnsim.core.response.sensitivity` of ``graph`` (a copy, compiled in the worker) at inputs ``x``
    (n_inputs,) for output number ``output``; returns a :class:`SensitivityResult`, or ``None`` when stopped
    (``stop()`` is checked, and the GUI thread let in, every few milliseconds: see :class:`Breather`)."""
    x = np.array(x, dtype=float)

    def task(stop):
        circuit = compile_graph(graph)
        result = SensitivityResult([], x, float(delta), output)
        if circuit.has_loop or not circuit.output_ids:
            result.note = "Sensitivities need a feedforward network with an output and some parameters."
            return result
        if not circuit.params:
            result.note = "This network has no weights or biases yet."
            return result
        if stop():
            return None
        k = min(max(int(output), 0), len(circuit.output_ids) - 1)
        rows = sensitivity(circuit, x, delta, output=k, stop=Breather(stop))
        if rows is None:
            return None
        result.rows = rows
        result.output, result.output_name = k, circuit.labels[circuit.output_ids[k]]
        result.value = float(circuit.feedforward(x[None, :])[0, k])
        result.input_labels = [circuit.labels[i] for i in circuit.input_ids]
        return result
        yield  # a generator: the runner iterates it

    return task


# ----- teach ------------------------------------------------------------------------------------------
@dataclass
class TeachSnapshot:
    """What the GUI needs from a stretch of training: the latest ``stats`` (weights included) and the
    ``epochs`` and ``costs`` reported since the previous snapshot (for the cost curve)."""

    stats: TeachStats
    epochs: list[int] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)

    def __repr__(self):
        return f"TeachSnapshot({self.stats!r}, {len(self.epochs)} reports)"


def teach_task(graph: Graph, eta: float, epochs: int, *, mini_batch_size: int | None = None, seed: int = 0,
               every: float = SNAPSHOT_SECONDS, clock=time.monotonic):
    """Runs :func:`nnsim.core.learning.teach.teach` on ``graph`` (a copy) and yields a :class:`TeachSnapshot` for the
    first report, then at most once every ``every`` seconds, and for the last report; ``stop()`` is checked
    between mini-batches (the run ends after a final snapshot), where a :class:`Breather` also lets the GUI
    thread in. Returns the last :class:`TeachStats`."""

    def task(stop):
        breathe = Breather()

        def checked() -> bool:                     # teach() calls it between mini-batches
            breathe()
            return stop()

        snap, last, last_sent = None, None, None
        for last in teach(graph, eta, epochs, mini_batch_size=mini_batch_size, seed=seed, stop=checked):
            if snap is None:
                snap = TeachSnapshot(last)
            snap.stats = last
            snap.epochs.append(last.epoch)
            snap.costs.append(max(last.cost, 1e-300))    # for a log axis
            now = clock()
            if last_sent is None or now - last_sent >= every:
                yield snap
                snap, last_sent = None, now
        if snap is not None:
            yield snap
        return last

    return task
