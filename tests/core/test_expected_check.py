"""The one comparison of a circuit with an expected table (``logic.check_table``): column matching by name,
the bit rule for sigmoid outputs, per-row verdicts, and ``nnsim check`` agreeing with it."""

import sys
from pathlib import Path

import numpy as np
import pytest

from nnsim.cli import main
from nnsim.core import logic
from nnsim.core.circuit.graph import ExpectedTable
from nnsim.core.errors import UserError
from nnsim.core.logic import TruthTable, check_expected, check_table, format_value, matches
from nnsim.io.fileformat import load_graph, save_graph
from nnsim.paths import examples_dir

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from expected_docs import a_and_not_b, sigmoid_xor  # noqa: E402


def test_reordered_inputs_match_by_name():
    result = check_expected(a_and_not_b(), a_and_not_b().expected)
    assert result.all_match and result.passed.tolist() == [True] * 4
    assert result.inputs == ["a", "b"] and result.expected[:, 0].tolist() == [0, 0, 1, 0]
    # the same table in the circuit's own order is the same table
    assert check_expected(a_and_not_b(), TruthTable(["a", "b"], ["y"], [[0], [0], [1], [0]])).all_match


def test_sigmoid_outputs_on_the_right_side_of_a_half_match_bits():
    g = sigmoid_xor()
    result = check_expected(g, g.expected)
    assert result.all_match
    # at the smallest working c one row sits just below ½: still a 0, and it must not print as 0.5
    worst = result.actual[3, 0]
    assert 0.49 < worst < 0.5 and format_value(worst) != "0.5"
    # a hair lower c and that row reads ½ or more: a 1, not the expected 0
    lower = logic.to_sigmoid(load_graph(examples_dir() / "xor.json"),
                             logic.scale_report(load_graph(examples_dir() / "xor.json")).min_scale * 0.99)
    (bad,) = logic.compare(lower, g.expected)
    assert bad.row == 3 and bad.actual[0] >= 0.5


def test_the_rule_bits_by_column_reals_by_tolerance():
    E = np.array([[0, 0.25], [1, 1.0], [1, 0.0], [0, 0.5]])
    O = np.array([[0.49, 0.25 + 2e-6], [0.51, 1.0], [0.5, 0.0], [0.5, 0.5 - 1e-3]])
    # column 0 holds only bits: same side of ½ (½ itself is neither); column 1 is real: within 1e-5,
    # even in the rows whose expected value happens to be 0 or 1
    assert matches(O, E).tolist() == [[True, True], [True, True], [False, True], [False, False]]
    assert not matches([[0.6]], [[0.0]])[0, 0] and matches([[0.6]], [[0.6 + 5e-7]])[0, 0]


def test_row_verdicts_say_which_row_what_was_expected_and_what_came():
    g = logic.build("xor")
    result = check_table(logic.truth_table(g), TruthTable(["a", "b"], ["xor"], [[0], [1], [0], [0]]))
    assert result.passed.tolist() == [True, True, False, True] and result.n_bad == 1
    (bad,) = result.mismatches()
    assert (bad.row, bad.inputs, bad.expected, bad.actual, bad.ok) == (2, (1, 0), (0.0,), (1.0,), False)
    assert str(bad) == "row a=1, b=0: expected 0, got 1"
    assert result.row(0).ok and str(result.row(0)) == "row a=0, b=0: expected 0, got 0"
    adder = logic.build("half-adder")
    two = check_expected(adder, adder.expected).row(3)
    assert str(two) == "row a0=1, b0=1: expected carry=1, s0=0, got carry=1, s0=0"


@pytest.mark.parametrize("table, message", [
    (ExpectedTable(["a", "c"], ["y"], [[0.0]] * 4), "the table's inputs"),
    (ExpectedTable(["b", "a"], ["z"], [[0.0]] * 4), "no output 'z'"),
    (ExpectedTable(["b", "a"], ["y"], [[0.0]] * 3), "4 rows"),
])
def test_a_table_that_does_not_fit_says_why(table, message):
    with pytest.raises(UserError, match=message):
        check_expected(a_and_not_b(), table)


def test_repeated_names_match_by_position_or_say_why():
    g = a_and_not_b()
    g.add_input("a", id="c", y=160)       # inputs a, b, and a second "a"
    g.connect("c", "y", 0.0, id="wc")
    g.expected = None
    same_order = TruthTable.from_function(["a", "b", "a"], ["y"], lambda X: X[:, 0] & (1 - X[:, 1]))
    assert check_expected(g, same_order).all_match
    with pytest.raises(UserError, match="two inputs named 'a'"):
        check_expected(g, TruthTable(["b", "a", "a"], ["y"], np.zeros((8, 1))))


@pytest.mark.parametrize("make", [a_and_not_b, sigmoid_xor], ids=["reordered-inputs", "sigmoid-xor"])
def test_nnsim_check_agrees(make, tmp_path, capsys):
    path = tmp_path / "doc.json"
    save_graph(make(), path)
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out.startswith("OK: all 4 rows match")


def test_nnsim_check_lists_differing_rows_in_the_circuits_input_order(tmp_path, capsys):
    g = a_and_not_b()
    g.expected = ExpectedTable(["b", "a"], ["y"], [[0.0], [0.0], [0.0], [0.0]])
    path = tmp_path / "doc.json"
    save_graph(g, path)
    assert main(["check", str(path)]) == 1
    assert capsys.readouterr().out.splitlines() == ["1 of 4 rows differ:", "a b | expected y | actual y",
                                                    "1 0 | 0 | 1"]
