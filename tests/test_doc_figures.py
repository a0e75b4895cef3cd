"""The cheap deterministic figures quoted in docs/ are what their commands print now (the darkness and
random baselines, the first epoch of `nnsim train --seed 1`); `python scripts/doc_figures.py --check`
checks them all."""

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "doc_figures.py"


def _doc_figures():
    spec = importlib.util.spec_from_file_location("doc_figures", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_quick_doc_figures_match_their_commands():
    figures = _doc_figures()
    quick = [f for f in figures.FIGURES if f.quick]
    assert {f.name for f in quick} >= {"average darkness", "random guess", "first epoch, seed 1"}
    assert figures.check(quick, out=lambda line: None) == []


def test_every_figure_names_a_command_and_quotes_a_doc():
    figures = _doc_figures()
    for fig in figures.FIGURES:
        assert fig.commands and fig.quotes, fig.name
        for doc, _ in fig.quotes:
            assert (figures.DOCS / doc).is_file(), doc
