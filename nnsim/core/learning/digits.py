"""Turn a hand-drawn digit into an MNIST-style 28×28 image.

MNIST's digits were size-normalised to fit a 20×20 box keeping their aspect ratio (anti-aliased, so
edges are grey), then placed in a 28×28 field so that their centre of mass sits at the centre
(LeCun, Cortes and Burges). :func:`mnist_preprocess` does the same to any grey image, e.g. the draw-a-digit
pad's canvas, so the network sees a drawing the way it saw its training data.
"""

from __future__ import annotations

import numpy as np

BOX = 20
"""Side of the box the digit's bounding box is scaled into."""
SIZE = 28
"""Side of the output image."""


def area_resize_matrix(n_in: int, n_out: int) -> np.ndarray:
    """The (n_out, n_in) matrix that area-averages a length-``n_in`` signal down (or up) to ``n_out``.

    Output cell ``i`` covers input interval ``[i·s, (i+1)·s)`` with ``s = n_in / n_out``; each entry is the
    fraction of that interval an input cell covers, so rows sum to 1 (a box filter, exact anti-aliasing).
    """
    if n_in < 1 or n_out < 1:
        raise ValueError("sizes must be positive")
    scale = n_in / n_out
    lo = np.arange(n_out)[:, None] * scale
    hi = lo + scale
    cells = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(hi, cells + 1) - np.maximum(lo, cells), 0.0, None)
    return overlap / scale


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) centre of mass of a non-negative (H, W) image, in pixel-index coordinates."""
    total = float(image.sum())
    if total <= 0.0:
        h, w = image.shape
        return (h - 1) / 2.0, (w - 1) / 2.0
    rows = np.arange(image.shape[0])
    cols = np.arange(image.shape[1])
    return float(image.sum(axis=1) @ rows) / total, float(image.sum(axis=0) @ cols) / total


def mnist_preprocess(image: np.ndarray, threshold: float = 0.05) -> np.ndarray:
    """MNIST-style preprocessing of a grey drawing.

    ``image``: (H, W) array, ink in [0, 1] (0 = background, 1 = full ink), any size (e.g. 280×280).
    Returns a (784,) float32 vector in [0, 1]: the 28×28 image row by row, as the network's input.

    Steps: crop to the bounding box of pixels above ``threshold``; pad the shorter side so the box is
    square (the aspect ratio is kept); area-average to 20×20; put it in a 28×28 field and shift it by
    whole pixels so its centre of mass lands at the field's centre (13.5, 13.5), as far as the field
    allows (ink never leaves it). A blank image gives all zeros.
    """
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError(f"expected a 2-D image, got shape {image.shape}")
    image = np.clip(np.nan_to_num(image), 0.0, 1.0)
    ink_rows = np.flatnonzero((image > threshold).any(axis=1))
    ink_cols = np.flatnonzero((image > threshold).any(axis=0))
    if ink_rows.size == 0:
        return np.zeros(SIZE * SIZE, dtype=np.float32)
    crop = image[ink_rows[0]:ink_rows[-1] + 1, ink_cols[0]:ink_cols[-1] + 1]
    h, w = crop.shape
    side = max(h, w)
    square = np.zeros((side, side))
    top, left = (side - h) // 2, (side - w) // 2
    square[top:top + h, left:left + w] = crop
    resize = area_resize_matrix(side, BOX)
    box = resize @ square @ resize.T  # (20, 20)

    field = np.zeros((SIZE, SIZE))
    margin = (SIZE - BOX) // 2
    field[margin:margin + BOX, margin:margin + BOX] = box
    cy, cx = centre_of_mass(field)
    centre = (SIZE - 1) / 2.0
    # Shift by whole pixels, but never push ink out of the field.
    rows = np.flatnonzero(field.any(axis=1))
    cols = np.flatnonzero(field.any(axis=0))
    dy = int(np.clip(np.round(centre - cy), -rows[0], SIZE - 1 - rows[-1]))
    dx = int(np.clip(np.round(centre - cx), -cols[0], SIZE - 1 - cols[-1]))
    shifted = np.roll(field, (dy, dx), axis=(0, 1))
    return np.clip(shifted, 0.0, 1.0).astype(np.float32).ravel()
