"""The breadcrumb over the canvas while a chip is open: ``4-bit adder › FullAdder (fa2)``; each entry leads
back up. It says that edits change the definition, so every instance."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from nnsim.gui import style
from nnsim.gui.canvas import chip_view


#: Where the breadcrumb sits in the viewport.
_CORNER = QPoint(8, 8)


class ChipBreadcrumb(QFrame):
    """Floats at the top left of ``view``'s viewport; hidden while the document itself is shown."""

    def __init__(self, scene, view: QWidget):
        super().__init__(view.viewport())
        self.scene = scene
        self.setObjectName("chip-breadcrumb")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(6, 2, 6, 2)
        self._layout.setSpacing(2)
        self.buttons: list[QToolButton] = []
        scene.sigPathChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons = []
        if not self.scene.chip_path:
            self.hide()
            return
        names = chip_view.crumbs(self.scene)
        for depth, name in enumerate(names):
            if depth:
                self._layout.addWidget(QLabel("›"))
            button = QToolButton()
            button.setText(name)
            button.setAutoRaise(True)
            button.setFont(style.font(10, depth == len(names) - 1))
            button.setEnabled(depth < len(names) - 1)
            button.setToolTip("Back to the document" if depth == 0 else f"Back to {name}")
            button.clicked.connect(lambda _=False, d=depth: self.scene.close_chip(d))
            self._layout.addWidget(button)
            self.buttons.append(button)
        hint = QLabel("  editing the chip: every instance changes")
        hint.setFont(style.font(9))
        hint.setEnabled(False)
        self._layout.addWidget(hint)
        self.adjustSize()
        self.move(_CORNER)
        self.show()
        self.raise_()

    def moveEvent(self, event):
        # scrolling the view scrolls the viewport's child widgets too: stay in the corner
        super().moveEvent(event)
        if self.pos() != _CORNER:
            self.move(_CORNER)
