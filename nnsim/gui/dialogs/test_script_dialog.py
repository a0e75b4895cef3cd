"""Circuit › Run Test Script…: run a nand2tetris test script on its chip of NAND perceptrons and show every
output line passed or failed against the compare file."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from nnsim.core.errors import UserError
from nnsim.gui import style
from nnsim.io.hdl_build import import_hdl
from nnsim.io.tst import TstResult, run_tst

COLUMNS = ("Line", "Result", "Output (.out)")


class TestScriptDialog(QDialog):
    """Choose a ``.tst`` file and run it; the table lists each line written with its verdict.

    ``sigRan(result)`` carries the :class:`~nnsim.io.tst.TstResult` of each run (None after an error);
    ``sigOpenChip(path)`` asks the window to open the chip the script loaded."""

    sigRan = Signal(object)
    sigOpenChip = Signal(object)

    def __init__(self, parent=None, script=None):
        super().__init__(parent)
        self.setWindowTitle("Run test script")
        self.script: Path | None = None
        self.result: TstResult | None = None
        self.path_label = QLabel("No script chosen.")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton("Choose Script…")
        self.choose_button.clicked.connect(self.choose)
        self.run_button = QPushButton("Run Again")
        self.run_button.clicked.connect(lambda: self.run_script(self.script))
        self.run_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.path_label, 1)
        top.addWidget(self.choose_button)
        top.addWidget(self.run_button)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.difference = QLabel()  # the failing line: expected, got and a caret under each difference
        self.difference.setFont(self.mono)
        self.difference.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.difference.setVisible(False)
        note = QLabel("The chip is built from NAND perceptrons (w = −2, −2, b = 3). As in the course's hardware "
                      "simulator, a run stops at the first line that differs from the compare file; a * in the "
                      "compare file matches any character.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.open_chip_button = buttons.addButton("Open Chip in Canvas", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_chip_button.setEnabled(False)
        self.open_chip_button.clicked.connect(self._open_chip)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.difference)
        lay.addWidget(note)
        lay.addWidget(buttons)
        self.resize(900, 520)
        if script is not None:
            self.run_script(script)

    def choose(self) -> None:
        start = str(self.script.parent) if self.script else str(Path.cwd())
        path, _ = QFileDialog.getOpenFileName(self, "Choose a test script", start,
                                              "Test scripts (*.tst);;All files (*)")
        if path:
            self.run_script(path)

    def run_script(self, path) -> TstResult | None:
        """Run the script at ``path`` and show the outcome (an unusable script or chip is shown, not raised)."""
        self.script = Path(path)
        self.path_label.setText(str(self.script))
        self.run_button.setEnabled(True)
        self.table.setRowCount(0)
        self.difference.setVisible(False)
        try:
            self.result = run_tst(self.script, loader=partial(import_hdl, layout=False))
        except UserError as err:
            self.result = None
            self._say(f"Cannot run this script: {err}", style.theme().fail_colour)
            self.open_chip_button.setEnabled(False)
            self.sigRan.emit(None)
            return None
        self._show(self.result)
        self.sigRan.emit(self.result)
        return self.result

    def _say(self, text: str, colour) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {colour.name()}; font-weight: bold;")

    def _show(self, result: TstResult) -> None:
        t = style.theme()
        out_name = result.out_path.name if result.out_path else "no output file"
        if result.cmp_path is None:
            self._say(f"Wrote {len(result.lines)} lines to {out_name}; the script names no compare file.", t.text)
        elif result.passed:
            self._say(f"Passed: all {len(result.lines)} lines of {out_name} match {result.cmp_path.name}.",
                      t.pass_colour)
        else:
            self._say(f"Failed at line {result.failure.number}: the output differs from {result.cmp_path.name} "
                      f"(the run stopped there).", t.fail_colour)
        self.table.setRowCount(len(result.lines))
        for r, line in enumerate(result.lines):
            verdict = "—" if line.ok is None else "passed" if line.ok else "failed"
            for c, text in enumerate((str(line.number), verdict, line.text)):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setFont(self.mono)
                if c == 1 and line.ok is not None:
                    item.setForeground(t.pass_colour if line.ok else t.fail_colour)
                if line.ok is False:
                    item.setToolTip(f"expected: {line.expected}" if line.expected is not None
                                    else "the compare file has no such line")
                self.table.setItem(r, c, item)
        f = result.failure
        if f is not None:
            self.table.selectRow(f.number - 1)
            self.table.scrollToItem(self.table.item(f.number - 1, 0))
            if f.expected is None:
                text = f"line {f.number}: the compare file has no such line\ngot:      {f.text}"
            else:
                marks = "".join(" " if i < len(f.expected) and f.expected[i] in ("*", ch) else "^"
                                for i, ch in enumerate(f.text))
                text = f"expected: {f.expected}\ngot:      {f.text}\n          {marks.rstrip()}"
            self.difference.setText(text)
            self.difference.setVisible(True)
        self.open_chip_button.setEnabled(result.chip_path is not None)

    def _open_chip(self) -> None:
        if self.result is not None and self.result.chip_path is not None:
            self.sigOpenChip.emit(self.result.chip_path)
