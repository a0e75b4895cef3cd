"""Reading ``.npz`` archives safely: each member's ``.npy`` header is read and checked first (no object
arrays, which need pickle; the shapes it declares within a byte limit), then exactly the data it promises.

``np.load`` allocates whatever shape a header declares: a 1 KB archive declaring a 784 GB array raised
MemoryError (or took the machine's memory) before anything could be checked.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import numpy as np

from nnsim.core.errors import UserError
from nnsim.io.files import open_regular


def read_exactly(stream, n: int) -> np.ndarray:
    """Up to ``n`` bytes of ``stream`` into a new uint8 array (n,), cut short at the end of the stream."""
    out = np.empty(n, np.uint8)
    view = memoryview(out)
    got = 0
    while got < n:
        k = stream.readinto(view[got:])
        if not k:
            return out[:got]
        got += k
    return out


def _gb(n: int) -> str:
    return f"{n / 1e9:,.1f} GB" if n >= 1e8 else f"{n / 1e6:,.1f} MB"


def read_npz(path, names=None, error: type[UserError] = UserError, limit: int = 1 << 30,
             kind: str = "a readable .npz file") -> dict[str, np.ndarray]:
    """The arrays ``names`` (default: all) of the .npz at ``path``, refusing with ``error`` (naming the file)
    a missing array, an object array, and declared shapes beyond ``limit`` bytes in all; a file that is not
    an archive at all is "not ``kind``"."""
    path = Path(path)
    arrays = {}
    declared = 0
    with open_regular(path, error) as fh:
        try:
            with zipfile.ZipFile(fh) as archive:
                members = {m[:-4] if m.endswith(".npy") else m: m for m in archive.namelist()}
                wanted = list(members) if names is None else list(names)
                missing = [k for k in wanted if k not in members]
                if missing:
                    raise error(f"{path}: missing array(s) {', '.join(missing)} "
                                f"(found {', '.join(members) or 'none'})")
                for name in wanted:
                    with archive.open(members[name]) as member:
                        shape, dtype, fortran = _npy_header(path, name, member, error)
                        count = 1
                        for d in shape:
                            count *= d
                        declared += count * dtype.itemsize
                        if declared > limit:
                            raise error(f"{path}: the header declares {name} of shape {shape} ({dtype}) and the "
                                        f"arrays before it ({_gb(declared)}); nnsim reads at most {_gb(limit)} "
                                        "of array data per file, since it keeps them in memory")
                        data = read_exactly(member, count * dtype.itemsize)
                        if len(data) < count * dtype.itemsize:
                            raise error(f"{path}: {name} is truncated")
                        arrays[name] = data.view(dtype).reshape(shape, order="F" if fortran else "C")
        except UserError:
            raise
        except (OSError, zipfile.BadZipFile, EOFError, zlib.error, ValueError) as err:
            raise error(f"{path}: not {kind} ({err})") from None
    return arrays


def _npy_header(path, name, member, error):
    """``(shape, dtype, fortran_order)`` from an .npy header, refusing object arrays."""
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
    else:
        raise error(f"{path}: {name} is an .npy of version {version[0]}.{version[1]}; nnsim reads 1.0 and 2.0")
    if dtype.hasobject:
        raise error(f"{path}: {name} holds Python objects (Object arrays need pickle, which nnsim never uses "
                    "for data)")
    return shape, dtype, fortran
