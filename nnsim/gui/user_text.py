"""User text (labels, names, file titles) placed inside the app's own sentences.

A label may hold a right-to-left override (U+202E) or other bidirectional controls; dropped into a sentence
as is, it reverses the text around it ("Wire a → b" read backwards). Wrapped in FIRST STRONG ISOLATE …
POP DIRECTIONAL ISOLATE (U+2068 … U+2069) it is laid out on its own and the sentence keeps its order; in rich
text (QLabel with <b>…</b>) it is also HTML-escaped, so a label such as ``<h1>`` is shown, not obeyed.
"""

from __future__ import annotations

import html
import unicodedata

FSI = "\u2068"
PDI = "\u2069"
#: Bidirectional classes that can reorder the text around them: right-to-left letters and digits, and
#: the explicit embeddings, overrides and isolates.
_REORDERING = {"R", "AL", "AN", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"}


def needs_isolation(text: str) -> bool:
    return not text.isascii() and any(unicodedata.bidirectional(ch) in _REORDERING for ch in text)


def isolated(text: str) -> str:
    """``text`` as one directional island inside a plain-text sentence (left as it is when it holds
    nothing that could reorder its neighbours, which is almost always)."""
    return f"{FSI}{text}{PDI}" if needs_isolation(text) else text


def isolated_html(text: str) -> str:
    """``text`` HTML-escaped and isolated, for a rich-text sentence."""
    return isolated(html.escape(text, quote=False))
