"""Truth tables: named inputs and outputs, one row of outputs per input combination.

Rows come in binary counting order of the inputs, the first input being the most significant bit — the
same order as :func:`nnsim.core.compile.binary_rows` and ``nnsim table``. So ``rows[i]`` holds the outputs
for the inputs spelled by ``i`` in binary: with inputs ``a, b``, row 2 is ``a=1, b=0``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnsim.core.compile import binary_rows
from nnsim.core.graph import ExpectedTable


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
