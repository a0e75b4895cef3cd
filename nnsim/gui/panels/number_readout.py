"""Numbers spelled by groups of bits: inputs a0…a3 read as a = 5, outputs s0…s3 as s = 11.

An adder on the canvas is a row of 0/1 switches and lights; this line says what they mean in decimal, so
"5 + 6 = 11" can be read off during a demo. Groups are nodes labelled ``<name><digit>`` (two or more with
the same name, bit 0 among them, bit i worth 2^i); a lone ``carry`` output is shown beside them.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import QLabel

from nnsim.gui import style
from nnsim.gui.canvas.simulator import Simulator
from nnsim.gui.document import Document

_BIT = re.compile(r"([A-Za-z_]+)(\d+)")


def bit_groups(labels: dict[str, str]) -> dict[str, dict[int, str]]:
    """``{node_id: label}`` → ``{name: {bit: node_id}}`` for names with at least two numbered bits, bit 0
    among them (the book's inputs x1, x2, x3 are separate inputs, not a number x)."""
    groups: dict[str, dict[int, str]] = {}
    for nid, label in labels.items():
        m = _BIT.fullmatch(label or "")
        if m:
            groups.setdefault(m.group(1), {})[int(m.group(2))] = nid
    return {name: bits for name, bits in groups.items() if len(bits) >= 2 and 0 in bits}


class NumberReadout(QLabel):
    """One line, e.g. ``a = 5   b = 6   →   s = 11   carry = 0``; hidden when there are no bit groups."""

    def __init__(self, document: Document, simulator: Simulator, parent=None):
        super().__init__(parent)
        self.document = document
        self.simulator = simulator
        self.setWordWrap(True)
        self.setFont(style.font(12, True))
        self.setToolTip("Inputs and outputs named like a0, a1, … read as binary numbers (bit i is worth 2^i)")
        simulator.sigEvaluated.connect(self.refresh)
        self.refresh()

    def _value(self, bits: dict[int, str]) -> int | None:
        c = self.simulator.circuit
        total = 0
        for i, nid in bits.items():
            if nid not in c.col:
                return None
            v = float(self.simulator.a[c.col[nid]])
            if v not in (0.0, 1.0):
                return None
            total += int(v) << i
        return total

    def refresh(self) -> None:
        g = self.document.graph
        if self.simulator.circuit is None:
            self.hide()
            return
        ins = bit_groups({n.id: n.label for n in g.inputs()})
        outs = bit_groups({n.id: n.label for n in g.outputs()})
        left = [f"{name} = {v}" for name, bits in ins.items() if (v := self._value(bits)) is not None]
        right = [f"{name} = {v}" for name, bits in outs.items() if (v := self._value(bits)) is not None]
        if not left and not right:
            self.hide()
            return
        carry = [n for n in g.outputs() if n.label == "carry" and n.id in self.simulator.circuit.col]
        if carry and right:
            right.append(f"carry = {int(self.simulator.value_of(carry[0].id) >= 0.5)}")
        self.setText("   ".join(left) + ("   →   " if left and right else "") + "   ".join(right))
        self.show()
