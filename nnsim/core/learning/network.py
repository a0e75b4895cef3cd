"""The book's feedforward network of sigmoid neurons, in its notation, vectorised over a batch of images.

``Network([784, 30, 10])`` has ``weights[l]`` of shape (n_out, n_in) and ``biases[l]`` of shape (n_out,),
drawn from a seeded standard normal as in ``network.py`` (``init="scaled"``: weights from N(0, 1/n_in), the
cure of the book's chapter 3). Data come as rows: an image batch ``X`` is (batch, n_in); its outputs are
(batch, n_out). Pixels may be floats in [0, 1] or uint8 0–255 (scaled by 1/255 on the way in). Arithmetic
runs in the network's dtype, float32 unless float64 is asked for.

The book's methods, in its names: :meth:`Network.SGD` (the training loop), :meth:`Network.update_mini_batch`
(one step of gradient descent), :meth:`Network.backprop` (the four equations, written once for a whole
mini-batch as matrices), :meth:`Network.evaluate` and :meth:`Network.feedforward`. ``SGD`` runs the same
update through the fast kernel (:mod:`nnsim.core.learning.kernel`) unless ``fast=False``; a test keeps the
two equal.
"""

from __future__ import annotations

import math

import numpy as np

from nnsim.core.activations import sigmoid
from nnsim.core.errors import UserError
from nnsim.core.learning import encodings, training
from nnsim.core.learning.costs import QuadraticCost, get_cost
from nnsim.core.learning.kernel import as_pixels

INITS = ("book", "scaled")

DTYPES = {"float32": np.float32, "float64": np.float64}
_CHUNK = 8192  # rows per pass when converting uint8 images (bounds the temporary float copy)


def check_dtype(dtype) -> type:
    """``np.float32`` or ``np.float64`` from a dtype or its name; UserError otherwise."""
    try:
        dt = np.dtype(DTYPES.get(dtype, dtype) if isinstance(dtype, str) else dtype)
    except TypeError:
        dt = None
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise UserError(f"dtype must be float32 or float64, not {dtype!r}")
    return dt.type


def check_init(init) -> str:
    """``"book"`` or ``"scaled"``; UserError otherwise."""
    if init not in INITS:
        raise UserError(f"unknown initialisation {init!r}; choose book (N(0, 1)) or scaled (N(0, 1/n_in))")
    return init


def check_sizes(sizes) -> list[int]:
    """The layer sizes as a list of at least two positive ints; UserError naming the problem otherwise."""
    try:
        out = [int(s) for s in sizes]
    except (TypeError, ValueError):
        raise UserError(f"sizes must be whole numbers, not {sizes!r}") from None
    if any(float(a) != b for a, b in zip(sizes, out)):
        raise UserError(f"sizes must be whole numbers, not {list(sizes)!r}")
    if len(out) < 2:
        raise UserError(f"a network needs at least an input and an output layer, not sizes {out}")
    if min(out) < 1:
        raise UserError(f"every layer needs at least one neuron, not sizes {out}")
    return out


class Network:
    """A layered network of sigmoid neurons: ``sizes``, ``weights`` (n_out, n_in), ``biases`` (n_out,).

    ``encoding`` says how outputs map to labels (``"onehot"`` or ``"binary"``, see
    :mod:`nnsim.core.learning.encodings`); by default it is binary for 4 outputs and one-hot otherwise.
    ``init``: ``"book"`` draws every weight and bias from N(0, 1) (chapter 1); ``"scaled"`` divides the
    weights by √n_in, N(0, 1/n_in), so that z = Σ w·a + b starts near 0 whatever the layer's width and no
    neuron starts saturated (chapter 3). Both draw the same numbers from one seed.
    """

    def __init__(self, sizes, seed=None, *, rng=None, dtype=np.float32, encoding: str | None = None,
                 n_classes: int | None = None, init: str = "book"):
        self._configure(sizes, dtype, encoding, n_classes)
        if rng is None:
            rng = np.random.default_rng(seed)
        elif seed is not None:
            raise TypeError("give seed or rng, not both")
        # The book's order: all biases, then all weights, each from a standard normal (drawn in float64,
        # so a float32 and a float64 network from one seed start from the same numbers).
        self.biases = [rng.standard_normal(y).astype(self.dtype) for y in self.sizes[1:]]
        init = check_init(init)
        self.weights = [(rng.standard_normal((y, x)) / (math.sqrt(x) if init == "scaled" else 1.0))
                        .astype(self.dtype) for x, y in zip(self.sizes[:-1], self.sizes[1:])]

    def _configure(self, sizes, dtype, encoding, n_classes) -> None:
        self.sizes = check_sizes(sizes)
        self.dtype = check_dtype(dtype)
        if encoding is None:
            encoding = "binary" if self.sizes[-1] == encodings.BITS else "onehot"
        self.encoding = encodings.check_encoding(encoding)
        if n_classes is None:
            n_classes = self.sizes[-1] if encoding == "onehot" else 10
        self.n_classes = int(n_classes)
        needed = encodings.n_outputs(encoding, self.n_classes)
        if needed != self.sizes[-1]:
            raise UserError(f"the {encoding} encoding of {self.n_classes} classes needs {needed} outputs, "
                            f"not {self.sizes[-1]}")

    @classmethod
    def from_arrays(cls, weights, biases, *, encoding: str | None = None, n_classes: int | None = None,
                    dtype=None) -> "Network":
        """A network holding copies of the given ``weights`` [(n_out, n_in)] and ``biases`` [(n_out,)]."""
        weights = [np.asarray(w) for w in weights]
        biases = [np.asarray(b).reshape(-1) for b in biases]
        if not weights or len(weights) != len(biases):
            raise UserError(f"{len(weights)} weight matrices for {len(biases)} bias vectors")
        if any(w.ndim != 2 for w in weights):
            raise UserError(f"weights must be matrices, not arrays of shapes {[w.shape for w in weights]}")
        sizes = [weights[0].shape[1]] + [w.shape[0] for w in weights]
        for i, (w, b) in enumerate(zip(weights, biases)):
            if w.shape != (sizes[i + 1], sizes[i]) or b.shape != (sizes[i + 1],):
                raise UserError(f"layer {i + 1}: weights {w.shape} and biases {b.shape} do not chain "
                                f"from {sizes[i]} inputs")
            if not (np.all(np.isfinite(w)) and np.all(np.isfinite(b))):
                raise UserError(f"layer {i + 1}: weights or biases contain NaN or infinity")
        if dtype is None:
            dtype = np.float64 if weights[0].dtype == np.float64 else np.float32
        net = cls.__new__(cls)
        net._configure(sizes, dtype, encoding, n_classes)
        net.weights = [w.astype(net.dtype, copy=True) for w in weights]
        net.biases = [b.astype(net.dtype, copy=True) for b in biases]
        return net

    def __repr__(self):
        return (f"Network(sizes={self.sizes}, encoding={self.encoding!r}, "
                f"dtype={np.dtype(self.dtype).name})")

    @property
    def num_layers(self) -> int:
        return len(self.sizes)

    @property
    def n_params(self) -> int:
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases))

    def copy(self) -> "Network":
        """An independent copy (arrays copied)."""
        return Network.from_arrays(self.weights, self.biases, encoding=self.encoding,
                                   n_classes=self.n_classes, dtype=self.dtype)

    def astype(self, dtype) -> "Network":
        return Network.from_arrays(self.weights, self.biases, encoding=self.encoding,
                                   n_classes=self.n_classes, dtype=dtype)

    # -- forward -------------------------------------------------------------------------------------

    def _check_input(self, X) -> np.ndarray:
        X = np.asarray(X)
        if X.ndim == 1:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise UserError(f"the network takes {self.sizes[0]} inputs per row, got an array of shape "
                            f"{X.shape}")
        return X

    def feedforward(self, X) -> np.ndarray:
        """Output activations a = σ(w·a' + b), layer by layer: X (batch, n_in) → (batch, n_out)."""
        X = self._check_input(X)
        if len(X) <= _CHUNK:
            return self._feedforward(X)
        out = np.empty((len(X), self.sizes[-1]), self.dtype)
        for start in range(0, len(X), _CHUNK):
            out[start:start + _CHUNK] = self._feedforward(X[start:start + _CHUNK])
        return out

    def _feedforward(self, X):
        w, b = self.weights[0], self.biases[0]
        if X.dtype == np.uint8:  # (W·x/255) = (W·x)/255: scale the small product, not the images
            z = X.astype(self.dtype) @ w.T
            z *= self.dtype(1 / 255)
            z += b
        else:
            z = X.astype(self.dtype, copy=False) @ w.T + b
        a = sigmoid(z)
        for w, b in zip(self.weights[1:], self.biases[1:]):
            a = sigmoid(a @ w.T + b)
        return a

    def activations(self, X) -> list[np.ndarray]:
        """Every layer's activations for X (batch, n_in): [X as floats, a¹ (batch, n₁), …, aᴸ]."""
        a = as_pixels(self._check_input(X), self.dtype)
        out = [a]
        for w, b in zip(self.weights, self.biases):
            a = sigmoid(a @ w.T + b)
            out.append(a)
        return out

    def predict(self, X) -> np.ndarray:
        """The label the network reads for each row: (batch,) ints (argmax, or 4 bits read as a number)."""
        return encodings.decode(self.feedforward(X), self.encoding)

    def evaluate(self, X, y) -> int:
        """How many rows of X (batch, n_in) get their label y (batch,) right."""
        return int(np.count_nonzero(self.predict(X) == np.asarray(y)))

    def targets(self, y) -> np.ndarray:
        """The desired outputs y(x) for labels y (batch,): (batch, n_out) in this network's encoding."""
        return encodings.targets(y, self.encoding, self.n_classes, self.dtype)

    def cost(self, X, y, cost=QuadraticCost) -> float:
        """The mean cost over the rows: C = 1/n Σₓ C_x (quadratic: 1/2n Σ‖y(x) − a‖²). ``y`` are labels."""
        a = self.feedforward(X)
        return float(np.mean(get_cost(cost).fn(a, self.targets(y)), dtype=np.float64))

    # -- learning (reference implementation) ---------------------------------------------------------

    def backprop(self, X, Y, cost=QuadraticCost) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Gradient of Σₓ C_x over the batch: ``(nabla_b, nabla_w)`` shaped like ``biases`` and ``weights``.

        X (m, n_in) images, Y (m, n_out) desired outputs. The four equations of backpropagation with the
        batch in the rows: δᴸ = ∇ₐC ⊙ σ'(zᴸ); δˡ = (δˡ⁺¹ wˡ⁺¹) ⊙ σ'(zˡ); ∂C/∂bˡ = Σ δˡ; ∂C/∂wˡ = δˡᵀ aˡ⁻¹.
        """
        cost = get_cost(cost)
        activation = as_pixels(self._check_input(X), self.dtype)
        Y = np.asarray(Y, dtype=self.dtype)
        activations = [activation]
        zs = []
        for w, b in zip(self.weights, self.biases):
            z = activation @ w.T + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        nabla_b = [np.zeros_like(b) for b in self.biases]
        nabla_w = [np.zeros_like(w) for w in self.weights]
        delta = cost.delta(zs[-1], activations[-1], Y)
        nabla_b[-1] = delta.sum(axis=0)
        nabla_w[-1] = delta.T @ activations[-2]
        for l in range(2, self.num_layers):
            sp = activations[-l] * (1 - activations[-l])  # σ'(z) = σ(z)(1 − σ(z))
            delta = (delta @ self.weights[-l + 1]) * sp
            nabla_b[-l] = delta.sum(axis=0)
            nabla_w[-l] = delta.T @ activations[-l - 1]
        return nabla_b, nabla_w

    def update_mini_batch(self, X, Y, eta: float, cost=QuadraticCost) -> None:
        """One step of gradient descent on a mini-batch: w → w − (η/m) Σ ∂C_x/∂w, and the same for b."""
        m = len(X)
        nabla_b, nabla_w = self.backprop(X, Y, cost)
        scale = self.dtype(eta / m)
        for w, nw in zip(self.weights, nabla_w):
            w -= scale * nw
        for b, nb in zip(self.biases, nabla_b):
            b -= scale * nb

    def SGD(self, training_data, epochs: int, mini_batch_size: int, eta: float, test_data=None, *,
            seed=None, cost=QuadraticCost, fast: bool = True) -> list[int | None]:
        """Train by mini-batch stochastic gradient descent, as the book's ``SGD``; returns, for each epoch,
        how many test images are read right (None without ``test_data``), where the book prints it.

        ``training_data`` and ``test_data`` are ``(X (n, n_in), y (n,))`` with labels y. Each epoch shuffles
        the images (``seed``), cuts them into mini-batches and calls :meth:`update_mini_batch` on each.
        ``fast`` (the default) runs the very same steps through :func:`nnsim.core.learning.training.sgd`;
        ``fast=False`` runs the loop below, which is the definition.
        """
        if fast:
            return [stats.test_correct
                    for stats in training.sgd(self, training_data, epochs, mini_batch_size, eta,
                                              test_data=test_data, seed=seed, cost=cost)]
        X, y = training_data
        n = len(X)
        rng = np.random.default_rng(seed)
        order = np.arange(n)
        results = []
        for j in range(epochs):
            rng.shuffle(order)
            for k in range(0, n, mini_batch_size):
                mini_batch = order[k:k + mini_batch_size]
                self.update_mini_batch(X[mini_batch], self.targets(y[mini_batch]), eta, cost)
            results.append(None if test_data is None else training.evaluate(self, *test_data))
        return results

    # -- the book's exercise --------------------------------------------------------------------------

    def with_binary_layer(self, strength: float = 10.0, layer=None) -> "Network":
        """This one-hot network plus the hand-set layer that writes its answer as 4 bits (encoding binary).
        ``layer``: your own ``(weights (4, n_out), biases (4,))`` instead of the book's."""
        if self.encoding != "onehot":
            raise UserError("the binary layer goes on top of a one-hot network")
        w, b = encodings.binary_layer(strength, self.sizes[-1]) if layer is None else layer
        return Network.from_arrays(self.weights + [w], self.biases + [b], encoding="binary",
                                   n_classes=self.n_classes, dtype=self.dtype)

    def binary_readout(self, X, y, strength: float = 10.0, layer=None) -> tuple[int, int]:
        """The book's exercise on this one-hot network with :meth:`with_binary_layer` on top: (images whose
        4 bits give the right label, images whose 4 bits agree with the one-hot answer). X (n, n_in)."""
        bits = self.with_binary_layer(strength, layer).predict(X)
        return (int(np.count_nonzero(bits == np.asarray(y))),
                int(np.count_nonzero(bits == self.predict(X))))

    def has_finite_params(self) -> bool:
        return all(np.all(np.isfinite(p)) for p in self.weights + self.biases)
