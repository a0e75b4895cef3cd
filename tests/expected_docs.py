"""Two documents on which the app and ``nnsim check`` once disagreed (issue 10), shared by the core and
the panel tests of the one comparison."""

from nnsim.core import logic
from nnsim.core.circuit.graph import ExpectedTable, Graph
from nnsim.io.fileformat import load_graph
from nnsim.paths import examples_dir


def a_and_not_b() -> Graph:
    """``a AND NOT b`` as one perceptron, its expected table listing the inputs as ``b, a``."""
    g = Graph("a and not b")
    g.add_input("a", id="a")
    g.add_input("b", id="b", y=80)
    g.add_neuron("y", bias=-0.5, id="y", x=160, y=40)
    g.connect("a", "y", 1.0, id="wa")
    g.connect("b", "y", -1.0, id="wb")
    # rows in counting order of (b, a): only b=0, a=1 gives 1
    g.expected = ExpectedTable(["b", "a"], ["y"], [[0.0], [1.0], [0.0], [0.0]])
    return g


def sigmoid_xor() -> Graph:
    """The XOR example as sigmoid neurons at the smallest working scale (``nnsim convert xor.json --to
    sigmoid --min-scale``)."""
    xor = load_graph(examples_dir() / "xor.json")
    return logic.to_sigmoid(xor, logic.scale_report(xor).min_scale)
