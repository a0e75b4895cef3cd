"""The training studio page: MNIST training with live curves, a look inside the network and a digit pad.

Everything slow (loading data, training, evaluating, baselines) runs as a task in a worker thread through
one :class:`~nnsim.gui.worker.TaskRunner`; this page only reacts to the runner's signals, which
arrive on the GUI thread. Plots and progress labels are redrawn together by one ~10 Hz timer.
"""

from __future__ import annotations

import math
import statistics
import sys
from types import SimpleNamespace
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QGridLayout,
                               QGroupBox, QLabel, QLineEdit, QMessageBox, QProgressBar,
                               QPushButton, QScrollArea, QSpinBox, QSplitter, QVBoxLayout, QWidget)

from nnsim.core.errors import UserError
from nnsim.core.learning.encodings import decode as decode_outputs
from nnsim.core.learning.metrics import percent
from nnsim.core.learning.network import check_sizes
from nnsim.core.learning.runs import RunReport
from nnsim.core.learning.training import TrainingStats
from nnsim.gui import style
from nnsim.gui.training import tasks
from nnsim.gui.training.digit_pad import DigitPad
from nnsim.gui.training.binary_layer import BinaryLayerView
from nnsim.gui.training.cost_sweep import CostSweepView
from nnsim.gui.training.inside import InsideNetwork
from nnsim.gui.training.learning_curve import LearningCurvePlot
from nnsim.gui.training.plots import TrainingPlots
from nnsim.gui.training.svm_box import SvmBox
from nnsim.gui.worker import TaskRunner
from nnsim.io import networkfile
from nnsim.io.datacache import Baseline
from nnsim.io.system import check_training_fits

_ENCODINGS = [("one-hot (10 outputs)", "onehot"), ("4-bit binary (4 outputs)", "binary")]
_COSTS = [("quadratic (chapter 1)", "quadratic"), ("cross-entropy (chapter 3)", "cross-entropy")]
MAX_COMPARED = 16  # runs in one comparison (eight train in about four times one run's time)
_INITS = [("N(0, 1), the book's chapter 1", "book"), ("N(0, 1/n_in), scaled (chapter 3)", "scaled")]


def _format_duration(seconds: float) -> str:
    if not math.isfinite(seconds) or seconds < 0:
        return "–"
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class _ControlsScroll(QScrollArea):
    """The controls column: scrolls vertically only, so it is never narrower than its contents (they would
    be clipped at the right)."""

    def minimumSizeHint(self):
        hint = super().minimumSizeHint()
        inner = self.widget().minimumSizeHint().width() if self.widget() is not None else 0
        hint.setWidth(inner + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth())
        return hint


class TrainingPage(QWidget):
    """MNIST training studio. ``sigRunFinished(outcome)`` fires when a run ends: "finished", "stopped"
    or "failed". :meth:`autostart` starts a run with the current settings; :meth:`shutdown` stops any
    running work and waits for it (call it before the window closes). Errors are shown in a dialog and
    kept in ``last_error``; headless callers set ``show_dialogs = False`` so no dialog waits for a click."""

    sigRunFinished = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.runner = TaskRunner(self)
        self.network = None            # the current trained or loaded network (the worker's copy)
        self.report_every: int | None = None  # None: ~20 cost points an epoch
        self.show_dialogs = True        # False for headless use: errors only go to last_error and the label
        self.last_error: str | None = None
        self._data_path: str | None = None
        self._mode = "idle"             # idle | training | evaluating | downloading
        self._outcome = "finished"
        self._stop_requested = False
        self._settings: tasks.TrainingSettings | None = None
        self._n_train = 0
        self._latest = None
        self._last_epoch = None         # the latest end-of-epoch stats of the current run
        self._progress_dirty = False
        self._compared = []             # a comparison's runs (RunHistory), in the order of its reports
        self._compared_latest = {}      # run index -> its latest TrainingStats
        self._compare_count = 0
        self._compare_images = 0        # images a comparison trains on in all (for the progress bar)
        self._curve_sizes = None        # a learning curve's training-set sizes, one per run

        self.plots = TrainingPlots()
        self.inside = InsideNetwork()
        self.pad = DigitPad()
        pad_scroll = QScrollArea()   # the 280-px pad scrolls inside its tab rather than squeezing the plots
        pad_scroll.setWidget(self.pad)
        pad_scroll.setWidgetResizable(True)
        pad_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.inside.addTab(pad_scroll, "Draw a digit")
        self.curve_plot = LearningCurvePlot()
        self.inside.addTab(self.curve_plot, "Learning curve")
        self.sweep_view = CostSweepView()
        self.inside.addTab(self.sweep_view, "Smooth cost")
        self.binary_view = BinaryLayerView()
        self.inside.addTab(self.binary_view, "4-bit output")

        controls = self._build_controls()
        scroll = _ControlsScroll()
        scroll.setWidget(controls)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for combo in controls.findChildren(QComboBox):  # long choices elide rather than widen the column
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
            combo.setMinimumWidth(110)   # its own minimum hint stays the longest choice's width

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.plots)
        right.addWidget(self.inside)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setSizes([3000, 2000])  # the plots' share from the start, not what their size hints ask
        outer = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(scroll)
        outer.addWidget(right)
        outer.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(outer)

        self.runner.sigYielded.connect(self._on_item)
        self.runner.sigReturned.connect(self._on_returned)
        self.runner.sigErrored.connect(self._on_error)
        self.runner.sigFinished.connect(self._on_finished)
        self.runner.sigPausedChanged.connect(self._on_paused)
        # progress labels follow the plots' ~10 Hz redraw tick, so both repaint in one pass
        self.plots.timer.timeout.connect(self._refresh_progress)
        self._update_buttons()

    # ----- building ---------------------------------------------------------------------------------------
    def _build_controls(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)

        data = QGroupBox("Data")
        form = QVBoxLayout(data)
        self.data_label = QLabel()
        self.data_label.setWordWrap(True)
        row = QGridLayout()
        self.open_folder_button = QPushButton("Folder…")
        self.open_folder_button.setToolTip("A folder of IDX files (MNIST or any 28×28, 10-class set)")
        self.open_folder_button.clicked.connect(self._choose_folder)
        self.open_file_button = QPushButton("File…")
        self.open_file_button.setToolTip("Nielsen's mnist.pkl.gz or an .npz data file")
        self.open_file_button.clicked.connect(self._choose_file)
        self.bundled_button = QPushButton("Bundled")
        self.bundled_button.setToolTip("Back to the MNIST files shipped with nnsim")
        self.bundled_button.clicked.connect(lambda: self.set_data_path(None))
        self.download_button = QPushButton("Download…")
        self.download_button.setToolTip("Fetch the four standard MNIST files (checked by SHA-256) into "
                                        "nnsim's cache folder and train on them")
        self.download_button.clicked.connect(lambda: self.download_data())
        for i, b in enumerate((self.bundled_button, self.download_button, self.open_folder_button,
                               self.open_file_button)):
            row.addWidget(b, i // 2, i % 2)
        self.limit = QSpinBox()
        self.limit.setRange(0, 60_000)
        self.limit.setSingleStep(5000)
        self.limit.setSpecialValueText("all")
        self.limit.setToolTip("Train on only the first N training images (a quicker demonstration)")
        limit_row = QFormLayout()
        limit_row.addRow("Training images:", self.limit)
        self.set_data_path(None)
        form.addWidget(self.data_label)
        form.addLayout(row)
        form.addLayout(limit_row)
        column.addWidget(data)

        net = QGroupBox("Network and training")
        form = QFormLayout(net)
        self.sizes_edit = QLineEdit("784, 30, 10")
        self.sizes_edit.setToolTip("Neurons per layer: 784 inputs, hidden layers, 10 outputs (4 for binary)")
        self.encoding = QComboBox()
        for text, value in _ENCODINGS:
            self.encoding.addItem(text, value)
        self.encoding.currentIndexChanged.connect(self._encoding_changed)
        self.eta = QDoubleSpinBox()
        self.eta.setDecimals(3)
        self.eta.setRange(0.001, 1000.0)
        self.eta.setValue(3.0)
        self.eta.setToolTip("Learning rate η (the book tries 0.001, 3.0 and 100)")
        self.mini_batch = QSpinBox()
        self.mini_batch.setRange(1, 60_000)
        self.mini_batch.setValue(10)
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 1000)
        self.epochs.setValue(30)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2 ** 31 - 1)
        self.seed.setValue(1)
        self.dtype = QComboBox()
        self.dtype.addItems(["float32", "float64"])
        self.cost = QComboBox()
        for text, value in _COSTS:
            self.cost.addItem(text, value)
        self.cost.setToolTip("Cross-entropy drops the σ′ factor from the output error, so saturated output "
                             "neurons still learn (chapter 3)")
        self.init = QComboBox()
        for text, value in _INITS:
            self.init.addItem(text, value)
        self.init.setToolTip("Scaled: weights from N(0, 1/n_in), so no neuron starts saturated (chapter 3)")
        form.addRow("Sizes:", self.sizes_edit)
        form.addRow("Outputs:", self.encoding)
        form.addRow("η (eta):", self.eta)
        form.addRow("Mini-batch size:", self.mini_batch)
        form.addRow("Epochs:", self.epochs)
        form.addRow("Seed:", self.seed)
        form.addRow("Numbers:", self.dtype)
        form.addRow("Cost:", self.cost)
        form.addRow("Initial weights:", self.init)
        column.addWidget(net)

        run = QGroupBox("Run")
        grid = QGridLayout(run)
        self.start_button = QPushButton("Start")
        self.start_button.setToolTip("Train a fresh network; its curves are added to the plots")
        self.start_button.clicked.connect(self.start)
        self.pause_button = QPushButton("Pause")
        self.pause_button.clicked.connect(self.runner.pause)
        self.resume_button = QPushButton("Resume")
        self.resume_button.clicked.connect(self.runner.resume)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop after the current mini-batch; the network trained so far is kept")
        self.stop_button.clicked.connect(self.stop)
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Stop, forget the network and clear every curve")
        self.reset_button.clicked.connect(self.reset)
        grid.addWidget(self.start_button, 0, 0, 1, 4)
        for i, b in enumerate((self.pause_button, self.resume_button, self.stop_button, self.reset_button)):
            b.setMinimumWidth(10)
            grid.addWidget(b, 1, i)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setFormat("idle")
        self.progress.setTextVisible(True)
        self.speed_label = QLabel()
        self.speed_label.setVisible(False)
        self.result_label = QLabel("Press Start to train the book's 784-30-10 network.")
        self.result_label.setWordWrap(True)
        self.result_label.setFont(style.font(11, bold=True))
        grid.addWidget(self.progress, 2, 0, 1, 4)
        grid.addWidget(self.speed_label, 3, 0, 1, 4)
        grid.addWidget(self.result_label, 4, 0, 1, 4)
        column.addWidget(run)
        column.addWidget(self._build_compare())
        self.svm_box = SvmBox(lambda: self._data_path)
        self.svm_box.sigResult.connect(
            lambda result: self.plots.set_baseline("svm", result.accuracy_pct, label=result.label))
        column.addWidget(self.svm_box)

        model = QGroupBox("Network file")
        grid = QGridLayout(model)
        self.save_button = QPushButton("Save network…")
        self.save_button.clicked.connect(self._save_network_dialog)
        self.load_button = QPushButton("Load network…")
        self.load_button.clicked.connect(self._load_network_dialog)
        self.evaluate_button = QPushButton("Evaluate on test set")
        self.evaluate_button.clicked.connect(self.evaluate)
        self.png_button = QPushButton("PNG…")
        self.png_button.setToolTip("Export both plots as one PNG image")
        self.png_button.clicked.connect(self._export_png_dialog)
        self.csv_button = QPushButton("CSV…")
        self.csv_button.setToolTip("Export every run's history (cost and accuracy) as CSV")
        self.csv_button.clicked.connect(self._export_csv_dialog)
        self.plots.header.addWidget(self.png_button)
        self.plots.header.addWidget(self.csv_button)
        grid.addWidget(self.save_button, 0, 0)
        grid.addWidget(self.load_button, 0, 1)
        grid.addWidget(self.evaluate_button, 1, 0, 1, 2)
        column.addWidget(model)
        column.addStretch(1)
        return box

    def _build_compare(self) -> QWidget:
        box = QGroupBox("Compare runs")
        grid = QGridLayout(box)
        self.compare_seeds = QLineEdit("1, 2, 3, 4")
        self.compare_seeds.setToolTip("Seeds, separated by commas: one run per seed (and per η below)")
        self.compare_etas = QLineEdit()
        self.compare_etas.setPlaceholderText("the η above")
        self.compare_etas.setToolTip("Learning rates to compare, e.g. 0.001, 3, 100 (empty: the η above)")
        self.compare_button = QPushButton("Compare")
        self.compare_button.setToolTip("Train one run per seed and η together, on both cores, with the other "
                                       "settings above; their curves are overlaid (see 'Spread across seeds')")
        self.compare_button.clicked.connect(self.compare)
        grid.addWidget(QLabel("Seeds:"), 0, 0)
        grid.addWidget(self.compare_seeds, 0, 1)
        grid.addWidget(QLabel("η:"), 0, 2)
        grid.addWidget(self.compare_etas, 0, 3)
        self.curve_button = QPushButton("Learning curve")
        self.curve_button.setToolTip("Train the network above on 500, 1,000, 2,000 … 50,000 images together "
                                     "and plot test and training accuracy against the number of images")
        self.curve_button.clicked.connect(lambda: self.compare(learning_curve=True))
        grid.addWidget(self.compare_button, 1, 0, 1, 2)
        grid.addWidget(self.curve_button, 1, 2, 1, 2)
        grid.addWidget(self.plots.spread_box, 2, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        return box

    # ----- settings ---------------------------------------------------------------------------------------
    def set_data_path(self, path):
        """Train and evaluate on ``path`` (folder of IDX files, mnist.pkl.gz, .npz) or None = bundled."""
        self._data_path = None if path in (None, "") else str(path)
        if self._data_path is None:
            self.data_label.setText("Bundled MNIST (LeCun, Cortes, Burges): 50,000 training, 10,000 "
                                    "validation, 10,000 test images")
        else:
            self.data_label.setText(f"Data: {self._data_path}")

    @property
    def data_path(self) -> str | None:
        """The data set in use: a path, or None for the bundled MNIST."""
        return self._data_path

    def _encoding_changed(self):
        """Follow the encoding with the output layer's size: 10 for one-hot, 4 for binary."""
        sizes = [part.strip() for part in self.sizes_edit.text().split(",")]
        sizes[-1] = "4" if self.encoding.currentData() == "binary" else "10"
        self.sizes_edit.setText(", ".join(sizes))

    def settings(self) -> tasks.TrainingSettings:
        """The controls' values; a UserError names a bad one."""
        text = self.sizes_edit.text().replace(";", ",")
        try:
            sizes = check_sizes([float(s) for s in text.split(",") if s.strip()])
        except ValueError:
            raise UserError(f"sizes: {text!r} is not a list of whole numbers like 784, 30, 10") from None
        encoding = self.encoding.currentData()
        want = 4 if encoding == "binary" else 10
        if sizes[0] != 784 or sizes[-1] != want:
            raise UserError(f"sizes {sizes}: MNIST needs 784 inputs and {want} outputs for the "
                            f"{encoding} encoding")
        check_training_fits(sizes, self.dtype.currentText(), int(self.mini_batch.value()), f"sizes {sizes}")
        return tasks.TrainingSettings(
            sizes=tuple(sizes), eta=float(self.eta.value()), mini_batch_size=int(self.mini_batch.value()),
            epochs=int(self.epochs.value()), seed=int(self.seed.value()), encoding=encoding,
            dtype=self.dtype.currentText(), data_path=self._data_path,
            limit_train=int(self.limit.value()) or None, report_every=self.report_every,
            cost=self.cost.currentData(), init=self.init.currentData())

    def compare_lists(self) -> tuple[list[int], list[float]]:
        """The seeds and η values of the Compare box (empty: the single values above); UserError if bad."""
        def numbers(text, name, kind):
            parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
            try:
                values = [kind(float(p)) if kind is float else int(p) for p in parts]
            except ValueError:
                raise UserError(f"{name}: {text!r} is not a list of numbers like 1, 2, 3") from None
            return values

        seeds = numbers(self.compare_seeds.text(), "seeds", int) or [int(self.seed.value())]
        etas = numbers(self.compare_etas.text(), "η values", float) or [float(self.eta.value())]
        if any(s < 0 for s in seeds):
            raise UserError("seeds must be whole numbers ≥ 0")
        if any(not math.isfinite(e) or e <= 0 for e in etas):
            raise UserError("η values must be numbers above 0")
        if len(seeds) * len(etas) > MAX_COMPARED:
            raise UserError(f"{len(seeds)} seeds × {len(etas)} η values are {len(seeds) * len(etas)} runs; "
                            f"compare at most {MAX_COMPARED} at once")
        return seeds, etas

    # ----- actions ----------------------------------------------------------------------------------------
    @Slot()
    def start(self):
        """Train a fresh network with the current settings (a new run on the plots)."""
        if self.runner.is_running():
            return
        try:
            settings = self.settings()
        except UserError as err:
            self._show_error("Training", str(err))
            return
        self._begin_run(settings, compare_count=0)
        self.plots.start_run(settings.label())
        self.result_label.setText("Loading the data…")
        self.progress.setValue(0)
        self.progress.setFormat("loading data…")
        self.runner.start(tasks.training_task(settings))
        self._update_buttons()

    def download_data(self, folder=None, mirrors=None):
        """Download the standard MNIST files (in the worker, with progress; Stop cancels) into ``folder``
        (default: nnsim's cache folder); when done, they become the data set."""
        if self.runner.is_running():
            return
        self._mode = "downloading"
        self._stop_requested = False
        self._outcome = "finished"
        self.result_label.setText("Downloading MNIST…")
        self.progress.setValue(0)
        self.progress.setFormat("connecting…")
        self.runner.start(tasks.download_task(folder, mirrors))
        self._update_buttons()

    def autostart(self, epochs: int):
        """Start a run of ``epochs`` epochs with the other settings as they are (for headless use)."""
        self.epochs.setValue(int(epochs))
        self.start()

    @Slot()
    def compare(self, learning_curve: bool = False):
        """Train one run per seed and η of the Compare box together; every run's curves live, overlaid.
        ``learning_curve``: one run per training-set size instead (seed and η from the boxes above), and
        the Learning curve tab plots their accuracy against the size."""
        if self.runner.is_running():
            return
        try:
            settings = self.settings()
            seeds, etas = ([settings.seed], [settings.eta]) if learning_curve else self.compare_lists()
        except UserError as err:
            self._show_error("Compare", str(err))
            return
        if learning_curve:
            self.curve_plot.clear()
            self.inside.setCurrentWidget(self.curve_plot)
        self._begin_run(settings, compare_count=len(seeds) * len(etas))
        self.result_label.setText("Loading the data…")
        self.progress.setValue(0)
        self.progress.setFormat("loading data…")
        self.runner.start(tasks.comparison_task(settings, seeds, etas, learning_curve=learning_curve))
        self._update_buttons()

    @Slot()
    def stop(self):
        self._stop_requested = True
        self.runner.stop()

    @Slot()
    def reset(self):
        """Stop any run, forget the network, clear the curves and the views inside the network."""
        self._stop_requested = True
        self.runner.shutdown()
        self.network = None
        self.plots.clear()
        self.inside.clear()
        self.pad.set_network(None)
        self.sweep_view.set_network(None)
        self.binary_view.set_network(None)
        self.curve_plot.clear()
        self.progress.setValue(0)
        self.progress.setFormat("idle")
        self.speed_label.setVisible(False)
        self.result_label.setText("Press Start to train a fresh network.")
        self._update_buttons()

    @Slot()
    def evaluate(self):
        """Evaluate the current network on the test set (in the worker) and refresh the inside views."""
        if self.network is None or self.runner.is_running():
            return
        self._mode = "evaluating"
        self.result_label.setText("Evaluating…")
        self.runner.start(tasks.evaluate_task(self.network, self._data_path))
        self._update_buttons()

    def save_network(self, path):
        if self.network is None:
            raise UserError("there is no trained network to save yet")
        cost = self._settings.cost if self._settings is not None else "quadratic"
        networkfile.save_network(self.network, path, {"cost": cost})

    def load_network(self, path):
        """Load a saved network (errors are UserErrors naming the file); it becomes the current one."""
        net = networkfile.load_network(path)
        self._use_network(net)
        self.result_label.setText(f"Loaded {Path(path).name}: {net.sizes}. Press Evaluate to test it.")
        self._update_buttons()
        return net

    def shutdown(self):
        """Stop any running work and wait for the worker thread (within one mini-batch)."""
        self.plots.timer.stop()
        self._stop_requested = True
        self.runner.shutdown()
        self.svm_box.shutdown()
        self.sweep_view.shutdown()
        self.binary_view.shutdown()

    # ----- dialogs ----------------------------------------------------------------------------------------
    def _begin_run(self, settings, compare_count: int) -> None:
        """Forget the last run's state as a new run (or comparison of ``compare_count`` runs) starts."""
        self._settings = settings
        self._mode = "training"
        self._outcome = "finished"
        self._stop_requested = False
        self._latest = None
        self._last_epoch = None
        self._compared = []
        self._compared_latest = {}
        self._compare_count = compare_count
        self._compare_images = 0
        self._curve_sizes = None

    def _show_error(self, title, message):
        self.last_error = f"{title}: {message}"
        if self.show_dialogs:
            QMessageBox.warning(self, title, message)

    def _choose_folder(self):
        path = QFileDialog.getExistingDirectory(self, "Folder of IDX files")
        if path:
            self.set_data_path(path)

    def _choose_file(self):
        path, _ = QFileDialog.getOpenFileName(self, "Data file", "",
                                              "Data (*.pkl.gz *.npz *.gz *.idx*);;All files (*)")
        if path:
            self.set_data_path(path)

    def _save_network_dialog(self):
        path, _ = QFileDialog.getSaveFileName(self, "Save network", "network.npz",
                                              "Network (*.npz);;The book's network2 JSON (*.json)")
        if path:
            try:
                self.save_network(path)
            except (UserError, OSError) as err:
                self._show_error("Save network", str(err))

    def _load_network_dialog(self):
        path, _ = QFileDialog.getOpenFileName(self, "Load network", "",
                                              "Network (*.npz *.json);;All files (*)")
        if path:
            try:
                self.load_network(path)
            except (UserError, OSError) as err:
                self._show_error("Load network", str(err))

    def _export_png_dialog(self):
        path, _ = QFileDialog.getSaveFileName(self, "Export plots", "training.png", "PNG image (*.png)")
        if path:
            try:
                self.plots.export_png(path)
            except OSError as err:
                self._show_error("Export plots", str(err))

    def _export_csv_dialog(self):
        path, _ = QFileDialog.getSaveFileName(self, "Export history", "training.csv", "CSV (*.csv)")
        if path:
            try:
                self.plots.export_csv(path)
            except OSError as err:
                self._show_error("Export history", str(err))

    # ----- runner signals (GUI thread) --------------------------------------------------------------------
    def _use_network(self, net):
        self.network = net
        labels = None
        decode = None
        if net.encoding == "binary":
            labels = ["bit 8", "bit 4", "bit 2", "bit 1"]
            decode = lambda a: decode_outputs(a, "binary")  # noqa: E731 - runs on the GUI thread
        self.pad.set_network(net, labels=labels, decode=decode)
        self.sweep_view.set_network(net, self._data_path)
        self.binary_view.set_network(net, self._data_path)
        self._update_buttons()

    @Slot(object)
    def _on_item(self, item):
        if not self.runner.is_running():
            return  # a late report from a run that reset() or shutdown() already ended
        if isinstance(item, tasks.DataReady):
            self._n_train = item.n_train
            if self._mode == "training":
                self.result_label.setText(f"Training on {item.n_train:,} images…")
                self.progress.setFormat("starting…")
        elif isinstance(item, tasks.DownloadProgress):
            fraction = item.done / item.total if item.total else 0.0
            overall = ((item.index - 1) + fraction) / item.count
            self.progress.setValue(int(1000 * overall))
            self.progress.setFormat(f"file {item.index} of {item.count}: {item.name} · "
                                    f"{item.done / 1e6:.1f} MB")
        elif isinstance(item, Baseline):
            self.plots.set_baseline(item.name, item.accuracy_pct)
        elif isinstance(item, tasks.Analysis):
            self.inside.show_analysis(item)
            self._use_network(item.network)
            if self._mode == "evaluating":
                self.result_label.setText(
                    f"Test set: {item.correct:,} / {item.total:,} correct ({item.accuracy_pct:.2f} %)")
        elif isinstance(item, tasks.Comparison):
            self._compared = [self.plots.start_run(label, group, short)
                              for label, group, short in zip(item.labels, item.groups, item.short)]
            self._compare_count = len(self._compared)
            self._curve_sizes = item.n_train
            per_run = item.n_train or [self._n_train] * len(self._compared)
            self._compare_images = sum(per_run) * (self._settings.epochs if self._settings else 1)
            self.result_label.setText(f"Training {len(self._compared)} runs together on {self._n_train:,} "
                                      "images…")
        elif isinstance(item, RunReport):
            self.plots.add_stats(item.stats, self._compared[item.run])
            self._compared_latest[item.run] = item.stats
            self._progress_dirty = True
            if self._curve_sizes and item.stats.epoch_end:
                self._update_learning_curve()
        elif isinstance(item, TrainingStats):
            self.plots.add_stats(item)
            self._latest = item
            self._progress_dirty = True
            if item.epoch_end:
                self._last_epoch = item
                self._refresh_progress()

    @Slot(object)
    def _on_returned(self, result):
        if not self.runner.is_running():
            return
        if self._mode == "downloading":
            if result is not None:
                self.set_data_path(result)
                self.result_label.setText(f"Downloaded MNIST to {result}; Start trains on it.")
            else:
                self.result_label.setText("Download cancelled.")
        if self._mode == "training":
            if result is not None:
                self._use_network(result)
            self._outcome = "stopped" if self._stop_requested else "finished"
        self.plots.flush()

    @Slot(str, str)
    def _on_error(self, message, details):
        if not self.runner.is_running():
            return
        self._outcome = "failed"
        what = {"training": "Training", "downloading": "Download"}.get(self._mode, "Evaluation")
        self.result_label.setText(f"{what} failed: {message}")
        if details:  # an unexpected failure: the traceback goes to the terminal for whoever debugs it
            sys.stderr.write(details)
        self._show_error(what, message)

    @Slot()
    def _on_finished(self):
        mode, self._mode = self._mode, "idle"
        if mode == "downloading":
            self.progress.setFormat("downloaded" if self._outcome == "finished" and not self._stop_requested
                                    else "idle")
        if mode == "training":
            self._progress_dirty = True
            self._refresh_progress()
        if mode == "training":
            if self._outcome != "failed" and self._stop_requested:
                self._outcome = "stopped"
            stats = self._last_epoch
            if self._outcome == "finished" and self._compared:
                self.result_label.setText(self._comparison_summary())
            elif self._outcome == "finished" and stats is not None and stats.test_correct is not None:
                pct = percent(stats.test_correct, stats.test_total)
                self.result_label.setText(f"Done: epoch {stats.epoch}, {stats.test_correct:,} / "
                                          f"{stats.test_total:,} test images right ({pct:.2f} %)")
            elif self._outcome == "stopped":
                self.result_label.setText("Stopped. The network trained so far is kept: draw a digit, "
                                          "save it, or Start a new run.")
            self.progress.setFormat("stopped" if self._outcome == "stopped" else self.progress.format())
        self._update_buttons()
        if mode == "training":
            self.sigRunFinished.emit(self._outcome)

    @Slot(bool)
    def _on_paused(self, paused):
        if paused:
            self.progress.setFormat("paused")
        self._update_buttons()

    def _update_learning_curve(self):
        runs = self._compared
        self.curve_plot.set_points(self._curve_sizes, [r.test_pct[-1] if r.test_pct else math.nan for r in runs],
                                   [r.training_pct[-1] if r.training_pct else math.nan for r in runs],
                                   max((len(r.epochs) for r in runs), default=0))

    def _comparison_summary(self) -> str:
        finals = sorted(run.test_pct[-1] for run in self._compared if run.test_pct)
        if not finals:
            return f"Done: {len(self._compared)} runs."
        median = statistics.median(finals)
        return (f"Done: {len(self._compared)} runs, test accuracy after the last epoch "
                f"{finals[0]:.2f} – {finals[-1]:.2f} % (median {median:.2f} %)")

    def _refresh_progress(self):
        stats, settings = self._latest, self._settings
        if self._compared_latest:  # a comparison: progress of all its runs together
            latest = list(self._compared_latest.values())
            stats = SimpleNamespace(images_seen=sum(s.images_seen for s in latest), epoch_end=False,
                                    seconds=max(s.seconds for s in latest), test_correct=None,
                                    epoch=min(s.epoch for s in latest))
        if stats is None or settings is None or not self._progress_dirty:
            return
        self._progress_dirty = False
        total = max(1, self._compare_images if self._compared_latest else self._n_train * settings.epochs)
        seen = int(stats.images_seen)
        self.progress.setValue(int(1000 * min(seen, total) / total))
        seconds = float(stats.seconds)
        rate = seen / seconds if seconds > 0 else math.nan
        eta = (total - seen) / rate if rate and math.isfinite(rate) and rate > 0 else math.nan
        if not self.runner.is_paused():
            self.progress.setFormat(f"epoch {stats.epoch} of {settings.epochs} · %p%")
        self.speed_label.setVisible(True)
        self.speed_label.setText(f"{rate:,.0f} images/s · elapsed {_format_duration(seconds)} · "
                                 f"ETA {_format_duration(eta) if self._mode == 'training' else '0:00'}")
        if stats.epoch_end and stats.test_correct is not None and self._mode == "training":
            pct = percent(stats.test_correct, stats.test_total)
            self.result_label.setText(f"Epoch {stats.epoch}: {stats.test_correct:,} / {stats.test_total:,} "
                                      f"test images right ({pct:.2f} %)")

    def _update_buttons(self):
        busy = self.runner.is_running()
        training = busy and self._mode == "training"
        paused = self.runner.is_paused()
        self.start_button.setEnabled(not busy)
        self.pause_button.setEnabled(training and not paused)
        self.resume_button.setEnabled(training and paused)
        self.stop_button.setEnabled(training or (busy and self._mode == "downloading"))
        self.reset_button.setEnabled(True)
        self.evaluate_button.setEnabled(not busy and self.network is not None)
        self.save_button.setEnabled(not busy and self.network is not None)
        self.load_button.setEnabled(not busy)
        for widget in (self.open_folder_button, self.open_file_button, self.bundled_button,
                       self.download_button, self.limit, self.cost, self.init, self.compare_button,
                       self.curve_button,
                       self.compare_seeds, self.compare_etas,
                       self.sizes_edit, self.encoding, self.eta, self.mini_batch, self.epochs, self.seed,
                       self.dtype):
            widget.setEnabled(not busy)
