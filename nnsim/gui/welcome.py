"""The first sight of an empty app: example cards (a picture of each circuit and one line), recent files,
and the lessons (when installed), instead of a blank canvas, an empty inspector and an empty plot."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy,
                               QToolButton, QVBoxLayout, QWidget)

from nnsim.core.errors import UserError
from nnsim.gui import style
from nnsim.io.fileformat import load_graph

THUMB = QSize(220, 130)
CARD_COLUMNS = 4


def first_sentence(text: str, limit: int = 90) -> str:
    """The description's first sentence, cut to ``limit`` characters."""
    text = " ".join((text or "").split())
    for end in (". ", "? ", "! "):
        if end in text:
            text = text[: text.index(end) + 1]
            break
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_thumbnail(graph, size: QSize = THUMB) -> QPixmap:
    """A picture of ``graph`` drawn by the canvas's own items (a scene built just for it)."""
    from nnsim.gui.canvas.scene import CircuitScene
    from nnsim.gui.canvas.simulator import Simulator
    from nnsim.gui.document import Document

    document = Document(graph)
    simulator = Simulator(document)
    scene = CircuitScene(document, simulator)
    simulator.flush()
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(style.theme().background)
    rect = scene.items_rect()
    if not rect.isNull():
        rect = rect.adjusted(-20, -20, 20, 20)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        scene.render(painter, QRectF(0, 0, size.width(), size.height()), rect, Qt.AspectRatioMode.KeepAspectRatio)
        painter.end()
    simulator.set_running(False)
    simulator.blockSignals(True)   # a pending evaluation must not reach items being deleted
    scene.blockSignals(True)
    scene.deleteLater()            # with its items and any pending work (wire routing) of its own
    simulator.deleteLater()
    document.deleteLater()
    return QPixmap.fromImage(image)


class WelcomePage(QScrollArea):
    """``sigOpenExample(path)``, ``sigOpenFile(path)``, ``sigStart()`` (an empty canvas), ``sigLessons()``."""

    sigOpenExample = Signal(object)
    sigOpenFile = Signal(object)
    sigStart = Signal()
    sigLessons = Signal()

    def __init__(self, examples: list[Path], recent: list[str], title_of, lessons: bool = False, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(24, 18, 24, 18)
        heading = QLabel("<h2>nnsim: perceptrons, sigmoid neurons and NAND circuits</h2>"
                         "Chapter 1 of Michael Nielsen's <i>Neural Networks and Deep Learning</i>, made touchable. "
                         "Open an example, or start with an empty canvas.")
        heading.setWordWrap(True)
        outer.addWidget(heading)

        row = QHBoxLayout()
        self.start_button = QPushButton("Empty canvas")
        self.start_button.setToolTip("Start building: drag from the palette, or press Tab on the canvas")
        self.start_button.clicked.connect(self.sigStart)
        row.addWidget(self.start_button)
        self.lessons_button = None
        if lessons:
            self.lessons_button = QPushButton("Lessons…")
            self.lessons_button.setToolTip("Step-by-step lessons through chapter 1, checked as you build")
            self.lessons_button.clicked.connect(self.sigLessons)
            row.addWidget(self.lessons_button)
        row.addStretch(1)
        outer.addLayout(row)

        outer.addWidget(QLabel("<b>Examples</b>"))
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        self.cards: dict[str, QToolButton] = {}
        self._boxes = [box for box in (self._card(p, title_of(p)) for p in examples) if box is not None]
        self._columns = 0
        self._lay_out_cards(CARD_COLUMNS)
        outer.addLayout(self.grid)

        self.recent_buttons = []
        existing = [f for f in recent if Path(f).exists()]
        if existing:
            outer.addWidget(QLabel("<b>Recent files</b>"))
            for f in existing:
                b = QPushButton(Path(f).name)
                b.setFlat(True)
                b.setStyleSheet("text-align: left;")
                b.setToolTip(f)
                b.clicked.connect(lambda checked=False, f=f: self.sigOpenFile.emit(f))
                outer.addWidget(b)
                self.recent_buttons.append(b)
        outer.addStretch(1)
        self.setWidget(body)

    def _lay_out_cards(self, columns: int) -> None:
        columns = max(1, columns)
        if columns == self._columns:
            return
        self._columns = columns
        for box in self._boxes:
            self.grid.removeWidget(box)
        for i, box in enumerate(self._boxes):
            self.grid.addWidget(box, i // columns, i % columns)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        # as many columns as fit: the page never scrolls sideways (a lessons panel beside it takes room)
        self._lay_out_cards(min(CARD_COLUMNS, (self.viewport().width() - 48) // (THUMB.width() + 32)))

    def _card(self, path: Path, title: str) -> QToolButton | None:
        try:
            graph = load_graph(path)
        except UserError:
            return None
        card = QToolButton()
        card.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        card.setIcon(render_thumbnail(graph))
        card.setIconSize(THUMB)
        line = first_sentence(graph.description)
        card.setText(f"{graph.name or title}")
        card.setToolTip(f"<b>{graph.name or title}</b><br>{graph.description}")
        card.setStatusTip(line)
        card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        card.setAutoRaise(True)
        card.clicked.connect(lambda checked=False, p=path: self.sigOpenExample.emit(p))
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(card)
        caption = QLabel(line)
        caption.setWordWrap(True)
        caption.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        caption.setFixedWidth(THUMB.width() + 20)   # a wrapped label left to itself wraps at ~120 px
        caption.setMinimumHeight(3 * caption.fontMetrics().lineSpacing())
        lay.addWidget(caption, 0, Qt.AlignmentFlag.AlignHCenter)
        self.cards[path.name] = card
        return box


def show_welcome(window) -> WelcomePage:
    """Put a :class:`WelcomePage` in front of ``window``'s pages (a MainWindow) until a document is opened,
    a node is added, or the student asks for an empty canvas. Returns the page."""
    from PySide6.QtWidgets import QStackedWidget

    stack = window.centralWidget()
    if not isinstance(stack, QStackedWidget):
        pages = window.takeCentralWidget()
        stack = QStackedWidget()
        stack.addWidget(pages)
        window.setCentralWidget(stack)
    lessons = callable(getattr(window, "show_lessons", None))
    page = WelcomePage(window.example_files(), window.recent_files(), window.example_title, lessons=lessons)
    stack.addWidget(page)
    stack.setCurrentWidget(page)
    window.welcome = page

    def leave(*_):
        if getattr(window, "welcome", None) is not page:
            return
        window.welcome = None
        stack.setCurrentWidget(window.pages)
        stack.removeWidget(page)
        page.deleteLater()
        try:
            window.document.sigReplaced.disconnect(leave)
            window.document.graph.node_added.disconnect(leave)
        except (RuntimeError, TypeError):
            pass

    def start():
        leave()
        window.pages.setCurrentIndex(0)
        window.circuit.view.setFocus()

    page.sigStart.connect(start)
    page.sigOpenExample.connect(lambda p: window.open_example(Path(p)))
    page.sigOpenFile.connect(lambda f: window.open_path(f))
    if lessons:
        page.sigLessons.connect(lambda: (leave(), window.show_lessons()))
    window.document.sigReplaced.connect(leave)
    window.document.graph.node_added.connect(leave)
    return page
