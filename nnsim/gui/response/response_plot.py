"""The response plot: one output against one weight or bias, with a draggable marker at its present value.

Three curves: the network as it is, and overlaid the same network with every neuron a perceptron and with
every neuron a sigmoid. Purple lines mark where some neuron's z crosses 0 (where perceptrons jump).
Dragging the orange marker sets the parameter on the canvas live, as one undo step per drag.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel,
                               QPushButton, QSizePolicy, QVBoxLayout, QWidget)

import pyqtgraph as pg

from nnsim.core.circuit.chip_edits import set_param
from nnsim.core.circuit.edits import Compound, SetNode
from nnsim.core.response import VARIANTS, SweepCircuit, default_range, lively_choice, variant_circuit
from nnsim.gui import style
from nnsim.gui.response.param_combo import ParamCombo
from nnsim.gui.response.plotting import UNIT_PAD, coalescing_timer, make_plot, pen, set_title, unit_axis
from nnsim.gui.user_text import isolated, isolated_html


def _num(v: float) -> str:
    return style.format_number(round(float(v), 4))


def group_crossings(crossings, tol: float) -> list[tuple[float, list[str]]]:
    """Crossings at (nearly) the same value as one ``(value, [neuron labels])``; a cascade of perceptrons
    all flip at one parameter value."""
    groups: list[tuple[float, list[str]]] = []
    for c in crossings:
        if groups and abs(c.value - groups[-1][0]) <= tol:
            groups[-1][1].append(c.label)
        else:
            groups.append((c.value, [c.label]))
    return groups


#: Largest |parameter| the sweep plot shows; beyond it the lab says so instead.
PLOT_LIMIT = 1e300


class ResponsePlot(QWidget):
    """Output ``O`` against one parameter, following the document: the curves are recomputed when anything
    but the swept parameter changes; when only that parameter changes, only the marker moves."""

    def __init__(self, document, parent=None):
        super().__init__(parent)
        self.document = document
        self._pid = None
        self._range = None
        self._key = None
        self._sweepers = {}
        self._sweepers_for = None
        self._drag_serial = 0
        self._stale = True
        self.result = None   # (values (K,), {variant: (K,)}, crossings) of the last full refresh
        self._titled = None

        self.combo = ParamCombo(document)
        self.output_combo = QComboBox()
        self.output_combo.setToolTip("The output neuron plotted")
        self.boxes = {v: QCheckBox(style.RESPONSE_VARIANT_TITLES[v]) for v in VARIANTS}
        for v, box in self.boxes.items():
            box.setChecked(True)
            # colour through the palette and only the weight in the font (not a style sheet, which froze
            # the size): the text grows with the rest in presentation mode
            bold = QFont()
            bold.setBold(True)
            box.setFont(bold)
            box.toggled.connect(self._on_settings)
        self.lo_spin, self.hi_spin = QDoubleSpinBox(), QDoubleSpinBox()
        for spin, tip in ((self.lo_spin, "left end of the range"), (self.hi_spin, "right end of the range")):
            spin.setRange(-1e6, 1e6)
            spin.setDecimals(2)
            spin.setKeyboardTracking(False)
            spin.setToolTip(tip)
            spin.setMinimumWidth(80)  # narrower than its ±1e6 range asks: the lab fits beside the side panels
            spin.valueChanged.connect(self._on_range_edited)
        self.centre_button = QPushButton("Centre")
        self.centre_button.setToolTip("Centre the range on the present value")
        self.centre_button.clicked.connect(self.centre)

        self.plot = make_plot("parameter value", "output O")
        self.plot.setMinimumHeight(120)  # the lab's dock is short: the plot shrinks, nothing scrolls
        item = self.plot.getPlotItem()
        self.curves = {}
        for v in VARIANTS:
            width = style.RESPONSE_CURVE_WIDTH if v == "as_is" else style.RESPONSE_OVERLAY_WIDTH
            self.curves[v] = item.plot([], [], pen=pen(style.response_colour(v), width, dashed=v != "as_is"),
                                       name=style.RESPONSE_VARIANT_TITLES[v], antialias=True)
        for v in ("perceptron", "sigmoid"):
            self.curves[v].setZValue(3)   # dashes drawn over the solid curve stay visible where they agree
        self.crossing_lines = item.plot([], [], pen=pen(style.crossing_colour(), 1.5, dotted=True),
                                        connect="pairs")
        self.crossing_labels = []
        for _ in range(style.RESPONSE_MAX_CROSSING_LABELS):
            label = pg.TextItem("", color=style.crossing_colour(), anchor=(-0.04, 0.5),
                                fill=pg.mkBrush(style.theme().label_fill))
            label.setFont(style.font(style.RESPONSE_PLOT_FONT_PT - 1))
            label.hide()
            item.addItem(label, ignoreBounds=True)
            self.crossing_labels.append(label)
        self.marker = pg.InfiniteLine(angle=90, movable=True, pen=pen(style.RESPONSE_MARKER_COLOUR, 3),
                                      hoverPen=pen(style.RESPONSE_MARKER_COLOUR, 5),
                                      label="{value:.3f}", labelOpts={"position": 0.93, "color": style.RESPONSE_MARKER_COLOUR,
                                                                     "fill": style.theme().label_fill})
        self.marker.setZValue(5)
        self.marker.setToolTip("Drag to change the parameter on the canvas")
        item.addItem(self.marker, ignoreBounds=True)
        self.dot = pg.ScatterPlotItem(size=13 * style.scale(), brush=pg.mkBrush(style.RESPONSE_MARKER_COLOUR),
                                      pen=pg.mkPen(style.theme().text, width=1.5))
        self.dot.setZValue(6)
        item.addItem(self.dot)
        self.recolour()
        self.marker.sigDragged.connect(self._on_marker_dragged)
        self.marker.sigPositionChangeFinished.connect(self._on_marker_released)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setFont(style.font(style.RESPONSE_PLOT_FONT_PT))
        self.status.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        # Two lines at the dock's width; a wrapped label's own minimum (its text wrapped narrow) would make
        # the whole lab taller than its dock whenever the message grows.
        self.status.setMinimumHeight(2 * self.status.fontMetrics().lineSpacing() + 4)

        top = QHBoxLayout()
        top.addWidget(QLabel("Parameter"))
        top.addWidget(self.combo, 1)
        top.addWidget(QLabel("Output"))
        top.addWidget(self.output_combo)
        row2 = QHBoxLayout()
        for box in self.boxes.values():
            row2.addWidget(box)
        row2.addStretch(1)
        self._range_labels = [QLabel("from"), QLabel("to")]
        row2.addWidget(self._range_labels[0])
        row2.addWidget(self.lo_spin)
        row2.addWidget(self._range_labels[1])
        row2.addWidget(self.hi_spin)
        row2.addWidget(self.centre_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(row2)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.status)

        self._timer = coalescing_timer(self, self.refresh)
        self._coarse = False   # the curves were drawn with fewer points during a gesture elsewhere
        self._settle = coalescing_timer(self, self._on_settle, style.RESPONSE_SETTLE_MS)
        document.graph.changed.connect(self._on_graph_changed)
        document.sigReplaced.connect(self._on_replaced)
        self.combo.sigParamChosen.connect(self._on_param_chosen)
        self.output_combo.currentIndexChanged.connect(self._on_settings)
        self.output_combo.activated.connect(self._on_output_chosen)
        self._pid = self.combo.current_param()
        self.pick_lively(opening=True)
        self.refresh()

    def recolour(self) -> None:
        """The variant colours for the present palette (lighter on dark): check boxes and curves."""
        for v, box in self.boxes.items():
            palette = box.palette()
            palette.setColor(QPalette.ColorRole.WindowText, QColor(style.response_colour(v)))
            box.setPalette(palette)
            curve = self.curves[v]
            p = pg.mkPen(curve.opts["pen"])
            p.setColor(QColor(style.response_colour(v)))
            curve.setPen(p)
        fill = pg.mkBrush(style.theme().label_fill)
        for label in self.crossing_labels:
            label.fill = fill
            label.setColor(style.crossing_colour())
        p = pg.mkPen(self.crossing_lines.opts["pen"])
        p.setColor(QColor(style.crossing_colour()))
        self.crossing_lines.setPen(p)
        self.dot.setPen(pg.mkPen(style.theme().text, width=1.5))

    # ----- following the model ---------------------------------------------------------------------
    def _on_graph_changed(self):
        self._timer.start()

    def _on_replaced(self):
        self._range = None
        with QSignalBlocker(self.output_combo):
            self.output_combo.setCurrentIndex(0)
        self.pick_lively(opening=True)
        self._timer.start()

    def _on_output_chosen(self, _index=None):
        self.pick_lively(opening=False)

    def pick_lively(self, opening: bool) -> bool:
        """Plot a parameter (and, if need be, an input row) for which the chosen output moves inside the
        range: the output neuron's bias, or a weight from an input at 1 (see
        :func:`nnsim.core.response.lively_choice`), so a document opens on a jump or a glide, not a flat
        line. On opening, inputs are set as part of the opening (no undo step); when the student picks
        another output, as one undoable edit. False when nothing moves the output."""
        circuit = self.document.live.circuit
        if not circuit.output_ids or not circuit.params:
            return False
        k = self._update_outputs(circuit)
        choice = lively_choice(circuit, k)
        if choice is None:
            return False
        pid, x = choice
        if not np.array_equal(x, circuit.input_values):
            ids = circuit.input_ids
            if opening:
                self.document.graph.set_inputs(x)
            else:
                self.document.push(Compound([SetNode(i, {"value": float(v)}) for i, v in zip(ids, x)
                                             if self.document.graph.nodes[i].value != v], "inputs for the plot"))
        self.combo.choose(pid)
        self._pid = self.combo.current_param()
        self._range = None
        self._key = None
        return True

    def _on_param_chosen(self, pid):
        self._pid = pid
        self._range = None
        self._follow_output(pid)
        self.refresh()

    def _follow_output(self, pid) -> None:
        """The bias of an output neuron, or a wire into one, plots that output (a student who picks the last
        NAND's bias expects its own curve, not a flat line of another output)."""
        if pid is None:
            return
        kind, key = pid
        g = self.document.graph
        node = key if kind == "b" else (g.wires[key].target if key in g.wires else None)
        circuit = self.document.live.circuit
        if node is None or node not in circuit.output_ids:
            return
        self._update_outputs(circuit)
        with QSignalBlocker(self.output_combo):
            self.output_combo.setCurrentIndex(circuit.output_ids.index(node))
        self._key = None

    def _on_settings(self, *_):
        self._key = None
        self.refresh()

    def _on_range_edited(self, *_):
        lo, hi = self.lo_spin.value(), self.hi_spin.value()
        if hi > lo and self._range is not None and (lo, hi) != self._range:
            self._range = (lo, hi)
            self.refresh()

    def showEvent(self, event):
        super().showEvent(event)
        if self._stale:
            self._timer.start()

    def _on_settle(self) -> None:
        if self._coarse:
            if self.document.merge_open:
                self._settle.start()
            else:
                self._key = None
                self.refresh()

    def centre(self) -> None:
        """Centre the range on the parameter's present value."""
        self._range = None
        self.refresh()

    # ----- computing -------------------------------------------------------------------------------
    def _param(self):
        circuit = self.document.live.circuit
        if self._pid is None or tuple(self._pid) not in circuit.param_index:
            return circuit, None
        return circuit, circuit.params[circuit.param_index[tuple(self._pid)]]

    def _label(self, node_id: str) -> str:
        """A node's name now (a relabel does not recompile the live circuit, so its labels can lag)."""
        node = self.document.graph.nodes.get(node_id)
        return node.name if node is not None else node_id

    def _param_name(self, p) -> str:
        return self.combo.currentText() if self.combo.current_param() == (p.kind, p.id) else p.name

    def _update_outputs(self, circuit) -> int:
        names = [self._label(o) for o in circuit.output_ids]
        current = [self.output_combo.itemText(i) for i in range(self.output_combo.count())]
        if names != current:
            keep = self.output_combo.currentText()
            with QSignalBlocker(self.output_combo):
                self.output_combo.clear()
                self.output_combo.addItems(names)
                self.output_combo.setCurrentIndex(names.index(keep) if keep in names else 0)
        return max(self.output_combo.currentIndex(), 0)

    def _sweeper(self, variant, circuit, p):
        """A SweepCircuit per variant, rebuilt when the structure or the parameter changes."""
        owner = (id(circuit), circuit.structure_revision, p)
        if self._sweepers_for != owner:
            self._sweepers = {}
            self._sweepers_for = owner
        if variant not in self._sweepers:
            g, c = variant_circuit(self.document.graph, variant, circuit)
            self._sweepers[variant] = (c, SweepCircuit(g, p, c))
        c, sc = self._sweepers[variant]
        if c is not circuit:
            c.set_param_vector(circuit.param_vector())
        return c, sc

    def refresh(self) -> None:
        """Recompute what changed: everything, or (when only the swept parameter moved) just the marker."""
        self._timer.stop()
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        circuit, p = self._param()
        k = self._update_outputs(circuit) if circuit.output_ids else None
        if p is None or k is None:
            self._clear("Pick a weight or bias above, or click a wire or neuron on the canvas."
                        if k is not None else "This network has no output neuron yet.")
            return
        value = circuit.get_param(p)
        if not abs(value) <= PLOT_LIMIT:   # pyqtgraph cannot lay out an axis out there (its range overflows)
            self._clear(f"{isolated(self.combo.currentText())} = {value:.3g} is too large to plot here (the plot "
                        f"reaches ±{PLOT_LIMIT:g}); give it a smaller value on the canvas or in the inspector.")
            return
        self._show_plot(True)
        if self._range is None or not (self._range[0] <= value <= self._range[1]):
            self._range = default_range(value)
        x = circuit.input_values.copy()
        others = circuit.param_vector()
        others[circuit.param_index[(p.kind, p.id)]] = 0.0
        shown = tuple(v for v, box in self.boxes.items() if box.isChecked())
        key = (id(circuit), circuit.structure_revision, p, x.tobytes(), others.tobytes(), self._range, shown, k)
        if key != self._key:
            self._key = key
            self._full_refresh(circuit, p, x, k, shown)
        self.marker.show()
        self._move_marker(circuit, p, value, x, k)

    def _full_refresh(self, circuit, p, x, k, shown):
        lo, hi = self._range
        with QSignalBlocker(self.lo_spin), QSignalBlocker(self.hi_spin):
            self.lo_spin.setValue(lo)
            self.hi_spin.setValue(hi)
        n = style.RESPONSE_LOOP_POINTS if circuit.has_loop else style.RESPONSE_SWEEP_POINTS
        self._coarse = self.document.merge_open   # another weight is being dragged: fewer points meanwhile
        if self._coarse:
            n = min(n, style.RESPONSE_GESTURE_POINTS)
            self._settle.start()
        values = np.linspace(lo, hi, n)
        outs, crossings = {}, []
        for v in VARIANTS:
            if v not in shown:
                self.curves[v].setData([], [])
                continue
            c, sc = self._sweeper(v, circuit, p)
            a, z = sc.states(x, values)
            outs[v] = a[:, c.output_cols[k]]
            self.curves[v].setData(values, outs[v])
            if v == "as_is":
                crossings = sc.crossings(x, values, z)
        self.result = (values, outs, crossings)
        item = self.plot.getPlotItem()
        all_y = np.concatenate([o for o in outs.values()] or [np.zeros(1)])
        if np.all((all_y >= -1e-9) & (all_y <= 1 + 1e-9)):
            # 0 and 1, the two values a perceptron gives, always labelled: room for their text inside the
            # plot (pyqtgraph drops a label that would stick out of it), and fixed ticks
            unit_axis(item)
            y0, y1 = -UNIT_PAD, 1 + UNIT_PAD
        else:
            item.getAxis("left").setTicks(None)
            y0, y1 = float(np.min(all_y)), float(np.max(all_y))
            pad = 0.05 * max(y1 - y0, 1e-6)
            y0, y1 = y0 - pad, y1 + pad
        item.setXRange(lo, hi, padding=0.02)
        item.setYRange(y0, y1, padding=0)
        self.marker.setBounds((lo, hi))
        groups = group_crossings(crossings, 1e-9 * max(1.0, hi - lo))
        xs = np.repeat([g[0] for g in groups], 2)
        ys = np.tile([y0, y1], len(groups))
        self.crossing_lines.setData(xs, ys)
        for i, label in enumerate(self.crossing_labels):
            if i < len(groups):
                names = groups[i][1]
                label.show()
                label.setText("z = 0: " + ", ".join(names[:3]) + (" …" if len(names) > 3 else ""))
                # below the marker's value label (near the top) and apart from each other
                label.setPos(groups[i][0], y0 + (0.72 - 0.1 * (i % 3)) * (y1 - y0))
                label.updateTransform(force=True)   # a label shown after view changes keeps a stale transform
            else:
                label.hide()
        self._crossings = crossings

    def _move_marker(self, circuit, p, value, x, k):
        self.marker.setValue(value)   # sigDragged (our edit) only fires for the user's drags
        o = float(circuit.feedforward(x[None, :])[0, k])
        self.dot.setData([value], [o])
        out_name = self._label(circuit.output_ids[k])
        name = self._param_name(p)
        if (name, out_name) != self._titled:
            self._titled = (name, out_name)
            item = self.plot.getPlotItem()
            item.setLabel("bottom", name)
            item.setLabel("left", out_name)
            set_title(self.plot, f"{isolated_html(out_name)} as {isolated_html(name)} moves")
        inputs = ", ".join(f"{isolated_html(self._label(i))} = {_num(v)}" for i, v in zip(circuit.input_ids, x))
        lines = [f"<b>{isolated_html(out_name)} = {_num(o)}</b> at {isolated_html(self._param_name(p))} = "
                 f"{_num(value)} (inputs {inputs or 'none'}). Drag the orange line to change it."]
        crossings = getattr(self, "_crossings", [])
        groups = group_crossings(crossings, 1e-9 * max(1.0, abs(value)))
        if groups:
            shown = "; ".join(f"{_num(v)} ({', '.join(map(isolated_html, names))})" for v, names in groups[:5])
            more = f" and {len(groups) - 5} more" if len(groups) > 5 else ""
            lines.append(f"<span style='color:{style.crossing_colour()}'>z = 0 at {shown}{more}</span>: "
                         "there perceptrons jump; sigmoid neurons glide through.")
        else:
            lines.append("No neuron's z crosses 0 in this range, so a perceptron output stays put here.")
        self.status.setText("<br>".join(lines))

    def _show_plot(self, shown: bool) -> None:
        """Nothing to plot (an empty document): no empty axes "from 0.00 to 0.00", only the message."""
        for w in (self.plot, self.lo_spin, self.hi_spin, self.centre_button):
            w.setVisible(shown)
        self._range_labels = getattr(self, "_range_labels", [])
        for label in self._range_labels:
            label.setVisible(shown)

    def _clear(self, message: str) -> None:
        self._show_plot(False)
        self._key = None
        self.result = None
        self._crossings = []
        for c in self.curves.values():
            c.setData([], [])
        self.crossing_lines.setData([], [])
        for label in self.crossing_labels:
            label.hide()
        self.dot.setData([], [])
        self.marker.hide()   # nothing to drag: no stray orange line reading 0.000 on an empty plot
        self.status.setText(message)

    # ----- dragging the marker ---------------------------------------------------------------------
    def _on_marker_dragged(self, line) -> None:
        circuit, p = self._param()
        if p is None:
            return
        v = round(float(line.value()), style.RESPONSE_MARKER_DECIMALS)
        self.set_value(v, merge_key=("response-marker", p.kind, p.id, self._drag_serial))

    def _on_marker_released(self, line) -> None:
        self.document.end_merge()
        self._drag_serial += 1

    def set_value(self, value: float, merge_key=None) -> None:
        """Set the plotted parameter in the document (an undoable edit) and move the marker at once."""
        circuit, p = self._param()
        if p is None:
            return
        if circuit.get_param(p) == value:
            self.refresh()   # snap the marker back onto the rounded value
            return
        edit = set_param(self.document.graph, p.kind, p.id, value)   # inside a chip: in its definition
        self.document.push(edit, merge_key=merge_key)
        self.refresh()
