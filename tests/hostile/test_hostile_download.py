"""Hostile mirrors (local servers on 127.0.0.1): silent, endless, lying about the size; stale .part files;
stopping a stalled download, from the generator and from the GUI's worker, leaves nothing behind."""

import os
import threading
import time

import pytest
from hostile_helpers import endless, oversized, silent

from nnsim.io.download import DownloadError, download_mnist, fetch_mnist, remove_stale_parts

LABELS = {"t10k-labels-idx1-ubyte.gz": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"}


def run(steps):
    items = []
    while True:
        try:
            items.append(next(steps))
        except StopIteration as end:
            return items, end.value


def test_a_silent_mirror_is_given_up_after_the_timeout(serve, tmp_path):
    url = serve(silent)
    with pytest.raises(DownloadError, match="no data for 1 s"):
        download_mnist(tmp_path, files=LABELS, mirrors=[url], timeout=1)
    assert list(tmp_path.iterdir()) == []


def test_stop_ends_a_stalled_download_and_leaves_no_part_file(serve, tmp_path):
    url = serve(silent)
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    items, result = run(fetch_mnist(tmp_path, files=LABELS, mirrors=[url], timeout=20, stop=stop.is_set))
    assert result is None and items == []
    assert list(tmp_path.iterdir()) == []


def test_stop_during_an_endless_body_leaves_no_part_file(serve, tmp_path):
    url = serve(endless)
    steps = fetch_mnist(tmp_path, files={"big.gz": "0" * 64}, mirrors=[url], timeout=5,
                        stop=lambda: seen[0] >= 3)
    seen = [0]
    while True:
        try:
            next(steps)
        except StopIteration as end:
            assert end.value is None
            break
        seen[0] += 1
    assert list(tmp_path.iterdir()) == []


def test_an_endless_body_is_cut_at_the_size_the_file_can_have(serve, tmp_path):
    url = serve(endless)
    with pytest.raises(DownloadError, match="sent more than the file can have"):
        download_mnist(tmp_path, files=LABELS, mirrors=[url], timeout=5)
    assert list(tmp_path.iterdir()) == []


def test_an_announced_size_beyond_the_file_is_refused_at_once(serve, tmp_path):
    url = serve(oversized)
    with pytest.raises(DownloadError, match="announces 8,000,000,000 bytes"):
        download_mnist(tmp_path, files=LABELS, mirrors=[url], timeout=5)
    assert list(tmp_path.iterdir()) == []


def test_stale_part_files_are_removed_fresh_ones_kept(tmp_path):
    old = tmp_path / ".t10k-labels-idx1-ubyte.gz.abc123.part"
    fresh = tmp_path / ".t10k-labels-idx1-ubyte.gz.def456.part"
    mine = tmp_path / "notes.part"  # not a download's name pattern
    for p in (old, fresh, mine):
        p.write_bytes(b"partial")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    os.utime(mine, (hour_ago, hour_ago))
    assert remove_stale_parts(tmp_path) == [old]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fresh.name, mine.name])


def test_a_download_cleans_stale_parts_first(serve, tmp_path):
    old = tmp_path / ".t10k-labels-idx1-ubyte.gz.abc123.part"
    old.write_bytes(b"partial")
    os.utime(old, (1, 1))
    stop = threading.Event()
    stop.set()
    run(fetch_mnist(tmp_path, files=LABELS, mirrors=[serve(silent)], timeout=5, stop=stop.is_set))
    assert list(tmp_path.iterdir()) == []


def test_closing_the_worker_during_a_stalled_download_waits_for_it_and_leaves_nothing(qtbot, serve, tmp_path):
    from nnsim.gui.training.tasks import download_task
    from nnsim.gui.worker import TaskRunner

    url = serve(silent)
    runner = TaskRunner()
    with qtbot.waitSignal(runner.sigStarted):
        runner.start(download_task(tmp_path, [url]))
    qtbot.waitUntil(lambda: any(tmp_path.iterdir()))  # the .part file exists: the request is out
    assert runner.shutdown()
    assert not runner.is_running()
    assert list(tmp_path.iterdir()) == []


def test_closing_the_training_page_during_a_stalled_download(qtbot, serve, tmp_path):
    from nnsim.gui.training.page import TrainingPage

    page = TrainingPage()
    qtbot.addWidget(page)
    page.show_dialogs = False
    folder = tmp_path / "cache"
    with qtbot.waitSignal(page.runner.sigStarted):
        page.download_data(folder, mirrors=[serve(silent)])
    qtbot.waitUntil(lambda: folder.exists() and any(folder.iterdir()))
    page.shutdown()                       # what closing the window does: cancel → quit → wait
    assert not page.runner.is_running()
    assert list(folder.iterdir()) == []   # the .part file went with the cancelled download
