"""``nnsim sweep`` and ``nnsim sensitivity``: what the response lab's plots show, as text, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import sys

import numpy as np

from nnsim.core.circuit.compile import compile_graph
from nnsim.core.errors import UserError
from nnsim.core.response import output_index, parse_inputs, resolve_param, sensitivity, sweep
from nnsim.io.fileformat import load_graph

#: Most points ``nnsim sweep`` computes.
MAX_STEPS = 1_000_000


def register(sub) -> None:
    p = sub.add_parser("sweep", help="an output against one weight or bias over a range",
                       description="Sweep one parameter (w:SRC:DST for a weight, b:NODE for a bias, by node "
                                   "label or id) over a range and print each output; also lists where some "
                                   "neuron's z crosses 0 (where perceptrons jump).")
    p.add_argument("file", help="an nnsim document (.json)")
    p.add_argument("--param", required=True, metavar="ID", help="w:SRC:DST (a weight, e.g. w:weather:go) or b:NODE (a bias, e.g. b:go); the older w:SRC->DST works too, quoted")
    p.add_argument("--from", dest="start", type=float, metavar="A",
                   help="first value (default: the present value − max(4, 1.5·|value|))")
    p.add_argument("--to", dest="stop", type=float, metavar="B", help="last value (default: symmetric)")
    p.add_argument("--steps", type=int, default=21, metavar="N", help="number of values (default 21)")
    p.add_argument("--inputs", metavar="1,0", help="input values (default: the file's input values)")
    p.add_argument("--output", metavar="NAME", help="only this output (label or id)")
    p.add_argument("--csv", action="store_true", help="CSV: the parameter's value, then each output")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("sensitivity", help="∂O/∂p for every parameter, with predicted and actual ΔO",
                       description="List ∂O/∂p of every weight and bias at one input row, largest first, "
                                   "with the predicted ΔO = ∂O/∂p·Δ and the actual ΔO when that parameter "
                                   "alone moves by Δ.")
    p.add_argument("file", help="an nnsim document (.json)")
    p.add_argument("--inputs", required=True, metavar="1,0", help="input values, in input order")
    p.add_argument("--delta", type=float, default=0.1, metavar="D", help="the nudge Δ (default 0.1)")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.set_defaults(func=cmd_sensitivity)


def _num(v: float) -> str:
    return f"{v:.6g}"


def cmd_sweep(args) -> int:
    graph = load_graph(args.file)
    circuit = compile_graph(graph)
    p = resolve_param(circuit, args.param)
    x = parse_inputs(args.inputs, circuit)
    if not 1 <= args.steps <= MAX_STEPS:
        raise UserError(f"--steps must be between 1 and {MAX_STEPS:,}, not {args.steps}")
    current = circuit.get_param(p)
    half = max(4.0, 1.5 * abs(current))
    start = current - half if args.start is None else args.start
    stop = (2 * current - start if args.start is not None else current + half) if args.stop is None else args.stop
    if not (np.isfinite(start) and np.isfinite(stop)):
        raise UserError("--from and --to must be finite numbers")
    values = np.linspace(start, stop, args.steps)
    res = sweep(graph, p, values, x, variants=("as_is",), circuit=circuit, crossings=not args.csv)
    out = res.outputs["as_is"]
    names = res.output_names
    if args.output is not None:
        k = output_index(circuit, args.output)
        out, names = out[:, [k]], [names[k]]
    if args.csv:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([p.name] + names)
        writer.writerows([[repr(float(v))] + [repr(float(o)) for o in row] for v, row in zip(values, out)])
        sys.stdout.write(buf.getvalue())
        return 0
    inputs = ", ".join(f"{circuit.labels[i]}={_num(v)}" for i, v in zip(circuit.input_ids, x))
    print(f"{p.name} from {_num(start)} to {_num(stop)} in {args.steps} steps (now {_num(current)}); "
          f"inputs {inputs or '(none)'}")
    header = [p.name] + names
    cells = [[_num(v)] + [_num(o) for o in row] for v, row in zip(values, out)]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
    for row in cells:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths)))
    if res.crossings:
        print("z = 0 (perceptrons jump) at: " + ", ".join(f"{_num(c.value)} ({c.label})" for c in res.crossings))
    else:
        print("no neuron's z crosses 0 in this range")
    return 0


def cmd_sensitivity(args) -> int:
    graph = load_graph(args.file)
    circuit = compile_graph(graph)
    x = parse_inputs(args.inputs, circuit)
    if not circuit.output_ids:
        raise UserError("the network has no output neurons")
    rows = sensitivity(circuit, x, args.delta)
    names = [circuit.labels[o] for o in circuit.output_ids]
    before = circuit.feedforward(x[None, :])[0]
    if args.json:
        print(json.dumps({
            "inputs": {circuit.labels[i]: float(v) for i, v in zip(circuit.input_ids, x)},
            "outputs": {n: float(v) for n, v in zip(names, before)},
            "delta": args.delta,
            "parameters": [{"name": r.param.name, "value": r.value,
                            "gradient": dict(zip(names, map(float, r.gradient))),
                            "predicted": dict(zip(names, map(float, r.predicted))),
                            "actual": dict(zip(names, map(float, r.actual)))} for r in rows],
        }, indent=1))
        return 0
    inputs = ", ".join(f"{circuit.labels[i]}={_num(v)}" for i, v in zip(circuit.input_ids, x))
    outs = ", ".join(f"{n}={_num(v)}" for n, v in zip(names, before))
    print(f"inputs {inputs}; outputs {outs}; nudge Δ = {_num(args.delta)}")
    header = ["parameter", "value"]
    for n in names:
        prefix = f"{n}: " if len(names) > 1 else ""
        header += [f"{prefix}∂O/∂p", f"{prefix}predicted ΔO", f"{prefix}actual ΔO"]
    cells = []
    for r in rows:
        row = [r.param.name, _num(r.value)]
        for k in range(len(names)):
            row += [_num(r.gradient[k]), _num(r.predicted[k]), _num(r.actual[k])]
        cells.append(row)
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths))))
    for row in cells:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    if any(circuit.activation_of[n].binary for n in circuit.neuron_ids):
        print("note: perceptrons have ∂O/∂p = 0 (a step is flat), yet a big enough nudge flips them")
    return 0
