"""Helpers of the hostile corpus: misbehaving local servers (127.0.0.1 only) and a "nothing changed" check."""

import hashlib
import socket
import threading
from pathlib import Path


class Misbehaving:
    """A TCP server on 127.0.0.1 whose every connection is handled by ``behaviour(conn)`` in a thread."""

    def __init__(self, behaviour):
        self.behaviour = behaviour
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.closing = threading.Event()
        self.conns = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"

    def _serve(self):
        while not self.closing.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.conns.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        try:
            self.behaviour(conn, self.closing)
        except OSError:
            pass

    def close(self):
        self.closing.set()
        self.thread.join(5)
        for conn in self.conns:
            conn.close()
        self.sock.close()


def silent(conn, closing):
    """Accepts, reads the request, never answers."""
    conn.recv(65536)
    closing.wait(30)


def endless(conn, closing):
    """Answers 200 with no Content-Length and zeros until the client hangs up."""
    conn.recv(65536)
    conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n")
    block = bytes(1 << 16)
    while not closing.is_set():
        conn.sendall(block)


def oversized(conn, closing):
    """Announces an 8 GB body."""
    conn.recv(65536)
    conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 8000000000\r\n\r\n" + bytes(1000))
    closing.wait(30)


def snapshot(folder: Path) -> dict:
    """name → SHA-256 of every file under ``folder`` (hidden ones too), to assert that nothing changed."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file()}
