"""The ``nnsim`` command. With no subcommand it opens the app.

Each feature keeps its subcommands in its own module below this package; a module exposes
``register(subparsers)`` that adds its parsers with ``set_defaults(func=handler)``. A handler takes the
parsed ``args`` and returns an exit code. Command modules import Qt, pyqtgraph and the MNIST loaders only
inside their handlers, so ``nnsim table`` starts fast. A :class:`~nnsim.core.errors.UserError` raised anywhere becomes
``nnsim: <message>`` on stderr with exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from nnsim import __version__
from nnsim.core.errors import UserError

# Modules that add subcommands, in the order their commands appear in --help.
COMMAND_MODULES = [
    "nnsim.cli.graph_commands",   # table, info
    "nnsim.cli.logic_commands",   # build, add, synth, convert, check
    "nnsim.cli.import_commands",  # import, hdl test, eval
    "nnsim.cli.response_commands",  # sweep, sensitivity
    "nnsim.cli.mnist_commands",   # train, evaluate, baseline, data
    "nnsim.cli.morals_commands",  # learning-curve, cost-sweep
    "nnsim.cli.lesson_commands",  # lesson list/show/start/check/grade
    "nnsim.cli.gui_commands",     # gui
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's usage errors also exit 2, with the usage line
        self.print_usage(sys.stderr)
        self.exit(2, f"nnsim: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nnsim", description="nnsim: chapter 1 of Nielsen's Neural Networks and Deep Learning "
                                               "as a simulator. With no command it opens the app; "
                                               "'nnsim FILE.json' opens a network in it.")
    parser.add_argument("--version", action="version", version=f"nnsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001
    if argv and argv[0] not in commands and argv[0].endswith((".json", ".hdl", ".bench")):
        argv = ["gui", *argv]  # `nnsim circuit.json` opens it in the app
    args, extra = parser.parse_known_args(argv)
    if extra:   # told by the command's own parser, so the usage shown is the command's (nnsim add 3 4 5)
        (commands.get(args.command) or parser).error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command is None:
        args = parser.parse_args(["gui"])
    from nnsim.core.blas import use_one_thread

    use_one_thread()  # nnsim multiplies small matrices: extra BLAS threads only spin (see nnsim.core.blas)
    from nnsim.cli.safe_output import escaped_output

    try:
        with escaped_output():  # labels from files must not reach the terminal as escape sequences
            return int(args.func(args) or 0)
    except UserError as err:
        with escaped_output():
            print(f"nnsim: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nnsim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
