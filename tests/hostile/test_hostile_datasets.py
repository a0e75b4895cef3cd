"""Hostile data sets: gzip bombs, headers that promise too much or too little, damaged deflate streams,
pickles and .npz headers that ask for gigabytes. The header is read first; no more than it promises is
ever inflated; the CLI exits 2 with the message and changes no file."""

import gzip
import io
import pickle
import zipfile

import numpy as np
import pytest
from hostile_helpers import snapshot

from nnsim.cli import main
from nnsim.io import datasets
from nnsim.io.datasets import DatasetError, load_mnist, read_idx_images, read_idx_labels
from nnsim.paths import mnist_dir

MB = 1 << 20


def gzip_of(head: bytes, zeros: int) -> bytes:
    """gzip of ``head`` then ``zeros`` zero bytes, built a megabyte at a time (a bomb without the memory)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=1) as gz:
        gz.write(head)
        block = bytes(MB)
        for _ in range(zeros // MB):
            gz.write(block)
        gz.write(bytes(zeros % MB))
    return out.getvalue()


def idx_head(n, rows=28, cols=28, magic=0x803) -> bytes:
    return b"".join(v.to_bytes(4, "big") for v in (magic, n, rows, cols))


def refused_by_cli(capsys, tmp_path, data, message):
    before = snapshot(tmp_path)
    assert main(["data", "info", "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert snapshot(tmp_path) == before


def test_an_idx_gz_bomb_is_cut_after_the_promised_size(tmp_path, capsys, monkeypatch):
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(gzip_of(idx_head(10), 200 * MB))  # 10 images promised, 200 MB sent
    reads = []
    real = gzip.GzipFile.read
    monkeypatch.setattr(gzip.GzipFile, "read", lambda self, n=-1: reads.append(n) or real(self, n))
    with pytest.raises(DatasetError, match="unexpected bytes after 10 images of 28×28"):
        read_idx_images(path)
    assert -1 not in reads and None not in reads  # never "read everything"


def test_a_header_declaring_gigabytes_is_refused_before_reading(tmp_path, capsys):
    path = tmp_path / "imgs"
    path.mkdir()
    (path / "train-images-idx3-ubyte.gz").write_bytes(gzip_of(idx_head(3_200_000), 0))
    for name in ("train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        (path / name).write_bytes((mnist_dir() / name).read_bytes())
    refused_by_cli(capsys, tmp_path, path, "the header declares 3,200,000 images of 28×28 (2.5 GB); nnsim reads "
                                           "at most 1.1 GB of pixels per file")


def test_bad_magic_in_a_gigabyte_of_zeros_is_refused_after_16_bytes(tmp_path):
    path = tmp_path / "zeros.gz"
    path.write_bytes(gzip_of(b"", 64 * MB))
    with pytest.raises(DatasetError, match="wrong magic number 0x00000000"):
        read_idx_images(path)
    with pytest.raises(DatasetError, match="wrong magic number 0x00000000"):
        read_idx_labels(path)


def test_an_image_side_beyond_the_limit(tmp_path):
    path = tmp_path / "wide"
    path.write_bytes(idx_head(1, 1, 100_000))
    with pytest.raises(DatasetError, match=r"images of 1×100000 pixels \(each side must be 1…1024\)"):
        read_idx_images(path)


def damaged(data: bytes, how: str) -> bytes:
    """``data`` (a gzip file) truncated, with a wrong CRC, or with 64 bytes of its deflate stream zeroed."""
    if how == "truncated":
        return data[:len(data) // 2]
    if how == "crc":
        return data[:-8] + bytes(4) + data[-4:]
    middle = bytearray(data)
    middle[len(data) // 2: len(data) // 2 + 64] = bytes(64)
    return bytes(middle)


DAMAGE = [("truncated", "damaged compressed data"), ("crc", "damaged compressed data"), ("middle", None)]


@pytest.mark.parametrize("how, message", DAMAGE)
@pytest.mark.parametrize("name", ["t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"])
def test_a_damaged_deflate_stream_in_idx(tmp_path, name, how, message):
    path = tmp_path / name
    path.write_bytes(damaged((mnist_dir() / name).read_bytes(), how))
    reader = read_idx_labels if "labels" in name else read_idx_images
    with pytest.raises(DatasetError, match=message):  # "middle": whatever the inflated bytes say
        reader(path)


def big_array_pickle() -> bytes:
    class Big:
        def __reduce__(self):
            return (np.ndarray, ((3_200_000, 784),))

    text = pickle.dumps(((Big(), Big()), (Big(), Big()), (Big(), Big())), protocol=2)
    assert len(text) < 120
    return text


def test_a_tiny_pickle_asking_for_gigabytes_is_refused(tmp_path, capsys):
    path = tmp_path / "mnist.pkl.gz"
    path.write_bytes(gzip.compress(big_array_pickle()))
    refused_by_cli(capsys, tmp_path, path, "the pickle asks for arrays of shape (3200000, 784) and more")


def test_a_pkl_gz_that_inflates_beyond_the_limit(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(datasets, "MAX_DATA_BYTES", 8 * MB)
    payload = b"\x80\x04\x8e" + (64 * MB).to_bytes(8, "little")  # BINBYTES8 of 64 MB
    path = tmp_path / "mnist.pkl.gz"
    path.write_bytes(gzip_of(payload, 64 * MB))
    refused_by_cli(capsys, tmp_path, path, "inflates to more than 8.4 MB")


@pytest.mark.parametrize("how, message", DAMAGE)
def test_a_damaged_pkl_gz(tmp_path, capsys, how, message):
    rng = np.random.default_rng(0)
    part = (rng.random((200, 16), dtype=np.float32), rng.integers(0, 10, 200))
    path = tmp_path / "mnist.pkl.gz"
    path.write_bytes(damaged(gzip.compress(pickle.dumps((part, part, part), protocol=2)), how))
    refused_by_cli(capsys, tmp_path, path, message or "")


def npz_with_header(shape, dtype="<f4", body=b"") -> bytes:
    npy = io.BytesIO()
    np.lib.format.write_array_header_1_0(npy, {"descr": dtype, "fortran_order": False, "shape": shape})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ("x_train", "y_train", "x_test", "y_test"):
            z.writestr(f"{name}.npy", npy.getvalue() + body)
    return out.getvalue()


def test_an_npz_header_declaring_784_gb(tmp_path, capsys):
    path = tmp_path / "keras.npz"
    path.write_bytes(npz_with_header((250_000_000, 784)))
    refused_by_cli(capsys, tmp_path, path, "x_train of shape (250000000, 784) (float32)")


def test_an_npz_member_that_inflates_to_gigabytes_is_read_only_as_far_as_declared(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "MAX_DATA_BYTES", 4 * MB)
    path = tmp_path / "keras.npz"
    path.write_bytes(npz_with_header((2_000, 784), body=bytes(16 * MB)))
    with pytest.raises(DatasetError, match="x_train of shape"):
        load_mnist(path)


def test_a_network_file_declaring_gigabytes_is_refused(tmp_path, capsys):
    path = tmp_path / "net.npz"
    path.write_bytes(npz_with_header((250_000_000, 784)))
    before = snapshot(tmp_path)
    assert main(["evaluate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "of shape (250000000, 784) (float32)" in err and "at most 1.1 GB" in err
    assert snapshot(tmp_path) == before


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes")
@pytest.mark.parametrize("argv", [["evaluate", "{}"], ["data", "info", "--data", "{}"]])
def test_a_fifo_as_network_or_data_is_refused_without_blocking(tmp_path, capsys, argv):
    import os

    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    assert main([a.format(fifo) for a in argv]) == 2
    assert "is a named pipe (FIFO), not a file" in capsys.readouterr().err
