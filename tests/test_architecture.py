"""The dependency rule: nnsim.core and nnsim.io never import Qt, pyqtgraph or the GUI."""

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import nnsim

ROOT = Path(__file__).resolve().parents[1]


def test_core_and_io_import_without_qt():
    modules = [m.name for pkg in ("core", "io")
               for m in pkgutil.iter_modules([str(Path(nnsim.__file__).parent / pkg)], f"nnsim.{pkg}.")]
    code = (
        "import sys\n"
        "for name in ('PySide6', 'pyqtgraph', 'shiboken6'):\n"
        "    sys.modules[name] = None\n"
        f"import importlib\nfor m in {modules!r}:\n    importlib.import_module(m)\n"
        "print(len(sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "nnsim.core.graph" in modules and "nnsim.io.fileformat" in modules


def test_import_linter_contracts_hold():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is part of the test extras"
    result = subprocess.run([exe, "--no-cache"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken" in result.stdout
