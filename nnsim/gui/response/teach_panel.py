"""Teach the canvas network its target truth table: SGD on the graph's own gradients with the quadratic
cost, the cost curve live and the canvas weights updating as it learns (the whole run is one undo step).

Training runs in a worker thread on a copy of the graph (:func:`nnsim.gui.response.tasks.teach_task`); it
sends weight snapshots at most ~10 times a second, and the panel applies each on the GUI thread as an edit
that merges into the run's single undo step."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QDoubleSpinBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

import pyqtgraph as pg

from nnsim.core.circuit.chip_edits import InChip
from nnsim.core.circuit.compile import compile_graph
from nnsim.core.circuit.edits import AddNode, AddWire, Compound, SetNode, SetSetting, remove_selection
from nnsim.core.errors import UserError
from nnsim.core.learning.teach import check_teachable, param_edits, randomized, target_table, xor_network
from nnsim.gui import style
from nnsim.gui.response.plotting import coalescing_timer, error_style, make_plot, pen, set_title
from nnsim.gui.response.tasks import teach_task
from nnsim.gui.worker import TaskRunner


class TeachPanel(QWidget):
    """η, epochs, mini-batch size and seed; Start/Stop; "Randomise weights", "Make neurons sigmoid" and
    "Load XOR 2-2-1" (each one undoable edit). Training runs in a worker thread (``runner``, a
    :class:`~nnsim.gui.worker.TaskRunner`) on a copy of the graph; its weight snapshots are applied to the
    document here, on the GUI thread, merged into one undo step per run. If the network changes shape or
    another document is opened, the run is stopped and its remaining snapshots are dropped.

    ``sigFinished(stats)`` fires when a run ends (finished or stopped) with the last
    :class:`~nnsim.core.learning.teach.TeachStats` applied."""

    sigFinished = Signal(object)

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self.history_epochs: list[int] = []
        self.history_cost: list[float] = []
        self.last = None
        self._running = False
        self._apply = False        # apply snapshots of the present run to the document
        self._stopping = False
        self._run_id = 0
        self.runner = TaskRunner(self)
        self.runner.sigYielded.connect(self._on_snapshot)
        self.runner.sigErrored.connect(self._on_error)
        self.runner.sigFinished.connect(self._finish)

        self.eta_spin = QDoubleSpinBox()
        self.eta_spin.setRange(0.001, 100)
        self.eta_spin.setDecimals(3)
        self.eta_spin.setValue(4.0)
        self.eta_spin.setToolTip("The learning rate η")
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 1_000_000)
        self.epochs_spin.setValue(2000)
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(0, 1 << 20)
        self.batch_spin.setValue(0)
        self.batch_spin.setSpecialValueText("whole table")
        self.batch_spin.setToolTip("Mini-batch size (rows per step); 0 = the whole table each step")
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 1_000_000)
        self.seed_spin.setValue(3)
        self.seed_spin.setToolTip("Seed for random weights and for shuffling the rows")
        self.start_button = QPushButton("Start")
        self.start_button.clicked.connect(self.toggle)
        self.random_button = QPushButton("Randomise weights")
        self.random_button.setToolTip("Draw every weight and bias from N(0, 1) with this seed (undoable)")
        self.random_button.clicked.connect(self.randomise)
        self.sigmoid_button = QPushButton("Make neurons sigmoid")
        self.sigmoid_button.setToolTip("Perceptrons cannot learn by gradient descent: switch every neuron to σ")
        self.sigmoid_button.clicked.connect(self.make_sigmoid)
        self.xor_button = QPushButton("Load XOR 2-2-1")
        self.xor_button.setToolTip("Replace the canvas with a 2-2-1 sigmoid network whose target is XOR (undoable)")
        self.xor_button.clicked.connect(self.load_xor)
        self.plot = make_plot("epoch", "cost C (log)", log_y=True)
        self.curve = self.plot.plot([], [], pen=pen(style.RESPONSE_ACTUAL_COLOUR, 2.5), antialias=True)
        # one point per epoch: a long run has 10⁵ and more; draw at most about one per pixel column
        self.curve.setDownsampling(auto=True, method="peak")
        self.curve.setClipToView(True)
        set_title(self.plot, "quadratic cost C = 1/2n Σ |y(x) − a|² over the truth table")
        # Before the first run: axes over the run to come and a line saying what will appear, not an
        # empty frame ticked 0.1 … 0.9.
        self.hint = pg.TextItem("Start: the cost after every epoch is drawn here", color=style.theme().text,
                                anchor=(0.5, 0.5))
        self.hint.setFont(style.font(style.RESPONSE_PLOT_FONT_PT))
        self.plot.addItem(self.hint)
        self.epochs_spin.valueChanged.connect(self._show_empty_axes)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.table_label = QLabel()
        self.table_label.setWordWrap(True)

        grid = QGridLayout()
        grid.addWidget(QLabel("η"), 0, 0)
        grid.addWidget(self.eta_spin, 0, 1)
        grid.addWidget(QLabel("epochs"), 0, 2)
        grid.addWidget(self.epochs_spin, 0, 3)
        grid.addWidget(QLabel("mini-batch"), 1, 0)
        grid.addWidget(self.batch_spin, 1, 1)
        grid.addWidget(QLabel("seed"), 1, 2)
        grid.addWidget(self.seed_spin, 1, 3)
        grid.setColumnStretch(4, 1)   # the spin boxes keep their own width; the space left goes to the right
        buttons = QHBoxLayout()
        for b in (self.start_button, self.random_button, self.sigmoid_button, self.xor_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.table_label)

        document.graph.changed.connect(self._on_graph_changed)
        document.sigReplaced.connect(self._on_replaced)
        self._structure = document.graph.structure_revision
        self._readiness_timer = coalescing_timer(self, self._show_readiness)
        self._show_readiness()
        self._show_empty_axes()

    def showEvent(self, event):
        super().showEvent(event)
        self._readiness_timer.start(0)

    # ----- state -----------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._running

    def _show_readiness(self) -> None:
        if self.running or not self.isVisible():
            return
        try:
            check_teachable(self.document.graph)
            X, Y = target_table(self.document.graph)
        except UserError as err:
            self.status.setStyleSheet(error_style())
            self.status.setText(str(err))
            self.table_label.setText("")
            return
        self.status.setStyleSheet("")
        self.status.setText(f"Ready: {len(X)} rows to learn. Start trains the canvas network by gradient descent "
                            "on its own weights; watch them change on the canvas.")
        self._show_table()

    def _show_table(self) -> None:
        try:
            X, Y = target_table(self.document.graph)
        except UserError:
            return
        circuit = self.document.live.circuit
        if len(X) > 16 or circuit.has_loop:
            self.table_label.setText("")
            return
        out = circuit.feedforward(X)
        cells = []
        for x, y, o in zip(X, Y, out):
            ok = np.all(np.abs(o - y) < 0.5)
            colour = style.theme().pass_colour.name() if ok else style.theme().fail_colour.name()
            cells.append(f"<span style='color:{colour}'>{''.join(str(int(v)) for v in x)} → "
                         f"{', '.join(f'{v:.2f}' for v in o)} (want {', '.join(str(int(v)) for v in y)})</span>")
        self.table_label.setText("Now: " + " &nbsp; ".join(cells))

    def _on_graph_changed(self) -> None:
        g = self.document.graph
        if self.running and g.structure_revision != self._structure:
            self._abandon()   # the network changed shape under the run: its weights no longer fit
        self._structure = g.structure_revision
        if not self.running and self.isVisible():
            # coalesced, and less often during a drag elsewhere (many changes)
            self._readiness_timer.start(style.SENSITIVITY_GESTURE_MS if self.document.merge_open else 0)

    def _on_replaced(self) -> None:
        if self.running:
            self._abandon()
        self._readiness_timer.start(0)

    def _show_empty_axes(self) -> None:
        """Until a run draws its curve: x over the epochs to come, y over 10⁻⁴ … 1, the hint centred."""
        if self.running or self.history_epochs:
            return
        epochs = self.epochs_spin.value()
        self.plot.setXRange(0, epochs, padding=0.02)
        self.plot.setYRange(-4, 0, padding=0.05)   # log axis: the range is in powers of ten
        self.hint.setPos(epochs / 2, -2)
        self.hint.show()

    # ----- actions ---------------------------------------------------------------------------------
    def toggle(self) -> None:
        self.stop() if self.running else self.start()

    def start(self) -> None:
        """Start training from the canvas's present weights (in the worker, on a copy)."""
        if self.running:
            return
        graph = self.document.graph
        try:
            check_teachable(graph)       # say at once why not, before any thread starts
            target_table(graph)
        except UserError as err:
            self.status.setStyleSheet(error_style())
            self.status.setText(str(err))
            return
        self._running = self._apply = True
        self._stopping = False
        self._run_id += 1
        self._structure = graph.structure_revision
        self.history_epochs, self.history_cost = [], []
        self.last = None
        self.curve.setData([], [])
        self.hint.hide()
        self.plot.enableAutoRange()
        self.start_button.setText("Stop")
        self.status.setStyleSheet("")
        self.status.setText("Training …")
        self.runner.start(teach_task(graph.copy(), self.eta_spin.value(), self.epochs_spin.value(),
                                     mini_batch_size=self.batch_spin.value() or None, seed=self.seed_spin.value()))

    def stop(self) -> None:
        """Stop after the current mini-batch (the weights reached so far stay on the canvas)."""
        if self.running:
            self._stopping = True
            self.runner.stop()

    def _abandon(self) -> None:
        """Stop the run and apply nothing more from it."""
        self._apply = False
        self.stop()

    def _on_snapshot(self, snap) -> None:
        """Apply a :class:`~nnsim.gui.response.tasks.TeachSnapshot` from the worker (on the GUI thread)."""
        if not self._apply:
            return
        stats = snap.stats
        self.history_epochs.extend(snap.epochs)
        self.history_cost.extend(snap.costs)
        self.last = stats
        if stats.epoch > 0:
            self.document.push(param_edits(self.document.graph, stats.params, stats.weights),
                               merge_key=("teach", self._run_id))
            self._structure = self.document.graph.structure_revision
        self.curve.setData(self.history_epochs, self.history_cost)
        self.status.setText(f"epoch {stats.epoch} · cost {stats.cost:.5f} · {stats.correct}/{stats.total} rows right"
                            + (" — stopping …" if self._stopping else " …"))
        self._show_table()

    def _on_error(self, message: str, details: str = "") -> None:
        self._apply = False
        self.status.setStyleSheet(error_style())
        self.status.setText(message)

    def _finish(self) -> None:
        """The worker has ended (finished, stopped or failed): one undo step closes."""
        was_applying = self._apply
        self._running = self._apply = False
        self._stopping = False
        self.document.end_merge()
        self.start_button.setText("Start")
        if was_applying and self.last is not None:
            s = self.last
            self.status.setText(f"epoch {s.epoch} · cost {s.cost:.5f} · {s.correct}/{s.total} rows right — done.")
        elif self.status.styleSheet() == "":
            self._readiness_timer.start(0)      # abandoned: say what the changed network needs
        self.sigFinished.emit(self.last)

    def closeEvent(self, event):
        """Closed as a window of its own (not as a dock's content): stop its threads too."""
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop a run and wait for its thread (cancel → quit → wait), for closing."""
        self._apply = False
        self.runner.shutdown()

    def randomise(self) -> None:
        """Draw every weight and bias from N(0, 1) (seeded), as one undoable step."""
        g = self.document.graph
        new = randomized(g, self.seed_spin.value())
        circuit = compile_graph(new)
        edit = param_edits(g, circuit.params, circuit.param_vector())
        edit.label = "randomise weights"
        self.document.push(edit)

    def make_sigmoid(self) -> None:
        """Switch every neuron to a sigmoid, as one undoable step."""
        g = self.document.graph
        edits = [SetNode(n.id, {"activation": "sigmoid"}) for n in g.neurons() if n.activation != "sigmoid"]
        edits += [InChip(name, SetNode(n.id, {"activation": "sigmoid"})) for name, d in g.chips.items()
                  for n in d.graph.neurons() if n.activation != "sigmoid"]   # inside chips too
        if edits:
            self.document.push(Compound(edits, "make neurons sigmoid"))

    def load_xor(self) -> None:
        """Replace the canvas with :func:`~nnsim.core.learning.teach.xor_network` (seeded), as one undoable step."""
        g = self.document.graph
        new = xor_network(self.seed_spin.value())
        edits = [remove_selection(g, list(g.nodes))]
        edits += [AddNode(n.copy()) for n in new.nodes.values()]
        edits += [AddWire(w.copy()) for w in new.wires.values()]
        edits += [SetSetting("name", new.name), SetSetting("expected", new.expected)]
        self.document.push(Compound(edits, "load XOR 2-2-1"))
