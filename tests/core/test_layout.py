"""The layered left-to-right layout used for generated circuits."""

from hypothesis import given, settings, strategies as st

from nnsim.core import logic
from nnsim.core.circuit.graph import Graph
from nnsim.core.circuit.layout import DX, DY, apply_layout, layered_layout
from nnsim.core.circuit.order import levels
from nnsim.core.circuit.random_graph import random_feedforward


def _no_overlaps(pos):
    columns = {}
    for x, y in pos.values():
        columns.setdefault(x, []).append(y)
    for ys in columns.values():
        ys = sorted(ys)
        assert all(b - a >= DY - 10 for a, b in zip(ys, ys[1:]))


@settings(max_examples=30)
@given(seed=st.integers(0, 10_000), n_in=st.integers(1, 6), n=st.integers(1, 30), loops=st.integers(0, 3))
def test_every_node_placed_left_to_right_without_overlaps(seed, n_in, n, loops):
    g = random_feedforward(n_in, n, seed=seed, loops=loops)
    pos = layered_layout(g)
    assert set(pos) == set(g.nodes)
    assert all(pos[i.id][0] == 0 for i in g.inputs())
    assert all(pos[m.id][0] >= DX for m in g.neurons())
    if not loops:
        assert all(pos[w.source][0] < pos[w.target][0] for w in g.wires.values())
    _no_overlaps(pos)


def test_levels_follow_the_longest_path_and_ignore_loop_closing_wires():
    g = logic.build("sr-latch")
    lv = levels(g)
    assert lv["Sbar"] == lv["Rbar"] == 0 and {lv["Q"], lv["Qbar"]} == {1, 2}
    assert levels(logic.build("xor")) == {"a": 0, "b": 0, "n1": 1, "n2": 2, "n3": 2, "xor": 3}


def test_input_order_and_outputs_in_the_last_column():
    g = logic.build("half-adder")
    pos = layered_layout(g, input_order=["b0", "a0"])
    assert pos["b0"] == (0.0, 0.0) and pos["a0"] == (0.0, DY)
    assert pos["carry"][0] == pos["s0"][0] == max(x for x, _ in pos.values())
    assert layered_layout(g, outputs_last=False)["carry"][0] < pos["carry"][0]   # carry is one level early


def test_apply_layout_moves_nodes_through_the_graph():
    g = logic.build("xor")
    for n in g.nodes.values():
        n.x = n.y = 0.0
    moved = []
    g.node_changed.connect(lambda nid, field: moved.append((nid, field)))
    apply_layout(g)
    assert {nid for nid, _ in moved} == set(g.nodes) - {"a"}   # a stays at (0, 0)
    assert (g.nodes["xor"].x, g.nodes["b"].y) == (3 * DX, DY)


def test_empty_and_unconnected_graphs():
    assert layered_layout(Graph()) == {}
    g = Graph()
    g.add_neuron("lonely", id="lonely")
    assert layered_layout(g) == {"lonely": (DX, 0.0)}
