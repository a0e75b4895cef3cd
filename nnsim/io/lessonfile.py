"""Lesson files (``resources/lessons/*.md``) → :class:`~nnsim.core.lessons.Lesson`, and students' work files.

A lesson file is Markdown with TOML front matter between two ``+++`` lines (see ``docs/lessons.md``)::

    +++
    id = "xor-from-nand"
    title = "XOR from NAND"
    order = 5
    [start]
    inputs = ["x1", "x2"]
    expected = "y = x1 ^ x2"
    +++

    ## Build XOR
    Markdown text of the step …

    ```check
    kind = "table"
    expression = "y = x1 ^ x2"
    ```

    ```hint
    XOR(a, b) = NAND(NAND(a, n), NAND(b, n)) with n = NAND(a, b).
    ```

Each ``## heading`` starts a step; text before the first is the lesson's introduction, shown above the
first step. In a step, a ```` ```check ```` block is one check (TOML, see :mod:`nnsim.core.lessons`), a
```` ```hint ```` block one hint, a ```` ```show ```` block (TOML ``page``/``tab``) what the app shows for that
step. Every mistake is a :class:`LessonError` naming the file, the line and the problem;
:func:`load_lessons` collects them and still returns every good lesson.

A work file is an nnsim document with, optionally, a top-level ``"lesson": {"id": …, "answers": {…}}``
holding the student's typed answers; nnsim reads it as an ordinary document too.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from nnsim.core.circuit.graph import ExpectedTable, Graph
from nnsim.core.errors import UserError
from nnsim.core.lessons import CheckError, Lesson, Step, make_check
from nnsim.core.logic.boolexpr import parse_expression
from nnsim.core.logic.gates import build
from nnsim.core.logic.sigmoid_limit import to_sigmoid
from nnsim.io import fileformat
from nnsim.io.files import atomic_write, loads_json, read_text

SUFFIX = ".md"
PAGES = ("circuit", "response", "training")
_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_FENCE = re.compile(r"^(```+|~~~+)\s*([A-Za-z]*)\s*$")
_TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
_FRONT_KEYS = {"id", "title", "order", "summary", "start"}
_START_KEYS = {"document", "build", "inputs", "expected", "sigmoid", "page", "tab", "name"}


class LessonError(UserError):
    """A lesson or work file that cannot be used; the message names the file, the line and the problem."""


def _where(source: str, line: int | None) -> str:
    return f"{source}, line {line}" if line else source


def _toml(text: str, source: str, first_line: int) -> dict:
    """Parse a TOML block whose first line is line ``first_line`` of the file."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        msg = str(err)
        m = _TOML_LINE.search(msg)
        line = first_line + int(m.group(1)) - 1 if m else first_line
        problem = _TOML_LINE.sub("", msg).strip()
        raise LessonError(f"{_where(source, line)}: {problem} (TOML)") from None


@dataclass
class _Block:
    kind: str
    text: str
    line: int   # the line of its first content line


@dataclass
class _RawStep:
    title: str
    line: int
    text: list[str] = field(default_factory=list)
    blocks: list[_Block] = field(default_factory=list)


def _split(lines: list[str], start: int, source: str) -> tuple[list[str], list[_RawStep]]:
    """The introduction's lines and the steps, from the body (``lines[start:]``, 0-based)."""
    intro: list[str] = []
    steps: list[_RawStep] = []
    i = start
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line.strip())
        if fence and fence.group(2) in ("check", "hint", "show"):
            kind, body, j = fence.group(2), [], i + 1
            while j < len(lines) and lines[j].strip() != fence.group(1):
                body.append(lines[j])
                j += 1
            if j == len(lines):
                raise LessonError(f"{_where(source, i + 1)}: the ```{kind} block is never closed")
            if not steps:
                raise LessonError(f"{_where(source, i + 1)}: a ```{kind} block must sit inside a step "
                                  "(after a '## ' heading)")
            steps[-1].blocks.append(_Block(kind, "\n".join(body), i + 2))
            i = j + 1
            continue
        if fence:  # any other fenced block is Markdown: copy it through unchanged
            j = i + 1
            while j < len(lines) and lines[j].strip() != fence.group(1):
                j += 1
            chunk = lines[i:j + 1]
            (steps[-1].text if steps else intro).extend(chunk)
            i = j + 1
            continue
        if line.startswith("## "):
            steps.append(_RawStep(line[3:].strip(), i + 1))
        elif steps:
            steps[-1].text.append(line)
        else:
            intro.append(line)
        i += 1
    return intro, steps


def _start_graph(start: dict, path: Path, source: str, line: int, title: str) -> Graph:
    unknown = sorted(set(start) - _START_KEYS)
    if unknown:
        raise LessonError(f"{_where(source, line)}: [start] has an unknown key {unknown[0]!r} "
                          f"(known: {', '.join(sorted(_START_KEYS))})")
    if "document" in start and "build" in start:
        raise LessonError(f"{_where(source, line)}: [start] takes a document or a build, not both")
    try:
        if "document" in start:
            graph = fileformat.load_graph(path.parent / str(start["document"]))
        elif "build" in start:
            graph = build(str(start["build"]))
        else:
            graph = Graph()
        if "sigmoid" in start:
            graph = to_sigmoid(graph, start["sigmoid"])
        graph.name = str(start.get("name", graph.name or title))
        names = start.get("inputs", [])
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise LessonError(f"{_where(source, line)}: [start] inputs must be a list of names")
        for k, name in enumerate(names):
            graph.add_input(name, x=0.0, y=120.0 * k, id=name if name not in graph.nodes else None)
        if "expected" in start:
            table = parse_expression(str(start["expected"]))
            graph.expected = ExpectedTable(table.inputs, table.outputs, table.rows.astype(float).tolist())
    except LessonError:
        raise
    except (UserError, ValueError) as err:
        raise LessonError(f"{_where(source, line)}: the starting document: {err}") from None
    graph.revision = graph.structure_revision = 0
    return graph


def _key_line(block: _Block, message: str) -> int:
    """The line of the key a check's error names (``… 'value' must be …``), else the block's first line."""
    m = re.search(r": '(\w+)'", message) or re.search(r"kind '?(\w+)", message)
    key = m.group(1) if m and m.re.pattern.startswith(": ") else "kind"
    for k, line in enumerate(block.text.splitlines()):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return block.line + k
    return block.line


def _check_page(value, source: str, line: int, what: str) -> str | None:
    if value is None:
        return None
    if value not in PAGES:
        raise LessonError(f"{_where(source, line)}: {what} must be one of {', '.join(PAGES)}, not {value!r}")
    return value


def parse_lesson(text: str, path) -> Lesson:
    """A lesson from the text of the file at ``path`` (the start document is found beside it)."""
    path = Path(path)
    source = str(path)
    lines = text.splitlines()
    if not lines or lines[0].strip() != "+++":
        raise LessonError(f"{_where(source, 1)}: a lesson file starts with a '+++' line, then its TOML front "
                          "matter, then another '+++'")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    except StopIteration:
        raise LessonError(f"{_where(source, 1)}: the front matter is never closed with a '+++' line") from None
    front = _toml("\n".join(lines[1:end]), source, 2)

    def front_line(key: str) -> int:
        for i in range(1, end):
            if re.match(rf"\s*\[?{re.escape(key)}\b", lines[i]):
                return i + 1
        return 1

    unknown = sorted(set(front) - _FRONT_KEYS)
    if unknown:
        raise LessonError(f"{_where(source, front_line(unknown[0]))}: unknown key {unknown[0]!r} "
                          f"(known: {', '.join(sorted(_FRONT_KEYS))})")
    for key, kind in (("id", str), ("title", str), ("order", int)):
        if key not in front:
            raise LessonError(f"{_where(source, 2)}: the front matter needs {key!r}")
        if not isinstance(front[key], kind) or isinstance(front[key], bool):
            raise LessonError(f"{_where(source, front_line(key))}: {key!r} must be "
                              f"{'text' if kind is str else 'a whole number'}, not {front[key]!r}")
    if not _ID.match(front["id"]):
        raise LessonError(f"{_where(source, front_line('id'))}: the id {front['id']!r} must be lower-case "
                          "letters, digits and dashes")
    start = front.get("start", {})
    if not isinstance(start, dict):
        raise LessonError(f"{_where(source, front_line('start'))}: 'start' must be a table ([start])")
    start_line = front_line("start")
    graph = _start_graph(start, path, source, start_line, front["title"])
    page = _check_page(start.get("page", "circuit"), source, start_line, "page")
    intro, raw = _split(lines, end + 1, source)
    if not raw:
        raise LessonError(f"{_where(source, end + 1)}: the lesson has no steps (each starts with '## ')")
    steps = []
    for n, r in enumerate(raw):
        hints, checks, show = [], [], {}
        for b in r.blocks:
            if b.kind == "hint":
                if not b.text.strip():
                    raise LessonError(f"{_where(source, b.line - 1)}: an empty hint")
                hints.append(b.text.strip())
            elif b.kind == "show":
                show = _toml(b.text, source, b.line)
                bad = sorted(set(show) - {"page", "tab"})
                if bad:
                    raise LessonError(f"{_where(source, b.line)}: ```show takes page and tab, not {bad[0]!r}")
                _check_page(show.get("page"), source, b.line, "page")
            else:
                try:
                    checks.append(make_check(_toml(b.text, source, b.line)))
                except CheckError as err:
                    raise LessonError(f"{_where(source, _key_line(b, str(err)))}: {err}") from None
        body = "\n".join(r.text).strip()
        if n == 0 and "\n".join(intro).strip():
            body = "\n".join(intro).strip() + "\n\n" + body
        steps.append(Step(r.title, body, hints, checks, show.get("page"), show.get("tab"), r.line))
    lesson = Lesson(front["id"], front["title"], front["order"], str(front.get("summary", "")), graph, steps,
                    page, start.get("tab"), source)
    _check_fields(lesson, source)
    return lesson


def _check_fields(lesson: Lesson, source: str) -> None:
    """Two checks may share an answer only when they ask for the same kind of thing."""
    seen = {}
    for i, c in lesson.checks():
        for f in c.fields():
            if f.name in seen and seen[f.name].kind != f.kind:
                raise LessonError(f"{_where(source, lesson.steps[i].line)}: the answer {f.name!r} is asked as "
                                  f"a {seen[f.name].kind} and as a {f.kind}")
            seen[f.name] = f


def load_lesson(path) -> Lesson:
    return parse_lesson(read_text(path, LessonError), path)


def load_lessons(folder=None) -> tuple[list[Lesson], list[str]]:
    """Every lesson in ``folder`` (default: the bundled ``resources/lessons``), sorted by order, and the
    errors of the files that could not be read (a bad file never stops the others)."""
    if folder is None:
        from nnsim.paths import lessons_dir

        folder = lessons_dir()
    folder = Path(folder)
    lessons, errors, ids = [], [], {}
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        try:
            lesson = load_lesson(path)
        except UserError as err:
            errors.append(str(err))
            continue
        if lesson.id in ids:
            errors.append(f"{path}: the id {lesson.id!r} is already used by {ids[lesson.id]}")
            continue
        ids[lesson.id] = path
        lessons.append(lesson)
    lessons.sort(key=lambda les: (les.order, les.id))
    return lessons, errors


def find_lesson(lesson_id: str, folder=None) -> Lesson:
    """The lesson with this id; a clear error listing the known ids otherwise."""
    lessons, errors = load_lessons(folder)
    for lesson in lessons:
        if lesson.id == lesson_id:
            return lesson
    broken = [e for e in errors if lesson_id in e]
    if broken:
        raise LessonError(broken[0])
    raise LessonError(f"no lesson {lesson_id!r} (known: {', '.join(les.id for les in lessons)})")


# ----- students' work ------------------------------------------------------------------------------------
@dataclass
class WorkFile:
    """A student's saved work: the ``graph``, the ``lesson_id`` it was for (``None`` when the file does not
    say) and the typed ``answers``."""

    graph: Graph
    lesson_id: str | None
    answers: dict


def _valid_answer(v) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float, str)):
        return True
    if isinstance(v, dict):
        return set(v) == {"weights", "biases"}
    return False


def loads_work(text: str, source: str = "") -> WorkFile:
    graph = fileformat.loads_graph(text, source)
    return WorkFile(graph, *_lesson_block(json.loads(text), source))


def load_work_answers(path) -> tuple[str | None, dict]:
    """The lesson id (or None) and answers of the work file at ``path``, without building its network: the
    app asks this of every document it has just opened, and a 10,000-perceptron one took 0.5 s to read
    again."""
    doc = loads_json(read_text(path, LessonError), str(path), LessonError)
    if not isinstance(doc, dict):
        raise LessonError(f"{path}: not an nnsim document (a JSON object)")
    return _lesson_block(doc, str(path))


def _lesson_block(doc: dict, source: str) -> tuple[str | None, dict]:
    block = doc.get("lesson")
    if block is None:
        return None, {}
    if not isinstance(block, dict) or not isinstance(block.get("answers", {}), dict):
        raise LessonError(f"{source}: \"lesson\" must be an object with an \"answers\" object")
    answers = block.get("answers", {})
    bad = [k for k, v in answers.items() if not _valid_answer(v)]
    if bad:
        raise LessonError(f"{source}: the answer {bad[0]!r} is {answers[bad[0]]!r}, not a number, a letter or a "
                          "layer")
    lesson_id = block.get("id")
    if lesson_id is not None and not isinstance(lesson_id, str):
        raise LessonError(f"{source}: the lesson id must be text, not {lesson_id!r}")
    return lesson_id, dict(answers)


def load_work(path) -> WorkFile:
    """Read a work file (an nnsim document, perhaps with answers); errors name the file and the problem."""
    return loads_work(read_text(path, LessonError), str(path))


def dumps_work(graph: Graph, lesson_id: str, answers: dict) -> str:
    """The document as :func:`~nnsim.io.fileformat.dumps_graph` writes it, plus the lesson block."""
    text = fileformat.dumps_graph(graph).rstrip()
    assert text.endswith("}")
    block = json.dumps({"id": lesson_id, "answers": answers}, ensure_ascii=False, allow_nan=False)
    return text[:-1].rstrip() + f",\n  \"lesson\": {block}\n}}\n"


def save_work(graph: Graph, lesson_id: str, answers: dict, path) -> None:
    try:
        atomic_write(path, dumps_work(graph, lesson_id, answers))
    except OSError as err:
        raise LessonError(f"{path}: cannot write ({err.strerror})") from None
