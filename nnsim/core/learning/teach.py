"""Teach a canvas network its target truth table by stochastic gradient descent.

The quadratic cost of the book, ``C = 1/(2n) Σ_x |y(x) − a(x)|²`` over the truth table's n rows (the
learning package's :class:`~nnsim.core.learning.costs.QuadraticCost`), and its gradient
``∇C = 1/n Σ_x (a(x) − y(x))·∂a/∂p`` with ∂a/∂p from :meth:`Circuit.gradients` (reverse mode over the
graph, so any feedforward graph of smooth neurons can learn, not only layered ones). :func:`teach` is a
generator like the engine's ``sgd``: it yields :class:`TeachStats` every ``report_every`` epochs and checks
``stop()`` between mini-batches; it never touches the graph itself (apply ``stats.weights`` with
:func:`param_edits`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np

from nnsim.core.circuit import chips
from nnsim.core.circuit.chip_edits import InChip
from nnsim.core.circuit.compile import Circuit, Param, binary_rows, compile_graph
from nnsim.core.circuit.edits import Compound, Edit, SetNode, SetWeight
from nnsim.core.errors import UserError
from nnsim.core.learning.costs import QuadraticCost
from nnsim.core.circuit.graph import NEURON, ExpectedTable, Graph
from nnsim.core.logic.truthtable import align_expected, matches


@dataclass
class TeachStats:
    """Progress after ``epoch`` epochs: the quadratic ``cost`` over the whole table, how many rows are
    ``correct`` (every output matches its target as in ``nnsim check``: on the right side of ½ for 0/1
    targets, see :func:`~nnsim.core.logic.truthtable.matches`) out of ``total``, and all ``weights`` and biases as a
    vector (n_params,) in ``params`` order."""

    epoch: int
    cost: float
    correct: int
    total: int
    weights: np.ndarray
    params: list

    def __repr__(self):
        return f"TeachStats(epoch {self.epoch}, cost {self.cost:.5f}, {self.correct}/{self.total} rows right)"


def target_table(graph: Graph, circuit: Circuit | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(X, Y)`` from ``graph.expected``: input rows (2ⁿ, n_inputs) in the circuit's binary counting order
    and target outputs (2ⁿ, n_outputs) in the graph's output order. Columns are matched as in every
    comparison with an expected table (:func:`~nnsim.core.logic.truthtable.align_expected`)."""
    circuit = circuit if circuit is not None else compile_graph(graph)
    exp = graph.expected
    if exp is None or not exp.rows:
        raise UserError(f"{graph.name or 'this network'} has no target truth table to learn "
                        "(set one, e.g. with a gate from the logic menu)")
    labels = [circuit.labels[o] for o in circuit.output_ids]
    Y, cols = align_expected(exp, [circuit.labels[i] for i in circuit.input_ids], labels)
    untaught = [lab for k, lab in enumerate(labels) if k not in cols]
    if untaught:
        raise UserError(f"the target table has no column for the output {untaught[0]!r}: "
                        "every output needs a target to learn")
    return binary_rows(circuit.n_inputs), Y[:, np.argsort(cols)]


def check_teachable(graph: Graph) -> Circuit:
    """Compile ``graph`` and make sure gradient descent can move it; a :class:`UserError` says why not."""
    circuit = compile_graph(graph)
    if circuit.has_loop:
        raise UserError("only a feedforward network can be taught; this one has a loop")
    if not circuit.params:
        raise UserError("this network has no weights or biases to learn")
    shared = [name for name, k in chips.uses_count(graph).items() if k > 1]
    if shared:
        raise UserError(f"chip {shared[0]} is used more than once, and its instances share one set of weights; "
                        "flatten its instances to teach them separately")
    nodes = circuit.flat_graph.nodes
    flat = [nodes[n].name for n in circuit.neuron_ids if nodes[n].activation == "step"]
    if flat:
        raise UserError(f"perceptrons cannot learn by gradient descent (their output is flat, ∂a/∂w = 0): "
                        f"switch {', '.join(flat[:6])}{' …' if len(flat) > 6 else ''} to sigmoid first")
    return circuit


def randomized(graph: Graph, seed: int = 0) -> Graph:
    """A copy with every weight and bias drawn from N(0, 1) by ``np.random.default_rng(seed)``, as the
    book's ``Network`` starts."""
    rng = np.random.default_rng(seed)
    g = graph.copy()
    for part in chips.graphs(g):  # inside chip definitions too; wires into pins and outputs are plain
        for w in part.wires.values():
            if part.nodes[w.target].kind == NEURON:
                w.weight = float(rng.standard_normal())
        for n in part.neurons():
            n.bias = float(rng.standard_normal())
    return g


def teach(graph: Graph, eta: float = 4.0, epochs: int = 2000, *, mini_batch_size: int | None = None,
          seed: int = 0, stop: Callable[[], bool] | None = None, report_every: int = 1) -> Iterator[TeachStats]:
    """Gradient descent of ``graph``'s weights and biases on its target table (see :func:`target_table`).

    Each epoch shuffles the rows (``np.random.default_rng(seed)``) and takes one step per mini-batch of
    ``mini_batch_size`` rows (``None``: the whole table, one step per epoch). Yields :class:`TeachStats`
    before the first epoch (epoch 0), every ``report_every`` epochs and after the last; ``stop()`` is checked
    between mini-batches and ends the run after a final report. The graph is never changed."""
    eta = float(eta)
    if not (np.isfinite(eta) and eta > 0):
        raise UserError(f"the learning rate η must be a positive number, not {eta}")
    if int(epochs) < 0:
        raise UserError(f"the number of epochs must be ≥ 0, not {epochs}")
    circuit = check_teachable(graph)
    X, Y = target_table(graph, circuit)
    n = len(X)
    m = n if mini_batch_size is None else max(1, min(int(mini_batch_size), n))
    rng = np.random.default_rng(seed)
    weights = circuit.param_vector()

    def report(epoch: int) -> TeachStats:
        a = circuit.feedforward(X)
        correct = int(np.count_nonzero(np.all(matches(a, Y), axis=1)))
        cost = float(np.mean(QuadraticCost.fn(a, Y)))
        return TeachStats(epoch, cost, correct, n, weights.copy(), list(circuit.params))

    yield report(0)
    for epoch in range(1, int(epochs) + 1):
        order = rng.permutation(n)
        stopped = False
        for k in range(0, n, m):
            if stop is not None and stop():
                stopped = True
                break
            batch = order[k: k + m]
            grad = circuit.gradients(X[batch])                     # (m, n_out, n_params)
            a = circuit.feedforward(X[batch])                       # (m, n_out)
            # the quadratic cost's ∂C_x/∂a = a − y, chained through ∂a/∂p
            nabla = np.einsum("bk,bkp->p", a - Y[batch], grad) / len(batch)
            weights -= eta * nabla
            circuit.set_param_vector(weights)
        if stopped:
            yield report(epoch - 1 if k == 0 else epoch)
            return
        if epoch % max(1, int(report_every)) == 0 or epoch == int(epochs):
            yield report(epoch)


def param_edits(graph: Graph, params: list[Param], values) -> Edit:
    """One undoable edit that sets each parameter of ``params`` to its value in ``values`` (n_params,)."""
    edits: list[Edit] = []
    for p, v in zip(params, values):
        v = float(v)
        try:  # a parameter inside a chip (path id fa3/w1) is set in its definition
            part, chip, local = chips.locate(graph, p.id)
        except KeyError:
            continue
        edit = None
        if p.kind == "w":
            if local in part.wires and part.wires[local].weight != v:
                edit = SetWeight(local, v)
        elif local in part.nodes and part.nodes[local].bias != v:
            edit = SetNode(local, {"bias": v})
        if edit is not None:
            edits.append(InChip(chip, edit) if chip else edit)
    return Compound(edits, "teach")


def xor_network(seed: int = 0) -> Graph:
    """A 2-2-1 sigmoid network with XOR as its target table and N(0, 1) weights from ``seed``."""
    g = Graph("xor 2-2-1")
    g.add_input("x1", x=0, y=0, id="x1")
    g.add_input("x2", x=0, y=160, id="x2")
    g.add_neuron("h1", "sigmoid", x=200, y=0, id="h1")
    g.add_neuron("h2", "sigmoid", x=200, y=160, id="h2")
    g.add_neuron("out", "sigmoid", x=400, y=80, id="out")
    for s in ("x1", "x2"):
        for t in ("h1", "h2"):
            g.connect(s, t, 0.0, id=f"w_{s}_{t}")
    g.connect("h1", "out", 0.0, id="w_h1_out")
    g.connect("h2", "out", 0.0, id="w_h2_out")
    g.expected = ExpectedTable(["x1", "x2"], ["out"], [[0.0], [1.0], [1.0], [0.0]])
    return randomized(g, seed)
