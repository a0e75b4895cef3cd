"""Test scripts: our own .tst/.cmp files pass on chips of NAND perceptrons, the .out text is formatted as
the course's hardware simulator formats it, and failures and bad scripts are reported."""

from __future__ import annotations

from functools import partial

import pytest

from nnsim.io.hdl import SequentialChipError
from nnsim.io.hdl_build import import_hdl
from nnsim.io.tst import OutputSpec, TstError, matches_template, parse_spec, parse_tst, parse_value, run_tst


@pytest.mark.parametrize("chips", [False, True])
@pytest.mark.parametrize("name", ["Not", "Xor", "Mux", "DMux4Way", "Not16", "Add16", "Inc16", "ALU"])
def test_our_scripts_pass_and_the_out_file_equals_the_cmp_file(hdl_folder, name, chips):
    result = run_tst(hdl_folder / f"{name}.tst", loader=partial(import_hdl, chips=chips))
    assert result.passed, result.failure
    assert result.out_path == hdl_folder / f"{name}.out"
    assert (hdl_folder / f"{name}.out").read_text() == (hdl_folder / f"{name}.cmp").read_text()


def test_cells_and_headers_as_the_course_formats_them():
    assert OutputSpec("in", "B", 3, 1, 3).header() == "  in   "     # centred, extra space right
    assert OutputSpec("zx", "B", 1, 1, 1).header() == "zx "
    assert OutputSpec("f", "B", 1, 1, 1).header() == " f "
    assert OutputSpec("x", "B", 1, 16, 1).header() == "        x         "
    assert OutputSpec("address", "D", 0, 5, 0).header() == "addre"     # cut to the cell
    assert OutputSpec("in", "B", 3, 1, 3).cell(1) == "   1   "
    assert OutputSpec("x", "B", 1, 16, 1).cell(-1) == " 1111111111111111 "   # two's complement
    assert OutputSpec("x", "B", 1, 4, 1).cell(-2) == " 1110 "                 # last len digits
    assert OutputSpec("x", "D", 1, 6, 1).cell(-12) == "    -12 "               # right-aligned
    assert OutputSpec("x", "D", 2, 6, 2).cell(7) == "       7  "
    assert OutputSpec("x", "X", 1, 4, 1).cell(-1) == " ffff "                 # 4 lower-case digits
    assert OutputSpec("x", "X", 1, 6, 1).cell(26) == "   001a "
    assert OutputSpec("time", "S", 1, 4, 1).cell("0 ") == " 0    "           # left-aligned
    assert OutputSpec("x", "D", 1, 2, 1).cell(12345) == " 45 "                 # too long: last digits


def test_output_list_entries():
    assert parse_spec("a%B3.1.3") == OutputSpec("a", "B", 3, 1, 3)
    assert parse_spec("out%B1.16.1") == OutputSpec("out", "B", 1, 16, 1)
    assert parse_spec("x%D2.6.2") == OutputSpec("x", "D", 2, 6, 2)
    assert parse_spec("out") == OutputSpec("out", "B", 1, 1, 1)
    for bad in ("a%Q1.1.1", "a%B1.1", "a%B1.0.1", "%B1.1.1"):
        with pytest.raises(ValueError):
            parse_spec(bad)


def test_set_values_are_read_as_the_course_reads_them():
    assert parse_value("12") == 12 and parse_value("-1") == -1 and parse_value("%D-32768") == -32768
    assert parse_value("%B101") == 5 and parse_value("%B1111111111111111") == -1
    assert parse_value("%XFFFF") == -1 and parse_value("%X7fff") == 32767 and parse_value("%XFF") == 255
    for bad in ("32768", "%B12", "%Xzz", "abc", "%D"):
        with pytest.raises(ValueError):
            parse_value(bad)


def test_wildcards_in_the_compare_file():
    assert matches_template("| 1 | 0 |", "| * | 0 |")
    assert not matches_template("| 1 | 0 |", "| 1 | 1 |") and not matches_template("| 1 |", "| 1 | ")


def test_a_difference_stops_the_run_at_that_line(hdl_folder):
    cmp = hdl_folder / "Xor.cmp"
    lines = cmp.read_text().splitlines()
    lines[3] = lines[3][:-3] + "0 |"          # the row a=1, b=0 now expects out=0
    cmp.write_text("\n".join(lines) + "\n")
    result = run_tst(hdl_folder / "Xor.tst")
    assert not result.passed and result.failure.number == 4
    assert result.failure.text == "| 1 | 0 | 1 |" and result.failure.expected == "| 1 | 0 | 0 |"
    assert (hdl_folder / "Xor.out").read_text().splitlines() == lines[:3] + ["| 1 | 0 | 1 |"]  # as far as it ran


def test_outputs_change_only_at_eval_and_load_evaluates_zeros(hdl_folder):
    (hdl_folder / "T.tst").write_text("load Not.hdl, output-file T.out, output-list in out;\n"
                                  "output; set in 1, output; eval, output;\n"
                                  "repeat 2 { set in 0, output; }\n")
    result = run_tst(hdl_folder / "T.tst")
    assert result.text == "|in |out|\n| 0 | 1 |\n| 1 | 1 |\n| 1 | 0 |\n| 0 | 0 |\n| 0 | 0 |\n"
    assert result.cmp_path is None and (hdl_folder / "T.out").exists()


@pytest.mark.parametrize("chips", [False, True])
def test_internal_signals_and_negative_sets(hdl_folder, chips):
    (hdl_folder / "T.tst").write_text("load ALU.hdl, output-file T.out, output-list x%D1.6.1 fout%D1.6.1 out%X1.4.1 "
                                  "nonzero;\nset x -5, set y 0, set f 1, eval, output;")
    result = run_tst(hdl_folder / "T.tst", loader=partial(import_hdl, chips=chips))
    assert result.lines[1].text == "|     -5 |     -5 | fffb | 1 |"


@pytest.mark.parametrize("script, error, words", [
    ("load Not.hdl, output-list in out; set in 0, tick, output;", SequentialChipError,
     "T.tst:1: tick: sequential chips are not supported yet"),
    ("load Not.hdl, output-list in out; set nothing 1, eval, output;", TstError, "unknown variable nothing"),
    ("load Not.hdl, output-list in out; set out 1;", TstError, "out is read-only"),
    ("load Not.hdl, output-list in out; set in 2;", TstError, "2 doesn't fit in the pin's width"),
    ("load Not.hdl, output-list in out;\nfrobnicate;", TstError, "T.tst:2: unknown command 'frobnicate'"),
    ("load Not.hdl,\noutput-list in out =\nset in 1;", TstError, "T.tst:2: illegal terminator '='"),
    ("load Not.hdl, output;", TstError, "output before any output-list"),
    ("load Not.hdl, output-list in out; repeat { eval, }", TstError, "runs for ever"),
    ("load Not.hdl, output-list in out; repeat 2 { repeat 2 { eval; } }", TstError, "nested repeat"),
    ("load Missing.hdl;", Exception, "T.tst:1: load Missing.hdl: "),
    ("load Not.hdl, compare-to None.cmp;", TstError, "None.cmp: no such file"),
])
def test_bad_scripts_name_the_line_and_problem(hdl_folder, script, error, words):
    (hdl_folder / "T.tst").write_text(script)
    with pytest.raises(error) as err:
        run_tst(hdl_folder / "T.tst")
    assert words in str(err.value)


def test_parse_keeps_repeat_bodies_and_comments_out():
    cmds = parse_tst("// c\nload X.hdl, output-list a; /* a\nb */ repeat 3 { set a %B01, eval, output; }")
    assert [c.name for c in cmds] == ["load", "output-list", "repeat"]
    assert cmds[2].count == 3 and [c.name for c in cmds[2].body] == ["set", "eval", "output"]
    assert cmds[2].body[0].args == ["a", "%B01"] and cmds[2].line == 3


def test_a_bare_bus_name_prints_all_its_bits(hdl_folder):
    (hdl_folder / "T.tst").write_text("load Not16.hdl, output-file T.out, output-list in out;\nset in %B101, eval, output;")
    assert run_tst(hdl_folder / "T.tst").text == ("|        in        |       out        |\n"
                                              "| 0000000000000101 | 1111111111111010 |\n")
    assert parse_spec("out", 16) == OutputSpec("out", "B", 1, 16, 1)


def test_a_script_without_load_runs_on_the_chip_it_is_named_after(hdl_folder):
    (hdl_folder / "Xor-short.tst").write_text("output-list a b out;\nset a 1, set b 0, eval, output;")
    (hdl_folder / "Xor-short.cmp").write_text("| a | b |out|\n| 1 | 0 | 1 |\n")
    result = run_tst(hdl_folder / "Xor-short.tst")
    assert result.passed and result.cmp_path == hdl_folder / "Xor-short.cmp" and len(result.lines) == 2
    assert result.out_path == hdl_folder / "Xor-short.out" and result.chip_path == hdl_folder / "Xor.hdl"
