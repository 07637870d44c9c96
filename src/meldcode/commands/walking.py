"""The end of a walk at the terminal, for real cases and practice alike: what a walk that did
not reach its end says (what is saved, how to go on), and the dialog prompter to walk with."""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from meldcode.commands.output import err

if TYPE_CHECKING:
    from meldcode.errors import WalkNotFinished
    from meldcode.prompts.dialog import DialogPrompter
    from meldcode.walk.case import WalkResult

# What a stop kept: every confirmed answer (an afweging stopped at its onderbouwing too).
BEWAARD = "Alle antwoorden tot nu toe zijn bewaard."
SIGNAALNAMEN = {1: "de terminal is gesloten", 15: "SIGTERM: afgesloten van buitenaf"}


@dataclass(frozen=True)
class Stops:
    """How one kind of walk words its stops."""

    gepauzeerd: str
    onderbroken: str
    gestopt: str  # before the reason of any other stop


CASUS = Stops("Gepauzeerd; alles is bewaard.", "Onderbroken.", "")
OEFENING = Stops(
    "De oefening is gepauzeerd; de antwoorden staan in de oefenopslag.",
    "De oefening is onderbroken.",
    "De oefening is gestopt. ",
)


def tell_stop(result: WalkResult, *, verder: str, stops: Stops, eenvoudig: bool = False) -> None:
    """Say how a walk that did not reach its end stopped and how to go on; its exit code is
    the error boundary's (`Told`). A walk that is done or paused says nothing more here."""
    from meldcode.commands.boundary import Told
    from meldcode.errors import Beeindigd, WalkNotFinished
    from meldcode.walk.case import Ending

    stop = result.stop
    if result.ending is Ending.PAUSED:
        err(f"{stops.gepauzeerd} {verder}")
    elif isinstance(stop, Beeindigd):
        # SIGHUP: the terminal may be gone; the message is for the terminal that is left.
        with contextlib.suppress(OSError):
            if eenvoudig:  # the prompt line ("Kies een nummer: ") is still open
                err("")
            err(f"Beëindigd ({SIGNAALNAMEN.get(stop.signum, stop.signum)}). {BEWAARD} {verder}")
    elif isinstance(stop, KeyboardInterrupt):
        if eenvoudig:  # the prompt line ("Kies een nummer: ^C") is still open
            err("")
        err(f"{stops.onderbroken} {BEWAARD} {verder}")
    elif isinstance(stop, WalkNotFinished):
        err(f"{stops.gestopt}{niet_bewaard(stop)} {verder}")
    elif stop is not None:  # the input closed, or there is no terminal to ask on
        err(f"{stops.gestopt}{stop} {BEWAARD} {verder}")
    if stop is not None:
        raise Told(stop)


def niet_bewaard(e: WalkNotFinished) -> str:
    """A write that failed mid-walk, for a person at the terminal: what is and is not saved."""
    return (
        f"{e.oorzaak} Het antwoord dat u net gaf, is daardoor niet bewaard; de eerdere antwoorden "
        f"van casus {e.casus_id} wel. Los eerst het probleem op en ga dan verder waar u was."
    )


def dialog_prompter(eenvoudig: bool) -> DialogPrompter:
    """questionary where it can draw, else numbered choices on stdin and stdout."""
    if not eenvoudig:
        from meldcode.prompts.interactive import InteractivePrompter, can_run

        if can_run():
            return InteractivePrompter()
    from meldcode.prompts.plain import PlainPrompter

    return PlainPrompter(input=sys.stdin, output=sys.stdout)
