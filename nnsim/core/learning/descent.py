"""Gradient descent on a cost C(v1, v2) of two variables, as in the book's ball rolling down a valley.

Each step moves ``Δv = −η ∇C`` and the book predicts ``ΔC ≈ ∇C·Δv = −η |∇C|²``; :class:`DescentPath`
records both so the two can be compared step by step. Built-in costs: ``bowl``, ``valley`` (a long,
narrow one), ``rosenbrock`` and ``saddle``; :func:`parse_cost` turns a typed expression such as
``"v1^2 + 3*sin(v2)"`` into a cost through a small hand-written parser (never Python's ``eval``).

Noisy descent: with a small seeded data set of offsets x_i (n, 2) the cost is the average
``C(v) = 1/n Σ C(v − x_i)``; full-batch descent uses every x_i per step, mini-batch descent ``m`` of them
and online descent one, drawn from a shuffled epoch as in the book's ``SGD``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from nnsim.core.errors import UserError
from nnsim.core.expressions import MAX_NESTING, ExpressionError, Token, scan


@dataclass(frozen=True)
class Cost:
    """A cost C(v1, v2): ``f(v1, v2)`` and ``grad(v1, v2) -> (dC/dv1, dC/dv2)`` work elementwise on arrays
    of any (equal) shape. ``extent`` = (v1_min, v1_max, v2_min, v2_max) is a good window to draw;
    ``start`` a good starting point."""

    name: str
    f: Callable
    grad: Callable
    extent: tuple = (-2.0, 2.0, -2.0, 2.0)
    start: tuple = (-1.5, 1.2)
    text: str = ""

    def __call__(self, v1, v2):
        return self.f(v1, v2)

    def __repr__(self):
        return f"Cost({self.name!r}{', ' + repr(self.text) if self.text else ''})"

    def grid(self, n: int = 200, extent=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(v1, v2, C)`` on an n × n grid over ``extent``: v1 (n,), v2 (n,), C (n, n) indexed [i1, i2]."""
        x0, x1, y0, y1 = extent or self.extent
        v1 = np.linspace(x0, x1, n)
        v2 = np.linspace(y0, y1, n)
        with np.errstate(all="ignore"):
            C = np.asarray(self.f(v1[:, None], v2[None, :]), dtype=float) * np.ones((n, n))
        return v1, v2, C


def _bowl(v1, v2):
    return v1 * v1 + v2 * v2


def _bowl_grad(v1, v2):
    return 2 * v1, 2 * v2


def _valley(v1, v2):
    return 0.1 * v1 * v1 + 4 * v2 * v2


def _valley_grad(v1, v2):
    return 0.2 * v1, 8 * v2


def _rosenbrock(v1, v2):
    return (1 - v1) ** 2 + 100 * (v2 - v1 * v1) ** 2


def _rosenbrock_grad(v1, v2):
    return -2 * (1 - v1) - 400 * v1 * (v2 - v1 * v1), 200 * (v2 - v1 * v1)


def _saddle(v1, v2):
    return v1 * v1 - v2 * v2


def _saddle_grad(v1, v2):
    return 2 * v1, -2 * v2


#: The built-in costs by name.
COSTS: dict[str, Cost] = {
    c.name: c
    for c in (
        Cost("bowl", _bowl, _bowl_grad, (-2, 2, -2, 2), (-1.6, 1.3), "v1^2 + v2^2"),
        Cost("valley", _valley, _valley_grad, (-4, 4, -1.5, 1.5), (-3.5, 1.0), "0.1*v1^2 + 4*v2^2"),
        Cost("rosenbrock", _rosenbrock, _rosenbrock_grad, (-2, 2, -1, 3), (-1.5, 2.0),
             "(1 - v1)^2 + 100*(v2 - v1^2)^2"),
        Cost("saddle", _saddle, _saddle_grad, (-2, 2, -2, 2), (-1.5, 0.05), "v1^2 - v2^2"),
    )
}


def get_cost(name_or_expression: str) -> Cost:
    """A built-in cost by name, otherwise a typed expression (see :func:`parse_cost`)."""
    key = name_or_expression.strip().lower().replace(" ", "")
    return COSTS[key] if key in COSTS else parse_cost(name_or_expression)


# ----- typed expressions -----------------------------------------------------------------------------
_FUNCTIONS = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log, "sqrt": np.sqrt,
    "tanh": np.tanh, "abs": np.abs,
}
_CONSTANTS = {"pi": math.pi, "e": math.e}
_BINARY = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}
_MAX_LENGTH = 400
_MAX_NODES = 200
_TOKEN = re.compile(r"(?P<space>\s+)|(?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)"
                    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>\*\*|[-+*/^(),])")
_ALLOWED = f"use only numbers, v1, v2, pi, e, + - * / ^, parentheses and {', '.join(_FUNCTIONS)}"


def _at(tok: Token) -> str:
    return f"at column {tok.col}"


class _CostParser:
    """Recursive descent over :func:`~nnsim.core.expressions.scan`'s tokens into a postfix program, a list
    of ``("num", value)``, ``("name", token)``, ``("call", name)``, ``("neg",)`` and ``("op", symbol)``
    run on a stack by :func:`_run`. Precedence as in Python: ``+ -``, then ``* /``, then a sign, then ``^``
    (or ``**``, right to left, its exponent may carry a sign: ``-v1^2`` is −(v1²), ``2^-1`` is ½).
    Chains of signs and powers are loops, so only parentheses nest calls (at most MAX_NESTING deep)."""

    def __init__(self, text: str):
        self.tokens = scan(text, _TOKEN)
        self.i = 0
        self.depth = 0
        self.code: list[tuple] = []

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def fail(self, problem: str, tok: Token | None = None):
        tok = tok or self.tok
        if tok.kind == "bad":
            problem = f"{tok.text!r} is not allowed: {_ALLOWED}"
        raise ExpressionError(f"cannot read the cost expression {_at(tok)}: {problem}")

    def program(self) -> list[tuple]:
        self.sum()
        if self.tok.kind != "end":
            if self.tok.text == ")":
                self.fail("')' without a matching '('")
            if self.tok.text == ",":
                self.fail("',' outside a function's parentheses")
            self.fail(f"{self.tok.describe()} is not allowed here (expected an operator + - * / ^ or the end)")
        return self.code

    def sum(self):
        self.product()
        while self.tok.text in ("+", "-"):
            op = self.tok.text
            self.i += 1
            self.product()
            self.code.append(("op", op))

    def product(self):
        self.signed()
        while self.tok.text in ("*", "/"):
            op = self.tok.text
            self.i += 1
            self.signed()
            self.code.append(("op", op))

    def signs(self) -> int:
        """Skip a run of + and − signs; the number of minus signs."""
        minus = 0
        while self.tok.text in ("+", "-"):
            minus += self.tok.text == "-"
            self.i += 1
        return minus

    def signed(self):
        minus = self.signs()
        self.power()
        self.code += [("neg",)] * (minus % 2)

    def power(self):
        self.atom()
        exponent_signs = []
        while self.tok.text in ("^", "**"):
            self.i += 1
            exponent_signs.append(self.signs())
            self.atom()
        for minus in reversed(exponent_signs):  # a ^ -b ^ c is a ^ (−(b ^ c))
            self.code += [("neg",)] * (minus % 2) + [("op", "^")]

    def parenthesised(self, opening: Token, call: str | None = None):
        if self.depth >= MAX_NESTING:
            self.fail(f"parentheses nested deeper than {MAX_NESTING} levels")
        self.i += 1
        self.depth += 1
        self.sum()
        self.depth -= 1
        if call is not None and self.tok.text == ",":
            raise ExpressionError(f"{call}() takes exactly one argument ({_at(self.tok)})")
        if self.tok.text != ")":
            self.fail(f"expected ')' to close the '(' {_at(opening)}, found {self.tok.describe()}")
        self.i += 1

    def atom(self):
        tok = self.tok
        if tok.kind == "number":
            value = float(tok.text)
            if not math.isfinite(value):
                raise ExpressionError(f"the number {_at(tok)} is too large")
            self.i += 1
            self.code.append(("num", value))
        elif tok.kind == "name" and self.tokens[self.i + 1].text == "(":
            if tok.text not in _FUNCTIONS:
                raise ExpressionError(f"unknown function {tok.text!r} {_at(tok)} (known: {', '.join(_FUNCTIONS)})")
            self.i += 1
            self.parenthesised(self.tok, call=tok.text)
            self.code.append(("call", tok.text))
        elif tok.kind == "name":
            self.i += 1
            self.code.append(("name", tok))
        elif tok.text == "(":
            self.parenthesised(tok)
        else:
            self.fail(f"expected a number, v1, v2, a function or '(', found {tok.describe()}")


def _resolved(step: tuple) -> tuple:
    """A checked name step as it runs: pi and e become numbers, v1 and v2 lose their token."""
    if step[0] != "name":
        return step
    name = step[1].text
    return ("num", _CONSTANTS[name]) if name in _CONSTANTS else ("name", name)


def _run(code: list[tuple], v1, v2):
    """Run a checked postfix program on v1 and v2 (arrays of one shape, or numbers)."""
    stack = []
    for step in code:
        kind = step[0]
        if kind == "num":
            stack.append(step[1])
        elif kind == "name":
            stack.append(v1 if step[1] == "v1" else v2)
        elif kind == "call":
            stack.append(_FUNCTIONS[step[1]](stack.pop()))
        elif kind == "neg":
            stack.append(np.negative(stack.pop()))
        else:
            right, left = stack.pop(), stack.pop()
            stack.append(np.power(np.asarray(left, dtype=float), right) if step[1] == "^"
                         else _BINARY[step[1]](left, right))
    return stack[0]


def parse_cost(text: str) -> Cost:
    """A cost from a typed expression in v1 and v2, e.g. ``"v1^2 + 3*sin(v2)"``.

    Allowed: numbers, ``v1``, ``v2``, ``pi``, ``e``, ``+ - * /``, powers (``^`` or ``**``), parentheses and
    the functions sin, cos, tan, exp, log, sqrt, tanh, abs. A hand-written parser for exactly that grammar
    reads the text (:class:`_CostParser`), so no Python code can run. Gradients are central finite
    differences."""
    text = str(text).strip()
    if not text:
        raise ExpressionError("the cost expression is empty")
    if len(text) > _MAX_LENGTH:
        raise ExpressionError(f"the cost expression is too long ({len(text)} characters, at most {_MAX_LENGTH})")
    code = _CostParser(text).program()
    if len(code) > _MAX_NODES:
        raise ExpressionError("the cost expression is too complicated")
    names = [step[1] for step in code if step[0] == "name"]
    for tok in names:
        if tok.text not in ("v1", "v2") and tok.text not in _CONSTANTS:
            raise ExpressionError(f"unknown name {tok.text!r} {_at(tok)} (use v1, v2, pi, e and numbers)")
    if not any(tok.text in ("v1", "v2") for tok in names):
        raise ExpressionError(f"the cost {text!r} does not use v1 or v2")
    code = [_resolved(step) for step in code]

    def f(v1, v2):
        with np.errstate(all="ignore"):
            v1 = np.asarray(v1, dtype=float)
            v2 = np.asarray(v2, dtype=float)
            return np.asarray(_run(code, v1, v2), dtype=float) * np.ones(np.broadcast(v1, v2).shape)

    def grad(v1, v2):
        v1 = np.asarray(v1, dtype=float)
        v2 = np.asarray(v2, dtype=float)
        h1 = 1e-5 * np.maximum(1.0, np.abs(v1))
        h2 = 1e-5 * np.maximum(1.0, np.abs(v2))
        return (f(v1 + h1, v2) - f(v1 - h1, v2)) / (2 * h1), (f(v1, v2 + h2) - f(v1, v2 - h2)) / (2 * h2)

    with np.errstate(all="ignore"):
        probe = f(np.array([0.3, -0.7]), np.array([0.2, 1.1]))
    if probe.shape != (2,):
        raise ExpressionError(f"the cost {text!r} does not give one number per point")
    return Cost("expression", f, grad, (-2, 2, -2, 2), (-1.5, 1.2), text)


# ----- data sets for noisy descent -------------------------------------------------------------------
def make_dataset(n: int = 48, spread: float = 0.5, seed: int = 0) -> np.ndarray:
    """``n`` offsets x_i (n, 2) from a seeded normal distribution, shifted to mean exactly 0, so the
    averaged bowl ``1/n Σ |v − x_i|²`` has its minimum where the bowl has it."""
    if n < 1:
        raise UserError("the data set needs at least one point")
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, spread, size=(n, 2))
    return x - x.mean(axis=0)


def data_cost(cost: Cost, data: np.ndarray, v) -> float:
    """The averaged cost ``1/n Σ C(v − x_i)`` at one point ``v`` (2,). ``data``: (n, 2)."""
    v = np.asarray(v, dtype=float)
    return float(np.mean(cost.f(v[0] - data[:, 0], v[1] - data[:, 1])))


def data_grad(cost: Cost, data: np.ndarray, v) -> np.ndarray:
    """∇ of ``1/m Σ C(v − x_j)`` over the rows of ``data`` (m, 2). Shape (2,)."""
    v = np.asarray(v, dtype=float)
    g1, g2 = cost.grad(v[0] - data[:, 0], v[1] - data[:, 1])
    return np.array([np.mean(g1), np.mean(g2)])


# ----- descent ---------------------------------------------------------------------------------------
@dataclass
class DescentPath:
    """The points of a descent and what each step did.

    ``v``: (k+1, 2) positions (k steps taken); ``cost``: (k+1,) C at each; ``grad``: (k, 2) the true ∇C at
    the step's start; ``dv``: (k, 2) the move; ``dC``: (k,) the actual change of C; ``predicted``: (k,)
    ∇C·Δv; ``diverged``: the run stopped because C or v stopped being finite or ran off far away."""

    v: np.ndarray
    cost: np.ndarray
    grad: np.ndarray
    dv: np.ndarray
    dC: np.ndarray
    predicted: np.ndarray
    eta: float
    mini_batch_size: int | None = None
    diverged: bool = False
    batch_grads: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))

    @property
    def steps(self) -> int:
        return len(self.dv)

    def __repr__(self):
        mode = "batch" if self.mini_batch_size is None else f"mini-batch {self.mini_batch_size}"
        return (f"DescentPath({self.steps} steps, eta={self.eta}, {mode}, C {self.cost[0]:.4g} → "
                f"{self.cost[-1]:.4g}{', diverged' if self.diverged else ''})")


def descend(cost: Cost, start, eta: float, steps: int, *, data: np.ndarray | None = None,
            mini_batch_size: int | None = None, seed: int = 0, limit: float = 1e6) -> DescentPath:
    """Take ``steps`` steps ``Δv = −η ∇C`` from ``start`` (2,).

    Without ``data`` the gradient is exact. With ``data`` (n, 2) the cost is the average over the data set
    and each step uses the gradient of a mini-batch of ``mini_batch_size`` points (``None`` or ≥ n: the
    full batch; 1: online), drawn in order from an epoch shuffled by ``np.random.default_rng(seed)``.
    ``grad``/``predicted`` always use the true (full) gradient; ``batch_grads`` the one used to move."""
    eta = float(eta)
    if not (math.isfinite(eta) and eta > 0):
        raise UserError(f"the learning rate η must be a positive number, not {eta}")
    steps = int(steps)
    if steps < 0:
        raise UserError(f"the number of steps must be ≥ 0, not {steps}")
    v = np.array(start, dtype=float).reshape(2)
    if data is not None:
        data = np.asarray(data, dtype=float)
        n = len(data)
        m = n if mini_batch_size is None else int(mini_batch_size)
        if m < 1:
            raise UserError(f"the mini-batch size must be at least 1, not {m}")
        m = min(m, n)

        def C(p):
            return data_cost(cost, data, p)

        def full_grad(p):
            return data_grad(cost, data, p)
    else:
        m = None

        def C(p):
            return float(cost.f(p[0], p[1]))

        def full_grad(p):
            return np.array(cost.grad(p[0], p[1]), dtype=float)

    rng = np.random.default_rng(seed)
    order = np.arange(0)
    pos = 0
    vs, cs, gs, dvs, dcs, preds, bgs = [v.copy()], [C(v)], [], [], [], [], []
    diverged = not math.isfinite(cs[0])
    with np.errstate(all="ignore"):
        for _ in range(steps if not diverged else 0):
            g = full_grad(v)
            if data is not None and m < len(data):
                if pos + m > len(order):
                    order = rng.permutation(len(data))
                    pos = 0
                used = data_grad(cost, data[order[pos: pos + m]], v)
                pos += m
            else:
                used = g
            dv = -eta * used
            new = v + dv
            c_new = C(new)
            if not (np.all(np.isfinite(new)) and math.isfinite(c_new)) or np.max(np.abs(new)) > limit:
                diverged = True
                break
            gs.append(g)
            bgs.append(used)
            dvs.append(dv)
            dcs.append(c_new - cs[-1])
            preds.append(float(g @ dv))
            v = new
            vs.append(v.copy())
            cs.append(c_new)
    return DescentPath(np.array(vs), np.array(cs), np.array(gs).reshape(-1, 2), np.array(dvs).reshape(-1, 2),
                       np.array(dcs), np.array(preds), eta, m if data is not None else None, diverged,
                       np.array(bgs).reshape(-1, 2))
