"""The "spread across seeds" view: for runs that differ only in their seed, a min–max band and the median.

One :class:`SpreadBands` per plot; :meth:`SpreadBands.update` takes the groups of runs (RunHistory lists)
and an attribute (``"test_pct"``, ``"epoch_cost"``) and keeps one band, one median line and one legend
entry per group, created once and then only fed with ``setData``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

import pyqtgraph as pg

from nnsim.gui.training import look
from nnsim.gui.training.history import spread


class _Band:
    def __init__(self, plot: pg.PlotItem, colour: str, label: str):
        self.low = pg.PlotDataItem(pen=pg.mkPen(colour, width=1))
        self.high = pg.PlotDataItem(pen=pg.mkPen(colour, width=1))
        fill = QColor(colour)
        fill.setAlpha(look.SPREAD_ALPHA)
        self.fill = pg.FillBetweenItem(self.low, self.high, brush=pg.mkBrush(fill))
        self.median = pg.PlotDataItem(pen=pg.mkPen(colour, width=look.CURVE_WIDTH), symbol="o",
                                      symbolSize=look.SYMBOL_SIZE - 2, symbolBrush=colour, symbolPen="w")
        for item in (self.fill, self.low, self.high, self.median):
            plot.addItem(item)
        self.label = label
        plot.legend.addItem(self.median, label)
        self.items = (self.fill, self.low, self.high, self.median)

    def set(self, epochs, low, mid, high):
        x = np.asarray(epochs, float)
        self.low.setData(x, np.asarray(low, float))
        self.high.setData(x, np.asarray(high, float))
        self.median.setData(x, np.asarray(mid, float))


class SpreadBands:
    """Bands of one plot, keyed by group label."""

    def __init__(self, plot: pg.PlotItem, attribute: str):
        self.plot = plot
        self.attribute = attribute
        self.bands: dict[str, _Band] = {}

    def update(self, groups: dict[str, list]) -> None:
        """Draw the spread of each group with two runs or more (``{label: [RunHistory, ...]}``)."""
        several = sum(len(runs) > 1 for runs in groups.values()) > 1
        for label, runs in groups.items():
            if len(runs) < 2:
                continue
            band = self.bands.get(label)
            if band is None:  # short: the legend shares the plot's width
                name = f"{len(runs)} seeds: median, min–max" + (f" ({_differs(label, groups)})" if several else "")
                band = self.bands[label] = _Band(self.plot, look.run_colour(runs[0].number), name)
            band.set(*spread(runs, self.attribute))

    def clear(self) -> None:
        for band in self.bands.values():
            for item in band.items:
                self.plot.removeItem(item)
            self.plot.legend.removeItem(band.median)
        self.bands.clear()

    def values(self) -> list[float]:
        """Every value drawn (for the axis range)."""
        out = []
        for band in self.bands.values():
            for item in (band.low, band.high):
                ys = item.getData()[1]
                if ys is not None:
                    out += [float(v) for v in ys if np.isfinite(v)]
        return out


def _differs(label: str, groups) -> str:
    """The parts of a group label ("784-30-10, η=3, m=10") that other groups do not share."""
    parts = label.split(", ")
    others = [g.split(", ") for g in groups if g != label]
    own = [p for p in parts if any(p not in o for o in others)]
    return ", ".join(own) or label
