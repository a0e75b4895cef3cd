"""The Tab search box: type part of a palette entry's name, press Enter, and it lands under the cursor."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QPoint, QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from nnsim.gui import style
from nnsim.gui.canvas.presets import Preset


class NodeSearch(QLineEdit):
    """A search field over ``parent`` at ``pos``; ``on_choose(preset)`` is called with the chosen entry."""

    def __init__(self, parent: QWidget, pos: QPoint, presets: list[Preset], on_choose: Callable[[Preset], None]):
        super().__init__(parent)
        self._presets = {p.title: p for p in presets}
        self._on_choose = on_choose
        self._done = False
        self.setPlaceholderText("Add… (type a name, Enter)")
        self.setFont(style.font(11))
        self.setFixedWidth(int(240 * style.scale()))
        completer = QCompleter(QStringListModel(list(self._presets)), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.activated.connect(self.choose)
        self.setCompleter(completer)
        self.returnPressed.connect(lambda: self.choose(self.text()))
        self.move(pos)
        self.show()
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        completer.setCompletionPrefix("")
        completer.complete()

    def match(self, text: str) -> Preset | None:
        text = text.strip().lower()
        if not text:
            return None
        exact = [p for t, p in self._presets.items() if t.lower() == text]
        if exact:
            return exact[0]
        found = [p for t, p in self._presets.items() if text in t.lower()]
        return found[0] if found else None

    def choose(self, text: str) -> None:
        if self._done:
            return
        preset = self.match(text)
        if preset is None:
            return
        self.close_box()
        self._on_choose(preset)

    def close_box(self) -> None:
        self._done = True
        self.hide()
        self.deleteLater()
        if self.parentWidget() is not None:
            self.parentWidget().setFocus()

    def keyPressEvent(self, event):
        if event.key() == Qt.Key.Key_Escape:
            self.close_box()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event):
        super().focusOutEvent(event)
        popup = self.completer().popup() if self.completer() else None
        if not self._done and not (popup is not None and popup.isVisible()):
            self.close_box()
