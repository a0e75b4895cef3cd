"""The dependency rules: nnsim.core and nnsim.io never import Qt, pyqtgraph or the GUI, and no module of
nsim imports another that imports it back (directly or through others, lazy imports included)."""

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import nnsim

ROOT = Path(__file__).resolve().parents[1]


def test_core_and_io_import_without_qt():
    modules = [m.name for pkg in ("core", "io")
               for m in pkgutil.walk_packages([str(Path(nnsim.__file__).parent / pkg)], f"nnsim.{pkg}.")]
    code = (
        "import sys\n"
        "for name in ('PySide6', 'pyqtgraph', 'shiboken6'):\n"
        "    sys.modules[name] = None\n"
        f"import importlib\nfor m in {modules!r}:\n    importlib.import_module(m)\n"
        "print(len(sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "nnsim.core.circuit.graph" in modules and "nnsim.io.fileformat" in modules


def test_import_linter_contracts_hold():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is part of the test extras"
    result = subprocess.run([exe, "--no-cache"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken" in result.stdout


def import_cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (or a module importing itself), by
    Tarjan's algorithm over ``imports`` (module -> the modules it imports)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in imports.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in imports.get(v, ()):
                cycles.append(sorted(component))

    for v in sorted(imports):
        if v not in index:
            visit(v)
    return cycles


def test_import_cycles_are_found():
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_inside_nnsim():
    import grimp

    graph = grimp.build_graph("nnsim", cache_dir=None)
    imports = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert len(imports) > 50
    assert import_cycles(imports) == []
