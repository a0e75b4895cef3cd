"""Chips from the command line: info counts the flat network, build multiplier, mul."""

import json

from nnsim.cli import main


def test_info_reports_chips_and_flat_counts(tmp_path, capsys):
    out = tmp_path / "a64.json"
    assert main(["build", "adder", "--bits", "64", "-o", str(out)]) == 0
    assert "572 NAND perceptrons in 64 chips, 1143 wires" in capsys.readouterr().out
    assert main(["info", str(out), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert (info["neurons"], info["wires"], info["nand_only"]) == (572, 1143, True)
    assert info["chips"] == {"HalfAdder": 1, "FullAdder": 63} and info["instances"] == 64
    assert "w:a5:fa5/n1" in info["parameters"] and "b:fa63/carry" in info["parameters"]
    assert main(["info", str(out)]) == 0
    assert "chips:    HalfAdder x1, FullAdder x63" in capsys.readouterr().out


def test_build_multiplier_and_multiply(tmp_path, capsys):
    out = tmp_path / "m.json"
    assert main(["build", "multiplier", "--bits", "3", "-o", str(out)]) == 0
    assert "60 NAND perceptrons" in capsys.readouterr().out
    assert main(["check", str(out)]) == 0
    capsys.readouterr()
    assert main(["mul", "--bits", "16", "65535", "65535"]) == 0
    assert capsys.readouterr().out.strip() == str(65535 * 65535)
    assert main(["mul", "0x1234", "0b101"]) == 0
    assert capsys.readouterr().out.strip() == str(0x1234 * 5)


def test_mul_refuses_what_does_not_fit(capsys):
    assert main(["mul", "--bits", "8", "256", "1"]) == 2
    assert "256 does not fit in 8 bits" in capsys.readouterr().err
    assert main(["mul", "--bits", "40", "1", "1"]) == 2
    assert "2 to 32 bits" in capsys.readouterr().err
    assert main(["build", "multiplier", "--bits", "1"]) == 2
    assert "2 to 32 bits" in capsys.readouterr().err
