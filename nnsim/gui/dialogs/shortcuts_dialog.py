"""Help › Keyboard shortcuts: every menu action's keys, read from the actions themselves, and the canvas's
own keys (:data:`nnsim.gui.canvas.keyboard.KEYS`)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from nnsim.gui.canvas.keyboard import KEYS


def action_shortcuts(window) -> list[tuple[str, str]]:
    """(keys, action) for every action of ``window`` that has a shortcut, each once, in menu-ish order."""
    rows, seen = [], set()
    for a in window.findChildren(QAction):
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in a.shortcuts() if not k.isEmpty()]
        name = a.text().replace("&", "").replace("\n", " ").rstrip("…").strip()
        if not keys or not name or (name, tuple(keys)) in seen:
            continue
        seen.add((name, tuple(keys)))
        rows.append((", ".join(keys), name))
    return rows


def shortcuts_html(window) -> str:
    def table(rows):
        return ("<table cellspacing=0 cellpadding=4>"
                + "".join(f"<tr><td><b>{k}</b></td><td>{what}</td></tr>" for k, what in rows) + "</table>")

    return ("<h3>On the canvas</h3>" + table(KEYS)
            + "<h3>Menus and pages</h3>" + table(action_shortcuts(window)))


class ShortcutsDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.text = QTextBrowser()
        self.text.setHtml(shortcuts_html(window))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.text)
        lay.addWidget(buttons)
        self.resize(640, 620)
