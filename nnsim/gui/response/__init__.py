"""The response lab: how a network's output moves when one weight moves, docked beside the canvas.

:class:`~nnsim.gui.response.lab.ResponseLab` holds one tab per tool; each tool is a view over the shared
:class:`~nnsim.gui.document.Document` and the pure functions in :mod:`nnsim.core.response`,
:mod:`nnsim.core.learning.descent` and :mod:`nnsim.core.learning.teach`.
"""
