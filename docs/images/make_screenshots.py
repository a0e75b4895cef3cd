"""Regenerate the user guide's screenshots (offscreen): python docs/images/make_screenshots.py"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from nnsim import paths  # noqa: E402
from nnsim.gui import app as nnsim_app  # noqa: E402

OUT = Path(__file__).resolve().parent
TMP = Path(tempfile.mkdtemp())


def window(size=(1280, 800), pages=True):
    w = nnsim_app.create_window(settings=QSettings(str(TMP / "s.ini"), QSettings.Format.IniFormat),
                                recovery_dir=TMP / "rec", optional_pages=pages)
    w.resize(*size)
    w.show()
    QApplication.processEvents()
    return w


def shoot(w, name, fit=True):
    sim = w.circuit.simulator
    sim.flush()
    for _ in range(64):
        if not sim.has_loop or sim.settled:
            break
        sim.step()
    if fit:
        w.circuit.view.fit()
    QApplication.processEvents()
    image = w.grab().toImage()
    path = OUT / name
    image.save(str(path), "PNG", 9)
    print(path, path.stat().st_size // 1024, "KB")
    w.document.undo_stack.setClean()
    w.shutdown()
    w.close()


def set_number(w, prefix, bits, value):
    g = w.document.graph
    for i in range(bits):
        node = g.find(f"{prefix}{i}")
        if node.value != (value >> i) & 1:
            w.circuit.scene.toggle_input(node.id)


def chips(ex) -> None:
    """The 4-bit adder's chips fitted at 1280×720 (5 + 6), and the inside of one of them, opened."""
    w = window((1280, 720), pages=False)
    w.open_example(ex / "adder-4bit.json")
    set_number(w, "a", 4, 5)
    set_number(w, "b", 4, 6)
    shoot(w, "chips-adder.png")
    w = window((1280, 720), pages=False)
    w.open_example(ex / "adder-4bit.json")
    set_number(w, "a", 4, 5)
    set_number(w, "b", 4, 6)
    w.circuit.scene.open_instance("fa2")
    shoot(w, "chips-open.png")


def main() -> None:
    qapp = nnsim_app.create_application()
    qapp.setStyle("Fusion")
    ex = paths.examples_dir()

    # 1. the 4-bit adder adding 5 + 6
    w = window((1440, 900))
    w.open_example(ex / "adder-4bit.json")
    set_number(w, "a", 4, 5)
    set_number(w, "b", 4, 6)
    w.circuit.view.fit()
    shoot(w, "adder-5-plus-6.png", fit=False)

    chips(ex)

    # 2. XOR from NANDs, one wire selected: the inspector edits its weight
    w = window(pages=False)
    w.open_example(ex / "xor.json")
    g = w.document.graph
    w.circuit.scene.toggle_input(g.find("a").id)
    first = next(iter(g.wires))
    w.circuit.scene.select_ids(wire_ids=[first])
    hovered = w.circuit.scene.nodes[g.neurons()[0].id]
    hovered.hover = True
    shoot(w, "xor-inspector.png")

    # 3. presentation mode at a projector's 1280×720: the canvas gets the window, panels in a slim strip
    w = window((1280, 720), pages=False)
    w.set_presentation(True)
    w.open_example(ex / "adder-4bit.json")
    set_number(w, "a", 4, 5)
    set_number(w, "b", 4, 6)
    QApplication.processEvents()
    shoot(w, "presentation-adder.png")
    w.set_presentation(False)

    # 3b. the response lab page: XOR opens on its output's bias, a jump and a glide
    w = window((1280, 720))
    w.open_example(ex / "xor.json")
    w.show_page("response lab")
    QApplication.processEvents()
    shoot(w, "response-app.png", fit=False)

    # 3c. the welcome page of the empty app
    from nnsim.gui.welcome import show_welcome

    w = window((1280, 720))
    show_welcome(w)
    QApplication.processEvents()
    shoot(w, "welcome.png", fit=False)

    # 4. the SR latch: a loop, run in time steps
    w = window(pages=False)
    w.open_example(ex / "sr-latch.json")
    shoot(w, "sr-latch.png")

    # 5. the dark theme (View › Theme › Dark), the canvas and the response lab
    from nnsim.gui.theme import apply_theme

    apply_theme("dark")
    w = window(pages=False)
    w.open_example(ex / "full-adder.json")
    w.circuit.scene.toggle_input(w.document.graph.find("a0").id)
    shoot(w, "dark-full-adder.png")
    w = window((1280, 720))
    w.open_example(ex / "sigmoid-neuron.json")
    w.show_page("response lab")
    QApplication.processEvents()
    shoot(w, "dark-response.png", fit=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
