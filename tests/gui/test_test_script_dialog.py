"""Circuit › Run Test Script… and File › Open of .hdl/.bench files, acted out as a person does."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from nnsim.gui import style
from nnsim.gui.dialogs.test_script_dialog import TestScriptDialog as ScriptDialog


def results(dialog):
    return [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]


def test_each_line_passed_or_failed(qtbot, hdl_folder):
    dialog = ScriptDialog()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sigRan) as ran:
        dialog.run_script(hdl_folder / "ALU.tst")
    assert ran.args[0].passed
    assert results(dialog) == ["passed"] * 37 and "Passed: all 37 lines" in dialog.summary.text()
    assert dialog.table.item(0, 2).text().startswith("|        x         |")
    assert dialog.open_chip_button.isEnabled() and not dialog.difference.isVisible()

    cmp = hdl_folder / "Xor.cmp"
    cmp.write_text(cmp.read_text().replace("| 1 | 0 | 1 |", "| 1 | 0 | 0 |"))
    dialog.run_script(hdl_folder / "Xor.tst")
    assert results(dialog) == ["passed", "passed", "passed", "failed"]
    assert "Failed at line 4" in dialog.summary.text()
    assert dialog.table.item(3, 1).foreground().color() == style.theme().fail_colour
    assert dialog.difference.text().splitlines() == ["expected: | 1 | 0 | 0 |", "got:      | 1 | 0 | 1 |",
                                                     "                    ^"]


def test_a_bad_script_is_shown_not_raised(qtbot, hdl_folder):
    (hdl_folder / "Clock.tst").write_text("load Not.hdl, output-list in out; tick;")
    dialog = ScriptDialog()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.sigRan) as ran:
        dialog.run_script(hdl_folder / "Clock.tst")
    assert ran.args[0] is None and dialog.table.rowCount() == 0
    assert "sequential chips are not supported yet" in dialog.summary.text()
    assert not dialog.open_chip_button.isEnabled()


def test_menu_action_runs_a_script_and_opens_its_chip(qtbot, main_window, hdl_folder, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(hdl_folder / "Not16.tst"), ""))
    assert main_window.test_script_action in main_window.circuit_menu.actions()
    main_window.test_script_action.trigger()
    dialog = main_window.findChild(ScriptDialog)
    qtbot.waitUntil(lambda: dialog.result is not None)
    assert dialog.result.passed
    dialog.open_chip_button.click()
    qtbot.waitUntil(lambda: main_window.document.graph.name == "Not16")
    graph = main_window.document.graph
    assert list(graph.chips) == ["Not"] and len(graph.instances()) == 16   # the chip's parts as boxes
    assert main_window.document.path is None     # an imported chip opens untitled: Save never overwrites it
    dialog.close()


def test_file_open_imports_hdl_and_bench(qtbot, main_window, hdl_folder):
    assert main_window.open_path(hdl_folder / "Xor.hdl", ask=False)
    assert main_window.document.graph.name == "Xor" and main_window.document.path is None
    bench = hdl_folder / "n.bench"
    bench.write_text("INPUT(a)\nINPUT(b)\nOUTPUT(y)\ny = NAND(a, b)\n")
    assert main_window.open_path(bench, ask=False)
    assert [n.name for n in main_window.document.graph.outputs()] == ["y"]
