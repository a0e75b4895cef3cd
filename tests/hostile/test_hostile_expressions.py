"""Hostile `synth --expr` input: shared sub-expressions evaluated once, deep nesting and huge texts refused
with a message (exit 2), never a RecursionError."""

import pytest

from nnsim.cli import main
from nnsim.core.logic.boolexpr import MAX_NESTING, MAX_TEXT, ExpressionError, parse_expression


def test_an_expression_that_doubles_its_tree_40_times_is_evaluated_once_per_node():
    text = "; ".join(["a0 = x ^ y"] + [f"a{i} = a{i - 1} & a{i - 1} | a{i - 1}" for i in range(1, 41)])
    assert len(text) < 1100
    table = parse_expression(text)
    assert table.inputs == ["x", "y"] and len(table.outputs) == 41
    assert [list(r) for r in table.rows] == [[v] * 41 for v in (0, 1, 1, 0)]


def test_nots_in_a_row_are_not_recursion():
    assert [list(r) for r in parse_expression("~" * 50_001 + "a").rows] == [[1], [0]]
    assert [list(r) for r in parse_expression("!" * 50_000 + "a").rows] == [[0], [1]]


def test_a_long_chain_within_the_limit_works():
    text = "&".join(["a"] * (MAX_TEXT // 2 - 2)) + "|b"
    assert [list(r) for r in parse_expression(text).rows] == [[0], [1], [1], [1]]


@pytest.mark.parametrize("text, message", [
    ("(" * 400 + "a" + ")" * 400, f"line 1, column {MAX_NESTING + 1}: parentheses nested deeper than 100"),
    ("~" * 100_000 + "a", "100,001 characters long, more than the 100,000 accepted"),
    ("&".join(["a"] * 500_000), "999,999 characters long"),
])
def test_deep_or_huge_expressions_are_refused_with_a_message(text, message, capsys):
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(")):
        parse_expression(text)
    assert main(["synth", "--expr", text]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and "Recursion" not in err


def test_nesting_at_the_limit_works():
    text = "(" * MAX_NESTING + "a" + ")" * MAX_NESTING
    assert [list(r) for r in parse_expression(text).rows] == [[0], [1]]


def test_too_much_work_is_refused(monkeypatch):
    from nnsim.core.logic import boolexpr

    monkeypatch.setattr(boolexpr, "MAX_WORK", 1000)
    with pytest.raises(ExpressionError, match="more work than the 1,000 steps allowed"):
        parse_expression(" ^ ".join(f"x{i}" for i in range(8)))
