"""What commands write for the user: messages on stderr, results on stdout or in a file."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


def err(text: str) -> None:
    """Print a message for the user on stderr, without markup; on a terminal each line broken
    between words at its width (a terminal would cut a word, an id or a path in two)."""
    text = text.rstrip("\n")
    if (breedte := _breedte(sys.stderr)) is not None:
        text = op_breedte(text, breedte)
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def op_breedte(text: str, breedte: int) -> str:
    """Each line of `text` broken between words to at most `breedte` characters (a line's
    indent carried on); a word longer than that (a path, an id) is kept whole on its own line."""
    import textwrap

    regels = []
    for regel in text.split("\n"):
        inspringing = regel[: len(regel) - len(regel.lstrip())]
        regels.append(
            textwrap.fill(
                regel,
                breedte,
                subsequent_indent=inspringing,
                break_long_words=False,
                break_on_hyphens=False,  # never 'mc-k7q3-' / 'x9p2'
            )
            if len(regel) > breedte
            else regel
        )
    return "\n".join(regels)


def _breedte(stream: TextIO | None) -> int | None:
    """How wide a line on `stream` may be: one less than its terminal (the last column makes
    some terminals wrap at once), at least 20; None if it is no terminal (a pipe or a file
    gets each line whole). COLUMNS, when set, is the width, as for rich and shutil."""
    if stream is None or not stream.isatty():
        return None
    import os

    try:
        kolommen = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        try:
            kolommen = os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError):
            kolommen = 0
    return max((kolommen or 80) - 1, 20)


def write_or_print(
    text: str, uitvoer: Path | None, *, overschrijf: bool, optie: str = "--uitvoer"
) -> bool:
    """`text` on stdout (no file, or '-'), else in a new owner-only file; True if a file.

    A failing stdout (full disk, closed, reader gone) raises here, inside the error boundary.
    """
    if uitvoer is None or str(uitvoer) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return False
    from meldcode.export import write_new

    write_new(uitvoer, text, overschrijf=overschrijf, optie=optie)
    return True


def echo_json(data: object) -> None:
    """`data` as indented JSON on stdout."""
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def stream_json(items: Iterator[dict[str, object]]) -> None:
    """A JSON array written item by item, one case per line (the C encoder: 100,000 cases in
    well under a second, and memory stays one case)."""
    import json

    encode = json.JSONEncoder(ensure_ascii=False).encode
    out = sys.stdout
    eerste = True
    for item in items:
        out.write(("[\n  " if eerste else ",\n  ") + encode(item))
        eerste = False
    out.write("[]\n" if eerste else "\n]\n")
