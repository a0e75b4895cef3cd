"""Start the app: the QApplication, the main window, the optional pages, and headless screenshots.

``run(path, screenshot=..., size=..., page=...)`` is what ``nnsim gui`` calls. Without a display (no
``DISPLAY`` or ``WAYLAND_DISPLAY``) Qt renders offscreen, so screenshots work on a server.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def ensure_platform() -> bool:
    """Use Qt's offscreen platform when there is no display (must run before the QApplication exists).
    Returns True when it chose offscreen itself."""
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    if (not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux")
            and "QT_QPA_PLATFORM" not in os.environ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return True
    return False


def create_application(argv: list[str] | None = None):
    """The QApplication (created once)."""
    ensure_platform()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else [sys.argv[0]])
        app.setApplicationName("nnsim")
        app.setOrganizationName("nnsim")
        app.setApplicationDisplayName("nnsim")
    return app


def install_optional_pages(window) -> None:
    """Add the response lab (a page: the circuit beside the plots) and the training page."""
    from nnsim.gui.response.lab import ResponseLab
    from nnsim.gui.response.lab_page import LabPage
    from nnsim.gui.training.page import TrainingPage

    window.add_page(LabPage(window.circuit, ResponseLab(window.document)), "Response lab")
    window.add_page(TrainingPage(), "Training")
    from nnsim.gui.lessons.dock import reopen

    reopen(window)   # the lessons panel, if it was open last time


def create_window(path=None, settings=None, recovery_dir=None, optional_pages: bool = True, graph=None):
    """A :class:`MainWindow`, with ``path`` opened when given (a load error is shown in a dialog); ``graph``:
    that file, loaded already."""
    from nnsim.gui.main_window import MainWindow

    window = MainWindow(settings=settings, recovery_dir=recovery_dir)
    if optional_pages:
        install_optional_pages(window)
    if path:
        window.open_path(Path(path), ask=False, graph=graph)
    return window


def quiet_platform_notes() -> None:
    """Drop the offscreen platform's "This plugin does not support propagateSizeHints()" (printed for every
    window it lays out; nothing is wrong); every other Qt message still goes to stderr."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind, context, message):
        if "propagateSizeHints" in message:
            return
        if kind != QtMsgType.QtDebugMsg:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def parse_size(text: str) -> tuple[int, int]:
    """``"1280x800"`` → (1280, 800); ``ValueError`` with a readable message otherwise."""
    try:
        w, h = (int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise ValueError(f"size {text!r} should look like 1280x800") from None
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise ValueError(f"size {text!r} is out of range (200 to 8000 pixels each way)")
    return w, h


def screenshot(window, png, size: tuple[int, int] | None = None) -> bool:
    """Lay the window out at ``size``, fit the circuit, render and save ``png``."""
    from PySide6.QtWidgets import QApplication

    if size:
        window.resize(*size)
    window.show()
    for _ in range(3):
        QApplication.processEvents()
    sim = window.circuit.simulator
    sim.flush()
    for _ in range(64):  # a looped circuit: show it settled, as it would be a moment after opening
        if not sim.has_loop or sim.settled or not sim.running:
            break
        sim.step()
    if window.pages.currentIndex() == 0:
        window.circuit.view.fit()
    QApplication.processEvents()
    return window.grab().save(str(png))


def dispose(window) -> None:
    """Delete the window now, while Python is whole. Left to the interpreter's exit, Qt destroys the
    plots' graphics widgets after Python has begun to finalise, and their Python-side event handlers
    then crash the process (a segmentation fault after the picture was saved)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    window.hide()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def run(path=None, screenshot_png=None, size=None, page=None, epochs=None, autostart=False, theme=None,
        presentation=False, graph=None) -> int:
    """Open the app (the ``nnsim gui`` command). With ``screenshot_png`` it renders, saves and exits.

    ``theme`` (light, dark, system) is applied and remembered; without it the last choice is used.
    ``presentation`` starts in presentation mode (F5). ``graph``: the file at ``path``, loaded already.

    ``autostart`` starts a training run at once (``epochs`` epochs, the other settings at their defaults)
    on the training page; with ``screenshot_png`` the picture is taken when the run ends."""
    if autostart or epochs is not None:
        page = "training"
    if ensure_platform() and not screenshot_png:
        print("nnsim: no display (DISPLAY and WAYLAND_DISPLAY are unset), so there is no window to show; "
              "use --screenshot PNG to render one offscreen, or run the command-line tools (nnsim --help)",
              file=sys.stderr)
        return 2
    app = create_application()
    quiet_platform_notes()
    from PySide6.QtCore import QTimer

    # The optional pages (response lab, training) are added right after the first paint, so the window
    # appears sooner; a screenshot or --page needs them at once.
    eager = bool(screenshot_png or page)
    from PySide6.QtCore import QSettings

    from nnsim.gui.theme import apply_theme, saved_theme, set_window_theme

    theme = apply_theme(theme or saved_theme(QSettings("nnsim", "nnsim")))   # before any widget is built
    window = create_window(path, optional_pages=eager, graph=graph)
    set_window_theme(window, theme)
    if not path and not page:   # asked for a page: show that page, not the welcome cards
        from nnsim.gui.welcome import show_welcome

        show_welcome(window)   # example cards, recent files, lessons: not a blank canvas and an empty plot
    if presentation:
        window.set_presentation(True)
    if page == "lessons" and callable(getattr(window, "show_lessons", None)):
        window.show_lessons()
    elif page and not window.show_page(page):
        print(f"nnsim: no page called {page!r}", file=sys.stderr)
        window.shutdown()
        return 2
    if autostart:
        return _train_then_finish(app, window, epochs, screenshot_png, size)
    if screenshot_png:
        ok = screenshot(window, screenshot_png, size)
        window.document.undo_stack.setClean()
        window.shutdown()
        dispose(window)
        if not ok:
            print(f"nnsim: could not write {screenshot_png}", file=sys.stderr)
            return 1
        print(screenshot_png)
        return 0

    def finish_start():
        if not eager:
            install_optional_pages(window)
        if not size:
            window.restore_panels()

    if size:
        window.resize(*size)
    else:
        window.restore_geometry()
    window.show()
    window.circuit.view.fit()
    QTimer.singleShot(0, finish_start)
    QTimer.singleShot(0, window.offer_recovery)
    code = app.exec()
    dispose(window)
    return code


def _train_then_finish(app, window, epochs, screenshot_png, size) -> int:
    """Start a training run on the training page; with a screenshot, save it when the run ends and exit."""
    from nnsim.gui.training.page import TrainingPage

    page = window.findChild(TrainingPage)
    if page is None:
        print("nnsim: the training page is not installed", file=sys.stderr)
        return 2
    outcome = {}

    def finished(result: str) -> None:
        outcome["result"] = result
        if screenshot_png:
            outcome["saved"] = screenshot(window, screenshot_png, size)
            window.shutdown()
            app.quit()

    page.sigRunFinished.connect(finished)
    if screenshot_png:
        page.show_dialogs = False  # nobody is there to click a dialog away
        window.resize(*(size or (1280, 800)))
    else:
        window.restore_geometry()
        window.show()
    page.autostart(epochs if epochs is not None else page.epochs.value())
    code = app.exec()
    if not screenshot_png:
        return code
    if outcome.get("result") == "failed":
        print(f"nnsim: training failed: {page.last_error}", file=sys.stderr)
        return 1
    if not outcome.get("saved"):
        print(f"nnsim: could not write {screenshot_png}", file=sys.stderr)
        return 1
    print(screenshot_png)
    return 0
