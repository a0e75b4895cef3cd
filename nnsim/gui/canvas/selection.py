"""Selection gestures shared by the canvas items."""

from __future__ import annotations

from PySide6.QtCore import Qt


def shift_as_ctrl(event) -> None:
    """Shift-click adds to / removes from the selection, as Ctrl-click does in Qt: call it on a mouse
    press or release before passing the event on."""
    if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
        event.setModifiers(event.modifiers() | Qt.KeyboardModifier.ControlModifier)
