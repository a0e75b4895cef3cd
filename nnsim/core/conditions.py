"""Conditions on a network's weights and biases, as a lesson writes them: ``bias(go) > 0``,
``weight(x1, y) == weight(x2, y) and threshold(y) < 4``.

A small language read by a hand-written parser over :func:`~nnsim.core.expressions.scan`'s tokens (never
Python's ``eval`` or ``ast``, so a condition can only read the network): numbers, ``+ - * /``, a sign,
comparisons (chains too: ``0 < bias(y) < 4``), ``and``/``or``/``not``, parentheses, and these functions:

- ``bias(n)``, ``threshold(n)`` (= −bias), ``weight(a, b)`` (the wire a → b; 0 when there is none),
- ``activation(n)`` (``"step"``, ``"sigmoid"``, …, compared with a quoted word), ``base()`` (the sigmoid's
  base), ``neurons()``, ``wires()`` (counts), ``abs(x)``, ``min(x, y, …)``, ``max(x, y, …)``.

Node names are bare words (``bias(go)``) or quoted (``bias("carry out")``, taken as written: no escapes).
``==`` and ``!=`` on numbers allow a relative error of 10⁻⁹, so ``weight(a, y) / bias(y) == -2/3`` works after
scaling. Precedence is Python's, loosest first: ``or``, ``and``, ``not``, comparisons, ``+ -``, ``* /``, a
sign. Every mistake raises :class:`~nnsim.core.expressions.ExpressionError` naming its column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from nnsim.core.circuit.graph import Graph
from nnsim.core.expressions import MAX_NESTING, ExpressionError, Token, scan


class NodeMissing(Exception):
    """The condition names a node the student's network does not have (a failing check, not a bad lesson)."""


#: Longest condition read: a lesson's condition is one line, and a longer one is a mistake.
MAX_LENGTH = 500
#: function name → (smallest, largest) number of arguments; ``None`` = any number ≥ the smallest.
FUNCTIONS = {"bias": (1, 1), "threshold": (1, 1), "weight": (2, 2), "activation": (1, 1), "base": (0, 0),
             "neurons": (0, 0), "wires": (0, 0), "abs": (1, 1), "min": (1, None), "max": (1, None)}
_NODE_ARGS = {"bias", "threshold", "weight", "activation"}
_KEYWORDS = {"and", "or", "not"}
_COMPARE = ("<", "<=", ">", ">=", "==", "!=")
_ARITHMETIC = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
               "/": lambda a, b: a / b if b != 0 else math.nan}  # x/0: every comparison fails
#: Python operators outside the language, scanned so that the message can say which ones are allowed.
_OTHER_OPS = ("**", "//", "<<", ">>", "%", "^", "&", "|", "@")
_TOKEN = re.compile(r"(?P<space>[ \t\r]+)|(?P<newline>\n)"
                    r"|(?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)"
                    r"|(?P<name>[^\W\d]\w*)|(?P<word>\"[^\"\n]*\"|'[^'\n]*')"
                    r"|(?P<op><=|>=|==|!=|\*\*|//|<<|>>|[-+*/<>(),=%^&|@~])")
_OPERAND = "a number, a function such as bias(n), a quoted word or '('"


def _close(a, b) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _is_word(node: tuple) -> bool:
    """Whether the node's value is a word (a quoted word, or ``activation(n)``) rather than a number."""
    return node[0] == "word" or (node[0] == "call" and node[1] == "activation")


@dataclass
class Condition:
    """A parsed condition: ``text`` and its tree (see :class:`_Parser`). :meth:`evaluate` gives the truth value
    and the facts it read (``[("bias(go)", -5.0), …]``) so a failure can say what the network has."""

    text: str
    tree: tuple = field(repr=False)

    def __repr__(self):
        return f"Condition({self.text!r})"

    def evaluate(self, graph: Graph) -> tuple[bool, list[tuple[str, object]]]:
        """``(holds, facts)``; raises :class:`NodeMissing` naming a node the graph lacks."""
        facts: dict[str, object] = {}
        value = _Evaluator(graph, facts).eval(self.tree)
        return bool(value), list(facts.items())


def parse_condition(text: str) -> Condition:
    """Read ``text``; :class:`~nnsim.core.expressions.ExpressionError` says what is wrong and where."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("the condition is empty")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the condition is {len(text)} characters long; at most {MAX_LENGTH} are allowed")
    text = text.strip()
    return Condition(text, _Parser(text).condition())


class _Parser:
    """Recursive descent over :func:`~nnsim.core.expressions.scan`'s tokens into a tree of tuples:
    ``("num", x)``, ``("word", w)``, ``("call", function, args)`` (node names as strings for the node
    functions, trees for the others), ``("neg", e)``, ``("arith", e, [(op, e), …])``, ``("not", e, count)``,
    ``("compare", e, [(op, e), …])``, ``("and", [e, …])``, ``("or", [e, …])``.

    Every rule of the language is checked here, before anything is evaluated; words may not take part in
    arithmetic. Runs of signs, of ``not`` and of operators are loops, so only parentheses nest calls, six
    per level, and at most MAX_NESTING levels."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = scan(text, _TOKEN, skip=("space", "newline"))
        self.one_line = "\n" not in text
        self.i = 0
        self.depth = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def is_op(self, *texts: str, offset: int = 0) -> bool:
        tok = self.tokens[min(self.i + offset, len(self.tokens) - 1)]
        return tok.kind == "op" and tok.text in texts

    def is_keyword(self, word: str) -> bool:
        return self.tok.kind == "name" and self.tok.text == word

    def at(self, tok: Token) -> str:
        return f"column {tok.col}" if self.one_line else tok.where()

    def fail(self, problem: str, tok: Token | None = None):
        """A rule of the language broken, at ``tok`` (the present token by default)."""
        raise ExpressionError(f"{self.at(tok or self.tok)} of {self.text!r}: {problem}")

    def unexpected(self, expected: str):
        """The grammar cannot go on at the present token: say what it wanted, or which rule the token breaks."""
        tok = self.tok
        if tok.kind == "bad":
            if tok.text in ("'", '"'):
                self.fail(f"the quoted word starting here has no closing {tok.text} on its line")
            if tok.text == "!":
                self.fail("'!' is not part of the condition language (write 'not', or '!=' for 'not equal')")
            self.fail(f"{tok.text!r} is not part of the condition language")
        if tok.kind == "op" and tok.text == "~":
            self.fail("only unary minus and 'not' are allowed")
        if tok.kind == "op" and tok.text in _OTHER_OPS:
            self.fail(f"{tok.text!r}: only + − * / are allowed")
        if tok.kind == "op" and tok.text == "=":
            self.fail("'=' alone does not compare; write '=='")
        raise ExpressionError(f"{self.at(tok)}: cannot read {self.text!r} (expected {expected}, "
                              f"found {tok.describe()})")

    def number(self, node: tuple, start: Token) -> tuple:
        """``node``, which began at ``start``, checked to be a number."""
        if _is_word(node):
            self.fail("a word cannot take part in arithmetic; compare it with == or !=", start)
        return node

    # ----- the grammar, loosest first ----------------------------------------------------------------
    def condition(self) -> tuple:
        node = self.disjunction()
        if self.tok.kind != "end":
            if self.is_op(")"):
                self.fail("')' without a matching '('")
            if self.is_op(","):
                self.fail("',' outside a function's parentheses")
            self.unexpected("an operator, a comparison, 'and', 'or' or the end")
        return node

    def disjunction(self) -> tuple:
        parts = [self.conjunction()]
        while self.is_keyword("or"):
            self.i += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def conjunction(self) -> tuple:
        """``not``-runs and ``and``-chains: ``not`` binds tighter than ``and`` and looser than comparisons."""
        parts = []
        while True:
            nots = 0
            while self.is_keyword("not"):
                nots += 1
                self.i += 1
            node = self.comparison()
            parts.append(("not", node, nots) if nots else node)
            if not self.is_keyword("and"):
                break
            self.i += 1
        return parts[0] if len(parts) == 1 else ("and", parts)

    def comparison(self) -> tuple:
        first = self.sum()
        chain = []
        while self.is_op(*_COMPARE):
            op = self.tok.text
            self.i += 1
            chain.append((op, self.sum()))
        return ("compare", first, chain) if chain else first

    def sum(self) -> tuple:
        start = self.tok
        first = self.product()
        rest = []
        while self.is_op("+", "-"):
            op = self.tok.text
            self.i += 1
            operand = self.tok
            rest.append((op, self.number(self.product(), operand)))
        if not rest:
            return first
        return ("arith", self.number(first, start), rest)

    def product(self) -> tuple:
        """Products of signed operands; a run of signs is counted, not nested."""
        parts = []
        op = None
        while True:
            start = self.tok
            signs = minus = 0
            while self.is_op("+", "-"):
                signs += 1
                minus += self.tok.text == "-"
                self.i += 1
            node = self.atom()
            if signs:
                node = self.number(node, start)
                node = ("neg", node) if minus % 2 else node
            parts.append((op, node, start))
            if not self.is_op("*", "/"):
                break
            op = self.tok.text
            self.i += 1
        if len(parts) == 1:
            return parts[0][1]
        first = self.number(parts[0][1], parts[0][2])
        return ("arith", first, [(op, self.number(node, start)) for op, node, start in parts[1:]])

    def atom(self) -> tuple:
        tok = self.tok
        if tok.kind == "number":
            self.i += 1
            return ("num", float(tok.text))
        if tok.kind == "word":
            self.i += 1
            return ("word", tok.text[1:-1])
        if tok.kind == "name" and tok.text not in _KEYWORDS:
            if self.is_op("(", offset=1):
                return self.call()
            if tok.text in ("True", "False", "None"):
                self.fail(f"{tok.text} is not a number or a quoted name")
            before = self.tokens[self.i - 1] if self.i else None
            if before is not None and before.kind == "op" and before.text in ("==", "!="):
                self.fail(f"{tok.text!r} on its own means nothing here; did you mean \"{tok.text}\" (quoted)?")
            self.fail(f"{tok.text!r} on its own means nothing here; did you mean bias({tok.text})?")
        if self.is_op("("):
            self.open()
            node = self.disjunction()
            self.close(tok)
            return node
        self.unexpected(_OPERAND)

    def open(self):
        if self.depth >= MAX_NESTING:
            self.fail(f"the condition is nested too deeply (more than {MAX_NESTING} levels of parentheses)")
        self.depth += 1
        self.i += 1

    def close(self, opening: Token):
        self.depth -= 1
        if not self.is_op(")"):
            self.unexpected(f"')' to close the '(' at {self.at(opening)}")
        self.i += 1

    def call(self) -> tuple:
        name = self.tok
        fn = name.text
        if fn not in FUNCTIONS:
            self.fail(f"unknown function {fn!r} (known: {', '.join(FUNCTIONS)})")
        self.i += 1
        opening = self.tok
        self.open()
        args: list = []
        while not self.is_op(")") and self.tok.kind != "end":
            start = self.tok
            if start.kind == "name" and self.is_op("=", offset=1):
                self.fail("functions take no keyword arguments")
            if fn in _NODE_ARGS:
                if start.kind == "bad":
                    self.unexpected("a node name")
                if start.kind not in ("name", "word"):
                    self.fail(f"{fn}() takes node names", start)
                self.i += 1
                if not (self.is_op(",", ")") or self.tok.kind == "end"):
                    self.fail(f"{fn}() takes node names (quote a name with spaces or signs)", start)
                args.append(start.text[1:-1] if start.kind == "word" else start.text)
            else:
                args.append(self.number(self.disjunction(), start))
            if not self.is_op(","):
                break
            self.i += 1
        self.close(opening)
        low, high = FUNCTIONS[fn]
        if len(args) < low or (high is not None and len(args) > high):
            want = f"{low} argument{'s' if low != 1 else ''}"
            self.fail(f"{fn}() takes {want if low == high else 'at least ' + want}, not {len(args)}", name)
        return ("call", fn, args)


class _Evaluator:
    def __init__(self, graph: Graph, facts: dict):
        self.graph = graph
        self.facts = facts

    def node(self, name: str):
        try:
            return self.graph.find(name)
        except KeyError:
            raise NodeMissing(name) from None

    def call(self, fn: str, args: list):
        if fn in ("abs", "min", "max"):
            return {"abs": abs, "min": min, "max": max}[fn](*[self.eval(a) for a in args])
        if fn == "base":
            value, label = self.graph.sigmoid_base, "base()"
        elif fn == "neurons":
            value, label = len(self.graph.neurons()), "neurons()"
        elif fn == "wires":
            value, label = len(self.graph.wires), "wires()"
        elif fn == "weight":
            a, b = self.node(args[0]), self.node(args[1])
            wire = self.graph.wire_between(a.id, b.id)
            value, label = (wire.weight if wire else 0.0), f"weight({a.name}, {b.name})"
        else:
            n = self.node(args[0])
            value = {"bias": n.bias, "threshold": -n.bias, "activation": n.activation}[fn]
            label = f"{fn}({n.name})"
        self.facts[label] = value
        return value

    def eval(self, node: tuple):
        kind = node[0]
        if kind in ("num", "word"):
            return node[1]
        if kind == "call":
            return self.call(node[1], node[2])
        if kind == "neg":
            return -self.eval(node[1])
        if kind == "arith":
            value = self.eval(node[1])
            for op, right in node[2]:
                value = _ARITHMETIC[op](value, self.eval(right))
            return value
        if kind == "not":
            value = self.eval(node[1])
            for _ in range(node[2]):
                value = not value
            return value
        if kind in ("and", "or"):
            values = [self.eval(v) for v in node[1]]  # all of them, so every fact is reported
            return all(values) if kind == "and" else any(values)
        left = self.eval(node[1])  # "compare"
        ok = True
        for op, right_node in node[2]:
            right = self.eval(right_node)
            if op == "==":
                ok &= _close(left, right)
            elif op == "!=":
                ok &= not _close(left, right)
            elif isinstance(left, str) or isinstance(right, str):
                ok = False
            else:
                ok &= {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]
            left = right
        return ok
