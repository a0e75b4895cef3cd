"""Lessons: steps with checks that look at a student's network and answers and say, in the student's words,
whether the work is right and, when not, why.

A check is one of the fixed :data:`KINDS`, built from a lesson file's parameters by :func:`make_check`
(which rejects a badly written check with :class:`CheckError`) and run on a :class:`Work` — the student's
graph, their typed answers, and (for the MNIST kinds) a way to get the data. Running never raises for a
student's mistake: :func:`run_check` turns every problem into a failing :class:`Verdict` with a reason.

- ``table``: the truth table equals a target (names matched, any order; the one comparison,
  :func:`nnsim.core.logic.truthtable.check_expected`, with its rule for sigmoid outputs),
- ``nand_only``: every neuron is the book's NAND perceptron (:func:`nnsim.core.logic.gates.is_nand_only`),
- ``max_neurons``: at most k neurons,
- ``condition``: a condition on weights and biases (:mod:`nnsim.core.conditions`),
- ``output_at``: the output at given inputs within a tolerance,
- ``sigmoid_twin``: a sigmoid network within ε of its perceptron twin (:mod:`nnsim.core.logic.sigmoid_limit`),
- ``accuracy``: test accuracy at least x after training with given settings (:func:`~nnsim.core.learning.training.sgd`),
- ``binary_layer``: a typed 10 → 4 output layer agrees with a trained network's answers,
- ``number``: a numeric answer within a tolerance, ``choice``: a multiple-choice answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from nnsim.core import activations
from nnsim.core.circuit.chips import flatten, uses
from nnsim.core.circuit.compile import compile_graph
from nnsim.core.circuit.graph import Graph
from nnsim.core.conditions import NodeMissing, parse_condition
from nnsim.core.errors import UserError
from nnsim.core.expressions import ExpressionError
from nnsim.core.learning import encodings
from nnsim.core.learning.metrics import percent
from nnsim.core.learning.network import Network
from nnsim.core.learning.training import sgd
from nnsim.core.logic.boolexpr import parse_expression
from nnsim.core.logic.gates import NAND_BIAS, NAND_WEIGHT, NOT_WEIGHT, is_nand_only, is_nand_perceptron
from nnsim.core.logic.sigmoid_limit import scale_report, sigmoid_error
from nnsim.core.logic.truthtable import TruthTable, check_expected, format_value, run_sequence, truth_table

#: Wrong rows listed in a failing table check before "and N more".
MAX_ROWS_SHOWN = 3


class CheckError(UserError):
    """A check written wrongly in a lesson file (unknown kind, missing or bad parameter)."""


@dataclass(frozen=True)
class Verdict:
    """``passed`` and a ``reason`` written for the student (what is right, or what is wrong and where)."""

    passed: bool
    reason: str

    def __bool__(self):
        return self.passed


@dataclass(frozen=True)
class Field:
    """An answer the student types in. ``kind``: ``"number"``, ``"integer"``, ``"choice"`` (``options``) or
    ``"layer"`` (a weight matrix of ``shape`` plus one bias per row). ``minimum``/``maximum`` bound numbers."""

    name: str
    kind: str
    label: str
    options: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    default: object = None
    shape: tuple[int, int] | None = None


@dataclass
class Work:
    """What a check looks at: the student's ``graph`` and ``answers`` ({field name: value}); ``mnist``, a
    callable returning an object with ``training`` and ``test`` = ``(X (n, 784), y (n,))`` (the caller loads
    it; the core reads no files); ``stop()`` cancels a long check; ``cache`` keeps trained networks."""

    graph: Graph
    answers: dict = field(default_factory=dict)
    mnist: Callable[[], object] | None = None
    stop: Callable[[], bool] | None = None
    cache: dict = field(default_factory=dict)


def fmt(x) -> str:
    """A number as a student reads it: ``-2`` → ``−2``, ``0.7311`` → ``0.7311``."""
    if isinstance(x, str):
        return x
    x = float(x)
    text = f"{x:.4g}" if abs(x) >= 1e-4 or x == 0 else f"{x:.2e}"
    return text.replace("-", "−")


def _row_text(names, values) -> str:
    return ", ".join(f"{n} = {int(v)}" for n, v in zip(names, values))


def _letters(n: int) -> list[str]:
    return [chr(ord("a") + i) for i in range(n)]


# ----- reading a check's parameters ---------------------------------------------------------------------
class _Params:
    """A check's parameters with typed getters; every problem is a CheckError naming the key."""

    def __init__(self, kind: str, spec: dict, known: set[str]):
        self.kind = kind
        self.spec = spec
        unknown = sorted(set(spec) - known - {"kind"})
        if unknown:
            raise CheckError(f"check {kind!r}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")

    def fail(self, key: str, problem: str):
        raise CheckError(f"check {self.kind!r}: {key!r} {problem}")

    def get(self, key, default=...):
        if key not in self.spec:
            if default is ...:
                raise CheckError(f"check {self.kind!r}: missing key {key!r}")
            return default
        return self.spec[key]

    def number(self, key, default=..., low=None) -> float | None:
        v = self.get(key, default)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            self.fail(key, f"must be a number, not {v!r}")
        if low is not None and v < low:
            self.fail(key, f"must be at least {low}, not {v}")
        return float(v)

    def integer(self, key, default=..., low=None) -> int | None:
        v = self.get(key, default)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            self.fail(key, f"must be a whole number, not {v!r}")
        if low is not None and v < low:
            self.fail(key, f"must be at least {low}, not {v}")
        return v

    def text(self, key, default=...) -> str | None:
        v = self.get(key, default)
        if v is not None and not isinstance(v, str):
            self.fail(key, f"must be text, not {v!r}")
        return v


# ----- the check kinds -------------------------------------------------------------------------------
class Check:
    """One check: ``kind``, its parameters (read in ``__init__``), the answer :meth:`fields` it needs and
    :meth:`run`. ``message`` (optional in every kind) is the lesson's own words, put before the reason."""

    kind = ""
    keys: set[str] = set()
    needs_mnist = False

    def __init__(self, spec: dict):
        self.params = _Params(self.kind, spec, self.keys | {"message"})
        self.message = self.params.text("message", None)
        self.read(self.params)

    def __repr__(self):
        return f"{type(self).__name__}({self.describe()!r})"

    def read(self, p: _Params) -> None:
        pass

    def fields(self) -> list[Field]:
        return []

    def describe(self) -> str:
        """One line for ``nnsim lesson show``."""
        return self.kind

    def run(self, work: Work) -> Verdict:
        raise NotImplementedError


def _widened(table: TruthTable, inputs, p: _Params) -> TruthTable:
    """``table`` over more ``inputs`` (a superset of its own, in any order), its outputs not depending on
    the added ones: so a step can check ``s0 = a0 ^ b0`` in a circuit whose inputs are a0, a1, b0, b1."""
    if not isinstance(inputs, list) or not all(isinstance(n, str) for n in inputs):
        p.fail("inputs", "must list input names")
    missing = [n for n in table.inputs if n not in inputs]
    if missing:
        p.fail("inputs", f"leaves out {missing[0]!r}, which the expression uses")
    if list(inputs) == table.inputs:
        return table
    cols = [inputs.index(n) for n in table.inputs]

    def fn(X):
        own = X[:, cols] @ (1 << np.arange(len(cols) - 1, -1, -1))
        return table.rows[own]

    return TruthTable.from_function(list(inputs), table.outputs, fn)


class TableCheck(Check):
    """The truth table equals ``expression`` (``nnsim.core.logic.boolexpr``; ``inputs`` may add inputs it
    does not depend on) or ``inputs``/``outputs``/``rows``."""

    kind = "table"
    keys = {"expression", "inputs", "outputs", "rows"}

    def read(self, p):
        expr = p.text("expression", None)
        if expr is not None:
            try:
                table = parse_expression(expr)
            except UserError as err:
                p.fail("expression", f"cannot be read: {err}")
            self.target = _widened(table, p.get("inputs", table.inputs), p)
            self.text = expr
            return
        inputs, outputs, rows = p.get("inputs"), p.get("outputs"), p.get("rows")
        try:
            self.target = TruthTable(inputs, outputs, np.array(rows, dtype=float))
        except (ValueError, TypeError) as err:
            raise CheckError(f"check 'table': {err}") from None
        self.text = f"table of {', '.join(outputs)}"

    def describe(self):
        return f"the truth table is {self.text}"

    def run(self, work):
        graph = work.graph
        t = self.target
        mine_in = [n.name for n in graph.inputs()]
        if sorted(mine_in) != sorted(t.inputs):
            return Verdict(False, f"This exercise needs the inputs {', '.join(t.inputs)}; your network's inputs "
                                  f"are {', '.join(mine_in) or 'none'}. Add or rename inputs (double-click a name).")
        mine_out = [n.name for n in graph.outputs()]
        missing = [o for o in t.outputs if o not in mine_out]
        if missing:
            others = f" (its outputs now: {', '.join(mine_out)})" if mine_out else ""
            return Verdict(False, f"Your network has no output called {missing[0]}{others}. Name the neuron "
                                  f"that gives {missing[0]} by double-clicking it; an output is a neuron no wire "
                                  "leaves.")
        result = check_expected(graph, t)
        if result.all_match:
            return Verdict(True, f"All {len(result.X)} rows of the truth table are right.")
        lines = []
        bad = np.flatnonzero(~result.passed)
        for r in bad[:MAX_ROWS_SHOWN]:
            outs = "; ".join(f"{o} should be {format_value(result.expected[r, k])} but your network gives "
                             f"{format_value(result.actual[r, k])}"
                             for k, o in enumerate(result.outputs) if not result.ok[r, k])
            lines.append(f"When {_row_text(result.inputs, result.X[r])}: {outs}.")
        if len(bad) > MAX_ROWS_SHOWN:
            lines.append(f"… and {len(bad) - MAX_ROWS_SHOWN} more wrong rows ({len(bad)} of {len(result.X)}).")
        return Verdict(False, " ".join(lines))


def flat(graph: Graph) -> Graph:
    """The network with every chip instance replaced by its neurons (ids are paths such as ``fa3/n1``)."""
    return flatten(graph) if uses(graph) else graph


def nand_problem(graph: Graph, node_id: str) -> str | None:
    """Why a neuron is not the book's NAND perceptron, in a student's words (``None`` when it is one)."""
    if is_nand_perceptron(graph, node_id):
        return None
    n = graph.node(node_id)
    weights = [w.weight for w in graph.wires_into(node_id)]
    if n.activation != "step":
        return f"{n.name} is a {n.activation} neuron; a NAND gate is a perceptron (step)."
    if n.bias != NAND_BIAS:
        return f"{n.name} has bias {fmt(n.bias)}; a NAND perceptron has bias {fmt(NAND_BIAS)}."
    shown = ", ".join(fmt(w) for w in weights) or "no wires"
    return (f"{n.name} has incoming weights {shown}; a NAND perceptron has two wires of weight {fmt(NAND_WEIGHT)} "
            f"from two different places, or one wire of weight {fmt(NOT_WEIGHT)} when both inputs come from "
            "the same place.")


class NandOnlyCheck(Check):
    kind = "nand_only"

    def describe(self):
        return "every neuron is a NAND perceptron"

    def run(self, work):
        graph = flat(work.graph)
        if not graph.neurons():
            return Verdict(False, "There are no neurons yet: build the circuit from NAND perceptrons.")
        for n in graph.neurons():
            problem = nand_problem(graph, n.id)
            if problem:
                return Verdict(False, f"Not every neuron is a NAND perceptron: {problem}")
        assert is_nand_only(graph)
        return Verdict(True, f"All {len(graph.neurons())} neurons are NAND perceptrons.")


class MaxNeuronsCheck(Check):
    kind = "max_neurons"
    keys = {"k"}

    def read(self, p):
        self.k = p.integer("k", low=1)

    def describe(self):
        return f"at most {self.k} neurons"

    def run(self, work):
        n = len(flat(work.graph).neurons())
        if n <= self.k:
            return Verdict(True, f"{n} neuron{'s' if n != 1 else ''} (at most {self.k} allowed).")
        return Verdict(False, f"Your network has {n} neurons; this can be done with {self.k}.")


class ConditionCheck(Check):
    """``test``: a condition in :mod:`nnsim.core.conditions`; the failure lists the values it read."""

    kind = "condition"
    keys = {"test"}

    def read(self, p):
        try:
            self.condition = parse_condition(p.text("test"))
        except ExpressionError as err:
            p.fail("test", f"cannot be read: {err}")

    def describe(self):
        return f"condition {self.condition.text}"

    def run(self, work):
        try:
            holds, facts = self.condition.evaluate(work.graph)
        except NodeMissing as missing:
            return Verdict(False, f"Your network has no node called {missing.args[0]} (name it by double-clicking).")
        seen = "; ".join(f"{k} = {fmt(v)}" for k, v in facts)
        if holds:
            return Verdict(True, f"{self.condition.text} holds ({seen}).")
        return Verdict(False, f"{self.condition.text} does not hold: your network has {seen}.")


def _case(p: _Params, case, where: str) -> tuple[dict, str | None, float]:
    if not isinstance(case, dict):
        p.fail(where, "must be a table with inputs, output and value")
    inputs = case.get("inputs", {})
    if not isinstance(inputs, dict) or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                               for v in inputs.values()):
        p.fail(where, "needs inputs = {name = number, …}")
    value = case.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        p.fail(where, f"needs a number value, not {value!r}")
    output = case.get("output")
    if output is not None and not isinstance(output, str):
        p.fail(where, "output must be a name")
    extra = set(case) - {"inputs", "output", "value"}
    if extra:
        p.fail(where, f"has an unknown key {sorted(extra)[0]!r}")
    return {str(k): float(v) for k, v in inputs.items()}, output, float(value)


class OutputAtCheck(Check):
    """``cases = [{inputs = {x1 = 1}, output = "y", value = 0.5}, …]`` (or one case as top-level keys)
    and ``tolerance``. Inputs a case leaves out keep the values they have in the network."""

    kind = "output_at"
    keys = {"cases", "inputs", "output", "value", "tolerance"}

    def read(self, p):
        self.tolerance = p.number("tolerance", 1e-6, low=0)
        if "cases" in p.spec:
            cases = p.get("cases")
            if not isinstance(cases, list) or not cases:
                p.fail("cases", "must be a non-empty list")
            self.cases = [_case(p, c, f"cases[{i + 1}]") for i, c in enumerate(cases)]
        else:
            self.cases = [_case(p, {k: p.spec[k] for k in ("inputs", "output", "value") if k in p.spec}, "value")]

    def describe(self):
        return f"outputs at {len(self.cases)} input setting{'s' if len(self.cases) > 1 else ''} within ±{fmt(self.tolerance)}"

    def run(self, work):
        graph = work.graph
        circuit = compile_graph(graph)
        names = [circuit.labels[i] for i in circuit.input_ids]
        outs = [circuit.labels[o] for o in circuit.output_ids]
        if not outs:
            return Verdict(False, "Your network has no output neuron.")
        got = []
        for inputs, output, value in self.cases:
            unknown = [k for k in inputs if k not in names]
            if unknown:
                return Verdict(False, f"Your network has no input called {unknown[0]} (its inputs: "
                                      f"{', '.join(names) or 'none'}).")
            out = output or outs[0]
            if out not in outs:
                return Verdict(False, f"Your network has no output called {out} (its outputs: {', '.join(outs)}).")
            row = np.array([[inputs.get(nm, v) for nm, v in zip(names, circuit.input_values)]])
            if circuit.has_loop:
                y = run_sequence(graph, row).outputs[-1]
            else:
                y = circuit.feedforward(row)[0]
            actual = float(y[outs.index(out)])
            where = ", ".join(f"{k} = {fmt(v)}" for k, v in inputs.items()) or "the current inputs"
            if not abs(actual - value) <= self.tolerance:
                return Verdict(False, f"With {where}, {out} should be {fmt(value)} (± {fmt(self.tolerance)}) "
                                      f"but your network gives {fmt(actual)}.")
            got.append(f"{out} = {fmt(actual)} at {where}")
        return Verdict(True, "; ".join(got) + ".")


class SigmoidTwinCheck(Check):
    """Every neuron is a sigmoid neuron and the outputs differ from the same network with perceptrons (its
    twin) by at most ``epsilon`` on every row of the truth table."""

    kind = "sigmoid_twin"
    keys = {"epsilon"}

    def read(self, p):
        self.epsilon = p.number("epsilon", low=0)

    def describe(self):
        return f"sigmoid network within {fmt(self.epsilon)} of its perceptron twin"

    def run(self, work):
        graph = flat(work.graph)
        if not graph.neurons():
            return Verdict(False, "There are no neurons.")
        steps = [n.name for n in graph.neurons() if n.activation != "sigmoid"]
        if steps:
            return Verdict(False, f"{steps[0]} is not a sigmoid neuron; make every neuron a sigmoid neuron.")
        twin = graph.copy()
        for n in twin.neurons():
            n.activation = "step"
        err = float(sigmoid_error(twin, [1.0])[0])
        if err <= self.epsilon:
            return Verdict(True, f"Every output is within {fmt(err)} of the perceptrons' (allowed {fmt(self.epsilon)}).")
        mine, theirs = truth_table(graph), truth_table(twin)
        gap = np.abs(mine.rows - theirs.rows)
        r, k = np.unravel_index(np.argmax(gap), gap.shape)
        inputs = mine.input_rows()[r]
        reason = (f"Your sigmoid network is up to {fmt(err)} away from its perceptron twin (allowed "
                  f"{fmt(self.epsilon)}): when {_row_text(mine.inputs, inputs)}, {mine.outputs[k]} is "
                  f"{fmt(mine.rows[r, k])} where the perceptrons give {fmt(theirs.rows[r, k])}.")
        report = scale_report(twin)
        if report.zero_rows:
            where = _row_text(report.inputs, report.rows[report.zero_rows[0]])
            reason += (f" When {where}, {', '.join(report.zero_neurons)} has z = 0 exactly, so it outputs ½ "
                       "however large the weights are: change a bias so that z is never 0.")
        else:
            reason += " Multiply every weight and bias by a larger c."
        return Verdict(False, reason)


SETTINGS = {"eta": ("number", "learning rate η", 1e-6, 1000.0),
            "epochs": ("integer", "epochs", 1, 30),
            "mini_batch_size": ("integer", "mini-batch size", 1, 1000),
            "hidden": ("integer", "hidden neurons", 1, 100)}
_DEFAULTS = {"eta": 3.0, "epochs": 1, "mini_batch_size": 10, "hidden": 30}


class _Training:
    """Shared by the two MNIST kinds: fixed settings, the ones the student picks (``ask``), the data sizes."""

    def read_training(self, p, ask_allowed: bool):
        self.fixed = {k: (p.number(k, _DEFAULTS[k]) if SETTINGS[k][0] == "number" else p.integer(k, _DEFAULTS[k], 1))
                      for k in SETTINGS}
        self.ask = list(p.get("ask", [])) if ask_allowed else []
        for k in self.ask:
            if k not in SETTINGS:
                p.fail("ask", f"names {k!r}; the settings a student may pick are {', '.join(SETTINGS)}")
        self.limits = {k: (SETTINGS[k][2], p.number("max_" + k, SETTINGS[k][3]) if k == "epochs" else SETTINGS[k][3])
                       for k in SETTINGS}
        self.seed = p.integer("seed", 1, 0)
        self.train_images = p.integer("train_images", None, 1)
        self.test_images = p.integer("test_images", None, 1)

    def training_fields(self) -> list[Field]:
        out = []
        for k in self.ask:
            kind, label, low, _ = SETTINGS[k]
            out.append(Field(k, kind, label, minimum=low, maximum=self.limits[k][1], default=self.fixed[k]))
        return out

    def settings(self, answers: dict) -> tuple[dict | None, str]:
        """The settings to train with, or ``None`` and what is missing or out of range."""
        s = dict(self.fixed)
        for k in self.ask:
            v = answers.get(k)
            kind, label, low, _ = SETTINGS[k]
            high = self.limits[k][1]
            if v is None or isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                return None, f"Type the {label} first."
            if kind == "integer" and v != int(v):
                return None, f"The {label} must be a whole number, not {fmt(v)}."
            if not low <= v <= high:
                return None, f"The {label} must lie between {fmt(low)} and {fmt(high)}, not {fmt(v)}."
            s[k] = int(v) if kind == "integer" else float(v)
        return s, ""

    def data(self, work: Work):
        if work.mnist is None:
            raise UserError("this check trains on MNIST, but no data was given to it")
        d = work.mnist()
        (X, y), (Xt, yt) = d.training, d.test
        if self.train_images:
            X, y = X[:self.train_images], y[:self.train_images]
        if self.test_images:
            Xt, yt = Xt[:self.test_images], yt[:self.test_images]
        return (X, y), (Xt, yt)

    def train(self, work: Work, s: dict) -> tuple[Network | None, float]:
        """A seeded 784-hidden-10 network trained with settings ``s``, and its test accuracy in percent
        (``None`` when stopped)."""
        key = ("net", self.seed, self.train_images, self.test_images, tuple(sorted(s.items())))
        if key in work.cache:
            return work.cache[key]
        training, test = self.data(work)
        net = Network([training[0].shape[1], s["hidden"], 10], seed=self.seed)
        last = None
        for stats in sgd(net, training, s["epochs"], s["mini_batch_size"], s["eta"], test_data=test,
                         seed=self.seed, stop=work.stop):
            if stats.stopped:
                return None, math.nan
            if stats.epoch_end:
                last = stats
        accuracy = percent(last.test_correct, last.test_total)
        work.cache[key] = (net, accuracy)
        return net, accuracy


def _settings_text(s: dict) -> str:
    return (f"η = {fmt(s['eta'])}, {s['epochs']} epoch{'s' if s['epochs'] != 1 else ''}, mini-batch "
            f"{s['mini_batch_size']}, {s['hidden']} hidden neurons")


class AccuracyCheck(Check, _Training):
    """Train the book's network (784-``hidden``-10, seeded) with the lesson's settings and the ones the
    student picks (``ask``); pass when the test accuracy is at least ``min_accuracy`` percent."""

    kind = "accuracy"
    keys = {"min_accuracy", "ask", "seed", "train_images", "test_images", "max_epochs", *SETTINGS}
    needs_mnist = True

    def read(self, p):
        self.min_accuracy = p.number("min_accuracy", low=0)
        self.read_training(p, True)

    def fields(self):
        return self.training_fields()

    def describe(self):
        return f"test accuracy at least {fmt(self.min_accuracy)} % after training"

    def run(self, work):
        s, problem = self.settings(work.answers)
        if s is None:
            return Verdict(False, problem)
        net, accuracy = self.train(work, s)
        if net is None:
            return Verdict(False, "The check was stopped before training finished.")
        text = f"With {_settings_text(s)} the network reads {fmt(round(accuracy, 2))} % of the test images right"
        if accuracy >= self.min_accuracy:
            return Verdict(True, f"{text} (at least {fmt(self.min_accuracy)} % needed).")
        return Verdict(False, f"{text}; at least {fmt(self.min_accuracy)} % is needed.")


class BinaryLayerCheck(Check, _Training):
    """The student's 10 → 4 layer (answer ``answer``, default ``"layer"``: ``{"weights": 4 × 10, "biases": 4}``)
    put on a trained network's 10 outputs gives the network's own answer in binary on at least
    ``min_agreement`` percent of the test images."""

    kind = "binary_layer"
    keys = {"answer", "min_agreement", "seed", "train_images", "test_images", *SETTINGS}
    needs_mnist = True

    def read(self, p):
        self.answer = p.text("answer", "layer")
        self.min_agreement = p.number("min_agreement", low=0)
        self.read_training(p, False)

    def fields(self):
        return [Field(self.answer, "layer", "10 → 4 output layer", shape=(encodings.BITS, 10))]

    def describe(self):
        return f"the 4-bit output layer agrees on at least {fmt(self.min_agreement)} % of test images"

    def layer(self, value) -> tuple[np.ndarray, np.ndarray] | None:
        try:
            W = np.array(value["weights"], dtype=float)
            b = np.array(value["biases"], dtype=float)
        except (TypeError, KeyError, ValueError):
            return None
        if W.shape != (encodings.BITS, 10) or b.shape != (encodings.BITS,) or not (
                np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            return None
        return W, b

    def run(self, work):
        layer = self.layer(work.answers.get(self.answer))
        if layer is None:
            return Verdict(False, "Fill in all 40 weights (4 rows of 10) and the 4 biases of the output layer.")
        W, b = layer
        net, _ = self.train(work, dict(self.fixed))
        if net is None:
            return Verdict(False, "The check was stopped before training finished.")
        _, (Xt, _) = self.data(work)
        a = net.feedforward(Xt).astype(np.float64)          # (n, 10) the trained network's outputs
        says = np.argmax(a, axis=1)
        bits = activations.sigmoid(a @ W.T + b)               # (n, 4) the student's layer
        read = encodings.decode(bits, "binary")
        agree = percent(np.count_nonzero(read == says), len(says))
        text = f"Your layer gives the network's answer in binary on {fmt(round(agree, 2))} % of {len(says)} test images"
        if agree >= self.min_agreement:
            return Verdict(True, f"{text} (at least {fmt(self.min_agreement)} % needed).")
        wrong = np.flatnonzero(read != says)[0]
        code = "".join(str(int(v > 0.5)) for v in bits[wrong])
        return Verdict(False, f"{text}; at least {fmt(self.min_agreement)} % is needed. For example, where the "
                              f"network says {says[wrong]} (binary {says[wrong]:04b}), your layer gives {code}.")


class NumberCheck(Check):
    """The answer ``answer`` lies within ``tolerance`` of ``value``."""

    kind = "number"
    keys = {"answer", "value", "tolerance", "label"}

    def read(self, p):
        self.answer = p.text("answer")
        self.value = p.number("value")
        self.tolerance = p.number("tolerance", 0.0, low=0)
        self.label = p.text("label", "your answer")

    def fields(self):
        return [Field(self.answer, "number", self.label)]

    def describe(self):
        return f"number {self.answer} = {fmt(self.value)} ± {fmt(self.tolerance)}"

    def run(self, work):
        v = work.answers.get(self.answer)
        if v is None or isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            return Verdict(False, f"Type {self.label} as a number first.")
        if abs(v - self.value) <= self.tolerance:
            return Verdict(True, f"{fmt(v)} is right.")
        return Verdict(False, f"{fmt(v)} is too {'big' if v > self.value else 'small'}.")


class ChoiceCheck(Check):
    """The answer ``answer`` is the letter ``correct`` of ``options``; ``why`` = {letter: why it is wrong}."""

    kind = "choice"
    keys = {"answer", "options", "correct", "why", "label"}

    def read(self, p):
        self.answer = p.text("answer")
        self.options = p.get("options")
        if not isinstance(self.options, list) or len(self.options) < 2 or not all(
                isinstance(o, str) for o in self.options):
            p.fail("options", "must list at least two options as text")
        self.letters = _letters(len(self.options))
        self.correct = p.text("correct")
        if self.correct not in self.letters:
            p.fail("correct", f"must be one of {', '.join(self.letters)}, not {self.correct!r}")
        self.why = p.get("why", {})
        if not isinstance(self.why, dict) or not all(k in self.letters and isinstance(v, str)
                                                     for k, v in self.why.items()):
            p.fail("why", f"must map option letters ({', '.join(self.letters)}) to explanations")
        self.label = p.text("label", "your choice")

    def fields(self):
        return [Field(self.answer, "choice", self.label, options=tuple(self.options))]

    def describe(self):
        return f"choice {self.answer} = {self.correct}"

    def run(self, work):
        v = work.answers.get(self.answer)
        if v not in self.letters:
            return Verdict(False, "Pick one of the options first.")
        if v == self.correct:
            return Verdict(True, f"Right: {self.options[self.letters.index(v)]}")
        why = self.why.get(v, "That is not it; read the step again.")
        return Verdict(False, f"Not ({v}): {why}")


KINDS: dict[str, type[Check]] = {c.kind: c for c in (
    TableCheck, NandOnlyCheck, MaxNeuronsCheck, ConditionCheck, OutputAtCheck, SigmoidTwinCheck,
    AccuracyCheck, BinaryLayerCheck, NumberCheck, ChoiceCheck)}


def make_check(spec: dict) -> Check:
    """A check from a lesson's parameters (``{"kind": …, …}``); :class:`CheckError` when written wrongly."""
    if not isinstance(spec, dict):
        raise CheckError("a check must be a table of keys")
    kind = spec.get("kind")
    if kind not in KINDS:
        raise CheckError(f"unknown check kind {kind!r} (known: {', '.join(KINDS)})")
    return KINDS[kind](spec)


def run_check(check: Check, work: Work) -> Verdict:
    """Run one check; a problem the student caused (a loop, no outputs, …) is a failing verdict."""
    try:
        verdict = check.run(work)
    except UserError as err:
        verdict = Verdict(False, str(err)[:1].upper() + str(err)[1:] + ("" if str(err).endswith(".") else "."))
    if check.message and not verdict.passed:
        return Verdict(False, f"{check.message} {verdict.reason}")
    return verdict


# ----- lessons -------------------------------------------------------------------------------------------
@dataclass
class Step:
    """One step: ``title``, ``text`` (Markdown), ``hints`` (Markdown, shown one at a time), ``checks``;
    ``page``/``tab``: what the app shows for it (``None``: as the lesson says)."""

    title: str
    text: str
    hints: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    page: str | None = None
    tab: str | None = None
    line: int = 0


@dataclass
class Lesson:
    """A lesson: ``id``, ``title``, ``order``, ``summary``, the ``start`` graph, the ``page``/``tab`` to show
    and ``steps``. ``source`` is the file it came from."""

    id: str
    title: str
    order: int
    summary: str
    start: Graph
    steps: list[Step]
    page: str = "circuit"
    tab: str | None = None
    source: str = ""

    def __repr__(self):
        return f"Lesson({self.id!r}, {len(self.steps)} steps)"

    def checks(self) -> list[tuple[int, Check]]:
        return [(i, c) for i, s in enumerate(self.steps) for c in s.checks]

    def fields(self) -> list[Field]:
        """Every answer field of the lesson, each once, in step order."""
        seen: dict[str, Field] = {}
        for _, c in self.checks():
            for f in c.fields():
                seen.setdefault(f.name, f)
        return list(seen.values())

    @property
    def needs_mnist(self) -> bool:
        return any(c.needs_mnist for _, c in self.checks())


@dataclass(frozen=True)
class Result:
    """A check's verdict and where it sits: ``step`` (0-based) and the :class:`Check`."""

    step: int
    check: Check
    verdict: Verdict


def check_step(lesson: Lesson, step: int, work: Work) -> list[Result]:
    """Every check of one step (0-based), in order."""
    return [Result(step, c, run_check(c, work)) for c in lesson.steps[step].checks]


def check_lesson(lesson: Lesson, work: Work) -> list[Result]:
    """Every check of every step: the lesson is done when all pass."""
    return [r for i in range(len(lesson.steps)) for r in check_step(lesson, i, work)]


def step_verdict(results: list[Result]) -> Verdict:
    """One verdict for several: passed when all did; the reason of each failure (or of each success)."""
    failed = list(dict.fromkeys(r.verdict.reason for r in results if not r.verdict.passed))
    if failed:
        return Verdict(False, " ".join(failed))
    passed = dict.fromkeys(r.verdict.reason for r in results)
    return Verdict(True, " ".join(passed) or "Nothing to check here: read on.")
