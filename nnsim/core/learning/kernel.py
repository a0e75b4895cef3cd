"""The fast SGD kernel: exactly :meth:`Network.update_mini_batch`, reorganised so that it runs fast.

What it computes. For a mini-batch of m images x with desired outputs y, every run's weights and biases
move as in the book's ``update_mini_batch``::

    w → w − (η/m) Σₓ ∂C_x/∂w,     b → b − (η/m) Σₓ ∂C_x/∂b,

with the gradients from backpropagation (``Network.backprop``): a = σ(z), z = w·a' + b layer by layer;
δᴸ = (a − y) ⊙ σ'(zᴸ) for the quadratic cost (δᴸ = a − y for cross-entropy); δˡ = (wˡ⁺¹ᵀ δˡ⁺¹) ⊙ σ'(zˡ);
∂C/∂bˡ = δˡ and ∂C/∂wˡ = δˡ a'ᵀ. A test trains the same network both ways and compares the weights.

Why it is reorganised. One epoch of 784-30-10 at m = 10 is 5,000 tiny steps; each product is only
~200,000 multiply-adds, so the time goes into the number of NumPy calls and into allocating arrays, not
into arithmetic. Each change below keeps the numbers and removes calls or copies:

1. **σ(z) = ½ + ½·tanh(z/2).** (1/(1 + e⁻ᶻ) = (eᶻᐟ² )/(eᶻᐟ² + e⁻ᶻᐟ²) = ½(1 + tanh(z/2)).) One ``np.tanh``
   call, no overflow for any z. The kernel keeps t = tanh(z/2) = 2a − 1 instead of a, so
   σ'(z) = a(1 − a) = (1 − t²)/4 and a − y = (t − (2y − 1))/2: the desired outputs are kept as ±1
   (``Y = 2y − 1``).
2. **Bias as an extra weight column.** Pˡ = [wˡ | bˡ] has shape (n_out, n_in + 1) and the layer's input gets
   a constant last row, so one product gives w·a + b, and one product δ·[a; 1]ᵀ gives ∂C/∂w and ∂C/∂b
   together.
3. **Constants folded into the weights.** The working copy is Pˡ = cˡ·[wˡ | bˡ] with cˡ chosen so that every
   product comes out as z/2, ready for tanh: the first layer's input is s·[x; 1] (s = 255 when uint8 pixels
   p stand for p/255, else 1), so c⁰ = 1/(2s); later layers' inputs are held as H = 2·[a; 1] = [1 + t; 2]
   (one addition from t), so cˡ = ¼. Backward, D = k·δ for one constant k per cost (8 for quadratic,
   2 for cross-entropy): D = (t − Y) ⊙ (1 − t²) = 2(a − y)·4σ' = 8δᴸ (cross-entropy: D = t − Y = 2δᴸ), and
   the ¼ inside Pˡ⁺¹ cancels the 4 of 1 − t² = 4σ' on the way down, so Dˡ = k·δˡ in every layer. The update
   ΔPˡ = cˡ·(−η/m)·δˡ·[a'; 1]ᵀ is then βˡ·Dˡ·inputˡᵀ with βˡ = cˡ·(−η/m)/(k·s) for the first layer (its
   input is s·[x; 1]) and cˡ·(−η/m)/(2k) after it (input 2·[a; 1]): one number per layer and run
   (``betas``), applied to every layer's D in one multiplication.
4. **Blank-pixel compaction.** Pixels that are 0 in every training image (67 of MNIST's 784, at the
   borders) have ∂C/∂w = δ·x = 0 for ever: their weight columns are left out of the products and keep
   their values (see :func:`compact_inputs`).
5. **Buffers.** Every array is allocated once and written in place (``out=``): the parameters of all layers
   share one flat array (so one addition updates them all), and so do the gradients; z/2 and then t of all
   layers share one array (``U``), 1 − t² another (``T``, one call for every layer), D a third. uint8
   images are gathered from the caller's array in cache-sized blocks and turned into floats by the copy
   into the input buffer.
6. **Runs stacked.** R runs of the same shape and mini-batch size train together: every array has a leading
   axis of length R and each product is one batched ``np.matmul`` over the runs (the same BLAS call per
   run as for one run alone, so a run's numbers do not depend on its neighbours). Each run keeps its own
   η and its own order of images. A single run works on 2-D slices of these arrays (each NumPy call on
   3-D arrays costs a little more).

Short names, each explained once: R runs; p images in a piece (a mini-batch, or part of a large one);
L layers of weights; P (R, n_out, n_in + 1) the scaled working parameters [w | b]; U (R, n, p) z/2 then
t = tanh(z/2); T = 1 − t²; D = k·δ; H (R, n + 1, p) = 2·[a; 1], a hidden layer's output as the next layer's
input; xb (R, p, n_in + 1) the gathered images with the constant column; Y (R, n_out, p) the desired
outputs as ±1; G (like P) the update ΔP; betas (R, Σn, 1) the βˡ above, one per row of D; k and s as
above.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np

from nnsim.core.learning.costs import CrossEntropyCost, QuadraticCost

#: Mini-batches larger than this are processed in pieces whose gradients are summed (bounded memory).
MAX_PIECE = 1024
#: Largest copy of the training images (bytes) made to leave out pixels that are 0 in every image.
COMPACT_LIMIT = 64 << 20
#: Bytes of images gathered in one go (a block small enough to stay in cache).
GATHER_BYTES = 1 << 19


def as_pixels(X, dtype=np.float32) -> np.ndarray:
    """Images as floats of ``dtype``: uint8 pixels p become p/255, float arrays are cast. Shape kept."""
    X = np.asarray(X)
    if X.dtype == np.uint8:
        out = X.astype(dtype)
        out *= dtype(1 / 255)
        return out
    return X.astype(dtype, copy=False)


def compact_inputs(X: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """``(X without the columns that are 0 in every row, their kept indices)``, or ``(X, None)`` when no
    column is blank or the copy would be larger than COMPACT_LIMIT. X (n, n_in)."""
    if X.nbytes > COMPACT_LIMIT:
        return X, None
    lit = X.any(axis=0)
    if lit.all():
        return X, None
    active = np.flatnonzero(lit)
    return np.ascontiguousarray(X[:, active]), active


class Kernel:
    """The working parameters of R runs of one shape, trained on the same images X (each in its own order).

    ``nets``: R networks (``weights`` [(n_out, n_in)], ``biases`` [(n_out,)], ``dtype``), all of the same
    sizes; they are updated in place by :meth:`write_back`. ``X`` (n, n_kept) images as returned by
    :func:`compact_inputs`, ``active`` its kept columns (None: all). ``m`` the mini-batch size, ``etas`` (R,)
    the learning rates, ``cost`` :class:`QuadraticCost` or :class:`CrossEntropyCost` (one for all runs).
    """

    def __init__(self, nets, X: np.ndarray, active, m: int, etas, cost):
        self.nets = list(nets)
        self.R = len(self.nets)
        self.dtype = self.nets[0].dtype
        self.X = X
        self.active = active
        self.m = m
        self.etas = [float(e) for e in etas]
        self.cost = cost
        self.k = 8.0 if cost is QuadraticCost else 2.0
        # uint8 pixels p stand for p/255: the input's constant column is 255 and 1/255 is folded into c⁰
        # and the update scale, so gathering a mini-batch converts uint8 → float in the same copy.
        self.input_scale = 255.0 if X.dtype == np.uint8 else 1.0
        first = self.nets[0]
        n_in = first.weights[0].shape[1] if active is None else len(active)
        self.shapes = [(first.weights[0].shape[0], n_in + 1)] + [(w.shape[0], w.shape[1] + 1)
                                                                  for w in first.weights[1:]]
        self.scales = [0.5 / self.input_scale] + [0.25] * (len(self.shapes) - 1)
        self.P_flat, self.P = _flat_arrays(self.R, self.shapes, self.dtype)
        for r, net in enumerate(self.nets):
            w0 = net.weights[0] if active is None else net.weights[0][:, active]
            for P, w, b in zip(self.P, [w0] + net.weights[1:], net.biases):
                P[r, :, :-1] = w
                P[r, :, -1] = b
        for P, c in zip(self.P, self.scales):
            P *= self.dtype(c)
        self._passes: dict[tuple, _Pass] = {}

    def __repr__(self):
        return f"Kernel({self.R} runs, shapes {self.shapes}, m={self.m}, {self.cost.name})"

    def pass_for(self, p: int, run: int | None = None) -> "_Pass":
        """The buffers for pieces of p images: of all runs (``run`` None) or of one run."""
        key = (p, run)
        if key not in self._passes:
            self._passes[key] = _Pass(self, p, run)
        return self._passes[key]

    def write_back(self, runs=None) -> None:
        """Copy the working parameters into the networks' ``weights`` and ``biases`` (in place)."""
        for r in range(self.R) if runs is None else runs:
            net = self.nets[r]
            for l, (P, c, w, b) in enumerate(zip(self.P, self.scales, net.weights, net.biases)):
                if l == 0 and self.active is not None:
                    w[:, self.active] = P[r, :, :-1] / c
                else:
                    np.divide(P[r, :, :-1], c, out=w)
                np.divide(P[r, :, -1], c, out=b)

    def run_batches(self, orders: np.ndarray, wanted: np.ndarray, stop) -> tuple[int, np.ndarray]:
        """Full mini-batches of m images for every run, updating after each: ``orders`` (R, k·m) the images'
        indices into X, ``wanted`` (k, R, n_out, m) the ±1 desired outputs. ``stop()`` is asked before each
        mini-batch. Returns (mini-batches run, summed cost per run (R,)); ``batch_costs`` is then each
        mini-batch's cost ×8 (ran, R) for the quadratic cost, None for others."""
        full = self.pass_for(self.m)
        ran, costs = full.run_batches(orders, wanted, stop)
        self.batch_costs = full.batch_costs
        return ran, costs

    def step_one(self, r: int, idx: np.ndarray, wanted: np.ndarray) -> float:
        """One mini-batch of any size for run ``r`` alone: ``idx`` (b,) image indices, ``wanted`` (b, n_out)
        ±1 desired outputs; pieces of at most MAX_PIECE images, gradients summed, then applied."""
        size = len(idx)
        into = self.P_flat[r:r + 1]
        if size <= MAX_PIECE:
            return float(self.pass_for(size, r).step(idx[None], wanted.T[None], size, into)[0])
        acc = np.zeros_like(into)
        cost = 0.0
        for a in range(0, size, MAX_PIECE):
            b = min(a + MAX_PIECE, size)
            cost += float(self.pass_for(b - a, r).step(idx[None, a:b], wanted[a:b].T[None], size, acc)[0])
        into += acc
        return cost


def _flat_arrays(R: int, shapes, dtype) -> tuple[np.ndarray, list[np.ndarray]]:
    """One (R, Σ rows·cols) array and an (R, rows, cols) view into it for each shape, back to back."""
    sizes = [r * c for r, c in shapes]
    flat = np.empty((R, sum(sizes)), dtype)
    views, at = [], 0
    for (rows, cols), size in zip(shapes, sizes):
        view = flat[:, at:at + size].view()
        view.shape = (R, rows, cols)  # raises rather than copies: these must be views
        views.append(view)
        at += size
    return flat, views


class _Pass:
    """Preallocated buffers and the per-mini-batch arithmetic for pieces of ``p`` images of all the
    kernel's runs, or of one run (``run``). Activations are columns as in the book: (R, neurons, p)."""

    def __init__(self, kernel: Kernel, p: int, run: int | None):
        f = kernel.dtype
        self.kernel = kernel
        self.p = p
        runs = slice(None) if run is None else slice(run, run + 1)
        R = kernel.R if run is None else 1
        self.P = [P[runs] for P in kernel.P]
        self.P_flat = kernel.P_flat[runs]
        self.etas = kernel.etas[runs]
        shapes = kernel.shapes
        self.L = L = len(shapes)
        self.sizes = sizes = [shapes[0][1] - 1] + [r for r, _ in shapes]
        self.xb = np.empty((R, p, sizes[0] + 1), f)  # the gathered images, last column the constant s
        self.xb[:, :, -1] = kernel.input_scale
        self.H = [np.full((R, s + 1, p), 2.0, f) for s in sizes[1:-1]]
        self.U_all, self.U = _stacked(R, sizes[1:], p, f)
        self.T_all, self.T = _stacked(R, sizes[1:], p, f)
        self.D_all, self.D = _stacked(R, sizes[1:], p, f)
        self.G_flat, self.G = _flat_arrays(R, shapes, f)
        self.inputs = [self.xb] + [H.transpose(0, 2, 1) for H in self.H]  # (R, p, n_in + 1) each
        self.WT = [None] + [P[:, :, :-1].transpose(0, 2, 1) for P in self.P[1:]]  # ¼wᵀ, (R, n_in, n_out)
        self._betas: dict[int, np.ndarray] = {}
        self._block = None
        X = kernel.X
        self.gather = max(1, GATHER_BYTES // (R * p * X.shape[1] * X.itemsize + 1))

    def betas(self, m: int) -> np.ndarray:
        """Per-row scales of D for a mini-batch of m images, shape (R, Σn, 1): with them ΔPˡ = Dˡ·inputᵀ
        is cˡ·(−η/m)·δˡ·[a; 1]ᵀ (the input is s·[x; 1] for the first layer, 2·[a; 1] after it)."""
        if m not in self._betas:
            kn = self.kernel
            rows = []
            for eta in self.etas:
                per_layer = [kn.scales[0] * -(eta / m) / (kn.k * kn.input_scale)]
                per_layer += [c * -(eta / m) / (2 * kn.k) for c in kn.scales[1:]]
                rows.append(np.repeat(np.array(per_layer, kn.dtype), self.sizes[1:]))
            self._betas[m] = np.stack(rows)[:, :, None]
        return self._betas[m]

    def step(self, idx, Y, m: int, into: np.ndarray) -> np.ndarray:
        """Forward and backward on the images ``X[idx]`` (idx (R, p)) with ±1 targets Y (R, n_out, p), then
        add the scaled gradients to ``into`` (the parameters, or an accumulator when a mini-batch of m
        images is done in pieces). Returns the summed cost of the piece per run (R,)."""
        self.xb[:, :, :-1] = self.kernel.X[idx]
        self._forward()
        cost = self._cost(Y)
        self._backward(Y)
        np.multiply(self.D_all, self.betas(m), out=self.D_all)
        for D, inp, G in zip(self.D, self.inputs, self.G):
            np.matmul(D, inp, out=G)
        np.add(into, self.G_flat, out=into)
        return cost

    def _forward(self) -> None:
        P, U, H = self.P, self.U, self.H
        np.matmul(P[0], self.xb.transpose(0, 2, 1), out=U[0])  # z¹/2
        np.tanh(U[0], out=U[0])  # t¹
        for l in range(1, self.L):
            np.add(U[l - 1], 1, out=H[l - 1][:, :-1])  # 1 + t = 2a
            np.matmul(P[l], H[l - 1], out=U[l])
            np.tanh(U[l], out=U[l])

    def _cost(self, Y) -> np.ndarray:
        """Summed cost of the piece per run (R,), from t (the output layer's U) and the ±1 targets Y."""
        t = self.U[-1]
        if self.kernel.cost is CrossEntropyCost:
            a, y = 0.5 * (t + 1), 0.5 * (Y + 1)
            return CrossEntropyCost.fn(a.transpose(0, 2, 1), y.transpose(0, 2, 1)).sum(axis=1)
        diff = (t - Y).reshape(len(t), -1)
        return np.einsum("ri,ri->r", diff, diff, dtype=np.float64) / 8  # ½‖a − y‖², with t − Y = 2(a − y)

    def _backward(self, Y) -> None:
        T, D, U = self.T, self.D, self.U
        np.multiply(self.U_all, self.U_all, out=self.T_all)  # every layer's T = 1 − t² = 4σ'(z) at once
        np.subtract(1, self.T_all, out=self.T_all)
        np.subtract(U[-1], Y, out=D[-1])  # 2(a − y)
        if self.kernel.cost is QuadraticCost:
            np.multiply(D[-1], T[-1], out=D[-1])  # 8δᴸ
        for l in range(self.L - 2, -1, -1):
            np.matmul(self.WT[l + 1], D[l + 1], out=D[l])
            np.multiply(D[l], T[l], out=D[l])  # k·δˡ

    def run_batches(self, orders, wanted, stop) -> tuple[int, np.ndarray]:
        """The hot loop: the arithmetic of :meth:`step` for one full mini-batch after another, written out
        with local names because at p = 10 the time goes into Python and NumPy call overhead."""
        p, L = self.p, self.L
        R = len(self.P_flat)
        # one run alone: the same calls on its 2-D slices (each NumPy call on 3-D arrays costs a little more)
        own = (lambda a: a[0]) if R == 1 else (lambda a: a)
        P, U, H, T, D, G = ([own(a) for a in arrays] for arrays in (self.P, self.U, self.H, self.T, self.D,
                                                                     self.G))
        WT = [None] + [own(a) for a in self.WT[1:]]
        inputs = [own(a) for a in self.inputs]
        U_all, T_all, D_all = own(self.U_all), own(self.T_all), own(self.D_all)
        P_flat, G_flat = own(self.P_flat), own(self.G_flat)
        h = [Hl[..., :-1, :] for Hl in H]
        xb = own(self.xb)
        xv, xbT = xb[..., :-1], np.swapaxes(xb, -1, -2)
        betas = own(self.betas(p))
        one = self.kernel.dtype(1)
        quadratic = self.kernel.cost is QuadraticCost
        t_out, D_out, T_out = U[-1], D[-1], T[-1]
        mul, sub, add, mm, tanh = np.multiply, np.subtract, np.add, np.matmul, np.tanh
        if quadratic:  # ‖t − Y‖² per run and mini-batch, as a batched (1, n_out·p) × (n_out·p, 1) product
            squares = np.empty((len(wanted), R, 1, 1), D_out.dtype)
            d_row, d_col = D_out.reshape(R, 1, -1), D_out.reshape(R, -1, 1)
            dot = mm
            if R == 1:
                d_row, d_col, dot = d_row[0], d_col[0], np.dot  # np.dot: less overhead for one product
            square_rows = squares[:, 0] if R == 1 else squares
        else:  # −ln of the probability given to the right answer, summed elementwise in float64
            square = np.empty_like(D_out)
            total = np.zeros(D_out.shape, np.float64)
            tiny = self.kernel.dtype(np.finfo(self.kernel.dtype).tiny)
        # each layer's arrays, paired up once so the loop only unpacks them
        forward = [(U[l - 1], h[l - 1], P[l], H[l - 1], U[l]) for l in range(1, L)]
        backward = [(WT[l + 1], D[l + 1], D[l], T[l]) for l in range(L - 2, -1, -1)]
        gradients = [(D[l], inputs[l], G[l]) for l in range(L)]
        P0, U0 = P[0], U[0]
        ran = 0
        for (rows, Y), square in zip(self._gathered(orders, wanted, own),
                                      square_rows if quadratic else repeat(square)):
            if stop is not None and stop():
                break
            xv[...] = rows
            # forward: U = z/2 → t; the next layer's input h = 1 + t = 2a
            mm(P0, xbT, U0)
            tanh(U0, U0)
            for t_in, h_in, Pl, H_in, Ul in forward:
                add(t_in, one, h_in)
                mm(Pl, H_in, Ul)
                tanh(Ul, Ul)
            # backward: T = 1 − t² for every layer; D = t − Y = 2(a − y), then k·δ layer by layer
            mul(U_all, U_all, T_all)
            sub(one, T_all, T_all)
            sub(t_out, Y, D_out)
            if quadratic:
                dot(d_row, d_col, square)
                mul(D_out, T_out, D_out)
            else:  # −ln of the probability given to the right side: a if y = 1, 1 − a if y = 0
                mul(Y, t_out, square)
                add(square, one, square)
                mul(square, 0.5, square)
                np.maximum(square, tiny, out=square)
                np.log(square, square)
                sub(total, square, total)
            for WTl, D_above, Dl, Tl in backward:
                mm(WTl, D_above, Dl)
                mul(Dl, Tl, Dl)
            # updates: P += β·D·inputᵀ, every layer in one addition
            mul(D_all, betas, D_all)
            for Dl, inp, Gl in gradients:
                mm(Dl, inp, Gl)
            add(P_flat, G_flat, P_flat)
            ran += 1
        if quadratic:
            self.batch_costs = squares[:ran, :, 0, 0]  # (ran, R) ×8: lets a caller find the first NaN
            return ran, squares[:ran].sum(axis=(0, 2, 3), dtype=np.float64) / 8
        self.batch_costs = None
        return ran, total.reshape(R, -1).sum(axis=1)

    def _gathered(self, orders, wanted, own):
        """(images (R, p, n_in), targets (R, n_out, p)) for each mini-batch in turn. uint8 images are
        gathered a few hundred kilobytes at a time into one reused block that stays in cache (one bulk
        gather costs less than one per mini-batch); float images, 4× larger, one mini-batch at a time (a
        block of them large enough to save gathers would no longer stay in cache, so it would only add a copy)."""
        X, p = self.kernel.X, self.p
        R, batches = len(orders), len(wanted)
        if X.dtype != np.uint8:
            for b in range(batches):
                yield own(X[orders[:, b * p:(b + 1) * p]]), own(wanted[b])
            return
        if self._block is None:
            self._block = np.empty(R * self.gather * p * X.shape[1], X.dtype)
        run = self.gather
        for c0 in range(0, batches, run):
            k = min(run, batches - c0)
            rows = self._block[:R * k * p * X.shape[1]].reshape(R, k * p, X.shape[1])
            np.take(X, orders[:, c0 * p:(c0 + k) * p], axis=0, out=rows)
            if R == 1:
                yield from zip(rows[0].reshape(k, p, -1), wanted[c0:c0 + k, 0])
            else:
                yield from zip(rows.reshape(R, k, p, -1).transpose(1, 0, 2, 3), wanted[c0:c0 + k])


def _stacked(R: int, rows, p: int, dtype) -> tuple[np.ndarray, list[np.ndarray]]:
    """An (R, Σ rows, p) array and its row blocks, one (R, r, p) view per entry of ``rows``."""
    flat = np.empty((R, sum(rows), p), dtype)
    views, at = [], 0
    for r in rows:
        views.append(flat[:, at:at + r])
        at += r
    return flat, views
