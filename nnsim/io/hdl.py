"""nand2tetris HDL: read ``Chip.hdl`` files into checked chip models (:class:`ChipModel`).

The language is the one the course's hardware simulator reads::

    CHIP Xor {            // comments: // to the end of the line, /* … */ and /** … */
        IN a, b;          // buses: in[16]; bit 0 is the least significant
        OUT out;
        PARTS:
        Nand(a=a, b=b, out=n);                    // a part: its pins = this chip's signals
        Nand(a=a, b=n, out=x1);
        Nand(a=n, b=b, out=x2);
        Nand(a=x1, b=x2, out=out, out=copy);      // one output pin may feed several signals
    }

A connection is ``pin=signal``. Either side may name a sub-bus (``a[3]``, ``a[0..7]``) except an internal
signal, whose width is that of the pin it first meets. ``true`` and ``false`` fit any width; a part's input
that is not connected reads false, and a part's output given ``true``/``false`` is ignored (as the course's
simulator does). ``Nand`` is the NAND perceptron; any other part ``P`` is read from ``P.hdl`` in the same
folder, or, when that folder has none, from nnsim's own chips for the course's projects 1 and 2
(``resources/hdl/``, also NAND perceptrons), as the course's simulator falls back on its built-in chips.
Sequential chips (``DFF``, the registers and memories, ``CLOCKED``) are refused.

Every mistake raises :class:`HdlError` naming the file, the line and the problem. Building a graph of NAND
perceptrons from a model is :mod:`nnsim.io.hdl_build`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from nnsim.core.errors import UserError
from nnsim.io.files import read_text

NAND = "Nand"
#: The built-in chip's pins: inputs a, b and output out, one bit each.
NAND_PINS = (("a", 1), ("b", 1)), (("out", 1),)

#: The course's built-in chips that hold state (refused, unless a folder's own .hdl of that name is given
#: and builds them from parts, in which case the DFF inside is refused).
SEQUENTIAL_BUILTINS = frozenset({"DFF", "Bit", "Register", "ARegister", "DRegister", "PC", "RAM8", "RAM64",
                                 "RAM512", "RAM4K", "RAM16K", "ROM32K", "Screen", "Keyboard", "Memory", "CPU",
                                 "Computer"})
SEQUENTIAL_MESSAGE = "sequential chips are not supported yet"

#: Widest bus a chip may declare (the course's chips stop at 16 bits; wider ones serve bigger circuits).
MAX_WIDTH = 64


class HdlError(UserError):
    """An HDL file that cannot be used; the message reads ``FILE:LINE: problem``."""


class SequentialChipError(HdlError):
    """A chip that needs a clock (DFF, registers, memories, CLOCKED pins)."""


# ----- syntax -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PinDecl:
    """An IN or OUT pin: ``name`` and ``width`` (bits)."""

    name: str
    width: int
    line: int


@dataclass(frozen=True)
class PinRef:
    """A pin or signal as written in a connection: ``name`` with an optional sub-bus ``lo..hi`` (both None
    when the whole pin is meant)."""

    name: str
    lo: int | None
    hi: int | None
    line: int

    @property
    def text(self) -> str:
        if self.lo is None:
            return self.name
        return f"{self.name}[{self.lo}]" if self.lo == self.hi else f"{self.name}[{self.lo}..{self.hi}]"


@dataclass(frozen=True)
class Connection:
    """``pin=signal`` inside a part: ``pin`` is the part's pin, ``signal`` this chip's signal."""

    pin: PinRef
    signal: PinRef


@dataclass
class PartDecl:
    chip: str
    connections: list[Connection]
    line: int


@dataclass
class ChipDecl:
    """One parsed ``CHIP`` (before its parts are looked up)."""

    name: str
    inputs: list[PinDecl]
    outputs: list[PinDecl]
    parts: list[PartDecl]
    builtin: str | None = None
    clocked: list[str] = field(default_factory=list)
    source: str = ""
    line: int = 1


_TOKEN = re.compile(r"""
    (?P<space>[ \t\r\f\v]+) | (?P<newline>\n) | (?P<blockcomment>/\*.*?\*/) | (?P<linecomment>/[^\n]*)
  | (?P<name>[A-Za-z_][A-Za-z0-9_.\-]*) | (?P<number>[0-9]+) | (?P<symbol>\.\.|[{}()\[\];,=:])
""", re.VERBOSE | re.DOTALL)
# As in the course's simulator: a name may hold '.' and '-' after its first letter, and a single '/' (not
# '/*') starts a comment to the end of the line, like '//'.

_KEYWORDS = {"CHIP", "IN", "OUT", "PARTS", "BUILTIN", "CLOCKED"}


class _Tokens:
    def __init__(self, text: str, source: str):
        self.source = source
        self.items: list[tuple[str, str, int]] = []
        self.spans: list[tuple[int, int]] = []
        line, pos = 1, 0
        while pos < len(text):
            if text.startswith("/*", pos) and text.find("*/", pos + 2) < 0:
                self._fail(line, "a /* comment is never closed with */")
            m = _TOKEN.match(text, pos)
            if m is None:
                if text.startswith("/*", pos):
                    self._fail(line, "a /* comment is never closed with */")
                self._fail(line, f"unexpected character {text[pos]!r}")
            kind = m.lastgroup
            if kind in ("name", "number", "symbol"):
                self.items.append((kind, m.group(), line))
                self.spans.append(m.span())
            line += m.group().count("\n")
            pos = m.end()
        self.end_line = line
        self.i = 0

    def _fail(self, line: int, problem: str):
        raise HdlError(f"{self.source}:{line}: {problem}")

    def fail(self, problem: str, line: int | None = None):
        self._fail(self.line if line is None else line, problem)

    @property
    def line(self) -> int:
        return self.items[self.i][2] if self.i < len(self.items) else self.end_line

    def peek(self) -> str | None:
        return self.items[self.i][1] if self.i < len(self.items) else None

    def take(self) -> tuple[str, str, int]:
        if self.i >= len(self.items):
            self.fail("the file ends too early (a '}' is missing?)")
        tok = self.items[self.i]
        self.i += 1
        return tok

    def expect(self, text: str, what: str | None = None) -> int:
        kind, got, line = self.take()
        if got != text:
            self.fail(f"expected {what or repr(text)}, found {got!r}", line)
        return line

    def name(self, what: str) -> tuple[str, int]:
        kind, got, line = self.take()
        if kind != "name":
            self.fail(f"expected {what}, found {got!r}", line)
        return got, line

    def number(self, what: str) -> int:
        kind, got, line = self.take()
        if kind != "number":
            self.fail(f"expected {what}, found {got!r}", line)
        return int(got)


def parse_hdl(text: str, source: str = "<hdl>") -> ChipDecl:
    """Parse the text of one ``.hdl`` file. ``source`` names it in messages."""
    t = _Tokens(text, source)
    line = t.expect("CHIP", "CHIP at the start of the file")
    name, _ = t.name("the chip's name after CHIP")
    t.expect("{")
    chip = ChipDecl(name, [], [], [], source=source, line=line)
    seen_sections: set[str] = set()
    while True:
        word = t.peek()
        if word in ("IN", "OUT"):
            if word in seen_sections:
                t.fail(f"a second {word} section")
            seen_sections.add(word)
            t.take()
            pins = chip.inputs if word == "IN" else chip.outputs
            if t.peek() != ";":
                pins.extend(_pin_decls(t))
            t.expect(";", "';' after the pin list")
        elif word == "PARTS":
            t.take()
            t.expect(":", "':' after PARTS")
            while t.peek() != "}":
                if t.peek() is None:
                    t.fail("the file ends before the chip's closing '}'")
                chip.parts.append(_part(t))
            break
        elif word == "BUILTIN":
            t.take()
            chip.builtin, _ = t.name("the built-in chip's name")
            t.expect(";")
            if t.peek() == "CLOCKED":
                t.take()
                while t.peek() != ";":
                    chip.clocked.append(t.name("a pin name")[0])
                    if t.peek() == ",":
                        t.take()
                t.expect(";")
            break
        elif word == "}":
            break
        elif word is None:
            t.fail("the file ends before the chip's closing '}'")
        else:
            t.fail(f"expected IN, OUT, PARTS: or BUILTIN, found {word!r}")
    t.expect("}", "'}' at the end of the chip")
    if t.peek() is not None:
        t.fail(f"unexpected {t.peek()!r} after the chip's closing '}}'")
    names = [p.name for p in chip.inputs + chip.outputs]
    for i, p in enumerate(chip.inputs + chip.outputs):
        if p.name in names[:i]:
            t.fail(f"the pin {p.name} is declared twice", p.line)
        if p.name in ("true", "false"):
            t.fail(f"a pin may not be called {p.name}", p.line)
    return chip


def _pin_decls(t: _Tokens) -> list[PinDecl]:
    pins = []
    while True:
        name, line = t.name("a pin name")
        width = 1
        if t.peek() == "[":
            t.take()
            width = t.number("the bus width")
            t.expect("]")
            if not 1 <= width <= MAX_WIDTH:
                t.fail(f"{name}[{width}]: a bus has 1 to {MAX_WIDTH} bits", line)
        pins.append(PinDecl(name, width, line))
        if t.peek() != ",":
            return pins
        t.take()


def _pin_ref(t: _Tokens, what: str) -> PinRef:
    name, line = t.name(what)
    if t.peek() != "[":
        return PinRef(name, None, None, line)
    t.take()
    lo = hi = t.number("a bit number")
    if t.peek() == "..":
        t.take()
        hi = t.number("the last bit number")
    t.expect("]")
    # The course's simulator reads a[0..7] as one word up to its first ']': characters stuck to the ']'
    # (a typo such as a[8..14]] or b[7]n) are ignored there, so they are here.
    while t.i < len(t.items) and t.spans[t.i][0] == t.spans[t.i - 1][1] and t.peek() not in ("=", ",", ")", ";"):
        t.take()
    ref = PinRef(name, lo, hi, line)
    if lo > hi:
        t.fail(f"{ref.text}: the first bit number must not exceed the second", line)
    return ref


def _part(t: _Tokens) -> PartDecl:
    chip, line = t.name("a part (a chip name)")
    t.expect("(", f"'(' after {chip}")
    connections = []
    while True:
        pin = _pin_ref(t, f"a pin of {chip}")
        t.expect("=", f"'=' after {pin.text}")
        connections.append(Connection(pin, _pin_ref(t, "a signal name, true or false")))
        kind, sym, sym_line = t.take()
        if sym == ")":
            break
        if sym != ",":
            t.fail(f"expected ',' or ')', found {sym!r}", sym_line)
    t.expect(";", f"';' after the {chip} part")
    return PartDecl(chip, connections, line)


# ----- meaning: checked chips ------------------------------------------------------------------------
#: A bit's source inside a chip: ("in", pin, bit), ("sig", internal, bit), ("const", 0 or 1, 0).
Source = tuple


@dataclass
class Part:
    """A checked part: the chip it uses (``model`` None for the built-in Nand), where each input bit comes
    from (``inputs[pin][bit]``: a :data:`Source`, ("const", 0, 0) when unconnected) and where each output
    bit goes (``outputs[pin][bit]``: a list of ("out", pin, bit) or ("sig", name, bit) destinations)."""

    chip: str
    model: "ChipModel | None"
    line: int
    inputs: dict[str, list[Source]]
    outputs: dict[str, list[list[tuple]]]
    name: str = ""  # the chip's name and its count in listing order: Xor2 is the second Xor, Add16_1 the first Add16


@dataclass
class ChipModel:
    """A chip read from HDL and checked: pins, internal signals (name → width) and parts in an order in
    which each part comes after the parts that feed it."""

    name: str
    inputs: list[PinDecl]
    outputs: list[PinDecl]
    signals: dict[str, int]
    parts: list[Part]
    source: str

    def __repr__(self):
        return f"ChipModel({self.name!r}, {len(self.parts)} parts)"

    @property
    def input_names(self) -> list[str]:
        return [p.name for p in self.inputs]

    @property
    def output_names(self) -> list[str]:
        return [p.name for p in self.outputs]

    def width(self, pin: str) -> int:
        for p in self.inputs + self.outputs:
            if p.name == pin:
                return p.width
        return self.signals[pin]

    def used_chips(self) -> list["ChipModel"]:
        """Every chip model below this one (each once, parts before the chips that use them)."""
        seen: dict[str, ChipModel] = {}

        def visit(m: ChipModel):
            for part in m.parts:
                if part.model is not None and part.model.name not in seen:
                    visit(part.model)
                    seen[part.model.name] = part.model
        visit(self)
        return list(seen.values())


class HdlLibrary:
    """Reads and checks chips from one folder (each chip once, however often it is used).

    A part whose ``.hdl`` is not in the folder is taken from ``builtins`` (default: nnsim's own chips for the
    course's projects 1 and 2, all of NAND perceptrons), as the course's simulator falls back on its
    built-in chips; pass ``builtins=None`` for the folder alone."""

    def __init__(self, folder, builtins="default"):
        self.folder = Path(folder)
        if builtins == "default":
            from nnsim.paths import hdl_dir
            builtins = hdl_dir()
        self.builtins = Path(builtins) if builtins is not None else None
        self.models: dict[str, ChipModel] = {}
        self._loading: list[str] = []

    def __repr__(self):
        return f"HdlLibrary({str(self.folder)!r}, {len(self.models)} chips)"

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.hdl"

    def load_file(self, path) -> ChipModel:
        """The chip in ``path`` (its folder must be this library's folder)."""
        path = Path(path)
        decl = parse_hdl(read_text(path, HdlError), str(path))
        if decl.name != path.stem:
            raise HdlError(f"{path}:{decl.line}: the file holds CHIP {decl.name}, but its name says {path.stem}")
        return self._check_loaded(decl)

    def load(self, name: str, used_at: str = "") -> ChipModel:
        if name in self.models:
            return self.models[name]
        where = f"{used_at}: " if used_at else ""
        if name in self._loading:
            loop = " → ".join(self._loading[self._loading.index(name):] + [name])
            raise HdlError(f"{where}the chip {name} contains itself ({loop})")
        path = self.path(name)
        if not path.is_file() and self.builtins is not None and (self.builtins / f"{name}.hdl").is_file():
            path = self.builtins / f"{name}.hdl"
        if not path.is_file():
            if name in SEQUENTIAL_BUILTINS:
                raise SequentialChipError(f"{where}{name} is a sequential chip: {SEQUENTIAL_MESSAGE}")
            raise HdlError(f"{where}unknown chip {name} (no {path.name} in {self.folder}, and nnsim has no "
                           f"built-in {name})")
        decl = parse_hdl(read_text(path, HdlError), str(path))
        if decl.name != name:
            raise HdlError(f"{path}:{decl.line}: the file holds CHIP {decl.name}, not {name}")
        return self._check_loaded(decl)

    def _check_loaded(self, decl: ChipDecl) -> ChipModel:
        if decl.name in self.models:
            return self.models[decl.name]
        builtin = self.builtins / f"{decl.builtin}.hdl" if self.builtins is not None and decl.builtin else None
        if (builtin is not None and decl.builtin == decl.name and not decl.clocked and builtin.is_file()
                and Path(decl.source).resolve() != builtin.resolve()):
            # the course's BUILTIN stubs (BUILTIN And;) stand for nnsim's own chip of that name
            decl = parse_hdl(read_text(builtin, HdlError), str(builtin))
        self._loading.append(decl.name)
        try:
            model = _check(decl, self)
        finally:
            self._loading.pop()
        self.models[decl.name] = model
        return model


def _pins_of(model: ChipModel | None) -> tuple[dict[str, int], dict[str, int]]:
    if model is None:
        ins, outs = NAND_PINS
        return dict(ins), dict(outs)
    return {p.name: p.width for p in model.inputs}, {p.name: p.width for p in model.outputs}


def _check(decl: ChipDecl, library: HdlLibrary) -> ChipModel:
    src = decl.source

    def fail(line: int, problem: str, error=HdlError):
        raise error(f"{src}:{line}: {problem}")

    if decl.builtin is not None or decl.clocked:
        if decl.clocked or decl.builtin in SEQUENTIAL_BUILTINS:
            fail(decl.line, f"{decl.name} is clocked: {SEQUENTIAL_MESSAGE}", SequentialChipError)
        if decl.builtin != NAND:
            fail(decl.line, f"BUILTIN {decl.builtin}: nnsim has no built-in {decl.builtin}; the only built-in "
                            f"chip is Nand (give {decl.name}'s parts instead)")
        a, b, out = (PinRef(n, None, None, decl.line) for n in ("a", "b", "out"))
        decl.parts = [PartDecl(NAND, [Connection(a, a), Connection(b, b), Connection(out, out)], decl.line)]
    ins = {p.name: p.width for p in decl.inputs}
    outs = {p.name: p.width for p in decl.outputs}
    signals: dict[str, int] = {}
    signal_line: dict[str, int] = {}
    driven: dict[str, int] = {}                 # internal signal -> line of the part that drives it
    out_driven: dict[tuple[str, int], int] = {}  # (output pin, bit) -> line
    readers: dict[str, list[int]] = {}          # internal signal -> indices of the parts that read it
    parts: list[Part] = []
    counts: dict[str, int] = {}

    for index, pd in enumerate(decl.parts):
        counts[pd.chip] = counts.get(pd.chip, 0) + 1
        at = f"{src}:{pd.line}"
        if pd.chip == NAND:
            model = None
        elif pd.chip == decl.name:
            fail(pd.line, f"the chip {decl.name} contains itself")
        else:
            model = library.load(pd.chip, at)
        p_ins, p_outs = _pins_of(model)
        part = Part(pd.chip, model, pd.line,
                    {name: [("const", 0, 0)] * w for name, w in p_ins.items()},
                    {name: [[] for _ in range(w)] for name, w in p_outs.items()}, _part_name(pd.chip, counts[pd.chip]))
        for conn in pd.connections:
            pin, sig = conn.pin, conn.signal
            line = pin.line
            if pin.name in p_ins:
                pin_width, is_output = p_ins[pin.name], False
            elif pin.name in p_outs:
                pin_width, is_output = p_outs[pin.name], True
            else:
                known = ", ".join(list(p_ins) + list(p_outs))
                fail(line, f"{pin.name} is not a pin of {pd.chip} (its pins: {known})")
            p_lo, p_hi = _range(pin, pin_width, f"{pd.chip}'s pin {pin.name}", fail)
            width = p_hi - p_lo + 1
            if sig.name in ("true", "false"):
                if sig.lo is not None:
                    fail(line, f"{sig.text}: {sig.name} cannot take a sub-bus")
                if not is_output:  # a part's output given true/false is ignored, as the course's simulator does
                    value = 1 if sig.name == "true" else 0
                    for k in range(width):
                        part.inputs[pin.name][p_lo + k] = ("const", value, 0)
                continue
            if sig.name in ins or sig.name in outs:
                kind = "in" if sig.name in ins else "out"
                s_lo, s_hi = _range(sig, (ins if kind == "in" else outs)[sig.name], f"the pin {sig.name}", fail)
            else:
                if sig.lo is not None:
                    fail(line, f"{sig.text}: a sub-bus of the internal signal {sig.name} cannot be used "
                               f"(only the chip's IN and OUT pins take sub-buses)")
                kind = "sig"
                if sig.name not in signals:
                    signals[sig.name] = width
                    signal_line[sig.name] = line
                s_lo, s_hi = 0, signals[sig.name] - 1
            s_width = s_hi - s_lo + 1
            if s_width != width:
                fail(line, f"width mismatch: {pd.chip}'s {pin.text} is {width} bit{'s' * (width != 1)} wide, "
                           f"{sig.text} is {s_width}"
                           + (f" (its width was set on line {signal_line[sig.name]})" if kind == "sig" else ""))
            if not is_output:
                if kind == "out":
                    fail(line, f"{sig.name} is an output of {decl.name}; a part cannot read it (drive an "
                               f"internal signal as well and read that)")
                for k in range(width):
                    part.inputs[pin.name][p_lo + k] = (kind, sig.name, s_lo + k)
                if kind == "sig":
                    readers.setdefault(sig.name, []).append(index)
            else:
                if kind == "in":
                    fail(line, f"{sig.name} is an input of {decl.name}; a part's output cannot drive it")
                if kind == "sig":
                    if sig.name in driven:
                        fail(line, f"the signal {sig.name} is driven twice (also on line {driven[sig.name]})")
                    driven[sig.name] = line
                for k in range(width):
                    if kind == "out":
                        bit = s_lo + k
                        if (sig.name, bit) in out_driven:
                            name = sig.name if outs[sig.name] == 1 else f"{sig.name}[{bit}]"
                            fail(line, f"the output {name} is driven twice (also on line "
                                       f"{out_driven[(sig.name, bit)]})")
                        out_driven[(sig.name, bit)] = line
                    part.outputs[pin.name][p_lo + k].append((kind, sig.name, s_lo + k))
        parts.append(part)

    for name, users in readers.items():
        if name not in driven:
            first = min(users)
            fail(_line_reading(decl.parts[first], name),
                 f"the signal {name} is used but never driven (no part's output is connected to it)")
    return ChipModel(decl.name, list(decl.inputs), list(decl.outputs), signals,
                     _ordered(parts, decl, fail), src)


def _part_name(chip: str, k: int) -> str:
    """``Xor2`` for the second Xor part; ``Add16_1`` when the chip's name ends in a digit."""
    return f"{chip}_{k}" if chip[-1].isdigit() else f"{chip}{k}"


def _range(ref: PinRef, width: int, what: str, fail) -> tuple[int, int]:
    if ref.lo is None:
        return 0, width - 1
    if ref.hi >= width:
        fail(ref.line, f"{ref.text}: {what} has bits 0..{width - 1}" if width > 1 else
             f"{ref.text}: {what} is a single bit (no sub-bus)")
    return ref.lo, ref.hi


def _line_reading(pd: PartDecl, signal: str) -> int:
    for conn in pd.connections:
        if conn.signal.name == signal:
            return conn.signal.line
    return pd.line


def _ordered(parts: list[Part], decl: ChipDecl, fail) -> list[Part]:
    """Parts with every part after the parts that feed it (listing order where free); a cycle is an error."""
    producer: dict[str, int] = {}
    for i, part in enumerate(parts):
        for dests in part.outputs.values():
            for dest_list in dests:
                for kind, name, _ in dest_list:
                    if kind == "sig":
                        producer[name] = i
    feeds: list[set[int]] = [set() for _ in parts]
    for i, part in enumerate(parts):
        for bits in part.inputs.values():
            for kind, name, _ in bits:
                if kind == "sig":
                    feeds[i].add(producer[name])
    state = [0] * len(parts)  # 0 new, 1 on the stack, 2 done
    order: list[int] = []
    for root in range(len(parts)):
        if state[root]:
            continue
        stack = [(root, iter(sorted(feeds[root])))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            for nxt in it:
                if state[nxt] == 1:
                    path = [n for n, _ in stack]
                    loop = path[path.index(nxt):] + [nxt]
                    text = " → ".join(f"{parts[k].chip} (line {parts[k].line})" for k in reversed(loop))
                    fail(parts[nxt].line, f"a cycle among parts: {text}; combinational chips cannot loop")
                if state[nxt] == 0:
                    state[nxt] = 1
                    stack.append((nxt, iter(sorted(feeds[nxt]))))
                    break
            else:
                state[node] = 2
                order.append(node)
                stack.pop()
    return [parts[i] for i in order]


def load_chip(path) -> ChipModel:
    """Read and check the chip in ``path`` and every chip it uses (from the same folder)."""
    path = Path(path)
    return HdlLibrary(path.parent).load_file(path)
