"""Trained networks as ``.npz`` files (plain arrays, never pickle, with a format name and version), or as
the book's ``network2.py`` JSON.

Arrays in the file: ``format`` (the string ``"nnsim-network"``), ``version`` (int), ``sizes`` (int, one
per layer), ``encoding`` (``"onehot"`` or ``"binary"``), ``n_classes`` (int), and for each layer l = 0, 1, …
``w{l}`` (sizes[l+1], sizes[l]) and ``b{l}`` (sizes[l+1],) as float32 or float64. Optional ``meta``: a JSON
string (training settings, accuracy) that nnsim shows but never needs. Files are read with
``allow_pickle=False`` and written atomically (a temporary file, then a rename).

A path ending in ``.json`` is the book's format, exactly as ``network2.Network.save`` writes it and
``network2.load`` reads it: ``{"sizes": [...], "weights": [...], "biases": [...], "cost": "..."}``, the
weights as nested lists (n_out, n_in), the biases as column vectors [[b₁], [b₂], …] (network2 keeps them
(n, 1)), the cost as the name of its class (``"QuadraticCost"`` or ``"CrossEntropyCost"``).
"""

from __future__ import annotations

import json
import io
from pathlib import Path

import numpy as np

from nnsim.core.errors import UserError
from nnsim.core.learning.costs import get_cost
from nnsim.core.learning.network import Network
from nnsim.io.files import atomic_write, loads_json, read_text
from nnsim.io.npzfile import read_npz

FORMAT = "nnsim-network"
VERSION = 1
#: network2.py's cost classes by name, and the cost each stands for
BOOK_COSTS = {"QuadraticCost": "quadratic", "CrossEntropyCost": "cross-entropy"}
#: Largest book-format file read (a 784-100-10 network is about 1.6 MB of JSON)
BOOK_LIMIT = 256 << 20
#: Most bytes of arrays a network file may declare (784-100-10 in float64 is 0.6 MB): a bound, so that a
#: header cannot make the loader allocate gigabytes.
MAX_NETWORK_BYTES = 1 << 30


class NetworkFileError(UserError):
    """A network file that cannot be read; the message names the file and the problem."""


def save_network(net: Network, path, meta: dict | None = None) -> Path:
    """Write ``net`` to ``path`` (``.npz``; ``.json``: the book's format, see the module doc) atomically;
    returns the path written."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return save_book_json(net, path, (meta or {}).get("cost", "quadratic"))
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
    if path.suffix.lower() == ".json":
        return load_book_json(path)
    # header first, then exactly the data it declares (np.load would allocate any shape a header names)
    arrays = read_npz(path, None, NetworkFileError, MAX_NETWORK_BYTES, kind="an nnsim network file (.npz)")
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
        except (ValueError, RecursionError):  # malformed or absurdly nested notes: the network still loads
            meta = {}
    return net, meta if isinstance(meta, dict) else {}


def _int(path, arrays, key) -> int:
    value = arrays.get(key)
    if value is None or value.shape != () or value.dtype.kind not in "iu":
        raise NetworkFileError(f"{path}: {key!r} must be one whole number")
    return int(value)


def save_book_json(net: Network, path, cost="quadratic") -> Path:
    """Write ``net`` as network2.py's ``save`` does (``json.dump`` of sizes, weights, biases, cost)."""
    path = Path(path)
    name = next(k for k, v in BOOK_COSTS.items() if v == get_cost(cost).name)
    data = {"sizes": [int(s) for s in net.sizes],
            "weights": [np.asarray(w, np.float64).tolist() for w in net.weights],
            "biases": [np.asarray(b, np.float64).reshape(-1, 1).tolist() for b in net.biases],
            "cost": name}
    atomic_write(path, json.dumps(data))
    return path


def load_book_json(path) -> tuple[Network, dict]:
    """A network saved by network2.py (or :func:`save_book_json`) and ``{"cost": ...}``; NetworkFileError
    naming the problem otherwise. Biases may be column vectors (as network2 writes them) or flat lists."""
    path = Path(path)
    doc = loads_json(read_text(path, NetworkFileError, BOOK_LIMIT), str(path), NetworkFileError)
    if not isinstance(doc, dict) or not {"sizes", "weights", "biases"} <= set(doc):
        raise NetworkFileError(f"{path}: not a network2 file (needs \"sizes\", \"weights\", \"biases\" and "
                               "\"cost\")")
    cost = doc.get("cost", "QuadraticCost")
    if cost not in BOOK_COSTS:
        raise NetworkFileError(f"{path}: unknown cost {cost!r}; network2 writes "
                               f"{' or '.join(BOOK_COSTS)}")
    sizes, weights, biases = doc["sizes"], doc["weights"], doc["biases"]
    if not isinstance(sizes, list) or len(sizes) < 2 or not all(type(s) is int and s > 0 for s in sizes):
        raise NetworkFileError(f"{path}: \"sizes\" must list at least two positive whole numbers")
    if not isinstance(weights, list) or not isinstance(biases, list) or \
            len(weights) != len(sizes) - 1 or len(biases) != len(sizes) - 1:
        raise NetworkFileError(f"{path}: sizes {sizes} need {len(sizes) - 1} weight matrices and bias "
                               "vectors")
    ws, bs = [], []
    for l, (w, b) in enumerate(zip(weights, biases)):
        try:
            w = np.array(w, dtype=np.float64)
            b = np.array(b, dtype=np.float64)
        except (TypeError, ValueError):
            raise NetworkFileError(f"{path}: layer {l + 1}: weights and biases must be lists of numbers") \
                from None
        if b.ndim == 2 and b.shape[1:] == (1,):
            b = b[:, 0]
        want = (sizes[l + 1], sizes[l])
        if w.shape != want or b.shape != (sizes[l + 1],):
            raise NetworkFileError(f"{path}: layer {l + 1} has weights {w.shape} and biases {b.shape}; "
                                   f"sizes {sizes} need {want} and ({sizes[l + 1]}, 1)")
        ws.append(w)
        bs.append(b)
    try:
        net = Network.from_arrays(ws, bs, dtype=np.float64)
    except UserError as err:
        raise NetworkFileError(f"{path}: {err}") from None
    return net, {"cost": BOOK_COSTS[cost], "format": "network2"}
