"""Activation functions f(z) and their derivatives f'(z), vectorised over NumPy arrays.

The perceptron is :func:`step` (output 1 when w·x + b > 0, else 0); the sigmoid neuron is :func:`sigmoid`,
σ(z) = 1/(1 + e^(−z)), or with another base β > 1, σ_β(z) = 1/(1 + β^(−z)) = σ(z·ln β): β near 1 is nearly
flat, β = 1e6 is nearly a step. Every function takes an array ``z`` of any shape and returns one of the
same shape, without overflow warnings for any finite z.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

E = math.e


def step(z):
    """The perceptron's rule: 1 where z > 0, else 0 (z = 0 gives 0, as in the book's w·x + b ≤ 0 case)."""
    return (np.asarray(z) > 0).astype(float)


def step_prime(z):
    """0 everywhere: the step is flat (and undefined at z = 0, where we also return 0)."""
    return np.zeros_like(np.asarray(z, dtype=float))


def steepness(base: float) -> float:
    """k = ln β, so that σ_β(z) = σ(k·z); ``ValueError`` unless β is finite and above 1."""
    if not base > 1 or not math.isfinite(base):
        raise ValueError(f"the sigmoid's base must be a finite number above 1, not {base!r}")
    return math.log(base)


def sigmoid(z, base: float = E, *, out=None):
    """σ_β(z) = 1/(1 + β^(−z)); β = e gives the book's σ(z) = 1/(1 + e^(−z)). The only σ in nnsim: circuits,
    the MNIST network and its costs all call it.

    ``z``: an array of any shape; float32 stays float32 (the MNIST network), anything else becomes float64
    (circuits). ``out``: an array of z's shape to write the result into (it may be a strided view),
    otherwise a new one is returned. With k = ln β:

    * float64: 1/(1 + e^(−kz)) with −kz capped at 700, so e^(−kz) never overflows (for kz < −700 the true
      value is within 1e-304 of 0) and the negative tail keeps full relative precision;
    * float32: the same function written ½ + ½·tanh(kz/2), which cannot overflow and which NumPy computes
      faster in float32 than the exponential form; values below about 1e-8 round to 0 (float32 arithmetic
      near 1 cannot resolve them anyway).

    Four or five passes over the data, all in place.
    """
    k = 1.0 if base == E else steepness(base)
    if out is None:
        z = np.asarray(z)
        t = np.empty(z.shape, np.float32 if z.dtype == np.float32 else np.float64)
    else:
        t = out
    if t.dtype == np.float32:
        np.multiply(z, 0.5 * k, out=t)
        np.tanh(t, out=t)
        t *= 0.5
        t += 0.5
        return t
    np.multiply(z, -k, out=t)
    np.minimum(t, SIGMOID_CLIP, out=t)
    np.exp(t, out=t)
    t += 1.0
    np.reciprocal(t, out=t)
    return t


SIGMOID_CLIP = 700.0  # e^700 is finite in float64 (its largest is about e^709.78)


def sigmoid_prime(z, base: float = E):
    """dσ_β/dz = k·σ_β(z)·(1 − σ_β(z)) with k = ln β."""
    s = sigmoid(z, base)
    s *= 1.0 - s
    k = steepness(base)
    if k != 1.0:
        s *= k
    return s


def tanh(z):
    return np.tanh(np.asarray(z, dtype=float))


def tanh_prime(z):
    t = np.tanh(np.asarray(z, dtype=float))
    return 1.0 - t * t


def relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_prime(z):
    return (np.asarray(z) > 0).astype(float)


def linear(z):
    return np.asarray(z, dtype=float).copy()


def linear_prime(z):
    return np.ones_like(np.asarray(z, dtype=float))


def softplus(z):
    """ln(1 + e^z), a smooth ReLU; computed as max(z, 0) + ln(1 + e^(−|z|))."""
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def softplus_prime(z):
    return sigmoid(z)


@dataclass(frozen=True)
class Activation:
    """A named activation: ``f(z)`` and ``df(z)``; ``uses_base`` when it takes the sigmoid base β."""

    name: str
    title: str
    f: Callable
    df: Callable
    uses_base: bool = False
    binary: bool = False  # outputs only 0 and 1

    def __call__(self, z, base: float = E):
        return self.f(z, base) if self.uses_base else self.f(z)

    def prime(self, z, base: float = E):
        return self.df(z, base) if self.uses_base else self.df(z)

    def __repr__(self):
        return f"Activation({self.name!r})"


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("step", "Perceptron (step)", step, step_prime, binary=True),
        Activation("sigmoid", "Sigmoid", sigmoid, sigmoid_prime, uses_base=True),
        Activation("tanh", "tanh", tanh, tanh_prime),
        Activation("relu", "ReLU", relu, relu_prime),
        Activation("linear", "Linear", linear, linear_prime),
        Activation("softplus", "Softplus", softplus, softplus_prime),
    )
}


def get(name: str) -> Activation:
    """The activation called ``name``; ``ValueError`` naming the known ones otherwise."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r} (known: {', '.join(ACTIVATIONS)})") from None
