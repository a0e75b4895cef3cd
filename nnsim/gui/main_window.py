"""The main window: menus, toolbar, files (open, save, recent, examples, export), and the pages.

The first page is the circuit editor (:class:`~nnsim.gui.canvas.page.CircuitPage`); other features add
pages with :meth:`MainWindow.add_page` and docks beside the canvas with :meth:`MainWindow.add_circuit_dock`.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QEvent, QRectF, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QIcon, QImage, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (QApplication, QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox, QStyle,
                               QTabWidget, QToolBar, QWidget)

from nnsim import paths
from nnsim.core.circuit.edits import MoveNodes
from nnsim.core.circuit.layout import layered_layout
from nnsim.core.errors import UserError
from nnsim.core.circuit.graph import Graph
from nnsim.gui import style
from nnsim.gui.canvas import chip_actions
from nnsim.gui.canvas.page import CircuitPage, scrolling
from nnsim.gui.dialogs import builders
from nnsim.gui.document import Document
from nnsim.gui.recovery import Autosaver, Recoverable, find_recoverable
from nnsim.gui.user_text import isolated
from nnsim.io.fileformat import load_graph
from nnsim.io.imports import is_importable, load_any

FILE_FILTER = "nnsim circuits (*.json);;All files (*)"
#: File › Open also imports nand2tetris chips and ISCAS netlists (they open as new, untitled documents).
OPEN_FILTER = ("Circuits (*.json *.hdl *.bench);;nnsim circuits (*.json);;nand2tetris chips (*.hdl);;"
               "ISCAS netlists (*.bench);;All files (*)")
MAX_RECENT = 8
DOCK_MIN_HEIGHT = 280  # a panel below the canvas (the response lab) starts at least this tall


def redo_shortcuts() -> list[QKeySequence]:
    """Ctrl+Shift+Z and Ctrl+Y everywhere, plus the platform's own, each once (the platform's Redo can itself
    be Ctrl+Y, and a key listed twice is an ambiguous shortcut that does nothing)."""
    keys = [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
    keys += QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
    unique: list[QKeySequence] = []
    for k in keys:
        if not k.isEmpty() and all(k != u for u in unique):
            unique.append(k)
    return unique


class MainWindow(QMainWindow):
    """The application window around one :class:`Document`."""

    def __init__(self, document: Document | None = None, settings: QSettings | None = None,
                 recovery_dir: Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document or Document()
        self.settings = settings if settings is not None else QSettings("nnsim", "nnsim")
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.setTabBarAutoHide(True)
        self.circuit = CircuitPage(self.document)
        self.pages.addTab(self.circuit, "Circuit")
        self.setCentralWidget(self.pages)
        self._shutdown_hooks: list = []
        self._circuit_docks: list = []   # (dock, widget) added below the canvas
        self._base_font_size: float | None = None
        self.autosaver = Autosaver(self.document, recovery_dir, parent=self)
        self.autosaver.sigProblem.connect(
            lambda reason: self.statusBar().showMessage(f"Autosave is off: {reason}", 20_000))
        self.recovery_dir = self.autosaver.directory

        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self.zoom_label = QLabel("100%")
        self.statusBar().addPermanentWidget(self.zoom_label)
        self.circuit.view.sigZoomChanged.connect(lambda z: self.zoom_label.setText(f"{z * 100:.0f}%"))
        self.circuit.scene.sigStatus.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.document.sigDirtyChanged.connect(lambda dirty: self.setWindowModified(dirty))
        self.document.sigPathChanged.connect(lambda _: self._update_title())
        self.document.sigReplaced.connect(self._update_title)
        self.document.graph.graph_changed.connect(self._on_graph_setting)
        self.document.undo_stack.indexChanged.connect(lambda _: self._update_edit_actions())
        self.circuit.scene.selectionChanged.connect(self._update_edit_actions)
        self.pages.currentChanged.connect(lambda _: self._update_edit_actions())
        self.pages.currentChanged.connect(lambda _: self.statusBar().clearMessage())  # hints were for the page left
        self.setWindowIcon(self._icon("applications-science", QStyle.StandardPixmap.SP_ComputerIcon))
        self.resize(1400, 860)
        self._update_title()
        self._update_edit_actions()
        self.statusBar().showMessage("Drag from the palette, Tab to search, drag from a node's right-hand dot to "
                                     "connect, click inputs to switch them.", 15000)

    # ----- pages (the contract with other features) ------------------------------------------------
    def add_page(self, widget: QWidget, title: str) -> None:
        """Add a top-level page (a tab next to "Circuit"). It scrolls when the window is smaller than it."""
        self.pages.addTab(scrolling(widget), title)
        if hasattr(widget, "shutdown"):
            self._shutdown_hooks.append(widget.shutdown)

    def add_circuit_dock(self, widget: QWidget, title: str) -> QDockWidget:
        """Add a panel beside the canvas that works on the same document."""
        dock = self.circuit.add_dock(scrolling(widget), title)
        self._circuit_docks.append((dock, widget))
        self._fit_circuit_dock(dock, widget, DOCK_MIN_HEIGHT)
        self.view_menu.addAction(dock.toggleViewAction())
        if hasattr(widget, "shutdown"):
            self._shutdown_hooks.append(widget.shutdown)
        return dock

    def _fit_circuit_dock(self, dock: QDockWidget, widget: QWidget, at_least: int = 0) -> None:
        """Make a panel below the canvas tall enough that its plots show whole (they shrink to their minimum
        rather than scroll); the canvas keeps the rest and stays the main thing."""
        title_height = dock.fontMetrics().height() + 12
        height = max(at_least, widget.minimumSizeHint().height() + title_height)
        if dock.isVisible() and not dock.isFloating() and dock.height() >= height:
            return
        self.circuit.resizeDocks([dock], [height], Qt.Orientation.Vertical)

    def show_lessons(self, lesson_id: str | None = None) -> None:
        """Show the lessons panel beside the pages (made the first time); with ``lesson_id``, open that
        lesson, otherwise the one last open (or the list)."""
        from nnsim.gui.lessons.dock import lessons_panel, make_room

        panel = lessons_panel(self)
        self.lessons_dock.show()
        self.lessons_dock.raise_()
        make_room(self)
        if lesson_id is not None or panel.lesson is None:
            panel.open(lesson_id)

    def show_page(self, name: str) -> bool:
        """Bring the page whose title starts with ``name`` (any case) to the front."""
        name = name.strip().lower()
        for i in range(self.pages.count()):
            if self.pages.tabText(i).replace("&", "").lower().startswith(name):
                self.pages.setCurrentIndex(i)
                return True
        for dock in self.circuit.findChildren(QDockWidget):
            if dock.windowTitle().lower().startswith(name):
                self.pages.setCurrentIndex(0)
                dock.show()
                dock.raise_()
                return True
        return False

    @property
    def scene(self):
        return self.circuit.scene

    @property
    def view(self):
        return self.circuit.view

    # ----- actions ---------------------------------------------------------------------------------
    def _icon(self, theme_name: str, fallback: QStyle.StandardPixmap) -> QIcon:
        icon = QIcon.fromTheme(theme_name)
        return icon if not icon.isNull() else self.style().standardIcon(fallback)

    def _mono_icon(self, action: QAction, theme_name: str, fallback: QStyle.StandardPixmap) -> None:
        """Give ``action`` the theme's icon or else the style's arrow drawn in the palette's text colour (the
        style draws its arrows dark, nearly invisible on a dark toolbar); redrawn when the palette changes."""
        self._mono_icons.append((action, theme_name, fallback))
        action.setIcon(self._tinted_icon(theme_name, fallback))

    def _tinted_icon(self, theme_name: str, fallback: QStyle.StandardPixmap) -> QIcon:
        icon = QIcon.fromTheme(theme_name)
        if not icon.isNull():
            return icon
        base = self.style().standardIcon(fallback)
        colour = self.palette().color(QPalette.ColorRole.ButtonText)
        tinted = QIcon()
        for side in (16, 18, 24, 32):
            pixmap = base.pixmap(QSize(side, side))
            painter = QPainter(pixmap)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
            painter.fillRect(pixmap.rect(), colour)
            painter.end()
            tinted.addPixmap(pixmap)
        return tinted

    def _retint_icons(self) -> None:
        for action, theme_name, fallback in self._mono_icons:
            action.setIcon(self._tinted_icon(theme_name, fallback))

    def _action(self, text: str, slot, shortcut=None, tip: str = "", icon: QIcon | None = None,
                checkable: bool = False) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                a.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                a.setShortcut(QKeySequence(shortcut))
        if tip:
            a.setToolTip(tip)
            a.setStatusTip(tip)
        if icon is not None:
            a.setIcon(icon)
        a.setCheckable(checkable)
        a.triggered.connect(slot)
        self.addAction(a)
        return a

    def _make_actions(self) -> None:
        SP = QStyle.StandardPixmap
        K = QKeySequence.StandardKey
        self._mono_icons = []   # (action, theme icon name, style fallback): redrawn for a new palette
        scene, view = self.circuit.scene, self.circuit.view
        self.new_action = self._action("&New", self.new_document, K.New, "Start an empty circuit",
                                       self._icon("document-new", SP.SP_FileIcon))
        self.open_action = self._action("&Open…", lambda: self.open_dialog(), K.Open, "Open a circuit file",
                                        self._icon("document-open", SP.SP_DialogOpenButton))
        self.save_action = self._action("&Save", lambda: self.save(), K.Save, "Save the circuit",
                                        self._icon("document-save", SP.SP_DialogSaveButton))
        self.save_as_action = self._action("Save &As…", lambda: self.save_as(), K.SaveAs, "Save under a new name")
        self.export_png_action = self._action("Export as &PNG…", lambda: self.export_dialog("png"), None,
                                              "Save a picture of the canvas")
        self.export_svg_action = self._action("Export as S&VG…", lambda: self.export_dialog("svg"), None,
                                              "Save the canvas as a vector drawing")
        self.quit_action = self._action("&Quit", self.close, K.Quit, "Close nnsim")

        stack = self.document.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(K.Undo))
        self._mono_icon(self.undo_action, "edit-undo", SP.SP_ArrowBack)
        self.undo_action.setIconText("Undo")  # the toolbar keeps a short label; the menu says what
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(redo_shortcuts())
        self._mono_icon(self.redo_action, "edit-redo", SP.SP_ArrowForward)
        self.redo_action.setIconText("Redo")
        for a in (self.undo_action, self.redo_action):
            self.addAction(a)
        self.cut_action = self._action("Cu&t", scene.cut_selection, K.Cut, "Cut the selected nodes")
        self.copy_action = self._action("&Copy", scene.copy_selection, K.Copy, "Copy the selected nodes with "
                                        "the wires between them")
        self.paste_action = self._action("&Paste", scene.paste, K.Paste, "Paste nodes")
        self.duplicate_action = self._action("D&uplicate", scene.duplicate, "Ctrl+D", "Copy and paste in one go")
        self.delete_action = self._action("&Delete", scene.delete_selection, [QKeySequence(K.Delete), "Backspace"],
                                          "Delete the selected nodes and wires")
        self.select_all_action = self._action("Select &All", scene.select_all, K.SelectAll)
        self.add_node_action = self._action("Add &Node…", lambda: view.open_search(), "Ctrl+K",
                                            "Search the palette (Tab on the canvas does the same)")

        self.zoom_in_action = self._action("Zoom &In", view.zoom_in, [QKeySequence(K.ZoomIn), "Ctrl+="],
                                           "Zoom in")
        self._mono_icon(self.zoom_in_action, "zoom-in", SP.SP_ArrowUp)
        self.zoom_out_action = self._action("Zoom &Out", view.zoom_out, K.ZoomOut, "Zoom out")
        self._mono_icon(self.zoom_out_action, "zoom-out", SP.SP_ArrowDown)
        self.fit_action = self._action("&Fit to View", view.fit, "Ctrl+0", "Show the whole circuit")
        self._mono_icon(self.fit_action, "zoom-fit-best", SP.SP_TitleBarMaxButton)
        self.snap_action = self._action("&Snap to Grid", self._set_snap, "Ctrl+G", "Drop moved nodes on the grid",
                                        checkable=True)
        self.snap_action.setChecked(True)
        self.arrange_action = self._action("&Arrange Left to Right", self.arrange, "Ctrl+L",
                                           "Lay the circuit out in layers, inputs on the left")
        self.presentation_action = self._action("&Presentation Mode", self.set_presentation, "F5",
                                                "Larger text and thicker lines for a projector; the canvas "
                                                "fills the window (F6 truth table, F7 plot, Esc leaves)",
                                                checkable=True)
        self.presentation_action.setChecked(style.presentation())
        view.context_actions = [self.cut_action, self.copy_action, self.paste_action, self.duplicate_action,
                                self.delete_action, None, self.add_node_action, self.select_all_action, None,
                                self.fit_action]

    def _make_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu("&File")
        m.addActions([self.new_action, self.open_action])
        self.recent_menu = m.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.examples_menu = m.addMenu("&Examples")
        self.examples_menu.aboutToShow.connect(self._fill_examples)
        m.addSeparator()
        m.addActions([self.save_action, self.save_as_action])
        m.addSeparator()
        m.addActions([self.export_png_action, self.export_svg_action])
        m.addSeparator()
        m.addAction(self.quit_action)

        m = mb.addMenu("&Edit")
        m.addActions([self.undo_action, self.redo_action])
        m.addSeparator()
        m.addActions([self.cut_action, self.copy_action, self.paste_action, self.duplicate_action,
                      self.delete_action])
        m.addSeparator()
        m.addActions([self.select_all_action, self.add_node_action])

        self.view_menu = m = mb.addMenu("&View")
        m.addActions([self.zoom_in_action, self.zoom_out_action, self.fit_action])
        m.addSeparator()
        m.addActions([self.snap_action, self.arrange_action, self.presentation_action])
        from nnsim.gui.theme import add_theme_menu

        add_theme_menu(self, m)
        m.addSeparator()
        for dock in (self.circuit.palette_dock, self.circuit.inspector_dock, self.circuit.table_dock):
            m.addAction(dock.toggleViewAction())

        self.circuit_menu = m = mb.addMenu("&Circuit")
        m.addActions([self.circuit.step_action, self.circuit.run_action, self.circuit.reset_action])
        self._add_build_actions(m)
        m.addSeparator()
        self.test_script_action = self._action("Run &Test Script…", lambda: self.run_test_script(),
                                               tip="Run a nand2tetris test script (.tst) on its chip of NAND "
                                                   "perceptrons and compare the output with the .cmp file")
        m.addAction(self.test_script_action)

        m = mb.addMenu("&Help")
        self.lessons_action = self._action("&Lessons", lambda: self.show_lessons(), "Ctrl+Shift+L",
                                           "Chapter 1 as guided lessons that check your work")
        m.addAction(self.lessons_action)
        m.addAction(self._action("&Quick Guide", self.show_help, QKeySequence.StandardKey.HelpContents))
        self.shortcuts_action = self._action("&Keyboard Shortcuts", self.show_shortcuts, "Ctrl+/",
                                             "Every key: menus, pages and the canvas without a mouse")
        m.addAction(self.shortcuts_action)
        m.addAction(self._action("&About nnsim", self.show_about))

    def _add_build_actions(self, menu) -> None:
        menu.addSeparator()
        self.build_actions = builders.make_actions(self, menu)
        self.chip_actions = chip_actions.make_actions(self, menu)

    def _make_toolbar(self) -> None:
        tb = QToolBar("Main")
        tb.setObjectName("main-toolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.setIconSize(QSize(18, 18))
        tb.addActions([self.new_action, self.open_action, self.save_action])
        tb.addSeparator()
        tb.addActions([self.undo_action, self.redo_action])
        tb.addSeparator()
        tb.addActions([self.zoom_in_action, self.zoom_out_action, self.fit_action])
        tb.addSeparator()
        tb.addAction(self.presentation_action)
        self.addToolBar(tb)
        self.toolbar = tb

    def _update_edit_actions(self) -> None:
        try:
            nodes = self.circuit.scene.selected_node_ids()
            wires = self.circuit.scene.selected_wire_ids()
            can_undo, can_redo = self.document.undo_stack.canUndo(), self.document.undo_stack.canRedo()
        except RuntimeError:  # the window is being torn down (the undo stack empties itself as it goes)
            return
        # Away from the canvas (the training page) the canvas's edits, undo and zoom are off: Delete or Ctrl+Z
        # there must not change a circuit nobody is looking at.
        on_canvas = self.pages.currentIndex() == 0
        for a in (self.cut_action, self.copy_action, self.duplicate_action):
            a.setEnabled(on_canvas and bool(nodes))
        self.delete_action.setEnabled(on_canvas and bool(nodes or wires))
        for a in (self.paste_action, self.select_all_action, self.add_node_action, self.zoom_in_action,
                  self.zoom_out_action, self.fit_action, self.arrange_action):
            a.setEnabled(on_canvas)
        self.undo_action.setEnabled(on_canvas and can_undo)
        self.redo_action.setEnabled(on_canvas and can_redo)

    def _set_snap(self, on: bool) -> None:
        self.circuit.scene.snap = bool(on)

    # ----- title -----------------------------------------------------------------------------------
    def _on_graph_setting(self, name: str) -> None:
        if name == "name":
            self._update_title()

    def document_title(self) -> str:
        if self.document.path:
            return self.document.path.name
        return self.document.graph.name or "untitled"

    def _update_title(self) -> None:
        self.setWindowTitle(f"{isolated(self.document_title())}[*] — nnsim")
        self.setWindowModified(self.document.dirty)

    # ----- files -----------------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """Ask about unsaved changes; True when it is fine to go on (saved or discarded)."""
        if not self.document.dirty:
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes", f"Save the changes to “{isolated(self.document_title())}” first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_document(self) -> bool:
        if not self.maybe_save():
            return False
        self.document.replace(Graph("untitled"))
        self.circuit.view.resetTransform()
        self.circuit.view.centerOn(0, 0)
        return True

    def open_dialog(self) -> bool:
        if not self.maybe_save():
            return False
        start = str(self.document.path.parent) if self.document.path else str(Path.cwd())
        path, _ = QFileDialog.getOpenFileName(self, "Open circuit", start, OPEN_FILTER)
        return self.open_path(path, ask=False) if path else False

    def open_path(self, path, ask: bool = True, as_copy: bool = False, graph=None) -> bool:
        """Open ``path``. A file that fails to load shows the loader's message and changes nothing.
        ``as_copy`` opens it as a new untitled document (examples), so Save asks for a place. ``graph``: the
        file, already loaded by the caller (``nnsim gui FILE`` checks it before starting the app)."""
        if ask and not self.maybe_save():
            return False
        try:
            graph = load_any(path) if graph is None else graph
        except UserError as err:
            QMessageBox.critical(self, "Cannot open this file", str(err))
            return False
        imported = is_importable(path)  # a .hdl/.bench opens as a new document: Save never overwrites it
        as_copy = as_copy or imported or self.is_example(Path(path))
        self.document.replace(graph, None if as_copy else Path(path))
        if not as_copy or imported:
            self._add_recent(Path(path))
        self.circuit.view.fit()
        self.statusBar().showMessage(f"Opened {Path(path).name}", 5000)
        return True

    def run_test_script(self, script=None):
        """Circuit › Run Test Script…: the dialog (modeless); ``script`` runs at once when given."""
        from nnsim.gui.dialogs.test_script_dialog import TestScriptDialog

        dialog = TestScriptDialog(self, script)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sigOpenChip.connect(lambda path: self.open_path(path))
        dialog.show()
        if script is None:
            dialog.choose()
        return dialog

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self, path=None) -> bool:
        if path is None:
            start = str(self.document.path or Path.cwd() / f"{self.document.graph.name or 'circuit'}.json")
            path, _ = QFileDialog.getSaveFileName(self, "Save circuit as", start, FILE_FILTER)
            if not path:
                return False
            if not Path(path).suffix:
                path += ".json"
        return self._save_to(Path(path))

    def _save_to(self, path: Path) -> bool:
        try:
            self.document.save(path)
        except UserError as err:   # a read-only file, a missing folder, a name that cannot be written …
            answer = QMessageBox.critical(
                self, "Cannot save", f"{err}\n\nSave it under another name?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
            if answer == QMessageBox.StandardButton.Save:
                return self.save_as()
            return False
        self._add_recent(path)
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    # recent files
    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: Path) -> None:
        p = str(Path(path).resolve())
        files = [p] + [f for f in self.recent_files() if f != p]
        self.settings.setValue("recent", files[:MAX_RECENT])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = [f for f in self.recent_files() if Path(f).exists()]
        for f in files:
            a = self.recent_menu.addAction(Path(f).name)
            a.setToolTip(f)
            a.triggered.connect(lambda checked=False, f=f: self.open_path(f))
        if not files:
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    # examples
    def example_files(self) -> list[Path]:
        try:
            folder = paths.examples_dir()
        except FileNotFoundError:
            return []
        return sorted(folder.glob("*.json"), key=lambda p: p.name)

    @staticmethod
    def example_title(path: Path) -> str:
        stem = path.name.removesuffix(".json").removesuffix(".nnsim")
        return stem.replace("-", " ").replace("_", " ")

    def _fill_examples(self) -> None:
        self.examples_menu.clear()
        for p in self.example_files():
            a = self.examples_menu.addAction(self.example_title(p))
            a.setToolTip(str(p))
            a.triggered.connect(lambda checked=False, p=p: self.open_example(p))
        if not self.examples_menu.actions():
            self.examples_menu.addAction("(no examples installed)").setEnabled(False)

    @staticmethod
    def is_example(path: Path) -> bool:
        """Whether ``path`` is one of the shipped examples (opened as a copy however it is opened, so Save
        never overwrites the example: ``nnsim resources/examples/xor.json`` then Ctrl+S did)."""
        try:
            return Path(path).resolve().parent == paths.examples_dir().resolve()
        except (FileNotFoundError, OSError):
            return False

    def open_example(self, path: Path) -> bool:
        return self.open_path(path, as_copy=True)

    # export
    def export_dialog(self, kind: str) -> None:
        name = (self.document.path.stem if self.document.path else self.document.graph.name or "circuit")
        filt = "PNG images (*.png)" if kind == "png" else "SVG drawings (*.svg)"
        path, _ = QFileDialog.getSaveFileName(self, f"Export canvas as {kind.upper()}", f"{name}.{kind}", filt)
        if path:
            self.export_image(path)

    def export_image(self, path) -> bool:
        """Render the whole circuit to a PNG (2× resolution) or SVG file, chosen by the suffix."""
        scene = self.circuit.scene
        self.circuit.simulator.flush()
        rect = scene.items_rect()
        if rect.isNull():
            rect = QRectF(-100, -100, 200, 200)
        rect = rect.adjusted(-30, -30, 30, 30)
        selected = scene.selectedItems()
        scene.clearSelection()
        try:
            if str(path).lower().endswith(".svg"):
                from PySide6.QtSvg import QSvgGenerator

                gen = QSvgGenerator()
                gen.setFileName(str(path))
                gen.setSize(rect.size().toSize())
                gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
                gen.setTitle(self.document_title())
                painter = QPainter(gen)
                painter.fillRect(QRectF(0, 0, rect.width(), rect.height()), style.theme().background)
                scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
                painter.end()
                ok = Path(path).exists()
            else:
                k = 2.0
                image = QImage(int(rect.width() * k), int(rect.height() * k), QImage.Format.Format_ARGB32)
                image.fill(style.theme().background)
                painter = QPainter(image)
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
                scene.render(painter, QRectF(0, 0, image.width(), image.height()), rect)
                painter.end()
                ok = image.save(str(path))
        finally:
            for item in selected:
                item.setSelected(True)
        if not ok:
            QMessageBox.critical(self, "Export failed", f"{path}: could not be written")
        return ok

    # recovery
    def offer_recovery(self) -> bool:
        """After a crash: offer the newest recovery file back. True when one was restored."""
        found = find_recoverable(self.recovery_dir)
        if not found:
            return False
        rec = found[0]
        what = rec.original.name if rec.original else "an unsaved circuit"
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(rec.saved_at))
        answer = QMessageBox.question(
            self, "Recover unsaved work?",
            f"nnsim did not close normally. An autosaved copy of {what} from {when} was found.\n\nRestore it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            for r in found:
                r.discard()
            return False
        return self.recover(rec, found)

    def recover(self, rec: Recoverable, others=()) -> bool:
        try:
            graph = load_graph(rec.path)
        except UserError as err:   # damaged, or gone since it was found: offer to throw it away
            answer = QMessageBox.question(
                self, "Cannot recover", f"{err}\n\nThis autosave cannot be restored. Discard it?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Discard)
            if answer == QMessageBox.StandardButton.Discard:
                for r in list(others) or [rec]:
                    r.discard()
            return False
        self.document.replace(graph, rec.original)
        self.document.undo_stack.resetClean()  # unsaved: the title shows it and closing asks
        self.document.sigDirtyChanged.emit(True)
        self.setWindowModified(True)
        for r in list(others) or [rec]:
            r.discard()
        self.autosaver.save_now()
        self.circuit.view.fit()
        return True

    # ----- view ------------------------------------------------------------------------------------
    def arrange(self) -> None:
        """Lay the circuit out left to right by level (``nnsim.core.circuit.layout``), as one undo step."""
        g = self.circuit.scene.graph   # the document, or the opened chip's definition
        pos = layered_layout(g)
        moves = {nid: ((g.nodes[nid].x, g.nodes[nid].y), (float(x), float(y)))
                 for nid, (x, y) in pos.items() if nid in g.nodes and (g.nodes[nid].x, g.nodes[nid].y) != (x, y)}
        if moves:
            self.circuit.scene.push(MoveNodes(moves))
            self.circuit.view.fit()

    def set_presentation(self, on: bool) -> None:
        style.set_presentation(on)
        style.clear_caches()
        app = QApplication.instance()
        if self._base_font_size is None:
            self._base_font_size = app.font().pointSizeF()
        f = app.font()
        f.setPointSizeF(self._base_font_size * (1.3 if on else 1.0))
        app.setFont(f)
        style.clear_caches()
        self.presentation_action.setChecked(on)
        self.circuit.palette_panel.populate()
        self.circuit.truth_table.restyle()
        if getattr(self, "lessons_panel", None) is not None:
            self.lessons_panel.restyle()
        for _, widget in self._circuit_docks:   # e.g. the response lab's plots, built once with fixed fonts
            if hasattr(widget, "restyle"):
                widget.restyle()
        self.refresh_canvas()
        if getattr(self, "presenter", None) is None:
            from nnsim.gui.presentation import Presenter

            self.presenter = Presenter(self)
        self.presenter.apply(on)   # side panels into a slim strip, the canvas gets the window; Esc leaves
        # larger text: the panels below the canvas need more height (once their layouts know the new fonts)
        QTimer.singleShot(0, self._fit_circuit_docks)

    def _fit_circuit_docks(self) -> None:
        for dock, widget in self._circuit_docks:
            self._fit_circuit_dock(dock, widget)

    def refresh_canvas(self) -> None:
        """Re-lay every item (sizes depend on fonts and presentation mode) and repaint."""
        scene = self.circuit.scene
        for item in scene.nodes.values():
            item.refresh_geometry()
        for item in scene.wires.values():
            item.update_path()
        scene.update()
        self.circuit.view.viewport().update()

    def changeEvent(self, event):
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            if hasattr(self, "circuit"):
                self.refresh_canvas()
            if hasattr(self, "_mono_icons"):
                self._retint_icons()
        super().changeEvent(event)

    # ----- help ------------------------------------------------------------------------------------
    def show_help(self) -> None:
        QMessageBox.information(self, "Quick guide", (
            "Add: drag an entry from the palette, double-click it, or press Tab on the canvas and type.\n"
            "Connect: drag from a node's right-hand dot onto a neuron.\n"
            "Inputs: click to switch 0/1; double-click to type a value; the inspector has a slider.\n"
            "Weights and biases: double-click the label on the canvas, or use the inspector.\n"
            "Select: click, shift-click, or drag a rectangle. Delete removes, Ctrl+D duplicates.\n"
            "View: wheel zooms, middle-drag or Space+drag pans, Ctrl+0 fits, F5 presentation mode.\n"
            "Keyboard: Alt+arrows move between nodes, ] picks a wire, Enter toggles an input or types a weight "
            "or bias, C connects two selected nodes; Help › Keyboard Shortcuts lists every key.\n"
            "A neuron's fill shows its output; hover it to see z = w·x + b."))

    def show_shortcuts(self):
        from nnsim.gui.dialogs.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        from nnsim import __version__

        QMessageBox.about(self, "About nnsim", f"nnsim {__version__}\n\nChapter 1 of Michael Nielsen's "
                          "“Neural Networks and Deep Learning”, made touchable: perceptrons, sigmoid neurons and "
                          "NAND circuits.")

    # ----- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event):
        if not self.maybe_save():
            event.ignore()
            return
        self.save_layout()
        self.shutdown()
        event.accept()

    def save_layout(self) -> None:
        """Remember the window's size and where the panels are (restored at the next start)."""
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/circuit_state", self.circuit.saveState())

    def restore_geometry(self) -> None:
        """The window's size and place from last time (before it is shown)."""
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def restore_panels(self) -> None:
        """Where the panels were last time (after every panel exists)."""
        state = self.settings.value("window/circuit_state")
        if state is not None:
            self.circuit.restoreState(state)

    def shutdown(self) -> None:
        """Stop timers and pages; delete the recovery file (this was a clean exit)."""
        for hook in self._shutdown_hooks:
            try:
                hook()
            except Exception:  # noqa: BLE001 - one page failing to stop must not block closing
                pass
        self._shutdown_hooks.clear()
        self.circuit.simulator.set_running(False)
        self.autosaver.stop()
