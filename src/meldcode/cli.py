"""The command-line interface: `meldcode` and `python -m meldcode` (design.md §6).

The app and its commands are in `meldcode.commands` (the table in `commands/table.py`). Only
typer is imported at module level, so `meldcode --help` stays light (design.md §7); each
command module imports what it needs inside its command functions.
"""

from __future__ import annotations

import os
import sys

ONDERBROKEN_BIJ_START = "Onderbroken tijdens het starten van meldcode; er is niets gewijzigd."

try:
    from meldcode.commands.app import app
    from meldcode.commands.output import err
    from meldcode.text.control_chars import utf8
except KeyboardInterrupt:  # Ctrl-C while Python loads meldcode: no English traceback
    sys.stderr.write(ONDERBROKEN_BIJ_START + "\n")
    raise SystemExit(130) from None

__all__ = ["app", "main"]


def main() -> None:
    """Entry point for the `meldcode` script and `python -m meldcode`."""
    try:
        if (waar := _geen_utf8(sys.argv[1:], os.environ)) is not None:
            from meldcode.errors import InvalidText

            err(str(InvalidText(waar=waar)))
            raise SystemExit(InvalidText.exit_code)
        app()
    except KeyboardInterrupt:  # before a command's error boundary took over
        err(ONDERBROKEN_BIJ_START)
        raise SystemExit(130) from None


def _geen_utf8(argumenten: list[str], omgeving: os._Environ[str]) -> str | None:
    """What is not valid UTF-8 (undecodable bytes arrive as surrogate escapes), named."""
    for n, argument in enumerate(argumenten, start=1):
        if not utf8(argument):
            vorige = argumenten[n - 2] if n > 1 else ""
            return f"De waarde van {vorige}" if vorige.startswith("-") else f"Argument {n}"
    for naam, waarde in omgeving.items():
        if naam.startswith("MELDCODE_") and not utf8(waarde):
            return f"De omgevingsvariabele {naam}"
    return None
