"""Conditions on a network's weights and biases, as a lesson writes them: ``bias(go) > 0``,
``weight(x1, y) == weight(x2, y) and threshold(y) < 4``.

A small language parsed with Python's ``ast`` and walked by hand (never ``eval``): numbers, ``+ - * /``,
unary minus, comparisons (chains too), ``and``/``or``/``not``, parentheses, and these functions:

- ``bias(n)``, ``threshold(n)`` (= −bias), ``weight(a, b)`` (the wire a → b; 0 when there is none),
- ``activation(n)`` (``"step"``, ``"sigmoid"``, …, compared with a quoted string), ``base()`` (the sigmoid's
  base), ``neurons()``, ``wires()`` (counts), ``abs(x)``, ``min(x, y, …)``, ``max(x, y, …)``.

Node names are bare words (``bias(go)``) or quoted strings (``bias("carry out")``). ``==`` and ``!=`` on
numbers allow a relative error of 10⁻⁹, so ``weight(a, y) / bias(y) == -2/3`` works after scaling.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field

from nnsim.core.circuit.graph import Graph
from nnsim.core.errors import UserError


class ConditionError(UserError):
    """A condition that cannot be read; the message names the problem (and the column)."""


class NodeMissing(Exception):
    """The condition names a node the student's network does not have (a failing check, not a bad lesson)."""


#: Longest condition read (it keeps the syntax tree, walked recursively, shallow).
MAX_LENGTH = 500
#: function name → (smallest, largest) number of arguments; ``None`` = any number ≥ the smallest.
FUNCTIONS = {"bias": (1, 1), "threshold": (1, 1), "weight": (2, 2), "activation": (1, 1), "base": (0, 0),
             "neurons": (0, 0), "wires": (0, 0), "abs": (1, 1), "min": (1, None), "max": (1, None)}
_NODE_ARGS = {"bias", "threshold", "weight", "activation"}
_COMPARE = {ast.Lt: "<", ast.LtE: "≤", ast.Gt: ">", ast.GtE: "≥", ast.Eq: "=", ast.NotEq: "≠"}
_BINARY = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
           ast.Div: lambda a, b: a / b if b != 0 else math.nan}  # x/0: every comparison fails


def _close(a, b) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@dataclass
class Condition:
    """A parsed condition: ``text`` and its syntax tree. :meth:`evaluate` gives the truth value and the facts
    it read (``[("bias(go)", -5.0), …]``) so a failure can say what the network has."""

    text: str
    tree: ast.Expression = field(repr=False)

    def __repr__(self):
        return f"Condition({self.text!r})"

    def evaluate(self, graph: Graph) -> tuple[bool, list[tuple[str, object]]]:
        """``(holds, facts)``; raises :class:`NodeMissing` naming a node the graph lacks."""
        facts: dict[str, object] = {}
        value = _Evaluator(graph, facts).eval(self.tree.body)
        return bool(value), list(facts.items())


def parse_condition(text: str) -> Condition:
    """Read ``text``; :class:`ConditionError` says what is wrong and where."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError("the condition is empty")
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"the condition is {len(text)} characters long; at most {MAX_LENGTH} are allowed")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, RecursionError, MemoryError) as err:
        if not isinstance(err, SyntaxError):
            raise ConditionError("the condition is nested too deeply") from None
        raise ConditionError(f"column {err.offset or 1}: cannot read {text.strip()!r} ({err.msg})") from None
    _check(tree.body, text)
    return Condition(text.strip(), tree)


def _fail(node, text: str, problem: str):
    raise ConditionError(f"column {getattr(node, 'col_offset', 0) + 1} of {text.strip()!r}: {problem}")


def _check(node, text: str, as_name: bool = False) -> None:
    """Reject every construct outside the language before anything is evaluated."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float, str)):
            _fail(node, text, f"{node.value!r} is not a number or a quoted name")
    elif isinstance(node, ast.Name):
        if not as_name:
            _fail(node, text, f"{node.id!r} on its own means nothing here; did you mean bias({node.id})?")
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            _fail(node, text, "only + − * / are allowed")
        _check(node.left, text)
        _check(node.right, text)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
            _fail(node, text, "only unary minus and 'not' are allowed")
        _check(node.operand, text)
    elif isinstance(node, ast.BoolOp):
        for v in node.values:
            _check(v, text)
    elif isinstance(node, ast.Compare):
        if any(type(op) not in _COMPARE for op in node.ops):
            _fail(node, text, "compare with < <= > >= == != only")
        for v in [node.left, *node.comparators]:
            _check(v, text)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else "this"
            _fail(node, text, f"unknown function {name!r} (known: {', '.join(FUNCTIONS)})")
        if node.keywords:
            _fail(node, text, "functions take no keyword arguments")
        low, high = FUNCTIONS[node.func.id]
        n = len(node.args)
        if n < low or (high is not None and n > high):
            want = f"{low}" if low == high else f"at least {low}"
            _fail(node, text, f"{node.func.id}() takes {want} argument{'s' if want != '1' else ''}, not {n}")
        for a in node.args:
            if node.func.id in _NODE_ARGS:
                if not (isinstance(a, ast.Name) or (isinstance(a, ast.Constant) and isinstance(a.value, str))):
                    _fail(a, text, f"{node.func.id}() takes node names")
            else:
                _check(a, text)
    else:
        _fail(node, text, f"{type(node).__name__} is not part of the condition language")


class _Evaluator:
    def __init__(self, graph: Graph, facts: dict):
        self.graph = graph
        self.facts = facts

    def node(self, arg):
        name = arg.id if isinstance(arg, ast.Name) else arg.value
        try:
            return self.graph.find(name)
        except KeyError:
            raise NodeMissing(name) from None

    def call(self, node):
        fn = node.func.id
        if fn in ("abs", "min", "max"):
            args = [self.eval(a) for a in node.args]
            return {"abs": abs, "min": min, "max": max}[fn](*args)
        if fn == "base":
            value, label = self.graph.sigmoid_base, "base()"
        elif fn == "neurons":
            value, label = len(self.graph.neurons()), "neurons()"
        elif fn == "wires":
            value, label = len(self.graph.wires), "wires()"
        elif fn == "weight":
            a, b = self.node(node.args[0]), self.node(node.args[1])
            wire = self.graph.wire_between(a.id, b.id)
            value, label = (wire.weight if wire else 0.0), f"weight({a.name}, {b.name})"
        else:
            n = self.node(node.args[0])
            value = {"bias": n.bias, "threshold": -n.bias, "activation": n.activation}[fn]
            label = f"{fn}({n.name})"
        self.facts[label] = value
        return value

    def eval(self, node):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](self.eval(node.left), self.eval(node.right))
        if isinstance(node, ast.UnaryOp):
            v = self.eval(node.operand)
            return (not v) if isinstance(node.op, ast.Not) else (-v if isinstance(node.op, ast.USub) else v)
        if isinstance(node, ast.BoolOp):
            values = [self.eval(v) for v in node.values]  # all of them, so every fact is reported
            return all(values) if isinstance(node.op, ast.And) else any(values)
        if isinstance(node, ast.Compare):
            left = self.eval(node.left)
            ok = True
            for op, right_node in zip(node.ops, node.comparators):
                right = self.eval(right_node)
                if isinstance(op, ast.Eq):
                    ok &= _close(left, right)
                elif isinstance(op, ast.NotEq):
                    ok &= not _close(left, right)
                elif isinstance(left, str) or isinstance(right, str):
                    ok = False
                else:
                    ok &= {ast.Lt: left < right, ast.LtE: left <= right, ast.Gt: left > right,
                           ast.GtE: left >= right}[type(op)]
                left = right
            return ok
        raise ConditionError(f"cannot evaluate {type(node).__name__}")  # _check rejects these first
