"""``nnsim gui`` from the command line: the training page's headless autostart, and argument errors."""

import subprocess
import sys

from nnsim.cli import main
from nnsim.paths import examples_dir


def nnsim(*args, timeout=120):
    env_code = "import os; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\nfrom nnsim.cli import main; raise SystemExit(main())"
    return subprocess.run([sys.executable, "-c", env_code, *args], capture_output=True, text=True, timeout=timeout)


def test_autostart_trains_then_saves_a_screenshot(tmp_path):
    png = tmp_path / "training.png"
    run = nnsim("gui", "--page", "training", "--epochs", "1", "--autostart", "--screenshot", str(png), "--size",
                "1000x700")
    assert run.returncode == 0, run.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    assert "Traceback" not in run.stderr


def test_a_json_file_alone_opens_in_the_app(tmp_path):
    png = tmp_path / "nand.png"
    run = nnsim(str(examples_dir() / "nand.json"), "--screenshot", str(png))
    assert run.returncode == 0, run.stderr
    assert png.exists()


def test_epochs_need_autostart_and_a_sane_number(capsys):
    assert main(["gui", "--epochs", "2"]) == 2
    assert "--epochs goes with --autostart" in capsys.readouterr().err
    assert main(["gui", "--epochs", "0", "--autostart"]) == 2
    assert "between 1 and 1000" in capsys.readouterr().err


def test_screenshots_of_every_page_exit_cleanly(tmp_path):
    """Rendering and exiting tears the window down while Python is whole: no crash after the picture
    (the plots' titles once ran a resize handler on a deleted layout during interpreter exit)."""
    import os

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    code = "from nnsim.cli import main; raise SystemExit(main())"
    cases = [("welcome", []), ("presentation", [str(examples_dir() / "adder-4bit.json"), "--presentation"]),
             ("training", ["--page", "training", "--theme", "dark"]),
             ("response", [str(examples_dir() / "xor.json"), "--page", "response"])]
    for name, args in cases:
        png = tmp_path / f"{name}.png"
        run = subprocess.run([sys.executable, "-c", code, "gui", *args, "--size", "1280x720", "--screenshot",
                              str(png)], capture_output=True, text=True, timeout=120, env=env)
        assert run.returncode == 0, (name, run.returncode, run.stderr)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
