"""MNIST and MNIST-like data sets: the bundled files, IDX folders, Nielsen's ``mnist.pkl.gz``, Keras ``.npz``.

:func:`load_mnist` returns an :class:`MnistData` split the book's way: the first 50,000 training images
for training, the last 10,000 for validation, the 10,000 test images for testing. Images are rows of
rows×cols pixels; ``.training``/``.validation``/``.test`` give ``(X float32 in [0, 1], y int)`` pairs,
while :meth:`MnistData.compact` keeps 8-bit pixels as uint8 (4× less memory; the trainer accepts both).

Accepted sources (``path``):

* ``None``: the copy bundled with nnsim (``resources/mnist``);
* a folder holding the four IDX files, gzipped or raw, named ``train-images-idx3-ubyte`` or
  ``train-images.idx3-ubyte`` (and likewise ``train-labels``, ``t10k-images``, ``t10k-labels``);
* Nielsen's ``mnist.pkl.gz`` (read by a restricted unpickler that builds only NumPy arrays and tuples);
* a Keras-style ``.npz`` with ``x_train, y_train, x_test, y_test`` (read with ``allow_pickle=False``).

Any 10-class set of equally sized images in these formats works the same way (Fashion-MNIST, say).
A broken file raises :class:`DatasetError` naming the file and the problem.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import pickle
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from nnsim.core.errors import UserError
from nnsim.io.files import open_regular
from nnsim.io.npzfile import read_exactly, read_npz
from nnsim.paths import mnist_dir

N_CLASSES = 10
N_VALIDATION = 10_000
IMAGE_MAGIC = 0x00000803  # unsigned bytes, 3 dimensions
LABEL_MAGIC = 0x00000801  # unsigned bytes, 1 dimension
#: Most bytes of pixels (or labels) one data file may declare: training holds them in memory along with
#: float32 copies (4× more), so a larger set would not fit a usual machine. MNIST's training images are 47 MB.
MAX_DATA_BYTES = 1 << 30
#: Largest image side accepted (pixels); MNIST's is 28.
MAX_SIDE = 1024
STEMS = {
    "train_images": ("train-images-idx3-ubyte", "train-images.idx3-ubyte"),
    "train_labels": ("train-labels-idx1-ubyte", "train-labels.idx1-ubyte"),
    "test_images": ("t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"),
    "test_labels": ("t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"),
}


class DatasetError(UserError):
    """A data file that cannot be read; the message names the file and the problem."""


@dataclass
class MnistData:
    """Images (n, rows·cols) as uint8 pixels or floats in [0, 1], labels (n,) in 0…9, and where they came from.

    ``training``, ``validation``, ``test``: ``(X float32 (n, rows·cols), y int (n,))``, converted on first use.
    """

    train_images: np.ndarray
    train_labels: np.ndarray
    validation_images: np.ndarray
    validation_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    source: str
    image_shape: tuple[int, int] = (28, 28)
    _floats: dict = field(default_factory=dict, repr=False, compare=False)

    def __repr__(self):
        return (f"MnistData({len(self.train_labels)} training, {len(self.validation_labels)} validation, "
                f"{len(self.test_labels)} test images of {self.image_shape[0]}×{self.image_shape[1]} "
                f"from {self.source})")

    @property
    def n_pixels(self) -> int:
        return self.image_shape[0] * self.image_shape[1]

    @property
    def n_classes(self) -> int:
        return N_CLASSES

    def compact(self, split: str) -> tuple[np.ndarray, np.ndarray]:
        """``(X, y)`` of ``"training"``, ``"validation"`` or ``"test"`` as stored (uint8 when the source was)."""
        try:
            prefix = {"training": "train", "validation": "validation", "test": "test"}[split]
        except KeyError:
            raise ValueError(f"no split {split!r}: training, validation or test") from None
        return getattr(self, f"{prefix}_images"), getattr(self, f"{prefix}_labels")

    def floats(self, split: str) -> tuple[np.ndarray, np.ndarray]:
        """``(X float32 in [0, 1], y)`` of a split (converted once, then cached)."""
        if split not in self._floats:
            X, y = self.compact(split)
            self._floats[split] = (to_float32(X), y)
        return self._floats[split]

    @property
    def training(self) -> tuple[np.ndarray, np.ndarray]:
        return self.floats("training")

    @property
    def validation(self) -> tuple[np.ndarray, np.ndarray]:
        return self.floats("validation")

    @property
    def test(self) -> tuple[np.ndarray, np.ndarray]:
        return self.floats("test")

    def limit(self, n_train: int | None = None, n_validation: int | None = None,
              n_test: int | None = None) -> "MnistData":
        """The same data with at most ``n_train`` training (and so on) images: the first ones, as views."""
        def cut(images, labels, n):
            if n is None:
                return images, labels
            if int(n) != n or n < 0:
                raise UserError(f"an image count must be a whole number ≥ 0, not {n!r}")
            return images[:int(n)], labels[:int(n)]

        tx, ty = cut(self.train_images, self.train_labels, n_train)
        vx, vy = cut(self.validation_images, self.validation_labels, n_validation)
        sx, sy = cut(self.test_images, self.test_labels, n_test)
        return replace(self, train_images=tx, train_labels=ty, validation_images=vx, validation_labels=vy,
                       test_images=sx, test_labels=sy, _floats={})

    def summary(self) -> dict:
        """Counts, image shape, pixel type and source, for ``nnsim data info``."""
        return {"source": self.source, "image_shape": list(self.image_shape), "classes": self.n_classes,
                "training": len(self.train_labels), "validation": len(self.validation_labels),
                "test": len(self.test_labels), "pixels": str(self.train_images.dtype),
                "training_class_counts": np.bincount(self.train_labels, minlength=N_CLASSES).tolist()}


def to_float32(X: np.ndarray) -> np.ndarray:
    """uint8 pixels → float32 in [0, 1]; float32 arrays are returned as they are."""
    if X.dtype == np.uint8:
        out = X.astype(np.float32)
        out *= np.float32(1 / 255)
        return out
    return X.astype(np.float32, copy=False)


# -- entry point ----------------------------------------------------------------------------------------

def load_mnist(path=None, *, n_validation: int = N_VALIDATION) -> MnistData:
    """Load a data set from ``path`` (see the module doc; None: the bundled MNIST), split as the book does.

    ``n_validation``: how many of the last training images are held out for validation (10,000; a
    smaller set keeps a sixth of its training images). ``mnist.pkl.gz`` comes split already.
    """
    if path is None:
        return _load_default(n_validation)
    path = Path(path)
    if path.is_dir():
        single = _single_file_in(path)
        if single is not None:
            return load_mnist(single, n_validation=n_validation)
        return load_idx_folder(path, n_validation=n_validation)
    if not path.exists():
        raise DatasetError(f"{path}: no such file or folder")
    name = path.name.lower()
    if name.endswith((".pkl.gz", ".pkl", ".pickle", ".pickle.gz")):
        return load_pickle(path)
    if name.endswith(".npz"):
        return load_npz(path, n_validation=n_validation)
    raise DatasetError(f"{path}: not a data set nnsim reads (a folder of IDX files, mnist.pkl.gz or a .npz)")


def _load_default(n_validation: int) -> MnistData:
    """The bundled copy; failing that (an installation without resources), the download cache."""
    try:
        folder = mnist_dir()
        find_idx_files(folder)
    except (FileNotFoundError, DatasetError):
        from nnsim.io.download import default_cache_dir

        cache = default_cache_dir()
        try:
            find_idx_files(cache)
        except DatasetError:
            raise DatasetError("the MNIST files bundled with nnsim are missing and none were downloaded: "
                               "run 'nnsim data download' or give --data PATH") from None
        return load_idx_folder(cache, n_validation=n_validation, source=f"MNIST downloaded to {cache}")
    return load_idx_folder(folder, n_validation=n_validation, source="bundled MNIST")


def _single_file_in(folder: Path) -> Path | None:
    """A folder without IDX files but with one mnist.pkl.gz or .npz: that file."""
    if any((folder / f"{stem}{ext}").is_file() for stems in STEMS.values() for stem in stems
           for ext in ("", ".gz")):
        return None
    files = [p for p in folder.iterdir() if p.name.lower().endswith((".pkl.gz", ".pkl", ".npz"))]
    return files[0] if len(files) == 1 else None


def _split(train_images, train_labels, test_images, test_labels, source, shape, n_validation) -> MnistData:
    n = len(train_labels)
    if n_validation < 0 or n_validation != int(n_validation):
        raise UserError(f"the validation size must be a whole number ≥ 0, not {n_validation!r}")
    n_val = min(int(n_validation), n // 6) if n < 6 * int(n_validation) else int(n_validation)
    cut = n - n_val
    return MnistData(train_images[:cut], train_labels[:cut], train_images[cut:], train_labels[cut:],
                     test_images, test_labels, source, shape)


# -- IDX ------------------------------------------------------------------------------------------------

def find_idx_files(folder) -> dict[str, Path]:
    """The four IDX files in ``folder`` under either common name, gzipped or not."""
    folder = Path(folder)
    found = {}
    for key, stems in STEMS.items():
        for stem in stems:
            for candidate in (folder / f"{stem}.gz", folder / stem):
                if candidate.is_file():
                    found[key] = candidate
                    break
            if key in found:
                break
        if key not in found:
            raise DatasetError(f"{folder}: no {stems[0]}[.gz] (or {stems[1]}[.gz]) in this folder")
    return found


def load_idx_folder(folder, *, n_validation: int = N_VALIDATION, source: str | None = None) -> MnistData:
    files = find_idx_files(folder)
    train_x, shape = read_idx_images(files["train_images"])
    train_y = read_idx_labels(files["train_labels"])
    test_x, test_shape = read_idx_images(files["test_images"])
    test_y = read_idx_labels(files["test_labels"])
    _check_pair(files["train_images"], train_x, files["train_labels"], train_y)
    _check_pair(files["test_images"], test_x, files["test_labels"], test_y)
    if test_shape != shape:
        raise DatasetError(f"{files['test_images']}: images are {test_shape[0]}×{test_shape[1]}, "
                           f"the training images {shape[0]}×{shape[1]}")
    return _split(train_x, train_y, test_x, test_y, source or str(Path(folder)), shape, n_validation)


@contextlib.contextmanager
def _open_stream(path: Path):
    """A regular file opened for reading, through gzip when it starts with gzip's magic bytes (checked by
    content, not name). Read errors inside the block, damaged deflate data included, become
    :class:`DatasetError` naming the file."""
    compressed = False
    try:
        with open_regular(path, DatasetError) as fh:
            head = fh.read(2)
            fh.seek(0)
            compressed = head == b"\x1f\x8b"
            if compressed:
                with gzip.GzipFile(fileobj=fh) as gz:
                    yield gz
            else:
                yield fh
    except (OSError, EOFError, zlib.error) as err:
        if compressed and isinstance(err, (zlib.error, EOFError, gzip.BadGzipFile)):
            raise DatasetError(f"{path}: damaged compressed data ({err})") from None
        if isinstance(err, EOFError):
            raise DatasetError(f"{path}: truncated ({err})") from None
        raise DatasetError(f"{path}: cannot read the file ({err})") from None


def _check_declared(path, what: str, count: int, item_bytes: int, described: str) -> None:
    """Refuse a header that declares more data than :data:`MAX_DATA_BYTES` before anything is read."""
    total = count * item_bytes
    if total > MAX_DATA_BYTES:
        raise DatasetError(f"{path}: the header declares {described} ({_gb(total)}); nnsim reads at most "
                           f"{_gb(MAX_DATA_BYTES)} of {what} per file, since training keeps them in memory "
                           "(with float copies)")


def _gb(n: int) -> str:
    return f"{n / 1e9:,.1f} GB" if n >= 1e8 else f"{n / 1e6:,.1f} MB"


def read_idx_images(path, limit: int | None = None) -> tuple[np.ndarray, tuple[int, int]]:
    """An IDX image file (magic 2051): ``(uint8 array (n, rows·cols), (rows, cols))``. ``limit``: first n.

    The 16-byte header is read and checked first (magic number, image size, declared total within
    :data:`MAX_DATA_BYTES`); then exactly the bytes it promises are read, and one more is refused."""
    path = Path(path)
    with _open_stream(path) as stream:
        head = stream.read(16)
        if len(head) < 16:
            raise DatasetError(f"{path}: too short for an IDX image file ({len(head)} bytes)")
        magic, n, rows, cols = (int.from_bytes(head[i:i + 4], "big") for i in range(0, 16, 4))
        if magic != IMAGE_MAGIC:
            raise DatasetError(f"{path}: wrong magic number 0x{magic:08x} for an IDX image file "
                               f"(expected 0x{IMAGE_MAGIC:08x})")
        if not (1 <= rows <= MAX_SIDE and 1 <= cols <= MAX_SIDE):
            raise DatasetError(f"{path}: images of {rows}×{cols} pixels (each side must be 1…{MAX_SIDE})")
        count = n if limit is None else min(n, int(limit))
        _check_declared(path, "pixels", count, rows * cols, f"{count:,} images of {rows}×{cols}")
        need = count * rows * cols
        data = read_exactly(stream, need)
        if len(data) < need:
            raise DatasetError(f"{path}: truncated: the header announces {n} images of {rows}×{cols} "
                               f"({16 + n * rows * cols} bytes) but the file has {16 + len(data)}")
        if limit is None and stream.read(1):
            raise DatasetError(f"{path}: unexpected bytes after {n} images of {rows}×{cols}")
    return data.reshape(count, rows * cols), (rows, cols)


def read_idx_labels(path, limit: int | None = None) -> np.ndarray:
    """An IDX label file (magic 2049): int64 labels (n,), each checked to lie in 0…9 (header first, as
    :func:`read_idx_images`)."""
    path = Path(path)
    with _open_stream(path) as stream:
        head = stream.read(8)
        if len(head) < 8:
            raise DatasetError(f"{path}: too short for an IDX label file ({len(head)} bytes)")
        magic, n = int.from_bytes(head[:4], "big"), int.from_bytes(head[4:8], "big")
        if magic != LABEL_MAGIC:
            raise DatasetError(f"{path}: wrong magic number 0x{magic:08x} for an IDX label file "
                               f"(expected 0x{LABEL_MAGIC:08x})")
        count = n if limit is None else min(n, int(limit))
        _check_declared(path, "labels", count, 1, f"{count:,} labels")
        data = read_exactly(stream, count)
        if len(data) < count:
            raise DatasetError(f"{path}: truncated: the header announces {n} labels but the file holds "
                               f"{len(data)}")
        if limit is None and stream.read(1):
            raise DatasetError(f"{path}: unexpected bytes after {n} labels")
    labels = data.astype(np.int64)
    _check_labels(path, labels)
    return labels


def _check_labels(path, labels: np.ndarray) -> None:
    bad = np.flatnonzero((labels < 0) | (labels >= N_CLASSES))
    if bad.size:
        raise DatasetError(f"{path}: label {labels[bad[0]]} at position {bad[0]} is out of range "
                           f"(labels must be 0…{N_CLASSES - 1}; {bad.size} bad in all)")


def _check_pair(image_path, images, label_path, labels) -> None:
    if len(images) != len(labels):
        raise DatasetError(f"{image_path} holds {len(images)} images but {Path(label_path).name} holds "
                           f"{len(labels)} labels")


# -- Nielsen's mnist.pkl.gz -----------------------------------------------------------------------------

class _SafeUnpickler(pickle.Unpickler):
    """An unpickler that can build NumPy arrays (and the tuples around them) and nothing else.

    Pickle calls ``find_class`` for every global a stream names; this one admits only what an ndarray's
    pickle needs (``_reconstruct``, ``ndarray``, ``dtype``, ``scalar`` for 0-d values, and the latin-1
    ``_codecs.encode`` that Python 3 writes for bytes at protocol 2). Anything else — ``os.system``, a custom
    class — is refused before it is imported or called. Every shape a stream asks for is counted against
    :data:`MAX_DATA_BYTES` before it is allocated (a 75-byte pickle could otherwise ask for gigabytes). The
    arrays' dtypes are checked after loading (object arrays are rejected there).
    """

    def __init__(self, file, **kwargs):
        super().__init__(file, **kwargs)
        self.allocated = 0

    def find_class(self, module, name):
        if (module, name) in _RECONSTRUCT_NAMES:
            return self._reconstruct
        if (module, name) == ("numpy", "ndarray"):
            return self._ndarray
        allowed = _ALLOWED_GLOBALS.get((module, name))
        if allowed is None:
            raise pickle.UnpicklingError(f"refusing to load {module}.{name}: only NumPy arrays are allowed")
        return allowed

    def _count(self, shape, dtype) -> None:
        dims = (shape,) if isinstance(shape, int) else shape
        if not isinstance(dims, tuple) or not all(isinstance(d, int) and d >= 0 for d in dims):
            raise pickle.UnpicklingError(f"refusing an array of shape {shape!r}")
        size = np.dtype(dtype).itemsize
        for d in dims:
            size *= d
        self.allocated += size
        if self.allocated > MAX_DATA_BYTES:
            raise pickle.UnpicklingError(
                f"the pickle asks for arrays of shape {dims} and more, {_gb(self.allocated)} in all; nnsim "
                f"reads at most {_gb(MAX_DATA_BYTES)} per file, since training keeps the data in memory")

    def _reconstruct(self, cls, shape, dtype):
        """What ``numpy.core.multiarray._reconstruct`` is inside the stream: always a plain ndarray."""
        self._count(shape, dtype)
        return _RECONSTRUCT(np.ndarray, shape, dtype)

    def _ndarray(self, shape, dtype=float, *args, **kwargs):
        """``numpy.ndarray(shape, …)`` called by the stream: counted first."""
        self._count(shape, dtype)
        return np.ndarray(shape, dtype, *args, **kwargs)


class _Capped(io.RawIOBase):
    """Reads from ``stream`` but refuses to go beyond ``cap`` bytes (a small .pkl.gz can inflate to GBs)."""

    def __init__(self, stream, cap: int, path):
        super().__init__()
        self._stream, self._left, self._cap, self._path = stream, cap, cap, path

    def readable(self):
        return True

    def readinto(self, buffer):
        n = self._stream.readinto(memoryview(buffer)[:max(1, min(len(buffer), self._left + 1))])
        self._left -= n
        if self._left < 0:
            raise DatasetError(f"{self._path}: inflates to more than {_gb(self._cap)}; nnsim reads at most "
                               "that much per file, since training keeps the data in memory")
        return n


def _latin1_bytes(text, encoding="latin1"):
    """What ``_codecs.encode`` does in a protocol-2 pickle of bytes, for that one encoding only."""
    if not isinstance(text, str) or encoding not in ("latin1", "latin-1"):
        raise pickle.UnpicklingError("refusing _codecs.encode other than str → latin-1 bytes")
    return text.encode("latin1")


_RECONSTRUCT = np.ndarray.__reduce__(np.empty(0))[0]  # numpy's own _reconstruct, wherever it lives
_SCALAR = np.float64(1.0).__reduce__()[0]
_RECONSTRUCT_NAMES = {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct")}
_ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "scalar"): _SCALAR,
    ("numpy._core.multiarray", "scalar"): _SCALAR,
    ("numpy", "dtype"): np.dtype,
    ("_codecs", "encode"): _latin1_bytes,
}


def load_pickle(path) -> MnistData:
    """Nielsen's ``mnist.pkl.gz``: ``((train_x, train_y), (valid_x, valid_y), (test_x, test_y))``."""
    path = Path(path)
    with _open_stream(path) as stream:
        capped = io.BufferedReader(_Capped(stream, MAX_DATA_BYTES, path), 1 << 20)
        try:
            obj = _SafeUnpickler(capped, encoding="latin1").load()
        except (DatasetError, OSError, EOFError, zlib.error):
            raise  # the stream's own errors: _open_stream names them
        except pickle.UnpicklingError as err:
            raise DatasetError(f"{path}: {err}") from None
        except Exception as err:  # a malformed stream can fail in many ways inside pickle
            raise DatasetError(f"{path}: not a readable pickle ({type(err).__name__}: {err})") from None
    if not (isinstance(obj, tuple) and len(obj) == 3
            and all(isinstance(p, tuple) and len(p) == 2 for p in obj)):
        raise DatasetError(f"{path}: expected a tuple of three (images, labels) pairs like Nielsen's "
                           f"mnist.pkl.gz, found {_describe(obj)}")
    parts = []
    shape = None
    for what, (X, y) in zip(("training", "validation", "test"), obj):
        X, s = _check_images(path, what, X)
        y = _check_label_array(path, what, y)
        if len(X) != len(y):
            raise DatasetError(f"{path}: the {what} part has {len(X)} images but {len(y)} labels")
        if shape is not None and s != shape:
            raise DatasetError(f"{path}: the {what} images are {s[0]}×{s[1]}, the training images "
                               f"{shape[0]}×{shape[1]}")
        shape = s
        parts += [X, y]
    return MnistData(*parts, source=str(path), image_shape=shape)


def _describe(obj) -> str:
    if isinstance(obj, tuple):
        return f"a tuple of {len(obj)}"
    return type(obj).__name__


# -- Keras-style .npz -----------------------------------------------------------------------------------

def load_npz(path, *, n_validation: int = N_VALIDATION) -> MnistData:
    """A ``.npz`` with ``x_train, y_train, x_test, y_test`` (as ``keras.datasets.mnist`` stores it)."""
    path = Path(path)
    arrays = read_npz(path, ("x_train", "y_train", "x_test", "y_test"), DatasetError, MAX_DATA_BYTES)
    train_x, shape = _check_images(path, "x_train", arrays["x_train"])
    test_x, test_shape = _check_images(path, "x_test", arrays["x_test"])
    train_y = _check_label_array(path, "y_train", arrays["y_train"])
    test_y = _check_label_array(path, "y_test", arrays["y_test"])
    for what, X, y in (("train", train_x, train_y), ("test", test_x, test_y)):
        if len(X) != len(y):
            raise DatasetError(f"{path}: x_{what} holds {len(X)} images but y_{what} {len(y)} labels")
    if shape != test_shape:
        raise DatasetError(f"{path}: x_test images are {test_shape[0]}×{test_shape[1]}, x_train "
                           f"{shape[0]}×{shape[1]}")
    return _split(train_x, train_y, test_x, test_y, str(path), shape, n_validation)


def _check_images(path, what, X) -> tuple[np.ndarray, tuple[int, int]]:
    """Images from an array: (n, rows, cols) or (n, pixels) of a square; uint8 kept, floats must be in [0, 1]."""
    if not isinstance(X, np.ndarray):
        raise DatasetError(f"{path}: the {what} images are a {type(X).__name__}, not an array")
    if X.ndim == 3:
        shape = (X.shape[1], X.shape[2])
    elif X.ndim == 2:
        side = int(round(X.shape[1] ** 0.5))
        if side * side != X.shape[1]:
            raise DatasetError(f"{path}: the {what} images have {X.shape[1]} pixels, not a square")
        shape = (side, side)
    else:
        raise DatasetError(f"{path}: the {what} images have shape {X.shape}; expected (n, rows, cols)")
    if min(shape) < 1:
        raise DatasetError(f"{path}: the {what} images are {shape[0]}×{shape[1]}")
    X = X.reshape(len(X), shape[0] * shape[1])
    if X.dtype == np.uint8:
        return np.ascontiguousarray(X), shape
    if X.dtype.kind in "iu":
        if X.size and (X.min() < 0 or X.max() > 255):
            raise DatasetError(f"{path}: the {what} pixels run from {X.min()} to {X.max()}, not 0…255")
        return X.astype(np.uint8), shape
    if X.dtype.kind == "f":
        if X.size and not (np.isfinite(X).all() and X.min() >= 0 and X.max() <= 1):
            raise DatasetError(f"{path}: the {what} pixels must be floats in [0, 1]")
        return X.astype(np.float32), shape
    raise DatasetError(f"{path}: the {what} images hold {X.dtype} values, not pixels")


def _check_label_array(path, what, y) -> np.ndarray:
    if not isinstance(y, np.ndarray) or y.ndim != 1:
        raise DatasetError(f"{path}: the {what} labels must be a 1-D array, not {_describe_array(y)}")
    if y.dtype.kind not in "iu":
        if y.dtype.kind == "f" and y.size and np.all(np.isfinite(y)) and np.all(y == np.round(y)):
            y = y.astype(np.int64)
        else:
            raise DatasetError(f"{path}: the {what} labels hold {y.dtype} values, not whole numbers")
    y = y.astype(np.int64)
    _check_labels(f"{path} ({what})", y)
    return y


def _describe_array(y) -> str:
    return f"an array of shape {y.shape}" if isinstance(y, np.ndarray) else f"a {type(y).__name__}"
