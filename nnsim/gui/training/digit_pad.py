"""Draw a digit with the mouse and watch the network's ten outputs follow the pen.

The drawing is preprocessed the way MNIST was (:func:`nnsim.core.learning.digits.mnist_preprocess`: fit into
20×20 keeping the aspect ratio, centre by centre of mass in 28×28), shown as the 28×28 image the network
actually sees, and fed forward; the outputs are drawn as bars, the winner highlighted.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSizePolicy, QWidget

import pyqtgraph as pg

from nnsim.core.learning.digits import mnist_preprocess
from nnsim.gui import style
from nnsim.gui.training import look
from nnsim.gui.training.plots import use_wrapping_title


def gray_image(pixels: np.ndarray, scale: int = 1) -> QImage:
    """A (28, 28) array in [0, 1] (1 = ink) as a QImage, dark ink on white, enlarged ``scale`` times."""
    data = np.ascontiguousarray(255 - np.clip(pixels, 0, 1) * 255, dtype=np.uint8)
    h, w = data.shape
    image = QImage(data.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    if scale != 1:
        image = image.scaled(w * scale, h * scale, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.FastTransformation)
    return image


class _Canvas(QWidget):
    """The 280×280 drawing surface. ``ink()`` returns its (280, 280) ink array in [0, 1]."""

    sigStroke = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        side = look.PAD_PIXELS
        self.setFixedSize(side, side)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip("Draw a digit with the left mouse button; right-click clears.")
        self._image = QImage(side, side, QImage.Format.Format_Grayscale8)
        self._image.fill(255)
        self._last: QPointF | None = None

    def clear(self):
        self._image.fill(255)
        self.update()
        self.sigStroke.emit()

    def ink(self) -> np.ndarray:
        ptr = self._image.constBits()
        rows = np.frombuffer(ptr, dtype=np.uint8).reshape(self._image.height(), self._image.bytesPerLine())
        return 1.0 - rows[:, :self._image.width()].astype(np.float32) / 255.0

    def _draw_to(self, point: QPointF):
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(0, 0, 0), look.PAD_PEN_WIDTH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                   Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        start = self._last if self._last is not None else point
        painter.drawLine(start, point)
        painter.end()
        self._last = point
        self.update()
        self.sigStroke.emit()

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.RightButton:
            self.clear()
        elif event.button() == Qt.MouseButton.LeftButton:
            self._last = None
            self._draw_to(event.position())

    def mouseMoveEvent(self, event):
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._draw_to(event.position())

    def mouseReleaseEvent(self, event):
        self._last = None

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.drawImage(0, 0, self._image)
        painter.setPen(QPen(QColor("#b0b0b0"), 1, Qt.PenStyle.DashLine))
        # the 20×20 box MNIST digits are fitted into, for orientation
        side = look.PAD_PIXELS
        margin = side * 4 / 28
        painter.drawRect(QRectF(margin, margin, side - 2 * margin, side - 2 * margin))
        painter.end()


class DigitPad(QWidget):
    """Draw a digit; see the 28×28 input it becomes and the network's output activations as bars.

    :meth:`set_network` gives it a network (anything with ``feedforward(X (n, 784)) -> (n, n_out)``) and
    output labels; ``sigPrediction(digit, confidence)`` follows each stroke (digit -1 when blank)."""

    sigPrediction = Signal(int, float)

    def __init__(self, parent=None):
        super().__init__(parent)
        t = style.theme()
        self.canvas = _Canvas()
        self._net = None
        self._labels = [str(d) for d in range(10)]
        self._decode = None
        self.last_input = np.zeros(784, dtype=np.float32)
        self.last_outputs: np.ndarray | None = None

        self._preview = QLabel()
        self._preview.setFixedSize(84, 84)
        self._preview.setToolTip("What the network sees: your drawing fitted into 20×20 and centred by "
                                 "centre of mass in 28×28, as MNIST's digits were.")
        self._verdict = QLabel()
        self._verdict.setFont(style.font(16, bold=True))
        self._verdict.setWordWrap(True)
        self._verdict.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        clear = QPushButton("Clear")
        clear.setToolTip("Clear the pad (or right-click it)")
        clear.clicked.connect(self.canvas.clear)

        self._bars_widget = pg.PlotWidget()
        self._bars_widget.setBackground(t.background)
        self._bars_widget.setMenuEnabled(False)
        self._bars_widget.setMouseEnabled(False, False)
        self._bars_widget.hideButtons()
        self._bars_widget.setMinimumWidth(150)
        self._bars_widget.setMinimumHeight(110)
        plot = self._bars_widget.getPlotItem()
        use_wrapping_title(plot)  # a narrow column: the title wraps rather than clipping the bars
        plot.setTitle("Output activations", color=t.text.name(), size=look.TITLE_SIZE)
        plot.setYRange(0, 1.05, padding=0)
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setTextPen(t.text)
            axis.setPen(t.muted)
            axis.setTickFont(style.font(look.AXIS_FONT_PT))
        self._bars = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7,
                                     brush=look.RUN_COLOURS[0])
        plot.addItem(self._bars)
        self._set_axis_labels()

        # The pad (Clear below it), then one column: what the network sees, the verdict, the bars.
        # One column (not three) keeps the tab narrow enough for a 1024-pixel screen with a side panel open.
        seen = QLabel("Network input (28×28):")
        seen.setWordWrap(True)
        grid = QGridLayout(self)
        grid.addWidget(self.canvas, 0, 0, 4, 1, Qt.AlignmentFlag.AlignTop)   # at the top of a scrolled tab
        grid.addWidget(clear, 4, 0, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(seen, 0, 1)
        grid.addWidget(self._preview, 1, 1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self._verdict, 2, 1)
        grid.addWidget(self._bars_widget, 3, 1, 2, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(3, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(look.PAD_INTERVAL_MS)
        self._timer.timeout.connect(self.update_outputs)
        self.canvas.sigStroke.connect(self._timer.start)
        self.update_outputs()

    def set_network(self, net, labels=None, decode=None):
        """Use ``net`` for the bars. ``labels`` name the outputs (default 0–9); ``decode(outputs (n, k))
        -> digits (n,)`` turns outputs into digits when they are not one-hot (e.g. a 4-bit code)."""
        self._net = net
        n_out = int(net.sizes[-1]) if net is not None else 10
        self._labels = list(labels) if labels is not None else [str(d) for d in range(n_out)]
        self._decode = decode
        self._set_axis_labels()
        self.update_outputs()

    def _set_axis_labels(self):
        axis = self._bars_widget.getPlotItem().getAxis("bottom")
        axis.setTicks([list(enumerate(self._labels))])
        self._bars_widget.getPlotItem().setXRange(-0.6, len(self._labels) - 0.4, padding=0)

    def update_outputs(self):
        """Preprocess the drawing, feed it forward, redraw the preview, bars and verdict."""
        x = mnist_preprocess(self.canvas.ink())
        self.last_input = x
        self._preview.setPixmap(QPixmap.fromImage(gray_image(x.reshape(28, 28), scale=3)))
        n = len(self._labels)
        if self._net is None or not x.any():
            self.last_outputs = None
            self._bars.setOpts(x=np.arange(n), height=np.zeros(n), brushes=None)
            hint = "Draw a digit" if self._net is not None else "Train or load a network, then draw a digit"
            # a hint in the body font: the big bold type is for the network's answer
            self._verdict.setText(f"<span style='font-size:{style.font(11).pointSizeF():g}pt; "
                                  f"font-weight:normal'>{hint}</span>")
            self.sigPrediction.emit(-1, 0.0)
            return
        out = np.asarray(self._net.feedforward(x[None, :]), dtype=float)[0]
        self.last_outputs = out
        if self._decode is not None:
            digit = int(np.asarray(self._decode(out[None, :]))[0])
            confidence = float(np.mean(np.abs(out - 0.5)) * 2)
            winner = None
        else:
            winner = int(np.argmax(out))
            digit, confidence = winner, float(out[winner])
        colours = [look.RUN_COLOURS[1] if i == winner else look.RUN_COLOURS[0] for i in range(n)]
        self._bars.setOpts(x=np.arange(n), height=out, brushes=[pg.mkBrush(c) for c in colours])
        self._verdict.setText(f"The network says: {digit}")
        self.sigPrediction.emit(digit, confidence)
