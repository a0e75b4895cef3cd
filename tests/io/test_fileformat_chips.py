"""Format version 2: chips, instances, output nodes and pins survive a save; plain documents stay version 1."""

import json

import numpy as np
from hypothesis import given, settings, strategies as st

from nnsim.core import logic
from nnsim.core.circuit.chip_edits import make_chip
from nnsim.core.circuit.compile import compile_graph
from nnsim.core.circuit.random_graph import random_feedforward
from nnsim.io import fileformat
from nnsim.io.fileformat import dumps_graph, load_graph, loads_graph, save_graph
from nnsim.paths import examples_dir


def test_a_chip_document_is_version_2_and_round_trips_byte_identically(tmp_path):
    g = logic.multiplier(3)
    g.instances()[0].tied = {}
    text = dumps_graph(g)
    doc = json.loads(text)
    assert doc["version"] == fileformat.VERSION == 2
    assert [c["name"] for c in doc["chips"]] == ["And", "HalfAdder", "FullAdder", "Adder3", "Adder2"]
    again = loads_graph(text)
    assert dumps_graph(again) == text
    assert again.snapshot() == g.snapshot()
    X = np.random.default_rng(0).integers(0, 2, (40, 6)).astype(float)
    np.testing.assert_array_equal(compile_graph(again).feedforward(X), compile_graph(g).feedforward(X))
    save_graph(again, tmp_path / "m.json")
    assert (tmp_path / "m.json").read_text(encoding="utf-8") == text


def test_tied_pins_and_pin_names_are_saved():
    g = logic.adder(2, chips=True)
    g.remove_wire([w.id for w in g.wires_into("fa1") if w.target_pin == "cin"][0])
    g.set_node("fa1", tied={"cin": 1})                  # carry in is 1: a1 + b1 + 1
    text = dumps_graph(g)
    assert '"tied": {"cin": 1}' in text and '"target_pin": "a"' in text
    again = loads_graph(text)
    assert again.nodes["fa1"].tied == {"cin": 1}
    np.testing.assert_array_equal(compile_graph(again).truth_table()[1], compile_graph(g).truth_table()[1])


def test_version_1_files_load_unchanged_and_plain_documents_stay_version_1():
    for path in sorted(examples_dir().glob("*.json")):
        text = path.read_text(encoding="utf-8")
        if json.loads(text).get("version") != 1:
            continue
        g = load_graph(path)
        assert not g.chips and dumps_graph(g) == text


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), data=st.data())
def test_random_chip_documents_round_trip(seed, data):
    g = random_feedforward(3, 8, activations=("step", "sigmoid"), seed=seed)
    neurons = [n.id for n in g.neurons()]
    chosen = data.draw(st.lists(st.sampled_from(neurons), min_size=1, max_size=len(neurons), unique=True))
    make_chip(g, chosen, "Part").apply(g)
    text = dumps_graph(g)
    again = loads_graph(text)
    assert dumps_graph(again) == text and again.snapshot() == g.snapshot()
    np.testing.assert_allclose(compile_graph(again).truth_table()[1], compile_graph(g).truth_table()[1])
