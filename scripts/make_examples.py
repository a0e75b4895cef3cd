"""Regenerate the logic examples in resources/examples/ from nnsim.core.logic (NAND-built circuits).

    python scripts/make_examples.py

Writes not, and, or, xor (from NAND perceptrons), half-adder, full-adder, adder-4bit and sr-latch. The
intro examples (nand, perceptron-decision, sigmoid-neuron) come from scripts/make_intro_examples.py.
"""

from __future__ import annotations

from nnsim.core import logic
from nnsim.io.fileformat import save_graph
from nnsim.paths import examples_dir

EXAMPLES = {
    "not": lambda: logic.build("not"),
    "and": lambda: logic.build("and"),
    "or": lambda: logic.build("or"),
    "xor": lambda: logic.build("xor"),
    "half-adder": lambda: logic.build("half-adder"),
    "full-adder": lambda: logic.build("full-adder"),
    "adder-4bit": lambda: logic.build("adder", bits=4),   # a row of chips
    "sr-latch": lambda: logic.build("sr-latch"),
}


def main() -> None:
    out = examples_dir()
    for name, make in EXAMPLES.items():
        save_graph(make(), out / f"{name}.json")
        print(f"wrote {out / (name + '.json')}")


if __name__ == "__main__":
    main()
