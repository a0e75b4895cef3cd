"""Small helpers shared by the response lab's plots: a styled PlotWidget, pens, and a coalescing timer."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer

import pyqtgraph as pg  # noqa: E402  (PySide6 first, see nnsim.gui)

from nnsim.gui import style


def pen(colour: str, width: float, dashed: bool = False, dotted: bool = False):
    """A cosmetic pen in ``colour`` (hex) scaled for presentation mode."""
    p = pg.mkPen(colour, width=width * style.scale())
    if dashed:
        p.setStyle(Qt.PenStyle.DashLine)
    elif dotted:
        p.setStyle(Qt.PenStyle.DotLine)
    return p


class _PowersOfTenAxis(pg.AxisItem):
    """A log axis that labels only powers of ten (pyqtgraph labels 2…9 too, and they collide)."""

    def logTickStrings(self, values, scale, spacing):
        return [f"{10.0 ** v:g}" if abs(v - round(v)) < 1e-6 else "" for v in values]


def make_plot(x_label: str = "", y_label: str = "", title: str = "", log_y: bool = False) -> pg.PlotWidget:
    """A PlotWidget in the application's colours, with readable axis labels and no context menu; with
    ``log_y`` the y axis is logarithmic and labelled at powers of ten."""
    t = style.theme()
    axes = {"left": _PowersOfTenAxis("left")} if log_y else None
    w = pg.PlotWidget(background=t.background, axisItems=axes)
    item = w.getPlotItem()
    if log_y:
        item.setLogMode(x=False, y=True)
    item.setMenuEnabled(False)
    item.hideButtons()
    item.showGrid(x=True, y=True, alpha=0.25)
    text = t.text.name()
    font = style.font(style.RESPONSE_PLOT_FONT_PT)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(text))
        axis.setTextPen(pg.mkPen(text))
        axis.setTickFont(font)
        axis.enableAutoSIPrefix(False)
    label_style = {"color": text, "font-size": f"{style.RESPONSE_PLOT_FONT_PT * style.scale():.0f}pt"}
    if x_label:
        item.setLabel("bottom", x_label, **label_style)
    if y_label:
        item.setLabel("left", y_label, **label_style)
    if title:
        set_title(w, title)
    return w


def set_title(plot: pg.PlotWidget, title: str) -> None:
    plot.getPlotItem().setTitle(title, color=style.theme().text.name(),
                                size=f"{style.RESPONSE_TITLE_FONT_PT * style.scale():.0f}pt")


#: Room below 0 and above the top of a 0–1 axis, so a curve at 0 or 1 never sits on the frame.
UNIT_PAD = 0.12


def unit_axis(item, top: float = 1.0) -> None:
    """A y axis for a quantity between 0 and 1 (``top`` may be more, e.g. a steep σ′): 0, ½ and 1 always
    labelled (pyqtgraph drops a label that would stick out), and padding above and below."""
    major = [(0.0, "0"), (0.5, "½"), (1.0, "1")]
    major += [(float(v), f"{v:g}") for v in range(2, int(top) + 1)]
    item.getAxis("left").setTicks([major, [(v, "") for v in (0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9)]])
    item.setYRange(-UNIT_PAD * max(top, 1.0), top + UNIT_PAD * max(top, 1.0), padding=0)


def coalescing_timer(parent: QObject, slot, interval_ms: int = 0) -> QTimer:
    """A single-shot timer: calling ``start()`` many times runs ``slot`` once, ``interval_ms`` later."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    return timer


def error_style() -> str:
    return f"color: {style.RESPONSE_ERROR_COLOUR};"


def restyle_plot(plot: pg.PlotWidget, ratio: float) -> None:
    """Re-apply the fonts of :func:`make_plot` and :func:`set_title` at the present presentation scale, and
    scale every line's pen width, marker size and text label by ``ratio`` (new scale / old scale): plots are
    built once, so presentation mode (F5) reaches them only through here."""
    item = plot.getPlotItem()
    text = style.theme().text.name()
    size = f"{style.RESPONSE_PLOT_FONT_PT * style.scale():.0f}pt"
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setTickFont(style.font(style.RESPONSE_PLOT_FONT_PT))
        if axis.labelText:
            axis.setLabel(axis.labelText, units=axis.labelUnits or None, unitPrefix=axis.labelUnitPrefix or None,
                          **{**axis.labelStyle, "color": text, "font-size": size})
    title = item.titleLabel
    if title.isVisible() and title.text:
        old = float(str(title.opts.get("size", "0pt")).rstrip("pt") or 0)
        small = abs(old - style.RESPONSE_PLOT_FONT_PT * style.scale() / ratio) < 0.6   # a gallery title
        pt = (style.RESPONSE_PLOT_FONT_PT if small else style.RESPONSE_TITLE_FONT_PT) * style.scale()
        item.setTitle(title.text, color=text, size=f"{pt:.0f}pt")
    if ratio == 1.0:
        return
    for child in item.items:
        if isinstance(child, pg.PlotDataItem):
            if child.opts.get("pen") is not None:
                child.setPen(_scaled_pen(child.opts["pen"], ratio))
        elif isinstance(child, pg.InfiniteLine):
            child.setPen(_scaled_pen(child.pen, ratio))
            child.setHoverPen(_scaled_pen(child.hoverPen, ratio))
        elif isinstance(child, pg.ScatterPlotItem):
            child.setSize(child.opts["size"] * ratio)
        elif isinstance(child, pg.TextItem):
            f = child.textItem.font()
            f.setPointSizeF(f.pointSizeF() * ratio)
            child.setFont(f)


def recolour_plot(plot: pg.PlotWidget) -> None:
    """Background, axes, labels and title in the present palette's colours (after a theme switch)."""
    t = style.theme()
    text = t.text.name()
    plot.setBackground(t.background)
    item = plot.getPlotItem()
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(text))
        axis.setTextPen(pg.mkPen(text))
        if axis.labelText:
            axis.setLabel(axis.labelText, units=axis.labelUnits or None, unitPrefix=axis.labelUnitPrefix or None,
                          **{**axis.labelStyle, "color": text})
    title = item.titleLabel
    if title.isVisible() and title.text:
        item.setTitle(title.text, **{**title.opts, "color": text})


def _scaled_pen(p, ratio: float):
    p = pg.mkPen(p)
    if p.style() != Qt.PenStyle.NoPen:
        p.setWidthF(p.widthF() * ratio)
    return p
