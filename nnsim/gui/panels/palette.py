"""The palette: inputs, neurons and NAND-built gates to drag onto the canvas (or double-click)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem

from nnsim.gui import style
from nnsim.gui.canvas.presets import presets
from nnsim.gui.canvas.scene import PRESET_MIME

_KEY = Qt.ItemDataRole.UserRole


class Palette(QTreeWidget):
    """Entries grouped under headings; ``sigActivated(key)`` on double-click or Enter."""

    sigActivated = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(8)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.itemActivated.connect(self._on_activated)
        self.populate()

    def populate(self) -> None:
        self.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for p in presets():
            head = groups.get(p.group)
            if head is None:
                head = groups[p.group] = QTreeWidgetItem(self, [p.group])
                head.setFlags(Qt.ItemFlag.ItemIsEnabled)
                f = style.font(9, True)
                head.setFont(0, f)
                head.setForeground(0, self.palette().placeholderText())
            item = QTreeWidgetItem(head, [p.title])
            item.setData(0, _KEY, p.key)
            item.setToolTip(0, p.tip + "\nDrag onto the canvas, or double-click.")
            item.setFont(0, style.font(10.5))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        self.expandAll()
        self.setMinimumWidth(int(self.sizeHintForColumn(0) + 16))  # no entry is cut off (presentation mode)

    def keys(self) -> list[str]:
        out = []
        for i in range(self.topLevelItemCount()):
            head = self.topLevelItem(i)
            out += [head.child(j).data(0, _KEY) for j in range(head.childCount())]
        return out

    def item_for(self, key: str) -> QTreeWidgetItem | None:
        for i in range(self.topLevelItemCount()):
            head = self.topLevelItem(i)
            for j in range(head.childCount()):
                if head.child(j).data(0, _KEY) == key:
                    return head.child(j)
        return None

    def _on_activated(self, item: QTreeWidgetItem, column: int) -> None:
        key = item.data(0, _KEY)
        if key:
            self.sigActivated.emit(key)

    def mimeTypes(self):
        return [PRESET_MIME]

    def startDrag(self, actions):
        item = self.currentItem()
        key = item.data(0, _KEY) if item is not None else None
        if not key:
            return
        data = QMimeData()
        data.setData(PRESET_MIME, key.encode())
        drag = QDrag(self)
        drag.setMimeData(data)
        drag.exec(Qt.DropAction.CopyAction)
