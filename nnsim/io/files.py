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


def atomic_write(path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``: a crash
    leaves either the old file or the new one, never half of one."""
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
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
