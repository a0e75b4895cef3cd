"""Text widths in the canvas's fonts, measured once per text: opening a circuit of 10,000 NAND perceptrons
and 11,000 wires asks for the same few widths ("NAND", "b = 3", "−2") tens of thousands of times, and
each measurement through ``QFontMetricsF`` costs far more than a dictionary look-up."""

from __future__ import annotations

from PySide6.QtGui import QFontMetricsF

from nnsim.gui import style

# (point size, bold) → (the font measured, its metrics, its height, {text: width}); a new font object from
# ``style.font`` (presentation mode, or a new application font) starts the entry again
_measured: dict = {}


def _entry(point_size: float, bold: bool):
    font = style.font(point_size, bold)
    key = (point_size, bold)
    e = _measured.get(key)
    if e is None or e[0] is not font:
        fm = QFontMetricsF(font)
        e = _measured[key] = (font, fm, fm.height(), {})
    return e


def advance(point_size: float, bold: bool, text: str) -> float:
    """``QFontMetricsF(style.font(point_size, bold)).horizontalAdvance(text)``, remembered."""
    e = _entry(point_size, bold)
    w = e[3].get(text)
    if w is None:
        if len(e[3]) > 4096:   # numbers typed over a long session: keep the table small
            e[3].clear()
        w = e[3][text] = e[1].horizontalAdvance(text)
    return w


def height(point_size: float, bold: bool = False) -> float:
    """``QFontMetricsF(style.font(point_size, bold)).height()``."""
    return _entry(point_size, bold)[2]
