"""The document: undo/redo through QUndoStack, merged drags, dirty flag, open/save."""

import pytest

from nnsim.core.circuit.edits import AddNode, SetWeight
from nnsim.core.circuit.graph import Node
from nnsim.gui.document import Document
from nnsim.io.fileformat import FileFormatError




def test_push_undo_redo_and_dirty(qtbot, nand):
    doc = Document(nand)
    dirty = []
    doc.sigDirtyChanged.connect(dirty.append)
    doc.push(AddNode(Node("n2", label="extra")))
    assert "n2" in doc.graph.nodes and doc.dirty and dirty == [True]
    doc.undo_stack.undo()
    assert "n2" not in doc.graph.nodes and not doc.dirty
    doc.undo_stack.redo()
    assert "n2" in doc.graph.nodes


def test_a_drag_merges_into_one_step(qtbot, nand):
    doc = Document(nand)
    for w in (-1.5, -1.0, 0.5):
        doc.push(SetWeight("w1", w), merge_key=("w", "w1"))
    doc.end_merge()
    doc.push(SetWeight("w1", 2.0), merge_key=("w", "w1"))
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    assert doc.graph.wires["w1"].weight == 0.5
    doc.undo_stack.undo()
    assert doc.graph.wires["w1"].weight == -2


def test_live_circuit_follows_weight_changes(qtbot, nand):
    doc = Document(nand)
    assert doc.live.circuit.feedforward([[1, 1]])[0, 0] == 0
    doc.push(SetWeight("w1", 2.0))
    assert doc.live.circuit.feedforward([[1, 1]])[0, 0] == 1


def test_failed_open_leaves_document(tmp_path, qtbot, nand):
    doc = Document(nand)
    doc.push(SetWeight("w1", 1.0))
    bad = tmp_path / "bad.nnsim.json"
    bad.write_text("{ not json")
    with pytest.raises(FileFormatError):
        doc.open(bad)
    assert doc.graph.wires["w1"].weight == 1.0 and doc.dirty


def test_save_then_open(tmp_path, qtbot, nand):
    doc = Document(nand)
    doc.push(SetWeight("w1", 1.0))
    path = tmp_path / "x.nnsim.json"
    doc.save(path)
    assert not doc.dirty and doc.path == path
    other = Document()
    other.open(path)
    assert other.graph.snapshot() == doc.graph.snapshot()
    assert other.undo_stack.count() == 0 and not other.dirty


def test_selected_param(qtbot, nand):
    doc = Document(nand)
    seen = []
    doc.sigParamSelected.connect(seen.append)
    doc.select_param(("w", "w1"))
    doc.select_param(("w", "nope"))
    assert seen == [("w", "w1"), None]
