"""The Tab search box: type part of a palette entry's name, press Enter, and it lands under the cursor.

A line edit with a list of matching entries right below it (both children of the canvas, no popup
window): Up/Down pick an entry, Enter or a click adds it, Escape or clicking elsewhere closes the box.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListWidget, QListWidgetItem, QWidget

from nnsim.gui import style
from nnsim.gui.canvas.presets import Preset


class NodeSearch(QLineEdit):
    """A search field over ``parent`` at ``pos``; ``on_choose(preset)`` is called with the chosen entry."""

    def __init__(self, parent: QWidget, pos: QPoint, presets: list[Preset], on_choose: Callable[[Preset], None]):
        super().__init__(parent)
        self._presets = list(presets)
        self._on_choose = on_choose
        self._done = False
        self.setPlaceholderText("Add… (type a name, Enter)")
        self.setFont(style.font(11))
        width = int(250 * style.scale())
        self.setFixedWidth(width)
        self.list = QListWidget(parent)
        self.list.setFont(style.font(10.5))
        self.list.setFixedWidth(width)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.itemClicked.connect(lambda item: self.choose_preset(item.data(Qt.ItemDataRole.UserRole)))
        self.textChanged.connect(self._filter)
        self.returnPressed.connect(self._on_return)
        # keep the box and its list inside the canvas
        self.adjustSize()
        rows_height = int(self.list.sizeHintForRow(0) if self.list.count() else 22) * 8 + 6
        x = min(max(pos.x(), 4), max(parent.width() - width - 4, 4))
        y = min(max(pos.y(), 4), max(parent.height() - self.height() - rows_height - 4, 4))
        self.move(x, y)
        self.list.move(x, y + self.height())
        self._filter("")
        self.show()
        self.list.show()
        self.list.raise_()
        self.raise_()
        self.setFocus(Qt.FocusReason.PopupFocusReason)

    def matches(self, text: str) -> list[Preset]:
        """Entries whose title contains ``text`` (any case); those that start with it come first."""
        text = text.strip().lower()
        found = [p for p in self._presets if text in p.title.lower() or text in p.key]
        return sorted(found, key=lambda p: (not p.title.lower().startswith(text), self._presets.index(p)))

    def match(self, text: str) -> Preset | None:
        found = self.matches(text) if text.strip() else []
        return found[0] if found else None

    def _filter(self, text: str) -> None:
        self.list.clear()
        for p in self.matches(text):
            item = QListWidgetItem(p.title)
            item.setData(Qt.ItemDataRole.UserRole, p)
            item.setToolTip(p.tip)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        rows = min(self.list.count(), 8)
        self.list.setFixedHeight(max(rows, 1) * max(self.list.sizeHintForRow(0), 18) + 6)
        self.list.setVisible(self.list.count() > 0)

    def _on_return(self) -> None:
        item = self.list.currentItem()
        preset = item.data(Qt.ItemDataRole.UserRole) if item is not None else self.match(self.text())
        if preset is not None:
            self.choose_preset(preset)

    def choose(self, text: str) -> None:
        preset = self.match(text)
        if preset is not None:
            self.choose_preset(preset)

    def choose_preset(self, preset: Preset) -> None:
        if self._done:
            return
        self.close_box()
        self._on_choose(preset)

    def close_box(self) -> None:
        if self._done:
            return
        self._done = True
        for w in (self.list, self):
            w.hide()
            w.deleteLater()
        if self.parentWidget() is not None:
            self.parentWidget().setFocus()

    def keyPressEvent(self, event):
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.close_box()
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.list.count():
            step = 1 if key == Qt.Key.Key_Down else -1
            self.list.setCurrentRow((self.list.currentRow() + step) % self.list.count())
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event):
        super().focusOutEvent(event)
        if not self._done and event.reason() != Qt.FocusReason.PopupFocusReason:
            self.close_box()
