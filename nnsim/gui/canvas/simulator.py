"""Runs the document's compiled circuit for the canvas: one vectorised evaluation per change.

A feedforward graph is evaluated in one pass whenever the graph changes (several changes in one event-loop
turn are coalesced). A graph with a loop keeps a state and advances in discrete time steps: ``step()``
does one, and while ``running`` a timer steps until the state stops changing.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from nnsim.gui import style
from nnsim.gui.document import Document


class Simulator(QObject):
    """Evaluates ``document.live.circuit`` and emits ``sigEvaluated`` with the result.

    After each evaluation: ``circuit``, ``a`` and ``z`` (n_nodes,) in ``circuit.columns`` order, ``t`` (the
    time step of a looped graph, else ``None``) and ``settled``.
    """

    sigEvaluated = Signal()
    sigLoopChanged = Signal(bool)    # the graph gained or lost a loop

    def __init__(self, document: Document, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.circuit = None
        self.a = np.zeros(0)
        self.z = np.zeros(0)
        self.t: int | None = None
        self.settled = True
        self.running = True
        self._state = None
        self._has_loop = False
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.evaluate)
        self._stepper = QTimer(self)
        self._stepper.setInterval(style.STEP_INTERVAL_MS)
        self._stepper.timeout.connect(self._tick)
        document.graph.changed.connect(self.schedule)
        document.sigReplaced.connect(self.reset)
        self.evaluate()

    def schedule(self) -> None:
        """Evaluate once the current burst of changes is over (next event-loop turn)."""
        if not self._pending.isActive():
            self._pending.start()

    def flush(self) -> None:
        """Evaluate now if a change is waiting (tests and screenshots call this)."""
        if self._pending.isActive():
            self._pending.stop()
            self.evaluate()

    @property
    def has_loop(self) -> bool:
        return self._has_loop

    def reset(self) -> None:
        """Forget a looped graph's state: every neuron back to 0 at time step 0."""
        self._state = None
        self.schedule()

    def evaluate(self) -> None:
        c = self.document.live.circuit
        if c is not self.circuit:
            if self.circuit is None or self.circuit.columns != c.columns:
                self._state = None
            self.circuit = c
        if c.has_loop != self._has_loop:
            self._has_loop = c.has_loop
            self.sigLoopChanged.emit(c.has_loop)
        if not c.has_loop:
            self._stepper.stop()
            self.a, self.z = c.evaluate_current()
            self.t, self.settled = None, True
        else:
            if self._state is None or self._state.shape[0] != len(c.columns):
                self._state = c.initial_state(c.input_values[None, :])[0]
                self.t = 0
            self._state[: c.n_inputs] = c.input_values
            self.a = self._state
            self.z = c._z_of(self._state[None, :])[0]  # noqa: SLF001 - z of the shown state
            self.settled = bool(np.allclose(c.step(self._state[None, :])[0], self._state))
            if self.running and not self.settled and not self._stepper.isActive():
                self._stepper.start()
        self.sigEvaluated.emit()

    def step(self) -> None:
        """One time step of a looped graph (each neuron reads its sources' previous outputs)."""
        c = self.document.live.circuit
        if not c.has_loop:
            return
        self.flush()
        if self._state is None:
            self.evaluate()
        self._state = c.step(self._state[None, :])[0]
        self.t = (self.t or 0) + 1
        self.evaluate()

    def set_running(self, running: bool) -> None:
        self.running = bool(running)
        if not running:
            self._stepper.stop()
        else:
            self.evaluate()

    def _tick(self) -> None:
        if not self._has_loop or self.settled:
            self._stepper.stop()
            return
        self.step()
        if self.settled:
            self._stepper.stop()

    def value_of(self, node_id: str) -> float:
        """The shown output of a node."""
        return float(self.a[self.circuit.col[node_id]])
