"""The lessons panel in the main window: a dock on the window's right edge, so the step stays beside the
canvas (and beside the training page) without covering either. :func:`lessons_panel` makes it once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMessageBox, QTabWidget

from nnsim.gui.lessons.panel import PANEL_WIDTH, LessonsPanel
from nnsim.gui.lessons.progress import LessonProgress
from nnsim.io.lessonfile import load_lessons

TITLE = "Lessons"
OPEN_KEY = "lessons/panel_open"


def show_place(window, page: str, tab: str | None) -> None:
    """Bring ``page`` (circuit, response, training) and, in it, the tab whose title starts with ``tab``
    to the front."""
    if page == "circuit":
        window.pages.setCurrentIndex(0)
    else:
        window.show_page(page)
    if tab:
        want = tab.lower()
        for tabs in window.findChildren(QTabWidget):
            if tabs is window.pages:   # the page is chosen above; the tab is inside it
                continue
            for i in range(tabs.count()):
                if tabs.tabText(i).replace("&", "").lower().startswith(want):
                    tabs.setCurrentIndex(i)
                    return


#: Below this window width the circuit page's side panels give the canvas room when the lessons open.
NARROW_WINDOW = 1500
NARROW_SIDES = (150, 240, 250)   # palette, inspector, lessons (pixels)


def make_room(window) -> None:
    """On a small screen (1024 × 768), narrow the palette, the inspector and the lessons panel so the canvas
    keeps about half the width; each can still be dragged wider."""
    if window.width() >= NARROW_WINDOW:
        window.resizeDocks([window.lessons_dock], [PANEL_WIDTH], Qt.Orientation.Horizontal)
        return
    page = window.circuit
    palette, inspector, lessons = NARROW_SIDES
    page.resizeDocks([page.palette_dock, page.inspector_dock], [palette, inspector], Qt.Orientation.Horizontal)
    window.resizeDocks([window.lessons_dock], [lessons], Qt.Orientation.Horizontal)


def reopen(window) -> bool:
    """At start-up: show the lessons panel (its list, the last lesson selected) if it was open when the app
    closed. The document is left alone until the student opens a lesson."""
    if str(window.settings.value(OPEN_KEY, "false")).lower() != "true":
        return False
    panel = lessons_panel(window)
    window.lessons_dock.show()
    make_room(window)
    panel.show_list()
    current = panel.progress.current()
    if current in panel.order:
        panel.list.setCurrentRow(panel.order.index(current))
    return True


def keep_current(window, lesson) -> bool:
    """Ask whether the network open now is the student's work on ``lesson`` (kept) or not (replaced by the
    lesson's starting network)."""
    answer = QMessageBox.question(
        window, lesson.title, f"Is the network open now your work on “{lesson.title}”?\n\nYes: keep working on "
        "it. No: start from the lesson's own network (you are asked to save yours first).")
    return answer == QMessageBox.StandardButton.Yes


def lessons_panel(window, folder=None) -> LessonsPanel:
    """The window's lessons panel, created (with its dock) the first time."""
    panel = getattr(window, "lessons_panel", None)
    if panel is not None:
        return panel
    lessons, errors = load_lessons(folder)
    panel = LessonsPanel(lessons, errors, window.document, LessonProgress(window.settings),
                         show_place=lambda page, tab: show_place(window, page, tab), may_replace=window.maybe_save,
                         keep_current=lambda lesson: keep_current(window, lesson))
    dock = QDockWidget(TITLE, window)
    dock.setObjectName("lessons")
    dock.setWidget(panel)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetClosable
                     | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.lessons_panel = panel
    window.lessons_dock = dock
    # Remember whether the panel is open for the next start; hiding with the closing window does not count.
    dock.visibilityChanged.connect(
        lambda visible: window.isVisible() and window.settings.setValue(OPEN_KEY, bool(visible)))
    if hasattr(window, "view_menu"):
        window.view_menu.addAction(dock.toggleViewAction())
    if hasattr(window, "_shutdown_hooks"):
        window._shutdown_hooks.append(panel.shutdown)
    return panel
