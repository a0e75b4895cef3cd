"""Random networks for property tests and benchmarks (seeded; never used by the app's own logic)."""

from __future__ import annotations

import numpy as np

from nnsim.core.circuit.graph import Graph


def random_feedforward(n_inputs: int, n_neurons: int, *, fan_in: int = 3, levels: int | None = None,
                       activations=("sigmoid",), seed: int = 0, loops: int = 0) -> Graph:
    """A graph of ``n_inputs`` inputs and ``n_neurons`` neurons spread over ``levels`` levels (default
    about √n_neurons); each neuron takes up to ``fan_in`` wires from earlier levels, with weights and biases
    from a standard normal. ``loops`` adds that many backward wires (making the graph cyclic)."""
    rng = np.random.default_rng(seed)
    g = Graph(f"random {n_inputs}x{n_neurons}")
    levels = levels or max(1, int(round(np.sqrt(n_neurons))))
    earlier = [g.add_input(f"x{i + 1}", id=f"x{i + 1}", x=0, y=60 * i).id for i in range(n_inputs)]
    per_level = np.array_split(np.arange(n_neurons), levels)
    made: list[str] = []
    for L, block in enumerate(per_level):
        this_level = []
        for j in block:
            nid = f"n{j + 1}"
            act = activations[int(rng.integers(len(activations)))]
            g.add_neuron(nid, activation=act, bias=float(rng.standard_normal()), id=nid,
                         x=140 * (L + 1), y=60 * len(this_level))
            pool = earlier if earlier else []
            k = min(fan_in, len(pool))
            for src in rng.choice(pool, size=k, replace=False) if k else []:
                g.connect(str(src), nid, float(rng.standard_normal()))
            this_level.append(nid)
        earlier = earlier + this_level
        made += this_level
    for _ in range(loops):
        if len(made) < 2:
            break
        a, b = sorted(rng.choice(len(made), size=2, replace=False))
        if g.wire_between(made[b], made[a]) is None:
            g.connect(made[b], made[a], float(rng.standard_normal()))
    return g
