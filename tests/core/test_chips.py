"""Chips: definitions, instances, flattening, path ids, chip edits and their undo."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nnsim.core import logic
from nnsim.core.circuit.chip_edits import AddChip, FlattenInstance, InChip, RemoveChip, make_chip
from nnsim.core.circuit.chips import ChipDef, flatten, locate, pin_signals, uses_count
from nnsim.core.circuit.compile import compile_graph
from nnsim.core.circuit.edits import SetWeight
from nnsim.core.circuit.graph import Graph
from nnsim.core.circuit.random_graph import random_feedforward
from nnsim.core.errors import UserError
from nnsim.core.learning.teach import check_teachable, param_edits
from nnsim.core.logic import to_sigmoid


def nand_chip(doc: Graph) -> None:
    g = Graph("Nand", chips=doc.chips)
    a, b = g.add_input("a", id="a"), g.add_input("b", id="b")
    n = g.add_neuron("", bias=3, id="n1")
    g.connect(a.id, n.id, -2, id="w1")
    g.connect(b.id, n.id, -2, id="w2")
    g.add_output("out", n.id, id="out")
    doc.add_chip(ChipDef("Nand", g))


def not_chip(doc: Graph) -> None:
    g = Graph("Not", chips=doc.chips)
    x = g.add_input("in", id="in")
    c = g.add_instance("Nand", id="nand")
    g.connect_pin(x.id, c.id, target_pin="a", id="w1")
    g.connect_pin(x.id, c.id, target_pin="b", id="w2")
    g.add_output("out", c.id, "out", id="out")
    doc.add_chip(ChipDef("Not", g))


def and_doc() -> Graph:
    """AND = Not(Nand(x, y)) with two outputs: and, and the nand in between."""
    doc = Graph("and")
    nand_chip(doc)
    not_chip(doc)
    doc.add_input("x", id="x")
    doc.add_input("y", id="y")
    doc.add_instance("Nand", id="c1")
    doc.add_instance("Not", id="c2")
    doc.connect_pin("x", "c1", target_pin="a")
    doc.connect_pin("y", "c1", target_pin="b")
    doc.connect_pin("c1", "c2", source_pin="out", target_pin="in")
    doc.add_output("and", "c2", "out", id="and")
    doc.add_output("nand", "c1", "out", id="nand")
    return doc


def table(g: Graph) -> np.ndarray:
    return compile_graph(g).truth_table()[1]


# ----- flattening ---------------------------------------------------------------------------------------
def test_nested_chips_flatten_to_nand_perceptrons_with_path_ids():
    doc = and_doc()
    flat = flatten(doc)
    assert [n.id for n in flat.neurons()] == ["c1/n1", "c2/nand/n1"]
    not_wire = flat.wire_between("c1/n1", "c2/nand/n1")
    assert not_wire.weight == -4                      # NAND(in, in): two −2 wires joined, as the book's NOT
    assert table(doc).tolist() == [[0, 1], [0, 1], [0, 1], [1, 0]]
    assert logic.is_nand_only(doc)
    c = compile_graph(doc)
    assert [p.name for p in c.params] == ["w:x:c1/n1", "w:y:c1/n1", "w:c1/n1:c2/nand/n1", "b:c1/n1",
                                          "b:c2/nand/n1"]
    assert [c.labels[o] for o in c.output_ids] == ["and", "nand"]


def test_pin_signals_name_the_flat_node_behind_every_pin():
    pins = pin_signals(and_doc())
    assert pins[("c1", "a")] == "x" and pins[("c2", "in")] == "c1/n1"
    assert pins[("c2/nand", "a")] == "c1/n1" and pins[("c2", "out")] == "c2/nand/n1"


def test_locate_finds_the_definition_behind_a_path():
    doc = and_doc()
    g, chip, local = locate(doc, "c2/nand/w1")
    assert chip == "Nand" and local == "w1" and g is doc.chips["Nand"].graph
    assert locate(doc, "x")[1:] == ("", "x")
    with pytest.raises(KeyError):
        locate(doc, "c2/zz")


def test_two_outputs_may_read_one_signal_and_open_pins_read_zero():
    doc = Graph()
    nand_chip(doc)
    doc.add_input("x", id="x")
    doc.add_instance("Nand", id="c", tied={})
    doc.connect_pin("x", "c", target_pin="a")            # b is left open: reads 0, NAND(x, 0) = 1
    doc.add_output("out", "c", "out", id="o1")
    doc.add_output("copy", "c", "out", id="o2")
    assert table(doc).tolist() == [[1, 1], [1, 1]]
    doc.set_node("c", tied={"b": 1})                     # tied to 1: NAND(x, 1) = NOT x
    assert table(doc).tolist() == [[1, 1], [0, 0]]
    assert flatten(doc).nodes["c/n1"].bias == 1          # 3 + (−2)·1 folded into the bias


def test_a_chip_cannot_contain_itself():
    doc = and_doc()
    with pytest.raises(ValueError, match="contain itself.*Nand -> Not -> Nand"):
        doc.chips["Nand"].graph.add_instance("Not")
    with pytest.raises(ValueError, match="contain itself"):
        doc.chips["Not"].graph.add_instance("Not")
    with pytest.raises(ValueError, match="unknown chip 'Xor'"):
        doc.add_instance("Xor")


def test_wires_name_real_pins_and_pins_take_one_wire():
    doc = and_doc()
    doc.add_input("z", id="z")
    with pytest.raises(ValueError, match="no input pin 'q'"):
        doc.connect_pin("z", "c1", target_pin="q")
    with pytest.raises(ValueError, match="already driven"):
        doc.connect_pin("z", "c1", target_pin="a")
    with pytest.raises(ValueError, match="must name one of the output pins"):
        doc.add_output("bad", "c1")
    assert "bad" not in {n.label for n in doc.nodes.values()}     # a refused output node is not left behind
    doc.add_instance("Not", id="c3")
    with pytest.raises(ValueError, match="weight 1"):
        doc.connect_pin("z", "c3", 2.0, target_pin="in")


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), bits=st.integers(1, 8))
def test_the_chip_adder_equals_the_flat_adder_on_random_rows(seed, bits):
    rng = np.random.default_rng(seed)
    chipped, flat = compile_graph(logic.adder(bits, chips=True)), compile_graph(logic.adder(bits, chips=False))
    X = rng.integers(0, 2, size=(64, 2 * bits)).astype(float)
    assert [chipped.labels[i] for i in chipped.input_ids] == [flat.labels[i] for i in flat.input_ids]
    assert [chipped.labels[o] for o in chipped.output_ids] == [flat.labels[o] for o in flat.output_ids]
    np.testing.assert_array_equal(chipped.feedforward(X), flat.feedforward(X))
    np.testing.assert_array_equal(chipped.feedforward(X), compile_graph(flatten(logic.adder(bits, chips=True)))
                                  .feedforward(X))


def test_the_64_bit_adder_is_572_nand_perceptrons_in_64_chips():
    g = logic.adder(64, chips=True)
    flat = flatten(g)
    assert len(flat.neurons()) == 572
    assert sum(flat.nodes[w.target].kind == "neuron" for w in flat.wires.values()) == 1143
    assert uses_count(g) == {"HalfAdder": 1, "FullAdder": 63}
    assert logic.add_numbers(2 ** 64 - 1, 2 ** 63, 64) == 2 ** 64 - 1 + 2 ** 63


@pytest.mark.parametrize("bits", [2, 3, 4])
def test_the_multiplier_multiplies_every_pair(bits):
    g = logic.multiplier(bits)
    assert logic.is_nand_only(g) and len(flatten(g).neurons()) == 11 * bits ** 2 - 13 * bits
    assert logic.compare(g, g.expected) == []


def test_the_16_bit_multiplier_is_exact_on_random_pairs():
    rng = np.random.default_rng(3)
    A, B = ([int(v) for v in rng.integers(0, 2 ** 16, 300)] for _ in range(2))
    A[:2], B[:2] = [65535, 0], [65535, 65535]
    assert logic.multiply_numbers(A, B, 16) == [a * b for a, b in zip(A, B)]
    with pytest.raises(UserError, match="does not fit in 16 bits"):
        logic.multiply_numbers([2 ** 16], [1], 16)
    with pytest.raises(UserError, match="2 to 32 bits"):
        logic.multiplier(1)


# ----- edits --------------------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), data=st.data())
def test_make_chip_then_flatten_keep_the_table_and_undo_exactly(seed, data):
    g = random_feedforward(3, 7, activations=("step", "sigmoid"), seed=seed)
    before_snapshot, before = g.snapshot(), table(g)
    neurons = [n.id for n in g.neurons()]
    chosen = data.draw(st.lists(st.sampled_from(neurons), min_size=1, max_size=len(neurons), unique=True))
    make = make_chip(g, chosen, "Part")
    make.apply(g)
    assert "Part" in g.chips and len(g.instances()) == 1
    np.testing.assert_allclose(table(g), before)
    after_make = g.snapshot()
    flat = FlattenInstance(g.instances()[0].id)
    flat.apply(g)
    assert not g.instances()
    np.testing.assert_allclose(table(g), before)
    flat.revert(g)
    assert g.snapshot() == after_make
    flat.apply(g)                                        # redo replays the same steps
    flat.revert(g)
    make.revert(g)
    assert g.snapshot() == before_snapshot
    make.apply(g)
    assert g.snapshot() == after_make


def test_make_chip_refuses_an_empty_or_clashing_choice():
    g = logic.build("xor")
    with pytest.raises(UserError, match="select neurons or chips"):
        make_chip(g, [n.id for n in g.inputs()], "X").apply(g)
    make_chip(g, [g.neurons()[0].id], "X").apply(g)
    with pytest.raises(UserError, match="already exists"):
        make_chip(g, [g.neurons()[0].id], "X").apply(g)


def test_editing_a_definition_changes_every_instance_and_undoes():
    g = logic.adder(3, chips=True)
    before = table(g)
    edit = InChip("FullAdder", SetWeight("w1", 5.0))
    edit.apply(g)
    c = compile_graph(g)
    assert c.get_param(c.param("w:a1:fa1/n1")) == 5.0 and c.get_param(c.param("w:a2:fa2/n1")) == 5.0
    assert not np.array_equal(table(g), before)
    edit.revert(g)
    np.testing.assert_array_equal(table(g), before)


def test_add_and_remove_chip_edits():
    g = Graph()
    d = Graph("Nand", chips=g.chips)
    d.add_input("a")
    edit = AddChip(ChipDef("Nand", d))
    edit.apply(g)
    assert list(g.chips) == ["Nand"]
    g.add_instance("Nand", id="c")
    with pytest.raises(ValueError, match="still used"):
        RemoveChip("Nand").apply(g)
    g.remove_node("c")
    remove = RemoveChip("Nand")
    remove.apply(g)
    assert not g.chips
    remove.revert(g)
    assert list(g.chips) == ["Nand"]


def test_structure_revision_follows_edits_inside_definitions():
    g = and_doc()
    rev = g.structure_revision
    g.chips["Nand"].graph.set_node("n1", bias=1.0)
    assert g.structure_revision > rev
    assert table(g)[:, 1].tolist() == [1, 0, 0, 0]       # bias 1: the Nand chip now computes NOR


def test_teaching_writes_back_into_a_chip_used_once():
    doc = Graph()
    nand_chip(doc)
    doc.add_input("x", id="x")
    doc.add_input("y", id="y")
    doc.add_instance("Nand", id="c")
    doc.connect_pin("x", "c", target_pin="a")
    doc.connect_pin("y", "c", target_pin="b")
    doc.add_output("out", "c", "out", id="out")
    c = compile_graph(doc)
    values = c.param_vector()
    values[c.param_index[("b", "c/n1")]] = 7.0
    values[c.param_index[("w", "c/w2")]] = -1.5
    edit = param_edits(doc, c.params, values)
    edit.apply(doc)
    inside = doc.chips["Nand"].graph
    assert inside.nodes["n1"].bias == 7.0 and inside.wires["w2"].weight == -1.5
    edit.revert(doc)
    assert inside.nodes["n1"].bias == 3.0 and inside.wires["w2"].weight == -2.0
    shared = and_doc()                                   # Nand twice: its instances would need two values
    shared_graph = to_sigmoid(shared, 1.0)
    with pytest.raises(UserError, match="used more than once"):
        check_teachable(shared_graph)


def test_copy_and_replace_with_carry_the_chips():
    g = logic.adder(2, chips=True)
    c = g.copy()
    assert c.chips is not g.chips and list(c.chips) == list(g.chips)
    assert c.chips["FullAdder"].graph.chips is c.chips
    assert c.snapshot() == g.snapshot()
    other = Graph()
    other.replace_with(g)
    assert other.snapshot() == g.snapshot()
    np.testing.assert_array_equal(table(other), table(g))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), data=st.data())
def test_chips_inside_chips_keep_the_table_on_random_rows_and_undo_exactly(seed, data):
    g = random_feedforward(4, 10, activations=("step", "sigmoid"), seed=seed)
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 2, size=(16, 4)).astype(float)
    before, snap = compile_graph(g).feedforward(X), g.snapshot()
    neurons = [n.id for n in g.neurons()]
    first = data.draw(st.lists(st.sampled_from(neurons), min_size=1, max_size=5, unique=True))
    inner = make_chip(g, first, "Inner")
    inner.apply(g)
    rest = [n.id for n in g.neurons()] + [n.id for n in g.instances()]
    second = data.draw(st.lists(st.sampled_from(rest), min_size=1, max_size=len(rest), unique=True))
    outer = make_chip(g, second + [g.instances()[0].id], "Outer")
    outer.apply(g)
    assert "Inner" in {n.chip for n in g.chips["Outer"].graph.instances()} or g.instances()[0].chip == "Outer"
    c = compile_graph(g)
    np.testing.assert_allclose(c.feedforward(X), before)
    flat = flatten(g)
    np.testing.assert_allclose(compile_graph(flat).feedforward(X), before)
    assert not flat.instances() and len(flat.neurons()) == 10
    assert any(n.id.count("/") == 2 for n in flat.neurons())   # outer/inner/n: a chip inside a chip
    outer.revert(g)
    inner.revert(g)
    assert g.snapshot() == snap


def test_a_latch_of_two_nand_chips_remembers_a_bit():
    doc = Graph("latch")
    nand_chip(doc)
    doc.add_input("Sbar", value=0, id="s")
    doc.add_input("Rbar", value=1, id="r")
    doc.add_instance("Nand", id="q")
    doc.add_instance("Nand", id="qbar")
    doc.connect_pin("s", "q", target_pin="a")
    doc.connect_pin("qbar", "q", source_pin="out", target_pin="b")     # each reads the other: a loop
    doc.connect_pin("r", "qbar", target_pin="a")
    doc.connect_pin("q", "qbar", source_pin="out", target_pin="b")
    doc.add_output("Q", "q", "out", id="Q")
    run = logic.run_sequence(doc, [[0, 1], [1, 1], [1, 0], [1, 1]])
    assert run.outputs[:, 0].tolist() == [1, 1, 0, 0]


def test_flattening_a_chip_of_chips_puts_its_instances_back_one_level_up():
    g = logic.adder(3)
    before = table(g)
    make = make_chip(g, ["fa1", "fa2"], "Top2")
    make.apply(g)
    assert [n.chip for n in g.instances()] == ["HalfAdder", "Top2"]
    assert uses_count(g) == {"HalfAdder": 1, "Top2": 1, "FullAdder": 2}
    np.testing.assert_array_equal(table(g), before)
    flat = FlattenInstance("top2")
    flat.apply(g)
    assert sorted(n.chip for n in g.instances()) == ["FullAdder", "FullAdder", "HalfAdder"]
    assert {"top2.fa1", "top2.fa2"} <= set(g.nodes)
    np.testing.assert_array_equal(table(g), before)
    flat.revert(g)
    make.revert(g)
    np.testing.assert_array_equal(table(g), before)


def test_a_live_circuit_follows_a_bias_that_a_constant_pin_feeds():
    from nnsim.core.circuit.compile import LiveCircuit

    doc = Graph()
    body = Graph("Pass", chips=doc.chips)
    body.add_input("in", id="in")
    body.add_output("out", "in", id="out")                     # a chip that passes its input through
    doc.add_chip(ChipDef("Pass", body))
    doc.add_input("x", id="x")
    doc.add_instance("Pass", id="c", tied={"in": 1})            # its output is the constant 1
    doc.add_neuron("y", bias=0.5, id="y")
    doc.connect_pin("c", "y", -1.0, source_pin="out", id="w")   # folded: flat bias 0.5 − 1 = −0.5
    doc.connect("x", "y", 1.0, id="wx")
    live = LiveCircuit(doc)
    assert live.circuit.flat_graph.nodes["y"].bias == -0.5
    assert live.circuit.truth_table()[1][:, 0].tolist() == [0, 1]
    doc.set_node("y", bias=0.9)                                 # flat −0.1, not 0.9: the fold must stay
    assert live.circuit.truth_table()[1][:, 0].tolist() == [0, 1]
    doc.set_weight("w", -0.2)                                   # flat 0.9 − 0.2 = 0.7
    assert live.circuit.truth_table()[1][:, 0].tolist() == [1, 1]
