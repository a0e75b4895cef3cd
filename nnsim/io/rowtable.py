"""Tables of some rows: a CSV header of names (a circuit's inputs, then outputs) and any number of rows.

    a0,a1,...,a15,b0,...,b15,p0,...,p31
    1,0,...

Unlike a truth-table file (:mod:`nnsim.io.tables`) the rows need not cover every input combination, so
circuits with 32, 128 … inputs can be evaluated (``nnsim eval --inputs``) and checked (``nnsim check
--expect``). Input cells are 0 or 1; expected output cells 0, 1 or a decimal. Columns are recognised by
name; a netlist output that is also an input (ISCAS c2670 has some) appears twice, first as the input. Mistakes raise :class:`RowTableError` naming the file, the line and the problem.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass

import numpy as np

from nnsim.core.errors import UserError
from nnsim.io.files import read_text


class RowTableError(UserError):
    """A rows file that cannot be used; the message names the file, line and problem."""


@dataclass
class RowTable:
    """``inputs`` (n names) with ``X`` (m, n) of 0/1, and ``outputs`` (k names) with ``E`` (m, k)."""

    inputs: list[str]
    X: np.ndarray
    outputs: list[str]
    E: np.ndarray

    def __repr__(self):
        return f"RowTable({len(self.X)} rows, {len(self.inputs)} inputs, {len(self.outputs)} outputs)"


def parse_rows(text: str, input_names: list[str], output_names: list[str] = (), source: str = "",
               outputs_allowed: bool = True) -> RowTable:
    """Read CSV text whose columns are named ``input_names`` (all of them, any order) and, when
    ``outputs_allowed``, some of ``output_names``."""
    pre = f"{source}, " if source else ""

    def fail(line: int | None, problem: str):
        raise RowTableError(f"{pre}line {line}: {problem}" if line is not None else f"{source or 'table'}: {problem}")

    reader = csv.reader(io.StringIO(text))
    try:
        lines = [(reader.line_num, [c.strip() for c in row]) for row in reader]
    except csv.Error as err:
        fail(reader.line_num, f"malformed CSV ({err})")
    lines = [(no, row) for no, row in lines if any(row) and not row[0].startswith("#")]
    if not lines:
        fail(None, "the table is empty (expected a header line of names, then rows)")
    header_line, names = lines[0]
    ins, outs = set(input_names), set(output_names)
    kinds = []
    for j, name in enumerate(names):
        if not name:
            fail(header_line, f"column {j + 1} of the header has no name")
        again = name in names[:j]
        if again and not (outputs_allowed and name in ins and name in outs and names[:j].count(name) == 1):
            fail(header_line, f"the name {name!r} appears twice in the header")
        if name in ins and not again:  # a name that is an input and an output: first the input, then the output
            kinds.append("in")
        elif name in outs and outputs_allowed:
            kinds.append("out")
        elif name in outs:
            fail(header_line, f"{name!r} is an output of the circuit; give only input columns")
        else:
            known = ", ".join(list(input_names)[:8]) + (" …" if len(input_names) > 8 else "")
            fail(header_line, f"{name!r} is not an input or output of the circuit (its inputs: {known})")
    missing = [n for n in input_names if n not in names]
    if missing:
        fail(header_line, f"no column for the input {missing[0]!r}" +
             (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
    body = lines[1:]
    if not body:
        fail(header_line, "the header is not followed by any row")
    cells = []
    for no, row in body:
        if len(row) != len(names):
            fail(no, f"{len(row)} cells, but the header has {len(names)} columns")
        cells.append(row)
    in_cols = [j for j, k in enumerate(kinds) if k == "in"]
    out_cols = [j for j, k in enumerate(kinds) if k == "out"]
    A = np.array(cells, dtype=object).reshape(len(cells), len(names))
    bits = A[:, in_cols] if cells else np.zeros((0, len(in_cols)), dtype=object)
    good = (bits == "0") | (bits == "1")
    if not good.all():
        r, c = np.argwhere(~good)[0]
        fail(body[r][0], f"column {names[in_cols[c]]!r} holds {bits[r, c]!r}; input cells must be 0 or 1")
    X = (bits == "1").astype(float)
    E = np.zeros((len(cells), len(out_cols)))
    for c, j in enumerate(out_cols):
        for r in range(len(cells)):
            try:
                v = float(A[r, j])
            except ValueError:
                v = math.nan
            if not math.isfinite(v):
                fail(body[r][0], f"column {names[j]!r} holds {A[r, j]!r}; outputs must be 0, 1 or a number")
            E[r, c] = v
    return RowTable([names[j] for j in in_cols], X, [names[j] for j in out_cols], E)


def read_rows(path, input_names: list[str], output_names: list[str] = (), outputs_allowed: bool = True) -> RowTable:
    """Read a rows file (see :func:`parse_rows`)."""
    return parse_rows(read_text(path, RowTableError), input_names, output_names, str(path), outputs_allowed)


def format_rows(inputs: list[str], X, outputs: list[str], O, fmt: str = "csv") -> str:
    """Input rows and their outputs as CSV (0/1 cells, other values as decimals) or JSON."""
    X = np.asarray(X)
    O = np.asarray(O)

    def cell(v) -> str:
        v = float(v)
        return str(int(v)) if v in (0.0, 1.0) else f"{v:.6f}".rstrip("0").rstrip(".")

    if fmt == "json":
        return json.dumps({"inputs": list(inputs), "outputs": list(outputs),
                           "rows": [{"inputs": [int(v) for v in x], "outputs": [float(v) for v in o]}
                                    for x, o in zip(X, O)]}, indent=1) + "\n"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(list(inputs) + list(outputs))
    for x, o in zip(X, O):
        writer.writerow([str(int(v)) for v in x] + [cell(v) for v in o])
    return buf.getvalue()
