"""Regenerate the response-lab pictures whose layout changed: the Sensitivity and Teach tabs.

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/images/make_response_screenshots.py [OUT_DIR]

Renders the lab on its own at 900x660, as docs/response-lab.md shows it.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from PySide6.QtWidgets import QApplication  # noqa: E402

from nnsim.core.blas import use_one_thread  # noqa: E402
from nnsim.core.logic import to_sigmoid  # noqa: E402
from nnsim.gui.document import Document  # noqa: E402
from nnsim.gui.response.lab import ResponseLab  # noqa: E402
from nnsim.io.fileformat import load_graph  # noqa: E402
from nnsim.paths import examples_dir  # noqa: E402


def settle(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def main() -> None:
    use_one_thread()
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    app = QApplication.instance() or QApplication([])

    graph = to_sigmoid(load_graph(examples_dir() / "half-adder.json"), 2.449)
    graph.set_inputs([1, 1])
    document = Document(graph)
    lab = ResponseLab(document)
    lab.resize(900, 660)
    lab.setCurrentWidget(lab.sensitivity)
    lab.show()
    settle(app, 1.5)
    carry = graph.find("carry").id
    document.select_param(("b", carry))
    settle(app, 1.0)
    lab.grab().save(str(out / "response-sensitivity.png"))

    lab.setCurrentWidget(lab.teach)
    lab.teach.load_xor()
    settle(app, 0.5)
    lab.teach.start()
    settle(app, 4.0)
    lab.grab().save(str(out / "response-teach.png"))
    lab.shutdown()
    print(f"wrote response-sensitivity.png and response-teach.png to {out}")


if __name__ == "__main__":
    main()
