"""Accuracy, confusion matrix and per-class accuracy: the one home of these counts."""

import math

import numpy as np
import pytest

from nnsim.core.learning import metrics


def test_percent_and_no_data():
    assert metrics.percent(9_495, 10_000) == pytest.approx(94.95)
    assert math.isnan(metrics.percent(0, 0)) and math.isnan(metrics.percent(None, 10))


def test_confusion_matrix_rows_are_true_labels():
    y = np.array([0, 0, 1, 2, 2, 2])
    predicted = np.array([0, 1, 1, 2, 0, 13])  # 13: a 4-bit output that names no class
    c = metrics.confusion_matrix(y, predicted, 3)
    assert c.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 1]]
    assert np.trace(c) == np.count_nonzero(y == predicted)
    with pytest.raises(ValueError):
        metrics.confusion_matrix(y, predicted[:3], 3)


def test_per_class_accuracy_counts_unreadable_answers_as_wrong():
    y = np.array([0, 0, 1, 2, 2, 2])
    predicted = np.array([0, 1, 1, 2, 0, 13])
    pct = metrics.per_class_accuracy(y, predicted, 4)  # class 3 has no image
    np.testing.assert_allclose(pct[:3], [50.0, 100.0, 100.0 / 3])
    assert math.isnan(pct[3])


def test_agrees_with_a_per_image_count():
    rng = np.random.default_rng(4)
    y, predicted = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    c = metrics.confusion_matrix(y, predicted)
    for i in range(10):
        for j in range(10):
            assert c[i, j] == np.count_nonzero((y == i) & (predicted == j))
    np.testing.assert_allclose(metrics.per_class_accuracy(y, predicted),
                               [100.0 * np.mean(predicted[y == k] == k) for k in range(10)])
