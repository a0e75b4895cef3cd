"""Errors a user can cause. The CLI prints their message (exit code 2); the GUI shows it in a dialog."""


class UserError(Exception):
    """A problem with the user's input (a file, a number, an expression). ``str(err)`` says what and where."""
