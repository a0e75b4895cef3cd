"""What the CLI prints is escaped: labels come from files, and a label holding ``ESC [2J`` or an OSC title
sequence must not reach the terminal as a command. Control characters (C0 but tab and new line, DEL, C1),
bidirectional overrides and isolates, and unpaired surrogates (which cannot be encoded) are printed as
``\\x1b`` / ``\\u202e`` escapes instead. JSON output is unaffected: ``json.dumps`` escapes them already."""

from __future__ import annotations

import contextlib
import re
import sys

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_ERR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                         "\ud800-\udfff]")  # stderr keeps \r: the progress bar redraws its line with it


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, keep_return: bool = False) -> str:
    """``text`` with control, bidi-override and unpaired-surrogate characters shown as escapes."""
    return (_UNSAFE_ERR if keep_return else _UNSAFE).sub(_escape, text)


class _Escaping:
    """A text stream that escapes what it is given, then writes it to ``stream``."""

    def __init__(self, stream, keep_return: bool):
        self._stream = stream
        self._keep_return = keep_return

    def write(self, text: str) -> int:
        self._stream.write(escape_controls(text, self._keep_return))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name):
        return getattr(self._stream, name)


@contextlib.contextmanager
def escaped_output():
    """Within the block, ``sys.stdout`` and ``sys.stderr`` escape control characters (see the module)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Escaping(out, False), _Escaping(err, True)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
