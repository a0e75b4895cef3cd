"""The condition language of lesson checks (nnsim.core.conditions): its results, Python's precedence, and
messages that name the column and the rule. Its use inside lessons is tested in test_lessons.py."""

import math
import sys

import pytest
from hypothesis import assume, given, settings, strategies as st

from nnsim.core import conditions
from nnsim.core.circuit.graph import Graph
from nnsim.core.conditions import MAX_LENGTH, NodeMissing, parse_condition
from nnsim.core.expressions import MAX_NESTING, ExpressionError


def network() -> Graph:
    g = Graph()
    g.add_input("x1", id="x1")
    g.add_input("x2", id="x2")
    g.add_neuron("carry out", bias=3, id="c")
    g.add_neuron("y", activation="sigmoid", bias=-1.5, id="y")
    g.connect("x1", "c", -2)
    g.connect("x2", "c", -2)
    g.connect("c", "y", 4.5)
    return g


def holds(text: str) -> bool:
    return parse_condition(text).evaluate(network())[0]


def test_one_error_type_with_the_other_expression_languages():
    assert not hasattr(conditions, "ConditionError")
    with pytest.raises(ExpressionError):
        parse_condition("bias(y) >")


@pytest.mark.parametrize("text, want", [
    ("bias(y) == -1.5", True), ("threshold(y) == 1.5", True), ('bias("carry out") == 3', True),
    ("bias('carry out') == 3", True), ("weight(x1, \"carry out\") == -2", True), ("weight(x1, y) == 0", True),
    ('activation(y) == "sigmoid"', True), ("activation(y) != 'step'", True), ("activation(y) < 'z'", False),
    ("base() > 2.71 and base() < 2.72", True), ("neurons() == 2 and wires() == 3", True),
    ("abs(bias(y)) == 1.5", True), ("min(3, bias(y), 2) == -1.5", True), ("max(1, 2, 3,) == 3", True),
    # == and != allow a relative error of 10⁻⁹
    ("weight(c, y) / bias(y) == -3", True), ("0.1 + 0.2 == 0.3", True), ("0.1 + 0.2 != 0.3", False),
    ("1 == 1 + 1e-6", False),
    # Python's precedence: a sign before * and /, those before + and −, comparisons, not, and, or
    ("-2/3 == -(2/3)", True), ("1 + 2 * 3 == 7", True), ("(1 + 2) * 3 == 9", True), ("8 / 4 / 2 == 1", True),
    ("2 - 3 - 4 == -5", True), ("- - 1 == 1", True), ("-+-1 == 1", True), ("+2 == 2", True),
    ("not 1 > 2", True), ("not not 1 > 2", False), ("1 > 2 or 2 > 1 and 3 > 2", True),
    ("(1 > 2 or 2 > 1) and 2 > 3", False), ("not 1 > 2 and 2 > 3", False),
    # chains compare neighbours, as in Python
    ("0 < bias(c) < 4", True), ("1 < 2 < 1", False), ("1 < 2 == 2 <= 2", True),
    ("bias(y) / 0 > 0", False), ("bias(y) / 0 <= 0", False),  # x/0 is no number: every comparison fails
    ("1e999 > bias(c)", True), (".5 * 4 == 2. and 1e-1 == 0.1", True),
    ("neurons()", True), ("wires() - 3", False),  # a bare number is true when it is not 0, as in Python
    ("bias(y) > 0 or\n bias(c) > 0", True),
])
def test_results(text, want):
    assert holds(text) is want


def test_values_read_are_reported_once_each_by_the_names_in_the_network():
    holds_, facts = parse_condition('bias(c) > 0 and bias("carry out") < 5 or weight(c, y) < 0').evaluate(network())
    assert holds_ is True
    assert facts == [("bias(carry out)", 3.0), ("weight(carry out, y)", 4.5)]


def test_a_missing_node_is_a_failing_check_not_a_bad_condition():
    condition = parse_condition("bias(nope) > 0")
    with pytest.raises(NodeMissing, match="nope"):
        condition.evaluate(network())


@pytest.mark.parametrize("text, message", [
    # the grammar cannot go on: where, the whole text, what was expected and found
    ("bias(y) >", "column 10: cannot read 'bias(y) >' (expected a number, a function such as bias(n), "
                  "a quoted word or '(', found the end of the text)"),
    ("(bias(y) > 0", "column 13: cannot read '(bias(y) > 0' (expected ')' to close the '(' at column 1, "
                     "found the end of the text)"),
    ("bias(y", "column 7: cannot read 'bias(y' (expected ')' to close the '(' at column 5"),
    ("bias(y) is 1", "column 9: cannot read 'bias(y) is 1' (expected an operator, a comparison, 'and', 'or' "
                     "or the end, found 'is')"),
    ("1 + not 2", "column 5: cannot read '1 + not 2' (expected a number, a function such as bias(n), "
                  "a quoted word or '(', found 'not')"),
    ("bias(y) > 0\nand bias(c) <", "line 2, column 14: cannot read"),
    # a rule of the language broken: where, the whole text, which rule
    ("bias(y) > 0)", "column 12 of 'bias(y) > 0)': ')' without a matching '('"),
    ("1, 2", "column 2 of '1, 2': ',' outside a function's parentheses"),
    ("bias(y) ** 2 > 1", "column 9 of 'bias(y) ** 2 > 1': '**': only + − * / are allowed"),
    ("bias(y) % 2 == 1", "column 9 of 'bias(y) % 2 == 1': '%': only + − * / are allowed"),
    ("~bias(y) > 1", "column 1 of '~bias(y) > 1': only unary minus and 'not' are allowed"),
    ("bias(y) = 1", "column 9 of 'bias(y) = 1': '=' alone does not compare; write '=='"),
    ("!bias(y)", "column 1 of '!bias(y)': '!' is not part of the condition language (write 'not'"),
    ("bias(y).real", "column 8 of 'bias(y).real': '.' is not part of the condition language"),
    ("[1][0] == 1", "column 1 of '[1][0] == 1': '[' is not part of the condition language"),
    ("y > 1", "column 1 of 'y > 1': 'y' on its own means nothing here; did you mean bias(y)?"),
    ("activation(y) == step", "column 18 of 'activation(y) == step': 'step' on its own means nothing here; "
                              "did you mean \"step\" (quoted)?"),
    ("True", "column 1 of 'True': True is not a number or a quoted name"),
    ("__import__('os').system('true')", "column 1 of \"__import__('os').system('true')\": unknown function "
                                        "'__import__' (known: bias, threshold, weight, activation, base"),
    ("2 * size(y) > 1", "column 5 of '2 * size(y) > 1': unknown function 'size'"),
    ("bias(y, c)", "column 1 of 'bias(y, c)': bias() takes 1 argument, not 2"),
    ("weight(y) > 1", "column 1 of 'weight(y) > 1': weight() takes 2 arguments, not 1"),
    ("base(1) > 1", "column 1 of 'base(1) > 1': base() takes 0 arguments, not 1"),
    ("min() < 1", "column 1 of 'min() < 1': min() takes at least 1 argument, not 0"),
    ("min(x=1) < 1", "column 5 of 'min(x=1) < 1': functions take no keyword arguments"),
    ("bias(1) > 0", "column 6 of 'bias(1) > 0': bias() takes node names"),
    ("bias(carry out) > 0", "column 6 of 'bias(carry out) > 0': bias() takes node names (quote a name"),
    ('bias("y) > 0', "column 6 of 'bias(\"y) > 0': the quoted word starting here has no closing \""),
    ("activation(y) + 1 > 0", "column 1 of 'activation(y) + 1 > 0': a word cannot take part in arithmetic"),
    ("-activation(y) == 1", "column 1 of '-activation(y) == 1': a word cannot take part in arithmetic"),
    ("2 * 'step' == 1", "column 5 of \"2 * 'step' == 1\": a word cannot take part in arithmetic"),
    ("abs('x') > 0", "column 5 of \"abs('x') > 0\": a word cannot take part in arithmetic"),
    ("  bias(y) >", "column 10: cannot read 'bias(y) >'"),  # columns count in the text as shown
])
def test_messages_name_the_column_and_the_rule(text, message):
    with pytest.raises(ExpressionError) as err:
        parse_condition(text)
    assert message in str(err.value)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_an_empty_condition(text):
    with pytest.raises(ExpressionError, match="the condition is empty"):
        parse_condition(text)


def test_length_limit():
    long = "bias(y) > 0" + " " * MAX_LENGTH
    with pytest.raises(ExpressionError, match=f"at most {MAX_LENGTH} are allowed"):
        parse_condition(long)


def test_nesting_limit_ends_in_a_message_and_the_limit_itself_fits_a_small_stack():
    deep = "(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1)
    with pytest.raises(ExpressionError, match=f"column {MAX_NESTING + 1} of .*nested too deeply"):
        parse_condition(deep)
    allowed = "(" * (MAX_NESTING - 1) + "-bias(y)" + ")" * (MAX_NESTING - 1) + " > 1"  # a call's ( is a level
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(800)   # well below the default, as in a GUI callback deep in Qt's stack
    try:
        assert parse_condition(allowed).evaluate(network())[0] is True
    finally:
        sys.setrecursionlimit(limit)


def test_no_python_runs():
    for text in ["__import__('os').system('true') == 0", "(lambda: 1)() == 1", "[x for x in ()] == 1",
                 "bias(y).__class__ == 1", "eval('1') == 1", "open('x') == 1"]:
        with pytest.raises(ExpressionError):
            parse_condition(text)


def test_numbers_are_floats_and_division_by_zero_is_no_number():
    assert parse_condition("1 / 0").tree == ("arith", ("num", 1.0), [("/", ("num", 0.0))])
    assert math.isnan(conditions._Evaluator(network(), {}).eval(parse_condition("1 / 0").tree))


_PIECES = ["1", "2", "3", "0.5", "+", "-", "*", "<", ">=", "!=", "(", ")", "not"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12))
def test_reads_what_python_reads_and_agrees_on_the_result(pieces):
    """Python is the oracle for the grammar and precedence: a text Python cannot run is refused, and one it
    reads to a number gives the same truth value. (``and``/``or`` give True or False here, not an operand,
    so they are left out.)"""
    text = " ".join(pieces)
    try:
        expected = eval(compile(text, "<condition>", "eval"), {"__builtins__": {}})  # test oracle only
    except (SyntaxError, TypeError):  # TypeError: a number called, as in 1 (2)
        with pytest.raises(ExpressionError):
            parse_condition(text)
        return
    assume(isinstance(expected, (bool, int, float)))
    assert parse_condition(text).evaluate(network())[0] is bool(expected)
