"""nnsim: chapter 1 of Nielsen's *Neural Networks and Deep Learning* as a desktop simulator.

Packages: ``nnsim.core`` (pure NumPy maths), ``nnsim.io`` (files and data),
``nnsim.gui`` (PySide6 + pyqtgraph views), ``nnsim.cli`` (the ``nnsim`` command).
"""

__version__ = "0.1.0"
