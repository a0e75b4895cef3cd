"""Truth tables as CSV files: a header of names (inputs first, then outputs), then one row of 0/1 cells for
each input combination, in any order, each exactly once. Blank lines and lines starting with ``#`` are
skipped. Mistakes raise :class:`TableError` naming the file, the line and the problem.

    a,b,cin,carry,s
    0,0,0,0,0
    0,0,1,0,1
    ...
"""

from __future__ import annotations

import csv
import io
import math

import numpy as np

from nnsim.core.errors import UserError
from nnsim.core.logic.truthtable import TruthTable
from nnsim.io.files import atomic_write, read_text

#: Most inputs a table file may have (synthesis takes up to 12).
MAX_INPUTS = 12


class TableError(UserError):
    """A truth-table file that cannot be used; the message names the file, line and problem."""


def parse_table(text: str, n_inputs: int | None = None, source: str = "", max_inputs: int = MAX_INPUTS) -> TruthTable:
    """Read CSV text into a :class:`TruthTable` (rows sorted into binary counting order).

    ``n_inputs``: how many leading columns are inputs; ``None`` infers it from the number of rows (2ⁿ)."""
    pre = f"{source}, " if source else ""

    def fail(line: int | None, problem: str):
        where = f"{pre}line {line}" if line is not None else (source or "table")
        raise TableError(f"{where}: {problem}")

    reader = csv.reader(io.StringIO(text))
    try:
        lines = [(reader.line_num, row) for row in reader]
    except csv.Error as err:
        fail(reader.line_num, f"malformed CSV ({err})")
    lines = [(no, [c.strip() for c in row]) for no, row in lines
             if row and any(c.strip() for c in row) and not row[0].lstrip().startswith("#")]
    if not lines:
        fail(None, "the table is empty (expected a header line of names, then rows of 0/1)")
    header_line, names = lines[0]
    for j, name in enumerate(names):
        if not name:
            fail(header_line, f"column {j + 1} of the header has no name")
        if all(ch in "01" for ch in name):
            fail(header_line, f"the first line must be a header of names, but column {j + 1} is {name!r}")
        if name in names[:j]:
            fail(header_line, f"the name {name!r} appears twice in the header")
    body = lines[1:]
    if n_inputs is None:
        k = math.log2(len(body)) if body else -1
        if not k.is_integer() or k < 1 or k >= len(names):
            fail(None, f"cannot tell how many columns are inputs from {len(body)} rows and {len(names)} columns; "
                       f"say it with --inputs K")
        n_inputs = int(k)
    if n_inputs < 1:
        fail(header_line, f"a table needs at least one input column, not {n_inputs}")
    if n_inputs > max_inputs:
        fail(header_line, f"{n_inputs} inputs is too many (at most {max_inputs})")
    if len(names) <= n_inputs:
        fail(header_line, f"{len(names)} columns, but {n_inputs} inputs leave no output column")
    n_out = len(names) - n_inputs
    rows = np.full((2 ** n_inputs, n_out), -1, dtype=np.int64)
    seen_at: dict[int, int] = {}
    weights = [1 << (n_inputs - 1 - j) for j in range(n_inputs)]
    for no, cells in body:
        if len(cells) != len(names):
            fail(no, f"{len(cells)} cells, but the header has {len(names)} columns ({', '.join(names)})")
        bits = []
        for name, cell in zip(names, cells):
            if cell not in ("0", "1"):
                fail(no, f"column {name!r} holds {cell!r}; cells must be 0 or 1")
            bits.append(int(cell))
        index = sum(b * w for b, w in zip(bits[:n_inputs], weights))
        if index in seen_at:
            fail(no, f"the inputs {' '.join(cells[:n_inputs])} were already given on line {seen_at[index]}")
        seen_at[index] = no
        rows[index] = bits[n_inputs:]
    missing = [i for i in range(2 ** n_inputs) if i not in seen_at]
    if missing:
        example = ", ".join(f"{names[j]}={(missing[0] >> (n_inputs - 1 - j)) & 1}" for j in range(n_inputs))
        last = body[-1][0] if body else header_line
        fail(last + 1, f"end of table: {len(missing)} of {2 ** n_inputs} input rows are missing, for example "
                       f"{example} (every combination must appear once)")
    return TruthTable(names[:n_inputs], names[n_inputs:], rows)


def read_table(path, n_inputs: int | None = None, max_inputs: int = MAX_INPUTS) -> TruthTable:
    """Read a CSV truth-table file (see :func:`parse_table`)."""
    text = read_text(path, TableError)
    return parse_table(text, n_inputs, str(path), max_inputs)


def format_table(table: TruthTable) -> str:
    """CSV text: the header, then every row in binary counting order. Non-0/1 outputs as decimals."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.inputs + table.outputs)
    X = table.input_rows().astype(int)
    for x, out in zip(X, np.asarray(table.rows)):
        writer.writerow([str(v) for v in x] + [_cell(v) for v in out])
    return buf.getvalue()


def _cell(v) -> str:
    v = float(v)
    return str(int(v)) if v in (0.0, 1.0) else f"{v:.6f}".rstrip("0").rstrip(".")


def write_table(table: TruthTable, path) -> None:
    """Write :func:`format_table` to ``path`` atomically."""
    atomic_write(path, format_table(table))
