"""A small line edit laid over the canvas to type a weight, bias, value or label in place.

Enter (or clicking elsewhere) commits, Escape cancels. The callback receives the text; it returns an
error message to keep the editor open (shown in red), or ``None`` when the value was taken.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from nnsim.gui import style


def parse_number(text: str) -> float:
    """A number as people type it: ``-2``, ``−2`` (Unicode minus), ``0,5``, ``1e3``. ``ValueError`` if not."""
    cleaned = text.strip().replace("−", "-").replace(",", ".").replace(" ", "")
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    value = float(cleaned)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    return value


class InlineEditor(QLineEdit):
    """Edit ``text`` at ``pos`` (viewport coordinates) of ``parent``; ``on_commit(text) -> str | None``."""

    def __init__(self, parent: QWidget, pos: QPoint, text: str, on_commit: Callable[[str], str | None],
                 width: int = 90):
        super().__init__(text, parent)
        self._on_commit = on_commit
        self._done = False
        self.setFont(style.font(11, True))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFixedWidth(int(width * style.scale()))
        self.adjustSize()
        self.move(pos - QPoint(self.width() // 2, self.height() // 2))
        self.selectAll()
        self.editingFinished.connect(self.commit)
        self.show()
        self.setFocus(Qt.FocusReason.PopupFocusReason)

    def commit(self) -> None:
        if self._done:
            return
        error = self._on_commit(self.text())
        if error:
            self.setStyleSheet("QLineEdit { border: 2px solid #d23a2a; }")
            self.setToolTip(error)
            self.setPlaceholderText(error)
            return
        self._finish()

    def cancel(self) -> None:
        self._finish()

    def _finish(self) -> None:
        self._done = True
        self.hide()
        self.deleteLater()
        if self.parentWidget() is not None:
            self.parentWidget().setFocus()

    def keyPressEvent(self, event: QKeyEvent):
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event):
        super().focusOutEvent(event)  # emits editingFinished: a good value is committed there
        if not self._done:            # a bad one is dropped when the user clicks elsewhere
            self._finish()
