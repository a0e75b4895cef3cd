"""``nnsim gui [FILE] [--screenshot PNG] [--size WxH] [--page NAME] [--theme T] [--presentation]
[--epochs N --autostart]``: open the app (also what plain ``nnsim`` does). With ``--screenshot`` it renders
the window offscreen, saves the PNG and exits."""

from __future__ import annotations

from pathlib import Path

from nnsim.core.errors import UserError

#: Names --page accepts (a page or a panel of the circuit page; any unambiguous start works).
PAGES = ("circuit", "response lab", "training", "lessons", "palette", "inspector", "truth table")
#: Picture types --screenshot writes.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")


def register(sub) -> None:
    p = sub.add_parser("gui", help="open the app (the default when no command is given)",
                       description="Open the app, with FILE when given (plain 'nnsim' and 'nnsim FILE.json' do "
                                   "the same). With --screenshot it renders the window offscreen (no display "
                                   "needed), saves the picture and exits.")
    p.add_argument("file", nargs="?", metavar="FILE", help="a circuit to open (.json, or a .hdl chip or .bench netlist to import)")
    p.add_argument("--screenshot", metavar="PNG", help="render the window to PNG and exit (a name without an "
                                                        "extension gets .png)")
    p.add_argument("--size", metavar="WxH", help="window size, e.g. 1280x800")
    p.add_argument("--page", metavar="NAME", help="page to show first: " + ", ".join(PAGES))
    p.add_argument("--theme", choices=("light", "dark", "system"),
                   help="colours (remembered for the next start; default: the last choice, else the system's)")
    p.add_argument("--presentation", action="store_true",
                   help="start in presentation mode (F5): large text, the canvas fills the window")
    p.add_argument("--epochs", type=int, metavar="N", help="epochs for --autostart (training page)")
    p.add_argument("--autostart", action="store_true",
                   help="start training MNIST at once on the training page; with --screenshot, save the "
                        "picture when the run ends and exit")
    p.set_defaults(func=handle)


def handle(args) -> int:
    from nnsim.gui import app

    size = None
    if args.size:
        try:
            size = app.parse_size(args.size)
        except ValueError as err:
            raise UserError(str(err)) from None
    graph = None
    if args.file:
        # a file that cannot be read is an error on stderr (before anything about displays), not a dialog;
        # the app then opens what was read here (loading a 10,000-perceptron document twice cost 0.5 s)
        from nnsim.io.imports import load_any

        graph = load_any(args.file)
    if args.page is not None:
        args.page = page_name(args.page)
    if args.screenshot is not None:
        args.screenshot = screenshot_path(args.screenshot)
    if args.epochs is not None and not 1 <= args.epochs <= 1000:
        raise UserError(f"--epochs must be between 1 and 1000, not {args.epochs}")
    if args.epochs is not None and not args.autostart:
        raise UserError("--epochs goes with --autostart")
    return app.run(args.file, screenshot_png=args.screenshot, size=size, page=args.page,
                   epochs=args.epochs, autostart=args.autostart, theme=args.theme,
                   presentation=args.presentation, graph=graph)


def page_name(text: str) -> str:
    """The page ``text`` names (any case, any unambiguous start); :class:`UserError` otherwise."""
    t = " ".join(text.lower().split())
    found = [p for p in PAGES if p.startswith(t)] if t else []
    if len(found) != 1:
        what = "is ambiguous" if found else "is not a page"
        raise UserError(f"--page {text!r} {what}; pages: {', '.join(PAGES)}")
    return found[0]


def screenshot_path(text: str) -> str:
    """Where --screenshot writes: ``shot`` becomes ``shot.png``; an unknown extension is refused."""
    path = Path(text)
    if not path.suffix:
        return str(path.with_name(path.name + ".png"))
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise UserError(f"--screenshot {text}: cannot write {path.suffix} pictures; use one of "
                        + ", ".join(IMAGE_SUFFIXES))
    if not path.parent.is_dir():
        raise UserError(f"--screenshot {text}: the folder {path.parent} does not exist")
    return str(path)
