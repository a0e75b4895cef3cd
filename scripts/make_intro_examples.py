"""Regenerate the introductory examples in resources/examples/: the book's first three networks.

    python scripts/make_intro_examples.py
"""

from __future__ import annotations

from nnsim.core.circuit.compile import compile_graph
from nnsim.core.circuit.graph import ExpectedTable, Graph
from nnsim.io.fileformat import save_graph
from nnsim.paths import examples_dir


def with_expected(g: Graph) -> Graph:
    c = compile_graph(g)
    _, O = c.truth_table()
    g.expected = ExpectedTable([c.labels[i] for i in c.input_ids], [c.labels[o] for o in c.output_ids],
                               [[round(float(v), 6) for v in row] for row in O])
    return g


def decision(activation: str, name: str, description: str) -> Graph:
    """The book's 'cheese festival' perceptron: weather (6), partner (2), transit (2), threshold 5."""
    g = Graph(name)
    g.description = description
    g.add_input("weather", x=0, y=0, id="weather")
    g.add_input("partner", x=0, y=100, id="partner")
    g.add_input("transit", x=0, y=200, id="transit")
    g.add_neuron("go", activation=activation, bias=-5, x=240, y=100, id="go")
    for src, w in (("weather", 6), ("partner", 2), ("transit", 2)):
        g.connect(src, "go", w, id=f"w_{src}")
    return with_expected(g)


def nand() -> Graph:
    g = Graph("NAND perceptron")
    g.description = ("One perceptron with weights -2, -2 and bias 3 computes NAND: "
                     "its output is 0 only when both inputs are 1.")
    g.add_input("x1", x=0, y=0, id="x1")
    g.add_input("x2", x=0, y=120, id="x2")
    g.add_neuron("out", bias=3, x=220, y=60, id="out")
    g.connect("x1", "out", -2, id="w1")
    g.connect("x2", "out", -2, id="w2")
    return with_expected(g)


def main() -> None:
    out = examples_dir()
    save_graph(nand(), out / "nand.json")
    save_graph(decision("step", "A perceptron decides",
                        "Go to the cheese festival? The weather matters most (weight 6); your partner and "
                        "public transit matter less (weight 2 each); the threshold is 5, so bias -5."),
               out / "perceptron-decision.json")
    save_graph(decision("sigmoid", "A sigmoid neuron decides",
                        "The same decision made by a sigmoid neuron: the output is a number between 0 and 1, "
                        "sigma(w.x + b), that changes smoothly with every weight."),
               out / "sigmoid-neuron.json")


if __name__ == "__main__":
    main()
