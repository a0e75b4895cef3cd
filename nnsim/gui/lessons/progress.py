"""A student's progress through the lessons, kept in ``QSettings`` (so it survives closing the app): the
steps passed, the step last shown, the typed answers and the hints revealed, per lesson id."""

from __future__ import annotations

import json

from PySide6.QtCore import QSettings

PREFIX = "lessons"


class LessonProgress:
    """Reads and writes ``lessons/<id>/…`` keys of one ``QSettings``."""

    def __init__(self, settings: QSettings):
        self.settings = settings

    def __repr__(self):
        return f"LessonProgress({self.settings.fileName()!r})"

    def _key(self, lesson_id: str, name: str) -> str:
        return f"{PREFIX}/{lesson_id}/{name}"

    def _json(self, key: str, default):
        raw = self.settings.value(key)
        if raw is None:
            return default
        try:
            value = json.loads(str(raw))
        except ValueError:
            return default
        return value if isinstance(value, type(default)) else default

    def passed(self, lesson_id: str) -> set[int]:
        """The steps (0-based) whose checks passed."""
        return {int(i) for i in self._json(self._key(lesson_id, "passed"), []) if isinstance(i, int)}

    def set_passed(self, lesson_id: str, step: int, passed: bool) -> None:
        steps = self.passed(lesson_id)
        steps.add(step) if passed else steps.discard(step)
        self.settings.setValue(self._key(lesson_id, "passed"), json.dumps(sorted(steps)))

    def step(self, lesson_id: str) -> int:
        return int(self._json(self._key(lesson_id, "step"), 0))

    def set_step(self, lesson_id: str, step: int) -> None:
        self.settings.setValue(self._key(lesson_id, "step"), json.dumps(int(step)))

    def answers(self, lesson_id: str) -> dict:
        return self._json(self._key(lesson_id, "answers"), {})

    def set_answers(self, lesson_id: str, answers: dict) -> None:
        self.settings.setValue(self._key(lesson_id, "answers"), json.dumps(answers))

    def hints(self, lesson_id: str, step: int) -> int:
        """How many hints of a step the student has opened."""
        return int(self._json(self._key(lesson_id, "hints"), {}).get(str(step), 0))

    def set_hints(self, lesson_id: str, step: int, n: int) -> None:
        shown = self._json(self._key(lesson_id, "hints"), {})
        shown[str(step)] = int(n)
        self.settings.setValue(self._key(lesson_id, "hints"), json.dumps(shown))

    def current(self) -> str | None:
        value = self.settings.value(f"{PREFIX}/current")
        return str(value) if value else None

    def set_current(self, lesson_id: str | None) -> None:
        self.settings.setValue(f"{PREFIX}/current", lesson_id or "")

    def reset(self, lesson_id: str) -> None:
        self.settings.remove(f"{PREFIX}/{lesson_id}")
