"""Where the bundled resources live, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def resource_dir() -> Path:
    """The ``resources/`` folder: ``<checkout>/resources`` or ``nnsim/_resources`` in a wheel."""
    for candidate in (_HERE.parent / "resources", _HERE / "_resources"):
        if (candidate / "examples").is_dir() or (candidate / "mnist").is_dir():
            return candidate
    raise FileNotFoundError("nnsim's resources folder is missing from this installation")


def examples_dir() -> Path:
    return resource_dir() / "examples"


def mnist_dir() -> Path:
    return resource_dir() / "mnist"


def lessons_dir() -> Path:
    return resource_dir() / "lessons"


def hdl_dir() -> Path:
    """nnsim's own HDL chips for the nand2tetris projects 1 and 2 (the importer's built-in chips)."""
    return resource_dir() / "hdl"
