"""Fixtures of the hostile corpus (helpers in hostile_helpers.py)."""

import pytest
from hostile_helpers import Misbehaving
from PySide6.QtCore import QSettings


@pytest.fixture
def serve():
    servers = []

    def start(behaviour):
        server = Misbehaving(behaviour)
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def window(qtbot, tmp_path):
    """A shown main window with its own settings and recovery folder (as tests/gui's main_window)."""
    from nnsim.gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(settings=settings, recovery_dir=tmp_path / "recovery")
    w.resize(1000, 700)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.document.undo_stack.setClean()
    w.close()
    w.deleteLater()
    qtbot.wait(1)
