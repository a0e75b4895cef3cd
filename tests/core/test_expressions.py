"""One error type and one tokenizer for nnsim's typed-expression languages; the cost language's
precedence is Python's."""

import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nnsim.core import conditions, expressions
from nnsim.core.errors import UserError
from nnsim.core.learning import descent
from nnsim.core.logic import boolexpr


def test_one_error_type_for_every_language():
    assert boolexpr.ExpressionError is descent.ExpressionError is expressions.ExpressionError
    assert issubclass(expressions.ExpressionError, UserError)
    for parse, text in ((boolexpr.parse_expression, "y = a $ b"), (descent.parse_cost, "v1 $ v2"),
                        (conditions.parse_condition, "bias(y) $ 1")):
        with pytest.raises(expressions.ExpressionError, match="column"):
            parse(text)


def test_scan_keeps_positions_and_marks_unknown_characters():
    pattern = re.compile(r"(?P<space>[ ]+)|(?P<newline>\n)|(?P<name>[a-z]+)")
    tokens = expressions.scan("ab\n  c$", pattern)
    assert [(t.kind, t.text, t.line, t.col) for t in tokens] == [
        ("name", "ab", 1, 1), ("newline", "\n", 1, 3), ("name", "c", 2, 3), ("bad", "$", 2, 4), ("end", "", 2, 5)]


@pytest.mark.parametrize("text, message", [
    ("v1 +", "cannot read the cost expression at column 5: expected a number"),
    ("(v1", "at column 4: expected ')' to close the '(' at column 1"),
    ("v1 v2", "at column 4: 'v2' is not allowed here"),
    ("sin(v1, v2)", "sin() takes exactly one argument (at column 7)"),
    ("v1 + q", "unknown name 'q' at column 6"),
    ("2 * foo(v1)", "unknown function 'foo' at column 5"),
    ("1e999 * v1", "the number at column 1 is too large"),
    ("v1 $ 2", "at column 4: '$' is not allowed"),
])
def test_cost_errors_name_the_column(text, message):
    with pytest.raises(expressions.ExpressionError) as err:
        descent.parse_cost(text)
    assert message in str(err.value)


def test_deep_parentheses_end_in_a_message_not_a_recursion_error():
    deep = "(" * 150 + "v1" + ")" * 150
    with pytest.raises(expressions.ExpressionError, match="nested deeper than 100"):
        descent.parse_cost(deep)
    assert descent.parse_cost("(" * 90 + "v1" + ")" * 90)(2.0, 0.0) == 2.0
    signs = "-" * 199 + "v1"     # a run of signs is a loop, not nesting
    assert descent.parse_cost(signs)(2.0, 0.0) == -2.0


# ----- the cost language against Python's own arithmetic on generated texts ----------------------------
leaves = st.sampled_from(["v1", "v2", "2", "0.5", "3", "pi"])


def _binary(op):
    return lambda pair: f"{pair[0]} {op} {pair[1]}"


arithmetic = st.recursive(
    leaves,
    lambda inner: st.one_of(*(st.tuples(inner, inner).map(_binary(op)) for op in ("+", "-", "*", "/", "**")),
                            inner.map(lambda e: f"-{e}"), inner.map(lambda e: f"({e})"),
                            inner.map(lambda e: f"sin({e})")),
    max_leaves=8)


@settings(max_examples=80)
@given(text=arithmetic)
def test_cost_expressions_evaluate_as_python_does(text):
    v1, v2 = 0.7, 1.3
    cost = descent.parse_cost(f"{text} + 0*v1")
    with np.errstate(all="ignore"):
        try:  # the oracle, on generated text only
            want = float(eval(text, {"pi": np.pi, "sin": np.sin}, {"v1": v1, "v2": v2}))  # noqa: S307
        except (ZeroDivisionError, OverflowError, TypeError):  # TypeError: a complex (-2) ** 0.5
            return
        got = float(cost(v1, v2))
    assert np.isclose(got, want, rtol=1e-9) or (np.isinf(got) and np.isinf(want)), text
