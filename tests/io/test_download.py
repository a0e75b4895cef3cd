"""The download path against a local HTTP server on 127.0.0.1 (never the internet)."""

import functools
import gzip
import http.server
import shutil
import threading

import pytest

from nnsim.io.download import MNIST_FILES, DownloadError, download_mnist, sha256_of_content
from nnsim.paths import mnist_dir

SMALL = {name: MNIST_FILES[name] for name in ("t10k-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte.gz")}


@pytest.fixture
def server(tmp_path):
    """Serves tmp_path/www: good/ (the real label files), corrupt/ (one byte changed), recompressed/."""
    root = tmp_path / "www"
    for sub in ("good", "corrupt", "recompressed"):
        (root / sub).mkdir(parents=True)
    for name in SMALL:
        shutil.copy(mnist_dir() / name, root / "good" / name)
        raw = bytearray(gzip.decompress((mnist_dir() / name).read_bytes()))
        (root / "recompressed" / name).write_bytes(gzip.compress(bytes(raw), compresslevel=1))
        raw[100] ^= 0xFF
        (root / "corrupt" / name).write_bytes(gzip.compress(bytes(raw)))
    requests = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            requests.append(self.path)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield base, requests
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_reference_checksums_match_the_bundled_files():
    for name, sha in MNIST_FILES.items():
        assert sha256_of_content(mnist_dir() / name) == sha


def test_tries_mirrors_in_turn_and_rejects_a_corrupted_file(server, tmp_path):
    base, requests = server
    cache = tmp_path / "cache"
    seen = []
    results = download_mnist(cache, files=SMALL, timeout=5,
                             mirrors=[f"{base}/missing/", f"{base}/corrupt/", f"{base}/good/"],
                             progress=lambda name, done, total: seen.append((name, done, total)))
    assert [r.status for r in results] == ["downloaded", "downloaded"]
    assert all(r.url.startswith(f"{base}/good/") for r in results)
    for name, sha in SMALL.items():
        assert sha256_of_content(cache / name) == sha
        assert (cache / name).read_bytes() == (mnist_dir() / name).read_bytes()
    assert sorted(p.name for p in cache.iterdir()) == sorted(SMALL)  # no partial files left
    assert any(path.startswith("/corrupt/") for path in requests)
    size = (mnist_dir() / "t10k-labels-idx1-ubyte.gz").stat().st_size
    assert ("t10k-labels-idx1-ubyte.gz", size, size) in seen


def test_a_mirror_that_recompressed_the_files_is_fine(server, tmp_path):
    base, _ = server
    results = download_mnist(tmp_path / "c", files=SMALL, mirrors=[f"{base}/recompressed"], timeout=5)
    assert all(r.status == "downloaded" for r in results)


def test_only_corrupted_copies_fail_with_the_reason_and_leave_nothing(server, tmp_path):
    base, _ = server
    cache = tmp_path / "cache"
    with pytest.raises(DownloadError, match="t10k-labels-idx1-ubyte.gz") as err:
        download_mnist(cache, files=SMALL, mirrors=[f"{base}/corrupt/", "http://127.0.0.1:9/"], timeout=5)
    assert "checksum mismatch" in str(err.value) and "127.0.0.1:9" in str(err.value)
    assert list(cache.iterdir()) == []


def test_files_already_there_are_not_fetched_again_unless_corrupted(server, tmp_path):
    base, requests = server
    cache = tmp_path / "cache"
    download_mnist(cache, files=SMALL, mirrors=[f"{base}/good/"], timeout=5)
    count = len(requests)
    again = download_mnist(cache, files=SMALL, mirrors=[f"{base}/good/"], timeout=5)
    assert [r.status for r in again] == ["cached", "cached"] and len(requests) == count
    (cache / "train-labels-idx1-ubyte.gz").write_bytes(b"garbage")
    third = download_mnist(cache, files=SMALL, mirrors=[f"{base}/good/"], timeout=5)
    assert [r.status for r in third] == ["cached", "downloaded"]
    assert sha256_of_content(cache / "train-labels-idx1-ubyte.gz") == SMALL["train-labels-idx1-ubyte.gz"]
