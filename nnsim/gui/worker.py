"""Long work off the GUI thread: a task in a worker moved to a ``QThread``, owned by a runner.

A *task* is a callable ``task(stop)``. A generator function (see :mod:`nnsim.gui.training.tasks` and
:mod:`nnsim.gui.response.tasks`) yields progress items and may ``return`` a result; a plain function
``task(stop) -> result`` just returns its result. Either calls ``stop()`` between steps (the MNIST engine's ``sgd`` checks it between mini-batches). ``stop()`` returns True once the
run is cancelled, and *blocks* while the run is paused, so pausing takes effect within one step and costs
nothing while running. A task must work on its own copies (a ``Graph.copy()``, a network copy), never on
objects the GUI thread may change meanwhile.

:class:`TaskRunner` lives on the GUI thread. It keeps the references to thread and worker, relays the
worker's signals to its own (queued to the runner, so connected slots run on the GUI thread), and stops
with cancel → quit → wait. Tests and views wait on the runner's signals, never the worker's. Two ways to
run: :meth:`TaskRunner.start` (one run at a time, e.g. a training run with pause and stop) and
:meth:`TaskRunner.submit` (the newest request wins: a running task is cancelled and its results are
dropped, e.g. a plot that recomputes when the document changes).
"""

from __future__ import annotations

import inspect
import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from nnsim.core.errors import UserError

Task = Callable[[Callable[[], bool]], Any]  # a generator of progress items, or a function giving the result


class _Worker(QObject):
    """Runs one task in its thread. Only :meth:`run` executes there; the flags are thread-safe Events.
    Every signal carries the run id, so the runner recognises what an older run still sends."""

    sigYielded = Signal(int, object)
    sigReturned = Signal(int, object)
    sigErrored = Signal(int, str, str)  # run id, message for the user, details (traceback) for the curious
    sigDone = Signal(int)

    def __init__(self, task: Task, run_id: int):
        super().__init__()
        self._task = task
        self._run_id = run_id
        self._cancelled = threading.Event()
        self._running = threading.Event()  # cleared = paused
        self._running.set()

    def stop_requested(self) -> bool:
        """The ``stop()`` handed to the task: blocks while paused, True once cancelled."""
        self._running.wait()
        return self._cancelled.is_set()

    def cancel(self):
        self._cancelled.set()
        self._running.set()  # a paused run must wake up to notice

    def pause(self):
        if not self._cancelled.is_set():
            self._running.clear()

    def resume(self):
        self._running.set()

    @Slot()
    def run(self):
        rid = self._run_id
        try:
            generator = self._task(self.stop_requested)
            if not inspect.isgenerator(generator):  # a plain callable: its return value is the result
                self.sigReturned.emit(rid, generator)
                return
            while True:
                try:
                    item = next(generator)
                except StopIteration as end:
                    self.sigReturned.emit(rid, end.value)
                    break
                self.sigYielded.emit(rid, item)
        except UserError as err:
            self.sigErrored.emit(rid, str(err), "")
        except Exception as err:  # noqa: BLE001 - any failure must reach the user, not kill the thread
            self.sigErrored.emit(rid, f"{type(err).__name__}: {err}", traceback.format_exc())
        finally:
            self.sigDone.emit(rid)


class TaskRunner(QObject):
    """Runs one task at a time in a worker thread; all its signals arrive on the GUI thread.

    Signals: ``sigStarted`` for each run; ``sigYielded(item)`` for each item; ``sigReturned(result)`` when
    the task ends normally (also after a stop); ``sigErrored(message, details)``; ``sigPausedChanged(bool)``;
    ``sigFinished`` always last, once the thread has ended and the runner is idle (free for the next task).
    A run superseded by :meth:`submit` sends nothing more: neither its items, nor its result or error,
    nor ``sigFinished`` (the newer run follows at once)."""

    sigStarted = Signal()
    sigYielded = Signal(object)
    sigReturned = Signal(object)
    sigErrored = Signal(str, str)
    sigPausedChanged = Signal(bool)
    sigFinished = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._paused = False
        self._run_id = 0
        self._superseded = False   # the present run was cancelled by submit(): drop what it still sends
        self._pending: Task | None = None

    def __repr__(self):
        state = "paused" if self._paused else ("running" if self.is_running() else "idle")
        return f"<TaskRunner {state}{' +1 pending' if self._pending is not None else ''}>"

    def is_running(self) -> bool:
        return self._thread is not None

    def is_paused(self) -> bool:
        return self._paused

    def start(self, task: Task):
        """Run ``task`` in a new worker thread. Raises RuntimeError if a task is already running."""
        if self._thread is not None:
            raise RuntimeError("a task is already running; stop it first")
        self._run_id += 1
        self._superseded = False
        thread = QThread()
        thread.setObjectName("nnsim-worker")
        worker = _Worker(task, self._run_id)
        worker.moveToThread(thread)
        # worker (its thread) -> runner slots (queued to the GUI thread) -> runner signals
        worker.sigYielded.connect(self._on_yielded)
        worker.sigReturned.connect(self._on_returned)
        worker.sigErrored.connect(self._on_errored)
        worker.sigDone.connect(self._on_worker_done)
        thread.started.connect(worker.run)
        self._thread, self._worker = thread, worker
        self._set_paused(False)
        thread.start()
        self.sigStarted.emit()

    def submit(self, task: Task):
        """Run ``task`` as the newest request. A task still running is cancelled (it ends at its next
        ``stop()`` check) and whatever it still sends is dropped; ``task`` starts as soon as that thread
        has ended. Of several requests made meanwhile only the last one runs."""
        if self._thread is None:
            self.start(task)
            return
        self._pending = task
        self._superseded = True
        self._worker.cancel()
        self._set_paused(False)

    def pause(self):
        if self._worker is not None and not self._paused:
            self._worker.pause()
            self._set_paused(True)

    def resume(self):
        if self._worker is not None and self._paused:
            self._worker.resume()
            self._set_paused(False)

    def stop(self):
        """Ask the task to end; it stops at its next ``stop()`` check (within one mini-batch). A request
        waiting behind it (see :meth:`submit`) is dropped."""
        self._pending = None
        if self._worker is not None:
            self._worker.cancel()
            self._set_paused(False)

    def shutdown(self, timeout_ms: int | None = None) -> bool:
        """Cancel → quit → wait, for closing. Returns True when no thread is left running.

        By default waits until the thread has ended: a QThread destroyed while it runs aborts the process,
        and every task asks ``stop()`` often (a mini-batch; a download at least every quarter second). With
        ``timeout_ms`` it gives up after that long and returns False, keeping its references to the thread."""
        self._pending = None
        if self._thread is None:
            return True
        self.stop()
        self._thread.quit()
        if not (self._thread.wait() if timeout_ms is None else self._thread.wait(timeout_ms)):
            return False
        self._release()
        return True

    def _set_paused(self, paused: bool):
        if paused != self._paused:
            self._paused = paused
            self.sigPausedChanged.emit(paused)

    def _current(self, run_id: int) -> bool:
        """True when a signal of run ``run_id`` should reach the runner's listeners."""
        return run_id == self._run_id and self._thread is not None and not self._superseded

    @Slot(int, object)
    def _on_yielded(self, run_id: int, item):
        if self._current(run_id):
            self.sigYielded.emit(item)

    @Slot(int, object)
    def _on_returned(self, run_id: int, result):
        if self._current(run_id):
            self.sigReturned.emit(result)

    @Slot(int, str, str)
    def _on_errored(self, run_id: int, message: str, details: str):
        if self._current(run_id):
            self.sigErrored.emit(message, details)

    @Slot(int)
    def _on_worker_done(self, run_id: int):
        if run_id != self._run_id or self._thread is None:
            return  # an old run already released by shutdown()
        self._thread.quit()
        self._thread.wait()
        self._release()

    def _release(self):
        # The thread has ended, so dropping the last references deletes both objects safely here.
        self._thread = self._worker = None
        self._superseded = False
        self._set_paused(False)
        pending, self._pending = self._pending, None
        if pending is not None:
            self.start(pending)
        else:
            self.sigFinished.emit()
