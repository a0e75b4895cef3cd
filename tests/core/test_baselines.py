"""The chapter's baselines: average darkness, random guessing, and the optional SVM."""

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


def test_svm_needs_scikit_learn_or_runs():
    train, test = _ink_set(seed=0), _ink_set(seed=1)
    if not baselines.svm_available():
        with pytest.raises(UserError, match="scikit-learn"):
            baselines.svm(train, test)
    else:
        assert baselines.svm(train, test) > 150
