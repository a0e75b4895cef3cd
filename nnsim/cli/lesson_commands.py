"""``nnsim lesson``: list, show and start lessons; check one student's file; grade a folder of them.

``check`` exits 0 when every check of the lesson passes, 1 when some fail (the reasons are printed), 2 on
bad input (no such lesson, an unreadable file). ``grade`` writes one CSV row per ``.json`` file in a folder
(file, result, reason); a file that cannot be read is a row saying so, never a crash.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from nnsim.core.errors import UserError


def register(sub) -> None:
    p = sub.add_parser("lesson", help="guided lessons: list, show, start, check and grade",
                       description="The chapter's ideas and exercises as lessons (resources/lessons/*.md; "
                                   "the format is in docs/lessons.md).")
    p.add_argument("--lessons", dest="lessons_folder", metavar="FOLDER",
                   help="read lessons from this folder instead of the bundled ones")
    ls = p.add_subparsers(dest="lesson_command", metavar="ACTION", required=True)

    q = ls.add_parser("list", help="every lesson: order, id and title")
    q.add_argument("--json", action="store_true", help="print a JSON list of {id, title, order, steps}")
    q.set_defaults(func=cmd_list)

    q = ls.add_parser("show", help="a lesson's steps, hints and checks")
    q.add_argument("id")
    q.set_defaults(func=cmd_show)

    q = ls.add_parser("start", help="write a lesson's starting document")
    q.add_argument("id")
    q.add_argument("-o", "--output", required=True, help="the .json file to write")
    q.set_defaults(func=cmd_start)

    q = ls.add_parser("check", help="check a student's saved file (exit 0 passed, 1 failed, 2 bad input)")
    q.add_argument("id")
    q.add_argument("file", help="an nnsim document saved by the student (.json)")
    q.add_argument("--data", help="MNIST or another data set, for the lessons that train (default: the bundled MNIST)")
    q.set_defaults(func=cmd_check)

    q = ls.add_parser("grade", help="check every .json file in a folder and write a CSV: file, result, reason")
    q.add_argument("id")
    q.add_argument("folder")
    q.add_argument("--csv", required=True, dest="csv_path", help="the CSV file to write ('-' for the screen)")
    q.add_argument("--data", help="MNIST or another data set, for the lessons that train")
    q.set_defaults(func=cmd_grade)


def _lessons(args):
    from nnsim.io.lessonfile import load_lessons

    lessons, errors = load_lessons(args.lessons_folder)
    for e in errors:
        print(f"nnsim: skipped a lesson: {e}", file=sys.stderr)
    return lessons


def _find(args):
    from nnsim.io.lessonfile import find_lesson

    return find_lesson(args.id, args.lessons_folder)


def cmd_list(args) -> int:
    lessons = _lessons(args)
    if args.json:
        print(json.dumps([{"id": les.id, "title": les.title, "order": les.order, "steps": len(les.steps)}
                          for les in lessons], ensure_ascii=False, indent=2))
        return 0
    width = max((len(les.id) for les in lessons), default=2)
    for les in lessons:
        print(f"{les.order:3d}  {les.id:<{width}}  {les.title}")
    return 0


def cmd_show(args) -> int:
    lesson = _find(args)
    print(f"{lesson.title}  ({lesson.id}, lesson {lesson.order})")
    if lesson.summary:
        print(lesson.summary)
    print(f"starts on the {lesson.page} page" + (f", tab {lesson.tab}" if lesson.tab else ""))
    for i, step in enumerate(lesson.steps, 1):
        print(f"\nStep {i}: {step.title}\n")
        print(step.text)
        for c in step.checks:
            print(f"  check: {c.describe()}")
        for f in (f for c in step.checks for f in c.fields()):
            options = "".join(f"\n      ({chr(97 + k)}) {o}" for k, o in enumerate(f.options))
            print(f"  answer {f.name!r}: {f.label} ({f.kind}){options}")
        if step.hints:
            print(f"  {len(step.hints)} hint{'s' if len(step.hints) > 1 else ''}")
    return 0


def cmd_start(args) -> int:
    from nnsim.io.lessonfile import save_work

    lesson = _find(args)
    save_work(lesson.start, lesson.id, {}, args.output)
    print(f"wrote {args.output}: the starting document of '{lesson.title}'")
    return 0


def _mnist_loader(path):
    """A loader that reads the data set once, the first time a check asks for it."""
    loaded = []

    def load():
        if not loaded:
            from nnsim.io.datasets import load_mnist

            loaded.append(load_mnist(path))
        return loaded[0]

    return load


def _check_file(lesson, path: Path, mnist, cache: dict):
    """``(results, None)`` or ``(None, why the file cannot be checked)``."""
    from nnsim.core.lessons import Work, check_lesson
    from nnsim.io.lessonfile import load_work

    try:
        work = load_work(path)
    except UserError as err:
        return None, str(err)
    if work.lesson_id not in (None, lesson.id):
        return None, f"{path}: this is work for the lesson {work.lesson_id!r}, not {lesson.id!r}"
    return check_lesson(lesson, Work(work.graph, work.answers, mnist=mnist, cache=cache)), None


def cmd_check(args) -> int:
    lesson = _find(args)
    results, problem = _check_file(lesson, Path(args.file), _mnist_loader(args.data), {})
    if results is None:
        raise UserError(problem)
    for r in results:
        mark = "ok  " if r.verdict.passed else "FAIL"
        print(f"{mark}  step {r.step + 1} ({lesson.steps[r.step].title}): {r.verdict.reason}")
    failed = sum(not r.verdict.passed for r in results)
    print(f"{lesson.id}: {'passed' if not failed else f'failed ({failed} of {len(results)} checks)'}")
    return 1 if failed else 0


def _reason(results) -> str:
    from nnsim.core.lessons import step_verdict

    return step_verdict(results).reason


def cmd_grade(args) -> int:
    lesson = _find(args)
    folder = Path(args.folder)
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder")
    mnist, cache = _mnist_loader(args.data), {}
    rows = []
    for path in sorted(folder.glob("*.json")):
        results, problem = _check_file(lesson, path, mnist, cache)
        if results is None:
            rows.append([path.name, "unreadable", problem])
        else:
            passed = all(r.verdict.passed for r in results)
            rows.append([path.name, "passed" if passed else "failed", _reason(results)])
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["file", "result", "reason"])
    writer.writerows(rows)
    if args.csv_path == "-":
        sys.stdout.write(text.getvalue())
    else:
        from nnsim.io.files import atomic_write

        try:
            atomic_write(args.csv_path, text.getvalue())
        except OSError as err:
            raise UserError(f"{args.csv_path}: cannot write ({err.strerror})") from None
        counts = {k: sum(r[1] == k for r in rows) for k in ("passed", "failed", "unreadable")}
        print(f"{len(rows)} files: {counts['passed']} passed, {counts['failed']} failed, "
              f"{counts['unreadable']} unreadable; wrote {args.csv_path}")
    return 0
