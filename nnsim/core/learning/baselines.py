"""Baselines to beat, from the end of chapter 1: random guessing, average darkness, and an SVM.

Each takes ``(X, y)`` pairs — X (n, pixels) as floats in [0, 1] or uint8 — and returns how many test
images it gets right. The book: average darkness 2,225 of 10,000; scikit-learn's SVC with its defaults
of the time 9,435.
"""

from __future__ import annotations

import numpy as np

from nnsim.core.errors import UserError

#: The SVC settings used here: scikit-learn's defaults when the book was written (gamma was "auto",
#: 1/n_features, before it became "scale").
SVM_SETTINGS = {"kernel": "rbf", "C": 1.0, "gamma": "auto"}


def _darkness(X) -> np.ndarray:
    """Total ink of each image (n,), in units of a full-white pixel."""
    X = np.asarray(X)
    if X.dtype == np.uint8:
        return X.sum(axis=1, dtype=np.int64) / 255.0
    return X.sum(axis=1, dtype=np.float64)


def darkness_averages(training, n_classes: int = 10) -> np.ndarray:
    """The mean darkness of the training images of each digit: shape (n_classes,) (NaN for an absent one)."""
    X, y = training
    dark = _darkness(X)
    y = np.asarray(y)
    counts = np.bincount(y, minlength=n_classes).astype(float)
    sums = np.bincount(y, weights=dark, minlength=n_classes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts


def average_darkness_predict(training, X, n_classes: int = 10) -> np.ndarray:
    """Guess each image's digit as the one whose average darkness is closest to its own: (n,) labels."""
    averages = darkness_averages(training, n_classes)
    known = np.flatnonzero(np.isfinite(averages))
    if known.size == 0:
        raise UserError("the average-darkness baseline needs training images")
    dark = _darkness(X)
    return known[np.argmin(np.abs(dark[:, None] - averages[known][None, :]), axis=1)]


def average_darkness(training, test, n_classes: int = 10) -> int:
    """How many test images the average-darkness rule gets right (the book: 2,225 of 10,000)."""
    X, y = test
    return int(np.count_nonzero(average_darkness_predict(training, X, n_classes) == np.asarray(y)))


def random_guess(test, seed=None, n_classes: int = 10) -> int:
    """How many test images a uniform random guess gets right (about 1 in n_classes)."""
    _, y = test
    guesses = np.random.default_rng(seed).integers(0, n_classes, len(y))
    return int(np.count_nonzero(guesses == np.asarray(y)))


def svm_available() -> bool:
    try:
        import sklearn.svm  # noqa: F401
    except ImportError:
        return False
    return True


def svm(training, test, **settings) -> int:
    """How many test images scikit-learn's SVC gets right after training on ``training``.

    ``settings`` override :data:`SVM_SETTINGS`. Slow: minutes on all 50,000 images. Needs the optional
    extra ``svm`` (scikit-learn); UserError otherwise.
    """
    return svm_correct(svm_fit(training, **settings), test)


def svm_fit(training, **settings):
    """scikit-learn's SVC with :data:`SVM_SETTINGS` (``settings`` override them), fitted on ``training``
    (X (n, pixels), y (n,)). One uninterruptible call; UserError without scikit-learn."""
    try:
        from sklearn.svm import SVC
    except ImportError:
        raise UserError(SVM_MISSING) from None
    X, y = training
    clf = SVC(**{**SVM_SETTINGS, **settings})
    clf.fit(_floats(X), np.asarray(y))
    return clf


def svm_correct(clf, test) -> int:
    """How many images of ``test`` (X (n, pixels), y (n,)) the fitted ``clf`` labels right."""
    Xt, yt = test
    return int(np.count_nonzero(clf.predict(_floats(Xt)) == np.asarray(yt)))


#: What to tell a user whose Python has no scikit-learn.
SVM_MISSING = "the SVM baseline needs scikit-learn: pip install 'nnsim[svm]' (or pip install scikit-learn)"


def _floats(X) -> np.ndarray:
    X = np.asarray(X)
    return X / 255.0 if X.dtype == np.uint8 else X.astype(np.float64, copy=False)
