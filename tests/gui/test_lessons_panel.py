"""The lessons panel in the main window (list, steps, answers, Check, Hint, Previous/Next, Reset, progress kept
in a temporary QSettings) and the expected-table editor of the truth-table panel."""

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QRadioButton

from nnsim.gui.lessons.dock import lessons_panel
from nnsim.gui.lessons.panel import TICK, TODO
from nnsim.io.lessonfile import load_work

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lesson_work import RIGHT, WRONG_REASON  # noqa: E402


def check(qtbot, panel):
    with qtbot.waitSignal(panel.sigChecked, timeout=120_000) as blocker:
        qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    return blocker.args


def put_graph(window, graph):
    """What the student built (edits through the document, as the canvas would)."""
    from nnsim.gui.canvas.clipboard import replacement

    window.document.push(replacement(window.document.graph, graph, "build"))


def test_show_lessons_opens_the_list_beside_the_pages(qtbot, main_window):
    main_window.show_lessons()
    panel = main_window.lessons_panel
    assert main_window.lessons_dock.isVisible()
    assert main_window.dockWidgetArea(main_window.lessons_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert panel.stack.currentIndex() == 0 and panel.list.count() >= 12
    assert all(panel.list.item(i).text().startswith(TODO) for i in range(panel.list.count()))
    main_window.show_lessons()
    assert lessons_panel(main_window) is panel   # made once
    assert main_window.lessons_action.text() == "&Lessons"


def test_a_lesson_from_start_to_tick(qtbot, main_window):
    main_window.show_lessons("xor-from-nand")
    panel = main_window.lessons_panel
    graph = main_window.document.graph
    assert [n.name for n in graph.inputs()] == ["x1", "x2"] and graph.expected.outputs == ["y"]
    assert "Step 1 of 2" in panel.step_label.text() and "NAND perceptrons only" in panel.text_label.text()
    assert not panel.prev_button.isEnabled() and panel.next_button.isEnabled()

    passed, reason = check(qtbot, panel)
    assert not passed and "no output called y" in reason
    assert panel.verdict_label.isVisible() and "Not yet" in panel.verdict_label.text()

    qtbot.mouseClick(panel.hint_button, Qt.MouseButton.LeftButton)
    assert panel.hint_label.isVisible() and "Hint 1." in panel.hint_label.text()
    assert panel.hint_button.text() == "Another hint"

    right, _ = RIGHT["xor-from-nand"]()
    put_graph(main_window, right)
    passed, reason = check(qtbot, panel)
    assert passed and "✓ Right." in panel.verdict_label.text()
    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    assert panel.step == 1 and "Step 2 of 2" in panel.step_label.text() and TICK in panel.step_label.text()
    assert check(qtbot, panel)[0]
    panel.show_list()
    row = panel.order.index("xor-from-nand")
    assert panel.list.item(row).text().startswith(TICK)


def test_a_wrong_answer_shows_the_reason(qtbot, main_window):
    main_window.show_lessons("xor-from-nand")
    panel = main_window.lessons_panel
    from lesson_work import WRONG

    put_graph(main_window, WRONG["xor-from-nand"]()[0])
    panel.show_step(1)
    passed, reason = check(qtbot, panel)
    assert not passed and WRONG_REASON["xor-from-nand"] in reason


def test_typed_answers_are_checked_and_kept(qtbot, main_window, tmp_path):
    main_window.show_lessons("perceptron-decision")
    panel = main_window.lessons_panel
    panel.show_step(1)
    box = panel.answers.findChild(QLineEdit, "bias")
    box.setText("−5")   # the minus sign as the lesson prints it (keyClicks types ASCII only)
    passed, reason = check(qtbot, panel)
    assert not passed and reason == "−5 is too big."
    box.clear()
    qtbot.keyClicks(box, "-7")
    assert check(qtbot, panel)[0]
    panel.show_step(2)
    qtbot.mouseClick(panel.answers.findChild(QRadioButton, "bigger_bias-b"), Qt.MouseButton.LeftButton)
    passed, reason = check(qtbot, panel)
    assert not passed and "lower threshold" in reason
    qtbot.mouseClick(panel.answers.findChild(QRadioButton, "bigger_bias-a"), Qt.MouseButton.LeftButton)
    assert check(qtbot, panel)[0]
    assert panel.all_answers() == {"bias": -7.0, "bigger_bias": "a"}
    path = tmp_path / "work.json"
    assert panel.save_work(path)
    work = load_work(path)
    assert work.lesson_id == "perceptron-decision" and work.answers == {"bias": -7.0, "bigger_bias": "a"}


def test_progress_survives_closing_the_app(qtbot, tmp_path):
    from nnsim.gui.main_window import MainWindow

    def window():
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        w = MainWindow(settings=settings, recovery_dir=tmp_path / "recovery")
        w.resize(1200, 800)
        w.show()
        qtbot.waitExposed(w)
        return w

    first = window()
    first.show_lessons("sigmoid-limit")
    panel = first.lessons_panel
    panel.show_step(1)
    qtbot.keyClicks(panel.answers.findChild(QLineEdit, "z_zero_output"), "0.5")
    assert check(qtbot, panel)[0]
    panel.hint()
    first.document.undo_stack.setClean()
    first.close()
    first.deleteLater()

    second = window()
    second.show_lessons()
    again = second.lessons_panel
    assert again.lesson.id == "sigmoid-limit" and again.step == 1
    assert again.answers.findChild(QLineEdit, "z_zero_output").text() == "0.5"
    assert again.hint_label.isVisible()
    assert again.progress.passed("sigmoid-limit") == {1}
    again.show_list()
    assert again.list.item(again.order.index("sigmoid-limit")).text().startswith("◐")
    second.document.undo_stack.setClean()
    second.close()
    second.deleteLater()


def test_reset_lesson(qtbot, main_window):
    main_window.show_lessons("nand-perceptron")
    panel = main_window.lessons_panel
    put_graph(main_window, RIGHT["nand-perceptron"]()[0])
    assert check(qtbot, panel)[0]
    panel.show_step(1)
    assert panel.reset(ask=False)
    assert panel.step == 0 and panel.progress.passed("nand-perceptron") == set()
    assert main_window.document.graph.snapshot() == panel.lesson.start.snapshot()


def test_a_training_check_runs_in_a_worker(qtbot, main_window):
    main_window.show_lessons("binary-output-layer")
    panel = main_window.lessons_panel
    layer = RIGHT["binary-output-layer"]()[1]["layer"]
    panel.answers.set_values({"layer": layer})
    panel._store_answers()
    with qtbot.waitSignal(panel.sigChecked, timeout=120_000) as blocker:
        qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
        assert not panel.check_button.isEnabled()   # one check at a time
        assert "training a network" in panel.verdict_label.text()
    assert blocker.args[0], blocker.args[1]
    qtbot.waitUntil(panel.check_button.isEnabled)


def test_usable_in_presentation_mode_at_1024_by_768(qtbot, main_window):
    main_window.resize(1024, 768)
    main_window.show_lessons("adder-from-nand")
    main_window.set_presentation(True)
    qtbot.wait(10)
    dock = main_window.lessons_dock
    assert dock.isVisible()
    view = main_window.circuit.view
    left = view.mapTo(main_window, view.rect().topLeft())
    assert left.x() + view.width() <= dock.x()         # beside the canvas, never over it
    assert view.width() >= 300
    assert panel_fits(main_window.lessons_panel)
    main_window.set_presentation(False)


def panel_fits(panel) -> bool:
    """Every button is on screen inside the panel."""
    return all(b.isVisible() and b.geometry().bottom() <= b.parentWidget().height()
               for b in (panel.check_button, panel.hint_button, panel.prev_button, panel.next_button,
                         panel.reset_button, panel.save_button))


def test_a_bad_lesson_file_is_listed_not_fatal(qtbot, main_window, tmp_path):
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "ok.md").write_text('+++\nid = "ok"\ntitle = "OK"\norder = 1\n+++\n\n## One\n\nRead.\n',
                                  encoding="utf-8")
    (folder / "broken.md").write_text('+++\nid = "broken"\n', encoding="utf-8")
    panel = lessons_panel(main_window, folder)
    assert panel.list.count() == 1
    assert panel.errors_label.isVisibleTo(panel) and "broken.md, line 1" in panel.errors_label.toolTip()
    assert panel.open("ok") and not panel.check_button.isEnabled()   # nothing to check in that step


# ----- the expected table editor ------------------------------------------------------------------------
def accepted(dialog):
    dialog.exec = lambda: QDialog.DialogCode.Accepted
    return dialog


def test_expected_table_typed_pasted_or_from_an_expression(qtbot, main_window):
    from nnsim.core import logic
    from nnsim.gui.dialogs.expected_dialog import CSV_TAB, EXPRESSION_TAB, ExpectedTableDialog

    doc = main_window.document
    doc.replace(logic.build("xor"))
    doc.graph.set_setting("expected", None)
    panel = main_window.circuit.truth_table

    d = ExpectedTableDialog(doc.graph)
    qtbot.addWidget(d)
    assert d.output_names() == ["xor"] and d.grid.item(3, 2).text() == "0"   # starts from the circuit's outputs
    d.grid.item(3, 2).setText("1")                                          # now: OR
    d.accept()
    assert panel.edit_expected(accepted(d))
    assert doc.graph.expected.rows == [[0.0], [1.0], [1.0], [1.0]]
    panel.refresh()
    assert "1 of 4 rows differ" in panel.summary.text()
    doc.undo_stack.undo()
    assert doc.graph.expected is None

    d = ExpectedTableDialog(doc.graph)
    qtbot.addWidget(d)
    d.tabs.setCurrentIndex(CSV_TAB)
    d.csv_edit.setPlainText("b,a,xor\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    d.accept()
    assert panel.edit_expected(accepted(d)) and doc.graph.expected.inputs == ["b", "a"]

    d = ExpectedTableDialog(doc.graph)
    qtbot.addWidget(d)
    d.tabs.setCurrentIndex(EXPRESSION_TAB)
    d.expression_edit.setPlainText("xor = a &")
    d.accept()
    assert "column" in d.error_label.text() and d.result() != QDialog.DialogCode.Accepted
    d.expression_edit.setPlainText("xor = a & b")
    d.accept()
    assert panel.edit_expected(accepted(d)) and doc.graph.expected.rows == [[0.0], [0.0], [0.0], [1.0]]

    d = ExpectedTableDialog(doc.graph)
    qtbot.addWidget(d)
    d.grid.item(0, 2).setText("x")
    d.accept()
    assert "row a = 0, b = 0: xor is 'x', not a number" in d.error_label.text()
    d._clear()
    assert panel.edit_expected(accepted(d)) and doc.graph.expected is None
    doc.undo_stack.undo()
    assert doc.graph.expected.rows == [[0.0], [0.0], [0.0], [1.0]]


def test_work_open_before_the_panel_is_kept_or_replaced(qtbot, main_window, monkeypatch):
    from nnsim.gui.lessons import dock

    def must_not_ask(lesson):
        raise AssertionError("asked")

    saved = RIGHT["nand-perceptron"]()[0]        # the student's saved work: it has the start's name
    main_window.document.replace(saved)
    monkeypatch.setattr(dock, "keep_current", lambda window, lesson: must_not_ask(lesson))
    main_window.show_lessons("nand-perceptron")
    assert main_window.document.graph.snapshot() == saved.snapshot()
    assert check(qtbot, main_window.lessons_panel)[0]


@pytest.mark.parametrize("keep", [True, False])
def test_another_network_open_before_the_panel_is_asked_about(qtbot, main_window, monkeypatch, keep):
    from nnsim.gui.lessons import dock

    other = RIGHT["gates-from-nand"]()[0]
    main_window.document.replace(other)
    asked = []
    monkeypatch.setattr(dock, "keep_current", lambda window, lesson: asked.append(lesson.id) or keep)
    main_window.show_lessons("xor-from-nand")
    assert asked == ["xor-from-nand"]
    graph = main_window.document.graph
    assert (graph.snapshot() == other.snapshot()) is keep
    main_window.lessons_panel.open("nand-perceptron")     # the panel's own switch: no question
    assert asked == ["xor-from-nand"]


def test_saved_work_opened_again_brings_its_answers_back(qtbot, main_window, tmp_path):
    main_window.show_lessons("gradient-descent")
    panel = main_window.lessons_panel
    qtbot.keyClicks(panel.answers.findChild(QLineEdit, "bowl_eta"), "0.5")
    path = tmp_path / "mine.json"
    assert panel.save_work(path)
    panel.progress.reset("gradient-descent")          # e.g. another computer
    main_window.new_document()
    assert panel.loaded_lesson is None
    assert main_window.open_path(path, ask=False)
    assert panel.loaded_lesson == "gradient-descent"
    assert panel.progress.answers("gradient-descent") == {"bowl_eta": 0.5}
    assert panel.answers.findChild(QLineEdit, "bowl_eta").text() == "0.5"
    assert check(qtbot, panel)[0]


def test_the_panel_reopens_at_the_next_start_if_it_was_open(qtbot, tmp_path):
    from nnsim.gui.app import create_window

    def start():
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        w = create_window(settings=settings, recovery_dir=tmp_path / "recovery")
        w.resize(1200, 800)
        w.show()
        qtbot.waitExposed(w)
        return w

    def close(w):
        w.document.undo_stack.setClean()
        w.close()
        w.deleteLater()

    first = start()
    assert getattr(first, "lessons_panel", None) is None
    first.show_lessons("baselines")
    close(first)
    second = start()
    panel = second.lessons_panel
    assert second.lessons_dock.isVisible() and panel.stack.currentIndex() == 0
    assert panel.list.currentRow() == panel.order.index("baselines")
    assert not second.document.graph.nodes                # nothing replaced until a lesson is opened
    second.lessons_dock.close()                           # closed by the student this time
    close(second)
    third = start()
    assert getattr(third, "lessons_panel", None) is None
    close(third)
