"""Test-wide settings: Qt renders offscreen; pyqtgraph binds to PySide6; hypothesis is deterministic."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")

from hypothesis import settings  # noqa: E402

settings.register_profile("nnsim", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("nnsim")
