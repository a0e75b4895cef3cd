"""Every edit's revert restores the document exactly (order of nodes and wires included)."""

from hypothesis import given, strategies as st

from nnsim.core.circuit import edits
from nnsim.core.circuit.graph import Node, Wire
from nnsim.core.circuit.random_graph import random_feedforward


def _edit_for(g, choice: int, pick: int, value: float):
    nodes, wires = list(g.nodes), list(g.wires)
    neurons = [n.id for n in g.neurons()]
    kind = choice % 9
    if kind == 0:
        return edits.AddNode(Node(g.new_id("n"), label="new", bias=value), index=pick % (len(nodes) + 1))
    if kind == 1 and nodes:
        return edits.RemoveNode(nodes[pick % len(nodes)])
    if kind == 2 and wires:
        return edits.RemoveWire(wires[pick % len(wires)])
    if kind == 3 and wires:
        return edits.SetWeight(wires[pick % len(wires)], value)
    if kind == 4 and neurons:
        return edits.SetNode(neurons[pick % len(neurons)], {"bias": value, "activation": "tanh"})
    if kind == 5 and nodes:
        n = nodes[pick % len(nodes)]
        old = (g.nodes[n].x, g.nodes[n].y)
        return edits.MoveNodes({n: (old, (value, -value))})
    if kind == 6 and nodes and neurons:
        src, dst = nodes[pick % len(nodes)], neurons[(pick // 7) % len(neurons)]
        if g.wire_between(src, dst) is None:
            return edits.AddWire(Wire(g.new_id("w"), src, dst, value))
    if kind == 7:
        return edits.SetSetting("sigmoid_base", 1.5 + abs(value))
    if kind == 8 and nodes:
        return edits.remove_selection(g, nodes[: 1 + pick % 3], wires[: pick % 2])
    return None


@given(seed=st.integers(0, 10_000),
       steps=st.lists(st.tuples(st.integers(0, 8), st.integers(0, 1000), st.floats(-5, 5)), min_size=1, max_size=12))
def test_each_edit_reverts_exactly_and_undo_all_restores(seed, steps):
    g = random_feedforward(3, 6, seed=seed)
    start = g.snapshot()
    done = []
    for choice, pick, value in steps:
        edit = _edit_for(g, choice, pick, value)
        if edit is None:
            continue
        before = g.snapshot()
        edit.apply(g)
        edit.revert(g)
        assert g.snapshot() == before, edit
        edit.apply(g)
        done.append(edit)
    for edit in reversed(done):
        edit.revert(g)
    assert g.snapshot() == start


def test_compound_edit_rolls_back_if_a_part_fails():
    g = random_feedforward(2, 3, seed=1)
    before = g.snapshot()
    bad = edits.Compound([edits.SetWeight(next(iter(g.wires)), 9.0), edits.RemoveNode("missing")])
    try:
        bad.apply(g)
    except KeyError:
        pass
    assert g.snapshot() == before
