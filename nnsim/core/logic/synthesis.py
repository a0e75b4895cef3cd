"""Any truth table → a network of 2-input NAND perceptrons that computes it exactly.

The constructive proof of NAND universality, made small enough to read on the canvas:

1. **Peel off XORs**: the inputs an output is linear in (flipping the input always flips the output) are
   taken out as a chain of XOR gates, f = x_i ⊕ … ⊕ g — a parity of k inputs then costs 4(k − 1) gates
   instead of 2^(k−1) products.
2. **Minimise** what is left, g, as a sum of products with Quine–McCluskey: merge minterms into prime
   implicants (cubes), take the essential ones, cover the rest greedily (largest new coverage, fewest
   literals; lazily re-scored), then drop any cube the others already cover. Both the function and its
   complement are minimised; the complement wins when it needs fewer literals (one NOT at the end).
3. **Build** each sum of products from NAND gates: a product is a balanced tree of ANDs, the sum a
   balanced tree of ORs, with AND(x, y) = NOT(NAND(x, y)), OR(x, y) = NAND(NOT x, NOT y) and NOT(NOT x) = x
   folded away — so a two-level OR of ANDs becomes the classic NAND–NAND form. Gates that end up unused
   (a NOT that a later fold made redundant) are left out of the graph.
4. **Share** gates across outputs by structural hashing: asking twice for NAND(x, y) (in either order)
   returns the same perceptron.
5. **Check**: the result is evaluated over all 2ⁿ rows and must equal the table exactly.

Inputs keep the table's order (first input = most significant bit of the row index). Up to 12 inputs.
"""

from __future__ import annotations

import heapq

import numpy as np

from nnsim.core.circuit.order import topological_order
from nnsim.core.errors import UserError
from nnsim.core.circuit.graph import Graph
from nnsim.core.logic.gates import CircuitBuilder, is_nand_only
from nnsim.core.logic.truthtable import TruthTable

MAX_INPUTS = 12

#: A cube (product term): ``(value, mask)`` over row-index bits; bits set in ``mask`` are "don't care"
#: (and 0 in ``value``). Bit ``n-1-i`` of a row index is input ``i``.
Cube = tuple[int, int]


# ----- minimisation (Quine–McCluskey) -----------------------------------------------------------------
def prime_implicants(ones, n: int, dont_cares=()) -> list[Cube]:
    """All prime implicants of the function that is 1 on ``ones`` (row indices), free on ``dont_cares``."""
    current = {(m, 0) for m in set(ones) | set(dont_cares)}
    bits = [1 << i for i in range(n)]
    primes: list[Cube] = []
    while current:
        merged: set[Cube] = set()
        used: set[Cube] = set()
        for value, mask in current:
            for bit in bits:
                if (mask | value) & bit:
                    continue
                partner = (value | bit, mask)
                if partner in current:
                    merged.add((value, mask | bit))
                    used.add((value, mask))
                    used.add(partner)
        primes.extend(current - used)
        current = merged
    return sorted(primes)


def _cube_minterms(cube: Cube) -> list[int]:
    value, mask = cube
    out = [value]
    bit = 1
    while bit <= mask:
        if mask & bit:
            out += [m | bit for m in out]
        bit <<= 1
    return out


def literal_count(cube: Cube, n: int) -> int:
    return n - bin(cube[1]).count("1")


def minimise(ones, n: int, dont_cares=()) -> list[Cube]:
    """A small sum-of-products cover of ``ones`` (row indices) by prime implicants (see the module doc)."""
    ones = set(ones)
    if not ones:
        return []
    primes = prime_implicants(ones, n, dont_cares)
    cover_of = [set(_cube_minterms(p)) & ones for p in primes]
    by_minterm: dict[int, list[int]] = {}
    for k, cov in enumerate(cover_of):
        for m in cov:
            by_minterm.setdefault(m, []).append(k)
    chosen = sorted({ks[0] for ks in by_minterm.values() if len(ks) == 1})  # essential primes
    left = set(ones)
    for k in chosen:
        left -= cover_of[k]
    heap = [(-len(cover_of[k] & left), literal_count(primes[k], n), k) for k in range(len(primes))
            if k not in chosen and cover_of[k] & left]
    heapq.heapify(heap)
    while left:
        neg, lits, k = heapq.heappop(heap)
        gain = len(cover_of[k] & left)
        if gain == 0:
            continue
        if gain != -neg:  # stale score: push back with the true one
            heapq.heappush(heap, (-gain, lits, k))
            continue
        chosen.append(k)
        left -= cover_of[k]
    times: dict[int, int] = {}  # how many chosen cubes cover each minterm
    for k in chosen:
        for m in cover_of[k]:
            times[m] = times.get(m, 0) + 1
    kept = []
    for k in sorted(chosen, key=lambda k: (len(cover_of[k]), -literal_count(primes[k], n))):
        if all(times[m] > 1 for m in cover_of[k]):  # every minterm is covered by another cube too
            for m in cover_of[k]:
                times[m] -= 1
        else:
            kept.append(k)
    return sorted(primes[k] for k in kept)


def cover_cost(cover: list[Cube], n: int) -> int:
    """Literals plus terms: a rough count of the 2-input gates a sum of products needs."""
    return sum(literal_count(c, n) for c in cover) + len(cover)


# ----- building from NAND gates with structural hashing -----------------------------------------------
class NandNetwork:
    """A :class:`CircuitBuilder` with structural hashing: each distinct NAND(x, y) (unordered) and NOT(x)
    exists once, and NOT(NOT(x)) gives back x."""

    def __init__(self, input_names: list[str]):
        self.b = CircuitBuilder()
        self.inputs = [self.b.input(name) for name in input_names]
        self._gates: dict[tuple, int] = {}
        self._inverse: dict[int, int] = {}   # NOT gate → what it negates

    def __repr__(self):
        return f"NandNetwork({len(self.inputs)} inputs, {self.n_gates} gates)"

    @property
    def n_gates(self) -> int:
        return len(self._gates)

    def nand(self, x: int, y: int) -> int:
        if x == y:
            return self.not_(x)
        key = (min(x, y), max(x, y))
        if key not in self._gates:
            self._gates[key] = self.b.nand(x, y)
        return self._gates[key]

    def not_(self, x: int) -> int:
        if x in self._inverse:
            return self._inverse[x]
        key = (x,)
        if key not in self._gates:
            g = self.b.not_(x)
            self._gates[key] = g
            self._inverse[g] = x
        return self._gates[key]

    def and_(self, x: int, y: int) -> int:
        return self.not_(self.nand(x, y))

    def or_(self, x: int, y: int) -> int:
        return self.nand(self.not_(x), self.not_(y))

    def xor(self, x: int, y: int) -> int:
        n1 = self.nand(x, y)
        return self.nand(self.nand(x, n1), self.nand(y, n1))

    def tree(self, op, items: list[int]) -> int:
        """A balanced tree of a 2-input ``op`` over ``items`` (at least one)."""
        while len(items) > 1:
            nxt = [op(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2)]
            items = nxt + ([items[-1]] if len(items) % 2 else [])
        return items[0]

    def constant_one(self) -> int:
        x = self.inputs[0]
        return self.nand(x, self.not_(x))  # NAND(x, NOT x) = 1 for every x

    def sum_of_products(self, cover: list[Cube], n: int) -> int:
        if not cover:
            return self.not_(self.constant_one())
        products = []
        for value, mask in cover:
            lits = []
            for i in range(n):
                bit = 1 << (n - 1 - i)
                if not mask & bit:
                    lits.append(self.inputs[i] if value & bit else self.not_(self.inputs[i]))
            products.append(self.tree(self.and_, lits) if lits else self.constant_one())
        return self.tree(self.or_, products)

    def output_node(self, x: int, taken: set[int]) -> int:
        """A neuron that can be marked as an output: ``x`` itself, or a NOT-NOT buffer when ``x`` is an input
        or already another output."""
        if x in taken or x in self.inputs:
            x = self.b.not_(self.not_(x))  # a fresh, unhashed NOT of the shared NOT
        taken.add(x)
        return x


def split_linear(column: np.ndarray, n: int) -> tuple[list[int], np.ndarray]:
    """Peel off the inputs a function is linear in: f = x_i ⊕ x_j ⊕ … ⊕ g, with g independent of them.

    ``column``: f on all 2ⁿ rows (bool). Returns the input indices i (in table order) and g (2ⁿ,) bool.
    Sums of products are at their worst on XOR (a k-input parity needs 2^(k−1) terms), while each XOR
    costs four NAND gates."""
    f = np.asarray(column, dtype=bool).copy()
    index = np.arange(2 ** n)
    linear = []
    for i in range(n):
        bit = 1 << (n - 1 - i)
        low = index[(index & bit) == 0]
        if np.array_equal(f[low | bit], ~f[low]):   # flipping x_i always flips f
            linear.append(i)
            f[low | bit] = f[low]                    # g = f ⊕ x_i no longer depends on x_i
    return linear, f


def _two_level(net: "NandNetwork", column: np.ndarray, n: int) -> int | None:
    """The cheaper of the minimised f and NOT(minimised ¬f); ``None`` when f is constant 0."""
    ones = np.flatnonzero(column).tolist()
    if not ones:
        return None
    cover, negate = minimise(ones, n), False
    zeros = np.flatnonzero(~column).tolist()
    if len(ones) > 1 and zeros:
        cover_not = minimise(zeros, n)
        if cover_cost(cover_not, n) + 1 < cover_cost(cover, n):
            cover, negate = cover_not, True
    node = net.sum_of_products(cover, n)
    return net.not_(node) if negate else node


def synthesize(table: TruthTable, name: str = "") -> Graph:
    """A NAND-only network (2-input NAND perceptrons; NOT as NAND with tied inputs) computing ``table``
    exactly, with ``graph.expected`` set to the table and a left-to-right layout. 1 to 12 inputs."""
    n = table.n_inputs
    if not 1 <= n <= MAX_INPUTS:
        raise UserError(f"synthesis takes 1 to {MAX_INPUTS} inputs, not {n}")
    if table.n_outputs < 1:
        raise UserError("the table has no outputs")
    if not table.is_binary():
        raise UserError("the table's outputs must all be 0 or 1")
    net = NandNetwork(table.inputs)
    rows = np.asarray(table.rows)
    outs: list[int] = []
    taken: set[int] = set()
    for k in range(table.n_outputs):
        column = rows[:, k] == 1
        linear, rest = split_linear(column, n)
        if not linear:
            node = _two_level(net, rest, n)
            node = net.not_(net.constant_one()) if node is None else node
        else:
            chain = net.tree(net.xor, [net.inputs[i] for i in linear])
            if not rest.any():
                node = chain
            elif rest.all():
                node = net.not_(chain)
            else:
                node = net.xor(chain, _two_level(net, rest, n))
        outs.append(net.output_node(node, taken))
    for handle, label in zip(outs, table.outputs):
        net.b.labels[handle] = label
    described = ", ".join(table.outputs)
    graph = net.b.graph(name or f"Synthesised {described}", outs, expected=table, prune=True, description=(
        f"Built by nnsim synth from a truth table of {n} inputs ({', '.join(table.inputs)}): each output "
        f"minimised by Quine-McCluskey, then made of 2-input NAND perceptrons shared between outputs."))
    _verify(graph, table)
    return graph


def _verify(graph: Graph, table: TruthTable) -> None:
    """Check the built graph against the table on all 2ⁿ rows, exactly.

    Every neuron must be a NAND perceptron (checked), so the graph can be evaluated bit-parallel: each
    node's whole truth-table column is one Python integer of 2ⁿ bits and a NAND is ``~(x & y)``. This is
    much faster than the dense compiled pass for wide synthesised circuits, and reads the graph itself."""
    if not is_nand_only(graph):
        raise AssertionError("internal error: the synthesised circuit is not NAND-only")
    n = table.n_inputs
    full = (1 << (1 << n)) - 1
    column: dict[str, int] = {}
    X = table.input_rows().astype(bool)
    for i, node in enumerate(graph.inputs()):
        column[node.id] = int("".join("1" if v else "0" for v in X[::-1, i]), 2)
    sources: dict[str, list[str]] = {}
    for w in graph.wires.values():
        sources.setdefault(w.target, []).append(w.source)
    for nid in topological_order(graph):
        acc = full
        for s in sources[nid]:
            acc &= column[s]
        column[nid] = ~acc & full
    for k, node in enumerate(graph.outputs()):
        want = int("".join(str(int(v)) for v in np.asarray(table.rows)[::-1, k]), 2)
        if column[node.id] != want:
            raise AssertionError("internal error: the synthesised circuit does not match its table")
