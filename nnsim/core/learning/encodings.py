"""Output encodings: how a label becomes the desired output vector y(x), and how outputs become a label.

``"onehot"``: n_classes outputs, y = e_label (the book's 10 output neurons); the answer is the output
with the largest activation. ``"binary"``: 4 outputs holding the label's bits, most significant first
(7 → 0111); each output is read as a bit (activation > ½). Labels 10–15 can be decoded but are never
correct for 10 classes.

:func:`binary_layer` is the book's exercise from section 1.4: a hand-set extra layer of 4 sigmoid
neurons that turns the 10 one-hot outputs of a trained network into the 4-bit binary code.
"""

from __future__ import annotations

import numpy as np

from nnsim.core.errors import UserError

ENCODINGS = ("onehot", "binary")
BITS = 4  # enough for the digits 0–9


def check_encoding(encoding: str) -> str:
    if encoding not in ENCODINGS:
        raise UserError(f"unknown encoding {encoding!r}; choose onehot or binary")
    return encoding


def n_outputs(encoding: str, n_classes: int = 10) -> int:
    """How many output neurons an encoding needs for ``n_classes`` labels."""
    check_encoding(encoding)
    if encoding == "onehot":
        return n_classes
    if n_classes > 2 ** BITS:
        raise UserError(f"the binary encoding has {BITS} bits: at most {2 ** BITS} classes, not {n_classes}")
    return BITS


def target_table(encoding: str, n_classes: int = 10, dtype=np.float32) -> np.ndarray:
    """Row ``k`` is the desired output for label ``k``: shape (n_classes, n_outputs)."""
    n_outputs(encoding, n_classes)  # validates
    if encoding == "onehot":
        return np.eye(n_classes, dtype=dtype)
    labels = np.arange(n_classes)
    bits = (labels[:, None] >> np.arange(BITS - 1, -1, -1)) & 1
    return bits.astype(dtype)


def targets(labels, encoding: str = "onehot", n_classes: int = 10, dtype=np.float32) -> np.ndarray:
    """Desired outputs for integer ``labels`` (n,): shape (n, n_outputs)."""
    return target_table(encoding, n_classes, dtype)[np.asarray(labels, dtype=np.intp)]


def decode(a, encoding: str = "onehot") -> np.ndarray:
    """Labels read from output activations ``a`` (batch, n_out): shape (batch,), int."""
    a = np.asarray(a)
    check_encoding(encoding)
    if encoding == "onehot":
        return np.argmax(a, axis=1)
    if a.shape[1] != BITS:
        raise UserError(f"the binary encoding needs {BITS} outputs, the network has {a.shape[1]}")
    weights = 1 << np.arange(BITS - 1, -1, -1)
    return (a > 0.5).astype(np.intp) @ weights


def binary_layer(strength: float = 10.0, n_classes: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """The hand-set layer turning one-hot outputs into the 4-bit code: ``(weights (4, n_classes), biases (4,))``.

    Bit j of digit d gets the weight +strength when it is set and −strength when it is not; biases are 0.
    If the right output is at least 0.99 and the others at most 0.01 (the book's assumption), then
    z_j ≥ 0.99·s − 9·0.01·s = 0.9·s for a set bit and z_j ≤ −0.9·s for a clear one: with s = 10,
    σ(z_j) > 0.9998 or < 0.0002.
    """
    bits = target_table("binary", n_classes, np.float64).T  # (4, n_classes)
    return (np.where(bits > 0, strength, -strength), np.zeros(BITS))
