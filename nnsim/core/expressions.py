"""What every typed expression in nnsim shares: its tokens, with their positions, and its one error type.

Three small languages are read by hand-written parsers over :func:`scan`'s tokens — boolean expressions
(:mod:`nnsim.core.logic.boolexpr`: ``s = a ^ b ^ cin``), costs of two variables
(:mod:`nnsim.core.learning.descent`: ``v1^2 + 3*sin(v2)``) and lessons' conditions on a network
(:mod:`nnsim.core.conditions`: ``bias(go) > 0 and weight(x1, go) == 6``). None is handed to Python's ``eval``
or ``ast``: a parser that accepts only its own grammar can run nothing else, and it can say where a mistake is
in the words of that grammar. Every mistake raises :class:`ExpressionError` naming its position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nnsim.core.errors import UserError

#: Deepest nesting of parentheses a parser accepts: each level costs a few Python calls, so a text of
#: nothing but '(' must end in a message, not in a RecursionError.
MAX_NESTING = 100


class ExpressionError(UserError):
    """A typed expression that cannot be used; the message says where (``line L, column C`` or
    ``column C``) and what is wrong."""


@dataclass(frozen=True)
class Token:
    """One token: ``kind`` (a group name of the scanning pattern, ``"bad"`` for a character no group
    matches, ``"end"`` after the last one), its ``text``, and its 1-based ``line`` and ``col``."""

    kind: str
    text: str
    line: int
    col: int

    def where(self) -> str:
        return f"line {self.line}, column {self.col}"

    def describe(self) -> str:
        """The token as a message names it."""
        if self.kind == "end":
            return "the end of the text"
        return "the end of the line" if self.kind == "newline" else repr(self.text)


def scan(text: str, pattern: re.Pattern, skip: tuple[str, ...] = ("space", "comment")) -> list[Token]:
    """The tokens of ``text`` by the named groups of ``pattern``, dropping the kinds in ``skip``.

    A group named ``newline`` must match exactly one line break: its tokens are kept (a grammar may use
    them as separators) and start a new line. A character that no group matches becomes a ``"bad"``
    token, so each parser reports it where its grammar meets it. The list ends with an ``"end"`` token."""
    tokens: list[Token] = []
    line, line_start, pos = 1, 0, 0
    while pos < len(text):
        m = pattern.match(text, pos)
        col = pos - line_start + 1
        if m is None or m.end() == pos:
            tokens.append(Token("bad", text[pos], line, col))
            pos += 1
            continue
        if m.lastgroup not in skip:
            tokens.append(Token(m.lastgroup, m.group(), line, col))
        if m.lastgroup == "newline":
            line, line_start = line + 1, m.end()
        pos = m.end()
    tokens.append(Token("end", "", line, len(text) - line_start + 1))
    return tokens
