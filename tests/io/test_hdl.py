"""nand2tetris HDL: our own project 1 and 2 chips built from NAND perceptrons compute their specifications;
every HDL feature and every mistake the issue lists."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nnsim.core.circuit.compile import compile_graph
from nnsim.io.fileformat import load_graph, save_graph
from nnsim.core.logic.gates import is_nand_only, is_nand_perceptron
from nnsim.io.hdl import HdlError, SequentialChipError, load_chip, parse_hdl
from nnsim.io.hdl_build import build_chip, build_chip_document, import_hdl
from nnsim.paths import hdl_dir

DATA = hdl_dir()   # nnsim's own chips for the course's projects 1 and 2
RNG_SEED = 15


def run(build, n_rows=None, **pins):
    """Evaluate a build on pin values (arrays of ints, one per row); returns {output pin: ints} (unsigned)."""
    circuit = compile_graph(build.graph)
    rows = len(next(iter(pins.values())))
    X = np.zeros((rows, circuit.n_inputs))
    for pin, ids in build.inputs.items():
        values = np.asarray(pins.get(pin, np.zeros(rows, dtype=np.int64)), dtype=np.int64)
        for bit, nid in enumerate(ids):
            X[:, circuit.col[nid]] = (values >> bit) & 1
    a = circuit.run(X)[0]
    return {pin: sum(a[:, circuit.col[nid]].astype(np.int64) << bit for bit, nid in enumerate(ids))
            for pin, ids in build.outputs.items()}


def rand(bits, n=300, seed=RNG_SEED):
    return np.random.default_rng(seed).integers(0, 2 ** bits, n)


def chip(name, nand_only=False):
    return import_hdl(DATA / f"{name}.hdl", nand_only=nand_only)


def write(folder: Path, **chips) -> Path:
    for name, text in chips.items():
        (folder / f"{name}.hdl").write_text(text)
    return folder / f"{next(iter(chips))}.hdl"


# ----- the project chips --------------------------------------------------------------------------------
def test_gates_of_project_1():
    a, b, s = np.array([0, 0, 1, 1, 0, 0, 1, 1]), np.array([0, 1, 0, 1, 0, 1, 0, 1]), np.array([0] * 4 + [1] * 4)
    assert list(run(chip("Not"), **{"in": a})["out"]) == list(1 - a)
    assert list(run(chip("And"), a=a, b=b)["out"]) == list(a & b)
    assert list(run(chip("Or"), a=a, b=b)["out"]) == list(a | b)
    assert list(run(chip("Xor"), a=a, b=b)["out"]) == list(a ^ b)
    assert list(run(chip("Mux"), a=a, b=b, sel=s)["out"]) == list(np.where(s == 1, b, a))
    out = run(chip("DMux"), **{"in": a, "sel": s})
    assert list(out["a"]) == list(a * (1 - s)) and list(out["b"]) == list(a * s)


def test_sixteen_bit_and_multiway_chips():
    x, y = rand(16), rand(16, seed=2)
    assert list(run(chip("Not16"), **{"in": x})["out"]) == list(~x & 0xFFFF)
    assert list(run(chip("And16"), a=x, b=y)["out"]) == list(x & y)
    assert list(run(chip("Or16"), a=x, b=y)["out"]) == list(x | y)
    sel1 = rand(1, seed=3)
    assert list(run(chip("Mux16"), a=x, b=y, sel=sel1)["out"]) == list(np.where(sel1 == 1, y, x))
    w8 = rand(8, seed=4)
    assert list(run(chip("Or8Way"), **{"in": w8})["out"]) == list((w8 != 0).astype(int))
    words = [rand(16, seed=10 + k) for k in range(8)]
    sel2, sel3 = rand(2, seed=5), rand(3, seed=6)
    got = run(chip("Mux4Way16"), a=words[0], b=words[1], c=words[2], d=words[3], sel=sel2)["out"]
    assert list(got) == list(np.choose(sel2, words[:4]))
    got = run(chip("Mux8Way16"), **dict(zip("abcdefgh", words)), sel=sel3)["out"]
    assert list(got) == list(np.choose(sel3, words))
    bit = rand(1, seed=7)
    out = run(chip("DMux4Way"), **{"in": bit, "sel": sel2})
    for k, name in enumerate("abcd"):
        assert list(out[name]) == list(bit * (sel2 == k))
    out = run(chip("DMux8Way"), **{"in": bit, "sel": sel3})
    for k, name in enumerate("abcdefgh"):
        assert list(out[name]) == list(bit * (sel3 == k))


def test_adders_and_alu():
    a, b, c = (np.array([(r >> k) & 1 for r in range(8)]) for k in (2, 1, 0))
    out = run(chip("HalfAdder"), a=a, b=b)
    assert list(out["sum"]) == list(a ^ b) and list(out["carry"]) == list(a & b)
    out = run(chip("FullAdder"), a=a, b=b, c=c)
    assert list(out["sum"] + 2 * out["carry"]) == list(a + b + c)
    x, y = rand(16), rand(16, seed=2)
    assert list(run(chip("Add16"), a=x, b=y)["out"]) == list((x + y) & 0xFFFF)
    assert list(run(chip("Inc16"), **{"in": x})["out"]) == list((x + 1) & 0xFFFF)
    assert not is_nand_only(chip("ALU").graph)  # x=false and y=false are folded into biases
    alu = chip("ALU", nand_only=True)
    assert is_nand_only(alu.graph)
    flags = np.random.default_rng(8).integers(0, 2, (300, 6))
    zx, nx, zy, ny, f, no = flags.T
    xx = np.where(zx == 1, 0, x)
    xx = np.where(nx == 1, ~xx & 0xFFFF, xx)
    yy = np.where(zy == 1, 0, y)
    yy = np.where(ny == 1, ~yy & 0xFFFF, yy)
    o = np.where(f == 1, (xx + yy) & 0xFFFF, xx & yy)
    o = np.where(no == 1, ~o & 0xFFFF, o)
    got = run(alu, x=x, y=y, zx=zx, nx=nx, zy=zy, ny=ny, f=f, no=no)
    assert list(got["out"]) == list(o)
    assert list(got["zr"]) == list((o == 0).astype(int))
    assert list(got["ng"]) == list(o >> 15)


def test_nand_is_the_books_perceptron_and_ids_are_part_paths():
    g = chip("Not").graph
    (n,) = g.neurons()
    assert n.bias == 3 and [w.weight for w in g.wires_into(n.id)] == [-4]  # NAND(in, in): one wire of -4
    g = chip("Xor").graph
    assert len(g.neurons()) == 4 and all(is_nand_perceptron(g, n.id) for n in g.neurons())
    assert sorted(w.weight for w in g.wires_into("Nand1")) == [-2, -2]
    ids = set(chip("FullAdder").graph.nodes)
    assert {"HalfAdder1/Xor1/Nand1", "HalfAdder2/And1/Not1/Nand1", "Or1/Nand1"} <= ids
    # bus bits: inputs and outputs one node per bit, most significant first, labelled a[15] … a[0]
    g = chip("Add16").graph
    assert [n.label for n in g.inputs()][:2] == ["a[15]", "a[14]"] and g.inputs()[15].label == "a[0]"
    assert [n.name for n in g.outputs()] == [f"out[{i}]" for i in reversed(range(16))]


def test_hdl_features(tmp_path):
    path = write(tmp_path, Top="""
        /** doc comment */ CHIP Top {
            IN a[4], b, /* inline */ c;   // trailing
            OUT lo[2], hi, same, copy[4], k[3], zero;
            PARTS:
            // sub-buses on both sides, true/false of any width, one pin wired to several signals
            Pass4(in[0..1]=a[2..3], in[2]=true, in[3]=false, out=copy, out[0..1]=lo, out[3]=w);
            Nand(a=w, b=b, out=hi, out=same);        // internal w is one bit wide: from the pin
            Pass4(in=a, out[1..3]=k, out[0]=false);  // a part's output given false is ignored
            Nand(a=c, out=nc);                        // b unconnected reads false: NAND(c, 0) = 1
            Nand(a=nc, b=nc, out=zero);
        }""", Pass4="""
        CHIP Pass4 { IN in[4]; OUT out[4];
            PARTS:
            Not(in=in[0], out=n0); Not(in=n0, out=out[0]);
            Not(in=in[1], out=n1); Not(in=n1, out=out[1]);
            Not(in=in[2], out=n2); Not(in=n2, out=out[2]);
            Not(in=in[3], out=n3); Not(in=n3, out=out[3]);
        }""", Not="CHIP Not { IN in; OUT out; PARTS: Nand(a=in, b=in, out=out); }")
    build = import_hdl(path)
    a = np.arange(16).repeat(4)
    b = np.tile([0, 1], 32)
    c = np.tile([0, 0, 1, 1], 16)
    out = run(build, a=a, b=b, c=c)
    copy = (a >> 2) | (1 << 2)
    assert list(out["copy"]) == list(copy)
    assert list(out["lo"]) == list(copy & 3)
    assert list(out["hi"]) == list(out["same"]) == list(1 - (b & 0))   # w = bit 3 of copy = false
    assert list(out["k"]) == list(a >> 1)
    assert list(out["zero"]) == [0] * len(a)
    assert build.model.signals == {"w": 1, "nc": 1}


def test_nand_only_makes_constants_from_nands(tmp_path):
    path = write(tmp_path, Top="CHIP Top { IN x; OUT o; PARTS: Nand(a=x, b=true, out=o); }")
    folded = import_hdl(path).graph
    (n,) = folded.neurons()
    assert n.bias == 1 and [w.weight for w in folded.wires_into(n.id)] == [-2]   # true folded into the bias
    strict = import_hdl(path, nand_only=True).graph
    assert is_nand_only(strict) and len(strict.neurons()) == 3
    x = np.array([0, 1])
    assert list(run(import_hdl(path, nand_only=True), x=x)["o"]) == [1, 0]


# ----- mistakes ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("body, line, words", [
    ("Foo(a=a, out=out);", 3, "unknown chip Foo"),
    ("Nand(a=a[0], c=a[1], out=out);", 3, "c is not a pin of Nand (its pins: a, b, out)"),
    ("Nand(a=a[0..1], b=a[0], out=out);", 3, "width mismatch"),
    ("Nand(a=a[0], b=a[1], out=x); Nand(a=x[0], b=x, out=out);", 3, "sub-bus of the internal signal x"),
    ("Nand(a=a[0], b=a[1], out=out);\nNand(a=a[0], b=a[0], out=out);", 4, "output out is driven twice"),
    ("Nand(a=a[0], b=a[1], out=x);\nNand(a=a[0], b=a[0], out=x); Nand(a=x, b=x, out=out);", 4,
     "signal x is driven twice"),
    ("Nand(a=a[0], b=ghost, out=out);", 3, "ghost is used but never driven"),
    ("Nand(a=p, b=a[0], out=q);\nNand(a=q, b=a[1], out=p); Nand(a=p, b=p, out=out);", 3, "cycle among parts"),
    ("Nand(a=a[5], b=a[0], out=out);", 3, "a[5]"),
    ("Nand(a=out, b=a[0], out=out);", 3, "out is an output of Top"),
    ("Nand(a=a[0], b=a[1], out=a[0]);", 3, "a is an input of Top"),
    ("DFF(in=a[0], out=out);", 3, "sequential chips are not supported yet"),
    ("Nand(a=a[0] b=a[1], out=out);", 3, "expected ',' or ')'"),
])
def test_errors_name_file_line_and_problem(tmp_path, body, line, words):
    path = write(tmp_path, Top=f"CHIP Top {{\n    IN a[2]; OUT out; PARTS:\n    {body}\n}}\n")
    with pytest.raises(HdlError) as err:
        import_hdl(path)
    assert f"Top.hdl:{line}: " in str(err.value) and words in str(err.value)


def test_sequential_and_recursive_chips(tmp_path):
    write(tmp_path, Reg="CHIP Reg { IN in; OUT out; PARTS: DFF(in=in, out=out); }")
    write(tmp_path, Top="CHIP Top { IN in; OUT out; PARTS: Reg(in=in, out=out); }")
    with pytest.raises(SequentialChipError, match="Reg.hdl:1: DFF is a sequential chip: sequential chips"):
        load_chip(tmp_path / "Top.hdl")
    write(tmp_path, Clk="CHIP Clk { IN in; OUT out; BUILTIN Clk; CLOCKED in; }")
    with pytest.raises(SequentialChipError, match="not supported yet"):
        load_chip(tmp_path / "Clk.hdl")
    write(tmp_path, A="CHIP A { IN x; OUT y; PARTS: B(x=x, y=y); }", B="CHIP B { IN x; OUT y; PARTS: A(x=x, y=y); }")
    with pytest.raises(HdlError, match=r"the chip A contains itself \(A → B → A\)"):
        load_chip(tmp_path / "A.hdl")
    write(tmp_path, Self="CHIP Self { IN x; OUT y; PARTS: Self(x=x, y=y); }")
    with pytest.raises(HdlError, match="Self.hdl:1: the chip Self contains itself"):
        load_chip(tmp_path / "Self.hdl")


def test_syntax_errors_and_stub_chips(tmp_path):
    with pytest.raises(HdlError, match=r"X.hdl:3: a /\* comment is never closed"):
        parse_hdl("CHIP X {\n IN a;\n /* open\n", "X.hdl")
    with pytest.raises(HdlError, match="X.hdl:1: expected CHIP"):
        parse_hdl("CHP X {}", "X.hdl")
    with pytest.raises(HdlError, match="the pin a is declared twice"):
        parse_hdl("CHIP X { IN a, a; OUT b; PARTS: }", "X.hdl")
    # the course's empty templates are legal chips: their outputs read 0
    build = build_chip(load_chip(write(tmp_path, Stub="CHIP Stub { IN a; OUT out; PARTS: }")))
    assert list(run(build, a=np.array([0, 1]))["out"]) == [0, 0]


# ----- chips ---------------------------------------------------------------------------------------------
def test_every_hdl_chip_becomes_a_chip_definition(tmp_path):
    doc = import_hdl(DATA / "ALU.hdl", chips=True)
    g = doc.graph
    assert set(g.chips) == {"Not", "And", "Or", "Xor", "Mux", "Not16", "And16", "Mux16", "Or8Way", "HalfAdder",
                            "FullAdder", "Add16"}
    assert g.chips["Xor"].inputs == ["a", "b"] and g.chips["Xor"].outputs == ["out"]
    assert g.chips["Add16"].inputs[:2] == ["a[15]", "a[14]"]
    assert {n.chip for n in g.instances()} == {"Mux16", "Not16", "And16", "Add16", "Or8Way", "Or", "Not"}
    assert [n.name for n in g.outputs()][-2:] == ["zr", "ng"]
    # the same network as the flat build, and a file round trip keeps it
    flat = chip("ALU")
    c_doc, c_flat = compile_graph(g), compile_graph(flat.graph)
    assert sorted(c_doc.neuron_ids) == sorted(c_flat.neuron_ids)      # the same path ids: Mux16/Mux3/Nand2 …
    X = np.random.default_rng(9).integers(0, 2, (400, c_doc.n_inputs)).astype(float)
    assert c_doc.input_ids == c_flat.input_ids
    assert np.array_equal(c_doc.feedforward(X), c_flat.feedforward(X))
    save_graph(g, tmp_path / "alu.json")
    assert np.array_equal(compile_graph(load_graph(tmp_path / "alu.json")).feedforward(X), c_flat.feedforward(X))


def test_true_ties_a_pin_and_an_undriven_output_reads_zero(tmp_path):
    g = import_hdl(DATA / "Inc16.hdl", chips=True).graph
    (add,) = g.instances()
    assert add.chip == "Add16" and add.tied == {"b[0]": 1}
    path = write(tmp_path, Top="CHIP Top { IN x; OUT o, never; PARTS: Not(in=x, out=o); }",
                 Not="CHIP Not { IN in; OUT out; PARTS: Nand(a=in, b=in, out=out); }")
    build = build_chip_document(load_chip(path))
    assert list(run(build, x=np.array([0, 1]))["never"]) == [0, 0]


def test_parts_missing_from_the_folder_come_from_the_built_in_chips(tmp_path):
    path = write(tmp_path, Top="CHIP Top { IN a, b; OUT o; PARTS: Xor(a=a, b=b, out=o); }")
    a, b = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    assert list(run(import_hdl(path), a=a, b=b)["o"]) == [0, 1, 1, 0]       # nnsim's Xor, of NAND perceptrons
    write(tmp_path, Xor="CHIP Xor { IN a, b; OUT out; PARTS: Nand(a=a, b=b, out=out); }")
    assert list(run(import_hdl(path), a=a, b=b)["o"]) == [1, 1, 1, 0]       # the folder's own Xor comes first
    with pytest.raises(HdlError, match="unknown chip Frob"):
        import_hdl(write(tmp_path, Top="CHIP Top { IN a; OUT o; PARTS: Frob(a=a, out=o); }"))


def test_what_the_course_simulator_also_accepts(tmp_path):
    # names with '-' and '.', a lone '/' starting a comment, characters stuck after a sub-bus's ']'
    path = write(tmp_path, Top="""CHIP Top {
        IN a[2], b;
        /  a lone slash comments out the rest of the line
        OUT o;
        PARTS:
        Nand(a=a[0]], b=b, out=nand-out.1);
        Nand(a=nand-out.1, b=a[1]x, out=o);
    }""")
    a, b = np.array([0, 1, 2, 3, 3]), np.array([1, 1, 1, 1, 0])
    assert list(run(import_hdl(path), a=a, b=b)["o"]) == list(1 - ((1 - ((a & 1) & b)) & (a >> 1)))


def test_a_builtin_stub_stands_for_nnsims_chip(tmp_path):
    path = write(tmp_path, Or="CHIP Or { IN a, b; OUT out; BUILTIN Or; }")
    a, b = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    assert list(run(import_hdl(path), a=a, b=b)["out"]) == [0, 1, 1, 1]
    with pytest.raises(HdlError, match="nnsim has no built-in Frob"):
        import_hdl(write(tmp_path, Frob="CHIP Frob { IN a; OUT out; BUILTIN Frob; }"))
