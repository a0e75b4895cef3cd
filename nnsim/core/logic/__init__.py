"""NAND universality: the NAND perceptron and everything built from it, truth tables, expressions,
synthesis, and the perceptron → sigmoid limit.

- :mod:`.gates` — the NAND perceptron (w = −2, −2, b = 3), gates, adders, the latch (``CircuitBuilder``)
- :mod:`.truthtable` — truth tables, the one comparison with an expected table, runs in time steps
- :mod:`.boolexpr` — boolean expressions → truth tables
- :mod:`.synthesis` — any truth table → NAND perceptrons
- :mod:`.sigmoid_limit` — scaling weights by c, sigmoid copies, the smallest working c

The names below are the package's public surface, so ``from nnsim.core import logic`` reads
``logic.build("xor")``, ``logic.check_expected(graph, table)``. Submodules import each other directly, never
through this package.
"""

from nnsim.core.logic.boolexpr import parse_expression
from nnsim.core.logic.gates import (BUILDERS, MAX_ADDER_BITS, MAX_EXPECTED_ADDER_BITS, MAX_MULTIPLIER_BITS,
                                    NAND_BIAS, NAND_WEIGHT, NOT_WEIGHT, CircuitBuilder, add_numbers, adder,
                                    adder_sums, build, full_adder, half_adder, is_nand_only, is_nand_perceptron,
                                    multiplier, multiply_numbers, sr_latch)
from nnsim.core.logic.loop_rows import LoopRow, demo_sequence, loop_rows
from nnsim.core.logic.sigmoid_limit import (MAX_EXHAUSTIVE_INPUTS, ScaleReport, scale, scale_report,
                                            sigmoid_error, to_sigmoid)
from nnsim.core.logic.synthesis import synthesize
from nnsim.core.logic.truthtable import (TOLERANCE, RowVerdict, SequenceRun, TableCheck, TruthTable,
                                         align_expected, check_expected, check_table, compare,
                                         feedforward_circuit, format_value, matches, run_sequence, truth_table)
