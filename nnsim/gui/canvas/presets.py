"""What the palette offers: single nodes and ready-made NAND circuits, each as a small graph fragment.

A fragment is a :class:`~nnsim.core.circuit.graph.Graph` whose positions are relative to the point where it is
dropped. Gate presets come from :mod:`nnsim.core.logic` (built from NAND perceptrons) when that module is
installed; they carry their expected truth table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from nnsim.core import logic
from nnsim.core.circuit.graph import Graph


@dataclass(frozen=True)
class Preset:
    """A palette entry: ``key`` (stable name), ``title`` (shown), ``group``, ``tip`` and ``make()`` →
    fragment graph."""

    key: str
    title: str
    group: str
    tip: str
    make: Callable[[], Graph]


def _single_input() -> Graph:
    g = Graph("input")
    g.add_input("", 0.0, id="x1")
    return g


def _single_neuron(activation: str, bias: float = 0.0, label: str = "") -> Callable[[], Graph]:
    def make() -> Graph:
        g = Graph(activation)
        g.add_neuron(label, activation, bias=bias, id="n1")
        return g
    return make


def _centre(g: Graph) -> Graph:
    """Shift a generated circuit so that its bounding box is centred on (0, 0)."""
    if not g.nodes:
        return g
    xs = [n.x for n in g.nodes.values()]
    ys = [n.y for n in g.nodes.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    for n in g.nodes.values():
        n.x, n.y = n.x - cx, n.y - cy
    return g


def _logic(name: str) -> Callable[[], Graph]:
    def make() -> Graph:
        return _centre(logic.build(name))
    return make


NEURONS = "Inputs and neurons"
GATES = "NAND circuits"


def presets() -> list[Preset]:
    """Every palette entry, in palette order."""
    items = [
        Preset("input", "Input", NEURONS, "An input: click it to switch between 0 and 1", _single_input),
        Preset("perceptron", "Perceptron", NEURONS, "A step neuron: output 1 when w·x + b > 0, else 0",
               _single_neuron("step")),
        Preset("sigmoid", "Sigmoid neuron", NEURONS, "σ(w·x + b) = 1 / (1 + e^−(w·x + b))",
               _single_neuron("sigmoid")),
        Preset("nand-neuron", "NAND perceptron", NEURONS,
               "A perceptron with bias 3; wires into it start at weight −2", _single_neuron("step", 3.0, "NAND")),
        Preset("tanh", "tanh neuron", NEURONS, "tanh(w·x + b), between −1 and 1", _single_neuron("tanh")),
        Preset("relu", "ReLU neuron", NEURONS, "max(0, w·x + b)", _single_neuron("relu")),
        Preset("linear", "Linear neuron", NEURONS, "w·x + b, unchanged", _single_neuron("linear")),
        Preset("softplus", "Softplus neuron", NEURONS, "log(1 + e^(w·x + b))", _single_neuron("softplus")),
    ]
    for key, title, tip in [
        ("nand", "NAND gate", "One perceptron: w = −2, −2, b = 3"),
        ("and", "AND gate", "NAND followed by NOT"),
        ("or", "OR gate", "NOT on each input, then NAND"),
        ("not", "NOT gate", "A NAND with both inputs tied together"),
        ("xor", "XOR gate", "Four NAND perceptrons"),
        ("half-adder", "Half adder", "The book's adder of two bits: sum and carry"),
        ("full-adder", "Full adder", "Adds two bits and a carry in"),
    ]:
        items.append(Preset(key, title, GATES, tip, _logic(key)))
    return items


def find(key: str) -> Preset:
    for p in presets():
        if p.key == key:
            return p
    raise KeyError(f"no palette entry {key!r}")
