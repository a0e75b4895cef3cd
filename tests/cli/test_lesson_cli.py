"""``nnsim lesson list/show/start/check/grade`` as a teacher runs them, exit codes and errors included."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from nnsim.cli import main
from nnsim.io.fileformat import load_graph
from nnsim.io.lessonfile import load_work, save_work

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from lesson_work import RIGHT, WRONG, WRONG_REASON  # noqa: E402


def saved(tmp_path, lesson_id, right=True, name=None):
    graph, answers = (RIGHT if right else WRONG)[lesson_id]()
    path = tmp_path / (name or f"{lesson_id}-{'right' if right else 'wrong'}.json")
    save_work(graph, lesson_id, answers, path)
    return path


def test_list(capsys):
    assert main(["lesson", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) >= 12
    assert lines[3].split()[:2] == ["4", "xor-from-nand"]
    assert main(["lesson", "list", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [i["order"] for i in items] == sorted(i["order"] for i in items)
    assert {"id": "adder-from-nand", "title": "An adder from NAND", "order": 5, "steps": 2} in items


def test_show(capsys):
    assert main(["lesson", "show", "perceptron-decision"]) == 0
    out = capsys.readouterr().out
    assert "Step 1: Weigh the evidence" in out and "check: the truth table is go = weather" in out
    assert "answer 'bigger_bias'" in out and "(a) in more situations" in out


def test_start_writes_the_starting_document(tmp_path, capsys):
    out = tmp_path / "xor.json"
    assert main(["lesson", "start", "xor-from-nand", "-o", str(out)]) == 0
    graph = load_graph(out)
    assert [n.name for n in graph.inputs()] == ["x1", "x2"] and not graph.neurons()
    assert load_work(out).lesson_id == "xor-from-nand"
    capsys.readouterr()
    assert main(["lesson", "check", "xor-from-nand", str(out)]) == 1
    assert "no output called y" in capsys.readouterr().out


@pytest.mark.parametrize("lesson_id", ["xor-from-nand", "adder-from-nand", "sigmoid-limit", "linear-change",
                                       "binary-output-layer"])
def test_check_right_and_wrong(tmp_path, capsys, lesson_id):
    assert main(["lesson", "check", lesson_id, str(saved(tmp_path, lesson_id))]) == 0
    assert capsys.readouterr().out.strip().endswith(f"{lesson_id}: passed")
    assert main(["lesson", "check", lesson_id, str(saved(tmp_path, lesson_id, right=False))]) == 1
    out = capsys.readouterr().out
    assert WRONG_REASON[lesson_id] in out and "FAIL" in out


@pytest.mark.parametrize("args, words", [
    (["lesson", "check", "nope", "x.json"], "no lesson 'nope'"),
    (["lesson", "check", "xor-from-nand", "missing.json"], "missing.json"),
    (["lesson", "show", "nope"], "no lesson 'nope'"),
    (["lesson", "grade", "xor-from-nand", "no-such-folder", "--csv", "out.csv"], "no such folder"),
])
def test_bad_input_exits_2(tmp_path, monkeypatch, capsys, args, words):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    assert words in capsys.readouterr().err


def test_work_for_another_lesson_exits_2(tmp_path, capsys):
    path = saved(tmp_path, "nand-perceptron")
    assert main(["lesson", "check", "xor-from-nand", str(path)]) == 2
    assert "work for the lesson 'nand-perceptron'" in capsys.readouterr().err


def test_grade_writes_one_row_per_file(tmp_path, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    saved(folder, "xor-from-nand", True, "ada.json")
    saved(folder, "xor-from-nand", False, "bob.json")
    (folder / "cy.json").write_text("{not json", encoding="utf-8")
    (folder / "dee.json").write_text('{"format": "nnsim", "version": 99}', encoding="utf-8")
    saved(folder, "nand-perceptron", True, "eve.json")
    (folder / "notes.txt").write_text("not a .json file", encoding="utf-8")
    out = tmp_path / "grades.csv"
    assert main(["lesson", "grade", "xor-from-nand", str(folder), "--csv", str(out)]) == 0
    assert "5 files: 1 passed, 1 failed, 3 unreadable" in capsys.readouterr().out
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["file", "result", "reason"]
    table = {r[0]: r for r in rows[1:]}
    assert set(table) == {"ada.json", "bob.json", "cy.json", "dee.json", "eve.json"}
    assert table["ada.json"][1] == "passed"
    assert table["bob.json"][1] == "failed" and WRONG_REASON["xor-from-nand"] in table["bob.json"][2]
    assert table["cy.json"][1] == "unreadable" and "malformed JSON" in table["cy.json"][2]
    assert table["dee.json"][1] == "unreadable" and "newer nnsim" in table["dee.json"][2]
    assert table["eve.json"][1] == "unreadable" and "nand-perceptron" in table["eve.json"][2]


def test_grade_to_the_screen(tmp_path, capsys):
    saved(tmp_path, "gradient-descent", True, "a.json")
    assert main(["lesson", "grade", "gradient-descent", str(tmp_path), "--csv", "-"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("a.json,passed,")


def test_exit_codes_from_a_real_process(tmp_path):
    right = saved(tmp_path, "nand-perceptron")
    wrong = saved(tmp_path, "nand-perceptron", right=False)
    codes = [subprocess.run([sys.executable, "-m", "nnsim.cli.__main__", "lesson", "check", "nand-perceptron",
                             str(p)], capture_output=True, text=True).returncode
             for p in (right, wrong, tmp_path / "none.json")]
    assert codes == [0, 1, 2]


def test_another_lessons_folder(tmp_path, capsys):
    (tmp_path / "x.md").write_text('+++\nid = "only"\ntitle = "Only"\norder = 1\n+++\n\n## One\n\nRead.\n',
                                   encoding="utf-8")
    (tmp_path / "bad.md").write_text("oops", encoding="utf-8")
    assert main(["lesson", "--lessons", str(tmp_path), "list"]) == 0
    captured = capsys.readouterr()
    assert captured.out.split() == ["1", "only", "Only"]
    assert "skipped a lesson" in captured.err and "bad.md, line 1" in captured.err
