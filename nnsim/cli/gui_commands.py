"""``nnsim gui [FILE] [--screenshot PNG] [--size WxH] [--page NAME] [--epochs N --autostart]``: open the app (also what plain
``nnsim`` does). With ``--screenshot`` it renders the window offscreen, saves the PNG and exits."""

from __future__ import annotations

from nnsim.core.errors import UserError


def register(sub) -> None:
    p = sub.add_parser("gui", help="open the app (the default when no command is given)",
                       description=__doc__.splitlines()[0])
    p.add_argument("file", nargs="?", metavar="FILE", help="a circuit to open (.json)")
    p.add_argument("--screenshot", metavar="PNG", help="render the window to PNG and exit")
    p.add_argument("--size", metavar="WxH", help="window size, e.g. 1280x800")
    p.add_argument("--page", metavar="NAME", help="page to show first (circuit, training, response lab…)")
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
    if args.file and args.screenshot:
        # headless: a file that cannot be read is an error on stderr, not a dialog nobody sees
        from nnsim.io.fileformat import load_graph

        load_graph(args.file)
    if args.epochs is not None and not 1 <= args.epochs <= 1000:
        raise UserError(f"--epochs must be between 1 and 1000, not {args.epochs}")
    if args.epochs is not None and not args.autostart:
        raise UserError("--epochs goes with --autostart")
    return app.run(args.file, screenshot_png=args.screenshot, size=size, page=args.page,
                   epochs=args.epochs, autostart=args.autostart)
