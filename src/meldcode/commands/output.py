"""What commands write for the user: messages on stderr, results on stdout or in a file."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path


def err(text: str) -> None:
    """Print a message for the user on stderr, without markup."""
    sys.stderr.write(text.rstrip("\n") + "\n")
    sys.stderr.flush()


def melding(text: str) -> None:
    """A message at the end of a walk; on a terminal broken at word boundaries, not mid-word."""
    if sys.stderr is not None and sys.stderr.isatty():
        import shutil
        import textwrap

        breedte = shutil.get_terminal_size((80, 24)).columns - 1
        text = textwrap.fill(text, max(breedte, 20), break_long_words=False)
    err(text)


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
