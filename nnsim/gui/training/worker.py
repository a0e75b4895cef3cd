"""The worker/runner mechanism moved to :mod:`nnsim.gui.worker` (the response lab uses it too); this name
stays so the training studio's imports keep working."""

from nnsim.gui.worker import Task, TaskRunner, _Worker

__all__ = ["Task", "TaskRunner", "_Worker"]
