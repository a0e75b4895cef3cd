"""The document format: round trips, byte-identical re-saves, atomic writes, and every bad file named."""

import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from nnsim.core.circuit.graph import ExpectedTable, Graph
from nnsim.core.circuit.random_graph import random_feedforward
from nnsim.io import fileformat, files
from nnsim.io.fileformat import FileFormatError, dumps_graph, load_graph, loads_graph, save_graph

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"

#: Each file in tests/data/bad/ and a piece of the message it must produce.
EXPECTED_MESSAGES = {
    "malformed.json": "malformed JSON at line 2",
    "empty.json": "malformed JSON at line 1",
    "top-level-array.json": "must be a JSON object",
    "not-nnsim.json": "not an nnsim document",
    "newer-version.json": "version 99, from a newer nnsim",
    "version-not-integer.json": "\"version\" must be an integer",
    "unknown-node-kind.json": "unknown node kind 'bias'",
    "wire-to-missing-node.json": "its target 'n9' is not a node",
    "duplicate-id.json": "node 'x1': duplicate id",
    "nan-weight.json": "NaN is not a valid number",
    "infinite-bias.json": "Infinity is not a valid number",
    "overflowing-number.json": "must be finite",
    "missing-bias.json": "missing field 'bias'",
    "unknown-activation.json": "unknown activation 'sine'",
    "wire-into-input.json": "inputs take no wires",
    "weight-not-number.json": "'weight' must be a number",
    "expected-missing-rows.json": "1 rows, but 1 inputs need 2",
    "not-utf8.json": "not a text file",
    "missing-wires.json": "missing field 'wires'",
    "chip-unknown.json": "node 'c1': uses chip 'Xor', which is not defined",
    "chip-contains-itself.json": "chip 'Loop': node 'c': chip Loop contains itself",
    "chip-bad-pin.json": "wire 'w1': chip Not has no input pin 'q'",
    "chips-in-version-1.json": "\"chips\" need version 2",
    "chip-defined-twice.json": "chip 'A': defined twice",
    "chip-tied-not-a-bit.json": "tied pin 'a' must be 0 or 1, not 2",
    "chip-node-in-version-1.json": "chip and output nodes need version 2",
}


def test_every_bad_file_has_an_expected_message():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED_MESSAGES)


@pytest.mark.parametrize("name", sorted(EXPECTED_MESSAGES))
def test_bad_file_is_refused_with_a_message_naming_it(name):
    path = BAD / name
    before = path.read_bytes()
    with pytest.raises(FileFormatError) as info:
        load_graph(path)
    message = str(info.value)
    assert message.startswith(str(path)), message
    assert EXPECTED_MESSAGES[name] in message, message
    assert path.read_bytes() == before


def test_missing_file_and_folder():
    with pytest.raises(FileFormatError, match="no such file"):
        load_graph(BAD / "nope.json")
    with pytest.raises(FileFormatError, match="is a folder"):
        load_graph(BAD)


@given(seed=st.integers(0, 100_000), n_in=st.integers(0, 4), n_neurons=st.integers(0, 8), loops=st.integers(0, 2))
def test_save_load_save_is_byte_identical(seed, n_in, n_neurons, loops):
    g = random_feedforward(n_in, n_neurons, activations=("step", "sigmoid", "relu"), seed=seed, loops=loops)
    g.sigmoid_base = 3.5
    g.description = "ünïcode ✓"
    if n_neurons:
        g.set_node(next(iter(g.neurons())).id, output=True)
    text = dumps_graph(g)
    again = loads_graph(text)
    assert again.snapshot() == g.snapshot()
    assert dumps_graph(again) == text


def test_expected_table_round_trip_and_integers_stay_integers():
    g = Graph("t")
    g.add_input("a", id="a")
    g.add_neuron("o", bias=3, id="o")
    g.connect("a", "o", -2.5, id="w")
    g.expected = ExpectedTable(["a"], ["o"], [[1.0], [1.0]])
    doc = json.loads(dumps_graph(g))
    assert doc["format"] == "nnsim" and doc["version"] == fileformat.PLAIN_VERSION   # no chips: still version 1
    assert doc["nodes"][1]["bias"] == 3 and isinstance(doc["nodes"][1]["bias"], int)
    assert doc["wires"][0]["weight"] == -2.5
    assert loads_graph(dumps_graph(g)).expected == g.expected


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path, monkeypatch):
    path = tmp_path / "net.json"
    g = random_feedforward(2, 3, seed=1)
    save_graph(g, path)
    original = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", crash)
    g.set_setting("name", "changed")
    with pytest.raises(FileFormatError, match="cannot write"):
        save_graph(g, path)
    assert path.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["net.json"]


def test_unwritable_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileFormatError, match="cannot write"):
        save_graph(Graph(), tmp_path / "missing-folder" / "x.json")


def test_a_byte_order_mark_is_accepted(tmp_path, nand):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + dumps_graph(nand).encode("utf-8"))
    assert load_graph(path).snapshot() == nand.snapshot()


def test_saved_files_are_shareable_and_keep_their_mode(tmp_path, nand):
    new = tmp_path / "new.json"
    save_graph(nand, new)
    assert new.stat().st_mode & 0o777 == 0o666 & ~files._UMASK  # not the temporary file's private 0600
    new.chmod(0o640)
    save_graph(nand, new)
    assert new.stat().st_mode & 0o777 == 0o640
