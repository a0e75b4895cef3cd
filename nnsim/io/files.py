"""Reading and writing files safely: text with clear errors, and atomic writes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from nnsim.core.errors import UserError


def read_text(path, error: type[UserError] = UserError) -> str:
    """The file's text (UTF-8, a leading byte-order mark dropped); ``error`` naming the file otherwise."""
    path = Path(path)
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except IsADirectoryError:
        raise error(f"{path}: is a folder, not a file") from None
    except UnicodeDecodeError:
        raise error(f"{path}: not a text file (not UTF-8)") from None
    except OSError as err:
        raise error(f"{path}: cannot read ({err.strerror})") from None


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Read once at import (reading it means setting it, which is not safe to do from several threads later).
_UMASK = _current_umask()


def atomic_write(path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``: a crash
    leaves either the old file or the new one, never half of one. The file keeps the mode of the file it
    replaces; a new file gets the usual 0666 less the umask (a temporary file would be private, 0600)."""
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_UMASK
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
