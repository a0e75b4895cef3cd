"""Long work off the GUI thread: a generator task in a worker moved to a ``QThread``, owned by a runner.

A *task* is a callable ``task(stop) -> Iterator`` (see :mod:`nnsim.gui.training.tasks`): it yields
progress items, may ``return`` a result, and calls ``stop()`` between steps (the MNIST engine's ``sgd``
checks it between mini-batches). ``stop()`` returns True once the run is cancelled, and *blocks* while the
run is paused, so pausing takes effect within one mini-batch and costs nothing while running.

:class:`TaskRunner` lives on the GUI thread. It keeps the references to thread and worker, relays the
worker's signals to its own (signal → signal, so connected slots run on the GUI thread), and stops with
cancel → quit → wait. Tests and the page wait on the runner's signals, never the worker's.
"""

from __future__ import annotations

import threading
import traceback
from typing import Callable, Iterator

from PySide6.QtCore import QObject, QThread, Signal, Slot

from nnsim.core.errors import UserError

Task = Callable[[Callable[[], bool]], Iterator[object]]


class _Worker(QObject):
    """Runs one task in its thread. Only :meth:`run` executes there; the flags are thread-safe Events."""

    sigYielded = Signal(object)
    sigReturned = Signal(object)
    sigErrored = Signal(str, str)  # message for the user, details (traceback) for the curious
    sigDone = Signal(int)  # the run id, so a late signal from an old run is recognised

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
        try:
            generator = self._task(self.stop_requested)
            while True:
                try:
                    item = next(generator)
                except StopIteration as end:
                    self.sigReturned.emit(end.value)
                    break
                self.sigYielded.emit(item)
        except UserError as err:
            self.sigErrored.emit(str(err), "")
        except Exception as err:  # noqa: BLE001 - any failure must reach the user, not kill the thread
            self.sigErrored.emit(f"{type(err).__name__}: {err}", traceback.format_exc())
        finally:
            self.sigDone.emit(self._run_id)


class TaskRunner(QObject):
    """Runs one task at a time in a worker thread; all its signals arrive on the GUI thread.

    Signals: ``sigStarted``; ``sigYielded(item)`` for each item; ``sigReturned(result)`` when the task
    ends normally (also after a stop); ``sigErrored(message, details)``; ``sigPausedChanged(bool)``;
    ``sigFinished`` always last, once the thread has ended and the runner is free for the next task.
    """

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

    def __repr__(self):
        state = "paused" if self._paused else ("running" if self.is_running() else "idle")
        return f"<TaskRunner {state}>"

    def is_running(self) -> bool:
        return self._thread is not None

    def is_paused(self) -> bool:
        return self._paused

    def start(self, task: Task):
        """Run ``task`` in a new worker thread. Raises RuntimeError if a task is already running."""
        if self._thread is not None:
            raise RuntimeError("a task is already running; stop it first")
        self._run_id += 1
        thread = QThread()
        thread.setObjectName("nnsim-worker")
        worker = _Worker(task, self._run_id)
        worker.moveToThread(thread)
        worker.sigYielded.connect(self.sigYielded)  # signal -> signal: queued to the GUI thread
        worker.sigReturned.connect(self.sigReturned)
        worker.sigErrored.connect(self.sigErrored)
        worker.sigDone.connect(self._on_worker_done)
        thread.started.connect(worker.run)
        self._thread, self._worker = thread, worker
        self._set_paused(False)
        thread.start()
        self.sigStarted.emit()

    def pause(self):
        if self._worker is not None and not self._paused:
            self._worker.pause()
            self._set_paused(True)

    def resume(self):
        if self._worker is not None and self._paused:
            self._worker.resume()
            self._set_paused(False)

    def stop(self):
        """Ask the task to end; it stops at its next ``stop()`` check (within one mini-batch)."""
        if self._worker is not None:
            self._worker.cancel()
            self._set_paused(False)

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel → quit → wait, for closing. Returns True when no thread is left running."""
        if self._thread is None:
            return True
        self.stop()
        self._thread.quit()
        if not self._thread.wait(timeout_ms):
            return False
        self._release()
        return True

    def _set_paused(self, paused: bool):
        if paused != self._paused:
            self._paused = paused
            self.sigPausedChanged.emit(paused)

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
        self._set_paused(False)
        self.sigFinished.emit()
