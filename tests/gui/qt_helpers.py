"""Helpers for the GUI tests (imported by name: tests/gui is on sys.path while they run)."""


def shown(qtbot, widget, size=(760, 620)):
    """``widget`` shown; at teardown its worker threads are shut down before it is closed."""
    stop = getattr(widget, "shutdown", None)
    qtbot.addWidget(widget, before_close_func=(lambda w: stop()) if stop else None)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
