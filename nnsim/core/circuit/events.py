"""A tiny signal for model → view notification, holding its listeners by weak reference.

A closed view never keeps a model alive and is never called after it is gone::

    sig = Signal("node_added")
    sig.connect(view.on_node_added)   # bound method: held weakly
    sig.emit("n1")
"""

from __future__ import annotations

import weakref
from typing import Callable


class Signal:
    def __init__(self, name: str = ""):
        self.name = name
        self._slots: list = []  # weakref.WeakMethod or weakref.ref (functions) or strong (lambdas)

    def connect(self, slot: Callable, *, weak: bool = True) -> Callable:
        if weak and hasattr(slot, "__self__") and hasattr(slot, "__func__"):
            ref = weakref.WeakMethod(slot)
        elif weak and not getattr(slot, "__name__", "") == "<lambda>":
            ref = weakref.ref(slot)
        else:
            ref = lambda s=slot: s  # noqa: E731 - a lambda has no other owner: keep it strongly
        self._slots.append(ref)
        return slot

    def disconnect(self, slot: Callable) -> None:
        self._slots = [r for r in self._slots if r() is not None and r() != slot]

    def emit(self, *args) -> None:
        dead = False
        for ref in list(self._slots):
            slot = ref()
            if slot is None:
                dead = True
            else:
                slot(*args)
        if dead:
            self._slots = [r for r in self._slots if r() is not None]

    def __len__(self):
        return sum(1 for r in self._slots if r() is not None)

    def __repr__(self):
        return f"Signal({self.name!r}, {len(self)} listeners)"
