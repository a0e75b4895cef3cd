"""The open document: the core graph, its undo stack, its file path and the selected parameter.

Every change a person makes goes through :meth:`Document.push` as a pure :mod:`nnsim.core.circuit.edits` edit
wrapped in an :class:`EditCommand` on one ``QUndoStack``. Views follow the graph's own events; they never
change the graph directly. A continuous gesture (a slider or marker drag) passes a ``merge_key`` and
calls :meth:`Document.end_merge` on release, so the whole drag is one undo step.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from nnsim.core.circuit.chip_edits import InChip, has_param
from nnsim.core.circuit.compile import LiveCircuit
from nnsim.core.circuit.edits import Compound, Edit, SetNode, SetSetting, SetWeight
from nnsim.core.circuit.graph import Graph
from nnsim.io import fileformat

_MERGE_ID = 4242


class EditCommand(QUndoCommand):
    """A ``QUndoCommand`` around a core edit: redo applies it, undo reverts it; items are never touched."""

    def __init__(self, document: "Document", edit: Edit, merge_key=None):
        super().__init__(edit.text)
        self.document = document
        self.edit = edit
        self.merge_key = merge_key

    def redo(self):
        self.edit.apply(self.document.graph)

    def undo(self):
        self.edit.revert(self.document.graph)

    def id(self):
        return _MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other):
        if not (isinstance(other, EditCommand) and self.document.merge_open
                and other.merge_key == self.merge_key):
            return False
        mine, theirs = self.edit, other.edit
        if isinstance(mine, InChip) and isinstance(theirs, InChip) and mine.name == theirs.name:
            mine, theirs = mine.edit, theirs.edit   # in the same chip definition: merge what they do there
        if isinstance(mine, SetWeight) and isinstance(theirs, SetWeight):
            mine.new = theirs.new
        elif isinstance(mine, SetNode) and isinstance(theirs, SetNode) and mine.new.keys() == theirs.new.keys():
            mine.new = dict(theirs.new)
        elif isinstance(mine, SetSetting) and isinstance(theirs, SetSetting) and mine.name == theirs.name:
            mine.new = theirs.new
        elif isinstance(mine, Compound) and isinstance(theirs, Compound):
            mine.edits.extend(theirs.edits)   # undo reverts theirs, then mine: still exact
        else:
            return False
        return True


class Document(QObject):
    """One open network: ``graph`` (the model), ``undo_stack``, ``live`` (a circuit that follows the
    graph), ``path`` (``None`` until saved) and ``selected_param`` (``("w", wire_id)``, ``("b", node_id)``
    or ``None``) shared by the canvas, the inspector and the response lab."""

    sigPathChanged = Signal(object)       # Path | None
    sigDirtyChanged = Signal(bool)        # True when there are unsaved changes
    sigParamSelected = Signal(object)     # ("w", wire_id) | ("b", node_id) | None
    sigReplaced = Signal()                # the whole graph was replaced (New/Open)

    def __init__(self, graph: Graph | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.graph = graph if graph is not None else Graph("untitled")
        self.live = LiveCircuit(self.graph)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.path: Path | None = None
        self.selected_param = None
        self.merge_open = False
        self._last_merge_key = None

    def __repr__(self):
        return f"Document({self.path or 'untitled'}, {self.graph!r})"

    # ----- edits -----------------------------------------------------------------------------------
    def push(self, edit: Edit, merge_key=None) -> None:
        """Apply ``edit`` as an undoable step. With a ``merge_key`` it merges into the step on top while a
        gesture with the same key is open (call :meth:`end_merge` when the gesture ends)."""
        if merge_key is not None and merge_key != self._last_merge_key:
            self.merge_open = False
        self.undo_stack.push(EditCommand(self, edit, merge_key))
        self.merge_open = merge_key is not None
        self._last_merge_key = merge_key

    def end_merge(self) -> None:
        """End a continuous gesture: the next push starts a new undo step."""
        self.merge_open = False
        self._last_merge_key = None

    def _on_clean_changed(self, clean: bool) -> None:
        self.sigDirtyChanged.emit(not clean)

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    # ----- selection -------------------------------------------------------------------------------
    def select_param(self, param) -> None:
        """Select a weight ``("w", wire_id)`` or bias ``("b", node_id)`` (or ``None``) for the response lab."""
        if param is not None:
            kind, pid = param
            if not has_param(self.graph, kind, pid):   # a path id (fa3/w2) names one inside a chip
                param = None
        if param != self.selected_param:
            self.selected_param = param
            self.sigParamSelected.emit(param)

    # ----- whole documents -------------------------------------------------------------------------
    def replace(self, graph: Graph, path: Path | None = None) -> None:
        """Show ``graph`` instead (New/Open): the undo history is cleared and the document is clean."""
        self.select_param(None)
        self.graph.replace_with(graph)
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.end_merge()
        self.path = Path(path) if path else None
        self.sigPathChanged.emit(self.path)
        self.sigDirtyChanged.emit(False)
        self.sigReplaced.emit()

    def open(self, path) -> None:
        """Load ``path``; on any error (``FileFormatError``) the current document is left as it was."""
        graph = fileformat.load_graph(path)
        self.replace(graph, Path(path))

    def save(self, path=None) -> None:
        """Save to ``path`` (or the current path) atomically, and mark the document clean."""
        path = Path(path) if path else self.path
        if path is None:
            raise ValueError("no file name to save to")
        fileformat.save_graph(self.graph, path)
        self.undo_stack.setClean()
        if path != self.path:
            self.path = path
            self.sigPathChanged.emit(path)
