"""Truth tables: named inputs and outputs, one row of outputs per input combination.

Rows come in binary counting order of the inputs, the first input being the most significant bit — the
same order as :func:`nnsim.core.circuit.compile.binary_rows` and ``nnsim table``. So ``rows[i]`` holds the outputs
for the inputs spelled by ``i`` in binary: with inputs ``a, b``, row 2 is ``a=1, b=0``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnsim.core.circuit.compile import MAX_TABLE_INPUTS, Circuit, binary_rows, compile_graph
from nnsim.core.circuit.graph import ExpectedTable, Graph
from nnsim.core.errors import UserError


@dataclass
class TruthTable:
    """``inputs`` (n names), ``outputs`` (k names), ``rows``: array (2ⁿ, k) of outputs.

    Tables from files and expressions hold 0/1 integers; tables read off a circuit hold floats (exactly
    0.0/1.0 for perceptron outputs, anything for sigmoid outputs)."""

    inputs: list[str]
    outputs: list[str]
    rows: np.ndarray

    def __post_init__(self):
        self.inputs = list(self.inputs)
        self.outputs = list(self.outputs)
        self.rows = np.asarray(self.rows)
        if self.rows.ndim == 1:
            self.rows = self.rows.reshape(-1, 1)
        if self.rows.shape != (2 ** len(self.inputs), len(self.outputs)):
            raise ValueError(f"a table of {len(self.inputs)} inputs and {len(self.outputs)} outputs needs rows of "
                             f"shape ({2 ** len(self.inputs)}, {len(self.outputs)}), not {self.rows.shape}")

    def __repr__(self):
        return f"TruthTable(inputs={self.inputs}, outputs={self.outputs}, {len(self.rows)} rows)"

    def __eq__(self, other):
        if not isinstance(other, TruthTable):
            return NotImplemented
        return (self.inputs == other.inputs and self.outputs == other.outputs
                and np.array_equal(self.rows, other.rows))

    @property
    def n_inputs(self) -> int:
        return len(self.inputs)

    @property
    def n_outputs(self) -> int:
        return len(self.outputs)

    def input_rows(self) -> np.ndarray:
        """All input combinations, shape (2ⁿ, n), 0/1 floats, in row order."""
        return binary_rows(self.n_inputs)

    def is_binary(self) -> bool:
        """Whether every output is exactly 0 or 1."""
        return bool(np.all((self.rows == 0) | (self.rows == 1)))

    def column(self, output: str | int) -> np.ndarray:
        """One output's values (2ⁿ,), by name or index."""
        k = self.outputs.index(output) if isinstance(output, str) else output
        return self.rows[:, k]

    def ones(self, output: str | int) -> list[int]:
        """Row indices (minterms) where an output is 1."""
        return np.flatnonzero(self.column(output) == 1).tolist()

    def to_expected(self) -> ExpectedTable:
        """The graph's ``expected`` form (plain lists, for files)."""
        return ExpectedTable(list(self.inputs), list(self.outputs),
                             [[float(v) for v in row] for row in self.rows])

    @classmethod
    def from_expected(cls, expected: ExpectedTable) -> "TruthTable":
        return cls(expected.inputs, expected.outputs, np.array(expected.rows, dtype=float).reshape(
            2 ** len(expected.inputs), len(expected.outputs)))

    @classmethod
    def from_function(cls, inputs: list[str], outputs: list[str], fn) -> "TruthTable":
        """Build a table from ``fn(X) -> (2ⁿ, k)`` applied to the 0/1 integer input rows ``X`` (2ⁿ, n)."""
        X = binary_rows(len(inputs)).astype(np.int64)
        rows = np.asarray(fn(X)).astype(np.int64).reshape(len(X), len(outputs))
        return cls(inputs, outputs, rows)


# ----- truth tables -----------------------------------------------------------------------------------
def feedforward_circuit(graph: Graph) -> Circuit:
    circuit = compile_graph(graph)
    if circuit.has_loop:
        raise UserError("this network has a loop: its outputs depend on its state, so it has no truth table "
                        "(run it in time steps)")
    if not circuit.output_ids:
        raise UserError("the network has no output neurons")
    return circuit


def truth_table(graph: Graph) -> TruthTable:
    """All 2ⁿ rows of a feedforward graph in one vectorised pass (at most 20 inputs)."""
    circuit = feedforward_circuit(graph)
    if circuit.n_inputs > MAX_TABLE_INPUTS:
        raise UserError(f"{circuit.n_inputs} inputs make 2^{circuit.n_inputs} rows; "
                        f"truth tables stop at {MAX_TABLE_INPUTS} inputs")
    _, O = circuit.truth_table()
    return TruthTable([circuit.labels[i] for i in circuit.input_ids],
                      [circuit.labels[o] for o in circuit.output_ids], O)


@dataclass(frozen=True)
class Mismatch:
    """A row where a circuit and its expected table differ: ``row`` index (the circuit's input order),
    the input values, and the expected and actual outputs (in the expected table's output order)."""

    row: int
    inputs: tuple[int, ...]
    expected: tuple[float, ...]
    actual: tuple[float, ...]


def compare(graph: Graph, expected, atol: float = 1e-6) -> list[Mismatch]:
    """The rows where ``graph`` does not compute ``expected`` (a :class:`TruthTable` or the graph's
    ``ExpectedTable``). Columns are matched by name, so the table may list inputs and outputs in any
    order; the table may name only some of the outputs."""
    if not isinstance(expected, TruthTable):
        expected = TruthTable.from_expected(expected)
    actual = truth_table(graph)
    if sorted(expected.inputs) != sorted(actual.inputs):
        raise UserError(f"the table's inputs ({', '.join(expected.inputs)}) are not the circuit's "
                        f"({', '.join(actual.inputs)})")
    missing = [o for o in expected.outputs if o not in actual.outputs]
    if missing:
        raise UserError(f"the circuit has no output {missing[0]!r} (its outputs: {', '.join(actual.outputs)})")
    X = actual.input_rows().astype(np.int64)
    perm = [actual.inputs.index(name) for name in expected.inputs]
    rows_in_expected = X[:, perm] @ (1 << np.arange(len(perm) - 1, -1, -1, dtype=np.int64))
    want = np.asarray(expected.rows, dtype=float)[rows_in_expected]
    got = actual.rows[:, [actual.outputs.index(o) for o in expected.outputs]]
    bad = np.flatnonzero(~np.all(np.isclose(got, want, rtol=0, atol=atol), axis=1))
    return [Mismatch(int(r), tuple(int(v) for v in X[r]), tuple(float(v) for v in want[r]),
                     tuple(float(v) for v in got[r])) for r in bad]


# ----- running in time steps (the latch) --------------------------------------------------------------
@dataclass
class SequenceRun:
    """Outputs after each input row of a sequence: ``outputs`` (T, k), ``steps`` (T,) to settle (−1 when
    the row oscillates), ``periods`` (T,), and the final ``state`` (n_inputs + n_neurons,)."""

    outputs: np.ndarray
    steps: np.ndarray
    periods: np.ndarray
    state: np.ndarray
    output_names: list[str] = field(default_factory=list)


def run_sequence(graph: Graph, rows, state=None, max_steps: int | None = None) -> SequenceRun:
    """Apply input rows one after another, each time running time steps from the previous state until the
    circuit settles (:meth:`Circuit.settle`). ``rows``: (T, n_inputs); ``state`` defaults to all zeros."""
    circuit = compile_graph(graph)
    rows = np.atleast_2d(np.asarray(rows, dtype=float))
    a = circuit.initial_state(rows[:1]) if state is None else np.atleast_2d(np.asarray(state, dtype=float))
    outs, steps, periods = [], [], []
    for row in rows:
        res = circuit.settle(row[None, :], state=a, max_steps=max_steps)
        a = res.a
        outs.append(a[0, circuit.output_cols])
        steps.append(int(res.steps[0]))
        periods.append(int(res.period[0]))
    return SequenceRun(np.array(outs), np.array(steps), np.array(periods), a[0],
                       [circuit.labels[o] for o in circuit.output_ids])
