"""Why a smooth cost: move one weight of a trained network and watch the cost and the number correct.

The book (section 1.6) explains why training minimises the quadratic cost rather than the number of
images classified correctly: a small change Δw of one weight makes a small change in the cost, but
usually no change at all in the number correct, which moves in whole steps. :func:`weight_sweep` shows
it: for each value of one weight (or bias) it gives the mean quadratic cost and the number of correct
images, and the first changes smoothly while the second jumps.

Only the swept neuron's weighted input depends on the value: z_j = z_j(w₀) + (w − w₀)·a'_k, so the layers
below are computed once and each value costs one sigmoid column and the layers above.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnsim.core.activations import sigmoid
from nnsim.core.errors import UserError
from nnsim.core.learning import encodings
from nnsim.core.learning.costs import QuadraticCost


@dataclass
class WeightSweep:
    """``values`` (n,) of the swept parameter, the mean quadratic ``cost`` (n,) and ``correct`` (n,) images
    of ``total``; ``start`` the parameter's own value; ``name`` like ``"w^2_3,7"`` or ``"b^2_3"``."""

    name: str
    start: float
    values: np.ndarray
    cost: np.ndarray
    correct: np.ndarray
    total: int

    def __repr__(self):
        return f"WeightSweep({self.name}, {len(self.values)} values, {self.total} images)"


def check_parameter(net, layer: int, j: int, k: int | None) -> None:
    """``layer`` in the book's numbering (2 … L: the weights into layer 2 are the first matrix), ``j`` a neuron
    of that layer, ``k`` a neuron of the layer before (None: the bias); UserError otherwise."""
    if not 2 <= layer <= net.num_layers:
        raise UserError(f"layer must lie in 2…{net.num_layers} (the book's w^l: weights into layer l), "
                        f"not {layer}")
    if not 0 <= j < net.sizes[layer - 1]:
        raise UserError(f"layer {layer} has neurons 0…{net.sizes[layer - 1] - 1}, not {j}")
    if k is not None and not 0 <= k < net.sizes[layer - 2]:
        raise UserError(f"layer {layer - 1} has neurons 0…{net.sizes[layer - 2] - 1}, not {k}")


def weight_sweep(net, X, y, layer: int, j: int, k: int | None, values) -> WeightSweep:
    """Set w^layer_jk (or the bias b^layer_j when ``k`` is None) to each of ``values`` in turn and measure the
    mean quadratic cost and the number of correct images of ``(X (n, n_in), y (n,))``. ``net`` is not
    changed."""
    check_parameter(net, layer, j, k)
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 1 or not len(values) or not np.all(np.isfinite(values)):
        raise UserError("the values to sweep must be a non-empty list of finite numbers")
    y = np.asarray(y)
    acts = net.activations(X)  # [x, a², …, aᴸ], each (n, size)
    l = layer - 2  # index of the weight matrix
    below = acts[l]
    z = below @ net.weights[l].T + net.biases[l]
    start = float(net.weights[l][j, k] if k is not None else net.biases[l][j])
    column = below[:, k] if k is not None else np.ones(len(below), below.dtype)
    targets = net.targets(y)
    costs, correct = [], []
    zj = z[:, j].copy()
    for v in values:
        z[:, j] = zj + (v - start) * column
        a = sigmoid(z)
        for w, b in zip(net.weights[l + 1:], net.biases[l + 1:]):
            a = sigmoid(a @ w.T + b)
        costs.append(float(np.mean(QuadraticCost.fn(a, targets), dtype=np.float64)))
        correct.append(int(np.count_nonzero(encodings.decode(a, net.encoding) == y)))
    name = f"w^{layer}_{j},{k}" if k is not None else f"b^{layer}_{j}"
    return WeightSweep(name, start, values, np.array(costs), np.array(correct), len(y))
