"""The logic examples in resources/examples/: they load, match their expected tables, and are what
scripts/make_examples.py generates."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from nnsim.core.circuit.order import has_loop
from nnsim.core import logic
from nnsim.core.circuit.compile import compile_graph
from nnsim.io.fileformat import dumps_graph, load_graph
from nnsim.paths import examples_dir

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_examples.py"
NAMES = ["not", "and", "or", "xor", "half-adder", "full-adder", "adder-4bit", "sr-latch"]


def _script():
    spec = importlib.util.spec_from_file_location("make_examples", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", NAMES)
def test_example_loads_and_matches_its_expected_table(name):
    g = load_graph(examples_dir() / f"{name}.json")
    assert logic.is_nand_only(g)
    if name == "sr-latch":
        assert g.expected is None and has_loop(g)
        return
    assert g.expected is not None
    assert logic.compare(g, g.expected) == []
    c = compile_graph(g)
    np.testing.assert_array_equal(c.truth_table()[1], np.array(g.expected.rows))


def test_the_latch_example_holds_a_bit():
    g = load_graph(examples_dir() / "sr-latch.json")
    run = logic.run_sequence(g, [[n.value for n in g.inputs()], [1, 1], [1, 0], [1, 1]])
    assert run.outputs[:, 0].tolist() == [1, 1, 0, 0]


def test_the_four_bit_adder_adds_5_and_6():
    g = load_graph(examples_dir() / "adder-4bit.json")
    c = compile_graph(g)
    x = [0, 1, 0, 1] + [0, 1, 1, 0]            # a3..a0 = 0101, b3..b0 = 0110
    assert c.feedforward([x])[0].tolist() == [0, 1, 0, 1, 1]   # carry s3..s0 = 01011 = 11


@pytest.mark.parametrize("name", NAMES)
def test_example_files_are_what_the_script_generates(name):
    make = _script().EXAMPLES[name]
    assert (examples_dir() / f"{name}.json").read_text(encoding="utf-8") == dumps_graph(make()), (
        f"{name}.json is stale: run python scripts/make_examples.py")
