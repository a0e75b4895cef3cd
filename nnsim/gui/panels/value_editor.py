"""A number editor for weights, biases and input values: a spin box and a slider side by side.

``sigEdited(value, gesture)`` fires for each change; ``gesture`` is True while the slider is being dragged
(the owner merges those into one undo step) and ``sigGestureEnded`` fires on release.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QSlider, QWidget

_TICKS = 100  # slider steps per unit


class ValueEditor(QWidget):
    sigEdited = Signal(float, bool)
    sigGestureEnded = Signal()

    def __init__(self, lo: float = -10.0, hi: float = 10.0, decimals: int = 3, parent=None):
        super().__init__(parent)
        self.spin = QDoubleSpinBox()
        self.spin.setRange(-1e6, 1e6)
        self.spin.setDecimals(decimals)
        self.spin.setSingleStep(0.5 if hi - lo > 2 else 0.1)
        self.spin.setKeyboardTracking(False)
        self.spin.setMinimumWidth(90)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(int(lo * _TICKS), int(hi * _TICKS))
        self.slider.setPageStep(_TICKS // 2)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.spin)
        lay.addWidget(self.slider, 1)
        self.spin.valueChanged.connect(self._on_spin)
        self.slider.valueChanged.connect(self._on_slider)
        self.slider.sliderReleased.connect(self.sigGestureEnded)
        self._quiet = False

    def value(self) -> float:
        return self.spin.value()

    def set_value(self, v: float) -> None:
        """Show ``v`` without emitting anything."""
        self._quiet = True
        try:
            self.spin.setValue(v)
            self.slider.setValue(int(round(min(max(v * _TICKS, self.slider.minimum()), self.slider.maximum()))))
        finally:
            self._quiet = False

    def _on_spin(self, v: float) -> None:
        if self._quiet:
            return
        self._quiet = True
        self.slider.setValue(int(round(min(max(v * _TICKS, self.slider.minimum()), self.slider.maximum()))))
        self._quiet = False
        self.sigEdited.emit(v, False)

    def _on_slider(self, i: int) -> None:
        if self._quiet:
            return
        v = i / _TICKS
        self._quiet = True
        self.spin.setValue(v)
        self._quiet = False
        self.sigEdited.emit(v, self.slider.isSliderDown())
        if not self.slider.isSliderDown():
            self.sigGestureEnded.emit()
