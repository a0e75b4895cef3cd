"""The Circuit menu's chip actions: make a chip from the selection, flatten an instance back into its parts,
open an instance and go back up. Each change is one core edit on the undo stack."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLineEdit

from nnsim.core.circuit.chip_edits import FlattenInstance, make_chip
from nnsim.core.circuit.edits import AddNode, Compound
from nnsim.core.circuit.graph import CHIP, Node
from nnsim.core.errors import UserError
from nnsim.gui.canvas import chip_view, gate_symbols
from nnsim.gui.canvas.chip_breadcrumb import ChipBreadcrumb


def free_chip_name(graph, base: str = "Chip") -> str:
    k = 1
    while f"{base}{k}" in graph.chips:
        k += 1
    return f"{base}{k}"


def make_chip_from_selection(scene, name: str | None = None, parent=None) -> bool:
    """Turn the selected neurons and chips into a new chip (asks for its name unless given)."""
    ids = scene.selected_node_ids()
    if not ids:
        scene.sigStatus.emit("Select the neurons (and chips) that should become a chip first.")
        return False
    if name is None:
        name, ok = QInputDialog.getText(parent, "Make Chip", "Name of the new chip:", QLineEdit.EchoMode.Normal,
                                        free_chip_name(scene.graph))
        if not ok:
            return False
    edit = make_chip(scene.graph, ids, name)
    try:
        edit._plan = edit.plan(scene.graph)   # checked before it reaches the undo stack
    except UserError as err:
        scene.sigStatus.emit(str(err))
        return False
    scene.push(edit)
    inst = [n.id for n in scene.graph.instances() if n.chip == name.strip()]
    scene.select_ids(inst)
    scene.sigStatus.emit(f"Made chip {name.strip()}: double-click it to see and edit its inside.")
    return True


def flatten_selection(scene) -> bool:
    """Replace each selected instance by its parts."""
    ids = [n for n in scene.selected_node_ids() if scene.graph.nodes[n].kind == CHIP]
    if not ids:
        scene.sigStatus.emit("Select a chip to flatten.")
        return False
    edits = [FlattenInstance(n) for n in ids]
    scene.push(edits[0] if len(edits) == 1 else Compound(edits, "flatten chips"))
    return True


def open_selection(scene) -> bool:
    ids = [n for n in scene.selected_node_ids() if scene.graph.nodes[n].kind == CHIP]
    if len(ids) != 1:
        scene.sigStatus.emit("Select one chip to open.")
        return False
    return scene.open_instance(ids[0])


def place_chip(scene, name: str, pos: QPointF) -> str | None:
    """Place a new instance of chip ``name`` at ``pos``; returns its id (None when refused, with a status)."""
    g = scene.graph
    if name not in g.chips:
        scene.sigStatus.emit(f"There is no chip called {name}.")
        return None
    node = Node(g.new_id("c"), CHIP, "", x=pos.x(), y=pos.y(), chip=name)
    scene.push(AddNode(node))
    if node.id not in scene.graph.nodes:   # refused (a chip may not contain itself)
        return None
    scene.select_ids([node.id])
    return node.id


def ask_place_chip(scene, view, parent=None) -> str | None:
    names = list(scene.graph.chips)
    if not names:
        scene.sigStatus.emit("This document defines no chips yet: make one from a selection first.")
        return None
    name, ok = QInputDialog.getItem(parent, "Place Chip", "Chip to place:", names, 0, False)
    return place_chip(scene, name, scene.snap_point(view.centre_point())) if ok else None


def make_actions(window, menu) -> list[QAction]:
    """Add the chip actions to ``menu`` (the Circuit menu) and put the breadcrumb on the canvas."""
    page = window.circuit
    scene = page.scene
    page.chip_breadcrumb = ChipBreadcrumb(scene, page.view)

    def action(text, slot, shortcut, tip):
        a = QAction(text, window)
        a.setShortcut(QKeySequence(shortcut))
        a.setToolTip(tip)
        a.setStatusTip(tip)
        a.triggered.connect(slot)
        menu.addAction(a)
        return a

    menu.addSeparator()
    actions = [
        action("&Make Chip from Selection…", lambda: make_chip_from_selection(scene, parent=window), "Ctrl+M",
               "The selected neurons become one chip: a box with pins, defined once, placed as instances"),
        action("&Place Chip…", lambda: ask_place_chip(scene, page.view, window), "Ctrl+Shift+P",
               "Place another instance of a chip this document defines"),
        action("&Flatten Chip", lambda: flatten_selection(scene), "Ctrl+Shift+M",
               "Put the selected chip's parts back on the canvas in its place"),
        action("&Open Chip", lambda: open_selection(scene), "Ctrl+Return",
               "See and edit the inside of the selected chip (double-click does the same)"),
        action("&Close Chip", lambda: scene.close_chip(max(0, len(scene.chip_path) - 1)), "Ctrl+Backspace",
               "Back up one level from an opened chip"),
    ]
    gates = QAction("Draw Gates as Logic &Symbols", window)
    gates.setCheckable(True)
    gates.setToolTip("Draw NAND perceptrons as NAND gates, and chips that compute NOT, AND, OR, NAND, NOR, "
                     "XOR or XNOR as those gates")
    gates.toggled.connect(lambda on: show_gates(scene, on))
    window.view_menu.addAction(gates)
    window.gate_symbols_action = gates
    return actions


def show_gates(scene, on: bool) -> None:
    gate_symbols.set_enabled(on)
    chip_view.mark_gates(scene)
    scene.update()
