"""How much memory training a network of given ``sizes`` takes, estimated before anything is allocated.

``--sizes 784,100000000,10`` asks for 78 billion weights; drawing them would fail deep inside NumPy with a
MemoryError after a long wait. The estimate lets the caller refuse with the figure first.
"""

from __future__ import annotations

import numpy as np


def parameter_count(sizes) -> int:
    """Weights and biases of a layered network: Σ n_out·(n_in + 1) over the layers."""
    return sum(n_out * (n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def training_bytes(sizes, dtype=np.float32, mini_batch_size: int = 10) -> int:
    """Bytes held while training: the parameters drawn in float64 and kept in ``dtype``, the kernel's copy
    of them and their gradients (``dtype``), and a mini-batch's activations and deltas for every layer."""
    item = np.dtype(dtype).itemsize
    params = parameter_count(sizes)
    return params * (8 + 3 * item) + 4 * int(mini_batch_size) * sum(int(s) for s in sizes) * item
