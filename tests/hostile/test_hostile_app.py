"""The app against hostile files and folders: a read-only file (refused, Save As offered), a symbolic link
(written through), an unencodable label (a dialog, and autosave says it is off), corrupt and vanishing
autosaves (offered for discarding, never a traceback), an unusable recovery folder, a huge fan-in."""

import json
import sys

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from nnsim.core.circuit.edits import SetWeight
from nnsim.core.circuit.graph import Graph
from nnsim.gui.recovery import find_recoverable

DEAD = "autosave-999999999.nnsim.json"


def nand() -> Graph:
    g = Graph("nand")
    g.add_input("a", id="x1")
    g.add_input("b", id="x2")
    g.add_neuron("out", bias=3, id="n1")
    g.connect("x1", "n1", -2, id="w1")
    g.connect("x2", "n1", -2, id="w2")
    return g


def boxes(monkeypatch, kind, answer):
    """Record every QMessageBox.<kind> and answer it with ``answer``."""
    shown = []

    def box(parent, title, text, *args, **kwargs):
        shown.append((title, text))
        return answer

    monkeypatch.setattr(QMessageBox, kind, box)
    return shown


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_saving_over_a_read_only_file_is_refused_and_save_as_offered(window, tmp_path, monkeypatch):
    path = tmp_path / "nand.json"
    window.document.replace(nand())
    window.save_as(path)
    path.chmod(0o444)
    before = path.read_bytes()
    window.document.push(SetWeight("w1", 5.0))
    shown = boxes(monkeypatch, "critical", QMessageBox.StandardButton.Cancel)
    assert not window.save()
    assert len(shown) == 1 and "the file is read-only" in shown[0][1] and "another name" in shown[0][1]
    assert path.read_bytes() == before and window.document.dirty
    other = tmp_path / "copy.json"
    shown = boxes(monkeypatch, "critical", QMessageBox.StandardButton.Save)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(other), ""))
    assert window.save()
    assert len(shown) == 1 and window.document.path == other and not window.document.dirty
    assert json.loads(other.read_text())["wires"][0]["weight"] == 5
    assert path.read_bytes() == before


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_saving_through_a_symbolic_link_writes_its_target(window, tmp_path):
    real = tmp_path / "real.json"
    real.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    window.document.replace(nand())
    assert window.save_as(link)
    assert link.is_symlink() and json.loads(real.read_text())["name"] == "nand"


def test_an_unpaired_surrogate_in_a_label_gives_a_dialog_and_an_autosave_note(window, tmp_path, monkeypatch):
    window.document.replace(nand())
    window.document.graph.set_node("n1", label="\ud800")
    window.document.push(SetWeight("w1", 4.0))
    shown = boxes(monkeypatch, "critical", QMessageBox.StandardButton.Cancel)
    assert not window.save_as(tmp_path / "x.json")
    assert len(shown) == 1 and "unpaired surrogate" in shown[0][1] and not (tmp_path / "x.json").exists()
    notes = []
    window.autosaver.sigProblem.connect(notes.append)
    assert not window.autosaver.save_now() and not window.autosaver.save_now()
    assert len(notes) == 1 and "unpaired surrogate" in notes[0]
    assert "Autosave is off" in window.statusBar().currentMessage()


def leave_dead_autosave(folder, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DEAD).write_text(text)
    (folder / DEAD).with_suffix(".meta").write_text('{"path": null, "time": 0}')


@pytest.mark.parametrize("text", ["{ not json", '{"format": "nnsim", "version": 1, "nodes": ' + "[" * 3000])
def test_a_corrupt_autosave_can_be_discarded(window, monkeypatch, text):
    leave_dead_autosave(window.recovery_dir, text)
    boxes(monkeypatch, "question", QMessageBox.StandardButton.Yes)   # "Restore it?"
    assert not window.offer_recovery()
    assert find_recoverable(window.recovery_dir)                     # kept until the person decides
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *a: (
        QMessageBox.StandardButton.Yes if title.startswith("Recover") else QMessageBox.StandardButton.Discard))
    assert not window.offer_recovery()
    assert find_recoverable(window.recovery_dir) == [] and not (window.recovery_dir / DEAD).exists()


def test_an_autosave_that_vanishes_is_tolerated(window, monkeypatch):
    folder = window.recovery_dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DEAD).symlink_to(folder / "gone.json")   # listed, but nothing there to read
    assert find_recoverable(folder) == []
    leave_dead_autosave(folder, "{}")
    found = find_recoverable(folder)
    (folder / DEAD).unlink()                           # gone between listing and reading
    boxes(monkeypatch, "question", QMessageBox.StandardButton.Discard)
    assert not window.recover(found[0])
    assert not (folder / DEAD).with_suffix(".meta").exists()


def test_an_unusable_recovery_folder_turns_autosave_off_once(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from nnsim.gui.main_window import MainWindow

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the recovery folder should be")
    w = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), recovery_dir=blocker)
    try:
        notes = []
        w.autosaver.sigProblem.connect(notes.append)
        w.document.replace(nand())
        w.document.push(SetWeight("w1", 3.0))
        assert not w.autosaver.save_now() and not w.autosaver.save_now()
        assert len(notes) == 1 and str(blocker) in notes[0]
        assert w.offer_recovery() is False
        w.save_as(tmp_path / "saved.json")                # cleaning up the (absent) autosave must not raise
        assert not w.document.dirty
    finally:
        w.document.undo_stack.setClean()
        w.shutdown()                                       # nor must closing
        w.deleteLater()
    assert blocker.read_text().startswith("a file")


def test_a_fan_in_of_300_is_routed_once_and_spread(window):
    g = Graph("fan-in")
    for i in range(300):
        g.add_input(id=f"x{i}", y=40.0 * i)
    g.add_neuron("out", id="out", x=400, y=6000)
    for i in range(300):
        g.connect(f"x{i}", "out", 1.0, id=f"w{i}")
    window.document.replace(g)
    scene = window.circuit.scene
    assert not scene._unrouted and len(scene.wires) == 300   # routed when File › Open finished
    entry = {(round(p.x(), 3), round(p.y(), 3)) for p in
             (scene.nodes["out"].entry_point(w) for w in scene.wires.values())}
    assert len(entry) == 300   # every wire meets the neuron at its own point
    ends = {(round(w._path.currentPosition().x(), 3), round(w._path.currentPosition().y(), 3))
            for w in scene.wires.values()}
    assert ends == entry       # and each path ends there


@pytest.mark.parametrize("weight, plotted", [(1e308, False), (-1.7e308, False), (1e299, True)])
def test_a_huge_weight_in_the_response_lab(qtbot, weight, plotted):
    import numpy as np

    from nnsim.gui.document import Document
    from nnsim.gui.response.response_plot import ResponsePlot

    g = Graph("big")
    g.add_input("a", value=1, id="a")
    g.add_neuron("out", "sigmoid", bias=-0.5, id="out")
    g.connect("a", "out", weight, id="w")
    plot = ResponsePlot(Document(g))
    qtbot.addWidget(plot)
    plot.resize(760, 620)
    plot.show()
    qtbot.waitExposed(plot)
    plot.combo.choose(("w", "w"))
    if plotted:
        qtbot.waitUntil(lambda: plot.result is not None)
        values = plot.result[0]
        assert np.all(np.isfinite(values)) and values[0] <= weight <= values[-1]
    else:
        assert plot.result is None and "is too large to plot here" in plot.status.text()


def test_user_text_is_isolated_and_escaped():
    from nnsim.gui.user_text import FSI, PDI, isolated, isolated_html

    assert isolated("out") == "out" and isolated("ünïcode ok") == "ünïcode ok"   # nothing to isolate
    assert isolated("o\u202eevil") == f"{FSI}o\u202eevil{PDI}"
    assert isolated("שלום") == f"{FSI}שלום{PDI}"
    assert isolated_html("<h1>x</h1>") == "&lt;h1&gt;x&lt;/h1&gt;"


def test_an_rtl_override_in_a_label_stays_inside_its_isolate(window, qtbot):
    from nnsim.gui.user_text import FSI, PDI

    g = nand()
    g.set_node("n1", label="o\u202eevil")
    g.set_node("x1", label="<img src='x'>")
    window.document.replace(g)
    window.circuit.scene.select_ids(wire_ids=["w1"])
    title = window.circuit.inspector.title.text()
    assert title == f"Wire <img src='x'> → {FSI}o\u202eevil{PDI}"
    window.circuit.scene.select_ids(node_ids=["n1"])
    assert window.circuit.inspector.title.text() == f"Neuron {FSI}o\u202eevil{PDI}"
    from PySide6.QtCore import Qt

    assert window.circuit.inspector.title.textFormat() == Qt.TextFormat.PlainText
