"""Autosave and crash recovery.

Every 30 s, when the document has unsaved changes, it is written (atomically, in the file format) to
``<AppDataLocation>/recovery/autosave-<pid>.nnsim.json`` with a small ``.meta`` file naming the original
path. A clean exit deletes both. At the next start, files left by a process that is no longer running
are offered back.

Nothing here raises: a recovery file that vanishes between listing and reading is skipped, one that cannot
be read is offered for discarding, and a recovery folder that cannot be written turns autosave off with
one ``sigProblem(reason)`` (the window says it in the status bar) instead of an error at every save.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer, Signal

from nnsim.gui import style
from nnsim.gui.document import Document
from nnsim.io.fileformat import atomic_write, dumps_graph

SUFFIX = ".nnsim.json"


def default_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".nnsim") / "recovery"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError, ValueError):  # gone, or no pid a process can have
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


@dataclass
class Recoverable:
    """A recovery file left by an earlier session: ``path`` (the autosave), ``original`` (the document's
    own path, or ``None`` if it was never saved), ``saved_at`` (seconds since the epoch)."""

    path: Path
    original: Path | None
    saved_at: float

    def discard(self) -> bool:
        """Delete the recovery file and its ``.meta``; False when one could not be deleted."""
        ok = True
        for p in (self.path, self.path.with_suffix(".meta")):
            try:
                p.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                ok = False
        return ok


def find_recoverable(directory: Path | None = None) -> list[Recoverable]:
    """Recovery files from sessions that are not running any more, newest first."""
    directory = Path(directory) if directory else default_dir()
    found = []
    try:
        listed = list(directory.glob("autosave-*" + SUFFIX))
    except OSError:
        return []
    for p in listed:
        try:
            pid = int(p.name[len("autosave-"):-len(SUFFIX)])
        except ValueError:
            continue
        if _alive(pid):
            continue
        original = None
        try:
            meta = json.loads(p.with_suffix(".meta").read_text("utf-8"))
            original = Path(meta["path"]) if meta.get("path") else None
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            pass
        try:
            saved_at = p.stat().st_mtime
        except OSError:
            continue  # gone since it was listed (another nnsim took it)
        found.append(Recoverable(p, original, saved_at))
    return sorted(found, key=lambda r: r.saved_at, reverse=True)


class Autosaver(QObject):
    """Writes ``document`` to the recovery folder every ``interval_ms`` while it has unsaved changes.

    ``sigProblem(reason)``: autosaving failed (once, until a save works again); ``problem`` holds the reason."""

    sigProblem = Signal(str)

    def __init__(self, document: Document, directory: Path | None = None, interval_ms: int = style.AUTOSAVE_MS,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.directory = Path(directory) if directory else default_dir()
        self.path = self.directory / f"autosave-{os.getpid()}{SUFFIX}"
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        self.timer.start()
        self._saved_revision = None
        self.problem: str | None = None
        document.sigDirtyChanged.connect(self._on_dirty)

    def save_now(self) -> bool:
        """Write the recovery file if there are unsaved changes; returns True when written."""
        doc = self.document
        if not doc.dirty:
            return False
        if self._saved_revision == doc.graph.revision and self.path.exists():
            return False
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, dumps_graph(doc.graph))
            atomic_write(self.path.with_suffix(".meta"),
                         json.dumps({"path": str(doc.path) if doc.path else None, "time": time.time()}))
        except (OSError, ValueError) as err:
            self._report(f"{self.directory}: {getattr(err, 'strerror', None) or err}")
            return False
        self._saved_revision = doc.graph.revision
        self.problem = None
        return True

    def _report(self, reason: str) -> None:
        if self.problem is None:
            self.problem = reason
            self.sigProblem.emit(reason)

    def _on_dirty(self, dirty: bool) -> None:
        if not dirty:
            self.remove()

    def remove(self) -> None:
        """Delete this session's recovery file (after a save, or on a clean exit)."""
        Recoverable(self.path, None, 0).discard()
        self._saved_revision = None

    def stop(self) -> None:
        self.timer.stop()
        self.remove()

