"""The SVM baseline in the training studio: fitted in a child process on a small seeded MNIST subset, its
line labelled with the training-set size; Cancel ends at once and draws nothing; without scikit-learn the
box says how to get it. Waits on the runner's and the box's signals."""

import numpy as np
import pytest

from nnsim.gui.training import svm
from nnsim.gui.training.page import TrainingPage
from nnsim.gui.training.svm_box import SvmBox
from nnsim.io.datacache import load_data


@pytest.fixture(scope="module")
def small_npz(tmp_path_factory):
    """600 training and 300 test images drawn (seed 0) from the bundled MNIST, as a Keras-style .npz."""
    data = load_data(None)
    X, y = data.compact("training")
    Xt, yt = data.compact("test")
    rng = np.random.default_rng(0)
    train, test = rng.choice(len(y), 600, replace=False), rng.choice(len(yt), 300, replace=False)
    path = tmp_path_factory.mktemp("svm") / "small.npz"
    np.savez(path, x_train=X[train].reshape(-1, 28, 28), y_train=y[train].astype(np.uint8),
             x_test=Xt[test].reshape(-1, 28, 28), y_test=yt[test].astype(np.uint8))
    return str(path)


@pytest.fixture
def page(qtbot, small_npz):
    pytest.importorskip("sklearn.svm")
    p = TrainingPage()
    qtbot.addWidget(p)
    p.set_data_path(small_npz)
    yield p
    p.shutdown()


def test_the_svm_line_is_drawn_with_its_training_set_size(qtbot, page, small_npz):
    box = page.svm_box
    assert box.available and box.n_train() == svm.DEFAULT_SIZE
    box.size.setCurrentIndex(svm.SIZES.index(1_000))
    stages = []
    box.runner.sigYielded.connect(lambda item: stages.append(item.stage))
    with qtbot.waitSignal(box.sigFinished, timeout=120_000) as finished:
        with qtbot.waitSignal(box.sigResult, timeout=120_000) as result:
            box.fit()
            assert not box.fit_button.isEnabled() and box.cancel_button.isEnabled()
    assert finished.args == ["finished"]
    res = result.args[0]
    data = load_data(small_npz)
    n_train = len(data.compact("training")[1])   # the .npz keeps some images back for validation
    assert (res.n_train, res.total) == (n_train, 300)
    assert stages[0] == "fitting" and stages[-1] == "scoring" and stages == sorted(stages)
    # the same count as the core baseline on the same images
    from nnsim.core.learning import baselines
    assert res.correct == baselines.svm(data.compact("training"), data.compact("test"))
    assert res.accuracy_pct > 70   # it reads digits: far above darkness
    assert page.plots.baselines()["svm"] == pytest.approx(res.accuracy_pct)
    line = page.plots._baselines["svm"]
    assert f"SVM ({n_train:,} images)" in line.label.format
    assert f"SVM ({n_train:,} images)" in page.plots._baseline_label.text()
    assert box.fit_button.isEnabled() and not box.cancel_button.isEnabled()


def test_cancel_ends_the_fit_at_once_and_draws_nothing(qtbot, page):
    page.set_data_path(None)   # all 50,000 bundled images: a fit of minutes, surely still running
    box = page.svm_box
    box.size.setCurrentIndex(svm.SIZES.index(None))
    with qtbot.waitSignal(box.runner.sigYielded, timeout=30_000,
                          check_params_cb=lambda item: item.stage == "fitting"):
        box.fit()
    results = []
    box.sigResult.connect(results.append)
    with qtbot.waitSignal(box.sigFinished, timeout=10_000) as finished:
        box.cancel()
    assert finished.args == ["cancelled"]
    assert results == [] and "svm" not in page.plots.baselines()
    assert box.progress.format() == "cancelled" and box.fit_button.isEnabled()


def test_closing_the_page_during_a_fit_ends_it(qtbot, page):
    page.set_data_path(None)
    box = page.svm_box
    box.size.setCurrentIndex(svm.SIZES.index(None))
    with qtbot.waitSignal(box.runner.sigYielded, timeout=30_000,
                          check_params_cb=lambda item: item.stage == "fitting"):
        box.fit()
    page.shutdown()
    assert not box.runner.is_running()


def test_a_failure_in_the_child_is_reported(qtbot, page, monkeypatch):
    monkeypatch.setattr(svm, "_start_child", _failing_child)
    box = page.svm_box
    with qtbot.waitSignal(box.sigFinished, timeout=30_000) as finished:
        box.fit()
    assert finished.args == ["failed"]
    assert "ended unexpectedly" in box.last_error and "failed" in box.status.text()


def _failing_child(training, test, chunk):
    import queue
    import subprocess
    import sys

    messages = queue.Queue()
    messages.put(None)
    return subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"], stdout=subprocess.PIPE), messages


def test_without_scikit_learn_the_box_says_how_to_get_it(qtbot, monkeypatch):
    monkeypatch.setattr(svm, "svm_available", lambda: False)
    box = SvmBox(lambda: None)
    qtbot.addWidget(box)
    assert not box.fit_button.isEnabled() and not box.size.isEnabled()
    assert "scikit-learn" in box.status.text() and "nnsim[svm]" in box.status.text()
    box.fit()
    assert not box.runner.is_running()
