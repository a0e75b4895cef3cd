"""The SVM baseline as a worker task: scikit-learn's SVC fitted in a child process (no Qt here).

:func:`svm_task` returns ``task(stop)`` for :class:`~nnsim.gui.worker.TaskRunner`. It yields
:class:`SvmProgress` items (stage "fitting", then "scoring" with images scored so far) about every
:data:`POLL` seconds and returns an :class:`SvmResult`, or None when stopped.

Why a process: ``SVC.fit`` is one long call into libsvm that nothing can interrupt, and a thread cannot be
killed. So the fit and the scoring run in a child process (a fresh interpreter, so no Qt state is copied
into it) while the worker thread only waits for its messages and asks ``stop()`` between waits. Cancel (or closing the
app, or a page reset) therefore ends the task within one :data:`POLL`: the child is terminated, its CPU is
freed at once, and nothing it would have sent is read. The child scores the test set in chunks, so scoring
reports real progress; the fit itself can only report that it is running and for how long.
"""

from __future__ import annotations

import queue
import sys
import time
from dataclasses import dataclass

import numpy as np

from nnsim.core.errors import UserError
from nnsim.core.learning import baselines
from nnsim.core.learning.metrics import percent
from nnsim.io.datacache import load_data

#: Training-set sizes offered (the first N training images); None = all of them. The fit's time grows
#: faster than linearly with N, so the default is a fraction of MNIST's 50,000.
SIZES = (1_000, 2_000, 5_000, 10_000, 20_000, None)
DEFAULT_SIZE = 10_000
POLL = 0.1            # seconds between stop() checks while the child works
SCORE_CHUNK = 500     # test images scored per progress report


@dataclass
class SvmProgress:
    """``stage`` ("fitting", "scoring"), test images ``scored`` of ``total``, ``seconds`` since
    the child started, ``n_train`` images it fits on."""

    stage: str
    scored: int
    total: int
    seconds: float
    n_train: int


@dataclass
class SvmResult:
    correct: int
    total: int
    n_train: int
    seconds: float

    @property
    def accuracy_pct(self) -> float:
        return percent(self.correct, self.total)

    @property
    def label(self) -> str:
        return f"SVM ({self.n_train:,} images)"


def svm_available() -> bool:
    """True when scikit-learn can be imported (checked without importing it: that takes a second)."""
    from importlib.util import find_spec

    try:
        return find_spec("sklearn") is not None
    except (ImportError, ValueError):
        return False


def _child_main() -> None:
    """The child process: read the training and test sets and the chunk size from stdin (an ``.npz``
    archive, loaded without pickle), fit, then score the test set chunk by chunk, printing one JSON line
    per step on stdout."""
    import io
    import json

    def send(kind, value):
        sys.stdout.write(json.dumps([kind, value]) + "\n")
        sys.stdout.flush()

    try:
        with np.load(io.BytesIO(sys.stdin.buffer.read()), allow_pickle=False) as arrays:
            training = (arrays["X_train"], arrays["y_train"])
            test = (arrays["X_test"], arrays["y_test"])
            chunk = int(arrays["chunk"])
        clf = baselines.svm_fit(training)
        send("scoring", 0)
        X, y = test
        correct = 0
        for start in range(0, len(y), chunk):
            part = slice(start, start + chunk)
            correct += baselines.svm_correct(clf, (X[part], y[part]))
            send("scoring", min(start + chunk, len(y)))
        send("done", correct)
    except UserError as err:
        send("error", str(err))
    except Exception as err:  # noqa: BLE001 - the parent reports it to the user
        send("error", f"{type(err).__name__}: {err}")


def _start_child(training, test, chunk):
    """Start :func:`_child_main` in a fresh interpreter (not ``multiprocessing``: its spawn re-runs the
    parent's main script, which may be anything) and hand it the data. Returns the process and a queue
    of its messages, filled by a daemon thread (a pipe cannot be waited on with a timeout everywhere)."""
    import io
    import json
    import queue
    import subprocess
    import threading

    process = subprocess.Popen([sys.executable, "-c", "from nnsim.gui.training.svm import _child_main; "
                                "_child_main()"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    messages: queue.Queue = queue.Queue()

    def read():
        for line in process.stdout:
            try:
                messages.put(json.loads(line))
            except ValueError:
                continue  # a library's stray print
        messages.put(None)  # the child has gone

    threading.Thread(target=read, name="nnsim-svm-reader", daemon=True).start()
    try:
        buffer = io.BytesIO()
        np.savez(buffer, X_train=training[0], y_train=training[1], X_test=test[0], y_test=test[1],
                 chunk=np.array(chunk))
        process.stdin.write(buffer.getbuffer())
        process.stdin.close()
    except OSError:
        pass  # the child died at once: the reader reports it
    return process, messages


def svm_task(data_path, n_train: int | None = DEFAULT_SIZE, chunk: int = SCORE_CHUNK):
    """A task that fits the SVM baseline on the first ``n_train`` training images (None: all) of the data
    at ``data_path`` (None: the bundled MNIST) and scores it on the test set; see the module's note."""

    def task(stop):
        if not svm_available():
            raise UserError(baselines.SVM_MISSING)
        data = load_data(data_path)
        X, y = data.compact("training")
        if n_train is not None:
            X, y = X[:n_train], y[:n_train]
        Xt, yt = data.compact("test")
        n, total = len(y), len(yt)
        if n == 0 or total == 0:
            raise UserError("the SVM baseline needs training and test images")
        if len(np.unique(y)) < 2:
            raise UserError(f"the first {n:,} training images are all of one digit: the SVM needs two or more")
        started = time.monotonic()
        child, messages = _start_child((X, y), (Xt, yt), chunk)
        stage, scored = "fitting", 0
        try:
            yield SvmProgress(stage, scored, total, 0.0, n)
            while True:
                if stop():
                    return None
                try:
                    message = messages.get(timeout=POLL)
                except queue.Empty:
                    message = ()
                if message is None:
                    raise UserError(f"the SVM's process ended unexpectedly (exit code {child.wait()})")
                if message:
                    kind, value = message
                    if kind == "error":
                        raise UserError(f"the SVM failed: {value}")
                    if kind == "done":
                        return SvmResult(int(value), total, n, time.monotonic() - started)
                    stage, scored = kind, int(value)
                yield SvmProgress(stage, scored, total, time.monotonic() - started, n)
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
            child.stdout.close()

    return task
