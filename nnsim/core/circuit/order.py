"""Levels and evaluation order of a graph: the one levelisation, used by the compiler and the layout.

Inputs are level 0 and every neuron sits one level above its highest source, so a feedforward network
evaluates level by level. In a graph with a loop the wires that close a loop (found by a depth-first
search from the inputs in document order) are ignored for levelling, which is what the layout needs; the
compiler asks :func:`topological_order` instead, which says there is no order at all.
"""

from __future__ import annotations

from nnsim.core.circuit.graph import INPUT, Graph


def _neighbours(graph: Graph) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    sources: dict[str, list[str]] = {nid: [] for nid in graph.nodes}
    targets: dict[str, list[str]] = {nid: [] for nid in graph.nodes}
    for w in graph.wires.values():
        sources[w.target].append(w.source)
        targets[w.source].append(w.target)
    return sources, targets


def back_edges(graph: Graph) -> set[tuple[str, str]]:
    """Wires (source, target) that close a loop in a depth-first search; empty for a feedforward graph."""
    _, targets = _neighbours(graph)
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    back: set[tuple[str, str]] = set()
    roots = [n.id for n in graph.inputs()] + [n.id for n in graph.neurons()]
    for root in roots:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(targets[root]))]
        while stack:
            nid, it = stack[-1]
            for t in it:
                if state.get(t) == 1:
                    back.add((nid, t))
                elif t not in state:
                    state[t] = 1
                    stack.append((t, iter(targets[t])))
                    break
            else:
                state[nid] = 2
                stack.pop()
    return back


def levels(graph: Graph, ignore: set[tuple[str, str]] | None = None) -> dict[str, int]:
    """Level of every node: inputs 0, a neuron 1 + the highest level of its sources (at least 1), the
    wires in ``ignore`` left out (default: :func:`back_edges`, so a graph with a loop gets levels too)."""
    sources, targets = _neighbours(graph)
    back = back_edges(graph) if ignore is None else ignore
    indegree = {nid: sum((s, nid) not in back for s in srcs) for nid, srcs in sources.items()}
    level = {nid: 0 if graph.nodes[nid].kind == INPUT else 1 for nid in graph.nodes}
    ready = [nid for nid in graph.nodes if indegree[nid] == 0]
    while ready:
        nid = ready.pop()
        for t in targets[nid]:
            if (nid, t) in back:
                continue
            level[t] = max(level[t], level[nid] + 1)
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    return level


def topological_order(graph: Graph) -> list[str] | None:
    """Neuron ids by level (document order within a level), so every neuron comes after its sources;
    ``None`` if the graph has a loop."""
    if back_edges(graph):
        return None
    level = levels(graph, ignore=set())
    rank = {nid: i for i, nid in enumerate(graph.nodes)}
    return sorted((n.id for n in graph.neurons()), key=lambda n: (level[n], rank[n]))


def has_loop(graph: Graph) -> bool:
    """Whether some wire closes a loop (then the graph runs in time steps and has no truth table)."""
    return bool(back_edges(graph))
