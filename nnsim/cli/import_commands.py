"""``nnsim import``, ``nnsim hdl test`` and ``nnsim eval``: circuits from nand2tetris HDL and ISCAS .bench
files, the course's test scripts run on NAND perceptrons, and outputs for chosen rows of wide circuits."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("import", help="import a nand2tetris .hdl chip or an ISCAS .bench netlist",
                       description="Build an nnsim document of perceptrons from a nand2tetris chip (.hdl; the "
                                   "parts it uses are read from the same folder, Nand is the NAND perceptron) "
                                   "or an ISCAS .bench netlist (each linearly separable gate one perceptron, "
                                   "XOR/XNOR NAND networks).")
    p.add_argument("file", metavar="FILE", help="Chip.hdl or circuit.bench")
    p.add_argument("-o", "--output", metavar="OUT.json", help="where to write (default: print the JSON)")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--nand-only", action="store_true",
                     help="one flat network of two-input NAND perceptrons only (wide gates as trees, constants "
                          "from NANDs)")
    how.add_argument("--flat", action="store_true",
                     help="one flat network of perceptrons (by default each HDL chip, and each XOR/XNOR gate of "
                          "a netlist, is a chip definition)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("hdl", help="nand2tetris tools: run a test script (.tst) on a chip of NAND perceptrons")
    hdl = p.add_subparsers(dest="hdl_command", metavar="COMMAND", parser_class=type(p))
    t = hdl.add_parser("test", help="run Chip.tst, write Chip.out and compare it with the .cmp file",
                       description="Run a nand2tetris test script on the chip built from NAND perceptrons. "
                                   "Writes the .out file as the course's hardware simulator does and compares "
                                   "it with the compare file line by line. Exit 0 when every line matches, "
                                   "1 at the first line that differs (expected and got are printed), 2 for a "
                                   "script or chip that cannot be run.")
    t.add_argument("script", metavar="Chip.tst")
    t.add_argument("--nand-only", action="store_true", help="build constants from NANDs too")
    t.set_defaults(func=cmd_hdl_test)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])

    p = sub.add_parser("eval", help="outputs of a circuit for given input rows (any number of inputs)",
                       description="Print the outputs for each row of ROWS.csv (a header naming every input, "
                                   "then rows of 0/1), in one vectorised pass.")
    p.add_argument("file", metavar="FILE", help="an nnsim document, a .hdl chip or a .bench netlist")
    p.add_argument("--inputs", required=True, metavar="ROWS.csv", help="CSV: header of input names, rows of 0/1")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(func=cmd_eval)


def cmd_import(args) -> int:
    from nnsim.core.circuit.compile import compile_graph
    from nnsim.core.logic.gates import is_nand_only
    from nnsim.core.errors import UserError
    from nnsim.io.fileformat import dumps_graph, save_graph
    from nnsim.io.imports import import_file, is_importable

    if not is_importable(args.file):
        raise UserError(f"{args.file}: nnsim imports .hdl (nand2tetris) and .bench (ISCAS) files")
    graph = import_file(args.file, nand_only=args.nand_only, chips=not args.flat)
    if args.output:
        save_graph(graph, args.output)
        kind = "NAND perceptrons" if is_nand_only(graph) else "perceptrons"
        neurons = len(compile_graph(graph).neuron_ids)
        chips = f" in {len(graph.chips)} chip definitions" if graph.chips else ""
        print(f"wrote {args.output}: {graph.name}: {len(graph.inputs())} inputs, {neurons} {kind}{chips}, "
              f"{len(graph.outputs())} outputs")
    else:
        sys.stdout.write(dumps_graph(graph))
    return 0


def cmd_hdl_test(args) -> int:
    from functools import partial

    from nnsim.io.hdl_build import import_hdl
    from nnsim.io.tst import run_tst

    result = run_tst(args.script, loader=partial(import_hdl, nand_only=args.nand_only, layout=False))
    where = f"{result.out_path}" if result.out_path else "(no output file)"
    if result.cmp_path is None:
        print(f"End of script: wrote {len(result.lines)} lines to {where} (no compare file)")
        return 0
    if result.passed:
        print(f"End of script - Comparison ended successfully: {len(result.lines)} lines of {where} match "
              f"{result.cmp_path}")
        return 0
    f = result.failure
    print(f"Comparison failure at line {f.number} of {where}:")
    print(f"  expected: {f.expected if f.expected is not None else '(the compare file has no such line)'}")
    print(f"  got:      {f.text}")
    return 1


def cmd_eval(args) -> int:
    from nnsim.core.logic.truthtable import feedforward_circuit
    from nnsim.io.imports import load_any
    from nnsim.io.rowtable import format_rows, read_rows

    graph = load_any(args.file)
    circuit = feedforward_circuit(graph)
    names_in = [circuit.labels[i] for i in circuit.input_ids]
    names_out = [circuit.labels[o] for o in circuit.output_ids]
    rows = read_rows(args.inputs, names_in, names_out, outputs_allowed=False)
    X = rows.X[:, [rows.inputs.index(n) for n in names_in]]
    sys.stdout.write(format_rows(names_in, X, names_out, circuit.feedforward(X), args.format))
    return 0
