"""The command-line interface: `meldcode` and `python -m meldcode` (design.md §6).

The app and its commands are in `meldcode.commands` (the table in `commands/table.py`). Only
typer is imported at module level, so `meldcode --help` stays light (design.md §7); each
command module imports what it needs inside its command functions.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

ONDERBROKEN_BIJ_START = "Onderbroken tijdens het starten van meldcode; er is niets gewijzigd."
# Objects allocated between two young-generation collections of the garbage collector; Python's
# default is 700. See `fewer_collections`.
GC_DREMPEL = 10_000

# NOTE: no garbage collection while typer and the commands load: nothing they allocate is
# garbage, and the collector would only scan it again and again (see `fewer_collections`).
_collector_aan = gc.isenabled()
gc.disable()
try:
    from meldcode.commands.app import app
    from meldcode.commands.output import err
    from meldcode.text.control_chars import utf8
except KeyboardInterrupt:  # Ctrl-C while Python loads meldcode: no English traceback
    sys.stderr.write(ONDERBROKEN_BIJ_START + "\n")
    raise SystemExit(130) from None
finally:
    if _collector_aan:
        gc.enable()

__all__ = ["app", "main"]


def main() -> None:
    """Entry point for the `meldcode` script and `python -m meldcode`."""
    with fewer_collections():
        try:
            if (waar := _geen_utf8(sys.argv[1:], os.environ)) is not None:
                from meldcode.errors import InvalidText

                err(str(InvalidText(waar=waar)))
                raise SystemExit(InvalidText.exit_code)
            app()
        except KeyboardInterrupt:  # before a command's error boundary took over
            err(ONDERBROKEN_BIJ_START)
            raise SystemExit(130) from None


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect cyclic garbage every GC_DREMPEL allocations instead of every 700, and put the
    process's own thresholds back afterwards (tests run `main()` inside their process).

    NOTE: almost everything a command allocates on its way to the first question lives until
    the end: modules, classes, pydantic schemas, the flows, prompt_toolkit's key bindings. With
    Python's default the collector scans those ~60,000 objects again and again (~150 young,
    ~14 middle and a full collection: 25-30 ms CPU of the ~270 ms to the first question). A
    walk's garbage is collected as before, only in larger batches.
    """
    vorige = gc.get_threshold()
    gc.set_threshold(max(GC_DREMPEL, vorige[0]), *vorige[1:])
    try:
        yield
    finally:
        gc.set_threshold(*vorige)


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
