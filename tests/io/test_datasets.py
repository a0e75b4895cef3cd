"""Data loaders on small files the tests write: IDX (gz and raw, both namings), mnist.pkl.gz, .npz, bad files."""

import gzip
import os
import pickle

import numpy as np
import pytest

from nnsim.io.datasets import (DatasetError, MnistData, _SafeUnpickler, find_idx_files, load_mnist,
                               read_idx_images, read_idx_labels)

RNG = np.random.default_rng(0)


def idx_images(images: np.ndarray, magic=0x803, count=None) -> bytes:
    n, rows, cols = images.shape
    header = b"".join(int(v).to_bytes(4, "big") for v in (magic, n if count is None else count, rows, cols))
    return header + images.astype(np.uint8).tobytes()


def idx_labels(labels: np.ndarray, magic=0x801, count=None) -> bytes:
    header = b"".join(int(v).to_bytes(4, "big") for v in (magic, len(labels) if count is None else count))
    return header + labels.astype(np.uint8).tobytes()


def make_set(n_train=60, n_test=20, side=28):
    tx = RNG.integers(0, 256, (n_train, side, side)).astype(np.uint8)
    ty = np.arange(n_train) % 10
    sx = RNG.integers(0, 256, (n_test, side, side)).astype(np.uint8)
    sy = (np.arange(n_test) * 3) % 10
    return tx, ty, sx, sy


def write_idx_folder(folder, data, gz=True, dotted=False, overrides=None):
    tx, ty, sx, sy = data
    blobs = {"train-images": idx_images(tx), "train-labels": idx_labels(ty),
             "t10k-images": idx_images(sx), "t10k-labels": idx_labels(sy)}
    blobs.update(overrides or {})
    folder.mkdir(exist_ok=True)
    for stem, blob in blobs.items():
        kind = "idx3" if "images" in stem else "idx1"
        name = f"{stem}.{kind}-ubyte" if dotted else f"{stem}-{kind}-ubyte"
        if gz:
            (folder / f"{name}.gz").write_bytes(gzip.compress(blob))
        else:
            (folder / name).write_bytes(blob)
    return folder


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("dotted", [False, True])
def test_idx_folder_gz_or_raw_either_naming(tmp_path, gz, dotted):
    data = make_set()
    folder = write_idx_folder(tmp_path / "set", data, gz=gz, dotted=dotted)
    mnist = load_mnist(folder)
    assert isinstance(mnist, MnistData) and mnist.source == str(folder)
    # 60 training images: a sixth (10) held out for validation, the last ones, as the book's split
    assert len(mnist.train_labels) == 50 and len(mnist.validation_labels) == 10 and len(mnist.test_labels) == 20
    np.testing.assert_array_equal(mnist.compact("training")[0], data[0][:50].reshape(50, 784))
    np.testing.assert_array_equal(mnist.compact("validation")[1], data[1][50:])
    X, y = mnist.training
    assert X.dtype == np.float32 and X.shape == (50, 784) and 0 <= X.min() and X.max() <= 1
    np.testing.assert_allclose(X * 255, data[0][:50].reshape(50, 784), atol=1e-4)
    assert y.dtype.kind == "i"
    assert mnist.n_pixels == 784 and mnist.n_classes == 10


def test_the_bundled_mnist_is_split_like_the_book():
    mnist = load_mnist()
    assert (len(mnist.train_labels), len(mnist.validation_labels), len(mnist.test_labels)) == (50000, 10000, 10000)
    assert mnist.image_shape == (28, 28) and mnist.train_images.dtype == np.uint8
    assert mnist.source == "bundled MNIST"
    small = mnist.limit(100, 20, 30)
    assert (len(small.train_labels), len(small.validation_labels), len(small.test_labels)) == (100, 20, 30)
    assert small.summary()["training"] == 100


def test_another_image_size_loads_the_same_way(tmp_path):
    folder = write_idx_folder(tmp_path / "small", make_set(side=8))
    mnist = load_mnist(folder)
    assert mnist.image_shape == (8, 8) and mnist.n_pixels == 64


def test_reading_only_the_first_images(tmp_path):
    data = make_set()
    folder = write_idx_folder(tmp_path / "s", data)
    X, shape = read_idx_images(folder / "train-images-idx3-ubyte.gz", limit=5)
    assert X.shape == (5, 784) and shape == (28, 28)
    np.testing.assert_array_equal(read_idx_labels(folder / "train-labels-idx1-ubyte.gz", limit=5), data[1][:5])


def test_a_missing_file_is_named(tmp_path):
    folder = write_idx_folder(tmp_path / "s", make_set())
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DatasetError, match="t10k-labels-idx1-ubyte"):
        find_idx_files(folder)
    with pytest.raises(DatasetError, match="no such file"):
        load_mnist(tmp_path / "nothing.npz")
    (tmp_path / "data.csv").write_text("1,2\n")
    with pytest.raises(DatasetError, match="not a data set"):
        load_mnist(tmp_path / "data.csv")


@pytest.mark.parametrize("name, blob, message", [
    ("train-images", idx_images(np.zeros((60, 28, 28)), magic=0x801), "wrong magic number 0x00000801"),
    ("train-labels", idx_labels(np.zeros(60), magic=0x803), "wrong magic number"),
    ("train-images", idx_images(np.zeros((60, 28, 28)))[:-100], "truncated"),
    ("train-labels", idx_labels(np.zeros(60), count=70), "truncated"),
    ("train-labels", idx_labels(np.zeros(59)), "60 images but train-labels-idx1-ubyte.gz holds 59 labels"),
    ("t10k-labels", idx_labels(np.array([1] * 19 + [12])), "label 12 at position 19 is out of range"),
    ("train-images", b"\x00\x00", "too short"),
])
def test_bad_idx_files_name_the_file_and_the_problem(tmp_path, name, blob, message):
    folder = write_idx_folder(tmp_path / "bad", make_set(), overrides={name: blob})
    with pytest.raises(DatasetError, match=message) as err:
        load_mnist(folder)
    assert name in str(err.value)


def test_a_corrupt_gzip_is_a_dataset_error(tmp_path):
    folder = write_idx_folder(tmp_path / "bad", make_set())
    path = folder / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(DatasetError, match="train-images-idx3-ubyte.gz"):
        load_mnist(folder)


# -- Nielsen's mnist.pkl.gz --------------------------------------------------------------------------------

def _nielsen_parts(n=(30, 10, 10)):
    parts = []
    for k in n:
        X = (RNG.integers(0, 256, (k, 784)) / 256).astype(np.float32)  # as in mnist.pkl.gz: float32 in [0, 1)
        y = (np.arange(k) % 10).astype(np.int64)
        parts.append((X, y))
    return tuple(parts)


@pytest.mark.parametrize("protocol", [2, 4])
def test_nielsen_pickle_loads_through_the_safe_unpickler(tmp_path, protocol):
    parts = _nielsen_parts()
    path = tmp_path / "mnist.pkl.gz"
    with gzip.open(path, "wb") as fh:
        pickle.dump(parts, fh, protocol=protocol)
    mnist = load_mnist(path)
    assert (len(mnist.train_labels), len(mnist.validation_labels), len(mnist.test_labels)) == (30, 10, 10)
    np.testing.assert_array_equal(mnist.training[0], parts[0][0])
    np.testing.assert_array_equal(mnist.test[1], parts[2][1])
    assert mnist.training[0].dtype == np.float32


class Exploit:
    def __reduce__(self):
        return (os.system, ("echo pwned > /dev/null",))


class Custom:
    pass


@pytest.mark.parametrize("payload, message", [
    (Exploit(), "refusing to load (posix|nt).system"),
    (((np.zeros((2, 784)), np.zeros(2, int)), Custom(), 3), "refusing to load .*Custom"),
    ({"train": np.zeros(3)}, "expected a tuple of three"),
    ((1, 2, 3), "expected a tuple of three"),
    (((np.zeros((2, 784)), [1, 2]),) * 3, "labels must be a 1-D array"),
    (((np.array(["a", "b"]), np.zeros(2, int)),) * 3, r"have shape \(2,\)"),
    (((np.array([["a"]]), np.zeros(1, int)),) * 3, "not pixels"),
    (((np.zeros((2, 784)), np.zeros(3, int)),) * 3, "2 images but 3 labels"),
    (((np.full((2, 784), 2.0), np.zeros(2, int)),) * 3, r"floats in \[0, 1\]"),
    (((np.zeros((2, 784)), np.array([0, 10])),) * 3, "label 10"),
])
def test_pickles_holding_anything_but_arrays_are_refused(tmp_path, payload, message):
    path = tmp_path / "mnist.pkl.gz"
    with gzip.open(path, "wb") as fh:
        pickle.dump(payload, fh, protocol=2)
    with pytest.raises(DatasetError, match=message) as err:
        load_mnist(path)
    assert str(path) in str(err.value)


def test_object_arrays_cannot_smuggle_code(tmp_path):
    arr = np.empty(2, dtype=object)
    arr[0], arr[1] = Exploit(), 1
    path = tmp_path / "mnist.pkl"
    path.write_bytes(pickle.dumps(((np.zeros((2, 784)), arr),) * 3, protocol=2))
    with pytest.raises(DatasetError, match="refusing to load"):
        load_mnist(path)


def test_the_unpickler_admits_numpy_arrays_only():
    assert "Safe" in _SafeUnpickler.__name__
    import io
    blob = pickle.dumps((np.arange(3), np.float32(2.5)))
    arr, scalar = _SafeUnpickler(io.BytesIO(blob)).load()
    np.testing.assert_array_equal(arr, [0, 1, 2]) and scalar == 2.5


def test_a_truncated_pickle_is_a_dataset_error(tmp_path):
    path = tmp_path / "mnist.pkl.gz"
    with gzip.open(path, "wb") as fh:
        fh.write(pickle.dumps(_nielsen_parts(), protocol=2)[:500])
    with pytest.raises(DatasetError, match="mnist.pkl.gz"):
        load_mnist(path)


# -- Keras-style .npz ----------------------------------------------------------------------------------------

def test_keras_npz_loads(tmp_path):
    tx, ty, sx, sy = make_set(n_train=120)
    path = tmp_path / "mnist.npz"
    np.savez(path, x_train=tx, y_train=ty.astype(np.uint8), x_test=sx, y_test=sy.astype(np.uint8))
    mnist = load_mnist(path)
    assert (len(mnist.train_labels), len(mnist.validation_labels), len(mnist.test_labels)) == (100, 20, 20)
    np.testing.assert_array_equal(mnist.compact("test")[0], sx.reshape(20, 784))
    assert mnist.train_labels.dtype == np.int64


@pytest.mark.parametrize("arrays, message", [
    (dict(x_train=np.zeros((6, 28, 28), np.uint8), y_train=np.zeros(6, int)), "missing array.*x_test"),
    (dict(x_train=np.zeros((6, 28, 28), np.uint8), y_train=np.zeros(5, int),
          x_test=np.zeros((2, 28, 28), np.uint8), y_test=np.zeros(2, int)), "6 images but y_train 5"),
    (dict(x_train=np.zeros((6, 28, 28), np.uint8), y_train=np.full(6, 11),
          x_test=np.zeros((2, 28, 28), np.uint8), y_test=np.zeros(2, int)), "label 11"),
    (dict(x_train=np.full((6, 28, 28), 300), y_train=np.zeros(6, int),
          x_test=np.zeros((2, 28, 28), np.uint8), y_test=np.zeros(2, int)), "0…255"),
    (dict(x_train=np.zeros((6, 28, 28), np.uint8), y_train=np.zeros(6, int),
          x_test=np.zeros((2, 14, 14), np.uint8), y_test=np.zeros(2, int)), "14×14"),
    (dict(x_train=np.array([None] * 6), y_train=np.zeros(6, int),
          x_test=np.zeros((2, 28, 28), np.uint8), y_test=np.zeros(2, int)), "allow_pickle|Object arrays"),
])
def test_bad_npz_files(tmp_path, arrays, message):
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    with pytest.raises(DatasetError, match=message) as err:
        load_mnist(path)
    assert str(path) in str(err.value)


def test_a_file_that_is_not_a_zip_is_named(tmp_path):
    path = tmp_path / "broken.npz"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(DatasetError, match="broken.npz"):
        load_mnist(path)


def test_a_folder_holding_one_pickle_or_npz_loads_it(tmp_path):
    tx, ty, sx, sy = make_set(n_train=60)
    np.savez(tmp_path / "fashion.npz", x_train=tx, y_train=ty, x_test=sx, y_test=sy)
    assert load_mnist(tmp_path).source == str(tmp_path / "fashion.npz")


def test_without_bundled_files_the_download_cache_is_used(tmp_path, monkeypatch):
    import nnsim.io.datasets as datasets

    monkeypatch.setattr(datasets, "mnist_dir", lambda: tmp_path / "missing")
    monkeypatch.setenv("NNSIM_DATA_DIR", str(tmp_path / "cache"))
    with pytest.raises(DatasetError, match="nnsim data download"):
        load_mnist()
    write_idx_folder(tmp_path / "cache", make_set())
    assert load_mnist().source.startswith("MNIST downloaded to")
