"""nand2tetris test scripts (``.tst``) run on chips of NAND perceptrons, writing ``.out`` files exactly as
the course's hardware simulator does and comparing them with ``.cmp`` files.

A script is a list of commands, each ended by ``,`` ``;`` or ``!``; ``//`` and ``/* */`` are comments::

    load Xor.hdl,                 // the chip, from the script's folder (else nnsim's built-in Xor)
    output-file Xor.out,          // (default: the script's name + .out)
    compare-to Xor.cmp,
    output-list a%B3.1.3 b%B3.1.3 out%B3.1.3;
    set a 0, set b 1, eval, output;
    repeat 3 { set a %B1, eval, output; }

``output-list`` names pins (inputs, outputs or internal signals, or ``time``), each with a format
``%Fpad.len.pad``: F is B (binary), D (decimal), X (hexadecimal) or S (string); a bare name is ``%B1.w.1``
for a pin of w bits.
Every ``output`` writes one line ``|cell|cell|…|``: a cell is ``pad`` spaces, the value in ``len`` characters
(B, D, X right-aligned, S left-aligned; too long a value keeps its last ``len`` characters), ``pad`` spaces.
Binary shows 16 digits of two's complement cut to ``len``, hexadecimal 4 lower-case digits, decimal the signed
value of a 16-bit bus. ``output-list`` itself writes the header line, each name centred in its cell. Inputs
change at ``set``; outputs and internal signals only at ``eval`` (and at ``load``, which evaluates all
inputs 0), as in the course's simulator. ``set`` takes decimal (also negative), ``%B…``, ``%X…`` and ``%D…``.

Comparison: line by line, a ``*`` in the compare file matching any character. The run stops at the first
line that differs, as the course's tool does. Clocked chips (``tick``, ``tock``) are refused. A script with
no ``load`` (as the course's online tools write some) runs on the chip it is named after (``ALU-basic.tst``:
``ALU.hdl``) and, without ``compare-to``, compares with the ``.cmp`` file of its own name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nnsim.core.circuit.compile import compile_graph
from nnsim.core.errors import UserError
from nnsim.io.files import atomic_write, read_text
from nnsim.io.hdl import SEQUENTIAL_MESSAGE, HdlError, SequentialChipError
from nnsim.paths import hdl_dir

FORMATS = "BDXS"
#: Most commands run before a script is taken to loop for ever.
MAX_STEPS = 10_000_000


class TstError(UserError):
    """A test script that cannot be run; the message reads ``FILE:LINE: problem``."""


# ----- output formats ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class OutputSpec:
    """One ``output-list`` entry: ``name%Fpad_left.length.pad_right``."""

    name: str
    fmt: str = "B"
    pad_left: int = 1
    length: int = 1
    pad_right: int = 1

    @property
    def space(self) -> int:
        return self.pad_left + self.length + self.pad_right

    def header(self) -> str:
        """The name centred in the cell (cut to the cell's width), extra space on the right."""
        name = self.name[: self.space]
        left = (self.space - len(name)) // 2
        return " " * left + name + " " * (self.space - left - len(name))

    def cell(self, value, width: int = 16) -> str:
        """``value`` (an int, or a str for %S) in this format; ``width`` is the pin's width in bits."""
        if self.fmt == "S":
            text = str(value)
        else:
            value = int(value)
            digits = max(16, width)
            if self.fmt == "B":
                text = format(value & ((1 << digits) - 1), "b").zfill(digits)
            elif self.fmt == "X":
                hex_digits = -(-digits // 4)
                text = format(value & ((1 << (4 * hex_digits)) - 1), "x").zfill(hex_digits)
            else:
                text = str(value)
        text = text[-self.length:] if len(text) > self.length else text
        fill = self.length - len(text)
        if self.fmt == "S":
            return " " * self.pad_left + text + " " * (self.pad_right + fill)
        return " " * (self.pad_left + fill) + text + " " * self.pad_right


_SPEC = re.compile(r"%([A-Za-z])(\d*)\.(\d*)\.(\d*)\Z")


def parse_spec(text: str, width: int = 1) -> OutputSpec:
    """``a%B3.1.3`` → OutputSpec("a", "B", 3, 1, 3). A bare name is binary in as many digits as the pin has
    bits (``width``), padded by one space each side: ``%B1.1.1`` for a single bit, ``%B1.16.1`` for a 16-bit
    bus, as the course's current tools read the scripts that name a bus bare. ValueError if bad."""
    pos = text.find("%")
    name, fmt = (text, f"%B1.{max(1, width)}.1") if pos < 0 else (text[:pos], text[pos:])
    if not name:
        raise ValueError(f"{text}: no variable name before the format")
    m = _SPEC.match(fmt)
    if m is None:
        raise ValueError(f"{text}: a format reads %F<pad>.<length>.<pad>, for example %B1.16.1")
    letter, *numbers = m.groups()
    if letter not in FORMATS:
        raise ValueError(f"%{letter} is not a legal format (B, D, X or S)")
    if any(n == "" for n in numbers):
        raise ValueError(f"{text}: pad, length and pad must be numbers")
    left, length, right = (int(n) for n in numbers)
    if length < 1:
        raise ValueError(f"{text}: the length must be greater than 0")
    return OutputSpec(name, letter, left, length, right)


def parse_value(text: str, width: int = 16) -> int:
    """A ``set`` value: decimal (also negative), ``%B…``, ``%X…`` or ``%D…``, read as the course's simulator
    reads it (16-bit two's complement: ``%B1111111111111111`` and ``%XFFFF`` are −1). ValueError if bad."""
    wide = width > 16
    bits = max(16, width)
    try:
        if text.startswith("%B"):
            digits = text[2:]
            if not digits or set(digits) - {"0", "1"}:
                raise ValueError
            value = int(digits, 2) & ((1 << bits) - 1)
            if not wide and value >= 1 << 15:
                value -= 1 << 16
        elif text.startswith("%X"):
            value = int(text[2:], 16)
            if len(text) == 6 and value > 32767 and not wide:
                value -= 1 << 16
        else:
            digits = text[2:] if text.startswith("%D") else text
            if not re.fullmatch(r"-?\d+", digits):
                raise ValueError
            value = int(digits)
    except ValueError:
        raise ValueError(f"'{text}' is not a legal value") from None
    low, high = (-(1 << (bits - 1)), (1 << bits) - 1) if wide else (-32768, 32767)
    if not low <= value <= high:
        raise ValueError(f"'{text}' is not a legal value (a 16-bit value lies in -32768..32767)")
    return value


# ----- scripts ----------------------------------------------------------------------------------------
@dataclass
class Command:
    """One script command: ``name`` (``load``, ``set``, ``eval``, ``output-list``, ``repeat`` …), its
    ``args``, its ``line`` and, for ``repeat``, the ``body`` and ``count``."""

    name: str
    args: list[str]
    line: int
    body: list["Command"] = field(default_factory=list)
    count: int = 0


_TST_TOKEN = re.compile(r"""
    (?P<space>[ \t\r\f\v]+) | (?P<newline>\n) | (?P<linecomment>//[^\n]*) | (?P<blockcomment>/\*.*?\*/)
  | (?P<string>"[^"\n]*") | (?P<number>-?(?:\d+\.?\d*|\.\d+))
  | (?P<word>[A-Za-z_%:\[\]$][A-Za-z0-9_%:\[\]$.\-]*) | (?P<symbol>.)
""", re.VERBOSE | re.DOTALL)

_CONTROLLER = {"output-file", "compare-to", "output-list", "output", "echo", "clear-echo", "breakpoint",
               "clear-breakpoints", "repeat", "while"}
TERMINATORS = ",;!"


def parse_tst(text: str, source: str = "<tst>") -> list[Command]:
    """Parse a test script into commands (``repeat`` holding its body). Raises :class:`TstError`."""
    tokens: list[tuple[str, str, int]] = []
    line, pos = 1, 0
    while pos < len(text):
        if text.startswith("/*", pos) and text.find("*/", pos + 2) < 0:
            raise TstError(f"{source}:{line}: a /* comment is never closed with */")
        m = _TST_TOKEN.match(text, pos)
        kind, value = m.lastgroup, m.group()
        if kind == "number":
            value = str(int(float(value)))
        elif kind == "string":
            value = value[1:-1]
        if kind in ("number", "word", "symbol", "string"):
            tokens.append((kind, value, line))
        line += m.group().count("\n")
        pos = m.end()

    def fail(at: int, problem: str):
        raise TstError(f"{source}:{at}: {problem}")

    commands: list[Command] = []
    block: Command | None = None
    has_output_list = False
    i = 0
    while i < len(tokens):
        kind, word, at = tokens[i]
        if kind == "symbol" and word == "}":
            if block is None:
                fail(at, "a '}' without a repeat")
            if not block.body:
                fail(at, "an empty repeat block is not allowed")
            commands.append(block)
            block = None
            i += 1
            if i < len(tokens) and tokens[i][1] in TERMINATORS:
                i += 1
            continue
        if kind not in ("word", "string"):
            fail(at, f"a command cannot begin with {word!r}")
        if word == "repeat":
            if block is not None:
                fail(at, "nested repeat blocks are not allowed")
            i += 1
            count = 0
            if i < len(tokens) and tokens[i][0] == "number":
                count = int(tokens[i][1])
                if count < 1:
                    fail(at, "illegal repeat count (it must be 1 or more)")
                i += 1
            if i >= len(tokens) or tokens[i][1] != "{":
                fail(at, "missing '{' after repeat")
            if count == 0:
                fail(at, "a repeat without a count runs for ever (give a count: repeat 10 {)")
            block = Command("repeat", [], at, count=count)
            i += 1
            continue
        if word == "while":
            fail(at, "while loops are not supported (they serve clocked chips)")
        args = []
        i += 1
        while i < len(tokens) and tokens[i][0] != "symbol":
            args.append(tokens[i][1])
            i += 1
        if i >= len(tokens):
            fail(tokens[-1][2], f"the script ends without a terminator after {word} (',' ';' or '!')")
        if tokens[i][1] not in TERMINATORS:
            fail(tokens[i][2], f"illegal terminator {tokens[i][1]!r} after {word} (expected ',' ';' or '!')")
        i += 1
        if word == "output-list":
            has_output_list = True
        elif word == "output" and not has_output_list:
            fail(at, "output before any output-list")
        if word in ("output-file", "compare-to", "load") and len(args) != 1:
            fail(at, f"{word} takes one file name")
        if word in ("output-list",) and not args:
            fail(at, "output-list needs at least one variable")
        if word in ("output", "eval", "tick", "tock", "clear-echo") and args:
            fail(at, f"{word} takes no arguments")
        (block.body if block is not None else commands).append(Command(word, args, at))
    if block is not None:
        fail(block.line, "repeat block not closed with '}'")
    return commands


# ----- running ----------------------------------------------------------------------------------------
@dataclass
class OutputLine:
    """A line written to the .out file: its ``number`` (1-based), ``text``, the compare file's line
    (``expected``, None without a compare file or past its end) and whether they match (``ok``, None when
    nothing was compared)."""

    number: int
    text: str
    expected: str | None = None
    ok: bool | None = None


@dataclass
class TstResult:
    """What a run wrote and how it compared."""

    script: Path
    out_path: Path | None
    cmp_path: Path | None
    lines: list[OutputLine]
    failure: OutputLine | None = None
    chip_path: Path | None = None  # the .hdl file the script loaded last

    def __repr__(self):
        state = "passed" if self.passed else f"failed at line {self.failure.number}"
        return f"TstResult({self.script.name}: {len(self.lines)} lines, {state})"

    @property
    def passed(self) -> bool:
        return self.failure is None

    @property
    def text(self) -> str:
        return "".join(line.text + "\n" for line in self.lines)


def matches_template(out: str, cmp: str) -> bool:
    """The course's comparison of one line: same length, equal except where ``cmp`` has ``*``."""
    return len(out) == len(cmp) and all(c == "*" or c == o for o, c in zip(out, cmp))


class _Chip:
    """A loaded chip: its compiled circuit and where each pin's bits are."""

    def __init__(self, build):
        self.build = build
        self.circuit = compile_graph(build.graph)
        col = self.circuit.col
        self.widths = {p.name: p.width for p in build.model.inputs + build.model.outputs}
        self.widths.update(build.model.signals)
        self.input_cols = {pin: [col[i] for i in ids] for pin, ids in build.inputs.items()}
        self.read_cols = {pin: [col[i] for i in ids] for pin, ids in build.outputs.items()}
        self.read_cols.update({name: [self._column(v) for v in ids] for name, ids in build.signals.items()})
        self.values = {pin: 0 for pin in build.inputs}
        self.state = np.zeros(len(self.circuit.columns))
        self.eval()

    def _column(self, source) -> int:
        """The state column of a signal's source (a node id, an instance's (id, pin), or the constant 0/1
        as −1/−2)."""
        if isinstance(source, tuple):
            source = self.circuit.pins[source]
            if isinstance(source, float):
                source = int(source)
        return self.circuit.col[source] if isinstance(source, str) else -1 - source

    def eval(self) -> None:
        x = np.zeros(self.circuit.n_inputs)
        for pin, cols in self.input_cols.items():
            value = self.values[pin]
            for bit, c in enumerate(cols):
                x[c] = (value >> bit) & 1
        self.state = self.circuit.run(x[None, :])[0][0]

    def value(self, name: str) -> int:
        """A pin's value as the course's simulator reports it: a 16-bit bus is signed."""
        width = self.widths[name]
        if name in self.values:
            value = self.values[name]
        else:
            value = 0
            for bit, c in enumerate(self.read_cols[name]):
                value |= ((-1 - c) if c < 0 else int(self.state[c] > 0.5)) << bit
        if width >= 16 and value >> (width - 1):
            value -= 1 << width
        return value


def run_tst(path, loader=None, write: bool = True) -> TstResult:
    """Run the script at ``path``. ``loader(hdl_path)`` builds a chip (default: flat NAND perceptrons,
    :func:`nnsim.io.hdl_build.import_hdl`). Writes the .out file (unless ``write`` is False) and returns
    the lines and the first difference from the compare file. Raises :class:`TstError` (or
    :class:`~nnsim.io.hdl.HdlError`) for a script or chip that cannot be run."""
    path = Path(path)
    if loader is None:
        from nnsim.io.hdl_build import import_hdl as loader
    commands = parse_tst(read_text(path, TstError), str(path))
    folder = path.parent
    chip: _Chip | None = None
    chip_name = path.stem.split("-")[0]
    chip_path: Path | None = None
    out_path: Path | None = None
    cmp_path: Path | None = None
    cmp_lines: list[str] | None = None
    specs: list[OutputSpec] = []
    lines: list[OutputLine] = []
    steps = 0

    def fail(cmd: Command, problem: str, error=TstError):
        raise error(f"{path}:{cmd.line}: {problem}")

    def emit(text: str) -> OutputLine:
        line = OutputLine(len(lines) + 1, text)
        if cmp_lines is not None:
            line.expected = cmp_lines[len(lines)] if len(lines) < len(cmp_lines) else None
            line.ok = line.expected is not None and matches_template(text, line.expected)
        lines.append(line)
        return line

    def run(cmd: Command) -> bool:
        """Run one command; False stops the script (a comparison failed)."""
        nonlocal chip, chip_name, chip_path, out_path, cmp_path, cmp_lines, specs, lines
        name, args = cmd.name, cmd.args
        if name == "load":
            target = args[0]
            if "/" in target or "\\" in target:
                fail(cmd, "load takes a file name in the script's folder, without a path")
            hdl = folder / (target if target.endswith(".hdl") else target + ".hdl")
            if not hdl.is_file() and (hdl_dir() / hdl.name).is_file():
                hdl = hdl_dir() / hdl.name  # as the course's simulator falls back on its built-in chips
            try:
                chip = _Chip(loader(hdl))
            except HdlError as err:
                raise type(err)(f"{path}:{cmd.line}: load {target}: {err}") from None
            chip_name, chip_path = hdl.stem, hdl
        elif name == "output-file":
            out_path = folder / args[0]
            lines = []
        elif name == "compare-to":
            cmp_path = folder / args[0]
            cmp_lines = read_text(cmp_path, TstError).splitlines()
        elif name == "output-list":
            try:
                specs = [parse_spec(a, chip.widths.get(a, 1) if chip is not None else 1) for a in args]
            except ValueError as err:
                fail(cmd, str(err))
            return emit("|" + "|".join(s.header() for s in specs) + "|").ok is not False
        elif name == "output":
            if chip is None:
                fail(cmd, "output before any chip was loaded")
            cells = []
            for s in specs:
                if s.name == "time":
                    cells.append(s.cell("0 "))
                    continue
                if s.name not in chip.widths:
                    fail(cmd, f"unknown variable {s.name} (not a pin or internal signal of {chip_name})")
                cells.append(s.cell(chip.value(s.name), chip.widths[s.name]))
            return emit("|" + "|".join(cells) + "|").ok is not False
        elif name == "set":
            if chip is None:
                fail(cmd, "set before any chip was loaded")
            if len(args) != 2:
                fail(cmd, "set takes a pin and a value, for example: set a %B0101")
            pin, text = args
            if pin not in chip.values:
                if pin in chip.widths or pin == "time":
                    fail(cmd, f"{pin} is read-only (only the chip's inputs can be set)")
                fail(cmd, f"unknown variable {pin} (the inputs of {chip_name}: {', '.join(chip.values)})")
            width = chip.widths[pin]
            try:
                value = parse_value(text, width)
            except ValueError as err:
                fail(cmd, f"{err} for {pin}")
            if value > 0 and value.bit_length() > width:
                fail(cmd, f"{value} doesn't fit in the pin's width ({pin} has {width} bit{'s' * (width > 1)})")
            chip.values[pin] = value & ((1 << width) - 1)
        elif name == "eval":
            if chip is None:
                fail(cmd, "eval before any chip was loaded")
            chip.eval()
        elif name in ("tick", "tock", "ticktock"):
            fail(cmd, f"{name}: {SEQUENTIAL_MESSAGE}", SequentialChipError)
        elif name in ("echo", "clear-echo", "breakpoint", "clear-breakpoints"):
            pass
        else:
            fail(cmd, f"unknown command {name!r}")
        return True

    names = {c.name for cmd in commands for c in [cmd, *cmd.body]}
    if "load" not in names:
        # A script without load (the course's online tools run it on the chip that is open): load the chip the
        # script is named after (ALU-basic.tst -> ALU.hdl) and compare with the .cmp file of the same name.
        chip_file = path.stem.split("-")[0] + ".hdl"
        first = commands[0].line if commands else 1
        run(Command("load", [chip_file], first))
        if "compare-to" not in names and (folder / f"{path.stem}.cmp").is_file():
            run(Command("compare-to", [f"{path.stem}.cmp"], first))
    stopped = False
    for cmd in commands:
        body = cmd.body * cmd.count if cmd.name == "repeat" else [cmd]
        for inner in body:
            steps += 1
            if steps > MAX_STEPS:
                fail(inner, f"more than {MAX_STEPS:,} commands run; stopping")
            if not run(inner):
                stopped = True
                break
        if stopped:
            break
    if out_path is None and lines:
        out_path = folder / f"{path.stem}.out"
    result = TstResult(path, out_path, cmp_path, lines, chip_path=chip_path)
    result.failure = next((ln for ln in lines if ln.ok is False), None)
    if write and out_path is not None:
        try:
            atomic_write(out_path, result.text)
        except OSError as err:
            raise TstError(f"{out_path}: cannot write ({err.strerror})") from None
    return result


__all__ = ["Command", "HdlError", "OutputLine", "OutputSpec", "TstError", "TstResult", "matches_template",
           "parse_spec", "parse_tst", "parse_value", "run_tst"]
