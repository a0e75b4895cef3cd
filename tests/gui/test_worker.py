"""TaskRunner.submit: the newest request wins. A running task is cancelled and whatever it still sends is
dropped; of several requests made meanwhile only the last runs; stop() and shutdown() drop a waiting one.
(start/pause/stop/errors and plain callables are covered in test_training_worker.py.)"""

import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from nnsim.gui.worker import TaskRunner


def gated(name, gate=None, entered=None, log=None, steps=3):
    """A task named ``name``: yields ``(name, i)`` for each step (checking stop() first), returns ``name``.
    The first step waits on ``gate`` (after setting ``entered``); ``log`` records (name, thread) per step."""

    def task(stop):
        for i in range(steps):
            if stop():
                return f"{name} stopped"
            if i == 0:
                if entered is not None:
                    entered.set()
                if gate is not None:
                    assert gate.wait(5)
            if log is not None:
                log.append((name, threading.current_thread()))
            yield (name, i)
        return name

    return task


@pytest.fixture
def runner(qtbot):
    r = TaskRunner()
    yield r
    assert r.shutdown()


def test_submit_when_idle_runs_in_a_worker_thread(qtbot, runner):
    log, items = [], []
    runner.sigYielded.connect(items.append)
    with qtbot.waitSignal(runner.sigFinished, timeout=5000):
        with qtbot.waitSignal(runner.sigReturned, timeout=5000) as ret:
            runner.submit(gated("a", log=log))
    assert ret.args == ["a"] and items == [("a", 0), ("a", 1), ("a", 2)]
    assert all(t is not threading.main_thread() for _, t in log)
    assert not runner.is_running()


def test_a_newer_request_supersedes_and_the_stale_result_is_dropped(qtbot, runner):
    gate, entered = threading.Event(), threading.Event()
    log, items, results, finished = [], [], [], []
    runner.sigYielded.connect(items.append)
    runner.sigReturned.connect(results.append)
    runner.sigFinished.connect(lambda: finished.append(QThread.currentThread()))
    runner.submit(gated("old", gate, entered, log))
    assert entered.wait(5)                       # the old task is inside its first step
    runner.submit(gated("middle", log=log))      # waits behind it ...
    runner.submit(gated("new", log=log))         # ... and is replaced by this one
    assert runner.is_running()
    with qtbot.waitSignal(runner.sigFinished, timeout=5000):
        gate.set()
    assert results == ["new"]                    # neither "old stopped" nor "old" nor "middle"
    assert items == [("new", 0), ("new", 1), ("new", 2)]
    assert [name for name, _ in log] == ["old", "new", "new", "new"]   # "middle" never ran
    assert len(finished) == 1 and finished[0] is QThread.currentThread()


def test_stop_drops_a_waiting_request(qtbot, runner):
    gate, entered = threading.Event(), threading.Event()
    results = []
    runner.sigReturned.connect(results.append)
    runner.submit(gated("old", gate, entered))
    assert entered.wait(5)
    runner.submit(gated("new"))
    runner.stop()
    with qtbot.waitSignal(runner.sigFinished, timeout=5000):
        gate.set()
    assert results == []      # the old one was superseded, the new one never started
    assert not runner.is_running()


def test_shutdown_with_a_request_waiting_is_clean(qtbot, runner):
    gate, entered = threading.Event(), threading.Event()
    results, finished = [], []
    runner.sigReturned.connect(results.append)
    runner.sigFinished.connect(lambda: finished.append(1))
    runner.submit(gated("old", gate, entered, steps=10_000))
    assert entered.wait(5)
    runner.submit(gated("new"))
    gate.set()
    assert runner.shutdown()
    assert not runner.is_running() and finished == [1]
    QApplication.processEvents()  # what the old worker queued before it ended: dropped, not delivered
    assert results == [] and finished == [1]
