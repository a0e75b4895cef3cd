"""``nnsim build``, ``add``, ``synth``, ``convert`` and ``check``: NAND universality from the command line."""

from __future__ import annotations

import sys

from nnsim.core import logic
from nnsim.core.logic.boolexpr import parse_expression
from nnsim.core.errors import UserError
from nnsim.core.circuit.chips import flatten
from nnsim.core.circuit.graph import Graph
from nnsim.core.logic.synthesis import MAX_INPUTS, synthesize
from nnsim.io.fileformat import dumps_graph, load_graph, save_graph
from nnsim.core.logic.truthtable import check_rows
from nnsim.io.imports import load_any
from nnsim.io.rowtable import read_rows
from nnsim.io.tables import read_table


def register(sub) -> None:
    p = sub.add_parser("build", help="build a circuit of NAND perceptrons (gates, adders, latch)",
                       description="Write a generated circuit as an nnsim document: "
                                   + ", ".join(logic.BUILDERS) + ".")
    p.add_argument("name", metavar="NAME", help="one of: " + ", ".join(logic.BUILDERS))
    p.add_argument("--bits", type=int, help="adder width, 1 to 64, or multiplier width, 2 to 32 (default 4)")
    p.add_argument("--carry-in", action="store_true", help="adder only: add a carry input cin")
    p.add_argument("-o", "--output", metavar="FILE", help="where to write (default: print the JSON)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("add", help="add two numbers with the n-bit perceptron adder",
                       description="Print A + B computed by the ripple-carry adder of NAND perceptrons.")
    p.add_argument("a", metavar="A", help="a whole number from 0 to 2^N - 1 (decimal, 0x… or 0b…)")
    p.add_argument("b", metavar="B", help="a whole number from 0 to 2^N - 1")
    p.add_argument("--bits", type=int, help="adder width N, 1 to 64 (default: the fewest bits that hold A and B)")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("mul", help="multiply two numbers with the NAND array multiplier",
                       description="Print A x B computed by the array multiplier of NAND perceptrons "
                                   "(And chips and adder chips, flattened to one network).")
    p.add_argument("a", metavar="A", help="a whole number from 0 to 2^N - 1 (decimal, 0x... or 0b...)")
    p.add_argument("b", metavar="B", help="a whole number from 0 to 2^N - 1")
    p.add_argument("--bits", type=int, default=16, help="multiplier width N, 2 to 32 (default 16)")
    p.set_defaults(func=cmd_mul)

    p = sub.add_parser("synth", help="synthesise a NAND-only circuit from a truth table or an expression",
                       description="Minimise each output (Quine-McCluskey) and build it from 2-input NAND "
                                   "perceptrons shared between outputs; the result is checked on every row.")
    p.add_argument("table", nargs="?", metavar="TABLE.csv",
                   help="CSV with a header of names, inputs first, then outputs; cells 0/1, every row once")
    p.add_argument("--inputs", type=int, metavar="K", help="the first K columns are inputs (default: from the row count)")
    p.add_argument("--expr", metavar="TEXT", help='statements such as "s = a ^ b; c = a & b" instead of a table')
    p.add_argument("--name", help="the circuit's name")
    p.add_argument("-o", "--output", metavar="FILE", help="where to write (default: print the JSON)")
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("convert", help="turn a perceptron network into sigmoid neurons scaled by c",
                       description="Print the smallest margin |z| over the truth table, the smallest c at which "
                                   "the sigmoid copy (weights and biases x c) rounds to the perceptrons' answer "
                                   "on every row, and the rows where some z = 0.")
    p.add_argument("file", help="an nnsim document of perceptrons")
    p.add_argument("--to", choices=("sigmoid",), required=True)
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--scale", type=float, metavar="C", help="multiply every weight and bias by C > 0")
    how.add_argument("--min-scale", action="store_true", help="use the smallest working c")
    p.add_argument("-o", "--output", metavar="OUT", help="write the sigmoid network here")
    p.set_defaults(func=cmd_convert)

    p = sub.add_parser("check", help="compare a circuit's truth table with an expected table",
                       description="Exit 0 when every row matches, 1 (listing the rows) when some differ. An "
                                   "output matches an expected 0 or 1 when it lies on the same side of 1/2 "
                                   "(a sigmoid output read as a bit); other expected values within "
                                   f"{logic.TOLERANCE:g}.")
    p.add_argument("file", help="an nnsim document, a .hdl chip or a .bench netlist")
    p.add_argument("--expect", metavar="TABLE.csv",
                   help="expected rows: a header naming every input and some outputs as the circuit does, then "
                        "any rows (all 2^n or only some) (default: the table stored in the document)")
    p.set_defaults(func=cmd_check)


def _summary(graph: Graph) -> str:
    flat = flatten(graph)
    neurons = len(flat.neurons())
    wires = sum(1 for w in flat.wires.values() if flat.nodes[w.target].kind == "neuron")
    kind = "NAND perceptrons" if logic.is_nand_only(flat) else "neurons"
    outs = ", ".join(n.name for n in graph.outputs())
    chips = f" in {len(graph.instances())} chips" if graph.instances() else ""
    return (f"{graph.name}: {len(graph.inputs())} inputs, {neurons} {kind}{chips}, {wires} wires; "
            f"outputs {outs}")


def _emit(graph: Graph, output: str | None) -> None:
    if output:
        save_graph(graph, output)
        print(f"wrote {output}: {_summary(graph)}")
    else:
        sys.stdout.write(dumps_graph(graph))


def cmd_build(args) -> int:
    if args.carry_in:
        if args.name.strip().lower() != "adder":
            raise UserError("--carry-in is for the adder")
        graph = logic.adder(4 if args.bits is None else args.bits, carry_in=True)
    else:
        graph = logic.build(args.name, args.bits)
    _emit(graph, args.output)
    return 0


def _number(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        try:
            value = int(text, 0)
        except ValueError:
            raise UserError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise UserError(f"{text} is negative; the adder takes numbers from 0 up")
    return value


def cmd_add(args) -> int:
    a, b = _number(args.a), _number(args.b)
    need = max(1, a.bit_length(), b.bit_length())
    if args.bits is None and need > logic.MAX_ADDER_BITS:
        raise UserError(f"{max(a, b)} needs {need} bits; the adder has at most {logic.MAX_ADDER_BITS} bits "
                        f"(numbers up to {2 ** logic.MAX_ADDER_BITS - 1})")
    bits = args.bits if args.bits is not None else need
    if not 1 <= bits <= logic.MAX_ADDER_BITS:
        raise UserError(f"the adder has 1 to {logic.MAX_ADDER_BITS} bits, not {bits}")
    for x in (a, b):
        if x >= 2 ** bits:
            raise UserError(f"{x} does not fit in {bits} bits (at most {2 ** bits - 1})")
    print(logic.add_numbers(a, b, bits))
    return 0


def cmd_mul(args) -> int:
    a, b = _number(args.a), _number(args.b)
    bits = args.bits
    if not 2 <= bits <= logic.MAX_MULTIPLIER_BITS:
        raise UserError(f"the multiplier has 2 to {logic.MAX_MULTIPLIER_BITS} bits, not {bits}")
    for x in (a, b):
        if x >= 2 ** bits:
            raise UserError(f"{x} does not fit in {bits} bits (at most {2 ** bits - 1}); use --bits")
    print(logic.multiply_numbers([a], [b], bits)[0])
    return 0


def cmd_synth(args) -> int:
    if (args.table is None) == (args.expr is None):
        raise UserError("give either a table file or --expr, not both or neither")
    if args.expr is not None:
        if args.inputs is not None:
            raise UserError("--inputs is for a table file; an expression names its own inputs")
        table = parse_expression(args.expr, max_inputs=MAX_INPUTS)
    else:
        table = read_table(args.table, args.inputs, max_inputs=MAX_INPUTS)
    _emit(synthesize(table, args.name or ""), args.output)
    return 0


def cmd_convert(args) -> int:
    graph = load_graph(args.file)
    report = logic.scale_report(graph)
    sampled = "" if report.exhaustive else " (sampled)"
    print(f"margin |z|:          {report.margin:g}  (smallest over {len(report.rows)} rows{sampled})")
    if report.min_scale is None:
        print("smallest working c:  none (no c makes every output round to the perceptrons' answer)")
    elif report.min_scale == 0:
        print("smallest working c:  any c > 0 works")
    else:
        print(f"smallest working c:  {report.min_scale:.6g}  (every output rounds to the perceptrons' answer "
              f"from this c up)")
    if report.zero_rows:
        print(f"z = 0 rows:          {len(report.zero_rows)} (neurons {', '.join(report.zero_neurons)}); "
              f"there the sigmoid gives 1/2 at every c:")
        for x in report.zero_row_inputs()[:20]:
            print("  " + " ".join(f"{name}={v}" for name, v in zip(report.inputs, x)))
        if len(report.zero_rows) > 20:
            print(f"  … and {len(report.zero_rows) - 20} more")
    else:
        print("z = 0 rows:          none")
    if args.min_scale:
        if report.min_scale is None:
            return 1
        c = report.min_scale or 1.0
    else:
        c = args.scale
        error = float(logic.sigmoid_error(graph, [c], report.rows)[0])
        verdict = "works" if error < 0.5 else "fails"
        print(f"at c = {c:g}:          {verdict} (largest |sigmoid - perceptron| = {error:.3g})")
    if args.output:
        converted = logic.to_sigmoid(graph, c)
        save_graph(converted, args.output)
        print(f"wrote {args.output}: {converted.name}")
    return 0


def cmd_check(args) -> int:
    graph = load_any(args.file)
    if args.expect:  # any rows, in any order: a partial table checks circuits too wide for a full one
        rows = read_rows(args.expect, [n.name for n in graph.inputs()], [n.name for n in graph.outputs()])
        if not rows.outputs:
            raise UserError(f"{args.expect}: no column names an output of the circuit")
        result = check_rows(graph, rows.inputs, rows.X, rows.outputs, rows.E)
    elif graph.expected is not None:
        result = logic.check_expected(graph, graph.expected)
    else:
        raise UserError(f"{args.file} stores no expected table; give one with --expect TABLE.csv")
    bad = result.mismatches()
    total = len(result.X)
    if not bad:
        print(f"OK: all {total} rows match")
        return 0
    print(f"{len(bad)} of {total} rows differ:")
    print(f"{' '.join(result.inputs)} | expected {' '.join(result.outputs)} | actual {' '.join(result.outputs)}")
    for m in bad[:50]:
        want, got = (" ".join(logic.format_value(v) for v in values) for values in (m.expected, m.actual))
        print(f"{' '.join(str(v) for v in m.inputs)} | {want} | {got}")
    if len(bad) > 50:
        print(f"… and {len(bad) - 50} more")
    return 1
