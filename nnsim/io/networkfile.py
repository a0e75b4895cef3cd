"""Trained networks as ``.npz`` files: plain arrays, never pickle, with a format name and version.

Arrays in the file: ``format`` (the string ``"nnsim-network"``), ``version`` (int), ``sizes`` (int, one
per layer), ``encoding`` (``"onehot"`` or ``"binary"``), ``n_classes`` (int), and for each layer l = 0, 1, …
``w{l}`` (sizes[l+1], sizes[l]) and ``b{l}`` (sizes[l+1],) as float32 or float64. Optional ``meta``: a JSON
string (training settings, accuracy) that nnsim shows but never needs. Files are read with
``allow_pickle=False`` and written atomically (a temporary file, then a rename).
"""

from __future__ import annotations

import json
import io
import zipfile
from pathlib import Path

import numpy as np

from nnsim.core.errors import UserError
from nnsim.core.learning.network import Network
from nnsim.io.files import atomic_write

FORMAT = "nnsim-network"
VERSION = 1


class NetworkFileError(UserError):
    """A network file that cannot be read; the message names the file and the problem."""


def save_network(net: Network, path, meta: dict | None = None) -> Path:
    """Write ``net`` to ``path`` (``.npz``) atomically; returns the path written."""
    path = Path(path)
    arrays = {
        "format": np.array(FORMAT), "version": np.array(VERSION, dtype=np.int64),
        "sizes": np.array(net.sizes, dtype=np.int64), "encoding": np.array(net.encoding),
        "n_classes": np.array(net.n_classes, dtype=np.int64),
    }
    for l, (w, b) in enumerate(zip(net.weights, net.biases)):
        arrays[f"w{l}"] = np.ascontiguousarray(w)
        arrays[f"b{l}"] = np.ascontiguousarray(b)
    if meta:
        arrays["meta"] = np.array(json.dumps(meta, sort_keys=True))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # a file object: savez adds no ".npz" of its own
    atomic_write(path, buffer.getvalue())
    return path


def load_network(path) -> Network:
    """Read a network written by :func:`save_network`; NetworkFileError naming the problem otherwise."""
    net, _ = load_network_with_meta(path)
    return net


def load_network_with_meta(path) -> tuple[Network, dict]:
    """The network and its ``meta`` dictionary (empty when the file has none)."""
    path = Path(path)
    if not path.is_file():
        raise NetworkFileError(f"{path}: no such file")
    try:
        npz = np.load(path, allow_pickle=False)
        if isinstance(npz, np.ndarray):  # a lone .npy
            raise NetworkFileError(f"{path}: not an nnsim network file (a single array, not an .npz)")
        with npz:
            arrays = {k: npz[k] for k in npz.files}
    except NetworkFileError:
        raise
    except ValueError as err:
        raise NetworkFileError(f"{path}: {err}") from None
    except (OSError, zipfile.BadZipFile, EOFError) as err:
        raise NetworkFileError(f"{path}: not an nnsim network file (.npz): {err}") from None
    if "format" not in arrays or str(arrays["format"]) != FORMAT:
        raise NetworkFileError(f"{path}: not an nnsim network file (no format {FORMAT!r})")
    version = _int(path, arrays, "version")
    if version > VERSION:
        raise NetworkFileError(f"{path}: written by a newer nnsim (network format version {version}; "
                               f"this one reads up to {VERSION})")
    if version < 1:
        raise NetworkFileError(f"{path}: bad format version {version}")
    sizes = arrays.get("sizes")
    if sizes is None or sizes.ndim != 1 or sizes.dtype.kind not in "iu" or len(sizes) < 2:
        raise NetworkFileError(f"{path}: 'sizes' must list at least two layer sizes")
    weights, biases = [], []
    for l in range(len(sizes) - 1):
        for key in (f"w{l}", f"b{l}"):
            if key not in arrays:
                raise NetworkFileError(f"{path}: array {key!r} is missing for sizes {sizes.tolist()}")
        w, b = arrays[f"w{l}"], arrays[f"b{l}"]
        if w.dtype.kind != "f" or b.dtype.kind != "f":
            raise NetworkFileError(f"{path}: layer {l + 1} holds {w.dtype}/{b.dtype}, not floats")
        if w.shape != (sizes[l + 1], sizes[l]) or b.shape != (sizes[l + 1],):
            raise NetworkFileError(f"{path}: layer {l + 1} has weights {w.shape} and biases {b.shape}; "
                                   f"sizes {sizes.tolist()} need {(int(sizes[l + 1]), int(sizes[l]))} "
                                   f"and {(int(sizes[l + 1]),)}")
        weights.append(w)
        biases.append(b)
    extra = sorted(k for k in arrays if k[:1] in "wb" and k[1:].isdigit() and int(k[1:]) >= len(sizes) - 1)
    if extra:
        raise NetworkFileError(f"{path}: arrays {', '.join(extra)} do not fit sizes {sizes.tolist()}")
    encoding = str(arrays["encoding"]) if "encoding" in arrays else None
    n_classes = _int(path, arrays, "n_classes") if "n_classes" in arrays else None
    try:
        net = Network.from_arrays(weights, biases, encoding=encoding, n_classes=n_classes,
                                  dtype=weights[0].dtype)
    except UserError as err:
        raise NetworkFileError(f"{path}: {err}") from None
    meta = {}
    if "meta" in arrays:
        try:
            meta = json.loads(str(arrays["meta"]))
        except json.JSONDecodeError:
            meta = {}
    return net, meta if isinstance(meta, dict) else {}


def _int(path, arrays, key) -> int:
    value = arrays.get(key)
    if value is None or value.shape != () or value.dtype.kind not in "iu":
        raise NetworkFileError(f"{path}: {key!r} must be one whole number")
    return int(value)
