"""Open any circuit file by its suffix: an nnsim document (``.json``), a nand2tetris chip (``.hdl``) or an
ISCAS netlist (``.bench``), the last two imported as perceptron documents with chips."""

from __future__ import annotations

from pathlib import Path

from nnsim.core.circuit.graph import Graph

IMPORT_SUFFIXES = (".hdl", ".bench")


def is_importable(path) -> bool:
    return Path(path).suffix.lower() in IMPORT_SUFFIXES


def import_file(path, nand_only: bool = False, layout: bool = True, chips: bool = True) -> Graph:
    """The document of a ``.hdl`` or ``.bench`` file: with ``chips`` (the default) each HDL chip, and each
    XOR/XNOR gate of a netlist, is a chip definition; ``nand_only`` gives one flat network of two-input
    NAND perceptrons."""
    suffix = Path(path).suffix.lower()
    if suffix == ".hdl":
        from nnsim.io.hdl_build import import_hdl
        return import_hdl(path, nand_only, layout, chips=chips).graph
    if suffix == ".bench":
        from nnsim.io.bench import import_bench
        return import_bench(path, nand_only, layout, chips=chips)
    raise ValueError(f"{path}: not an importable file ({', '.join(IMPORT_SUFFIXES)})")


def load_any(path, nand_only: bool = False) -> Graph:
    """:func:`import_file` for ``.hdl``/``.bench``, else the nnsim document at ``path``."""
    if is_importable(path):
        return import_file(path, nand_only)
    from nnsim.io.fileformat import load_graph
    return load_graph(path)
