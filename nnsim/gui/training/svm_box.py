"""The training studio's SVM baseline control: choose a training-set size, fit, watch, cancel.

The fit runs as :func:`nnsim.gui.training.svm.svm_task` in this box's own
:class:`~nnsim.gui.worker.TaskRunner`, so it can run beside a training run (the machine's second core).
Its result becomes a labelled line on the accuracy plot ("SVM (10,000 images): 92.1 %"). Without
scikit-learn the box says how to install it and its controls stay disabled.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QProgressBar, QPushButton

from nnsim.core.learning import baselines
from nnsim.gui.training import svm
from nnsim.gui.worker import TaskRunner


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


class SvmBox(QGroupBox):
    """Fits the SVM baseline on request. ``data_path`` is a callable giving the page's data set (None:
    bundled). ``sigResult(result)`` carries an :class:`~nnsim.gui.training.svm.SvmResult`;
    ``sigFinished(outcome)`` ends every fit: "finished", "cancelled" or "failed" (message in ``last_error``)."""

    sigResult = Signal(object)
    sigFinished = Signal(str)

    def __init__(self, data_path, parent=None):
        super().__init__("SVM baseline", parent)
        self._data_path = data_path
        self.runner = TaskRunner(self)
        self.available = svm.svm_available()
        self.last_error: str | None = None
        self._outcome = "finished"

        self.size = QComboBox()
        for n in svm.SIZES:
            self.size.addItem("all" if n is None else f"{n:,}", n)
        self.size.setCurrentIndex(svm.SIZES.index(svm.DEFAULT_SIZE))
        self.size.setToolTip("Fit on the first N training images: the fit's time grows faster than N "
                             "(all 50,000 take minutes)")
        self.fit_button = QPushButton("Fit SVM")
        self.fit_button.setToolTip("Fit scikit-learn's SVC (the book's settings) and draw its test accuracy "
                                   "as a line on the accuracy plot")
        self.fit_button.clicked.connect(self.fit)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the fit at once; nothing is drawn")
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)   # a reset bar (value -1) hides its text
        self.progress.setTextVisible(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        grid = QGridLayout(self)
        grid.addWidget(QLabel("Training images:"), 0, 0)
        grid.addWidget(self.size, 0, 1)
        grid.addWidget(self.fit_button, 1, 0)
        grid.addWidget(self.cancel_button, 1, 1)
        grid.addWidget(self.progress, 2, 0, 1, 2)
        grid.addWidget(self.status, 3, 0, 1, 2)
        grid.setColumnStretch(1, 1)

        self.runner.sigYielded.connect(self._on_progress)
        self.runner.sigReturned.connect(self._on_returned)
        self.runner.sigErrored.connect(self._on_error)
        self.runner.sigFinished.connect(self._on_finished)
        if self.available:
            self.progress.setFormat("idle")
            self.status.setText("How well does a support vector machine do? (scikit-learn)")
        else:
            self.progress.setVisible(False)
            self.status.setText(baselines.SVM_MISSING[0].upper() + baselines.SVM_MISSING[1:] + ".")
        self._update_buttons()

    def n_train(self) -> int | None:
        return self.size.currentData()

    @Slot()
    def fit(self):
        if not self.available or self.runner.is_running():
            return
        self._outcome = "finished"
        self.last_error = None
        self.progress.setRange(0, 0)  # busy until the first report
        self.progress.setFormat("starting…")
        self.status.setText("Loading the data…")
        self.runner.start(svm.svm_task(self._data_path(), self.n_train()))
        self._update_buttons()

    @Slot()
    def cancel(self):
        """Stop the fit: the child process is ended within a tenth of a second and its result dropped."""
        if self.runner.is_running():
            self._outcome = "cancelled"
            self.runner.stop()

    def shutdown(self):
        self._outcome = "cancelled"
        self.runner.shutdown()

    @Slot(object)
    def _on_progress(self, item):
        if self._outcome == "cancelled" or not isinstance(item, svm.SvmProgress):
            return
        images = f"{item.n_train:,} images"
        if item.stage == "scoring":
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * item.scored / max(1, item.total)))
            self.progress.setFormat(f"scoring {item.scored:,} / {item.total:,} test images")
        else:
            self.progress.setRange(0, 0)
            self.progress.setFormat(f"{item.stage} on {images}… {_duration(item.seconds)}")
        self.status.setText(f"Fitting an SVM on {images}: its time grows faster than the number of images.")

    @Slot(object)
    def _on_returned(self, result):
        if result is None or self._outcome == "cancelled":
            return
        self.progress.setRange(0, 1000)
        self.progress.setValue(1000)
        self.progress.setFormat(f"done in {_duration(result.seconds)}")
        self.status.setText(f"{result.label}: {result.correct:,} / {result.total:,} test images right "
                            f"({result.accuracy_pct:.2f} %)")
        self.sigResult.emit(result)

    @Slot(str, str)
    def _on_error(self, message, details):
        self._outcome = "failed"
        self.last_error = message
        if details:
            sys.stderr.write(details)
        self.status.setText(f"The SVM failed: {message}")

    @Slot()
    def _on_finished(self):
        if self._outcome != "finished":
            self.progress.setRange(0, 1000)
            self.progress.setValue(0)
            self.progress.setFormat(self._outcome)
        if self._outcome == "cancelled":
            self.status.setText("Cancelled: no SVM line drawn.")
        self._update_buttons()
        self.sigFinished.emit(self._outcome)

    def _update_buttons(self):
        busy = self.runner.is_running()
        self.fit_button.setEnabled(self.available and not busy)
        self.size.setEnabled(self.available and not busy)
        self.cancel_button.setEnabled(busy)
