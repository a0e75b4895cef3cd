"""How a chip box lists its pins: a bus ``a[0]`` … ``a[15]`` is one row ``a[16]`` showing its number."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_BIT = re.compile(r"(.+)\[(\d+)\]\Z")


@dataclass
class PinRow:
    """One row on a side of a chip box: a single pin, or a bus of pins ``base[i]`` (``bits[i]`` is the pin
    for bit ``i``, bit 0 least significant)."""

    name: str
    pins: list[str]
    bits: list[int] | None = None

    @property
    def is_bus(self) -> bool:
        return self.bits is not None

    @property
    def title(self) -> str:
        return f"{self.name}[{len(self.pins)}]" if self.is_bus else self.name

    def value_text(self, values: dict) -> str:
        """The row's value: a pin's 0/1 (or decimal), a bus's number (``?`` when a bit is not 0 or 1)."""
        vals = [values.get(p) for p in self.pins]
        if any(v is None or not math.isfinite(v) for v in vals):
            return ""
        if not self.is_bus:
            v = vals[0]
            return str(int(v)) if v in (0.0, 1.0) else f"{v:.2f}"
        if any(v not in (0.0, 1.0) for v in vals):
            return "?"
        return str(sum(int(v) << b for v, b in zip(vals, self.bits)))


def pin_rows(pins: list[str]) -> list[PinRow]:
    """Rows for ``pins`` in order; consecutive pins ``x[i]`` of one base name that cover bits 0…n−1 once
    form a bus row (two or more bits), others stay single."""
    rows: list[PinRow] = []
    i = 0
    while i < len(pins):
        m = _BIT.match(pins[i])
        if m:
            base, j = m.group(1), i
            bits = []
            while j < len(pins) and (mm := _BIT.match(pins[j])) and mm.group(1) == base:
                bits.append(int(mm.group(2)))
                j += 1
            if j - i >= 2 and sorted(bits) == list(range(len(bits))):
                rows.append(PinRow(base, pins[i:j], bits))
                i = j
                continue
        rows.append(PinRow(pins[i], [pins[i]]))
        i += 1
    return rows
