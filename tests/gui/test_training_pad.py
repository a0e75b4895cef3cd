"""The draw-a-digit pad: a mouse stroke becomes a centred 28×28 input and ten live output bars."""

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from nnsim.core.learning.digits import centre_of_mass
from nnsim.core.learning.network import Network
from nnsim.gui.training.digit_pad import DigitPad


def drag(widget, points):
    """Press at the first point, move through the others with the left button held, release."""
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton

    def send(kind, pos, button, buttons):
        p = QPointF(*pos)
        QApplication.sendEvent(widget, QMouseEvent(kind, p, widget.mapToGlobal(p), button, buttons,
                                                   Qt.KeyboardModifier.NoModifier))

    send(QEvent.Type.MouseButtonPress, points[0], left, left)
    for pos in points[1:]:
        send(QEvent.Type.MouseMove, pos, none, left)
    send(QEvent.Type.MouseButtonRelease, points[-1], left, none)


def test_a_stroke_in_a_corner_is_centred_and_fed_forward(qtbot):
    pad = DigitPad()
    qtbot.addWidget(pad)
    pad.set_network(Network([784, 30, 10], seed=0))
    predictions = []
    pad.sigPrediction.connect(lambda digit, confidence: predictions.append(digit))
    drag(pad.canvas, [(30, 20), (30, 60), (30, 100), (40, 110)])  # a short "1" in the top-left corner
    ink = pad.canvas.ink()
    assert ink[:140, :140].sum() > 0 and ink[140:, 140:].sum() == 0
    qtbot.waitUntil(lambda: pad.last_outputs is not None, timeout=2000)
    image = pad.last_input.reshape(28, 28)
    cy, cx = centre_of_mass(image)
    assert abs(cy - 13.5) <= 0.5 and abs(cx - 13.5) <= 0.5
    rows = np.flatnonzero(image.max(axis=1) > 0)
    assert rows[-1] - rows[0] + 1 == 20  # the tall stroke fills the 20-pixel box
    assert pad.last_outputs.shape == (10,)
    heights = pad._bars.opts["height"]
    np.testing.assert_allclose(heights, pad.last_outputs)
    assert predictions[-1] == int(np.argmax(pad.last_outputs))


def test_clear_and_no_network(qtbot):
    pad = DigitPad()
    qtbot.addWidget(pad)
    drag(pad.canvas, [(100, 100), (150, 150)])
    pad.update_outputs()
    assert pad.last_input.any() and pad.last_outputs is None  # no network yet: no bars
    qtbot.mouseClick(pad.canvas, Qt.MouseButton.RightButton)
    pad.update_outputs()
    assert not pad.canvas.ink().any() and not pad.last_input.any()
