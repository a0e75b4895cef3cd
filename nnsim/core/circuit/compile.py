"""Compile a :class:`~nnsim.core.circuit.graph.Graph` into a runnable :class:`Circuit`.

A feedforward graph is levelised once: level 0 holds the inputs and each neuron sits one level above its
highest source. Evaluating a batch of input rows is then one small matrix product per level::

    a[:, cols_L] = f(a[:, sources_L] @ W_L + b_L)        # a: (batch, n_inputs + n_neurons)

so all 2ⁿ rows of a truth table go through in one pass. A graph with a loop runs in discrete time steps
instead: every neuron reads its sources' outputs from the previous step (``a_t = f(a_{t-1} @ W + b)``), and
:meth:`Circuit.settle` reports when the state stopped changing or that it oscillates.

Gradients ∂O/∂p of every output with respect to every weight and bias come from reverse mode over the same
levels (:meth:`Circuit.gradients`). Weight and bias changes are patched into the compiled arrays in place
(:meth:`Circuit.set_param`); :class:`LiveCircuit` does that for you by following a graph's events.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

import numpy as np

from nnsim.core import activations
from nnsim.core.circuit import chips
from nnsim.core.circuit.graph import NEURON, OUTPUT, Graph
from nnsim.core.circuit.order import levels, topological_order

#: Largest number of inputs for which a whole truth table is built (2**20 rows).
MAX_TABLE_INPUTS = 20

#: Rows evaluated together by :meth:`Circuit.feedforward` (keeps the working set in cache).
CHUNK = 1024


@functools.lru_cache(maxsize=8)
def binary_rows(n_inputs: int) -> np.ndarray:
    """All 2ⁿ input rows in binary counting order, first column most significant. Shape (2ⁿ, n).

    Cached and read-only: truth tables are rebuilt after every edit."""
    if n_inputs > MAX_TABLE_INPUTS:
        raise ValueError(f"a truth table of {n_inputs} inputs has 2^{n_inputs} rows; at most {MAX_TABLE_INPUTS} inputs")
    counts = np.arange(2 ** n_inputs, dtype=np.int64)
    shifts = np.arange(n_inputs - 1, -1, -1, dtype=np.int64)
    rows = ((counts[:, None] >> shifts[None, :]) & 1).astype(float)
    rows.flags.writeable = False
    return rows


@dataclass(frozen=True)
class Param:
    """A trainable parameter: ``kind`` "w" (a wire's weight) or "b" (a neuron's bias); ``id`` is the wire or
    neuron id; ``name`` reads ``w:SRC:DST`` or ``b:NODE`` with node labels (ids where labels clash)."""

    kind: str
    id: str
    name: str


@dataclass
class _Block:
    """Neurons evaluated together: ``A[cols] = f(W @ A[src] + b)`` on node-major state ``A`` (n_nodes, batch).

    ``W`` is (k, m) — (n_out, n_in) as in the book — for the block's k neurons and m distinct sources.
    ``w_params``/``w_j``/``w_r`` list each wire's parameter index and its entry ``W[j, r]``;
    ``b_params`` each neuron's bias index (in neuron order j).
    """

    cols: slice           # the k state rows written (contiguous)
    src: np.ndarray       # (m,) state rows read
    W: np.ndarray         # (k, m)
    b: np.ndarray         # (k,)
    groups: list          # [(Activation, slice of local rows)]
    w_params: np.ndarray
    w_j: np.ndarray
    w_r: np.ndarray
    b_params: np.ndarray


@dataclass
class SettleResult:
    """The outcome of running a looped circuit in time steps, per input row.

    ``a``: final state (batch, n_nodes); ``steps``: (batch,) the step at which the state stopped changing
    (-1 where it never did); ``period``: (batch,) the oscillation period (0 where it settled, -1 if no
    repeat was found within ``max_steps``); ``oscillating``: (batch,) bool.
    """

    a: np.ndarray
    steps: np.ndarray
    period: np.ndarray

    @property
    def oscillating(self) -> np.ndarray:
        return self.steps < 0


class Circuit:
    """A graph compiled for evaluation. Build with ``Circuit(graph)``; it does not follow later edits of
    the graph's structure (use :class:`LiveCircuit` for that).

    State vectors ``a`` have one column per input (in document order) then one per neuron in evaluation
    order: ``self.columns`` lists the node ids and ``self.col[node_id]`` gives a node's column;
    ``self.input_cols``, ``self.neuron_cols`` (document order) and ``self.output_cols`` index into them.
    An output node has no column of its own: ``self.col`` maps it to the column of the signal it reads.

    A graph with chip instances is flattened first (:func:`~nnsim.core.circuit.chips.flatten`): ids inside an
    instance are paths (``fa3/n1``), and so are the parameters' ids and names.
    """

    def __init__(self, graph: Graph):
        source = graph
        self.pins: dict = {}   # (instance path, pin) -> flat node id or constant; see chips.pin_signals
        # parameters of the document whose flat value is not simply theirs (a tied pin folded into a bias,
        # two wires merged into one): LiveCircuit recompiles instead of patching them
        self.unpatchable: set[tuple[str, str]] = set()
        if chips.uses(graph):
            graph, self.pins = chips.flatten_with_pins(graph)
            self.unpatchable = {("w", w.id) for w in source.wires.values() if source.nodes[w.target].kind == NEURON
                                and (w.id not in graph.wires or graph.wires[w.id].weight != w.weight)}
            self.unpatchable |= {("b", n.id) for n in source.neurons() if graph.nodes[n.id].bias != n.bias}
        graph = chips.close_open_outputs(graph)
        self.flat_graph = graph
        order = topological_order(graph)
        self.has_loop = order is None
        if self.has_loop:
            self.depth = None
            blocks = [[n.id for n in graph.neurons()]]
        else:
            level = levels(graph, ignore=set())
            self.depth = max((level[n] for n in order), default=0)
            blocks = [[] for _ in range(self.depth)]
            for nid in order:
                blocks[level[nid] - 1].append(nid)
        # Within a block, neurons with the same activation sit side by side, so each group is a slice.
        blocks = [sorted(ids, key=lambda nid: graph.nodes[nid].activation) for ids in blocks if ids]

        self.input_ids = [n.id for n in graph.inputs()]
        self.neuron_ids = [n.id for n in graph.neurons()]
        self.output_ids = [n.id for n in graph.outputs()]
        self.columns = self.input_ids + [nid for ids in blocks for nid in ids]
        self.col = {nid: i for i, nid in enumerate(self.columns)}
        self.labels = {nid: graph.nodes[nid].name for nid in self.columns}
        reads = {w.target: w.source for w in graph.wires.values() if graph.nodes[w.target].kind == OUTPUT}
        for nid in self.output_ids:
            if nid in reads:  # an output node: an alias of the column it reads
                self.col[nid] = self.col[reads[nid]]
                self.labels[nid] = graph.nodes[nid].name
        self.n_inputs = len(self.input_ids)
        self.input_cols = np.arange(self.n_inputs)
        self.neuron_cols = np.array([self.col[n] for n in self.neuron_ids], dtype=int)
        self.output_cols = np.array([self.col[o] for o in self.output_ids], dtype=int)
        self.sigmoid_base = graph.sigmoid_base
        self.structure_revision = source.structure_revision
        self.activation_of = {n.id: activations.get(n.activation) for n in graph.neurons()}
        for nid, src in reads.items():  # an output node shows its signal as that signal's neuron would
            self.activation_of[nid] = self.activation_of.get(src, activations.get("step"))
        self.input_values = np.array([n.value for n in graph.inputs()], dtype=float)
        self.wire_ends = {w.id: (w.source, w.target) for w in graph.wires.values()
                          if graph.nodes[w.target].kind == NEURON}

        self.params = self._name_params(graph)
        self.param_index = {(p.kind, p.id): i for i, p in enumerate(self.params)}
        self._slot: dict[tuple[str, str], tuple[np.ndarray, tuple]] = {}
        into: dict[str, list] = {}
        for w in graph.wires.values():
            into.setdefault(w.target, []).append(w)
        self.blocks = [self._build_block(graph, ids, into) for ids in blocks]

    def __repr__(self):
        kind = "looped" if self.has_loop else f"depth {self.depth}"
        return (f"Circuit({self.n_inputs} inputs, {len(self.neuron_ids)} neurons, "
                f"{len(self.output_ids)} outputs, {kind})")

    # ----- building --------------------------------------------------------------------------------
    def _build_block(self, graph: Graph, ids: list[str], into: dict[str, list]) -> _Block:
        local = {nid: j for j, nid in enumerate(ids)}
        wires = [w for nid in ids for w in into.get(nid, ())]
        src_rows = sorted({self.col[w.source] for w in wires})
        src_local = {self.columns[row]: r for r, row in enumerate(src_rows)}
        W = np.zeros((len(ids), len(src_rows)))
        b = np.array([graph.nodes[nid].bias for nid in ids], dtype=float)
        w_params, w_j, w_r = [], [], []
        for w in wires:
            jr = (local[w.target], src_local[w.source])
            W[jr] = w.weight
            self._slot[("w", w.id)] = (W, jr)
            w_params.append(self.param_index[("w", w.id)])
            w_j.append(jr[0])
            w_r.append(jr[1])
        for nid, j in local.items():
            self._slot[("b", nid)] = (b, (j,))
        by_act: dict[str, list[int]] = {}
        for nid, j in local.items():
            by_act.setdefault(graph.nodes[nid].activation, []).append(j)
        groups = [(activations.get(name), slice(js[0], js[-1] + 1)) for name, js in by_act.items()]
        ints = lambda xs: np.array(xs, dtype=int)  # noqa: E731
        first = self.col[ids[0]]
        return _Block(slice(first, first + len(ids)), ints(src_rows), W, b, groups,
                      ints(w_params), ints(w_j), ints(w_r), ints([self.param_index[("b", n)] for n in ids]))

    def _name_params(self, graph: Graph) -> list[Param]:
        counts = Counter(n.label for n in graph.nodes.values() if n.label)
        ids = set(graph.nodes)

        def name(nid):
            lab = graph.nodes[nid].label
            clear = lab and counts[lab] == 1 and (lab == nid or lab not in ids)
            return lab if clear else nid

        params = [Param("w", w.id, f"w:{name(w.source)}:{name(w.target)}") for w in graph.wires.values()
                  if graph.nodes[w.target].kind == NEURON]
        params += [Param("b", n.id, f"b:{name(n.id)}") for n in graph.neurons()]
        return params

    # ----- parameters ------------------------------------------------------------------------------
    def param(self, name: str) -> Param:
        """The parameter called ``name``: ``w:SRC:DST`` or ``b:NODE`` by label or id (the spelling a shell
        takes unquoted), or the older ``w:SRC->DST``."""
        for p in self.params:
            if p.name == name:
                return p
        kind, _, rest = name.partition(":")
        if kind == "b" and ("b", rest) in self.param_index:
            return self.params[self.param_index[("b", rest)]]
        if kind == "w":
            # every way to cut ``rest`` into SRC and DST (a label may itself hold ':' or '/')
            cuts = [rest.partition("->")[::2]] if "->" in rest else []
            cuts += [(rest[:i], rest[i + 1:]) for i, ch in enumerate(rest) if ch == ":"]
            for src, dst in cuts:
                for p in self.params:
                    if p.kind == "w":
                        w_src, w_dst = self.wire_ends[p.id]
                        if src in (self.labels.get(w_src), w_src) and dst in (self.labels.get(w_dst), w_dst):
                            return p
        raise KeyError(f"no parameter {name!r} (they look like w:SRC:DST or b:NODE)")

    def get_param(self, p: Param) -> float:
        arr, idx = self._slot[(p.kind, p.id)]
        return float(arr[idx])

    def set_param(self, p: Param, value: float) -> None:
        """Patch one weight or bias in place (no recompilation)."""
        arr, idx = self._slot[(p.kind, p.id)]
        arr[idx] = value

    def param_vector(self) -> np.ndarray:
        """All parameters in ``self.params`` order. Shape (n_params,)."""
        return np.array([self.get_param(p) for p in self.params])

    def set_param_vector(self, values) -> None:
        for p, v in zip(self.params, values):
            self.set_param(p, float(v))

    # ----- evaluation ------------------------------------------------------------------------------
    def _rows(self, X) -> np.ndarray:
        X = np.atleast_2d(np.asarray(X, dtype=float))
        if X.shape[1] != self.n_inputs:
            raise ValueError(f"{self.n_inputs} input values per row expected, got {X.shape[1]}")
        return X

    def _activate(self, block: _Block, z: np.ndarray) -> np.ndarray:
        """f(z) for a block's weighted inputs ``z`` (k, batch), each neuron with its own activation."""
        if len(block.groups) == 1:
            return block.groups[0][0](z, self.sigmoid_base)
        out = np.empty_like(z)
        for act, js in block.groups:
            out[js] = act(z[js], self.sigmoid_base)
        return out

    def _activate_prime(self, block: _Block, z: np.ndarray) -> np.ndarray:
        out = np.empty_like(z)
        for act, js in block.groups:
            out[js] = act.prime(z[js], self.sigmoid_base)
        return out

    def _forward(self, X: np.ndarray, keep_z: bool = False):
        """Node-major forward pass: ``A`` (n_nodes, batch) and, with ``keep_z``, ``Z`` (n_nodes, batch)."""
        A = np.empty((len(self.columns), X.shape[0]))
        A[: self.n_inputs] = X.T
        Z = np.zeros_like(A) if keep_z else None
        for block in self.blocks:
            zb = block.W @ A[block.src]
            zb += block.b[:, None]
            if keep_z:
                Z[block.cols] = zb
            rows = A[block.cols]
            for act, js in block.groups:
                self._activate_into(act, zb[js], rows[js])
        return A, Z

    def _activate_into(self, act, z: np.ndarray, out: np.ndarray) -> None:
        """``out[...] = act(z)``, written straight into ``out`` for the two common cases (no temporary array)."""
        if act.name == "step":
            np.greater(z, 0.0, out=out)
        elif act.name == "sigmoid":
            activations.sigmoid(z, self.sigmoid_base, out=out)
        else:
            out[...] = act(z, self.sigmoid_base)

    def run(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Evaluate every node. ``X``: (batch, n_inputs). Returns ``(a, z)``: every node's output and every
        neuron's weighted input z = w·x + b, each (batch, n_inputs + n_neurons) in ``self.columns`` order
        (the input columns of z are 0). A looped circuit is settled in time steps instead (see
        :meth:`settle`)."""
        X = self._rows(X)
        if self.has_loop:
            res = self.settle(X)
            return res.a, self._z_of(res.a)
        A, Z = self._forward(X, keep_z=True)
        return A.T, Z.T

    def feedforward(self, X) -> np.ndarray:
        """Output values for each input row. ``X``: (batch, n_inputs) → (batch, n_outputs).

        Rows go through in chunks of ``CHUNK`` so a 65,536-row table stays in cache."""
        X = self._rows(X)
        if self.has_loop:
            return self.run(X)[0][:, self.output_cols]
        out = np.empty((X.shape[0], len(self.output_cols)))
        for start in range(0, X.shape[0], CHUNK):
            A, _ = self._forward(X[start: start + CHUNK])
            out[start: start + CHUNK] = A[self.output_cols].T
        return out

    def evaluate_current(self) -> tuple[np.ndarray, np.ndarray]:
        """``(a, z)`` for the inputs' current values, each shape (n_nodes,)."""
        a, z = self.run(self.input_values[None, :])
        return a[0], z[0]

    def truth_table(self) -> tuple[np.ndarray, np.ndarray]:
        """``(X, O)``: all 2ⁿ input rows (binary counting, first input most significant) and the outputs."""
        X = binary_rows(self.n_inputs)
        return X, self.feedforward(X)

    def sweep(self, X, p: Param, values) -> np.ndarray:
        """Outputs as parameter ``p`` takes each of ``values`` (K,), for one input row ``X`` (n_inputs,):
        one vectorised pass for a feedforward circuit. Returns (K, n_outputs)."""
        return self.sweep_states(X, p, values)[0][:, self.output_cols]

    def sweep_states(self, X, p: Param, values) -> tuple[np.ndarray, np.ndarray]:
        """Every node's output ``a`` and weighted input ``z`` as parameter ``p`` takes each of ``values``.

        ``X``: one input row (n_inputs,); ``values``: (K,). Returns ``(a, z)``, each (K, n_nodes) in
        ``self.columns`` order. One vectorised pass for a feedforward circuit (a looped one is settled value
        by value). The circuit is left as it was."""
        values = np.asarray(values, dtype=float)
        x = self._rows(X)[0]
        arr, idx = self._slot[(p.kind, p.id)]
        old = arr[idx]
        if self.has_loop:
            a_all, z_all = [], []
            try:
                for v in values:
                    arr[idx] = v
                    a, z = self.run(x[None, :])
                    a_all.append(a[0])
                    z_all.append(z[0])
            finally:
                arr[idx] = old
            shape = (len(values), len(self.columns))
            return np.array(a_all).reshape(shape), np.array(z_all).reshape(shape)
        A = np.empty((len(self.columns), len(values)))
        A[: self.n_inputs] = x[:, None]
        Z = np.zeros_like(A)
        for block in self.blocks:
            zb = block.W @ A[block.src] + block.b[:, None]
            if arr is block.W:
                j, r = idx
                zb[j] += (values - old) * A[block.src[r]]
            elif arr is block.b:
                zb[idx[0]] += values - old
            Z[block.cols] = zb
            A[block.cols] = self._activate(block, zb)
        return A.T, Z.T

    # ----- time steps (looped circuits) ------------------------------------------------------------
    def _z_of(self, a_prev: np.ndarray) -> np.ndarray:
        At = np.atleast_2d(a_prev).T
        Z = np.zeros_like(At)
        for block in self.blocks:
            Z[block.cols] = block.W @ At[block.src] + block.b[:, None]
        return Z.T

    def step(self, a_prev: np.ndarray) -> np.ndarray:
        """One time step: every neuron reads its sources' previous outputs. ``a_prev``: (batch, n_nodes),
        whose input columns hold the inputs. Returns the next state, same shape."""
        prev = np.atleast_2d(a_prev).T
        nxt = prev.copy()
        for block in self.blocks:
            nxt[block.cols] = self._activate(block, block.W @ prev[block.src] + block.b[:, None])
        return nxt.T

    def initial_state(self, X, neurons=None) -> np.ndarray:
        """State (batch, n_nodes) with the inputs ``X`` and the neurons at ``neurons`` (default 0)."""
        X = self._rows(X)
        a = np.zeros((X.shape[0], len(self.columns)))
        a[:, : self.n_inputs] = X
        if neurons is not None:
            a[:, self.n_inputs:] = neurons
        return a

    def settle(self, X=None, *, state=None, max_steps: int | None = None, tol: float = 1e-9) -> SettleResult:
        """Run time steps from ``state`` (or all neurons 0 with inputs ``X``) until nothing changes.

        Works for any circuit; a feedforward one settles within ``depth`` steps. ``max_steps`` defaults to
        ``2 * n_neurons + 8``. Rows that never stop changing get ``steps = -1`` and their period."""
        a = self.initial_state(X) if state is None else np.array(np.atleast_2d(state), dtype=float)
        if state is not None and X is not None:
            a[:, : self.n_inputs] = self._rows(X)
        max_steps = 2 * len(self.neuron_ids) + 8 if max_steps is None else max_steps
        batch = a.shape[0]
        steps = np.full(batch, -1)
        history = [a]
        for t in range(1, max_steps + 1):
            nxt = self.step(history[-1])
            still = np.all(np.abs(nxt - history[-1]) <= tol, axis=1) & (steps < 0)
            steps[still] = t - 1
            history.append(nxt)
            if np.all(steps >= 0):
                break
        final = history[-1]
        period = np.zeros(batch, dtype=int)
        for r in np.flatnonzero(steps < 0):
            period[r] = -1
            for p in range(1, len(history) - 1):
                if np.all(np.abs(history[-1][r] - history[-1 - p][r]) <= tol):
                    period[r] = p
                    break
        return SettleResult(final, steps, period)

    # ----- gradients -------------------------------------------------------------------------------
    def gradients(self, X) -> np.ndarray:
        """∂O_k/∂p for each input row, output k and parameter p (``self.params`` order), by reverse mode.

        ``X``: (batch, n_inputs) → (batch, n_outputs, n_params). Perceptron (step) neurons have zero
        derivative, so gradients flow only through smooth neurons. Feedforward circuits only.
        """
        if self.has_loop:
            raise ValueError("gradients need a feedforward graph; this one has a loop")
        X = self._rows(X)
        A, Z = self._forward(X, keep_z=True)
        batch, n_out = X.shape[0], len(self.output_ids)
        dA = np.zeros((len(self.columns), n_out, batch))      # ∂O_k/∂a_node
        dA[self.output_cols, np.arange(n_out), :] = 1.0
        grad = np.zeros((len(self.params), n_out, batch))
        for block in reversed(self.blocks):
            delta = dA[block.cols] * self._activate_prime(block, Z[block.cols])[:, None, :]   # (k, n_out, batch)
            grad[block.b_params] = delta
            grad[block.w_params] = A[block.src[block.w_r]][:, None, :] * delta[block.w_j]
            dA[block.src] += np.tensordot(block.W.T, delta, axes=1)
        return grad.transpose(2, 1, 0)

    def predict_change(self, X, deltas: dict) -> tuple[np.ndarray, np.ndarray]:
        """The book's ΔO ≈ Σ ∂O/∂p·Δp next to the true ΔO, for a change ``deltas = {Param or name: Δ}``.

        Returns ``(predicted, actual)``, each (batch, n_outputs). The circuit is left as it was."""
        X = self._rows(X)
        changes = [(p if isinstance(p, Param) else self.param(p), float(d)) for p, d in deltas.items()]
        grad = self.gradients(X)
        dp = np.zeros(len(self.params))
        for p, d in changes:
            dp[self.param_index[(p.kind, p.id)]] += d
        predicted = grad @ dp
        before = self.feedforward(X)
        old = [(p, self.get_param(p)) for p, _ in changes]
        try:
            for p, d in changes:
                self.set_param(p, self.get_param(p) + d)
            after = self.feedforward(X)
        finally:
            for p, v in reversed(old):
                self.set_param(p, v)
        return predicted, after - before


class LiveCircuit:
    """A :class:`Circuit` that follows a graph: it recompiles after structural edits and patches weights,
    biases and input values in place otherwise. Read ``live.circuit`` whenever you need it."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self._circuit: Circuit | None = None
        graph.wire_changed.connect(self._on_wire_changed)
        graph.node_changed.connect(self._on_node_changed)

    @property
    def circuit(self) -> Circuit:
        if self._circuit is None or self._circuit.structure_revision != self.graph.structure_revision:
            self._circuit = compile_graph(self.graph)
        return self._circuit

    def _on_wire_changed(self, wire_id: str, field: str) -> None:
        c = self._circuit
        if c is not None and ("w", wire_id) in c.unpatchable:
            self._circuit = None
        elif c is not None and c.structure_revision == self.graph.structure_revision and ("w", wire_id) in c.param_index:
            c.set_param(c.params[c.param_index[("w", wire_id)]], self.graph.wires[wire_id].weight)

    def _on_node_changed(self, node_id: str, field: str) -> None:
        c = self._circuit
        if c is None or c.structure_revision != self.graph.structure_revision:
            return
        if field == "bias" and ("b", node_id) in c.unpatchable:
            self._circuit = None
        elif field == "bias" and ("b", node_id) in c.param_index:
            c.set_param(c.params[c.param_index[("b", node_id)]], self.graph.nodes[node_id].bias)
        elif field == "value" and node_id in c.col and c.col[node_id] < c.n_inputs:
            c.input_values[c.col[node_id]] = self.graph.nodes[node_id].value


def compile_graph(graph: Graph) -> Circuit:
    """Compile ``graph`` (see :class:`Circuit`)."""
    return Circuit(graph)
