"""Boolean expressions to truth tables, and their error messages."""

import numpy as np
import pytest

from nnsim.core import logic
from nnsim.core.logic.boolexpr import ExpressionError, parse_expression
from nnsim.core.errors import UserError
from nnsim.core.logic.synthesis import synthesize


def test_the_issues_full_adder_expression():
    t = parse_expression("s = a ^ b ^ cin; cout = a & b | cin & (a ^ b)")
    assert t.inputs == ["a", "b", "cin"] and t.outputs == ["s", "cout"]
    total = t.input_rows().sum(axis=1).astype(int)
    assert t.rows.tolist() == np.stack([total & 1, total >> 1], axis=1).tolist()
    g = synthesize(t)
    assert logic.is_nand_only(g) and logic.compare(g, t) == []
    assert len(g.neurons()) <= 14      # two XORs for s (8 gates), majority for cout (6)


@pytest.mark.parametrize("text, rows", [
    ("a & b | c", [0, 1, 0, 1, 0, 1, 1, 1]),          # & binds tighter than |
    ("a | b & c", [0, 0, 0, 1, 1, 1, 1, 1]),
    ("a ^ b & c", [0, 0, 0, 1, 1, 1, 1, 0]),          # & before ^
    ("a | b ^ c", [0, 1, 1, 0, 1, 1, 1, 1]),          # ^ before |
    ("~a & !b | 0 & c", [1, 1, 0, 0, 0, 0, 0, 0]),
    ("(a | b) & c", [0, 0, 0, 1, 0, 1, 0, 1]),
    ("~~a ^ 1 ^ b ^ c", [1, 0, 0, 1, 0, 1, 1, 0]),
])
def test_precedence_and_operators(text, rows):
    t = parse_expression(text)
    assert t.outputs == ["out"] and t.inputs == ["a", "b", "c"]
    assert t.rows.ravel().tolist() == rows


def test_statements_on_lines_comments_and_earlier_outputs():
    t = parse_expression("# half adder\nx = a ^ b\ncarry = a & b   # and\nnx = ~x;\n")
    assert t.inputs == ["a", "b"] and t.outputs == ["x", "carry", "nx"]
    assert t.rows.tolist() == [[0, 0, 1], [1, 0, 0], [1, 0, 0], [0, 1, 1]]


def test_a_newline_inside_parentheses_is_space():
    assert parse_expression("y = (a &\n b)").rows.ravel().tolist() == [0, 0, 0, 1]


@pytest.mark.parametrize("text, message", [
    ("y = a &", "line 1, column 8: expected a name"),
    ("y = (a | b", "line 1, column 11: expected ')' to close the '(' at line 1, column 5"),
    ("y = a b", "line 1, column 7: expected an operator"),
    ("y = a)", "line 1, column 6: ')' without a matching '('"),
    ("y = a\ny = b", "line 2, column 1: output 'y' is defined twice"),
    ("y = x & a\nx = a", "line 2, column 1: 'x' is defined here but already used as an input at line 1, column 5"),
    ("= a", "line 1, column 1: '=' needs an output name"),
    ("y = 2 & a", "line 1, column 5: '2' is not a constant"),
    ("y = a + b", "line 1, column 7: unexpected character '+'"),
    ("", "the expression is empty"),
    ("y = 1 | 0", "uses no input names"),
    ("a & b; c", "give each a name"),
])
def test_errors_name_the_position(text, message):
    with pytest.raises(ExpressionError) as err:
        parse_expression(text)
    assert message in str(err.value)
    assert isinstance(err.value, UserError)


def test_too_many_inputs():
    text = "y = " + " & ".join(f"x{i}" for i in range(13))
    with pytest.raises(ExpressionError, match="13 inputs, but at most 12"):
        parse_expression(text, max_inputs=12)


# ----- random expressions against Python's own evaluation ----------------------------------------------
from hypothesis import given, settings, strategies as st  # noqa: E402

NAMES = ["a", "b", "c", "d"]
leaves = st.sampled_from(NAMES + ["0", "1"])


def _wrap(op):
    return lambda pair: f"({pair[0]} {op} {pair[1]})"


expressions = st.recursive(
    leaves,
    lambda inner: st.one_of(st.tuples(inner, inner).map(_wrap("&")), st.tuples(inner, inner).map(_wrap("|")),
                            st.tuples(inner, inner).map(_wrap("^")), inner.map(lambda e: f"~{e}"),
                            inner.map(lambda e: f"!{e}")),
    max_leaves=12)


def _python(text, env):
    py = text.replace("!", "~")
    return eval(py, {}, env) & 1  # noqa: S307 - test oracle on generated text only


@settings(max_examples=60)
@given(expr=expressions)
def test_random_expressions_match_python(expr):
    t = parse_expression(f"y = {expr} ^ a ^ a")   # ^ a ^ a keeps at least one input without changing y
    for r, x in enumerate(t.input_rows().astype(int)):
        env = dict(zip(t.inputs, x.tolist()))
        assert t.rows[r, 0] == _python(expr, env), (expr, env)


@settings(max_examples=30)
@given(expr=expressions)
def test_unparenthesised_precedence_is_c_like(expr):
    # strip the outer parentheses the generator adds: the grammar's precedence must match Python's
    # (& before ^ before |) for the same text
    flat = expr.replace("(", "").replace(")", "")
    t = parse_expression(f"y = {flat} ^ a ^ a")
    for r, x in enumerate(t.input_rows().astype(int)):
        env = dict(zip(t.inputs, x.tolist()))
        assert t.rows[r, 0] == _python(flat, env), (flat, env)
