"""Cost functions for training, in the style of the book's ``network2.py``: ``fn(a, y)`` and ``delta(z, a, y)``.

Arrays are batches of rows: ``a`` (the output activations), ``y`` (the desired outputs) and ``z`` (the
output layer's weighted inputs) are all (batch, n_out). The cost of a batch of n images is the mean of
``fn`` over its rows, e.g. the quadratic cost C = 1/2n Σₓ ‖y(x) − a‖².
"""

from __future__ import annotations

import numpy as np

from nnsim.core.activations import sigmoid_prime
from nnsim.core.errors import UserError


class QuadraticCost:
    """C_x = ½‖y − a‖², the cost of chapter 1."""

    name = "quadratic"

    @staticmethod
    def fn(a, y):
        """Per-image cost, shape (batch,)."""
        d = np.asarray(a) - y
        return 0.5 * np.einsum("ij,ij->i", d, d)

    @staticmethod
    def delta(z, a, y):
        """The output error δᴸ = (a − y) ⊙ σ'(zᴸ), shape (batch, n_out)."""
        return (a - y) * sigmoid_prime(z)

    def __repr__(self):
        return "QuadraticCost()"


class CrossEntropyCost:
    """C_x = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)] (chapter 3); its δᴸ = a − y has no σ' factor."""

    name = "cross-entropy"

    @staticmethod
    def fn(a, y):
        a = np.asarray(a)
        tiny = np.finfo(a.dtype if a.dtype.kind == "f" else float).tiny
        a = np.clip(a, tiny, 1 - np.finfo(a.dtype if a.dtype.kind == "f" else float).epsneg)
        return -np.sum(y * np.log(a) + (1 - y) * np.log1p(-a), axis=-1)

    @staticmethod
    def delta(z, a, y):
        return a - y

    def __repr__(self):
        return "CrossEntropyCost()"


COSTS = {QuadraticCost.name: QuadraticCost, CrossEntropyCost.name: CrossEntropyCost}


def get_cost(cost) -> type:
    """A cost class from its name (``"quadratic"``, ``"cross-entropy"``) or the class itself."""
    if isinstance(cost, str):
        try:
            return COSTS[cost]
        except KeyError:
            raise UserError(f"unknown cost {cost!r}; choose one of {', '.join(COSTS)}") from None
    if cost in COSTS.values():
        return cost
    if type(cost) in COSTS.values():
        return type(cost)
    raise UserError(f"unknown cost {cost!r}")
