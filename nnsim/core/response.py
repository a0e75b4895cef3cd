"""How a network's output moves when one weight or bias moves (the response lab's numbers).

* :func:`sweep` — an output against one parameter over a range, for the network as it is and for copies
  with every neuron a perceptron or every neuron a sigmoid; the parameter values where some neuron's
  weighted input z crosses 0 (where perceptrons jump) are found and refined by bisection.
* :func:`sensitivity` — ∂O/∂p for every parameter at one input row, sorted by size, with the book's
  predicted ΔO ≈ ∂O/∂p·Δp next to the actual ΔO for a nudge Δp.
* :func:`nudge_curve` — predicted against actual ΔO as the nudge grows, to show where the linear
  regime ends.
* :func:`scale_curve` — the truth-table error of the sigmoid copy of a perceptron circuit with every weight
  and bias × c, as c grows (on :mod:`nnsim.core.logic`'s ``to_sigmoid`` and ``scale_report``).

Everything works on a compiled :class:`~nnsim.core.circuit.compile.Circuit` and leaves it as it was.
"""

from __future__ import annotations

import math

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from nnsim.core.circuit.compile import Circuit, Param, compile_graph
from nnsim.core.errors import UserError
from nnsim.core.circuit.graph import Graph
from nnsim.core.circuit import chips
from nnsim.core.logic.sigmoid_limit import scale_report, sigmoid_error

#: Variants of a network a sweep can show: as it is, all perceptrons, all sigmoids.
VARIANTS = ("as_is", "perceptron", "sigmoid")

#: At most this many z = 0 crossings are refined and reported per sweep.
MAX_CROSSINGS = 64


# ----- parameters and inputs -------------------------------------------------------------------------
def resolve_param(circuit: Circuit, name) -> Param:
    """``name`` may be a :class:`Param`, ``("w", wire_id)`` / ``("b", node_id)``, or a text id
    ``w:SRC:DST`` / ``b:NODE`` (labels or ids; the older ``w:SRC->DST`` too). Unknown names raise :class:`UserError`."""
    if isinstance(name, Param):
        return name
    if isinstance(name, tuple):
        key = tuple(name)
        if key not in circuit.param_index:
            raise UserError(f"no parameter {key[0]}:{key[1]} in this network")
        return circuit.params[circuit.param_index[key]]
    try:
        return circuit.param(str(name))
    except KeyError:
        known = ", ".join(p.name for p in circuit.params[:8]) + (", …" if len(circuit.params) > 8 else "")
        raise UserError(f"no parameter {name!r} (ids look like w:SRC:DST or b:NODE; this network has "
                        f"{known or 'none'})") from None


def parse_inputs(text: str | None, circuit: Circuit) -> np.ndarray:
    """Input values from text like ``"1,0"`` (``None``: the graph's current input values). Shape (n_inputs,)."""
    if text is None:
        return circuit.input_values.copy()
    parts = [p for p in str(text).replace(" ", ",").split(",") if p]
    try:
        values = np.array([float(p) for p in parts])
    except ValueError:
        raise UserError(f"input values must be numbers separated by commas, not {text!r}") from None
    if len(values) != circuit.n_inputs or not np.all(np.isfinite(values)):
        raise UserError(f"{circuit.n_inputs} finite input values expected, got {text!r}")
    return values


def output_index(circuit: Circuit, output) -> int:
    """The column of output ``output`` (an index, a label or an id; ``None`` is the first output)."""
    if not circuit.output_ids:
        raise UserError("this network has no output neuron")
    if output is None:
        return 0
    if isinstance(output, (int, np.integer)):
        if 0 <= output < len(circuit.output_ids):
            return int(output)
        raise UserError(f"output index {output} is out of range (0–{len(circuit.output_ids) - 1})")
    for k, oid in enumerate(circuit.output_ids):
        if output in (oid, circuit.labels[oid]):
            return k
    names = ", ".join(circuit.labels[o] for o in circuit.output_ids)
    raise UserError(f"no output {output!r} (outputs: {names})")


def with_activation(graph: Graph, activation: str) -> Graph:
    """A copy of ``graph`` where every neuron uses ``activation`` (e.g. "step" or "sigmoid")."""
    g = graph.copy()
    for part in chips.graphs(g):  # inside chip definitions too
        for n in part.neurons():
            n.activation = activation
    return g


# ----- sweeps ----------------------------------------------------------------------------------------
class SweepCircuit:
    """All node outputs and z values as one parameter takes many values, in one vectorised pass
    (:meth:`Circuit.sweep_states`), and the values where some z crosses 0.

    The parameters are read from ``circuit`` (e.g. a live one) at each call."""

    def __init__(self, graph: Graph, param, circuit: Circuit | None = None):
        self.circuit = circuit if circuit is not None else compile_graph(graph)
        self.param = resolve_param(self.circuit, param)
        self.has_loop = self.circuit.has_loop

    def __repr__(self):
        return f"SweepCircuit({self.param.name}{', looped' if self.has_loop else ''})"

    def states(self, x, values) -> tuple[np.ndarray, np.ndarray]:
        """``(a, z)``, each (K, n_nodes) in ``circuit.columns`` order, for input row ``x`` (n_inputs,) as
        the parameter takes each of ``values`` (K,). The circuit is left as it was."""
        values = np.asarray(values, dtype=float).reshape(-1)
        return self.circuit.sweep_states(np.asarray(x, dtype=float).reshape(-1), self.param, values)

    def outputs(self, x, values) -> np.ndarray:
        """The outputs (K, n_outputs) for each of ``values`` (K,)."""
        a, _ = self.states(x, values)
        return a[:, self.circuit.output_cols]

    def crossings(self, x, values, z: np.ndarray | None = None, passes: int = 10,
                  split: int = 16) -> list["Crossing"]:
        """Parameter values where some neuron's z crosses 0 between consecutive ``values`` (K,), refined
        on "z > 0": each pass evaluates ``split − 1`` points inside every bracket at once (one vectorised
        sweep for all crossings) and keeps the sub-bracket where the sign flips, so 10 passes of 16 narrow
        a bracket by 16¹⁰ ≈ 10¹² — a perceptron's jump is located to ~1e-12 of the step between values."""
        c = self.circuit
        values = np.asarray(values, dtype=float)
        if z is None:
            z = self.states(x, values)[1]
        pos = z[:, c.neuron_cols] > 0
        ks, js = np.nonzero(pos[1:] != pos[:-1])
        if len(ks) > MAX_CROSSINGS:
            ks, js = ks[:MAX_CROSSINGS], js[:MAX_CROSSINGS]
        if len(ks) == 0:
            return []
        cols = c.neuron_cols[js]
        lo, hi = values[ks].copy(), values[ks + 1].copy()
        lo_pos = pos[ks, js]
        n = len(ks)
        t = np.arange(1, split) / split                                   # (split − 1,) interior fractions
        for _ in range(passes):
            inner = lo[:, None] + (hi - lo)[:, None] * t[None, :]          # (n, split − 1)
            z_in = self.states(x, inner.ravel())[1].reshape(n, split - 1, -1)
            z_in = z_in[np.arange(n), :, cols]                               # (n, split − 1) own neuron's z
            flipped = (z_in > 0) != lo_pos[:, None]
            first = np.where(flipped.any(axis=1), flipped.argmax(axis=1), split - 1)
            grid = np.concatenate([lo[:, None], inner, hi[:, None]], axis=1)  # (n, split + 1)
            lo, hi = grid[np.arange(n), first], grid[np.arange(n), first + 1]
        found = [Crossing(float(0.5 * (lo_ + hi_)), c.columns[col], c.labels[c.columns[col]])
                 for lo_, hi_, col in zip(lo, hi, cols)]
        return sorted(found, key=lambda cr: cr.value)


def sweep_states(graph: Graph, p, x, values, circuit: Circuit | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every node's output ``a`` and weighted input ``z`` (each (K, n_nodes)) as parameter ``p`` takes each
    of ``values`` (K,) at input row ``x`` (n_inputs,); see :class:`SweepCircuit`."""
    return SweepCircuit(graph, p, circuit).states(x, values)


@dataclass(frozen=True)
class Crossing:
    """A parameter value where neuron ``node_id``'s z crosses 0 (its "z > 0" flips)."""

    value: float
    node_id: str
    label: str


@dataclass
class SweepResult:
    """An output against one parameter.

    ``values``: (K,) the parameter's values; ``outputs[variant]``: (K, n_outputs) for each variant in
    ``VARIANTS`` that was computed; ``crossings``: where some z = 0 in the network as it is, sorted by
    value; ``current``: the parameter's present value; ``output_names``: the output labels."""

    param: Param
    values: np.ndarray
    outputs: dict
    crossings: list = field(default_factory=list)
    current: float = 0.0
    output_names: list = field(default_factory=list)
    inputs: np.ndarray | None = None

    def __repr__(self):
        return (f"SweepResult({self.param.name}, {len(self.values)} values, variants={list(self.outputs)}, "
                f"{len(self.crossings)} crossings)")


def variant_circuit(graph: Graph, variant: str, circuit: Circuit) -> tuple[Graph, Circuit]:
    """``(graph, circuit)`` for a variant: "as_is", or "perceptron"/"sigmoid" (every neuron a step/a
    sigmoid) with the parameters of ``circuit``."""
    if variant == "as_is":
        return graph, circuit
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r} (known: {', '.join(VARIANTS)})")
    g = with_activation(graph, "step" if variant == "perceptron" else "sigmoid")
    c = compile_graph(g)
    c.set_param_vector(circuit.param_vector())
    return g, c


def default_range(value: float, span: float = 4.0) -> tuple[float, float]:
    """A sweep range around a parameter's present value: value ± max(span, 1.5·|value|); for a value so
    large that this would leave the doubles (a weight of 1e308), value ± 1 % instead."""
    half = max(span, 1.5 * abs(value))
    if not math.isfinite(2 * half + abs(value)):
        half = abs(value) / 100
    return value - half, value + half


def sweep(graph: Graph, param, values=None, inputs=None, variants=VARIANTS, *,
          circuit: Circuit | None = None, steps: int = 401, crossings: bool = True) -> SweepResult:
    """Sweep ``param`` of ``graph`` over ``values`` (K,) (default: :func:`default_range`, ``steps``
    points) at input row ``inputs`` (n_inputs,) (default: the inputs' current values).

    ``variants`` picks among "as_is", "perceptron" (every neuron a step) and "sigmoid" (every neuron a
    sigmoid with the graph's base). Pass a compiled ``circuit`` of ``graph`` to skip recompiling it."""
    circuit = circuit if circuit is not None else compile_graph(graph)
    p = resolve_param(circuit, param)
    current = circuit.get_param(p)
    if values is None:
        values = np.linspace(*default_range(current), steps)
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or len(values) == 0 or not np.all(np.isfinite(values)):
        raise UserError("sweep values must be a non-empty list of finite numbers")
    x = circuit.input_values.copy() if inputs is None else np.asarray(inputs, dtype=float)
    outputs = {}
    result_crossings: list[Crossing] = []
    for variant in variants:
        g, c = variant_circuit(graph, variant, circuit)
        sc = SweepCircuit(g, p, c)
        a, z = sc.states(x, values)
        outputs[variant] = a[:, c.output_cols]
        if variant == "as_is" and crossings:
            result_crossings = sc.crossings(x, values, z)
    names = [circuit.labels[o] for o in circuit.output_ids]
    return SweepResult(p, values, outputs, result_crossings, current, names, x)


#: How much an output must move over the default range to count as "moving" (a perceptron jumps by 1).
LIVELY_CHANGE = 0.1
#: Most (parameter, row) pairs :func:`lively_choice` sweeps before giving up.
LIVELY_BUDGET = 96
#: ... and at most this many neuron evaluations per swept value in all (each sweep evaluates the whole
#: network), so a big circuit gets fewer tries: opening a 10,000-perceptron multiplier whose first output
#: no single parameter moves would otherwise spend 96 whole-network sweeps finding nothing.
LIVELY_WORK = 96_000
#: ... but never fewer tries than this.
LIVELY_MIN_TRIES = 8


def lively_choice(circuit: Circuit, output: int = 0, rows: bool = True, points: int = 101):
    """A parameter and an input row for which output ``output`` changes as that parameter sweeps its
    :func:`default_range`: ``((kind, id), x)`` with ``x`` (n_inputs,), or ``None`` when nothing moves.

    Tried in order: the output neuron's bias; weights into it from inputs that are 1 in the row; its other
    incoming weights; every other parameter. The present input row comes first; with ``rows`` the other
    rows follow, nearest (fewest flipped inputs) first. A response plot that opens on such a pair shows a
    jump or a glide at once instead of a flat line. It gives up after ``LIVELY_BUDGET`` sweeps, or fewer
    in a network of more than ``LIVELY_WORK / LIVELY_BUDGET`` neurons (each sweep evaluates all of them)."""
    if not circuit.output_ids or not circuit.params:
        return None
    target = circuit.output_ids[output]
    x0 = circuit.input_values.copy()
    row_list = [x0]
    n = circuit.n_inputs
    if rows and 0 < n <= 10:
        bits = np.array([[(r >> (n - 1 - i)) & 1 for i in range(n)] for r in range(2 ** n)], dtype=float)
        flips = np.abs(bits - (x0 > 0.5)).sum(axis=1)
        row_list += [bits[r] for r in np.argsort(flips, kind="stable") if not np.array_equal(bits[r], x0)]
    input_pos = {nid: i for i, nid in enumerate(circuit.input_ids)}
    size = max(1, len(circuit.columns) - n)
    budget = max(LIVELY_MIN_TRIES, min(LIVELY_BUDGET, LIVELY_WORK // size))
    sweepers: dict = {}
    for x in row_list:
        def rank(p):
            if p.kind == "b":
                return 0 if p.id == target else 4
            src, dst = circuit.wire_ends[p.id]
            if dst != target:
                return 3
            return 1 if src in input_pos and x[input_pos[src]] > 0.5 else 2
        for p in sorted(circuit.params, key=rank):
            if budget <= 0:
                return None
            budget -= 1
            if p not in sweepers:
                sweepers[p] = SweepCircuit(None, p, circuit)
            values = np.linspace(*default_range(circuit.get_param(p)), points)
            out = sweepers[p].outputs(x, values)[:, output]
            if np.all(np.isfinite(out)) and out.max() - out.min() >= LIVELY_CHANGE:
                return (p.kind, p.id), np.asarray(x, dtype=float)
    return None


# ----- sensitivity and nudges ------------------------------------------------------------------------
@dataclass(frozen=True)
class Sensitivity:
    """One parameter's row: ``gradient`` ∂O/∂p (n_outputs,), and for a nudge ``delta`` the ``predicted``
    ΔO = ∂O/∂p·Δ and the ``actual`` ΔO (each (n_outputs,))."""

    param: Param
    value: float
    gradient: np.ndarray
    delta: float
    predicted: np.ndarray
    actual: np.ndarray

    def __repr__(self):
        return f"Sensitivity({self.param.name}, ∂O/∂p={np.round(self.gradient, 4).tolist()})"


def sensitivity(circuit: Circuit, x, delta: float = 0.1, output=None, *,
                stop: Callable[[], bool] | None = None) -> list[Sensitivity] | None:
    """∂O/∂p of every parameter at input row ``x`` (n_inputs,), sorted by |∂O/∂p| (of ``output``, or the
    largest over all outputs when ``output`` is ``None``), largest first; ties keep document order.
    Each row also carries the predicted and actual ΔO when that one parameter alone moves by ``delta``.
    ``stop()`` is asked before each parameter's nudge; when it says True the result is ``None``."""
    if circuit.has_loop:
        raise UserError("sensitivities need a feedforward network; this one has a loop")
    delta = float(delta)
    if not np.isfinite(delta):
        raise UserError(f"the nudge must be a finite number, not {delta}")
    x = np.asarray(x, dtype=float)
    grad = circuit.gradients(x[None, :])[0]          # (n_out, n_params)
    before = circuit.feedforward(x[None, :])[0]     # (n_out,)
    rows = []
    for i, p in enumerate(circuit.params):
        if stop is not None and stop():
            return None
        v = circuit.get_param(p)
        after = circuit.sweep(x, p, [v + delta])[0]
        rows.append(Sensitivity(p, v, grad[:, i].copy(), delta, grad[:, i] * delta, after - before))
    if output is None:
        key = [float(np.max(np.abs(r.gradient), initial=0.0)) for r in rows]
    else:
        k = output_index(circuit, output)
        key = [abs(float(r.gradient[k])) for r in rows]
    order = sorted(range(len(rows)), key=lambda i: -key[i])
    return [rows[i] for i in order]


def nudge_curve(circuit: Circuit, x, param, deltas, output=None) -> tuple[np.ndarray, np.ndarray]:
    """Predicted ΔO = ∂O/∂p·Δ and actual ΔO of one output as ``param`` moves by each of ``deltas`` (K,).
    Returns ``(predicted, actual)``, each (K,)."""
    p = resolve_param(circuit, param)
    k = output_index(circuit, output)
    x = np.asarray(x, dtype=float)
    deltas = np.asarray(deltas, dtype=float)
    g = circuit.gradients(x[None, :])[0, k, circuit.param_index[(p.kind, p.id)]]
    v = circuit.get_param(p)
    before = circuit.feedforward(x[None, :])[0, k]
    actual = circuit.sweep(x, p, v + deltas)[:, k] - before
    return g * deltas, actual


def nudge_all_curve(circuit: Circuit, x, scales, output=None, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The book's ΔO ≈ Σ ∂O/∂p·Δp with every parameter moved at once: Δp = s·u along one random direction u
    (a standard normal per parameter, from ``seed``), for each scale s of ``scales`` (K,). Returns
    ``(predicted, actual)`` ΔO of one output, each (K,); the circuit is left as it was."""
    k = output_index(circuit, output)
    x = np.asarray(x, dtype=float)
    scales = np.asarray(scales, dtype=float)
    g = circuit.gradients(x[None, :])[0, k]                      # (n_params,)
    u = np.random.default_rng(seed).standard_normal(len(g))
    start = circuit.param_vector()
    before = circuit.feedforward(x[None, :])[0, k]
    actual = np.empty(len(scales))
    try:
        for i, s in enumerate(scales):
            circuit.set_param_vector(start + s * u)
            actual[i] = circuit.feedforward(x[None, :])[0, k] - before
    finally:
        circuit.set_param_vector(start)
    return float(g @ u) * scales, actual


# ----- scale c: from perceptrons to sigmoids ---------------------------------------------------------
@dataclass
class ScaleCurve:
    """Truth-table error of the scaled sigmoid copy of a perceptron circuit against c.

    ``scales``: (K,) values of c (log spaced); ``error``: (K,) the largest |sigmoid output − perceptron
    output| over the rows; ``min_scale``: the smallest c from which on the copy works (every error < ½),
    ``None`` if none does; ``zero_rows``: (input row as tuple, neuron labels) where a perceptron's z is
    exactly 0 — there the sigmoid gives ½ at every c, so no scale can make the copy work."""

    scales: np.ndarray
    error: np.ndarray
    min_scale: float | None
    zero_rows: list
    margin: float = float("nan")

    def __repr__(self):
        return f"ScaleCurve({len(self.scales)} scales, min_scale={self.min_scale}, {len(self.zero_rows)} z=0 rows)"


#: Values of c per step of :func:`scale_curve` when it may be stopped (``stop()`` is asked between steps).
SCALE_CHUNK = 7


def scale_values(min_scale: float | None, points: int = 49) -> np.ndarray:
    """The values of c (points,) :func:`scale_curve` plots by default: log spaced around the smallest working
    c, from at most 0.1 to at least 100 (0.1 … 1000 when every c works, ``min_scale`` = 0, or none does)."""
    c = min_scale
    lo, hi = (0.1, 1000.0) if not c else (min(0.1, c / 20), max(100.0, c * 20))
    return np.logspace(np.log10(lo), np.log10(hi), points)


def scale_curve(graph: Graph, scales=None, points: int = 49, *,
                stop: Callable[[], bool] | None = None) -> ScaleCurve | None:
    """The error of :func:`~nnsim.core.logic.sigmoid_limit.to_sigmoid` copies over ``scales`` (K,) (default
    :func:`scale_values` around the smallest working c that :func:`~nnsim.core.logic.sigmoid_limit.scale_report`
    finds — the same number ``nnsim convert --min-scale`` prints). With ``stop``, the errors are computed
    :data:`SCALE_CHUNK` values of c at a time and ``stop()`` is asked before each step; when it says True
    the result is ``None``."""
    report = scale_report(graph)
    scales = scale_values(report.min_scale, points) if scales is None else np.asarray(scales, dtype=float)
    step = len(scales) if stop is None else SCALE_CHUNK
    parts = [np.zeros(0)]
    for k in range(0, len(scales), max(step, 1)):
        if stop is not None and stop():
            return None
        parts.append(sigmoid_error(graph, scales[k: k + step], rows=report.rows))
    return ScaleCurve(scales, np.concatenate(parts), report.min_scale, zero_row_names(graph, report),
                      report.margin)


def zero_row_names(graph: Graph, report) -> list[tuple[tuple[int, ...], list[str]]]:
    """For each input row of ``report`` (a ``logic.ScaleReport``) where some neuron's z is exactly 0: the
    row and the names of those neurons — where no scale c lets a sigmoid imitate the step."""
    if not report.zero_rows:
        return []
    circuit = compile_graph(graph)
    X = report.rows[report.zero_rows]
    _, z = circuit.run(X)
    return [(tuple(int(v) for v in x), [circuit.labels[circuit.neuron_ids[j]] for j in np.flatnonzero(zr == 0)])
            for x, zr in zip(X, z[:, circuit.neuron_cols])]
