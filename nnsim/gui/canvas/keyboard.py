"""The canvas without a mouse: move between nodes, pick a wire, connect two nodes, set a weight, bias or
input, toggle an input. :class:`CanvasKeys` handles the keys while the canvas has the focus (an inline
editor keeps its own keys); :data:`KEYS` lists them for Help › Keyboard shortcuts.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt

#: (keys, what they do) for the canvas, shown in Help › Keyboard shortcuts.
KEYS = [
    ("Alt+←/→/↑/↓", "select the nearest node in that direction (nothing selected: the one nearest the centre)"),
    ("Shift+Alt+←/→/↑/↓", "add the nearest node in that direction to the selection"),
    ("[ / ]", "select the previous / next wire of the selected node (its weight can then be set)"),
    ("Enter", "input: switch it 0/1; neuron: type its bias; wire: type its weight"),
    ("Shift+Enter", "input: type its value"),
    ("F2", "rename the selected node"),
    ("C", "connect two selected nodes (from the one on the left, or the input, to the other)"),
    ("←/→/↑/↓", "move the selection one grid step (Shift: one unit)"),
    ("Delete, Backspace", "delete the selection"),
    ("Tab", "add a node: search the palette (it lands at the pointer or the centre, never on a node)"),
    ("Space+drag, middle-drag", "pan; the wheel zooms"),
]

_DIRECTIONS = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}


class CanvasKeys:
    """Keyboard handling for one :class:`~nnsim.gui.canvas.view.CircuitView`."""

    def __init__(self, view):
        self.view = view
        self._wire_index = -1

    @property
    def scene(self):
        return self.view.circuit_scene

    def handle(self, event) -> bool:
        """Act on ``event`` (a key press); True when it was one of ours."""
        key, mods = event.key(), event.modifiers()
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if key in _DIRECTIONS and alt:
            self.step_selection(*_DIRECTIONS[key], extend=shift)
            return True
        if mods & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier
                    | Qt.KeyboardModifier.ControlModifier):
            return False
        if key in (Qt.Key.Key_BracketLeft, Qt.Key.Key_BracketRight) and not ctrl:
            self.cycle_wire(1 if key == Qt.Key.Key_BracketRight else -1)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not ctrl:   # Ctrl+Enter opens a chip
            return self.activate(type_value=shift)
        if key == Qt.Key.Key_F2 and not ctrl:
            nodes = self.scene.selected_node_ids()
            if len(nodes) == 1:
                self.scene.edit_label(nodes[0])
                return True
            return False
        if key == Qt.Key.Key_C and not (ctrl or shift):
            return self.connect_selected()
        return False

    # ----- moving between nodes --------------------------------------------------------------------
    def step_selection(self, dx: int, dy: int, extend: bool = False) -> str | None:
        """Select the node nearest the current one in direction (dx, dy); returns its id."""
        scene = self.scene
        items = scene.nodes
        if not items:
            return None
        selected = scene.selected_node_ids()
        if selected:
            here = items[selected[-1]].pos()
        else:
            here = self.view.centre_point()
        best, best_cost = None, math.inf
        for nid, item in items.items():
            if nid in selected:
                continue
            d = item.pos() - here
            along = d.x() * dx + d.y() * dy
            across = abs(d.x() * dy) + abs(d.y() * dx)
            if selected and along <= 1e-6:
                continue
            cost = math.hypot(d.x(), d.y()) if not selected else along + 2 * across
            if cost < best_cost:
                best, best_cost = nid, cost
        if best is None:
            return None
        scene.select_ids((selected + [best]) if extend else [best])
        self._wire_index = -1
        self.view.ensureVisible(items[best], 40, 40)
        return best

    def cycle_wire(self, step: int) -> str | None:
        """Select the next (or previous) wire touching the selected node, or after the selected wire."""
        scene, g = self.scene, self.scene.graph
        nodes = scene.selected_node_ids()
        wires = scene.selected_wire_ids()
        if nodes:
            anchor = nodes[-1]
        elif wires and wires[0] in g.wires:
            anchor = g.wires[wires[0]].target
        else:
            return None
        touching = [w.id for w in g.wires.values() if anchor in (w.source, w.target)]
        if not touching:
            return None
        if wires and wires[0] in touching:
            self._wire_index = touching.index(wires[0])
        self._wire_index = (self._wire_index + step) % len(touching) if self._wire_index >= 0 else \
            (0 if step > 0 else len(touching) - 1)
        wire = touching[self._wire_index]
        scene.select_ids(wire_ids=[wire])
        if wire in scene.wires:
            self.view.ensureVisible(scene.wires[wire], 40, 40)
        return wire

    # ----- acting on the selection -----------------------------------------------------------------
    def activate(self, type_value: bool = False) -> bool:
        scene, g = self.scene, self.scene.graph
        nodes, wires = scene.selected_node_ids(), scene.selected_wire_ids()
        if len(nodes) == 1 and not wires:
            node = g.nodes.get(nodes[0])
            if node is None:
                return False
            if node.is_input:
                if type_value:
                    scene.edit_value(node.id)
                else:
                    scene.toggle_input(node.id)
                return True
            if hasattr(node, "bias") and node.id in scene.nodes and hasattr(scene.nodes[node.id], "bias_rect"):
                scene.edit_bias(node.id)
                return True
            return False
        if len(wires) == 1 and not nodes:
            scene.edit_weight(wires[0])
            return True
        return False

    def connect_selected(self) -> bool:
        """Two nodes selected: a wire from the input (or the one further left) to the other."""
        scene, g = self.scene, self.scene.graph
        nodes = scene.selected_node_ids()
        if len(nodes) != 2:
            scene.sigStatus.emit("Select two nodes to connect (Alt+arrows, Shift+Alt+arrows), then press C.")
            return True
        a, b = (g.nodes[n] for n in nodes)
        if b.is_input and not a.is_input:
            a, b = b, a
        elif a.is_input == b.is_input:
            pa, pb = scene.nodes[a.id].pos(), scene.nodes[b.id].pos()
            if (pb.x(), pb.y()) < (pa.x(), pa.y()):
                a, b = b, a
        scene.connect_nodes(a.id, b.id)
        return True
