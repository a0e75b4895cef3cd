"""How well a classifier reads its test images: accuracy as a percentage, the confusion matrix, and the
accuracy of each class (the book's "9,495 of 10,000" and what lies behind it).

Labels are ints: ``y`` the true labels (n,), ``predicted`` the classifier's (n,), both in 0 … n_classes − 1
(a prediction outside that range, e.g. a 4-bit output read as 13, counts as wrong and has no column).
"""

from __future__ import annotations

import math

import numpy as np


def percent(correct, total) -> float:
    """100·correct/total; NaN when there are no data (``total`` 0) or no count (``correct`` None)."""
    if correct is None or not total:
        return math.nan
    return 100.0 * correct / total


def confusion_matrix(y, predicted, n_classes: int = 10) -> np.ndarray:
    """Counts (n_classes, n_classes) of int64: entry [i, j] is how many images of class i were read as j.

    Row i sums to the number of images of class i less those read as no class at all."""
    y = np.asarray(y, dtype=np.int64)
    predicted = np.asarray(predicted, dtype=np.int64)
    if y.shape != predicted.shape:
        raise ValueError(f"{y.shape} labels but {predicted.shape} predictions")
    inside = (predicted >= 0) & (predicted < n_classes) & (y >= 0) & (y < n_classes)
    cells = y[inside] * n_classes + predicted[inside]
    return np.bincount(cells, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def per_class_accuracy(y, predicted, n_classes: int = 10) -> np.ndarray:
    """The percentage of each class's images read right (n_classes,) floats; NaN for a class with no image."""
    y = np.asarray(y, dtype=np.int64)
    total = np.bincount(y[(y >= 0) & (y < n_classes)], minlength=n_classes)
    right = np.diag(confusion_matrix(y, predicted, n_classes))
    out = np.full(n_classes, math.nan)
    has = total > 0
    out[has] = 100.0 * right[has] / total[has]
    return out
