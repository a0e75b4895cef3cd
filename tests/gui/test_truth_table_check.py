"""The truth-table panel marks rows with the core's one comparison, so it agrees with ``nnsim check``."""

import sys
from pathlib import Path

import pytest

from nnsim.core.circuit.graph import ExpectedTable
from nnsim.core.logic import check_expected

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from expected_docs import a_and_not_b, sigmoid_xor  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.mark.parametrize("make", [a_and_not_b, sigmoid_xor], ids=["reordered-inputs", "sigmoid-xor"])
def test_the_panel_agrees_with_the_core(main_window, make):
    w = main_window
    w.document.replace(make())
    w.circuit.simulator.flush()
    panel = w.circuit.truth_table
    core = check_expected(w.document.graph, w.document.graph.expected)
    assert core.all_match
    assert panel.model.passed.tolist() == core.passed.tolist() == [True] * 4
    assert panel.summary.text() == "All 4 rows match the expected table."


def test_an_output_just_below_a_half_never_shows_as_one_half(main_window):
    w = main_window
    w.document.replace(sigmoid_xor())
    w.circuit.simulator.flush()
    model = w.circuit.truth_table.model
    text = model.data(model.index(3, 2))          # row a=1, b=1: 0.4999…, read as the expected 0
    assert text.startswith("0.49") and float(text) < 0.5
    assert model.data(model.index(1, 2)) == "0.760"


def test_the_panel_marks_the_rows_the_core_rejects(main_window):
    w = main_window
    g = a_and_not_b()
    g.expected = ExpectedTable(["b", "a"], ["y"], [[0.0], [0.0], [0.0], [1.0]])
    w.document.replace(g)
    w.circuit.simulator.flush()
    panel = w.circuit.truth_table
    assert panel.model.passed.tolist() == check_expected(g, g.expected).passed.tolist() == [True, True, False, False]
    assert panel.summary.text() == "2 of 4 rows differ from the expected table (✗)."


def test_a_table_that_does_not_fit_is_explained(main_window):
    w = main_window
    g = a_and_not_b()
    g.expected = ExpectedTable(["p", "q"], ["y"], [[0.0]] * 4)
    w.document.replace(g)
    w.circuit.simulator.flush()
    panel = w.circuit.truth_table
    assert panel.model.passed is None
    assert "does not fit: the table's inputs (p, q) are not the circuit's (a, b)" in panel.summary.text()
