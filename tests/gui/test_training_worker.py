"""The worker/runner mechanism with a fake generator task: signals arrive on the GUI thread, pause/resume,
stop within one step, errors reported, shutdown during a run; plain callables as tasks."""

import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from nnsim.core.errors import UserError
from nnsim.gui.worker import TaskRunner


def counting_task(n, gate=None, seen=None, entered=None, asking=None):
    """A fake training generator: yields 0..n-1, checks stop() before each step, returns steps done.

    ``entered`` is set once the first step has begun; ``gate`` holds every step until it is set;
    ``asking`` is set whenever the task calls stop() after its first step."""

    def task(stop):
        done = 0
        for i in range(n):
            if i and asking is not None:
                asking.set()
            if stop():
                break
            if entered is not None:
                entered.set()
            if gate is not None:
                gate.wait(5)
            done += 1
            if seen is not None:
                seen.append(i)
            yield i
        return done

    return task


@pytest.fixture
def runner(qtbot):
    r = TaskRunner()
    yield r
    r.shutdown()


def test_items_and_result_arrive_on_gui_thread(qtbot, runner):
    items, threads = [], []
    runner.sigYielded.connect(lambda x: (items.append(x), threads.append(QThread.currentThread())))
    with qtbot.waitSignal(runner.sigReturned, timeout=5000) as ret:
        with qtbot.waitSignal(runner.sigFinished, timeout=5000):
            runner.start(counting_task(5))
    assert ret.args == [5]
    assert items == [0, 1, 2, 3, 4]
    gui = QThread.currentThread()
    assert all(t is gui for t in threads)
    assert not runner.is_running()


def test_pause_blocks_then_resume_finishes(qtbot, runner):
    gate, entered, asking = threading.Event(), threading.Event(), threading.Event()
    seen, items = [], []
    runner.sigYielded.connect(items.append)
    runner.start(counting_task(1000, gate=gate, seen=seen, entered=entered, asking=asking))
    assert entered.wait(5)
    with qtbot.waitSignal(runner.sigPausedChanged, timeout=1000):
        runner.pause()
    gate.set()  # release the first step; the next stop() check blocks
    qtbot.waitUntil(asking.is_set, timeout=5000)  # the task is inside stop(), paused
    QApplication.processEvents()  # the first step's item, sent before, arrives
    assert seen == [0] and items == [0]
    assert runner.is_paused() and runner.is_running()
    with qtbot.waitSignal(runner.sigFinished, timeout=5000):
        runner.resume()
    assert len(seen) == 1000


def test_stop_ends_within_one_step(qtbot, runner):
    gate, entered = threading.Event(), threading.Event()
    seen = []
    results = []
    runner.sigReturned.connect(results.append)
    runner.start(counting_task(10_000, gate=gate, seen=seen, entered=entered))
    assert entered.wait(5)
    runner.stop()  # the worker is inside step 0, waiting on the gate
    with qtbot.waitSignal(runner.sigFinished, timeout=5000):
        gate.set()
    assert results == [1] and len(seen) == 1


def test_stop_while_paused_wakes_the_worker(qtbot, runner):
    gate, entered = threading.Event(), threading.Event()
    seen = []
    runner.start(counting_task(10_000, gate=gate, seen=seen, entered=entered))
    assert entered.wait(5)
    runner.pause()
    gate.set()
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=2000)
    with qtbot.waitSignal(runner.sigFinished, timeout=10_000):
        runner.stop()
    assert not runner.is_paused() and len(seen) == 1


def test_user_error_and_crash_are_reported(qtbot, runner):
    def bad(stop):
        yield 1
        raise UserError("data.gz: not an IDX file")

    with qtbot.waitSignal(runner.sigErrored, timeout=5000) as err:
        runner.start(bad)
    assert err.args[0] == "data.gz: not an IDX file"
    qtbot.waitUntil(lambda: not runner.is_running(), timeout=5000)

    def crash(stop):
        return 1 / 0
        yield

    with qtbot.waitSignal(runner.sigErrored, timeout=5000) as err:
        runner.start(crash)
    assert err.args[0].startswith("ZeroDivisionError") and "Traceback" in err.args[1]
    qtbot.waitUntil(lambda: not runner.is_running(), timeout=5000)


def test_one_task_at_a_time_and_shutdown_during_run(qtbot, runner):
    gate = threading.Event()
    runner.start(counting_task(10_000, gate=gate))
    with pytest.raises(RuntimeError):
        runner.start(counting_task(1))
    gate.set()
    assert runner.shutdown()
    assert not runner.is_running()
    # the runner is reusable after a shutdown
    with qtbot.waitSignal(runner.sigFinished, timeout=5000):
        runner.start(counting_task(3))


def test_qt_binding_keeps_reference_counts(qtbot):
    """PySide6 6.12.0 returned a borrowed True from ``emit()`` and leaked None on void calls, so a live
    training page crashed after a few thousand signals ("bool_dealloc"); pyproject excludes it."""
    import sys

    runner = TaskRunner()
    before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(200):
        runner.sigStarted.emit()
        runner.setObjectName("x")
    assert sys.getrefcount(True) > before_true - 100
    assert sys.getrefcount(None) > before_none - 100


def test_a_plain_callable_is_a_task_too(qtbot, runner):
    asked = []

    def plain(stop):  # not a generator: no items, just a result
        asked.append(stop())
        return "answer"

    items = []
    runner.sigYielded.connect(items.append)
    with qtbot.waitSignal(runner.sigFinished, timeout=5000):
        with qtbot.waitSignal(runner.sigReturned, timeout=5000) as ret:
            runner.start(plain)
    assert ret.args == ["answer"] and items == [] and asked == [False]

    def failing(stop):
        raise UserError("no data here")

    with qtbot.waitSignal(runner.sigErrored, timeout=5000) as err:
        runner.start(failing)
    assert err.args[0] == "no data here"
    qtbot.waitUntil(lambda: not runner.is_running(), timeout=5000)


def test_a_plain_callable_can_be_stopped(qtbot, runner):
    entered, results = threading.Event(), []
    runner.sigReturned.connect(results.append)

    def waits_for_stop(stop):
        entered.set()
        while not stop():  # the task's own work, asking stop() between steps
            pass
        return "stopped"

    runner.start(waits_for_stop)
    assert entered.wait(5)
    with qtbot.waitSignal(runner.sigFinished, timeout=5000):
        runner.stop()
    assert results == ["stopped"]
