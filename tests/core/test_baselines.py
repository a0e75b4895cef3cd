"""The chapter's baselines: average darkness, random guessing, and the optional SVM."""

import sys

import numpy as np
import pytest

from nnsim.core.learning import baselines
from nnsim.core.errors import UserError


def _ink_set(n_per_class=20, seed=0):
    """Images whose digit is their amount of ink: class k has about 10·(k + 1) lit pixels of 64."""
    rng = np.random.default_rng(seed)
    X, y = [], []
    for k in range(10):
        for _ in range(n_per_class):
            img = np.zeros(64, np.uint8)
            img[rng.choice(64, 5 * (k + 1) + rng.integers(0, 2), replace=False)] = 255
            X.append(img)
            y.append(k)
    return np.array(X), np.array(y)


def test_average_darkness_reads_ink_and_works_on_floats_too():
    train, test = _ink_set(seed=0), _ink_set(seed=1)
    averages = baselines.darkness_averages(train)
    assert np.all(np.diff(averages) > 0)
    assert baselines.average_darkness(train, test) == 200
    floats = (train[0] / 255.0, train[1]), (test[0] / 255.0, test[1])
    assert baselines.average_darkness(*floats) == 200


def test_average_darkness_ignores_digits_missing_from_training():
    X, y = _ink_set()
    keep = y != 3
    predicted = baselines.average_darkness_predict((X[keep], y[keep]), X)
    assert 3 not in predicted
    with pytest.raises(UserError, match="needs training images"):
        baselines.average_darkness_predict((X[:0], y[:0]), X)


def test_random_guess_is_seeded_and_near_one_in_ten():
    y = np.arange(10_000) % 10
    test = (np.zeros((10_000, 4)), y)
    a = baselines.random_guess(test, seed=3)
    assert a == baselines.random_guess(test, seed=3)
    assert 850 < a < 1150


def _pattern_set(n_per_class=20, seed=0, flips=3):
    """Images whose digit is WHERE the ink is: class k lights its own 16 of 64 pixels (templates fixed by
    seed 100), with ``flips`` lit pixels moved at random. Every image has the same ink, so darkness is blind."""
    templates = np.zeros((10, 64), np.uint8)
    layout = np.random.default_rng(100)
    for k in range(10):
        templates[k, layout.choice(64, 16, replace=False)] = 255
    rng = np.random.default_rng(seed)
    X = np.repeat(templates, n_per_class, axis=0)
    for img in X:
        img[rng.choice(np.flatnonzero(img), flips, replace=False)] = 0
        img[rng.choice(np.flatnonzero(img == 0), flips, replace=False)] = 255
    return X, np.repeat(np.arange(10), n_per_class)


def test_svm_reads_patterns_that_darkness_cannot():
    pytest.importorskip("sklearn.svm")
    train, test = _pattern_set(seed=0), _pattern_set(seed=1)
    assert baselines.svm_available()
    assert baselines.average_darkness(train, test) <= 40  # chance is 20 of 200
    assert baselines.svm(train, test) >= 190  # nearest template is right for all 200


def test_svm_without_scikit_learn_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # as if it were not installed
    monkeypatch.setitem(sys.modules, "sklearn.svm", None)
    assert not baselines.svm_available()
    with pytest.raises(UserError, match="scikit-learn"):
        baselines.svm(_pattern_set(2), _pattern_set(2, seed=1))
