"""GUI constants: colours, sizes, pens and z-values for the canvas and panels.

Colours follow the system palette (light or dark): :func:`theme` returns a :class:`Theme` built from the
application palette, and :func:`set_presentation` switches every size to its larger "projector" value.
Canvas items read these at paint time, so a palette change or presentation toggle only needs a repaint.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

# ----- geometry (scene units, at normal size) -----------------------------------------------------------
GRID = 20.0                 # snap grid and background dots
NEURON_RADIUS = 22.0
INPUT_SIZE = (46.0, 34.0)   # width, height of an input switch
PORT_RADIUS = 5.5
PASTE_OFFSET = 40.0

# ----- z-values -----------------------------------------------------------------------------------------
Z_WIRE = 0.0
Z_WIRE_LABEL = 1.0
Z_NODE = 2.0
Z_SELECTED = 3.0
Z_DRAFT_WIRE = 5.0

# ----- wires --------------------------------------------------------------------------------------------
WIRE_MIN_WIDTH = 1.5
WIRE_MAX_WIDTH = 7.0
WIRE_WIDTH_PER_UNIT = 1.1   # extra pen width per unit of |w|
WIRE_IDLE_ALPHA = 120       # a wire whose source is off is drawn fainter
LABEL_MIN_ZOOM = 0.6        # below this zoom, weight and bias labels are hidden (big circuits)

# ----- evaluation / timers ------------------------------------------------------------------------------
STEP_INTERVAL_MS = 250      # time between steps when a looped graph runs
AUTOSAVE_MS = 30_000
MAX_TABLE_INPUTS = 16       # the truth-table panel shows at most 2**16 rows

_presentation = False


def set_presentation(on: bool) -> None:
    """Presentation mode: larger fonts and thicker lines for a projector."""
    global _presentation
    _presentation = bool(on)


def presentation() -> bool:
    return _presentation


def scale() -> float:
    """1.0 normally, 1.35 in presentation mode (fonts and pens)."""
    return 1.35 if _presentation else 1.0


def size_scale() -> float:
    """How much larger nodes are drawn in presentation mode (less than fonts: layouts keep their spacing)."""
    return 1.2 if _presentation else 1.0


def neuron_radius() -> float:
    return NEURON_RADIUS * size_scale()


def input_size() -> tuple[float, float]:
    return INPUT_SIZE[0] * size_scale(), INPUT_SIZE[1] * size_scale()


_fonts: dict = {}


def font(point_size: float, bold: bool = False) -> QFont:
    """The application font at ``point_size`` (times the presentation scale); cached."""
    key = (point_size, bold, scale())
    f = _fonts.get(key)
    if f is None:
        f = QFont(QGuiApplication.font())
        f.setPointSizeF(point_size * scale())
        f.setBold(bold)
        _fonts[key] = f
    return f


def clear_caches() -> None:
    """Forget cached fonts (after the application font or presentation mode changes)."""
    _fonts.clear()


@dataclass(frozen=True)
class Theme:
    """Colours for the current palette: light or dark."""

    dark: bool
    background: QColor
    grid: QColor
    text: QColor
    muted: QColor
    node_fill: QColor
    node_outline: QColor
    on_fill: QColor          # a lit node (value or activation 1)
    on_text: QColor
    negative_fill: QColor    # a node with a negative output (tanh, linear)
    selection: QColor
    positive: QColor         # wire with w > 0
    negative: QColor         # wire with w < 0
    zero: QColor
    label_fill: QColor
    pass_colour: QColor
    fail_colour: QColor
    highlight_row: QColor


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


_themes: dict = {}


def theme() -> Theme:
    """The theme for the application's current palette (light or dark)."""
    app = QGuiApplication.instance()
    dark = _is_dark(app.palette() if app is not None else QPalette())
    if dark not in _themes:
        _themes[dark] = _make_theme(dark)
    return _themes[dark]


def _make_theme(dark: bool) -> Theme:
    if dark:
        return Theme(
            dark=True,
            background=QColor("#1e2126"), grid=QColor("#3a3f47"), text=QColor("#eceff4"),
            muted=QColor("#a3abb8"), node_fill=QColor("#2e333b"), node_outline=QColor("#c8ced8"),
            on_fill=QColor("#ffc233"), on_text=QColor("#1b1b1b"), negative_fill=QColor("#7aa7ff"),
            selection=QColor("#4fb3ff"), positive=QColor("#6ea8ff"), negative=QColor("#ff6b5e"),
            zero=QColor("#808894"), label_fill=QColor(30, 33, 38, 225), pass_colour=QColor("#5fd38d"),
            fail_colour=QColor("#ff6b5e"), highlight_row=QColor("#5a4a17"),
        )
    return Theme(
        dark=False,
        background=QColor("#fbfbfc"), grid=QColor("#d4d8de"), text=QColor("#1d2128"),
        muted=QColor("#5d6572"), node_fill=QColor("#ffffff"), node_outline=QColor("#30353d"),
        on_fill=QColor("#ffb000"), on_text=QColor("#1b1b1b"), negative_fill=QColor("#5b8def"),
        selection=QColor("#1a73e8"), positive=QColor("#1f5fd1"), negative=QColor("#d23a2a"),
        zero=QColor("#9aa1ab"), label_fill=QColor(255, 255, 255, 230), pass_colour=QColor("#1e9e4a"),
        fail_colour=QColor("#d23a2a"), highlight_row=QColor("#ffe7a3"),
    )


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """Linear blend from ``a`` (t=0) to ``b`` (t=1)."""
    t = min(max(float(t), 0.0), 1.0)
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * t, a.greenF() + (b.greenF() - a.greenF()) * t,
                           a.blueF() + (b.blueF() - a.blueF()) * t, a.alphaF() + (b.alphaF() - a.alphaF()) * t)


#: Below this a computed number is rounding noise and reads as 0 (``1.33e-84``, ``-1.13687e-13``).
READABLE_ZERO = 1e-9


def readable(v: float, digits: int = 4) -> str:
    """A computed number for people: ``digits`` significant figures, a proper minus sign, and 0 for
    anything smaller than :data:`READABLE_ZERO` (a gradient of 1e-84 or a ΔO of −1e-13 is 0 on screen)."""
    v = float(v)
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    if abs(v) < READABLE_ZERO:
        return "0"
    return f"{v:.{digits}g}".replace("-", "−")


#: Short names drawn inside a neuron for its activation.
ACTIVATION_TAGS = {"step": "step", "sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "linear": "lin",
                   "softplus": "soft+"}


def format_number(v: float) -> str:
    """A weight, bias or value as people write it: ``-2``, ``0.5``, ``1.25``, ``0.731``."""
    v = float(v)
    if v == int(v) and abs(v) < 1e6:
        return str(int(v)).replace("-", "−")
    text = f"{v:.3g}" if abs(v) >= 1 else f"{v:.3f}".rstrip("0")
    return text.replace("-", "−")


# =======================================================================================================
# ----- Response lab (nnsim/gui/response/; owned by the response-lab helper) -----------------------------
# Colours are fixed hex strings that read on both light and dark plot backgrounds.
RESPONSE_SWEEP_POINTS = 1000        # points per response curve (one vectorised pass)
RESPONSE_LOOP_POINTS = 200          # fewer for a looped graph (it is settled value by value)
RESPONSE_GESTURE_POINTS = 250       # while another weight is being dragged; full detail when it ends
RESPONSE_SETTLE_MS = 250
SENSITIVITY_GESTURE_MS = 250        # the sensitivity table's refresh interval during a drag
RESPONSE_CURVE_WIDTH = 3.5          # the network as it is
RESPONSE_OVERLAY_WIDTH = 2.0        # the all-perceptron / all-sigmoid overlays
RESPONSE_VARIANT_COLOURS = {"as_is": "#1f5fd1", "perceptron": "#d23a2a", "sigmoid": "#1e9e4a"}
RESPONSE_VARIANT_TITLES = {"as_is": "network as it is", "perceptron": "all perceptrons",
                           "sigmoid": "all sigmoids"}
#: The same three on a dark background (the light ones fall below 3:1 contrast there).
RESPONSE_VARIANT_COLOURS_DARK = {"as_is": "#7ab0ff", "perceptron": "#ff7a6e", "sigmoid": "#5fd38d"}


def response_colour(variant: str) -> str:
    """A response-lab variant's colour for the current palette (light or dark)."""
    return (RESPONSE_VARIANT_COLOURS_DARK if theme().dark else RESPONSE_VARIANT_COLOURS)[variant]


RESPONSE_CROSSING_COLOUR_DARK = "#d2a8ff"   # z = 0 lines and labels on a dark background


def crossing_colour() -> str:
    return RESPONSE_CROSSING_COLOUR_DARK if theme().dark else RESPONSE_CROSSING_COLOUR


RESPONSE_MARKER_COLOUR = "#ef8a00"  # the draggable present value
RESPONSE_CROSSING_COLOUR = "#8e44ad"  # z = 0 lines
RESPONSE_MAX_CROSSING_LABELS = 8
RESPONSE_MARKER_DECIMALS = 3        # a dragged value is rounded to this many decimals
RESPONSE_PLOT_FONT_PT = 11.0
RESPONSE_TITLE_FONT_PT = 12.0
RESPONSE_PREDICTED_COLOUR = "#ef8a00"
RESPONSE_ACTUAL_COLOUR = "#1f5fd1"
RESPONSE_DERIVATIVE_COLOUR = "#ef8a00"
RESPONSE_REFERENCE_COLOUR = "#9aa1ab"   # the step drawn for comparison
RESPONSE_ERROR_COLOUR = "#d23a2a"       # error text
RESPONSE_LINEAR_TOLERANCE = 0.01    # the nudge plot marks where |actual − predicted| passes this
RESPONSE_NUDGE_SEED = 0             # the all-parameter nudge's random direction (the same each time)
BASE_RANGE = (1.01, 1e6)            # the sigmoid base slider (log scale)
BASE_SLIDER_STEPS = 1000
GALLERY_ACTIVATIONS = ("step", "sigmoid", "tanh", "relu", "softplus")
SCALE_REFRESH_MS = 150              # the scale-c plot recomputes at most this often
DESCENT_GRID = 160                  # cost image resolution (n × n)
DESCENT_CONTOURS = 12
DESCENT_COLORMAP = "viridis"
DESCENT_PATH_COLOURS = {"main": "#ffffff", "batch": "#ff5252", "mini-batch": "#ffd740", "online": "#40c4ff"}
DESCENT_DATA_POINTS = 48
DESCENT_DATA_SPREAD = 0.3           # offsets x_i ~ N(0, 0.3²) of the noisy-descent data set


# ----- chips (sub-circuits) on the canvas ---------------------------------------------------------------
CHIP_ROW = 24.0             # height of one pin row of a chip box
CHIP_TITLE = 26.0           # height of its title (the chip's name)
CHIP_MIN_WIDTH = 96.0
CHIP_PIN_RADIUS = 4.5
OUTPUT_SIZE = (46.0, 30.0)  # an output node's box
