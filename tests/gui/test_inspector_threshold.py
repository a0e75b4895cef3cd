"""The inspector shows a neuron's threshold (−b) beside its bias, as chapter 1 introduces it."""

import pytest

from nnsim.gui import style

from test_canvas import build_nand

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_the_threshold_is_minus_the_bias(qtbot, main_window, mouse):
    x1, x2, n = build_nand(qtbot, main_window, mouse)
    inspector = main_window.circuit.inspector
    main_window.circuit.simulator.flush()
    inspector._update_readout()
    text = inspector.readout.text()
    threshold = style.format_number(-3.0)
    assert f"threshold = −b = {threshold}\nz > 0 exactly when w·x > {threshold}" in text
    inspector.bias_edit.spin.setValue(-1.5)
    main_window.circuit.simulator.flush()
    inspector._update_readout()
    assert f"threshold = −b = {style.format_number(1.5)}" in inspector.readout.text()
