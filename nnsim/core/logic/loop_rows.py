"""What each input row of a circuit with a loop does: settle, oscillate, or depend on the previous state.

A looped circuit (the SR latch) has no truth table in the usual sense: a row's outputs can depend on what
the loop held before. :func:`loop_rows` settles every row from all neurons at 0 (what ``nnsim table``
prints) and again from every state another row leaves behind; a row whose settled outputs differ between
those starts *depends on the previous state* (the latch's hold row). :func:`demo_sequence` orders the rows
so each state-dependent row follows each row that sets a state: set → hold → reset → hold for the latch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnsim.core.circuit.compile import Circuit

SETTLES, OSCILLATES, REMEMBERS = "settles", "oscillates", "remembers"


@dataclass(frozen=True)
class LoopRow:
    """One row: ``kind`` (settles, oscillates, remembers), ``steps`` to settle from all 0 (−1: never),
    ``period`` of the oscillation from all 0 (0: none), ``outcomes`` the distinct settled outputs seen
    from the other rows' states (k, n_outputs)."""

    kind: str
    steps: int
    period: int
    outcomes: np.ndarray

    @property
    def mark(self) -> str:
        """A narrow table cell: ``step 2``, ``oscillates``, ``holds`` (depends on the previous state)."""
        if self.kind == REMEMBERS:
            return "holds"
        if self.kind == OSCILLATES:
            return "oscillates"
        return f"step {self.steps}"

    @property
    def note(self) -> str:
        """The same in words: ``step 2``, ``oscillates (period 2)``, ``depends on the previous state``."""
        if self.kind == REMEMBERS:
            return "depends on the previous state" + (f"; from all 0 it oscillates (period {self.period})"
                                                      if self.steps < 0 and self.period > 0 else "")
        if self.kind == OSCILLATES:
            return f"oscillates (period {self.period})" if self.period > 0 else "did not settle"
        return f"step {self.steps}"


def loop_rows(circuit: Circuit, X) -> list[LoopRow]:
    """A :class:`LoopRow` for each row of ``X`` (rows, n_inputs)."""
    X = np.atleast_2d(np.asarray(X, dtype=float))
    first = circuit.settle(X)
    stable = first.steps >= 0
    # the states the rows leave behind (stable ones), tried as the start of every row
    starts = first.a[stable]
    out_cols = circuit.output_cols
    rows = []
    for r, x in enumerate(X):
        seen = [first.a[r, out_cols]] if stable[r] else []
        if len(starts):
            res = circuit.settle(np.repeat(x[None, :], len(starts), axis=0), state=starts)
            seen += [a[out_cols] for a, s in zip(res.a, res.steps) if s >= 0]
        outcomes = np.unique(np.round(np.array(seen), 9), axis=0) if seen else np.zeros((0, len(out_cols)))
        if len(outcomes) > 1 or (len(outcomes) == 1 and not stable[r]):
            kind = REMEMBERS
        elif stable[r]:
            kind = SETTLES
        else:
            kind = OSCILLATES
        rows.append(LoopRow(kind, int(first.steps[r]), int(first.period[r]), outcomes))
    return rows


def demo_sequence(circuit: Circuit, X, rows: list[LoopRow]) -> np.ndarray:
    """Input rows (T, n_inputs) that show the memory: each row that settles the same from every start and
    leaves a state the state-dependent rows keep, followed by those rows (latch: set → hold → reset → hold).
    A row after which they do not settle (the latch's forbidden 0 0, then hold: a race) is left out.
    Empty when no row depends on the previous state."""
    X = np.atleast_2d(np.asarray(X, dtype=float))
    holding = [r for r, row in enumerate(rows) if row.kind == REMEMBERS]
    setting = [r for r, row in enumerate(rows) if row.kind == SETTLES]
    if not holding or not setting:
        return np.zeros((0, X.shape[1]))
    left = circuit.settle(X[setting]).a
    order = []
    for r, state in zip(setting, left):
        kept = circuit.settle(X[holding], state=np.repeat(state[None, :], len(holding), axis=0))
        if np.all(kept.steps >= 0):
            order.append(r)
            order.extend(holding)
    return X[order] if order else np.zeros((0, X.shape[1]))
