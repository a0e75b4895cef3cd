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


# ----- the one comparison with an expected table ------------------------------------------------------
#: How far a real-valued output may lie from its expected value: tables written to CSV keep six decimals
#: (:mod:`nnsim.io.tables`), so a table written out and read back still matches, and a difference in the
#: fifth decimal does not.
TOLERANCE = 1e-5


def bit_columns(expected_rows) -> np.ndarray:
    """(k,) bools for expected rows (m, k): the columns whose expected values are all 0 or 1."""
    E = np.asarray(expected_rows, dtype=float)
    return np.all((E == 0) | (E == 1), axis=0)


def matches(actual, expected, atol: float = TOLERANCE) -> np.ndarray:
    """Whether each output matches its expected value: (m, k) bools for ``actual`` and ``expected`` (m, k).

    This is the one rule, used by ``nnsim check``, the truth-table panel, teaching and lessons:

    - an output whose expected column holds only 0s and 1s is a bit. An output matches its expected bit
      when it lies on the same side of ½, |O − e| < ½: the book's reading of a sigmoid neuron's output, and
      the test :func:`~nnsim.core.logic.sigmoid_limit.scale_report` uses for "the sigmoid copy works". A
      perceptron's output is exactly 0 or 1, so for perceptrons this is equality; an output of exactly ½
      (a sigmoid neuron with z = 0) matches neither bit.
    - any other column holds real values, which match within ``atol``: |O − e| ≤ atol.

    Whole columns decide, not single values: a real-valued column that happens to contain a 0 or a 1 is
    still compared within ``atol`` in every row."""
    O = np.asarray(actual, dtype=float)
    E = np.asarray(expected, dtype=float)
    err = np.abs(O - E)
    return np.where(bit_columns(E), err < 0.5, err <= atol)


def format_value(v: float) -> str:
    """An output as people read it: 0 and 1 as bits, anything else to six significant digits, or more
    when six would put it on the other side of ½ or on ½ itself (0.4999999997 must not read 0.5)."""
    v = float(v)
    if v in (0.0, 1.0):
        return str(int(v))
    for digits in (6, 10, 17):
        text = f"{v:.{digits}g}"
        if (float(text) < 0.5) == (v < 0.5) and (float(text) == 0.5) == (v == 0.5):
            break
    return text


@dataclass(frozen=True)
class RowVerdict:
    """One row of a comparison: ``row`` index (the circuit's row order), the ``inputs`` values (the
    circuit's input order), the ``expected`` and ``actual`` outputs (the expected table's output order),
    whether the row is ``ok``, and the names, so that ``str(verdict)`` reads
    ``row a=1, b=0: expected 1, got 0``."""

    row: int
    inputs: tuple[int, ...]
    expected: tuple[float, ...]
    actual: tuple[float, ...]
    ok: bool
    input_names: tuple[str, ...] = ()
    output_names: tuple[str, ...] = ()

    def __str__(self):
        where = ", ".join(f"{n}={v}" for n, v in zip(self.input_names, self.inputs))
        if len(self.output_names) == 1:
            want, got = format_value(self.expected[0]), format_value(self.actual[0])
        else:
            want = ", ".join(f"{n}={format_value(v)}" for n, v in zip(self.output_names, self.expected))
            got = ", ".join(f"{n}={format_value(v)}" for n, v in zip(self.output_names, self.actual))
        return f"row {where}: expected {want}, got {got}" if where else f"expected {want}, got {got}"


@dataclass
class TableCheck:
    """A circuit's truth table against an expected table, row by row in the circuit's row order.

    ``inputs``: the circuit's input names (n); ``outputs``: the outputs compared (k, in the expected table's
    order); ``X``: input rows (2ⁿ, n) of 0/1 ints; ``expected`` and ``actual``: (2ⁿ, k); ``ok``: (2ⁿ, k)
    bools from :func:`matches`."""

    inputs: list[str]
    outputs: list[str]
    X: np.ndarray
    expected: np.ndarray
    actual: np.ndarray
    ok: np.ndarray

    def __repr__(self):
        return f"TableCheck({len(self.X) - self.n_bad} of {len(self.X)} rows match)"

    @property
    def passed(self) -> np.ndarray:
        """(2ⁿ,) bools: rows where every output matches."""
        return np.all(self.ok, axis=1)

    @property
    def n_bad(self) -> int:
        return int(np.count_nonzero(~self.passed))

    @property
    def all_match(self) -> bool:
        return self.n_bad == 0

    def row(self, r: int) -> RowVerdict:
        return RowVerdict(int(r), tuple(int(v) for v in self.X[r]), tuple(float(v) for v in self.expected[r]),
                          tuple(float(v) for v in self.actual[r]), bool(self.passed[r]),
                          tuple(self.inputs), tuple(self.outputs))

    def rows(self) -> list[RowVerdict]:
        return [self.row(r) for r in range(len(self.X))]

    def mismatches(self) -> list[RowVerdict]:
        return [self.row(r) for r in np.flatnonzero(~self.passed)]


def _unique(names: list[str], what: str, whose: str) -> None:
    seen = set()
    for name in names:
        if name in seen:
            raise UserError(f"{whose} has two {what} named {name!r}, so the expected table's columns cannot "
                            f"be matched to them by name; rename one")
        seen.add(name)


def align_expected(expected, inputs: list[str], outputs: list[str]) -> tuple[np.ndarray, list[int]]:
    """An expected table (a :class:`TruthTable` or the graph's ``ExpectedTable``) laid out for a circuit
    whose inputs are ``inputs`` (n names, rows in their binary counting order) and outputs ``outputs``.

    Columns are matched by name, so the table may list its inputs and outputs in any order and may name only
    some of the outputs; with the same names in the same order they are matched by position (which also
    serves circuits with repeated names). Returns ``(want, cols)``: the expected outputs (2ⁿ, k) in the
    circuit's row order, and for each of the table's k outputs its index in ``outputs``. A table that does not
    fit raises :class:`UserError` saying why."""
    e_in, e_out = list(expected.inputs), list(expected.outputs)
    E = np.asarray(expected.rows, dtype=float)
    if e_in == list(inputs):
        perm = list(range(len(inputs)))
    else:
        if sorted(e_in) != sorted(inputs):
            raise UserError(f"the table's inputs ({', '.join(e_in)}) are not the circuit's "
                            f"({', '.join(inputs)})")
        _unique(list(inputs), "inputs", "the circuit")
        perm = [list(inputs).index(name) for name in e_in]
    if E.ndim != 2 or E.shape != (2 ** len(e_in), len(e_out)):
        raise UserError(f"the expected table should have {2 ** len(e_in)} rows of {len(e_out)} outputs "
                        f"for its {len(e_in)} inputs")
    if e_out == list(outputs)[:len(e_out)]:
        cols = list(range(len(e_out)))
    else:
        missing = [o for o in e_out if o not in outputs]
        if missing:
            raise UserError(f"the circuit has no output {missing[0]!r} (its outputs: {', '.join(outputs)})")
        _unique(list(outputs), "outputs", "the circuit")
        _unique(e_out, "outputs", "the expected table")
        cols = [list(outputs).index(name) for name in e_out]
    X = binary_rows(len(inputs)).astype(np.int64)
    rows_in_expected = X[:, perm] @ (1 << np.arange(len(perm) - 1, -1, -1, dtype=np.int64))
    return E[rows_in_expected], cols


def check_table(actual: TruthTable, expected, atol: float = TOLERANCE) -> TableCheck:
    """Row-by-row verdicts of a circuit's ``actual`` table against ``expected`` (see :func:`align_expected`
    for how columns are matched and :func:`matches` for when an output matches)."""
    want, cols = align_expected(expected, actual.inputs, actual.outputs)
    got = np.asarray(actual.rows, dtype=float)[:, cols]
    return TableCheck(list(actual.inputs), [actual.outputs[c] for c in cols],
                      actual.input_rows().astype(np.int64), want, got, matches(got, want, atol))


def check_expected(graph: Graph, expected, atol: float = TOLERANCE) -> TableCheck:
    """:func:`check_table` for a feedforward ``graph``'s truth table."""
    return check_table(truth_table(graph), expected, atol)


def check_rows(graph: Graph, inputs: list[str], X, outputs: list[str], expected,
               atol: float = TOLERANCE) -> TableCheck:
    """:func:`matches` verdicts on some rows only (a partial table: the only way to check a circuit with
    more than ~20 inputs). ``X`` (m, n): input rows whose columns are named ``inputs`` (every input of the
    circuit, in any order); ``expected`` (m, k): the outputs named ``outputs`` (some of the circuit's).
    One vectorised pass; the result's ``X`` is in the circuit's input order."""
    circuit = feedforward_circuit(graph)
    names_in = [circuit.labels[i] for i in circuit.input_ids]
    names_out = [circuit.labels[o] for o in circuit.output_ids]
    if sorted(inputs) != sorted(names_in):
        missing = [n for n in names_in if n not in inputs]
        extra = [n for n in inputs if n not in names_in]
        why = f"no column for input {missing[0]!r}" if missing else f"{extra[0]!r} is not an input"
        raise UserError(f"the table's inputs are not the circuit's: {why}")
    if list(inputs) != names_in:
        _unique(names_in, "inputs", "the circuit")
    _unique(list(outputs), "outputs", "the expected table")
    missing = [o for o in outputs if o not in names_out]
    if missing:
        raise UserError(f"the circuit has no output {missing[0]!r} (its outputs: {', '.join(names_out)})")
    if list(outputs) != names_out[:len(outputs)]:
        _unique(names_out, "outputs", "the circuit")
    X = np.asarray(X, dtype=float).reshape(-1, len(inputs))[:, [list(inputs).index(n) for n in names_in]]
    want = np.asarray(expected, dtype=float).reshape(len(X), len(outputs))
    cols = list(range(len(outputs))) if list(outputs) == names_out[:len(outputs)] else \
        [names_out.index(o) for o in outputs]
    got = circuit.feedforward(X)[:, cols]
    return TableCheck(names_in, list(outputs), X.astype(np.int64), want, got, matches(got, want, atol))


def compare(graph: Graph, expected, atol: float = TOLERANCE) -> list[RowVerdict]:
    """The rows where ``graph`` does not compute ``expected`` (see :func:`check_table`)."""
    return check_expected(graph, expected, atol).mismatches()


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
