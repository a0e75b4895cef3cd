"""Colours, sizes and timings of the training studio (its share of the GUI constants; the shared ones,
theme and fonts, come from :mod:`nnsim.gui.style`)."""

from __future__ import annotations

#: One colour per run, cycling: several runs overlaid stay tellable apart (colour-blind-safe Okabe-Ito).
RUN_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
BASELINE_COLOURS = {"darkness": "#8c6d31", "random": "#7f7f7f", "svm": "#9467bd"}  # svm: readable on light and dark
DEFAULT_BASELINE_COLOUR = "#7f7f7f"

PLOT_INTERVAL_MS = 100       # plots redraw at most ~10 times a second
PAD_INTERVAL_MS = 40         # the digit pad's output bars follow the pen at ~25 Hz
REPORTS_PER_EPOCH = 20       # the worker reports the running cost ~20 times an epoch
TRAINING_SCORED = 10_000     # training images scored each epoch for the training-set accuracy

CURVE_WIDTH = 2.5            # thick enough for a projector
BATCH_CURVE_WIDTH = 1.5
SYMBOL_SIZE = 9
AXIS_FONT_PT = 11
TITLE_SIZE = "13pt"
EPOCH_REDRAWS_PER_TICK = 3   # runs whose per-epoch curves are redrawn in one plot tick
COMPARE_LEGEND_COLUMNS = 2   # the cost legend's columns while runs of a comparison are shown
SPREAD_ALPHA = 60            # opacity (of 255) of a min-max band across seeds
HOVER_PIXELS = 25            # the hover read-out picks the nearest point within this distance

PAD_PIXELS = 280             # the drawing pad is 280×280 (10× MNIST); the pen is about one MNIST stroke
PAD_PEN_WIDTH = 22
GALLERY_COUNT = 24           # misclassified test images shown
HIDDEN_COLOURMAP = ["#2166ac", "#f7f7f7", "#b2182b"]  # negative, zero, positive weights


def run_colour(number: int) -> str:
    """The colour of run ``number`` (1-based)."""
    return RUN_COLOURS[(number - 1) % len(RUN_COLOURS)]
