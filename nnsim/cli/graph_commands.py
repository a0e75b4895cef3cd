"""``nnsim table`` and ``nnsim info``: read a document and print its truth table or a summary."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter

import numpy as np

from nnsim.core import activations
from nnsim.core.circuit.compile import MAX_TABLE_INPUTS, compile_graph
from nnsim.core.errors import UserError
from nnsim.core.circuit.chips import uses_count
from nnsim.core.circuit.graph import NEURON, Graph
from nnsim.core.logic.gates import is_nand_only
from nnsim.io.fileformat import load_graph

#: Most inputs ``nnsim table`` will enumerate (2**16 = 65,536 rows).
TABLE_LIMIT = 16


def register(sub) -> None:
    p = sub.add_parser("table", help="print the truth table of a network",
                       description="Print every input row (binary counting, first input most significant) "
                                   "and the outputs: perceptron outputs as 0/1, others as decimals.")
    p.add_argument("file", help="an nnsim document (.json)")
    p.add_argument("--format", choices=("text", "csv", "json"), default="text")
    p.set_defaults(func=cmd_table)

    p = sub.add_parser("info", help="summarise a network: inputs, neurons, wires, depth, loops",
                       description="Summarise a network: its name, inputs, neurons by activation, wires, "
                                   "outputs, depth (layers), whether it has a loop and whether it is built "
                                   "of NAND perceptrons only. --json adds the parameter ids (w:SRC:DST, "
                                   "b:NODE) that nnsim sweep takes.")
    p.add_argument("file", help="an nnsim document (.json)")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.set_defaults(func=cmd_info)


def _format_value(value: float, binary: bool) -> str:
    if binary:
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".") if value == value else "nan"


def table_rows(graph: Graph) -> tuple[list[str], list[list[str]], np.ndarray, np.ndarray]:
    """Header and formatted rows of the truth table, with the raw inputs (2ⁿ, n) and outputs (2ⁿ, k)."""
    circuit = compile_graph(graph)
    n = circuit.n_inputs
    if n > min(TABLE_LIMIT, MAX_TABLE_INPUTS):
        raise UserError(f"{n} inputs make {2 ** n:,} rows; tables stop at {TABLE_LIMIT} inputs")
    if not circuit.output_ids:
        raise UserError("the network has no output neurons")
    X, O = circuit.truth_table()
    binary = [circuit.activation_of[o].binary for o in circuit.output_ids]
    header = [circuit.labels[i] for i in circuit.input_ids] + [circuit.labels[o] for o in circuit.output_ids]
    rows = [[str(int(v)) for v in x] + [_format_value(v, b) for v, b in zip(o, binary)] for x, o in zip(X, O)]
    if circuit.has_loop:  # run in time steps from all neurons at 0: say when each row settled
        settled = circuit.settle(X)
        header.append("settled")
        for row, steps, period in zip(rows, settled.steps, settled.period):
            row.append(f"step {steps}" if steps >= 0 else
                       f"oscillates (period {period})" if period > 0 else "did not settle")
    return header, rows, X, O


def cmd_table(args) -> int:
    graph = load_graph(args.file)
    header, rows, X, O = table_rows(graph)
    if args.format == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
    elif args.format == "json":
        n = X.shape[1]
        print(json.dumps({"inputs": header[:n], "outputs": header[n:],
                          "rows": [{"inputs": [int(v) for v in x], "outputs": [float(v) for v in o]}
                                   for x, o in zip(X, O)]}, indent=1))
    else:
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
        n = X.shape[1]
        if len(header) > n + O.shape[1]:
            print("The network has a loop: it ran in time steps from all neurons at 0.")

        def line(cells):
            left = "  ".join(c.rjust(w) for c, w in zip(cells[:n], widths[:n]))
            right = "  ".join(c.rjust(w) for c, w in zip(cells[n:], widths[n:]))
            return f"{left} | {right}"

        print(line(header))
        print("-" * len(line(header)))
        for r in rows:
            print(line(r))
    return 0


def graph_info(graph: Graph) -> dict:
    """Counts and structure of a document, as printed by ``nnsim info --json``. Neurons and wires are
    counted in the flat network (chips opened up; wires into output nodes are not counted); ``chips``
    gives each definition's number of instances in it."""
    circuit = compile_graph(graph)
    flat = circuit.flat_graph
    by_activation = Counter(n.activation for n in flat.neurons())
    info = {
        "name": graph.name,
        "inputs": len(graph.inputs()),
        "neurons": len(flat.neurons()),
        "neurons_by_activation": {a: by_activation[a] for a in activations.ACTIVATIONS if by_activation[a]},
        "wires": sum(1 for w in flat.wires.values() if flat.nodes[w.target].kind == NEURON),
        "chips": {name: uses_count(graph).get(name, 0) for name in graph.chips},
        "instances": len(graph.instances()),
        "outputs": [circuit.labels[o] for o in circuit.output_ids],
        "depth": circuit.depth,
        "has_loop": circuit.has_loop,
        "parameters": [p.name for p in circuit.params],
        "nand_only": is_nand_only(graph),
    }
    return info


def cmd_info(args) -> int:
    info = graph_info(load_graph(args.file))
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    acts = ", ".join(f"{k} {v}" for k, v in info["neurons_by_activation"].items()) or "none"
    print(f"name:     {info['name'] or '(unnamed)'}")
    print(f"inputs:   {info['inputs']}")
    print(f"neurons:  {info['neurons']} ({acts})")
    print(f"wires:    {info['wires']}")
    if info["chips"]:
        print(f"chips:    {', '.join(f'{name} x{k}' for name, k in info['chips'].items())} "
              f"({info['instances']} on top; counts above are of the flat network)")
    print(f"outputs:  {', '.join(info['outputs']) or 'none'}")
    print(f"depth:    {info['depth'] if info['depth'] is not None else '- (has a loop)'}")
    print(f"loop:     {'yes' if info['has_loop'] else 'no'}")
    if "nand_only" in info:
        print(f"NAND only: {'yes' if info['nand_only'] else 'no'}")
    print(f"parameters: {len(info['parameters'])}")
    return 0
