"""Circuits of neurons: the editable graph and what runs it.

- :mod:`.graph` — nodes (inputs, neurons), weighted wires, the document's settings; :mod:`.events` its signals
- :mod:`.edits` — every change as a pure apply/revert object (undo follows for free)
- :mod:`.order` — levels and evaluation order (the one levelisation)
- :mod:`.compile` — a graph compiled for vectorised evaluation, gradients, time steps (``Circuit``, ``LiveCircuit``)
- :mod:`.layout` — left-to-right layered layout of generated circuits
- :mod:`.random_graph` — random feedforward graphs for tests and benchmarks
"""
