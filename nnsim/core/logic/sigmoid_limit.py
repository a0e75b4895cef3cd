"""Sigmoid neurons simulating perceptrons: scale every weight and bias by c > 0 and let c grow.

A perceptron network is unchanged by the scaling (step(c·z) = step(z)); a sigmoid copy's σ(c·z) tends to
step(z) wherever z ≠ 0, so the copy imitates the perceptrons once c is large enough — except on rows where
some z = 0 exactly, where σ stays ½ at every c (the book's section "Sigmoid neurons", exercise part II).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nnsim.core.circuit.compile import Circuit, binary_rows, compile_graph
from nnsim.core.circuit import chips
from nnsim.core.circuit.graph import NEURON, Graph
from nnsim.core.errors import UserError
from nnsim.core.logic.truthtable import feedforward_circuit

def _check_scale(c) -> float:
    if isinstance(c, bool) or not isinstance(c, (int, float, np.floating, np.integer)) or not (
            math.isfinite(c) and c > 0):
        raise UserError(f"the scale c must be a finite number above 0, not {c!r}")
    return float(c)


def scale(graph: Graph, c: float) -> Graph:
    """A copy with every weight and bias multiplied by ``c > 0`` (activations unchanged). For a perceptron
    network this changes nothing: step(c·z) = step(z) for c > 0."""
    c = _check_scale(c)
    g = graph.copy()
    for part in chips.graphs(g):  # inside chip definitions too; wires into pins and outputs are plain
        for w in part.wires.values():
            if part.nodes[w.target].kind == NEURON:
                w.weight *= c
        for n in part.neurons():
            n.bias *= c
    return g


def to_sigmoid(graph: Graph, c: float = 1.0) -> Graph:
    """A copy in which every perceptron (step neuron) is a sigmoid neuron with its bias and incoming weights
    multiplied by ``c > 0``. As c grows, σ(c·z) → step(z) wherever z ≠ 0."""
    c = _check_scale(c)
    g = graph.copy()
    for part in chips.graphs(g):  # inside chip definitions too
        steps = {n.id for n in part.neurons() if n.activation == "step"}
        for w in part.wires.values():
            if w.target in steps:
                w.weight *= c
        for nid in steps:
            part.nodes[nid].activation = "sigmoid"
            part.nodes[nid].bias *= c
    g.name = f"{graph.name} as sigmoid neurons (c = {c:g})" if graph.name else f"sigmoid neurons (c = {c:g})"
    return g


@dataclass
class ScaleReport:
    """How well sigmoid neurons with weights and biases × c imitate a perceptron network.

    ``margin``: smallest |z| of any perceptron over the rows checked; ``min_scale``: the smallest c from
    which every output of the sigmoid copy rounds to the perceptron's answer (|σ-output − step-output| < ½),
    ``None`` when no c works, 0.0 when every c > 0 does; ``zero_rows``: indices into ``rows`` where some z = 0 exactly (there the
    sigmoid gives ½ at every c); ``zero_neurons``: those neurons' names; ``rows``: the input rows checked
    (all 2ⁿ when ``exhaustive``)."""

    margin: float
    min_scale: float | None
    zero_rows: list[int]
    zero_neurons: list[str]
    rows: np.ndarray
    exhaustive: bool
    inputs: list[str]
    outputs: list[str]

    def __repr__(self):
        c = "none" if self.min_scale is None else f"{self.min_scale:.6g}"
        return (f"ScaleReport(margin={self.margin:g}, min_scale={c}, {len(self.zero_rows)} zero rows, "
                f"{len(self.rows)} rows{'' if self.exhaustive else ' sampled'})")

    def zero_row_inputs(self) -> list[tuple[int, ...]]:
        return [tuple(int(v) for v in self.rows[r]) for r in self.zero_rows]


#: Below this c, scale_report stops halving and reports that every c > 0 works (``min_scale = 0``).
_TINY_SCALE = 1e-9
#: Most inputs for which scale_report checks every row; above, it samples.
MAX_EXHAUSTIVE_INPUTS = 16


def _perceptron_circuit(graph: Graph) -> Circuit:
    circuit = feedforward_circuit(graph)
    others = [n.name for n in circuit.flat_graph.neurons() if n.activation != "step"]
    if others:
        raise UserError(f"not a perceptron network: {others[0]} is not a step neuron")
    return circuit


class _ScaledSigmoid:
    """The sigmoid copy compiled once (at c = 1); scale c is applied by patching every parameter to c·p."""

    def __init__(self, graph: Graph):
        self.circuit = compile_graph(to_sigmoid(graph, 1.0))
        self.p0 = self.circuit.param_vector()

    def outputs(self, X: np.ndarray, c: float) -> np.ndarray:
        # c·p beyond a double (a weight of 1e308 times c = 1600) would be inf, and inf·0 = NaN in w·x; a
        # parameter that large saturates its sigmoid anyway, so it is held at ±_HUGE (sums of up to 10⁸
        # such terms stay finite). Parameters below _HUGE are scaled exactly.
        with np.errstate(over="ignore"):
            scaled = c * self.p0
        self.circuit.set_param_vector(np.clip(scaled, -_HUGE, _HUGE))
        return self.circuit.feedforward(X)


_HUGE = 1e300


def _default_rows(n: int, seed: int, samples: int) -> tuple[np.ndarray, bool]:
    if n <= MAX_EXHAUSTIVE_INPUTS:
        return binary_rows(n), True
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 2, size=(samples, n)).astype(float)
    return np.vstack([np.zeros(n), np.ones(n), X]), False


def sigmoid_error(graph: Graph, scales, rows=None) -> np.ndarray:
    """Largest |sigmoid-copy output − perceptron output| over the rows (default: the whole truth table),
    for each c in ``scales`` (K,). Returns (K,); the copy imitates the perceptrons where it is < ½."""
    circuit = _perceptron_circuit(graph)
    X = _default_rows(circuit.n_inputs, 0, 4096)[0] if rows is None else np.atleast_2d(np.asarray(rows, float))
    P = circuit.feedforward(X)
    sig = _ScaledSigmoid(graph)
    return np.array([np.max(np.abs(sig.outputs(X, _check_scale(c)) - P)) for c in scales])


def _crossing(excess, lo: float, hi: float, rel_tol: float) -> float:
    """Shrink a bracket with ``excess(lo) >= 0`` (fails) and ``excess(hi) < 0`` (works) to a relative width
    ``rel_tol`` and return its working end. Regula falsi with the Illinois fix (the end kept twice has its
    value halved, so both ends move), and, once two steps land within 10⁻⁷ of each other, a probe just
    across the last point that closes the bracket. Bisection steps when the secant degenerates. About a
    dozen evaluations instead of bisection's thirty."""
    e_lo, e_hi = excess(lo), excess(hi)
    side, last = 0, None
    for _ in range(200):
        if hi - lo <= rel_tol * hi:
            break
        x = (lo * e_hi - hi * e_lo) / (e_hi - e_lo) if e_lo != e_hi else 0.5 * (lo + hi)
        if not lo < x < hi:
            x = 0.5 * (lo + hi)
        e = excess(x)
        if e >= 0:
            lo, e_lo = x, e
            e_hi, side = (e_hi / 2 if side == -1 else e_hi), -1
            probe = x * (1 + rel_tol / 2)
        else:
            hi, e_hi = x, e
            e_lo, side = (e_lo / 2 if side == 1 else e_lo), 1
            probe = x * (1 - rel_tol / 2)
        if last is not None and abs(x - last) <= 1e-7 * x and lo < probe < hi:
            ep = excess(probe)
            if ep >= 0:
                lo, e_lo = probe, ep
            else:
                hi, e_hi = probe, ep
        last = x
    return hi


def scale_report(graph: Graph, rows=None, *, seed: int = 0, samples: int = 4096,
                 rel_tol: float = 1e-9) -> ScaleReport:
    """Margin, smallest working c and z = 0 rows of a perceptron network (see :class:`ScaleReport`).

    ``rows`` (m, n_inputs) defaults to the whole truth table up to 16 inputs, else ``samples`` random rows
    (seeded) plus all-zeros and all-ones. The smallest c is found by halving c down from the value where
    every σ is exactly 0 or 1 in floating point (above it the copy behaves exactly like the perceptrons) to
    the first c that fails, then by a bracketing root search on the largest error − ½ to a relative
    ``rel_tol``: the copy works at ``min_scale`` and fails at a c no lower than ``min_scale·(1 − rel_tol)``;
    every c tried above works.
    """
    circuit = _perceptron_circuit(graph)
    if rows is None:
        X, exhaustive = _default_rows(circuit.n_inputs, seed, samples)
    else:
        X, exhaustive = np.atleast_2d(np.asarray(rows, dtype=float)), False
    _, z = circuit.run(X)
    zn = np.abs(z[:, circuit.neuron_cols])
    zero = zn == 0
    zero_rows = np.flatnonzero(zero.any(axis=1)).tolist()
    zero_neurons = [circuit.labels[circuit.neuron_ids[j]] for j in np.flatnonzero(zero.any(axis=0))]
    margin = float(zn.min()) if zn.size else math.inf
    P = circuit.feedforward(X)
    base = graph.sigmoid_base
    sig = _ScaledSigmoid(graph)
    names_in = [circuit.labels[i] for i in circuit.input_ids]
    names_out = [circuit.labels[o] for o in circuit.output_ids]

    def excess(c: float) -> float:
        """Largest error minus ½: < 0 where the copy works."""
        return float(np.max(np.abs(sig.outputs(X, c) - P))) - 0.5 if len(X) else -0.5

    def works(c: float) -> bool:
        return excess(c) < 0

    nonzero = zn[zn > 0]
    smallest = float(nonzero.min()) if nonzero.size else 1.0
    c_hi = 800.0 / (smallest * math.log(base))  # e^-800 == 0.0: every σ is exactly 0 or 1 from here on
    min_scale = None
    if works(c_hi):
        c_lo = c_hi / 2
        while works(c_lo):
            c_hi, c_lo = c_lo, c_lo / 2
            if c_hi < _TINY_SCALE:  # e.g. one neuron whose z is never positive: σ < ½ at every c
                return ScaleReport(margin, 0.0, zero_rows, zero_neurons, X, exhaustive, names_in, names_out)
        min_scale = _crossing(excess, c_lo, c_hi, rel_tol)
    return ScaleReport(margin, min_scale, zero_rows, zero_neurons, X, exhaustive, names_in, names_out)
