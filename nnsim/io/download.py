"""Fetch the standard MNIST files from public mirrors into a cache folder, checked by SHA-256.

:func:`fetch_mnist` is a generator: it yields a :class:`DownloadProgress` after every read and returns the
list of :class:`FileResult` (or None when ``stop()`` ended it). It tries each mirror in turn for each of
the four files, checks the SHA-256 of the *decompressed* file (mirrors recompress, the content is what
matters) and moves it into place with an atomic rename, so the cache never holds a partial or corrupted
file. Files already there with the right checksum are not fetched again. :func:`download_mnist` runs the
same generator to its end with a progress callback (the CLI draws the bar).

Nothing here blocks for long: sockets wait at most :data:`POLL` seconds per call, so ``stop()`` is asked
at least that often even when a mirror accepts the connection and never answers; a mirror silent for
``timeout`` seconds is given up. A body is capped at the size the file can have (a mirror sending an
endless body is cut off), a cancelled or failed download leaves no ``.part`` file, and ``.part`` files
left by a killed process are removed once they have not changed for :data:`STALE_AFTER` seconds.
The reference checksums were computed from the copy bundled with nnsim.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.client
import io
import os
import socket
import tempfile
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Generator

from nnsim.core.errors import UserError

#: name → SHA-256 of the decompressed IDX file.
MNIST_FILES = {
    "train-images-idx3-ubyte.gz": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte.gz": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte.gz": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte.gz": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

#: name → size in bytes of the decompressed IDX file (header + labels or images).
MNIST_SIZES = {
    "train-images-idx3-ubyte.gz": 16 + 60_000 * 28 * 28,
    "train-labels-idx1-ubyte.gz": 8 + 60_000,
    "t10k-images-idx3-ubyte.gz": 16 + 10_000 * 28 * 28,
    "t10k-labels-idx1-ubyte.gz": 8 + 10_000,
}

#: Public mirrors of the original files, tried in this order.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://yann.lecun.com/exdb/mnist/",
)

TIMEOUT = 30.0      # seconds without data before a mirror is given up
POLL = 0.25         # seconds a socket read may block before stop() is asked again
CONNECT_POLL = 1.0  # seconds one connection attempt (TCP and TLS handshake) may take before a retry
STALE_AFTER = 600.0  # seconds after which an unchanged .part file is a leftover of a killed process
CHUNK = 1 << 16
#: Cap for a file whose decompressed size is not known (the compressed size of a file not in MNIST_SIZES).
DEFAULT_CAP = 64 << 20

Progress = Callable[[str, int, "int | None"], None]  # (file name, bytes so far, total bytes or None)


class DownloadError(UserError):
    """No mirror delivered a file with the right checksum; the message lists what each one did."""


class _Stopped(Exception):
    """Raised from inside a socket read when ``stop()`` says so; never an OSError, so never a mirror fault."""


@dataclass
class DownloadProgress:
    """``done`` of ``total`` bytes (None: unknown) of file ``name``, the ``index``-th of ``count``."""

    name: str
    done: int
    total: int | None
    index: int
    count: int


@dataclass
class FileResult:
    name: str
    path: Path
    status: str  # "downloaded" or "cached"
    url: str | None = None


def default_cache_dir() -> Path:
    """``$NNSIM_DATA_DIR``, else ``$XDG_CACHE_HOME/nnsim/mnist``, else ``~/.cache/nnsim/mnist``."""
    if os.environ.get("NNSIM_DATA_DIR"):
        return Path(os.environ["NNSIM_DATA_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nnsim" / "mnist"


def sha256_of_content(path, limit: int | None = None) -> str:
    """SHA-256 of a file's content, decompressed first when it is gzip. With ``limit``, content longer
    than ``limit`` bytes gives ``""`` (a small gzip file that inflates to gigabytes is not read through)."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
        fh.seek(0)
        stream = gzip.GzipFile(fileobj=fh) if gz else fh
        while chunk := stream.read(1 << 20):
            size += len(chunk)
            if limit is not None and size > limit:
                return ""
            digest.update(chunk)
    return digest.hexdigest()


def _content_ok(path: Path, sha256: str, limit: int | None = None) -> bool:
    try:
        return sha256_of_content(path, limit) == sha256
    except (OSError, EOFError, zlib.error):
        return False


def _cap(name: str) -> int:
    """The most bytes a download of ``name`` may bring: a gzip file is never much larger than its content."""
    raw = MNIST_SIZES.get(name)
    return DEFAULT_CAP if raw is None else raw + raw // 100 + (1 << 16)


def download_mnist(folder=None, *, mirrors=MIRRORS, files=None, progress: Progress | None = None,
                   force: bool = False, timeout: float = TIMEOUT) -> list[FileResult]:
    """Make sure ``folder`` (default :func:`default_cache_dir`) holds every file of ``files`` (name → SHA-256
    of the decompressed content; default the four MNIST files), fetching what is missing from ``mirrors``.
    ``progress(name, done, total)`` is called after every read."""
    steps = fetch_mnist(folder, mirrors=mirrors, files=files, force=force, timeout=timeout)
    while True:
        try:
            item = next(steps)
        except StopIteration as end:
            return end.value
        if progress is not None:
            progress(item.name, item.done, item.total)


def fetch_mnist(folder=None, *, mirrors=MIRRORS, files=None, force: bool = False, timeout: float = TIMEOUT,
                stop: Callable[[], bool] | None = None
                ) -> Generator[DownloadProgress, None, "list[FileResult] | None"]:
    """The download as a generator: yields :class:`DownloadProgress` after each read, returns the list of
    :class:`FileResult`, or None once ``stop()`` returned True (asked at least every :data:`POLL` s; the
    partial file is removed). Raises :class:`DownloadError` when no mirror delivers a file."""
    folder = Path(folder) if folder is not None else default_cache_dir()
    files = MNIST_FILES if files is None else files
    stop = stop or (lambda: False)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DownloadError(f"{folder}: cannot create the folder ({err.strerror or err})") from None
    remove_stale_parts(folder)
    results = []
    names = list(files)
    for index, (name, sha256) in enumerate(files.items(), start=1):
        target = folder / name
        limit = MNIST_SIZES.get(name)
        if not force and target.is_file() and _content_ok(target, sha256, limit):
            results.append(FileResult(name, target, "cached"))
            continue
        result = yield from _fetch(name, sha256, target, mirrors, timeout, stop, index, len(names))
        if result is None:
            return None
        results.append(result)
    return results


def remove_stale_parts(folder: Path, older_than: float = STALE_AFTER) -> list[Path]:
    """Delete ``.*.part`` files in ``folder`` unchanged for ``older_than`` seconds (a killed download's
    leftovers; a running download writes to its file at least every ``timeout``). Returns what went."""
    removed = []
    now = time.time()
    try:
        candidates = list(folder.glob(".*.part"))
    except OSError:
        return removed
    for part in candidates:
        try:
            if part.is_file() and now - part.stat().st_mtime > older_than:
                part.unlink()
                removed.append(part)
        except OSError:
            pass  # another process took it, or it is not ours to delete
    return removed


def _fetch(name, sha256, target: Path, mirrors, timeout, stop, index, count):
    problems = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + name
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                for done, total in _copy_url(url, out, _cap(name), timeout, stop):
                    yield DownloadProgress(name, done, total, index, count)
                    if stop():
                        return None
            if not _content_ok(Path(tmp), sha256, MNIST_SIZES.get(name)):
                problems.append(f"{url}: checksum mismatch (corrupted or a different file)")
                continue
            os.replace(tmp, target)
            return FileResult(name, target, "downloaded", url)
        except _Stopped:
            return None
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as err:
            problems.append(f"{url}: {_reason(err)}")
        finally:
            Path(tmp).unlink(missing_ok=True)
    raise DownloadError(f"could not download {name}:\n  " + "\n  ".join(problems or ["no mirrors given"]))


def _reason(err) -> str:
    code = getattr(err, "code", None)
    if code:
        return f"HTTP {code}"
    reason = getattr(err, "reason", None)
    if isinstance(reason, BaseException):
        err = reason
    if isinstance(err, (socket.timeout, TimeoutError)):
        return str(err) if "no data" in str(err) else "timed out"
    return getattr(err, "strerror", None) or str(err) or type(err).__name__


def _copy_url(url: str, out, cap: int, timeout: float, stop):
    """Copy ``url``'s body to ``out``; yields ``(bytes so far, total or None)`` after each read."""
    watch = _Watch(stop, timeout)
    opener = urllib.request.build_opener(_PatientHTTPHandler(watch), _PatientHTTPSHandler(watch))
    request = urllib.request.Request(url, headers={"User-Agent": "nnsim"})
    with opener.open(request, timeout=CONNECT_POLL) as response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        if total is not None and total > cap:
            raise ValueError(f"the mirror announces {total:,} bytes, more than the file can have "
                             f"({cap:,})")
        done = 0
        yield done, total
        while chunk := response.read1(CHUNK):
            done += len(chunk)
            if done > cap:
                raise ValueError(f"sent more than the file can have ({cap:,} bytes); stopped there")
            out.write(chunk)
            yield done, total
        if total is not None and done < total:
            raise OSError(f"connection closed after {done} of {total} bytes")


class _Watch:
    """What a patient socket asks between waits: ``stop()``, and how long the mirror has been silent."""

    def __init__(self, stop, timeout: float):
        self.stop = stop
        self.timeout = timeout
        self.last = time.monotonic()

    def waited(self):
        """Called after each POLL-long wait without data: raise to end the download, else wait on."""
        asked = time.monotonic()
        if self.stop():
            raise _Stopped()
        self.last += time.monotonic() - asked  # a pause (stop() blocks while paused) is not the mirror's silence
        if time.monotonic() - self.last > self.timeout:
            raise TimeoutError(f"no data for {self.timeout:g} s")

    def heard(self):
        self.last = time.monotonic()


class _PatientRaw(io.RawIOBase):
    """A socket's byte stream whose reads wait in POLL-long slices, asking the watch between them."""

    def __init__(self, sock, watch: _Watch):
        super().__init__()
        self._sock, self._watch = sock, watch

    def readable(self):
        return True

    def close(self):
        if not self.closed:
            super().close()
            self._sock._decref_socketios()

    def readinto(self, buffer):
        while True:
            try:
                n = self._sock.recv_into(buffer)
            except socket.timeout:
                self._watch.waited()
                continue
            except InterruptedError:
                continue
            self._watch.heard()
            return n


class _PatientSocket:
    """Wraps a connected socket so that ``makefile`` (used by http.client for the response) is patient."""

    def __init__(self, sock, watch: _Watch):
        self._sock, self._watch = sock, watch

    def makefile(self, mode="r", *args, **kwargs):
        # Count the stream as socket.makefile does, so closing the socket waits for the stream's close.
        self._sock._io_refs += 1
        return io.BufferedReader(_PatientRaw(self._sock, self._watch), CHUNK)

    def __getattr__(self, name):
        return getattr(self._sock, name)


def _connect_patiently(connect, conn, watch: _Watch):
    """Run ``connect()`` (TCP and TLS) in POLL-long attempts until it works, stop() or the timeout."""
    watch.heard()
    while True:
        try:
            connect()
            break
        except (socket.timeout, TimeoutError):
            if conn.sock is not None:
                conn.sock.close()
                conn.sock = None
            watch.waited()
    conn.sock.settimeout(POLL)
    conn.sock = _PatientSocket(conn.sock, watch)


class _PatientHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, watch: _Watch, **kwargs):
        super().__init__(*args, **kwargs)
        self._watch = watch

    def connect(self):
        _connect_patiently(super().connect, self, self._watch)


class _PatientHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, watch: _Watch, **kwargs):
        super().__init__(*args, **kwargs)
        self._watch = watch

    def connect(self):
        _connect_patiently(super().connect, self, self._watch)


class _PatientHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watch):
        super().__init__()
        self._watch = watch

    def http_open(self, req):
        return self.do_open(functools.partial(_PatientHTTPConnection, watch=self._watch), req)


class _PatientHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watch):
        super().__init__()
        self._watch = watch

    def https_open(self, req):
        extra = {"check_hostname": self._check_hostname} if hasattr(self, "_check_hostname") else {}
        return self.do_open(functools.partial(_PatientHTTPSConnection, watch=self._watch), req,
                            context=self._context, **extra)
