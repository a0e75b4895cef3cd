"""Test-wide settings: Qt renders offscreen; pyqtgraph binds to PySide6; hypothesis is deterministic."""

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from nnsim.core.blas import use_one_thread  # noqa: E402

use_one_thread()  # as the nnsim command does: small matrices, no spinning BLAS threads

settings.register_profile("nnsim", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("nnsim")


def make_nand():
    """The book's NAND perceptron with fixed ids: inputs x1, x2; neuron n1 (label "out"); wires w1, w2."""
    from nnsim.core.circuit.graph import Graph

    g = Graph("nand")
    g.add_input("x1", id="x1")
    g.add_input("x2", id="x2")
    g.add_neuron("out", bias=3, id="n1")
    g.connect("x1", "n1", -2, id="w1")
    g.connect("x2", "n1", -2, id="w2")
    return g


@pytest.fixture
def nand():
    return make_nand()


@pytest.fixture
def hdl_folder(tmp_path):
    """A folder holding our own test chips and scripts (tests/data/hdl) beside nnsim's built-in HDL chips,
    as a student's project folder would hold them."""
    from nnsim.paths import hdl_dir

    for f in [*(Path(__file__).parent / "data" / "hdl").iterdir(), *hdl_dir().iterdir()]:
        if f.suffix in (".hdl", ".tst", ".cmp"):
            shutil.copy(f, tmp_path)
    return tmp_path
