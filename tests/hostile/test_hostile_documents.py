"""Hostile documents through the CLI: FIFOs and devices, oversized files, deep nesting, huge integers,
unpaired surrogates, terminal escape sequences in labels, a 1e308 weight, read-only files and symbolic
links. Each refusal exits 2 with a message (never a traceback) and changes no file."""

import json
import os
import sys

import pytest
from hostile_helpers import snapshot

from nnsim.cli import main
from nnsim.io.files import MAX_TEXT_BYTES, loads_json

COMMANDS = [["table"], ["info"], ["convert", "--to", "sigmoid", "--min-scale"]]


def doc(label="a", weight=1.0, bias=-0.5, out_label="o"):
    return {"format": "nnsim", "version": 1, "name": "x",
            "nodes": [{"id": "a", "kind": "input", "label": label, "value": 0, "x": 0, "y": 0},
                      {"id": "n", "kind": "neuron", "label": out_label, "activation": "step", "bias": bias,
                       "x": 0, "y": 0}],
            "wires": [{"id": "w", "source": "a", "target": "n", "weight": weight}]}


def refused(capsys, tmp_path, argv, message):
    """Run ``nnsim argv``: exit 2, ``message`` on stderr, no traceback, nothing under tmp_path changed."""
    before = snapshot(tmp_path)
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert message in err, err
    assert "Traceback" not in err and "Error:" not in err.split(":", 1)[0]
    assert snapshot(tmp_path) == before
    return err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
@pytest.mark.parametrize("command", COMMANDS)
def test_a_fifo_is_refused_without_blocking(tmp_path, capsys, command):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    refused(capsys, tmp_path, [*command, str(fifo)], "is a named pipe (FIFO), not a file")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="a character device")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_devices_are_refused(tmp_path, capsys, device):
    refused(capsys, tmp_path, ["info", device], f"{device}: is a character device, not a file")


def test_a_folder_is_refused(tmp_path, capsys):
    refused(capsys, tmp_path, ["table", str(tmp_path)], "is a folder, not a file")


def test_a_file_beyond_the_size_limit_names_the_limit(tmp_path, capsys):
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:  # sparse: takes no disk space
        fh.truncate(MAX_TEXT_BYTES + (1 << 20))
    refused(capsys, tmp_path, ["info", str(big)], "101 MB is more than the 100 MB limit for this kind of file")


@pytest.mark.parametrize("command", COMMANDS)
def test_5000_levels_of_nesting(tmp_path, capsys, command):
    path = tmp_path / "deep.json"
    path.write_text('{"format": "nnsim", "version": 1, "nodes": ' + "[" * 5000 + "]" * 5000 + "}")
    refused(capsys, tmp_path, [*command, str(path)], "nested too deeply")


@pytest.mark.parametrize("command", COMMANDS)
def test_an_integer_too_big_for_a_double(tmp_path, capsys, command):
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(doc()).replace('"weight": 1.0', '"weight": 1' + "0" * 400))
    refused(capsys, tmp_path, [*command, str(path)], "wire 'w': 'weight' is inf, but numbers must be finite")


def test_an_integer_of_5000_digits_never_reaches_int():
    assert loads_json('{"a": -' + "9" * 5000 + "}") == {"a": -float("inf")}


@pytest.mark.parametrize("command", COMMANDS)
def test_an_unpaired_surrogate_in_a_label(tmp_path, capsys, command):
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps(doc(label="\ud800")))  # json.dumps writes it as the escape \ud800
    refused(capsys, tmp_path, [*command, str(path)], "holds an unpaired surrogate code point")


def test_terminal_escape_sequences_in_labels_are_printed_escaped(tmp_path, capsys):
    path = tmp_path / "escape.json"
    path.write_text(json.dumps(doc(label="a\x1b[2J\x1b]0;pwned\x07", out_label="o\u202eevil\x9b")))
    for command, shown in ((["table"], "a\\x1b[2J\\x1b]0;pwned\\x07"), (["info"], "o\\u202eevil\\x9b")):
        assert main([*command, str(path)]) == 0
        out, err = capsys.readouterr()
        assert not any(ch in out + err for ch in "\x1b\x07\u202e\x9b")
        assert shown in out


def test_min_scale_with_a_1e308_weight(tmp_path, capsys):
    path = tmp_path / "big-weight.json"
    path.write_text(json.dumps(doc(weight=1e308)))
    assert main(["convert", "--to", "sigmoid", "--min-scale", str(path)]) == 0
    assert "smallest working c:  any c > 0 works" in capsys.readouterr().out


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_saving_over_a_read_only_file_is_refused(tmp_path, capsys):
    source = tmp_path / "nand.json"
    source.write_text(json.dumps(doc()))
    target = tmp_path / "out.json"
    target.write_text("precious")
    target.chmod(0o444)
    refused(capsys, tmp_path, ["convert", "--to", "sigmoid", "--scale", "2", str(source), "-o", str(target)],
            "the file is read-only")
    assert target.read_text() == "precious"


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_saving_through_a_symbolic_link_replaces_its_target_and_keeps_the_link(tmp_path, capsys):
    source = tmp_path / "nand.json"
    source.write_text(json.dumps(doc()))
    real = tmp_path / "real" / "out.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert main(["convert", "--to", "sigmoid", "--scale", "2", str(source), "-o", str(link)]) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text())["format"] == "nnsim"
    assert sorted(p.name for p in real.parent.iterdir()) == ["out.json"]  # no temp file left
