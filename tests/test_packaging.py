"""The wheel: every package is listed, and the bundled examples and MNIST are found from an install."""

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "nnsim").rglob("__init__.py")}
    assert listed == found | {"nnsim._resources"}


def test_an_installed_wheel_finds_its_resources(tmp_path):
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                            "-q", "-w", str(tmp_path / "dist")], capture_output=True, text=True, cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("nnsim-*.whl")
    with zipfile.ZipFile(wheel) as z:
        z.extractall(tmp_path / "site")
    code = ("import sys; sys.path.insert(0, sys.argv[1])\n"
            "import nnsim.paths as p\n"
            "print(p.resource_dir()); print(sorted(f.name for f in p.examples_dir().glob('*.json')))\n"
            "print(sorted(f.name for f in p.mnist_dir().glob('*.gz')))\n")
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path / "site")], capture_output=True, text=True,
                         cwd=tmp_path, check=True)
    where, examples, mnist = run.stdout.splitlines()
    assert where == str(tmp_path / "site" / "nnsim" / "_resources")
    assert "'nand.json'" in examples and "'adder-4bit.json'" in examples
    assert mnist.count("idx") == 4
