"""Mini-batch stochastic gradient descent, the book's ``SGD``, as a generator of progress reports.

``sgd(net, training_data, epochs, mini_batch_size, eta, ...)`` shuffles the training images afresh each
epoch, splits them into mini-batches of ``mini_batch_size`` (the last one may be smaller) and moves every
weight and bias by −(η/m)·Σₓ ∂C_x/∂w after each mini-batch of m images. It yields a
:class:`TrainingStats` every ``report_every`` mini-batches and at the end of each epoch (with the
validation and test accuracy), and calls ``stop()`` between mini-batches; when that returns true it
yields a last report (``stopped=True``) and ends. The network's ``weights`` and ``biases`` are up to
date whenever a report is yielded, and when the generator ends or is closed. No printing, no files.

How it is fast (a 50,000-image epoch of 784-30-10 at m = 10 is 5,000 tiny steps, so the cost is in the
number of NumPy calls, not in arithmetic): the whole mini-batch goes through each layer as one matrix
product; every array is allocated once and written in place; each layer's bias is a last column of its
weight matrix (with a constant row in the activations), so one product does w·a + b and one product
gives both ∂C/∂w and ∂C/∂b; σ(z) = ½ + ½·tanh(z/2), with the working copies of the parameters scaled
so that every product is already z/2; constant factors are folded into one scale per layer, applied to
all layers in one multiplication, and all layers are updated by one addition; images are gathered
from the caller's array (uint8 pixels stay uint8 there, 4× less memory to read, and are gathered in
cache-sized blocks), leaving out the pixels that are blank in every training image when that copy is
small; and BLAS runs on one thread (two do not help at this size). :meth:`nnsim.core.learning.network.Network.backprop` is the plain
reference it is tested against.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np

from nnsim.core.learning import encodings
from nnsim.core.blas import BlasThreads
from nnsim.core.learning.costs import CrossEntropyCost, QuadraticCost, get_cost
from nnsim.core.errors import UserError
from nnsim.core.learning.network import Network, as_pixels

#: Mini-batches larger than this are processed in pieces whose gradients are summed (bounded memory).
MAX_PIECE = 1024
#: Largest copy of the training images (bytes) made to leave out pixels that are 0 in every image.
COMPACT_LIMIT = 64 << 20
#: Bytes of images gathered in one go (a block small enough to stay in cache).
GATHER_BYTES = 1 << 19
#: Rows per pass when the accuracy on validation or test data is measured.
EVAL_CHUNK = 10_000


@dataclass
class TrainingStats:
    """One progress report of :func:`sgd`.

    ``epoch`` counts from 1; ``batches_done`` of ``batches_per_epoch`` mini-batches are done in it;
    ``images_seen`` counts every image trained on since the start. ``cost`` is the mean cost per image
    over this epoch so far (measured on each mini-batch just before its update). The accuracy fields are
    set at an epoch's end (``epoch_end``) when the data were given, else None. ``seconds`` is the wall time
    since the start of the run; ``epoch_seconds`` the time spent on this epoch, evaluation included.
    ``stopped`` is true on the last report of a run that ``stop()`` ended.
    """

    epoch: int
    batches_done: int
    batches_per_epoch: int
    images_seen: int
    cost: float
    validation_correct: int | None
    validation_total: int
    test_correct: int | None
    test_total: int
    seconds: float
    epoch_end: bool
    epoch_seconds: float = 0.0
    stopped: bool = False

    @property
    def validation_accuracy(self) -> float | None:
        return None if self.validation_correct is None else self.validation_correct / self.validation_total

    @property
    def test_accuracy(self) -> float | None:
        return None if self.test_correct is None else self.test_correct / self.test_total


def check_data(net: Network, data, what: str) -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)`` checked against the network: X (n, sizes[0]) floats or uint8, y (n,) labels < n_classes."""
    try:
        X, y = data
    except (TypeError, ValueError):
        raise UserError(f"{what} data must be a pair (images, labels)") from None
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != net.sizes[0]:
        raise UserError(f"{what} images have shape {X.shape}; the network takes {net.sizes[0]} inputs")
    if X.dtype != np.uint8 and X.dtype.kind != "f":
        raise UserError(f"{what} images must be floats in [0, 1] or uint8 pixels, not {X.dtype}")
    if y.shape != (len(X),):
        raise UserError(f"{what} data: {len(X)} images but labels of shape {y.shape}")
    if y.dtype.kind not in "iu":
        raise UserError(f"{what} labels must be integers, not {y.dtype}")
    if len(y) and (y.min() < 0 or y.max() >= net.n_classes):
        raise UserError(f"{what} labels must lie in 0…{net.n_classes - 1}; found {int(y.min())}…{int(y.max())}")
    return X, y.astype(np.intp, copy=False)


def check_hyper(epochs, mini_batch_size, eta, n_train: int) -> tuple[int, int, float]:
    """Validated ``(epochs, mini_batch_size, eta)``; UserError naming the bad value otherwise."""
    def whole(value, name, low):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer, float, np.floating)) \
                or not math.isfinite(value) or value != int(value) or value < low:
            raise UserError(f"{name} must be a whole number ≥ {low}, not {value!r}")
        return int(value)

    epochs = whole(epochs, "epochs", 0)
    mini_batch_size = whole(mini_batch_size, "the mini-batch size", 1)
    if mini_batch_size > n_train:
        raise UserError(f"the mini-batch size {mini_batch_size} is larger than the {n_train} training images")
    try:
        eta = float(eta)
    except (TypeError, ValueError):
        raise UserError(f"the learning rate eta must be a number, not {eta!r}") from None
    if not math.isfinite(eta) or eta <= 0:
        raise UserError(f"the learning rate eta must be a finite number above 0, not {eta!r}")
    return epochs, mini_batch_size, eta


def sgd(net: Network, training_data, epochs: int, mini_batch_size: int, eta: float, *,
        validation_data=None, test_data=None, seed=None, rng=None, stop: Callable[[], bool] | None = None,
        report_every: int = 0, cost="quadratic", single_thread: bool = True) -> Iterator[TrainingStats]:
    """Train ``net`` in place by mini-batch SGD; a generator of :class:`TrainingStats` (see the module doc).

    ``training_data``, ``validation_data``, ``test_data``: ``(X (n, sizes[0]), y (n,))`` with X floats in
    [0, 1] or uint8 pixels and y integer labels. ``seed``/``rng`` drive the shuffles (same seed, same
    numbers). ``report_every``: also report every N mini-batches (0: only at epoch ends). ``cost``:
    ``"quadratic"`` (the book's chapter 1) or ``"cross-entropy"``. ``single_thread``: keep BLAS on one
    thread while training. Bad arguments raise UserError here, before the first report.
    """
    X, y = check_data(net, training_data, "training")
    epochs, mini_batch_size, eta = check_hyper(epochs, mini_batch_size, eta, len(X))
    validation = None if validation_data is None else check_data(net, validation_data, "validation")
    test = None if test_data is None else check_data(net, test_data, "test")
    if isinstance(report_every, bool) or int(report_every) != report_every or report_every < 0:
        raise UserError(f"report_every must be a whole number ≥ 0, not {report_every!r}")
    if rng is None:
        rng = np.random.default_rng(seed)
    elif seed is not None:
        raise TypeError("give seed or rng, not both")
    cost = get_cost(cost)
    return _run(net, X, y, epochs, mini_batch_size, eta, validation, test, rng, stop, int(report_every),
                cost, single_thread)


def _run(net, X, y, epochs, m, eta, validation, test, rng, stop, report_every, cost, single_thread):
    n = len(X)
    batches_per_epoch = -(-n // m)
    trainer = _Trainer(net, X, m, eta, cost)
    threads = BlasThreads(1 if single_thread else None)
    # Desired outputs as ±1 (2y − 1): the kernel works with t = tanh(z/2) = 2a − 1, so t − y' = 2(a − y).
    table = 2 * encodings.target_table(net.encoding, net.n_classes, net.dtype) - 1
    # Evaluated every epoch: convert uint8 pixels to floats once, not at each evaluation.
    validation, test = _as_floats(validation, net.dtype), _as_floats(test, net.dtype)
    perm = np.arange(n)
    start = time.perf_counter()
    images_seen = 0
    try:
        for epoch in range(1, epochs + 1):
            epoch_start = time.perf_counter()
            rng.shuffle(perm)  # one index buffer, shuffled in place: no fresh copy each epoch
            targets = table[y[perm]]  # (n, n_out): row j is the desired output for image perm[j]
            cost_sum = 0.0
            done = 0
            while done < batches_per_epoch:
                todo = batches_per_epoch - done
                if report_every > 0:
                    todo = min(todo, report_every - done % report_every)
                with threads:
                    ran, part = trainer.run(perm, targets, done, done + todo, stop)
                cost_sum += part
                images_seen += min((done + ran) * m, n) - min(done * m, n)
                done += ran
                stopped = ran < todo
                if stopped or done < batches_per_epoch:
                    trainer.write_back()
                    now = time.perf_counter()
                    yield TrainingStats(epoch, done, batches_per_epoch, images_seen,
                                        cost_sum / max(min(done * m, n), 1), None, _total(validation),
                                        None, _total(test), now - start, False, now - epoch_start, stopped)
                    if stopped:
                        return
            trainer.write_back()
            v_correct = None if validation is None else evaluate(net, *validation)
            t_correct = None if test is None else evaluate(net, *test)
            now = time.perf_counter()
            yield TrainingStats(epoch, done, batches_per_epoch, images_seen, cost_sum / n, v_correct,
                                _total(validation), t_correct, _total(test), now - start, True,
                                now - epoch_start)
    finally:
        trainer.write_back()


def _as_floats(data, dtype):
    if data is None or data[0].dtype != np.uint8:
        return data
    X, y = data
    return as_pixels(X, dtype), y


def _total(data) -> int:
    return 0 if data is None else len(data[1])


def evaluate(net: Network, X, y) -> int:
    """How many images the network reads right, in passes of at most EVAL_CHUNK rows."""
    if len(X) <= EVAL_CHUNK:
        return net.evaluate(X, y)
    return sum(net.evaluate(X[i:i + EVAL_CHUNK], y[i:i + EVAL_CHUNK]) for i in range(0, len(X), EVAL_CHUNK))


class _Trainer:
    """Owns the working copies of the parameters and one :class:`_Pass` per piece size.

    Layer l's parameters are held as P[l] = cˡ·[wˡ | bˡ], shape (n_out, n_in + 1): the bias is a last column,
    so that with a constant row appended to the activations one product gives w·a + b and one gives both
    gradients. The constant cˡ is chosen so that every product comes out as z/2, ready for
    σ(z) = ½ + ½·tanh(z/2): c⁰ = 1/(2s) for input pixels scaled by s (1, or 255 for uint8), and cˡ = ¼ for
    the layers after it, whose inputs are held as 2·[a; 1] = [1 + t; 2] (t = tanh(z/2)). All layers live
    in one flat array, so one addition updates them all. :meth:`write_back` divides the constants out.
    """

    def __init__(self, net: Network, X: np.ndarray, m: int, eta: float, cost):
        self.net = net
        self.m = m
        self.dtype = net.dtype
        # Pixels that are 0 in every training image (67 of MNIST's 784, at the borders) never change their
        # weights (∂C/∂w = δ·x = 0): leave their columns out of the products when the copy is small.
        self.active = None
        if X.nbytes <= COMPACT_LIMIT:
            lit = X.any(axis=0)
            if not lit.all():
                self.active = np.flatnonzero(lit)
                X = np.ascontiguousarray(X[:, self.active])
        self.X = X
        # uint8 pixels p stand for p/255: the input's constant column is 255 and 1/255 is folded into c⁰
        # and the update scale, so gathering a mini-batch converts uint8 → float in the same copy.
        self.input_scale = 255.0 if X.dtype == np.uint8 else 1.0
        self.cost = cost
        self.eta = eta
        w0 = net.weights[0] if self.active is None else net.weights[0][:, self.active]
        weights = [w0] + net.weights[1:]
        self.shapes = [(w.shape[0], w.shape[1] + 1) for w in weights]
        self.scales = [0.5 / self.input_scale] + [0.25] * (len(weights) - 1)
        self.P_flat, self.P = _flat_arrays(self.shapes, net.dtype)
        for P, w, b, c in zip(self.P, weights, net.biases, self.scales):
            P[:, :-1] = w
            P[:, -1] = b
            P *= net.dtype(c)
        self._passes: dict[int, _Pass] = {}

    def pass_for(self, p: int) -> "_Pass":
        if p not in self._passes:
            self._passes[p] = _Pass(self, p)
        return self._passes[p]

    def write_back(self) -> None:
        """Copy the working parameters into the network's ``weights`` and ``biases`` (in place)."""
        for l, (P, c, w, b) in enumerate(zip(self.P, self.scales, self.net.weights, self.net.biases)):
            if l == 0 and self.active is not None:
                w[:, self.active] = P[:, :-1] / c
            else:
                np.divide(P[:, :-1], c, out=w)
            np.divide(P[:, -1], c, out=b)

    def run(self, perm, targets, first: int, last: int, stop) -> tuple[int, float]:
        """Train on mini-batches ``first`` to ``last`` (exclusive) of this epoch's order ``perm``.

        Returns (mini-batches run, summed cost of their images); fewer are run when ``stop()`` says so.
        """
        m, n = self.m, len(perm)
        full_batches = n // m
        cost = 0.0
        ran = 0
        if m <= MAX_PIECE:
            fast_last = min(last, full_batches)
            if first < fast_last:
                ran, cost = self.pass_for(m).run_batches(perm, targets, first, fast_last, stop)
                if first + ran < fast_last:
                    return ran, cost
        for b in range(first + ran, last):
            if stop is not None and stop():
                break
            lo, hi = b * m, min(b * m + m, n)
            cost += self._gradient_step(perm, targets, lo, hi)
            ran += 1
        return ran, cost

    def _gradient_step(self, perm, targets, lo: int, hi: int) -> float:
        """One mini-batch of any size: pieces of at most MAX_PIECE images, gradients summed, then applied."""
        size = hi - lo
        if size <= MAX_PIECE:
            return self.pass_for(size).step(perm[lo:hi], targets[lo:hi].T, size, self.P_flat)
        acc = np.zeros_like(self.P_flat)
        cost = 0.0
        for a in range(lo, hi, MAX_PIECE):
            b = min(a + MAX_PIECE, hi)
            cost += self.pass_for(b - a).step(perm[a:b], targets[a:b].T, size, acc)
        self.P_flat += acc
        return cost


def _flat_arrays(shapes, dtype) -> tuple[np.ndarray, list[np.ndarray]]:
    """One flat array and a C-contiguous view into it for each shape, back to back."""
    sizes = [r * c for r, c in shapes]
    flat = np.empty(sum(sizes), dtype)
    views, at = [], 0
    for shape, size in zip(shapes, sizes):
        views.append(flat[at:at + size].reshape(shape))
        at += size
    return flat, views


def _stacked(rows, p, dtype) -> tuple[np.ndarray, list[np.ndarray]]:
    """A (Σ rows, p) array and its row blocks, one (r, p) view per entry of ``rows``."""
    flat, views = _flat_arrays([(r, p) for r in rows], dtype)
    return flat.reshape(-1, p), views


class _Pass:
    """Preallocated buffers and the per-mini-batch arithmetic for pieces of ``p`` images.

    Column layout as in the book: activations are (neurons, p). For each layer, U holds z/2 (the product
    with the scaled parameters) and then t = tanh(z/2) = 2σ(z) − 1 in place; H, the next layer's input,
    holds 1 + t = 2a with a last row 2. Backward, T = 1 − t² = 4σ'(z) and D = k·δ for one constant k
    (8 for the quadratic cost, 2 for cross-entropy: the ¼ in the scaled weights cancels the 4 in T). U, T
    and D of all layers each share one array, so one call computes every T, and one multiplication by a
    column of per-layer scales turns every D into its update's factor; the gradients share one flat array
    like the parameters.
    """

    def __init__(self, trainer: _Trainer, p: int):
        f = trainer.dtype
        self.trainer = trainer
        self.p = p
        shapes = trainer.shapes
        L = len(shapes)
        sizes = [shapes[0][1] - 1] + [r for r, _ in shapes]
        self.xb = np.empty((p, sizes[0] + 1), f)  # rows: images as gathered, last column the bias input
        self.xb[:, -1] = trainer.input_scale
        self.H = [np.full((s + 1, p), 2.0, f) for s in sizes[1:-1]]
        # U, T and D of all layers each share one (Σ n_l, p) array, so one call can serve every layer
        self.U_all, self.U = _stacked(sizes[1:], p, f)
        self.T_all, self.T = _stacked(sizes[1:], p, f)
        self.D_all, self.D = _stacked(sizes[1:], p, f)
        self.G_flat, self.G = _flat_arrays(shapes, f)
        self.k = 8.0 if trainer.cost is QuadraticCost else 2.0
        self.L = L
        self.sizes = sizes
        self.inputs = [self.xb] + [H.T for H in self.H]  # what each layer's gradient multiplies: (p, n_in + 1)
        self._betas: dict[int, np.ndarray] = {}
        self._block = None
        self.gather = max(1, GATHER_BYTES // (p * trainer.X.shape[1] * trainer.X.itemsize + 1))

    def betas(self, m: int) -> np.ndarray:
        """Per-row scales of the D array for a mini-batch of m images, shape (Σ n_l, 1): with them,
        ΔPˡ = Dˡ·inputᵀ is cˡ·(−η/m)·δˡ·[a; 1]ᵀ (the input is s·[x; 1] for layer 0, 2·[a; 1] after it)."""
        if m not in self._betas:
            t = self.trainer
            per_layer = [t.scales[0] * -(t.eta / m) / (self.k * t.input_scale)]
            per_layer += [c * -(t.eta / m) / (2 * self.k) for c in t.scales[1:]]
            self._betas[m] = np.repeat(np.array(per_layer, t.dtype), self.sizes[1:])[:, None]
        return self._betas[m]

    def step(self, idx, Y, m: int, into: np.ndarray) -> float:
        """Forward and backward on the images ``X[idx]`` with ±1 targets Y (n_out, p), then add the scaled
        gradients to ``into`` (the parameters, or an accumulator when a mini-batch of m images is done in
        pieces). Returns the summed cost of the piece."""
        cost = self._forward_backward(idx, Y)
        np.multiply(self.D_all, self.betas(m), out=self.D_all)
        for D, inp, G in zip(self.D, self.inputs, self.G):
            np.matmul(D, inp, out=G)
        np.add(into, self.G_flat, out=into)
        return cost

    def _forward_backward(self, idx, Y) -> float:
        X = self.trainer.X
        P, U, H = self.trainer.P, self.U, self.H
        xb = self.xb
        xb[:, :-1] = X[idx]
        np.matmul(P[0], xb.T, out=U[0])
        np.tanh(U[0], out=U[0])
        for l in range(1, self.L):
            np.add(U[l - 1], 1, out=H[l - 1][:-1])
            np.matmul(P[l], H[l - 1], out=U[l])
            np.tanh(U[l], out=U[l])
        return self._backward(Y)

    def _backward(self, Y) -> float:
        P, U, T, D = self.trainer.P, self.U, self.T, self.D
        np.multiply(self.U_all, self.U_all, out=self.T_all)  # every layer's T = 1 − t² = 4σ'(z) at once
        np.subtract(1, self.T_all, out=self.T_all)
        t = U[-1]
        np.subtract(t, Y, out=D[-1])  # 2(a − y)
        if self.trainer.cost is CrossEntropyCost:
            cost = float(CrossEntropyCost.fn((0.5 * (t + 1)).T, (0.5 * (Y + 1)).T).sum())
        else:
            cost = float(np.vdot(D[-1], D[-1])) / 8  # ½‖a − y‖² summed over the piece
            np.multiply(D[-1], T[-1], out=D[-1])
        for l in range(self.L - 2, -1, -1):
            np.matmul(P[l + 1][:, :-1].T, D[l + 1], out=D[l])
            np.multiply(D[l], T[l], out=D[l])
        return cost

    def run_batches(self, perm, targets, first: int, last: int, stop) -> tuple[int, float]:
        """The hot loop: full mini-batches ``first``…``last − 1`` of p images each, updating after each.

        The same arithmetic as :meth:`step`, written out with local names because at p = 10 the time
        goes into Python and NumPy call overhead (17 calls a mini-batch).
        """
        if self.L != 2 or self.trainer.cost is not QuadraticCost:
            return self._run_generic(perm, targets, first, last, stop)
        p = self.p
        P0, P1 = self.trainer.P
        P_flat = self.trainer.P_flat
        U0, U1 = self.U
        T0, T1 = self.T
        U_all, T_all = self.U_all, self.T_all
        D0, D1 = self.D
        D_all = self.D_all
        G0, G1 = self.G
        G_flat = self.G_flat
        H0 = self.H[0]
        h0 = H0[:-1]
        H0T = H0.T
        W1T = P1[:, :-1].T
        xb = self.xb
        xv = xb[:, :-1]
        xbT = xb.T
        betas = self.betas(p)
        one = self.trainer.dtype(1)
        mul, sub, add, mm, tanh, vdot = np.multiply, np.subtract, np.add, np.matmul, np.tanh, np.vdot
        cost = np.float64(0.0)
        ran = 0
        # this stretch's ±1 targets, one (n_out, p) block per mini-batch
        wanted = np.ascontiguousarray(targets[first * p:last * p].reshape(-1, p, targets.shape[1])
                                      .transpose(0, 2, 1))
        for rows, Y in self._gathered(perm[first * p:last * p], wanted):
            if stop is not None and stop():
                break
            xv[...] = rows
            # forward: U0 = z¹/2 → t¹; h0 = 1 + t¹ = 2a¹; U1 = z²/2 → t²
            mm(P0, xbT, U0)
            tanh(U0, U0)
            add(U0, one, h0)
            mm(P1, H0, U1)
            tanh(U1, U1)
            # backward: T = 1 − t² for both layers; D1 = (t² − y')·T1 = 8δ²; D0 = (¼w²ᵀ D1)·T0 = 8δ¹
            mul(U_all, U_all, T_all)
            sub(one, T_all, T_all)
            sub(U1, Y, D1)
            cost += vdot(D1, D1)
            mul(D1, T1, D1)
            mm(W1T, D1, D0)
            mul(D0, T0, D0)
            # updates: P += β·D·inputᵀ, both layers in one addition
            mul(D_all, betas, D_all)
            mm(D1, H0T, G1)
            mm(D0, xb, G0)
            add(P_flat, G_flat, P_flat)
            ran += 1
        return ran, float(cost) / 8

    def _gathered(self, order, wanted):
        """(images (p, n_in), targets (n_out, p)) for each mini-batch of ``order`` in turn. uint8 images are
        gathered a few hundred kilobytes at a time into one reused block that stays in cache (one bulk
        gather costs less than one per mini-batch); float images, 4× larger, one mini-batch at a time
        (measured faster for them)."""
        X, p = self.trainer.X, self.p
        if X.dtype != np.uint8:
            for idx, Y in zip(order.reshape(-1, p), wanted):
                yield X[idx], Y
            return
        if self._block is None:
            self._block = np.empty((self.gather * p, X.shape[1]), X.dtype)
        block, run = self._block, self.gather
        for c0 in range(0, len(wanted), run):
            k = min(run, len(wanted) - c0)
            rows = block[:k * p]
            np.take(X, order[c0 * p:(c0 + k) * p], axis=0, out=rows)
            yield from zip(rows.reshape(k, p, -1), wanted[c0:c0 + k])

    def _run_generic(self, perm, targets, first, last, stop) -> tuple[int, float]:
        p = self.p
        P_flat = self.trainer.P_flat
        cost = 0.0
        ran = 0
        for b in range(first, last):
            if stop is not None and stop():
                break
            lo = b * p
            cost += self.step(perm[lo:lo + p], targets[lo:lo + p].T, p, P_flat)
            ran += 1
        return ran, cost
