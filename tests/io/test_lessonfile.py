"""Lesson files and work files (nnsim.io.lessonfile), and every shipped lesson checked twice: a right answer
passes, a typical wrong one fails with the expected reason."""

import json
import sys
from pathlib import Path

import pytest

from nnsim.core.lessons import Work, check_lesson, step_verdict
from nnsim.io.lessonfile import (LessonError, dumps_work, find_lesson, load_lessons, load_work, loads_work,
                                 parse_lesson, save_work)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lesson_work import MNIST_LESSONS, RIGHT, WRONG, WRONG_REASON  # noqa: E402

LESSON_IDS = [les.id for les in load_lessons()[0]]


@pytest.fixture(scope="module")
def mnist():
    from nnsim.io.datasets import load_mnist

    data = load_mnist()
    return lambda: data


# ----- the shipped lessons ---------------------------------------------------------------------------------
def test_at_least_twelve_lessons_load_in_the_chapters_order():
    lessons, errors = load_lessons()
    assert errors == []
    assert len(lessons) >= 12
    ids = [les.id for les in lessons]
    order = ["perceptron-decision", "nand-perceptron", "gates-from-nand", "xor-from-nand", "adder-from-nand",
             "small-changes", "sigmoid-scale", "sigmoid-limit", "sigmoid-base", "linear-change", "gradient-descent",
             "mnist-training", "binary-output-layer", "baselines"]
    assert ids == order
    assert [les.order for les in lessons] == sorted(les.order for les in lessons)
    for les in lessons:
        assert les.steps and all(s.text for s in les.steps), les.id
        assert any(s.checks for s in les.steps) and any(s.hints for s in les.steps) or les.id == "baselines", les.id


def test_every_shipped_lesson_has_right_and_wrong_work():
    assert set(RIGHT) == set(LESSON_IDS) == set(WRONG) == set(WRONG_REASON)


def test_xor_and_adder_lessons_are_the_issues():
    xor = find_lesson("xor-from-nand")
    assert [n.name for n in xor.start.inputs()] == ["x1", "x2"]
    assert {c.kind for _, c in xor.checks()} >= {"table", "nand_only"}
    adder = find_lesson("adder-from-nand")
    assert [n.name for n in adder.start.inputs()] == ["a0", "a1", "b0", "b1"]
    last = adder.steps[-1].checks[0]
    assert last.target.outputs == ["s0", "s1", "carry"]
    assert {c.kind for _, c in adder.checks()} >= {"table", "nand_only"}


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_a_right_answer_passes(lesson_id, mnist):
    graph, answers = RIGHT[lesson_id]()
    results = check_lesson(find_lesson(lesson_id), Work(graph, answers, mnist=mnist))
    verdict = step_verdict(results)
    assert verdict.passed, verdict.reason


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_a_typical_wrong_answer_fails_with_its_reason(lesson_id, mnist):
    graph, answers = WRONG[lesson_id]()
    results = check_lesson(find_lesson(lesson_id), Work(graph, answers, mnist=mnist))
    verdict = step_verdict(results)
    assert not verdict.passed
    assert WRONG_REASON[lesson_id] in verdict.reason


def test_lesson_answer_keys_match_the_core():
    """The numbers typed into lessons are the core's numbers, not copied ones."""
    import math

    import numpy as np

    from nnsim.core.activations import sigmoid
    from nnsim.core.learning.descent import descend, get_cost

    def answer(lesson_id, name):
        return next(c.value for _, c in find_lesson(lesson_id).checks() if getattr(c, "answer", None) == name)

    bowl = descend(get_cost("bowl"), (1.0, -0.5), answer("gradient-descent", "bowl_eta"), 1)
    assert np.allclose(bowl.v[-1], 0)
    eta = answer("gradient-descent", "valley_eta")
    valley = get_cost("valley")
    assert np.abs(descend(valley, (1.0, 1.0), eta * 0.96, 200).v[-1][1]) < 1e-3
    big = descend(valley, (1.0, 1.0), eta * 1.04, 200)
    assert big.diverged or np.abs(big.v[-1][1]) > 1
    assert math.isclose(answer("sigmoid-base", "c_base10"), math.log(10), rel_tol=1e-5)
    assert answer("sigmoid-limit", "z_zero_output") == float(sigmoid(0.0))
    graph, answers = RIGHT["linear-change"]()
    for name in ("predict_w1", "predict_both", "real_change"):
        assert math.isclose(answer("linear-change", name), answers[name], abs_tol=2e-6), name


def test_average_darkness_answer_is_the_baseline(mnist):
    from nnsim.core.learning.baselines import average_darkness

    data = mnist()
    correct = average_darkness(data.training, data.test)
    value = next(c.value for _, c in find_lesson("baselines").checks() if getattr(c, "answer", "") == "darkness")
    assert abs(100 * correct / len(data.test[1]) - value) < 0.01


def test_mnist_lessons_are_marked():
    assert {les.id for les in load_lessons()[0] if les.needs_mnist} == MNIST_LESSONS


# ----- the format and its errors -----------------------------------------------------------------------------
GOOD = """+++
id = "tiny"
title = "Tiny"
order = 3
[start]
inputs = ["a", "b"]
expected = "y = a & b"
+++

Intro text.

## Build AND

Make y = a AND b.

```check
kind = "table"
expression = "y = a & b"
```

```hint
Two NANDs.
```

```python
print("an ordinary code block stays text")
```

## Answer

```check
kind = "number"
answer = "n"
value = 2
```

```show
page = "response"
tab = "Sensitivity"
```
"""


def test_a_good_lesson(tmp_path):
    les = parse_lesson(GOOD, tmp_path / "tiny.md")
    assert (les.id, les.title, les.order) == ("tiny", "Tiny", 3)
    assert [s.title for s in les.steps] == ["Build AND", "Answer"]
    assert les.steps[0].text.startswith("Intro text.") and "print(" in les.steps[0].text
    assert les.steps[0].hints == ["Two NANDs."]
    assert (les.steps[1].page, les.steps[1].tab) == ("response", "Sensitivity")
    assert [n.name for n in les.start.inputs()] == ["a", "b"] and les.start.expected.outputs == ["y"]
    assert [f.name for f in les.fields()] == ["n"]


@pytest.mark.parametrize("edit, line, words", [
    (lambda t: t.replace('order = 3', 'order = "three"'), 4, "'order' must be a whole number"),
    (lambda t: t.replace('id = "tiny"', 'id = "Tiny Lesson"'), 2, "lower-case"),
    (lambda t: t.replace('kind = "table"', 'kind = "essay"'), 17, "unknown check kind 'essay'"),
    (lambda t: t.replace('value = 2', 'value = "two"'), 34, "'value' must be a number"),
    (lambda t: t.replace('expression = "y = a & b"\n```', 'expression = "y = a &&"\n```'), 18, "cannot be read"),
    (lambda t: t.replace('answer = "n"', 'answer = "n'), 33, "TOML"),
    (lambda t: t.replace('title = "Tiny"\n', 'title = "Tiny"\ncolour = 1\n'), 4, "unknown key 'colour'"),
    (lambda t: t.rstrip().removesuffix("```"), 37, "never closed"),
    (lambda t: t.replace('page = "response"', 'page = "kitchen"'), 38, "page must be one of"),
    (lambda t: t.replace("## Build AND", "Build AND").replace("## Answer", "Answer"), 16,
     "must sit inside a step"),
    (lambda t: t.replace('inputs = ["a", "b"]', 'inputs = ["a", "b"]\ndocument = "missing.json"'), 5,
     "the starting document"),
])
def test_errors_name_the_file_the_line_and_the_problem(tmp_path, edit, line, words):
    path = tmp_path / "tiny.md"
    path.write_text(edit(GOOD), encoding="utf-8")
    with pytest.raises(LessonError) as err:
        parse_lesson(path.read_text(encoding="utf-8"), path)
    assert f"{path}, line {line}:" in str(err.value)
    assert words in str(err.value)


def test_a_bad_lesson_does_not_stop_the_others(tmp_path):
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.md").write_text("no front matter", encoding="utf-8")
    (tmp_path / "c.md").write_text(GOOD.replace("order = 3", "order = 1"), encoding="utf-8")  # same id
    lessons, errors = load_lessons(tmp_path)
    assert [les.id for les in lessons] == ["tiny"]
    assert len(errors) == 2
    assert "b.md, line 1" in errors[0] and "already used" in errors[1]
    with pytest.raises(LessonError, match="no lesson 'nope'"):
        find_lesson("nope", tmp_path)


# ----- work files ------------------------------------------------------------------------------------------
def test_work_files_round_trip_and_read_as_documents(tmp_path):
    from nnsim.io.fileformat import load_graph

    graph, answers = RIGHT["binary-output-layer"]()
    graph, _ = RIGHT["xor-from-nand"]()
    path = tmp_path / "work.json"
    answers = {**answers, "bias": -7, "choice": "a"}
    save_work(graph, "xor-from-nand", answers, path)
    work = load_work(path)
    assert work.lesson_id == "xor-from-nand" and work.answers == answers
    assert work.graph.snapshot() == graph.snapshot()
    assert load_graph(path).snapshot() == graph.snapshot()   # nnsim opens it as an ordinary document
    assert json.loads(dumps_work(graph, "x", {}))["lesson"] == {"id": "x", "answers": {}}


def test_a_document_without_answers_is_work_too(tmp_path):
    from nnsim.io.fileformat import save_graph

    graph, _ = RIGHT["xor-from-nand"]()
    save_graph(graph, tmp_path / "plain.json")
    work = load_work(tmp_path / "plain.json")
    assert work.lesson_id is None and work.answers == {}


@pytest.mark.parametrize("block, words", [
    ({"id": "x", "answers": []}, "must be an object"),
    ({"id": 3, "answers": {}}, "lesson id must be text"),
    ({"id": "x", "answers": {"a": [1, 2]}}, "the answer 'a'"),
    ({"id": "x", "answers": {"a": True}}, "the answer 'a'"),
])
def test_bad_work_files(block, words):
    graph, _ = RIGHT["xor-from-nand"]()
    doc = json.loads(dumps_work(graph, "x", {}))
    doc["lesson"] = block
    with pytest.raises(LessonError, match=words):
        loads_work(json.dumps(doc), "w.json")


def test_work_answers_are_read_without_the_network(tmp_path):
    """What the lessons panel reads of each document the app opens: the same id and answers as load_work,
    the same errors for a bad lesson block, and a clear one for a file that is not a JSON object."""
    from nnsim.io.lessonfile import load_work_answers

    graph, _ = RIGHT["xor-from-nand"]()
    path = tmp_path / "work.json"
    save_work(graph, "xor-from-nand", {"bias": -7}, path)
    work = load_work(path)
    assert load_work_answers(path) == (work.lesson_id, work.answers) == ("xor-from-nand", {"bias": -7})
    doc = json.loads(dumps_work(graph, "x", {}))
    doc["lesson"] = {"id": 3, "answers": {}}
    path.write_text(json.dumps(doc))
    with pytest.raises(LessonError, match="lesson id must be text"):
        load_work_answers(path)
    path.write_text("[1, 2]")
    with pytest.raises(LessonError, match="not an nnsim document"):
        load_work_answers(path)
    path.write_text("{oops")
    with pytest.raises(LessonError, match="work.json"):
        load_work_answers(path)
