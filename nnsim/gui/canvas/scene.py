"""The canvas scene: a view of the document's graph, and the place where gestures become core edits.

The scene follows the graph's events and keeps ``nodes`` (id → :class:`NodeItem`) and ``wires``
(id → :class:`WireItem`). Every change a person makes here is pushed to the document as a core edit; the
items then follow the graph's events like any other view. A drag is one ``MoveNodes`` step pushed on
release. Node fills, output text and wire brightness come from the :class:`Simulator`'s last evaluation.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene

from nnsim.core.circuit.edits import AddWire, Compound, Edit, MoveNodes, SetNode, SetSetting, SetWeight, remove_selection
from nnsim.core.circuit.graph import Graph, Wire
from nnsim.gui import style
from nnsim.core.circuit.chip_edits import InChip
from nnsim.core.circuit.graph import CHIP, OUTPUT
from nnsim.gui.canvas import chip_view, clipboard, placement
from nnsim.gui.canvas.inline_editor import InlineEditor, parse_number
from nnsim.gui.canvas.label_grid import LabelGrid, obstacles
from nnsim.gui.canvas.node_grid import NodeGrid
from nnsim.gui.canvas.node_item import NodeItem
from nnsim.gui.canvas.presets import Preset
from nnsim.gui.canvas.simulator import Simulator
from nnsim.gui.canvas.wire_item import WireItem, wire_path
from nnsim.gui.document import Document
from nnsim.gui.user_text import isolated

PRESET_MIME = "application/x-nnsim-preset"


def default_weight(target_bias: float, target_activation: str) -> float:
    """A new wire into a NAND perceptron (step, b = 3) starts at the book's −2; any other at 1."""
    return -2.0 if target_activation == "step" and target_bias == 3 else 1.0


class CircuitScene(QGraphicsScene):
    """Items for ``document.graph``; activity from ``simulator``."""

    sigStatus = Signal(str)          # a short message for the status bar
    sigPathChanged = Signal()        # a chip was opened or closed (see chip_view)

    def __init__(self, document: Document, simulator: Simulator, parent=None):
        super().__init__(parent)
        self.document = document
        self.simulator = simulator
        self.nodes: dict[str, NodeItem] = {}
        self.grid = NodeGrid()
        self.labels = LabelGrid()
        self._unrouted: dict = {}     # targets whose incoming wires are re-routed once, after a batch of edits
        self.wires: dict[str, WireItem] = {}
        self.snap = True
        self._dragging = False
        self._draft: QGraphicsPathItem | None = None
        self._draft_source: NodeItem | None = None
        self._draft_pin = ""
        self._paste_count = 0
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.chip_path: list[str] = []      # instance ids from the top, when a chip is open
        self._shown: Graph | None = None    # the definition shown, when a chip is open
        document.graph.chip_changed.connect(self._on_chip_changed)
        document.sigReplaced.connect(self.close_chip)
        # after a whole edit (a paste, an undo, New/Open) the wires are routed at once, not at the next
        # turn of the event loop: whatever reads them next sees them placed
        document.sigReplaced.connect(self.route_pending)
        document.undo_stack.indexChanged.connect(self.route_pending)
        simulator.sigEvaluated.connect(self._on_evaluated)
        self.selectionChanged.connect(self._on_selection_changed)
        self._follow(document.graph)
        self.route_pending()
        self._on_evaluated()

    @property
    def graph(self) -> Graph:
        """The graph shown: the document, or the definition of the opened chip."""
        return self._shown if self._shown is not None else self.document.graph

    def _follow(self, g: Graph, on: bool = True) -> None:
        """Start (or stop) following ``g``'s events, and build (or drop) its items."""
        pairs = ((g.node_added, self._on_node_added), (g.node_removed, self._on_node_removed),
                 (g.wire_added, self._on_wire_added), (g.wire_removed, self._on_wire_removed),
                 (g.node_changed, self._on_node_changed), (g.wire_changed, self._on_wire_changed))
        for signal, slot in pairs:
            signal.connect(slot) if on else signal.disconnect(slot)
        if on:
            for nid in g.nodes:
                self._on_node_added(nid)
            for wid in g.wires:
                self._on_wire_added(wid)
        else:
            for wid in list(self.wires):
                self._on_wire_removed(wid)
            for nid in list(self.nodes):
                self._on_node_removed(nid)

    def _show(self, path: list[str]) -> None:
        self._follow(self.graph, False)
        self.chip_path = list(path)
        g = self.document.graph
        for inst in self.chip_path:
            g = g.chips[g.nodes[inst].chip].graph
        self._shown = g if self.chip_path else None
        self._follow(self.graph)
        self.route_pending()
        self.simulator.schedule()
        self._on_evaluated()
        self.sigPathChanged.emit()

    def open_instance(self, node_id: str) -> bool:
        """Show the inside of instance ``node_id`` of the shown graph (its chip's definition)."""
        node = self.graph.nodes.get(node_id)
        if node is None or node.kind != CHIP:
            return False
        self._show(self.chip_path + [node_id])
        return True

    def close_chip(self, depth: int = 0) -> None:
        """Go back up to ``depth`` (0: the document) — the breadcrumb's entries."""
        if depth < len(self.chip_path) or self._shown is not None:
            self._show(self.chip_path[:depth])

    def _on_chip_changed(self, name: str) -> None:
        valid = chip_view.path_is_valid(self)
        if valid < len(self.chip_path):
            self._show(self.chip_path[:valid])
        chip_view.chip_changed(self, name)

    # ----- following the graph ---------------------------------------------------------------------
    def _on_node_added(self, node_id: str) -> None:
        item = chip_view.make_item(self.graph, self.graph.nodes[node_id])
        self.nodes[node_id] = item
        self.addItem(item)
        self.grid.move(item)

    def _on_node_removed(self, node_id: str) -> None:
        item = self.nodes.pop(node_id)
        self._unrouted.pop(item, None)
        self.grid.remove(item)
        self.removeItem(item)

    def _on_wire_added(self, wire_id: str) -> None:
        w = self.graph.wires[wire_id]
        src, dst = self.nodes[w.source], self.nodes[w.target]
        item = WireItem(wire_id, src, dst, w.weight, w.source_pin, w.target_pin,
                        plain=self.graph.nodes[w.target].kind in (CHIP, OUTPUT), route=False)
        src.outgoing.append(item)
        dst.incoming.append(item)
        self.wires[wire_id] = item
        self.addItem(item)
        self._reroute_later(dst)

    def _on_wire_removed(self, wire_id: str) -> None:
        item = self.wires.pop(wire_id)
        if item in item.source.outgoing:
            item.source.outgoing.remove(item)
        if item in item.target.incoming:
            item.target.incoming.remove(item)
        self.labels.remove(item)
        self.removeItem(item)
        self._reroute_later(item.target)

    def _on_node_changed(self, node_id: str, field: str) -> None:
        item = self.nodes.get(node_id)
        if item is not None:
            item.sync(self.graph.nodes[node_id])

    def _on_wire_changed(self, wire_id: str, field: str) -> None:
        item = self.wires.get(wire_id)
        if item is not None:
            item.set_weight(self.graph.wires[wire_id].weight)

    def label_blocked(self, rect: QRectF, wire=None) -> bool:
        """Whether a weight label at ``rect`` (scene) would cover a node, its name or its bias, or the weight
        label of another wire of a nearby node (``wire`` is the one being placed)."""
        spaced = rect.adjusted(-2, -2, 2, 2)
        for other in self.labels.near(spaced):
            if other is not wire and spaced.intersects(other.label_rect()):
                return True
        left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
        for node in self.grid.near(rect):
            p = node.pos()
            x, y = p.x(), p.y()
            for x0, y0, x1, y1 in obstacles(node):   # as QRectF.intersects: overlapping area, edges apart
                if left - x < x1 and x0 < right - x and top - y < y1 and y0 < bottom - y:
                    return True
        return False

    def label_moved(self, wire: WireItem) -> None:
        """``wire``'s weight label was placed (see :class:`LabelGrid`)."""
        if wire.scene() is self:
            self.labels.place(wire, wire.label_rect())

    def _reroute_into(self, target: NodeItem) -> None:
        self._unrouted.pop(target, None)
        if hasattr(target, "reset_entry_order"):
            target.reset_entry_order()
        for w in target.incoming:
            w.update_path()

    def _reroute_later(self, target: NodeItem) -> None:
        """Re-route ``target``'s incoming wires once control returns to the event loop: a document of a
        neuron with 1,000 inputs adds 1,000 wires in a row, and re-routing all of them after each one
        would be a million routes."""
        if not self._unrouted:
            QTimer.singleShot(0, self, self.route_pending)  # with the scene as context: dropped if it goes
        self._unrouted.pop(target, None)
        self._unrouted[target] = True   # routed in the order last touched, as when each edit routed at once

    def route_pending(self) -> None:
        """Re-route now what :meth:`_reroute_later` put off (also called before anything reads paths)."""
        pending, self._unrouted = self._unrouted, {}
        for target in pending:
            try:
                here = target.scene() is self
            except RuntimeError:  # its C++ item is gone already (the scene is being torn down)
                continue
            if here:
                self._reroute_into(target)

    def node_item_moved(self, item: NodeItem) -> None:
        """A node item moved (drag or model): its wires, and the wires sharing its targets, follow."""
        self.grid.move(item)
        targets = {item}
        for w in item.outgoing:
            targets.add(w.target)
        for t in targets:
            self._reroute_into(t)
        for w in item.outgoing:
            w.update_path()

    def _on_evaluated(self) -> None:
        sim = self.simulator
        c = sim.circuit
        if c is None:
            return
        if self.chip_path and chip_view.path_is_valid(self) < len(self.chip_path):
            self._show(self.chip_path[:chip_view.path_is_valid(self)])   # undo took the opened chip away
            return
        chip_view.show_activity(self, c, sim.a, sim.z)

    # ----- selection -------------------------------------------------------------------------------
    def selected_node_ids(self) -> list[str]:
        chosen = {i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)}
        return [n for n in self.graph.nodes if n in chosen]

    def selected_wire_ids(self) -> list[str]:
        chosen = {i.wire_id for i in self.selectedItems() if isinstance(i, WireItem)}
        return [w for w in self.graph.wires if w in chosen]

    def select_ids(self, node_ids=(), wire_ids=()) -> None:
        self.clearSelection()
        for n in node_ids:
            if n in self.nodes:
                self.nodes[n].setSelected(True)
        for w in wire_ids:
            if w in self.wires:
                self.wires[w].setSelected(True)

    def select_all(self) -> None:
        for item in list(self.nodes.values()) + list(self.wires.values()):
            item.setSelected(True)

    def _on_selection_changed(self) -> None:
        nodes, wires = self.selected_node_ids(), self.selected_wire_ids()
        param = None
        g = self.graph
        if self.chip_path:
            pass   # inside a chip the ids are the definition's, not parameters of the document
        elif len(wires) == 1 and not nodes and g.nodes[g.wires[wires[0]].target].kind not in (CHIP, OUTPUT):
            param = ("w", wires[0])
        elif len(nodes) == 1 and not wires and g.nodes[nodes[0]].kind == "neuron":
            param = ("b", nodes[0])
        if param is not None or nodes or wires:
            self.document.select_param(param)

    # ----- edits -----------------------------------------------------------------------------------
    def push(self, edit: Edit, merge_key=None) -> None:
        if self.chip_path:   # inside an opened chip: the edit changes its definition (every instance)
            inst = self.document.graph
            for nid in self.chip_path[:-1]:
                inst = inst.chips[inst.nodes[nid].chip].graph
            edit = InChip(inst.nodes[self.chip_path[-1]].chip, edit)
        problem = chip_view.breaks_instances(self.document.graph, edit)
        if problem:
            self.sigStatus.emit(problem)
            return
        self.document.push(edit, merge_key)

    def snapped(self, pos: QPointF) -> QPointF:
        if not (self.snap and self._dragging):
            return pos
        g = style.GRID
        return QPointF(round(pos.x() / g) * g, round(pos.y() / g) * g)

    def snap_point(self, pos: QPointF) -> QPointF:
        if not self.snap:
            return QPointF(pos)
        g = style.GRID
        return QPointF(round(pos.x() / g) * g, round(pos.y() / g) * g)

    def add_preset(self, preset: Preset, pos: QPointF) -> list[str]:
        """Drop a palette entry centred at ``pos``; returns the new node ids (they are selected)."""
        frag = preset.make()
        pos = self.snap_point(pos)
        return self.insert_fragment(frag, pos.x(), pos.y(), f"add {preset.title}")

    def free_label(self, label: str, taken: set | None = None) -> str:
        """``label``, or ``"label 2"``, ``"label 3"``, … when a node is already called that (``taken``: the
        labels in use, by default the graph's): four NAND perceptrons dropped from the palette, or a second
        XOR gate, are told apart in the truth table, the response lab and the CLI. (A space, not a digit
        right after the name: ``NAND2`` would read as bit 2 of a number ``NAND``.)"""
        if not label:
            return label
        if taken is None:
            taken = {n.label for n in self.graph.nodes.values()}
        k = 2
        name = label
        while name in taken:
            name = f"{label} {k}"
            k += 1
        return name

    def insert_fragment(self, frag: Graph, dx: float, dy: float, label: str) -> list[str]:
        dx, dy = placement.free_offset(self, frag, dx, dy)   # never on top of a node already there
        taken = {n.label for n in self.graph.nodes.values()}
        for node in frag.nodes.values():   # a label already in use gets a number (the fragment is a copy)
            node.label = self.free_label(node.label, taken)
            taken.add(node.label)
        edit, new_ids = clipboard.insertion(self.graph, frag, dx, dy, label)
        if not self.graph.nodes and frag.expected is not None:
            # a gate dropped on an empty canvas brings its truth table (for the pass/fail marks)
            edit = Compound([SetSetting("expected", frag.expected), SetSetting("name", frag.name)] + edit.edits,
                            label)
        self.push(edit)
        self.select_ids(new_ids)
        return new_ids

    def connect_nodes(self, source: str, target: str, weight: float | None = None, source_pin: str = "",
                      target_pin: str = "") -> str | None:
        """Add a wire ``source → target`` unless it is impossible (into an input, a node to itself, twice).
        ``source_pin``/``target_pin`` name a chip instance's pins."""
        g = self.graph
        self_loop = source == target and not (source_pin and target_pin)   # a chip may feed itself back
        if self_loop or target not in g.nodes or g.nodes[target].is_input:
            self.sigStatus.emit("A wire must end on a neuron (inputs take no wires).")
            return None
        if g.wire_between(source, target, source_pin, target_pin) is not None:
            self.sigStatus.emit(f"{isolated(g.nodes[source].name)} and {isolated(g.nodes[target].name)} are "
                                "already connected.")
            return None
        t = g.nodes[target]
        if weight is None:
            weight = 1.0 if t.kind in (CHIP, OUTPUT) else default_weight(t.bias, t.activation)
        wire_id = g.new_id("w")
        try:   # the graph says why a pin cannot take this wire (driven already, no such pin …)
            g._check_pins(Wire(wire_id, source, target, weight, source_pin, target_pin), g.nodes[source], t)
            if t.kind == CHIP and any(w.target_pin == target_pin for w in g.wires_into(target)):
                raise ValueError(f"pin {target_pin} of {t.name} is already driven")
            if t.kind == OUTPUT and g.wires_into(target):
                raise ValueError(f"output {t.name} already reads a signal")
        except ValueError as err:
            self.sigStatus.emit(str(err).capitalize() + ".")
            return None
        self.push(AddWire(Wire(wire_id, source, target, weight, source_pin, target_pin)))
        if wire_id not in self.graph.wires:   # refused (the status bar says why)
            return None
        self.select_ids(wire_ids=[wire_id])
        return wire_id

    def toggle_input(self, node_id: str) -> None:
        node = self.graph.nodes[node_id]
        self.push(SetNode(node_id, {"value": 0.0 if node.value >= 0.5 else 1.0}))

    def delete_selection(self) -> None:
        nodes, wires = self.selected_node_ids(), self.selected_wire_ids()
        if nodes or wires:
            self.push(remove_selection(self.graph, nodes, wires))

    def copy_selection(self) -> bool:
        nodes = self.selected_node_ids()
        if not nodes:
            return False
        clipboard.copy_to_clipboard(clipboard.extract(self.graph, nodes))
        self._paste_count = 0
        return True

    def cut_selection(self) -> None:
        if self.copy_selection():
            nodes = self.selected_node_ids()
            self.push(Compound(remove_selection(self.graph, nodes).edits, "cut"))

    def paste(self) -> list[str]:
        frag = clipboard.fragment_from_clipboard()
        if frag is None or not frag.nodes:
            return []
        self._paste_count += 1
        d = style.PASTE_OFFSET * self._paste_count
        return self.insert_fragment(frag, d, d, "paste")

    def duplicate(self) -> list[str]:
        nodes = self.selected_node_ids()
        if not nodes:
            return []
        frag = clipboard.extract(self.graph, nodes)
        return self.insert_fragment(frag, style.PASTE_OFFSET, style.PASTE_OFFSET, "duplicate")

    def nudge_selection(self, dx: float, dy: float) -> None:
        """Move the selected nodes by (dx, dy) as one undo step."""
        g = self.graph
        moves = {nid: ((g.nodes[nid].x, g.nodes[nid].y), (g.nodes[nid].x + dx, g.nodes[nid].y + dy))
                 for nid in self.selected_node_ids()}
        if moves:
            self.push(MoveNodes(moves))

    def _commit_moves(self) -> None:
        moves = {}
        for nid, item in self.nodes.items():
            n = self.graph.nodes[nid]
            p = item.pos()
            if (p.x(), p.y()) != (n.x, n.y):
                moves[nid] = ((n.x, n.y), (p.x(), p.y()))
        if moves:
            self.push(MoveNodes(moves))

    # ----- typing values in place ------------------------------------------------------------------
    def _editor(self, scene_pos: QPointF, text: str, on_commit, width: int = 90) -> InlineEditor | None:
        views = self.views()
        if not views:
            return None
        view = views[0]
        grabber = self.mouseGrabberItem()
        if grabber is not None:  # the editor takes the keyboard; the item must not keep the mouse
            grabber.ungrabMouse()
        return InlineEditor(view.viewport(), view.mapFromScene(scene_pos), text, on_commit, width)

    def _number_commit(self, make_edit):
        def commit(text: str) -> str | None:
            try:
                value = parse_number(text)
            except ValueError:
                return f"{text!r} is not a number"
            edit = make_edit(value)
            if edit is not None and self._still_there(edit):
                self.push(edit)
            return None
        return commit

    def _still_there(self, edit) -> bool:
        """An editor left open while the document changed (undo, Open) must not edit what is gone."""
        wire_id = getattr(edit, "wire_id", None)
        node_id = getattr(edit, "node_id", None)
        return (wire_id is None or wire_id in self.graph.wires) and (node_id is None or node_id in self.graph.nodes)

    def edit_weight(self, wire_id: str) -> InlineEditor | None:
        item = self.wires[wire_id]
        w = self.graph.wires[wire_id]
        return self._editor(item.label_rect().center(), style.format_number(w.weight).replace("−", "-"),
                            self._number_commit(lambda v: SetWeight(wire_id, v) if v != w.weight else None))

    def edit_bias(self, node_id: str) -> InlineEditor | None:
        item = self.nodes[node_id]
        n = self.graph.nodes[node_id]
        return self._editor(item.mapToScene(item.bias_rect().center()), style.format_number(n.bias).replace("−", "-"),
                            self._number_commit(lambda v: SetNode(node_id, {"bias": v}) if v != n.bias else None))

    def edit_value(self, node_id: str) -> InlineEditor | None:
        item = self.nodes[node_id]
        n = self.graph.nodes[node_id]
        return self._editor(item.pos(), style.format_number(n.value).replace("−", "-"),
                            self._number_commit(lambda v: SetNode(node_id, {"value": v}) if v != n.value else None))

    def edit_label(self, node_id: str) -> InlineEditor | None:
        item = self.nodes[node_id]
        n = self.graph.nodes[node_id]

        def commit(text: str) -> str | None:
            text = text.strip()
            if node_id in self.graph.nodes and text != n.label and not (text == n.id and not n.label):
                self.push(SetNode(node_id, {"label": text}))
            return None
        return self._editor(item.mapToScene(item.label_rect().center()), n.name, commit, 120)

    # ----- drawing a new wire ----------------------------------------------------------------------
    def start_connection(self, item: NodeItem, pos: QPointF, pin: str = "") -> None:
        self._draft_source = item
        self._draft_pin = pin
        self._draft = QGraphicsPathItem()
        t = style.theme()
        pen = QPen(t.selection, 2.5 * style.scale(), Qt.PenStyle.DashLine, Qt.PenCapStyle.RoundCap)
        self._draft.setPen(pen)
        self._draft.setZValue(style.Z_DRAFT_WIRE)
        self.addItem(self._draft)
        self._update_draft(pos)

    def _update_draft(self, pos: QPointF) -> None:
        src = self._draft_source
        start = src.pos() + src.pin_local(self._draft_pin, True) if self._draft_pin else src.port_scene()
        self._draft.setPath(wire_path(start, pos))

    def node_at(self, pos: QPointF) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item
        return None

    def _finish_connection(self, pos: QPointF) -> None:
        source = self._draft_source
        self.removeItem(self._draft)
        self._draft = self._draft_source = None
        target = self.node_at(pos)
        if target is not None and target is not source:
            target_pin = ""
            if self.graph.nodes[target.node_id].kind == CHIP:   # the pin row under the pointer (a bus: a free bit)
                row = target.row_at(target.mapFromScene(pos), False)
                if row is None:
                    self.sigStatus.emit("Drop the wire on one of the chip's input pins (its left side).")
                    return
                driven = {w.target_pin for w in self.graph.wires_into(target.node_id)}
                free = [p for p in row.pins if p not in driven]
                target_pin = free[0] if free else row.pins[0]
            self.connect_nodes(source.node_id, target.node_id, source_pin=self._draft_pin, target_pin=target_pin)

    # ----- mouse -----------------------------------------------------------------------------------
    def mousePressEvent(self, event):
        self._dragging = event.button() == Qt.MouseButton.LeftButton
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event):
        if self._draft is not None:
            self._update_draft(event.scenePos())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event):
        if self._draft is not None:
            grabber = self.mouseGrabberItem()
            if grabber is not None:
                grabber.ungrabMouse()
            self._finish_connection(event.scenePos())
            event.accept()
            self._dragging = False
            return
        super().mouseReleaseEvent(event)
        if self._dragging:
            self._dragging = False
            self._commit_moves()

    # ----- drops from the palette ------------------------------------------------------------------
    def dragEnterEvent(self, event):
        if event.mimeData().hasFormat(PRESET_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event):
        if event.mimeData().hasFormat(PRESET_MIME):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event):
        if event.mimeData().hasFormat(PRESET_MIME):
            from nnsim.gui.canvas.presets import find

            key = bytes(event.mimeData().data(PRESET_MIME)).decode()
            self.add_preset(find(key), event.scenePos())
            event.acceptProposedAction()
        else:
            super().dropEvent(event)

    def items_rect(self) -> QRectF:
        """The bounding box of every node and wire (scene units)."""
        rect = QRectF()
        for item in list(self.nodes.values()) + list(self.wires.values()):
            rect = rect.united(item.sceneBoundingRect())
        return rect

