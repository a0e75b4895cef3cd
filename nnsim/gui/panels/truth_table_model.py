"""The table model behind the truth-table panel: inputs, outputs and (with an expected table) a pass/fail
mark per row, plus the highlighted row of the current inputs. Holds plain arrays; no evaluation here."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from nnsim.gui import style

_PASS, _FAIL = "✓", "✗"


def _fmt(v: float, binary: bool) -> str:
    """Three decimals, or more when three would move a value onto ½ or across it (0.4999999997 is read as
    a 0, so it must not show as 0.500)."""
    if binary:
        return str(int(v))
    for decimals in (3, 6, 10, 17):
        text = f"{v:.{decimals}f}"
        if (float(text) < 0.5) == (v < 0.5) and (float(text) == 0.5) == (v == 0.5):
            break
    return text


class TruthTableModel(QAbstractTableModel):
    """``X`` (rows, n_in), ``O`` (rows, n_out); ``passed`` (rows,) bool or ``None``; ``current`` row or -1."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.inputs: list[str] = []
        self.outputs: list[str] = []
        self.X = np.zeros((0, 0))
        self.O = np.zeros((0, 0))
        self.binary: list[bool] = []
        self.passed: np.ndarray | None = None
        self.current = -1
        self.shown_names: dict[int, str] = {}   # column -> its name elided to a narrow column (set by the panel)
        self.compact = False                      # narrow columns: smaller headers (set by the panel)
        self.notes: list[str] | None = None       # a looped circuit: what each row does (a column after outputs)
        self.note_tips: list[str] = []

    def set_notes(self, notes, tips=()) -> None:
        """Per-row marks of a circuit with a loop ("step 2", "oscillates", "holds"), shown in a column after
        the outputs, with ``tips`` saying each in words; ``None`` for a feedforward circuit."""
        self.beginResetModel()
        self.notes = list(notes) if notes is not None else None
        self.note_tips = list(tips)
        self.endResetModel()

    def _extra(self) -> list[str]:
        return (["loop"] if self.notes is not None else []) + (["ok"] if self.passed is not None else [])

    def header_font(self, section: int, compact: bool = False):
        """Outputs in bold; a compact table keeps its headers at the normal size in presentation mode."""
        return style.font(10 / style.scale() if compact else 10, section >= len(self.inputs))

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(self.columnCount() - 1, 0))

    def set_shown_names(self, shown: dict[int, str]) -> None:
        if shown != self.shown_names:
            self.shown_names = dict(shown)
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(self.columnCount() - 1, 0))

    def set_table(self, inputs, outputs, X, O, binary, passed) -> None:
        self.beginResetModel()
        self.inputs, self.outputs = list(inputs), list(outputs)
        self.X, self.O = np.asarray(X), np.asarray(O)
        self.binary = list(binary)
        self.passed = passed
        self.shown_names = {}
        self.endResetModel()

    def set_current(self, row: int) -> None:
        if row == self.current:
            return
        old, self.current = self.current, row
        last = self.columnCount() - 1
        for r in (old, row):
            if 0 <= r < self.rowCount():
                self.dataChanged.emit(self.index(r, 0), self.index(r, last))

    # ----- Qt model --------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.X)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.inputs) + len(self.outputs) + len(self._extra())

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                names = self.inputs + self.outputs + self._extra()
                return self.shown_names.get(section, names[section]) if section < len(names) else None
            if role == Qt.ItemDataRole.FontRole:
                return self.header_font(section, self.compact)
            if role == Qt.ItemDataRole.ToolTipRole:   # a narrow column elides its name
                names = self.inputs + self.outputs + (
                    (["what the row does when the loop runs in time steps"] if self.notes is not None else [])
                    + (["pass/fail against the expected table"] if self.passed is not None else []))
                return names[section] if section < len(names) else None
        elif role == Qt.ItemDataRole.DisplayRole:
            return str(section)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        n_in, n_out = len(self.inputs), len(self.outputs)
        if role == Qt.ItemDataRole.DisplayRole:
            if c < n_in:
                return _fmt(self.X[r, c], True)
            if c < n_in + n_out:
                return _fmt(self.O[r, c - n_in], self.binary[c - n_in])
            if self.notes is not None and c == n_in + n_out:
                return self.notes[r]
            return _PASS if self.passed[r] else _FAIL
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole and r == self.current:
            return style.theme().highlight_row
        if role == Qt.ItemDataRole.ForegroundRole:
            t = style.theme()
            if self.notes is not None and c == n_in + n_out:
                return t.text if self.notes[r].startswith("step") else t.fail_colour
            if c >= n_in + n_out:
                return t.pass_colour if self.passed[r] else t.fail_colour
            if r == self.current:
                return t.on_text if not t.dark else t.text
        if role == Qt.ItemDataRole.FontRole:
            return style.font(10.5, c >= n_in and not (self.notes is not None and c == n_in + n_out))
        if role == Qt.ItemDataRole.ToolTipRole and self.notes is not None and c == n_in + n_out:
            return self.note_tips[r] if r < len(self.note_tips) else self.notes[r]
        if role == Qt.ItemDataRole.ToolTipRole and self.passed is not None and not self.passed[r]:
            return "This row differs from the expected truth table"
        return None

    def to_csv(self) -> str:
        header = self.inputs + self.outputs
        lines = [",".join(header)]
        for r in range(len(self.X)):
            cells = [_fmt(v, True) for v in self.X[r]]
            cells += [_fmt(v, b) for v, b in zip(self.O[r], self.binary)]
            lines.append(",".join(cells))
        return "\n".join(lines) + "\n"
