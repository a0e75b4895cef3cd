"""Boolean expressions → truth tables, e.g. ``s = a ^ b ^ cin; cout = a & b | cin & (a ^ b)``.

Statements ``name = expr`` are separated by ``;`` or new lines; each names an output, and a later statement
may use an earlier output's name (its value is substituted). A single statement may leave out the name
(the output is then called ``out``). Every other name is an input, in order of first appearance.

Operators, loosest first (as in C and Python): ``|`` or, ``^`` xor, ``&`` and, then the prefix ``~`` or ``!``
not; parentheses group; ``0`` and ``1`` are constants. ``#`` starts a comment to the end of the line.
Mistakes raise :class:`ExpressionError` naming the line and column.
"""

from __future__ import annotations

import re

import numpy as np

from nnsim.core.circuit.compile import MAX_TABLE_INPUTS, binary_rows
from nnsim.core.expressions import MAX_NESTING, ExpressionError, Token, scan
from nnsim.core.logic.truthtable import TruthTable

#: Longest expression text accepted: parsing time grows with the text, and a longer table belongs in a file.
MAX_TEXT = 100_000
#: Most (operation × table row) steps an evaluation may take, so a typed expression cannot keep the program
#: busy for long.
MAX_WORK = 1 << 30


_TOKEN = re.compile(r"(?P<space>[ \t\r]+)|(?P<comment>#[^\n]*)|(?P<newline>\n)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
                    r"|(?P<const>[0-9]+)|(?P<op>[&|^~!()=;])")


def tokenize(text: str) -> list[Token]:
    """Tokens with 1-based line and column (:func:`~nnsim.core.expressions.scan`); ``;`` and new lines
    outside parentheses separate statements (kind ``"sep"``), new lines inside them are plain space."""
    tokens: list[Token] = []
    depth = 0
    for tok in scan(text, _TOKEN):
        if tok.kind == "bad":
            raise ExpressionError(f"{tok.where()}: unexpected character {tok.text!r}")
        if tok.kind == "newline":
            if depth == 0:
                tokens.append(Token("sep", "newline", tok.line, tok.col))
        elif tok.kind == "const" and tok.text not in ("0", "1"):
            raise ExpressionError(f"{tok.where()}: {tok.text!r} is not a constant (use 0 or 1)")
        elif tok.kind == "op":
            depth = max(depth + {"(": 1, ")": -1}.get(tok.text, 0), 0)
            tokens.append(Token("sep", ";", tok.line, tok.col) if tok.text == ";" else tok)
        else:
            tokens.append(Token(tok.kind, "end of text", tok.line, tok.col) if tok.kind == "end" else tok)
    return tokens


class _Parser:
    """Recursive descent over the tokens; expressions become nested tuples ``("or", l, r)``, ``("not", e)``,
    ``("var", name)``, ``("const", 0|1)``."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.i = 0
        self.depth = 0  # parentheses open around the present token

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def fail(self, problem: str, tok: Token | None = None):
        tok = tok or self.tok
        raise ExpressionError(f"{tok.where()}: {problem}")

    def describe(self, tok: Token) -> str:
        return "the end of the text" if tok.kind == "end" else (
            "the end of the line" if tok.text == "newline" else repr(tok.text))

    def statements(self) -> list[tuple[Token | None, tuple]]:
        out = []
        while self.tok.kind != "end":
            if self.tok.kind == "sep":
                self.i += 1
                continue
            name = None
            if self.tok.kind == "name" and self.tokens[self.i + 1].text == "=":
                name = self.tok
                self.i += 2
            elif self.tok.text == "=":
                self.fail("'=' needs an output name on its left")
            expr = self.expr()
            if self.tok.kind not in ("sep", "end"):
                if self.tok.text == ")":
                    self.fail("')' without a matching '('")
                self.fail(f"expected an operator (& | ^) or the end of the statement, found {self.describe(self.tok)}")
            out.append((name, expr))
        return out

    def _binary(self, op: str, name: str, sub):
        left = sub()
        while self.tok.text == op:
            self.i += 1
            left = (name, left, sub())
        return left

    def expr(self):
        return self._binary("|", "or", self.xor)

    def xor(self):
        return self._binary("^", "xor", self.and_)

    def and_(self):
        return self._binary("&", "and", self.unary)

    def unary(self):
        nots = 0
        while self.tok.text in ("~", "!"):  # a loop, not recursion: 100,000 '~' in a row are fine
            self.i += 1
            nots += 1
        expr = self.atom()
        for _ in range(nots):
            expr = ("not", expr)
        return expr

    def atom(self):
        tok = self.tok
        if tok.kind == "name":
            self.i += 1
            return ("var", tok.text, tok)
        if tok.kind == "const":
            self.i += 1
            return ("const", int(tok.text))
        if tok.text == "(":
            if self.depth >= MAX_NESTING:
                self.fail(f"parentheses nested deeper than {MAX_NESTING} levels; split the expression into "
                          "named statements (name = expression), one per line")
            self.i += 1
            self.depth += 1
            inner = self.expr()
            self.depth -= 1
            if self.tok.text != ")":
                self.fail(f"expected ')' to close the '(' at {tok.where()}, found {self.describe(self.tok)}")
            self.i += 1
            return inner
        self.fail(f"expected a name, 0, 1, '~' or '(', found {self.describe(tok)}")


def _inline(expr, defined: dict, inputs: list[str], used_at: dict):
    """Replace names of earlier outputs by their expressions (shared, not copied: the result is a DAG);
    collect inputs in order of appearance. Iterative, so a chain of 500,000 operators is fine."""
    done: dict[int, tuple] = {}
    stack = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        kind = node[0]
        if kind == "var":
            name, tok = node[1], node[2]
            if name in defined:
                done[id(node)] = defined[name]
                continue
            if name not in inputs:
                inputs.append(name)
                used_at[name] = tok
            done[id(node)] = ("var", name)
        elif kind == "const":
            done[id(node)] = node
        elif ready:
            done[id(node)] = (kind,) + tuple(done[id(e)] for e in node[1:])
        else:
            stack.append((node, True))
            stack.extend((e, False) for e in reversed(node[1:]))  # left operand first: input order
    return done[id(expr)]


_BINARY = {"and": np.logical_and, "or": np.logical_or, "xor": np.logical_xor}


def _evaluate_all(exprs: list, columns: dict[str, np.ndarray], n_rows: int) -> list[np.ndarray]:
    """The value columns (n_rows,) bool of ``exprs``, each shared sub-expression computed once (the
    expressions form a DAG: an output used twice later is one object), without recursion. A column is
    dropped as soon as the last expression that reads it has been computed."""
    order, readers, seen = [], {}, set()
    for root in exprs:  # post-order over the DAG, each node once
        stack = [(root, False)]
        while stack:
            node, ready = stack.pop()
            if ready:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            if node[0] not in ("var", "const"):
                for child in node[1:]:
                    readers[id(child)] = readers.get(id(child), 0) + 1
                    stack.append((child, False))
    if len(order) * n_rows > MAX_WORK:
        raise ExpressionError(f"line 1, column 1: {len(order):,} distinct operations over {n_rows:,} table rows "
                              f"is more work than the {MAX_WORK:,} steps allowed; use fewer inputs or operations")
    keep = {id(e) for e in exprs}
    values: dict[int, np.ndarray] = {}
    for node in order:
        kind = node[0]
        if kind == "var":
            value = columns[node[1]]
        elif kind == "const":
            value = np.full(n_rows, bool(node[1]))
        else:
            args = [values[id(child)] for child in node[1:]]
            value = ~args[0] if kind == "not" else _BINARY[kind](args[0], args[1])
            for child in node[1:]:
                readers[id(child)] -= 1
                if readers[id(child)] == 0 and id(child) not in keep:
                    del values[id(child)]
        values[id(node)] = value
    return [values[id(e)] for e in exprs]


def parse_expression(text: str, max_inputs: int = MAX_TABLE_INPUTS) -> TruthTable:
    """The truth table (0/1 integers) of the statements in ``text``; see the module docstring."""
    if len(text) > MAX_TEXT:
        raise ExpressionError(f"line 1, column 1: the expression is {len(text):,} characters long, more than the "
                              f"{MAX_TEXT:,} accepted; give a truth table file instead")
    statements = _Parser(tokenize(text)).statements()
    if not statements:
        raise ExpressionError("line 1, column 1: the expression is empty")
    if any(name is None for name, _ in statements) and len(statements) > 1:
        tok = next(t for t in tokenize(text) if t.kind not in ("sep",))
        raise ExpressionError(f"{tok.where()}: with several statements, give each a name: name = expression")
    defined: dict[str, tuple] = {}
    outputs: list[str] = []
    inputs: list[str] = []
    used_at: dict[str, Token] = {}
    for name_tok, expr in statements:
        expr = _inline(expr, defined, inputs, used_at)
        name = name_tok.text if name_tok is not None else "out"
        if name in defined:
            raise ExpressionError(f"{name_tok.where()}: output {name!r} is defined twice")
        if name in inputs:
            raise ExpressionError(f"{name_tok.where()}: {name!r} is defined here but already used as an input at "
                                  f"{used_at[name].where()}; define it before using it")
        defined[name] = expr
        outputs.append(name)
    if not inputs:
        raise ExpressionError("line 1, column 1: the expression uses no input names, so there is no table to "
                              "build (use at least one name such as a)")
    if len(inputs) > max_inputs:
        tok = used_at[inputs[max_inputs]]
        raise ExpressionError(f"{tok.where()}: {len(inputs)} inputs, but at most {max_inputs} are allowed")
    X = binary_rows(len(inputs)).astype(bool)
    columns = {name: X[:, i] for i, name in enumerate(inputs)}
    rows = np.stack(_evaluate_all([defined[o] for o in outputs], columns, len(X)), axis=1).astype(np.int64)
    return TruthTable(inputs, outputs, rows)
