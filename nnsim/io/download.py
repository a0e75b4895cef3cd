"""Fetch the standard MNIST files from public mirrors into a cache folder, checked by SHA-256.

:func:`download_mnist` tries each mirror in turn for each of the four files, checks the SHA-256 of the
*decompressed* file (mirrors recompress, the content is what matters) and moves it into place with an
atomic rename, so the cache never holds a partial or corrupted file. Files already there with the right
checksum are not fetched again. Progress goes to a callback; the CLI draws the bar. The reference
checksums were computed from the copy bundled with nnsim.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from nnsim.core.errors import UserError

#: name → SHA-256 of the decompressed IDX file.
MNIST_FILES = {
    "train-images-idx3-ubyte.gz": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte.gz": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte.gz": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte.gz": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

#: Public mirrors of the original files, tried in this order.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://yann.lecun.com/exdb/mnist/",
)

TIMEOUT = 30.0  # seconds without data before a mirror is given up
CHUNK = 1 << 16

Progress = Callable[[str, int, "int | None"], None]  # (file name, bytes so far, total bytes or None)


class DownloadError(UserError):
    """No mirror delivered a file with the right checksum; the message lists what each one did."""


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


def sha256_of_content(path) -> str:
    """SHA-256 of a file's content, decompressed first when it is gzip."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        gz = fh.read(2) == b"\x1f\x8b"
        fh.seek(0)
        stream = gzip.GzipFile(fileobj=fh) if gz else fh
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _content_ok(path: Path, sha256: str) -> bool:
    try:
        return sha256_of_content(path) == sha256
    except (OSError, EOFError, zlib.error):
        return False


def download_mnist(folder=None, *, mirrors=MIRRORS, files=None, progress: Progress | None = None,
                   force: bool = False, timeout: float = TIMEOUT) -> list[FileResult]:
    """Make sure ``folder`` (default :func:`default_cache_dir`) holds every file of ``files`` (name → SHA-256
    of the decompressed content; default the four MNIST files), fetching what is missing from ``mirrors``.
    """
    folder = Path(folder) if folder is not None else default_cache_dir()
    files = MNIST_FILES if files is None else files
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DownloadError(f"{folder}: cannot create the folder ({err.strerror or err})") from None
    results = []
    for name, sha256 in files.items():
        target = folder / name
        if not force and target.is_file() and _content_ok(target, sha256):
            results.append(FileResult(name, target, "cached"))
            continue
        results.append(_fetch(name, sha256, target, mirrors, progress, timeout))
    return results


def _fetch(name, sha256, target: Path, mirrors, progress, timeout) -> FileResult:
    problems = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + name
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                _copy_url(url, out, name, progress, timeout)
            if not _content_ok(Path(tmp), sha256):
                problems.append(f"{url}: checksum mismatch (corrupted or a different file)")
                continue
            os.replace(tmp, target)
            return FileResult(name, target, "downloaded", url)
        except (urllib.error.URLError, OSError, ValueError) as err:
            reason = getattr(err, "reason", None) or getattr(err, "strerror", None) or err
            code = getattr(err, "code", None)
            problems.append(f"{url}: {'HTTP ' + str(code) if code else reason}")
        finally:
            Path(tmp).unlink(missing_ok=True)
    raise DownloadError(f"could not download {name}:\n  " + "\n  ".join(problems or ["no mirrors given"]))


def _copy_url(url: str, out, name: str, progress, timeout: float) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": "nnsim"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        done = 0
        if progress:
            progress(name, done, total)
        while chunk := response.read(CHUNK):
            out.write(chunk)
            done += len(chunk)
            if progress:
                progress(name, done, total)
        if total is not None and done < total:
            raise OSError(f"connection closed after {done} of {total} bytes")
