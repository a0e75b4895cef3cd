"""The main window: files, unsaved-changes prompts, autosave recovery, examples, export, the gui command."""

import os

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from nnsim import paths
from nnsim.core.circuit.edits import SetWeight
from nnsim.core.circuit.graph import Graph
from nnsim.core.logic import check_expected
from nnsim.io.fileformat import load_graph, save_graph

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def nand() -> Graph:
    g = Graph("nand")
    g.add_input("x1", id="x1", x=0, y=0)
    g.add_input("x2", id="x2", x=0, y=80)
    g.add_neuron("out", bias=3, id="n1", x=160, y=40)
    g.connect("x1", "n1", -2, id="w1")
    g.connect("x2", "n1", -2, id="w2")
    return g


@pytest.fixture
def nand_file(tmp_path):
    path = tmp_path / "nand.json"
    save_graph(nand(), path)
    return path


def answer(monkeypatch, button):
    """Make every QMessageBox.question answer ``button``; returns the list of questions asked."""
    asked = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return button
    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_save_then_open_round_trip(main_window, nand_file, tmp_path, monkeypatch):
    w = main_window
    assert w.open_path(nand_file)
    assert w.windowTitle().startswith("nand.json") and not w.isWindowModified()
    w.document.push(SetWeight("w1", 1.5))
    assert w.isWindowModified()
    out = tmp_path / "copy.json"
    assert w.save_as(out)
    assert not w.isWindowModified() and w.windowTitle().startswith("copy.json")
    assert load_graph(out).snapshot() == w.document.graph.snapshot()
    w.document.push(SetWeight("w1", 0.0))
    asked = answer(monkeypatch, QMessageBox.StandardButton.Discard)
    assert w.open_path(out)                    # asks once about the unsaved change, then drops it
    assert len(asked) == 1 and load_graph(out).wires["w1"].weight == 1.5
    assert w.document.graph.wires["w1"].weight == 1.5
    assert str(out.resolve()) in w.recent_files()


def test_unsaved_changes_prompt(main_window, nand_file, monkeypatch):
    w = main_window
    w.open_path(nand_file)
    w.document.push(SetWeight("w1", 1.0))
    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert not w.new_document()
    assert asked and w.document.graph.wires["w1"].weight == 1.0     # nothing lost
    answer(monkeypatch, QMessageBox.StandardButton.Save)
    assert w.new_document()
    assert load_graph(nand_file).wires["w1"].weight == 1.0            # saved first
    assert not w.document.graph.nodes and not w.isWindowModified()
    w.document.replace(nand())
    w.document.push(SetWeight("w1", 2.0))
    answer(monkeypatch, QMessageBox.StandardButton.Discard)
    assert w.open_path(nand_file)
    assert w.document.graph.wires["w1"].weight == 1.0


def test_closing_with_unsaved_changes_asks(main_window, monkeypatch):
    w = main_window
    w.document.push(SetWeight("w1", 1.0)) if "w1" in w.document.graph.wires else w.document.replace(nand())
    w.document.push(SetWeight("w1", 1.0))
    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    assert not w.close()
    assert asked and w.isVisible()


def test_a_bad_file_leaves_the_document_untouched(main_window, nand_file, tmp_path, monkeypatch):
    w = main_window
    w.open_path(nand_file)
    w.document.push(SetWeight("w1", 0.5))
    before = w.document.graph.snapshot()
    bad = tmp_path / "broken.json"
    bad.write_text('{"format": "nnsim", "version": 1, "nodes": [{"id": "a", "kind": "blob"}], "wires": []}')
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append(text))
    answer(monkeypatch, QMessageBox.StandardButton.Discard)
    assert not w.open_path(bad)
    assert len(shown) == 1 and "broken.json" in shown[0]
    assert w.document.graph.snapshot() == before and w.document.path == nand_file and w.isWindowModified()


def test_autosave_is_offered_back_after_a_crash(main_window, tmp_path, monkeypatch, qtbot):
    from nnsim.gui.main_window import MainWindow
    from nnsim.gui.recovery import find_recoverable

    w = main_window
    w.document.replace(nand())
    w.document.push(SetWeight("w1", 7.0))
    assert w.autosaver.save_now()
    # pretend that process died: its file now belongs to a pid that is not running
    dead = w.autosaver.path.with_name("autosave-999999999.nnsim.json")
    os.replace(w.autosaver.path, dead)
    os.replace(w.autosaver.path.with_suffix(".meta"), dead.with_suffix(".meta"))
    assert [r.path for r in find_recoverable(w.recovery_dir)] == [dead]

    other = MainWindow(settings=w.settings, recovery_dir=w.recovery_dir)
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    try:
        assert other.offer_recovery()
        assert asked
        assert other.document.graph.wires["w1"].weight == 7.0 and other.document.dirty
        assert not dead.exists()
    finally:
        other.document.undo_stack.setClean()
        other.shutdown()
        other.deleteLater()


def test_autosave_timer_writes_only_unsaved_work(main_window):
    w = main_window
    assert w.autosaver.timer.interval() == 30_000
    assert not w.autosaver.save_now()          # clean: nothing to save
    w.document.replace(nand())
    w.document.push(SetWeight("w1", 1.0))
    assert w.autosaver.save_now() and w.autosaver.path.exists()
    w.document.undo_stack.setClean()           # saved: the recovery file goes away
    assert not w.autosaver.path.exists()


def example_files():
    return sorted(paths.examples_dir().glob("*.json"))


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
def test_every_example_opens_and_matches_its_table(main_window, path):
    w = main_window
    assert path in w.example_files()
    assert w.open_example(path)
    w.circuit.simulator.flush()
    g = w.document.graph
    assert w.document.path is None and not w.isWindowModified()   # an example opens as an untitled copy
    assert len(w.circuit.scene.nodes) == len(g.nodes) and len(w.circuit.scene.wires) == len(g.wires)
    panel = w.circuit.truth_table
    if g.expected is not None and len(g.inputs()) <= 16:
        assert panel.model.passed is not None and panel.model.passed.all()
        assert check_expected(g, g.expected).all_match


def test_truth_table_click_and_csv(main_window, tmp_path):
    w = main_window
    w.document.replace(nand())
    w.circuit.simulator.flush()
    panel = w.circuit.truth_table
    assert panel.model.current == 0
    panel.table.clicked.emit(panel.model.index(3, 0))
    assert [n.value for n in w.document.graph.inputs()] == [1, 1]
    w.circuit.simulator.flush()
    assert panel.model.current == 3 and w.circuit.scene.nodes["n1"].output_text() == "0"
    w.undo_action.trigger()
    assert [n.value for n in w.document.graph.inputs()] == [0, 0]
    out = tmp_path / "t.csv"
    panel.export_csv(str(out))
    assert out.read_text().splitlines() == ["x1,x2,out", "0,0,1", "0,1,1", "1,0,1", "1,1,0"]


def test_expected_table_marks_failing_rows(main_window):
    from nnsim.core.logic import build

    w = main_window
    w.document.replace(build("xor"))
    w.circuit.simulator.flush()
    assert w.circuit.truth_table.model.passed.all()
    w.document.push(SetWeight(next(iter(w.document.graph.wires)), 2.0))
    w.circuit.simulator.flush()
    assert not w.circuit.truth_table.model.passed.all()
    assert "differ" in w.circuit.truth_table.summary.text()


def test_export_png_and_svg(main_window, tmp_path):
    w = main_window
    w.document.replace(nand())
    png, svg = tmp_path / "c.png", tmp_path / "c.svg"
    assert w.export_image(png) and w.export_image(svg)
    image = QImage(str(png))
    assert image.width() > 300 and image.height() > 150
    assert "<svg" in svg.read_text()


def test_add_page_and_dock(main_window):
    from PySide6.QtWidgets import QLabel

    w = main_window
    w.add_page(QLabel("training"), "Training")
    w.add_circuit_dock(QLabel("lab"), "Response lab")
    assert w.show_page("train") and w.pages.currentIndex() == 1
    assert w.show_page("circuit") and w.pages.currentIndex() == 0
    assert w.show_page("response")


def test_gui_command_writes_a_screenshot(qtbot, tmp_path, monkeypatch):
    from nnsim.cli import main

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    example = paths.examples_dir() / "nand.json"
    png = tmp_path / "shot.png"
    assert main(["gui", str(example), "--screenshot", str(png), "--size", "900x600"]) == 0
    image = QImage(str(png))
    assert (image.width(), image.height()) == (900, 600)


def test_gui_command_rejects_a_bad_file(qtbot, tmp_path, capsys):
    from nnsim.cli import main

    bad = tmp_path / "bad.json"
    bad.write_text("{ nope")
    assert main(["gui", str(bad), "--screenshot", str(tmp_path / "x.png")]) == 2
    assert "bad.json" in capsys.readouterr().err and not (tmp_path / "x.png").exists()


def test_gui_without_a_display_explains_instead_of_hanging(qtbot, monkeypatch, capsys):
    from nnsim.gui import app

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert app.run() == 2
    assert "--screenshot" in capsys.readouterr().err


def test_window_layout_is_remembered(main_window, qtbot):
    from nnsim.gui.main_window import MainWindow

    w = main_window
    w.circuit.table_dock.hide()
    w.resize(700, 500)  # inside the offscreen screen (800×600): restoreGeometry keeps windows on screen
    w.save_layout()
    other = MainWindow(settings=w.settings, recovery_dir=w.recovery_dir)
    try:
        other.restore_geometry()
        other.restore_panels()
        assert other.circuit.table_dock.isHidden()
        assert (other.width(), other.height()) == (700, 500)
    finally:
        other.shutdown()
        other.deleteLater()


def test_canvas_edits_are_off_on_another_page(qtbot, main_window, nand_file):
    """On the training page, Delete, Ctrl+Z and zoom leave the circuit alone (nobody is looking at it)."""
    from PySide6.QtWidgets import QLabel

    w = main_window
    w.add_page(QLabel("another page"), "Training")
    assert w.open_path(nand_file)
    w.document.push(SetWeight("w1", 1.5))
    w.circuit.scene.select_ids(["n1"])
    assert w.delete_action.isEnabled() and w.undo_action.isEnabled()
    w.statusBar().showMessage("Drag from the palette …")
    w.show_page("training")
    assert w.statusBar().currentMessage() == ""           # the canvas hint does not follow to the page
    assert not w.delete_action.isEnabled() and not w.undo_action.isEnabled()
    assert not w.zoom_in_action.isEnabled() and not w.select_all_action.isEnabled()
    w.delete_action.trigger()
    w.undo_action.trigger()
    assert "n1" in w.document.graph.nodes and w.document.graph.wires["w1"].weight == 1.5
    w.show_page("circuit")
    assert w.delete_action.isEnabled() and w.undo_action.isEnabled() and w.zoom_in_action.isEnabled()


def test_an_example_opened_by_path_is_a_copy(main_window):
    """`nnsim resources/examples/xor.json` (or File › Open on it) opens an untitled copy: Save asks where
    instead of overwriting the shipped example."""
    w = main_window
    assert w.open_path(paths.examples_dir() / "xor.json")
    assert w.document.path is None
    assert w.is_example(paths.examples_dir() / "xor.json") and not w.is_example(paths.examples_dir())


@pytest.mark.parametrize("size", [(1280, 800), (1440, 900)])
def test_truth_table_of_a_4_plus_4_bit_adder_shows_every_column(main_window, qtbot, size):
    """14 columns (8 inputs, 5 outputs, ok) fit the panel's default width: narrow 0/1 columns, "carry"
    elided to "c…" with its name in the tooltip; no sideways scrolling to reach the outputs."""
    from PySide6.QtCore import Qt

    from nnsim.paths import examples_dir

    w = main_window
    w.resize(*size)
    assert w.open_path(examples_dir() / "adder-4bit.json", ask=False)
    panel = w.circuit.truth_table
    qtbot.waitUntil(lambda: panel.model.columnCount() == 14)
    qtbot.wait(10)
    header = panel.table.horizontalHeader()
    assert header.length() <= panel.table.viewport().width()
    assert not panel.table.horizontalScrollBar().isVisible()
    carry = panel.model.outputs.index("carry") + len(panel.model.inputs)
    text = panel.model.headerData(carry, Qt.Orientation.Horizontal)
    assert text.startswith("c") and panel.model.headerData(carry, Qt.Orientation.Horizontal,
                                                           Qt.ItemDataRole.ToolTipRole) == "carry"
    assert panel.model.headerData(0, Qt.Orientation.Horizontal) == panel.model.inputs[0]   # bit names whole


def _ink_lightness(icon) -> float:
    """Mean lightness of the opaque pixels of ``icon`` at 18 px."""
    from PySide6.QtCore import QSize

    image = icon.pixmap(QSize(18, 18)).toImage()
    values = [image.pixelColor(x, y).lightness() for x in range(image.width()) for y in range(image.height())
              if image.pixelColor(x, y).alpha() > 128]
    return sum(values) / len(values)


def test_toolbar_arrows_follow_the_palette(main_window, qtbot):
    """The style's fallback arrows (Undo/Redo/Zoom) are drawn in the palette's text colour: dark on a light
    toolbar, light on a dark one (they were dark on dark, nearly invisible), and redrawn when it changes."""
    from PySide6.QtGui import QColor, QIcon, QPalette
    from PySide6.QtWidgets import QApplication

    if not QIcon.fromTheme("edit-undo").isNull():
        pytest.skip("the icon theme provides the icons")
    app = QApplication.instance()
    light = app.palette()
    dark = QPalette(light)
    for role, colour in ((QPalette.ColorRole.Window, "#2b2e33"), (QPalette.ColorRole.Button, "#33373d"),
                         (QPalette.ColorRole.WindowText, "#e8eaed"), (QPalette.ColorRole.ButtonText, "#e8eaed")):
        dark.setColor(role, QColor(colour))
    assert _ink_lightness(main_window.zoom_in_action.icon()) < 100
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: _ink_lightness(main_window.zoom_in_action.icon()) > 180)
        for action in (main_window.undo_action, main_window.redo_action, main_window.zoom_out_action,
                       main_window.fit_action):
            assert _ink_lightness(action.icon()) > 180
    finally:
        app.setPalette(light)
    qtbot.waitUntil(lambda: _ink_lightness(main_window.undo_action.icon()) < 100)
