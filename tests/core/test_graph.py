"""The graph document: validation, events, automatic outputs, lookups."""

import pytest

from nnsim.core.circuit.order import has_loop
from nnsim.core.circuit.graph import Graph, Node, Wire




def test_outputs_default_to_neurons_no_wire_leaves(nand):
    g = nand
    g.add_neuron("hidden", id="h")
    g.connect("h", "n1", 1.0)
    assert [n.id for n in g.outputs()] == ["n1"]
    g.set_node("h", output=True)
    assert [n.id for n in g.outputs()] == ["n1", "h"]
    g.set_node("n1", output=False)
    assert [n.id for n in g.outputs()] == ["h"]


def test_events_fire_for_every_change(nand):
    g = nand
    seen = []

    class View:
        def on(self, *args):
            seen.append(args)

    v = View()
    for sig in (g.node_added, g.node_removed, g.wire_added, g.wire_removed, g.node_changed, g.wire_changed):
        sig.connect(v.on)
    g.add_neuron("extra", id="e")
    g.connect("x1", "e", 1.0, id="w9")
    g.set_weight("w9", 2.5)
    g.set_node("e", bias=1.0)
    g.remove_node("e")
    assert seen == [("e",), ("w9",), ("w9", "weight"), ("e", "bias"), ("w9",), ("e",)]


def test_weak_listeners_are_dropped_when_the_view_goes(nand):
    g = nand

    class View:
        calls = 0

        def on(self, *args):
            View.calls += 1

    v = View()
    g.changed.connect(v.on)
    del v
    g.set_weight("w1", 1.0)
    assert View.calls == 0 and len(g.changed) == 0


@pytest.mark.parametrize("bad, message", [
    (lambda g: g.add_wire(Wire("w7", "x1", "nope", 1.0)), "missing node"),
    (lambda g: g.add_wire(Wire("w7", "n1", "x1", 1.0)), "inputs take no wires"),
    (lambda g: g.add_wire(Wire("w7", "x1", "n1", 1.0)), "already connected"),
    (lambda g: g.add_node(Node("x1")), "already used"),
    (lambda g: g.add_node(Node("q", kind="bias")), "unknown node kind"),
    (lambda g: g.add_node(Node("q", activation="sine")), "unknown activation"),
    (lambda g: g.set_weight("w1", float("nan")), "finite"),
    (lambda g: g.set_node("n1", bias="3"), "number"),
    (lambda g: g.set_node("n1", colour=3), "no field"),
    (lambda g: g.set_setting("sigmoid_base", 1.0), "above 1"),
])
def test_invalid_changes_are_refused_and_change_nothing(bad, message, nand):
    g = nand
    before = g.snapshot()
    with pytest.raises(ValueError, match=message):
        bad(g)
    assert g.snapshot() == before


def test_find_by_label_or_id_and_new_ids(nand):
    g = nand
    assert g.find("out").id == "n1" and g.find("x2").id == "x2"
    g.add_neuron("out", id="n2")
    with pytest.raises(KeyError, match="names 2 nodes"):
        g.find("out")
    assert g.new_id("n") == "n3" and g.new_id("w") == "w3"


def test_self_loop_and_cycles_are_allowed(nand):
    g = nand
    g.connect("n1", "n1", 1.0)
    assert has_loop(g)


def test_copy_and_replace_with(nand):
    g = nand
    other = Graph()
    other.replace_with(g)
    assert other.snapshot() == g.snapshot()
    c = g.copy()
    c.set_weight("w1", 5.0)
    assert g.wires["w1"].weight == -2
