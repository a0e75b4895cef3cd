"""Issue 11 item 10: the command line says what it means."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from nnsim import paths
from nnsim.cli import main
from nnsim.cli.gui_commands import page_name, screenshot_path
from nnsim.core.errors import UserError

NAND = str(paths.examples_dir() / "nand.json")


@pytest.mark.parametrize("command, words", [("gui", "Open the app"), ("info", "Summarise a network")])
def test_help_has_real_descriptions(command, words, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    assert words in out and "``" not in out
    assert "exits." in out or command == "info"


def test_page_refuses_unknown_names():
    assert page_name("Training") == "training" and page_name("resp") == "response lab"
    with pytest.raises(UserError, match="not a page; pages: circuit"):
        page_name("nonsense")


def test_gui_with_an_unknown_page_exits_2_before_any_window(capsys):
    assert main(["gui", "--page", "nonsense", "--screenshot", "x.png"]) == 2
    assert "not a page" in capsys.readouterr().err


def test_screenshot_without_extension_gets_png(tmp_path):
    assert screenshot_path(str(tmp_path / "shot")) == str(tmp_path / "shot.png")
    with pytest.raises(UserError, match="cannot write .txt"):
        screenshot_path(str(tmp_path / "shot.txt"))
    with pytest.raises(UserError, match="does not exist"):
        screenshot_path(str(tmp_path / "nowhere" / "shot.png"))


def test_a_missing_file_is_reported_before_anything_about_displays(capsys):
    assert main(["missing.json"]) == 2
    err = capsys.readouterr().err
    assert "missing.json" in err and "no such file" in err and "display" not in err


def test_extra_arguments_show_the_commands_usage(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["add", "3", "4", "5"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "usage: nnsim add" in err and "unrecognized arguments: 5" in err


def test_a_number_too_big_says_the_bits_it_needs(capsys):
    assert main(["add", "99999999999999999999999", "1"]) == 2
    err = capsys.readouterr().err
    assert "needs 77 bits" in err and "64 bits" in err


def test_parameter_ids_need_no_quoting_and_the_old_spelling_still_works(capsys):
    assert main(["sweep", NAND, "--param", "w:x1:out", "--steps", "3", "--inputs", "1,1", "--csv"]) == 0
    new = capsys.readouterr().out
    assert main(["sweep", NAND, "--param", "w:x1->out", "--steps", "3", "--inputs", "1,1", "--csv"]) == 0
    assert capsys.readouterr().out == new
    assert new.splitlines()[0].startswith("w:x1:out")
    with pytest.raises(SystemExit):
        main(["sweep", "--help"])
    assert "w:SRC:DST" in capsys.readouterr().out


def test_screenshot_prints_no_platform_notes(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path), "HOME": str(tmp_path)}
    env.pop("DISPLAY", None)
    r = subprocess.run([sys.executable, "-m", "nnsim.cli", "gui", NAND, "--size", "640x480", "--theme", "light",
                        "--screenshot", str(tmp_path / "shot")], capture_output=True, text=True, env=env,
                       cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "shot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "propagateSizeHints" not in r.stderr
