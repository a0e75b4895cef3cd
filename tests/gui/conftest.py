"""Fixtures for the app tests: a main window with its own settings file and recovery folder."""

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt


@pytest.fixture
def main_window(qtbot, tmp_path):
    """A shown :class:`MainWindow` (no optional pages), isolated from the user's settings."""
    from nnsim.gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, recovery_dir=tmp_path / "recovery")
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.document.undo_stack.setClean()  # no "save changes?" box while closing
    window.close()
    window.deleteLater()
    qtbot.wait(1)


class Mouse:
    """Mouse gestures on the canvas in scene coordinates, through the view's viewport as a person would."""

    def __init__(self, qtbot, window):
        self.qtbot = qtbot
        self.view = window.circuit.view
        self.scene = window.circuit.scene

    def at(self, scene_point) -> QPoint:
        return self.view.mapFromScene(QPointF(scene_point))

    def click(self, scene_point, modifier=Qt.KeyboardModifier.NoModifier):
        self.qtbot.mouseClick(self.view.viewport(), Qt.MouseButton.LeftButton, modifier, self.at(scene_point))

    def double_click(self, scene_point):
        self.click(scene_point)  # as a person does: the first click selects, the double click edits
        self.qtbot.mouseDClick(self.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                               self.at(scene_point))

    def drag(self, start, end, steps: int = 6):
        vp = self.view.viewport()
        a, b = self.at(start), self.at(end)
        self.qtbot.mousePress(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
        for i in range(1, steps + 1):
            p = a + (b - a) * (i / steps)
            self.qtbot.mouseMove(vp, p)
        self.qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


@pytest.fixture
def mouse(qtbot, main_window):
    return Mouse(qtbot, main_window)
