"""Regenerate the training studio's comparison pictures (offscreen, about half a minute):

    python docs/images/make_compare_screenshots.py [OUT_DIR] [--size 1280x800] [--theme light|dark]

training-spread.png: five seeds of the book's 784-100-10 network on the first 10,000 training images,
4 epochs, trained together with the Compare box and shown as the spread across seeds.
training-learning-curve.png: the Learning curve button (784-30-10, 4 epochs) and its tab.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from nnsim.gui import app as nnsim_app  # noqa: E402
from nnsim.gui.training.page import TrainingPage  # noqa: E402

OUT = Path(__file__).resolve().parent


def run(page: TrainingPage, start) -> None:
    """Start ``start()`` on the page and return once its run has finished."""
    app = QApplication.instance()
    page.sigRunFinished.connect(lambda outcome: app.quit())
    QTimer.singleShot(0, start)
    app.exec()
    page.sigRunFinished.disconnect()
    page.plots.flush()
    QApplication.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(OUT))
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--theme", default="light")
    args = parser.parse_args()
    out = Path(args.out)
    size = nnsim_app.parse_size(args.size)
    nnsim_app.create_application([])
    from nnsim.gui.theme import apply_theme, set_window_theme

    theme = apply_theme(args.theme)
    tmp = Path(tempfile.mkdtemp())
    window = nnsim_app.create_window(settings=QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat),
                                     recovery_dir=tmp / "rec", optional_pages=True)
    set_window_theme(window, theme)
    window.resize(*size)
    window.show()
    window.show_page("training")
    page = window.findChild(TrainingPage)
    page.show_dialogs = False
    page.limit.setValue(10_000)
    page.epochs.setValue(4)
    page.report_every = 100

    page.sizes_edit.setText("784, 100, 10")
    page.compare_seeds.setText("1, 2, 3, 4, 5")
    page.plots.spread_box.setChecked(True)
    run(page, page.compare)
    nnsim_app.screenshot(window, str(out / "training-spread.png"), size)

    page.reset()
    page.plots.spread_box.setChecked(False)
    page.limit.setValue(0)
    page.sizes_edit.setText("784, 30, 10")
    run(page, lambda: page.compare(learning_curve=True))
    nnsim_app.screenshot(window, str(out / "training-learning-curve.png"), size)
    window.shutdown()
    print(out / "training-spread.png", out / "training-learning-curve.png")


if __name__ == "__main__":
    main()
