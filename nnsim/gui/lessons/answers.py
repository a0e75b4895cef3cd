"""The answer boxes a lesson step asks for, made from the core's :class:`~nnsim.core.lessons.Field` list:
a number, a whole number, a multiple choice, or a 10 → 4 layer of weights and biases."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QGridLayout, QHeaderView, QLabel, QLineEdit, QRadioButton,
                               QSizePolicy, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from nnsim.core.lessons import Field


def _label(text: str) -> QLabel:
    label = QLabel(text[:1].upper() + text[1:])
    label.setWordWrap(True)
    return label


def parse_number(text: str) -> float | None:
    """A typed number (``−`` and a decimal comma allowed), or ``None``."""
    text = text.strip().replace("−", "-").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class _OptionText(QLabel):
    """An option's wrapped text; clicking it picks its radio button."""

    def __init__(self, text: str, button: QRadioButton):
        super().__init__(text)
        self.button = button
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

    def mousePressEvent(self, event):
        self.button.setChecked(True)
        self.button.clicked.emit(True)
        super().mousePressEvent(event)


class AnswerForm(QWidget):
    """Boxes for ``fields``; :meth:`values` gives ``{name: value}`` of what is filled in, and
    ``sigChanged`` fires on every edit."""

    sigChanged = Signal()

    def __init__(self, fields: list[Field], values: dict | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.fields = list(fields)
        self.getters: dict = {}
        self.setters: dict = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for f in self.fields:
            layout.addWidget(self._make(f))
        self.set_values(values or {})

    def _make(self, f: Field) -> QWidget:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 2, 0, 2)
        if f.kind == "choice":
            group = QButtonGroup(box)
            letters = [chr(ord("a") + i) for i in range(len(f.options))]
            for row, (letter, text) in enumerate(zip(letters, f.options)):
                button = QRadioButton(f"{letter})")
                button.setObjectName(f"{f.name}-{letter}")
                group.addButton(button, row)
                grid.addWidget(button, row, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(_OptionText(text, button), row, 1)
            grid.setColumnStretch(1, 1)
            group.idClicked.connect(lambda _: self.sigChanged.emit())
            self.getters[f.name] = lambda g=group, ls=letters: ls[g.checkedId()] if g.checkedId() >= 0 else None

            def set_choice(v, g=group, ls=letters):
                if v in ls:
                    g.button(ls.index(v)).setChecked(True)
                elif g.checkedButton() is not None:
                    g.setExclusive(False)
                    g.checkedButton().setChecked(False)
                    g.setExclusive(True)
            self.setters[f.name] = set_choice
        elif f.kind == "integer":
            spin = QSpinBox()
            spin.setObjectName(f.name)
            spin.setRange(int(f.minimum if f.minimum is not None else -10**6),
                          int(f.maximum if f.maximum is not None else 10**6))
            spin.setValue(int(f.default) if f.default is not None else spin.minimum())
            spin.valueChanged.connect(lambda _: self.sigChanged.emit())
            grid.addWidget(_label(f.label), 0, 0)
            grid.addWidget(spin, 0, 1)
            grid.setColumnStretch(2, 1)
            self.getters[f.name] = spin.value
            self.setters[f.name] = lambda v, s=spin, d=f.default: s.setValue(
                int(v) if isinstance(v, (int, float)) else int(d if d is not None else s.minimum()))
        elif f.kind == "layer":
            self._make_layer(f, grid)
        else:
            edit = QLineEdit()
            edit.setObjectName(f.name)
            edit.setPlaceholderText("a number")
            edit.textChanged.connect(lambda _: self.sigChanged.emit())
            grid.addWidget(_label(f.label), 0, 0)
            grid.addWidget(edit, 0, 1)
            self.getters[f.name] = lambda e=edit: parse_number(e.text())
            self.setters[f.name] = lambda v, e=edit, d=f.default: e.setText(
                f"{v:g}" if isinstance(v, (int, float)) else (f"{d:g}" if d is not None else ""))
        return box

    def _make_layer(self, f: Field, grid: QGridLayout) -> None:
        """Shown transposed to fit a narrow panel: a row per old output (digit 0…9, then the bias), a column
        per new bit (3 … 0). Stored as ``{"weights": 4 × 10, "biases": 4}``."""
        bits, digits = f.shape
        table = QTableWidget(digits + 1, bits)
        table.setObjectName(f.name)
        table.setHorizontalHeaderLabels([f"bit {bits - 1 - j}" for j in range(bits)])
        table.setVerticalHeaderLabels([f"from {d}" for d in range(digits)] + ["bias"])
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.setMinimumHeight(table.verticalHeader().length() + table.horizontalHeader().height() + 4)
        table.horizontalHeader().setMinimumSectionSize(24)
        table.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        grid.addWidget(_label("Weights from each old output to each new bit, and the biases:"), 0, 0)
        grid.addWidget(table, 1, 0)
        table.itemChanged.connect(lambda _: self.sigChanged.emit())

        def get(t=table):
            cells = [[parse_number(t.item(r, c).text()) if t.item(r, c) else None for c in range(bits)]
                     for r in range(digits + 1)]
            if any(v is None for row in cells for v in row):
                return None
            return {"weights": [[cells[d][j] for d in range(digits)] for j in range(bits)],
                    "biases": [cells[digits][j] for j in range(bits)]}

        def put(v, t=table):
            t.blockSignals(True)
            ok = isinstance(v, dict) and len(v.get("weights", [])) == bits and len(v.get("biases", [])) == bits
            for j in range(bits):
                for d in range(digits + 1):
                    if not ok:
                        text = ""
                    else:
                        x = v["biases"][j] if d == digits else v["weights"][j][d]
                        text = f"{x:g}" if isinstance(x, (int, float)) else ""
                    t.setItem(d, j, QTableWidgetItem(text))
            t.blockSignals(False)
        self.getters[f.name] = get
        self.setters[f.name] = put

    def values(self) -> dict:
        """Every filled-in answer (a box left empty is left out)."""
        out = {}
        for name, get in self.getters.items():
            v = get()
            if v is not None:
                out[name] = v
        return out

    def set_values(self, values: dict) -> None:
        self.blockSignals(True)
        for name, put in self.setters.items():
            put(values.get(name))
        self.blockSignals(False)
