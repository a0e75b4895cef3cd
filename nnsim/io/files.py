"""Reading and writing files safely: regular files only and within a size limit, JSON with clear errors,
and atomic writes that refuse read-only files and write through symbolic links."""

from __future__ import annotations

import errno
import json
import math
import os
import stat
import tempfile
from pathlib import Path

from nnsim.core.errors import UserError

#: Largest text file read (documents, tables, lessons, HDL): 200,000 nodes and wires take about 18 MB.
MAX_TEXT_BYTES = 100 << 20


def _size(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MB" if n >= 1 << 20 else f"{n:,} bytes"


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def open_regular(path, error: type[UserError] = UserError, limit: int | None = None):
    """``path`` opened for binary reading, refused unless it is a regular file (a FIFO would block forever,
    ``/dev/zero`` never ends) no larger than ``limit`` bytes; ``error`` names the file and the reason."""
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; the fstat below then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except IsADirectoryError:
        raise error(f"{path}: is a folder, not a file") from None
    except OSError as err:
        raise error(f"{path}: cannot read ({err.strerror})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = _kind(info.st_mode)
        raise error(f"{path}: is {kind}, not a file" if kind.startswith("a ") else f"{path}: {kind}")
    if limit is not None and info.st_size > limit:
        os.close(fd)
        raise error(f"{path}: {_size(info.st_size)} is more than the {_size(limit)} limit for this kind of file")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_bytes(path, error: type[UserError] = UserError, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (a file growing while read is cut there)."""
    with open_regular(path, error, limit) as fh:
        try:
            data = fh.read(limit + 1)
        except OSError as err:
            raise error(f"{path}: cannot read ({err.strerror})") from None
    if len(data) > limit:
        raise error(f"{path}: more than the {_size(limit)} limit for this kind of file")
    return data


def read_text(path, error: type[UserError] = UserError, limit: int = MAX_TEXT_BYTES) -> str:
    """The file's text (UTF-8, a leading byte-order mark dropped); ``error`` naming the file otherwise."""
    try:
        return read_bytes(path, error, limit).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(f"{Path(path)}: not a text file (not UTF-8)") from None


def loads_json(text: str, where: str = "", error: type[UserError] = UserError):
    """Parse JSON text, with ``error("where: problem")`` instead of Python's exceptions: malformed text
    (line and column), NaN/Infinity literals, integers beyond a double (read as ±inf, like ``1e400``: the
    field's check refuses them), nesting
    deeper than the parser follows, and strings that are not valid Unicode (a lone surrogate
    ``"\\ud800"`` could never be written back as UTF-8)."""
    def fail(problem: str):
        raise error(f"{where}: {problem}" if where else problem)

    try:
        doc = json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int)
    except json.JSONDecodeError as err:
        fail(f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}")
    except ValueError as err:
        fail(f"malformed JSON: {err}")
    except RecursionError:
        fail("malformed JSON: arrays or objects nested too deeply (no nnsim file nests more than a few levels)")
    bad = _lone_surrogate(doc) if "\\u" in text.lower() else None
    if bad is not None:
        fail(f"the text {bad!r} holds an unpaired surrogate code point (not valid Unicode); fix the file's "
             "\\uD8xx escapes")
    return doc


def _reject_constant(name):
    raise ValueError(f"{name} is not a valid number here")


def _parse_int(digits: str):
    """An integer literal; one beyond a double becomes ±inf, as ``1e400`` does, so the field's own check
    ("must be finite") names it instead of an OverflowError later (and 5,000 digits never reach ``int``)."""
    magnitude = digits.lstrip("-")
    if len(magnitude) > 309 or int(magnitude) > _MAX_DOUBLE:
        return -math.inf if digits.startswith("-") else math.inf
    return int(digits)


_MAX_DOUBLE = int(1.7976931348623157e308)


def _lone_surrogate(doc):
    """The first string (key or value) in ``doc`` holding an unpaired surrogate, or None."""
    stack = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return item
    return None


def check_writable(path, error: type[UserError] = UserError) -> None:
    """Raise ``error`` naming the reason unless :func:`atomic_write` could write ``path`` now: the folder
    exists and takes new files, and ``path`` is not a folder or a read-only file. Checked before long work
    (training) whose result would otherwise be lost at the end."""
    path = Path(os.path.realpath(path))
    folder = path.parent
    if not folder.is_dir():
        raise error(f"{path}: the folder {folder} does not exist")
    try:
        info = path.stat()
    except FileNotFoundError:
        pass
    except OSError as err:
        raise error(f"{path}: cannot write ({err.strerror})") from None
    else:
        if stat.S_ISDIR(info.st_mode):
            raise error(f"{path}: is a folder; give a file name")
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{path}: is {_kind(info.st_mode)}, not a file")
        if not info.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):
            raise error(f"{path}: the file is read-only")
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise error(f"{path}: cannot write in {folder} ({err.strerror})") from None
    os.close(fd)
    os.unlink(probe)


class ReadOnlyFileError(PermissionError):
    """Saving over a file that is read-only: refused rather than silently replaced (an app offers Save As)."""


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Read once at import (reading it means setting it, which is not safe to do from several threads later).
_UMASK = _current_umask()


def atomic_write(path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``: a crash
    leaves either the old file or the new one, never half of one. The file keeps the mode of the file it
    replaces; a new file gets the usual 0666 less the umask (a temporary file would be private, 0600).

    A symbolic link is written through (the file it points to is replaced, the link stays). A read-only
    file (no write permission for its owner) is refused with :class:`ReadOnlyFileError`, as is a path that
    is not a regular file; nothing is written then."""
    path = Path(os.path.realpath(path))
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError as err:
            bad = err.object[err.start:err.end]
            near = err.object[max(0, err.start - 20):err.start].rsplit("\n", 1)[-1]
            raise OSError(errno.EILSEQ, f"the text holds an unpaired surrogate {bad!r} after {near!r}, which is "
                          "not valid Unicode; rename what holds it", str(path)) from None
    try:
        info = path.stat()
    except OSError:
        mode = 0o666 & ~_UMASK
    else:
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EISDIR if stat.S_ISDIR(info.st_mode) else errno.EINVAL,
                          f"{_kind(info.st_mode)}, not a file", str(path))
        if not info.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):
            raise ReadOnlyFileError(13, "the file is read-only", str(path))
        mode = info.st_mode & 0o7777
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
