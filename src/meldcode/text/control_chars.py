"""Control characters out of free text: typed answers, labels and text shown at the terminal.

A free-text answer or label with an escape sequence (`ESC [2J`, `ESC ]0;…BEL`) could clear the
screen or retitle the window of whoever looks at the case later; a bidi override (U+202E) or a
zero-width space makes text read differently from what it is. meldcode strips C0 and C1 control
characters (and DEL) and those invisible characters when text comes in (answers, reasons,
`--label`) and again when it shows or exports stored text, for stores written before this rule.
Newlines and tabs stay: they are part of what the professional wrote.

Only `re` is imported here: `lijst` and `toon` use this without loading pydantic or the flows.
"""

from __future__ import annotations

import re

# The invisible format characters that reorder or hide text (Trojan Source, CVE-2021-42574):
# the bidi marks, embeddings, overrides and isolates (U+061C, U+200E-U+200F, U+202A-U+202E,
# U+2066-U+2069), zero-width characters (U+200B-U+200D, U+2060-U+2064, U+FEFF) and U+180E.
_ONZICHTBAAR = "\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
ONZICHTBAAR = re.compile(f"[{_ONZICHTBAAR}]")
# C0 (U+0000-U+001F) except tab and newline, DEL (U+007F), C1 (U+0080-U+009F) and those.
_STUURTEKENS = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_ONZICHTBAAR}]")


def zonder_stuurtekens(text: str) -> str:
    """`text` without control characters; newlines and tabs are kept, and a carriage return
    (`\\r\\n` or a lone `\\r`) becomes a newline, so lines are not run together."""
    return _STUURTEKENS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def utf8(text: str) -> bool:
    """Whether `text` is valid UTF-8: undecodable bytes (a Latin-1 terminal's 0xEB for ë, a
    non-UTF-8 argument) arrive as surrogate escapes, which no log or hash can store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
