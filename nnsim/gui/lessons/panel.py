"""The lessons panel: a list of lessons with progress ticks, and the open lesson's current step — its text,
the answers it asks for, Check (verdict and reason), Hint, Previous/Next, Reset and Save work.

It works on the shared :class:`~nnsim.gui.document.Document`: starting a lesson replaces the document with
the lesson's starting network, and Check runs the core's checks (:func:`nnsim.core.lessons.check_step`) on
a copy of the graph and the typed answers. Checks that train on MNIST run in a worker thread
(:class:`~nnsim.gui.worker.TaskRunner`). Progress lives in :class:`~nnsim.gui.lessons.progress.LessonProgress`.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QFileDialog, QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QMessageBox, QPushButton, QScrollArea, QSizePolicy, QStackedWidget, QVBoxLayout,
                               QWidget)

from nnsim.core.errors import UserError
from nnsim.core.lessons import Lesson, Result, Work, check_step, step_verdict
from nnsim.gui import style
from nnsim.gui.document import Document
from nnsim.gui.lessons.answers import AnswerForm
from nnsim.gui.lessons.progress import LessonProgress
from nnsim.gui.worker import TaskRunner
from nnsim.io.lessonfile import load_work_answers, save_work

TICK, PART, TODO = "✓", "◐", "○"
PANEL_WIDTH = 300   # the dock's preferred width: the canvas keeps the rest


def _mnist_loader() -> Callable[[], object]:
    """Loads the bundled MNIST the first time a check needs it (in the worker thread)."""
    loaded = []

    def load():
        if not loaded:
            from nnsim.io.datasets import load_mnist

            loaded.append(load_mnist())
        return loaded[0]

    return load


def _wrapped(text: str = "", markdown: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.MarkdownText if markdown else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


class LessonsPanel(QWidget):
    """``lessons`` (sorted), ``errors`` (files that could not be read), the ``document`` it works on and the
    ``progress`` store. ``show_place(page, tab)`` brings a page/tab of the app to the front; ``may_replace()``
    asks to save the current document before a lesson replaces it; ``keep_current(lesson)`` asks whether a
    network that was open before the panel (perhaps the student's saved work) is work on ``lesson`` and
    should stay (all optional)."""

    sigLessonOpened = Signal(str)
    sigStepShown = Signal(int)
    sigChecked = Signal(bool, str)     # passed, reason

    def __init__(self, lessons: list[Lesson], errors: list[str], document: Document, progress: LessonProgress,
                 show_place: Callable[[str, str | None], None] | None = None,
                 may_replace: Callable[[], bool] | None = None, mnist: Callable[[], object] | None = None,
                 keep_current: Callable[[Lesson], bool] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.lessons = {les.id: les for les in lessons}
        self.order = [les.id for les in lessons]
        self.errors = list(errors)
        self.document = document
        self.progress = progress
        self.show_place = show_place or (lambda page, tab: None)
        self.may_replace = may_replace or (lambda: True)
        self.keep_current = keep_current or (lambda lesson: False)
        self.mnist = mnist or _mnist_loader()
        self.lesson: Lesson | None = None
        self.step = 0
        self.loaded_lesson: str | None = None   # the lesson whose start the document holds
        self._cache: dict = {}                  # trained networks, shared by checks
        self._replacing = False
        document.sigReplaced.connect(self._on_document_replaced)
        self.runner = TaskRunner(self)
        self.runner.sigReturned.connect(self._on_checked)
        self.runner.sigErrored.connect(lambda message, _details: self._show_verdict(False, message))
        self.runner.sigFinished.connect(lambda: self.check_button.setEnabled(True))

        self.stack = QStackedWidget()
        self.stack.addWidget(self._make_list_page())
        self.stack.addWidget(self._make_lesson_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.stack)
        self.fill_list()

    def __repr__(self):
        return f"LessonsPanel({len(self.lessons)} lessons, open={self.lesson.id if self.lesson else None})"

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setWidth(PANEL_WIDTH)
        return hint

    # ----- the list ------------------------------------------------------------------------------------
    def _make_list_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Lessons")
        title.setFont(style.font(13, True))
        v.addWidget(title)
        intro = _wrapped("Chapter 1 step by step. Each lesson opens the right network, says what to do and "
                         "checks your work.")
        v.addWidget(intro)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(lambda item: self.open(item.data(Qt.ItemDataRole.UserRole)))
        v.addWidget(self.list, 1)
        self.errors_label = _wrapped()
        self.errors_label.setVisible(False)
        v.addWidget(self.errors_label)
        self.start_button = QPushButton("Start")
        self.start_button.clicked.connect(self._start_selected)
        v.addWidget(self.start_button)
        return page

    def tick(self, lesson_id: str) -> str:
        """✓ every step passed, ◐ some, ○ none."""
        passed = self.progress.passed(lesson_id)
        n = len(self.lessons[lesson_id].steps)
        return TICK if len(passed & set(range(n))) == n else (PART if passed else TODO)

    def fill_list(self) -> None:
        current = self.list.currentRow()
        self.list.clear()
        for lid in self.order:
            les = self.lessons[lid]
            item = QListWidgetItem(f"{self.tick(lid)}  {les.order}. {les.title}")
            item.setData(Qt.ItemDataRole.UserRole, lid)
            item.setToolTip(les.summary)
            self.list.addItem(item)
        self.list.setCurrentRow(max(current, 0))
        if self.errors:
            n = len(self.errors)
            self.errors_label.setText(f"{n} lesson file{'s' if n > 1 else ''} could not be read (hover for why).")
            self.errors_label.setToolTip("\n\n".join(self.errors))
            self.errors_label.setStyleSheet(f"color: {style.theme().fail_colour.name()}")
        self.errors_label.setVisible(bool(self.errors))

    def _start_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.open(item.data(Qt.ItemDataRole.UserRole))

    def show_list(self) -> None:
        self.fill_list()
        self.stack.setCurrentIndex(0)

    # ----- one lesson ----------------------------------------------------------------------------------
    def _make_lesson_page(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.back_button = QPushButton("‹ Lessons")
        self.back_button.setToolTip("All lessons, with your progress")
        self.back_button.clicked.connect(self.show_list)
        top.addWidget(self.back_button)
        top.addStretch(1)
        v.addLayout(top)
        self.title_label = _wrapped()
        self.title_label.setFont(style.font(13, True))
        v.addWidget(self.title_label)
        self.step_label = _wrapped()
        self.step_label.setFont(style.font(11, True))
        v.addWidget(self.step_label)

        content = QWidget()
        c = QVBoxLayout(content)
        c.setContentsMargins(0, 0, 4, 0)
        self.text_label = _wrapped(markdown=True)
        self.text_label.setOpenExternalLinks(True)
        c.addWidget(self.text_label)
        self.answers_holder = QVBoxLayout()
        c.addLayout(self.answers_holder)
        self.answers: AnswerForm | None = None
        self.hint_label = _wrapped(markdown=True)
        self.hint_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.hint_label.setMargin(6)
        self.hint_label.setVisible(False)
        c.addWidget(self.hint_label)
        self.verdict_label = _wrapped()
        self.verdict_label.setMargin(4)
        self.verdict_label.setVisible(False)
        c.addWidget(self.verdict_label)
        c.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(content)
        v.addWidget(self.scroll, 1)

        def row(*buttons):
            h = QHBoxLayout()
            for b in buttons:
                h.addWidget(b)
            v.addLayout(h)

        self.check_button = QPushButton("Check")
        self.check_button.setDefault(True)
        self.check_button.setToolTip("Check your work for this step")
        self.check_button.clicked.connect(self.check)
        self.hint_button = QPushButton("Hint")
        self.hint_button.clicked.connect(self.hint)
        row(self.check_button, self.hint_button)
        self.prev_button = QPushButton("◀ Previous")
        self.prev_button.clicked.connect(lambda: self.show_step(self.step - 1))
        self.next_button = QPushButton("Next ▶")
        self.next_button.clicked.connect(lambda: self.show_step(self.step + 1))
        row(self.prev_button, self.next_button)
        self.reset_button = QPushButton("Reset lesson…")
        self.reset_button.setToolTip("Start this lesson again: its network, answers and ticks")
        self.reset_button.clicked.connect(lambda: self.reset(ask=True))
        self.save_button = QPushButton("Save work…")
        self.save_button.setToolTip("Save your network and answers in one file for your teacher "
                                    "(nnsim lesson check / grade)")
        self.save_button.clicked.connect(lambda: self.save_work())
        row(self.reset_button, self.save_button)
        return page

    def open(self, lesson_id: str | None = None) -> bool:
        """Open a lesson (default: the one last open, else the list). Its starting network replaces the
        document unless the document already holds this lesson's work."""
        lesson_id = lesson_id or self.progress.current()
        if lesson_id not in self.lessons:
            self.show_list()
            return False
        lesson = self.lessons[lesson_id]
        if self.loaded_lesson is None and self.document.graph.nodes and (
                self._is_work_for(lesson) or self.keep_current(lesson)):
            self.loaded_lesson = lesson_id   # e.g. the student's saved work, opened after a restart: keep it
        if self.loaded_lesson != lesson_id:
            if not self.may_replace():
                return False
            self._replace(lesson.start.copy())
            self.loaded_lesson = lesson_id
        self.lesson = lesson
        self.progress.set_current(lesson_id)
        self.title_label.setText(f"{lesson.order}. {lesson.title}")
        self._build_answers()
        self.stack.setCurrentIndex(1)
        self.show_step(min(self.progress.step(lesson_id), len(lesson.steps) - 1), place=True)
        self.sigLessonOpened.emit(lesson_id)
        return True

    def _replace(self, graph) -> None:
        self._replacing = True
        try:
            self.document.replace(graph)
        finally:
            self._replacing = False

    def _on_document_replaced(self) -> None:
        """File › Open or New: the document is no longer the lesson's, unless it is a work file (Save work…)
        for a lesson, whose answers are then taken back."""
        if self._replacing:
            return
        self.loaded_lesson = None
        path = self.document.path
        if path is None:
            return
        try:
            lesson_id, answers = load_work_answers(path)   # the network itself is open already
        except UserError:
            return
        if lesson_id not in self.lessons:
            return
        self.loaded_lesson = lesson_id
        if answers:
            self.progress.set_answers(lesson_id, {**self.progress.answers(lesson_id), **answers})
        if self.lesson is not None and self.lesson.id == lesson_id and self.stack.currentIndex() == 1:
            self.show_step(self.step)

    def _is_work_for(self, lesson: Lesson) -> bool:
        """Whether the open document is work on ``lesson``: it carries the name of the lesson's starting
        network and has something in it."""
        g = self.document.graph
        return bool(g.nodes) and bool(lesson.start.name) and g.name == lesson.start.name

    def _build_answers(self) -> None:
        if self.answers is not None:
            self.answers.setParent(None)
            self.answers.deleteLater()
            self.answers = None

    def _step_form(self) -> None:
        """The answer boxes of the current step (the values of the whole lesson are kept in progress)."""
        self._build_answers()
        fields = [f for c in self.lesson.steps[self.step].checks for f in c.fields()]
        if fields:
            self.answers = AnswerForm(fields, self.progress.answers(self.lesson.id))
            self.answers.sigChanged.connect(self._store_answers)
            self.answers_holder.addWidget(self.answers)
            if self.isVisible():
                self.answers.show()   # at once, not after the next turn of the event loop

    def _store_answers(self) -> None:
        stored = self.progress.answers(self.lesson.id)
        for f in self.answers.fields:
            stored.pop(f.name, None)
        stored.update(self.answers.values())
        self.progress.set_answers(self.lesson.id, stored)

    def all_answers(self) -> dict:
        return self.progress.answers(self.lesson.id) if self.lesson else {}

    def show_step(self, step: int, place: bool = False) -> None:
        if self.lesson is None or not 0 <= step < len(self.lesson.steps):
            return
        moved = step != self.step
        self.step = step
        self.progress.set_step(self.lesson.id, step)
        s = self.lesson.steps[step]
        self.show_step_marks()
        self.text_label.setText(s.text)
        self._step_form()
        self._show_hints()
        self.verdict_label.setVisible(False)
        self.prev_button.setEnabled(step > 0)
        self.next_button.setEnabled(step < len(self.lesson.steps) - 1)
        self.check_button.setEnabled(bool(s.checks) and not self.runner.is_running())
        self.scroll.verticalScrollBar().setValue(0)
        if place or moved:
            page = s.page or (self.lesson.page if place or s.tab else None)
            if page:
                self.show_place(page, s.tab or (self.lesson.tab if page == self.lesson.page else None))
        self.sigStepShown.emit(step)

    # ----- hints, checks -------------------------------------------------------------------------------
    def _show_hints(self) -> None:
        hints = self.lesson.steps[self.step].hints
        n = min(self.progress.hints(self.lesson.id, self.step), len(hints))
        self.hint_label.setText("\n\n".join(f"**Hint {i + 1}.** {h}" for i, h in enumerate(hints[:n])))
        self.hint_label.setVisible(n > 0)
        self.hint_button.setEnabled(n < len(hints))
        self.hint_button.setText("Hint" if n == 0 else "Another hint")

    def hint(self) -> None:
        """Show one more hint of the current step."""
        n = self.progress.hints(self.lesson.id, self.step)
        self.progress.set_hints(self.lesson.id, self.step, n + 1)
        self._show_hints()
        QTimer.singleShot(0, self._reveal_hint)

    def _work(self) -> Work:
        return Work(self.document.graph.copy(), self.all_answers(), mnist=self.mnist, cache=self._cache)

    def check(self) -> None:
        """Run the current step's checks (in a worker thread when they train a network)."""
        if self.lesson is None or self.runner.is_running():
            return
        lesson, step, work = self.lesson, self.step, self._work()
        if not any(c.needs_mnist for c in lesson.steps[step].checks):
            self._on_checked((lesson.id, step, check_step(lesson, step, work)))
            return

        def task(stop):
            work.stop = stop
            yield "training"
            return lesson.id, step, check_step(lesson, step, work)

        self.check_button.setEnabled(False)
        self._show_verdict(None, "Checking: training a network on MNIST (a few seconds)…")
        self.runner.start(task)

    def _on_checked(self, outcome) -> None:
        lesson_id, step, results = outcome
        results: list[Result]
        verdict = step_verdict(results)
        self.progress.set_passed(lesson_id, step, verdict.passed)
        if self.lesson is not None and self.lesson.id == lesson_id and self.step == step:
            self._show_verdict(verdict.passed, verdict.reason)
            self.show_step_marks()
        self.fill_list()
        self.sigChecked.emit(verdict.passed, verdict.reason)

    def show_step_marks(self) -> None:
        passed = self.progress.passed(self.lesson.id)
        s = self.lesson.steps[self.step]
        marks = " ".join(TICK if i in passed else ("●" if i == self.step else TODO)
                         for i in range(len(self.lesson.steps)))
        self.step_label.setText(f"Step {self.step + 1} of {len(self.lesson.steps)}   {marks}\n{s.title}")

    def _show_verdict(self, passed: bool | None, reason: str) -> None:
        theme = style.theme()
        if passed is None:
            head, colour = "", theme.muted
        else:
            head, colour = ("✓ Right. " if passed else "✗ Not yet. "), (theme.pass_colour if passed else theme.fail_colour)
        self.verdict_label.setText(head + reason)
        self.verdict_label.setStyleSheet(f"QLabel {{ color: {colour.name()}; border: 1px solid {colour.name()}; "
                                         "border-radius: 4px; }")
        self.verdict_label.setVisible(True)
        # once the layout has made room for it (the next turn of the event loop)
        QTimer.singleShot(0, self._reveal_verdict)

    def _reveal_verdict(self) -> None:
        self.scroll.ensureWidgetVisible(self.verdict_label)

    def _reveal_hint(self) -> None:
        self.scroll.ensureWidgetVisible(self.hint_label)

    # ----- reset, save ---------------------------------------------------------------------------------
    def reset(self, ask: bool = True) -> bool:
        """Forget this lesson's ticks, answers and hints and put its starting network back."""
        if self.lesson is None:
            return False
        if ask and QMessageBox.question(self, "Reset lesson", f"Start “{self.lesson.title}” again? Your network, "
                                        "answers and ticks for it are cleared.") != QMessageBox.StandardButton.Yes:
            return False
        lesson_id = self.lesson.id
        self.progress.reset(lesson_id)
        self._replace(self.lesson.start.copy())
        self.loaded_lesson = lesson_id
        self.step = 0
        self.open(lesson_id)
        self.fill_list()
        return True

    def save_work(self, path=None) -> bool:
        """Save the network and the answers as one work file (what ``nnsim lesson check`` reads)."""
        if self.lesson is None:
            return False
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save work for your teacher", f"{self.lesson.id}.json",
                                                  "nnsim work (*.json)")
            if not path:
                return False
        try:
            save_work(self.document.graph, self.lesson.id, self.all_answers(), path)
        except UserError as err:
            QMessageBox.critical(self, "Cannot save", str(err))
            return False
        return True

    def restyle(self) -> None:
        """Fonts follow presentation mode."""
        self.title_label.setFont(style.font(13, True))
        self.step_label.setFont(style.font(11, True))
        self.fill_list()

    def shutdown(self) -> None:
        self.runner.shutdown()
