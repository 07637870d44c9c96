"""Every command of `meldcode`, in one explicit table: its function and its help panel.

The order is the order of `meldcode --help`. A command module only defines functions; the
app (`commands.app`) registers what is listed here, and runs each inside the error boundary.
Command modules import only typer at module level (start-up, design.md §7).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from meldcode.commands import (
    beheer,
    casus,
    flows,
    graaf,
    lijst,
    melding,
    oefen,
    register,
    verifieer,
    verwijder,
)

DOORLOPEN = "Een casus doorlopen"
BEHEREN = "Casussen beheren"
FLOWS = "Flows en sectoren"
OEFENEN = "Oefenen"
REGISTER = "Gedeeld register"


@dataclass(frozen=True)
class Command:
    """One command: the function typer calls and the help panel it is listed under."""

    function: Callable[..., None]
    panel: str

    @property
    def name(self) -> str:
        """What the user types: the function's name, '_' as '-' (as typer names it)."""
        return self.function.__name__.strip("_").replace("_", "-")


COMMANDS: tuple[Command, ...] = (
    Command(casus.start, DOORLOPEN),
    Command(casus.hervat, DOORLOPEN),
    Command(lijst.lijst, BEHEREN),
    Command(beheer.toon, BEHEREN),
    Command(beheer.exporteer, BEHEREN),
    Command(verwijder.verwijder, BEHEREN),
    Command(verwijder.opschonen, BEHEREN),
    Command(verifieer.verifieer, BEHEREN),
    Command(beheer.statistiek, BEHEREN),
    Command(beheer.herbereken, BEHEREN),
    Command(melding.melding, BEHEREN),
    Command(flows.sectoren, FLOWS),
    Command(flows.valideer, FLOWS),
    Command(flows.schema, FLOWS),
    Command(graaf.graaf, FLOWS),
    Command(oefen.oefen, OEFENEN),
    Command(register.overdragen, REGISTER),
)


@dataclass(frozen=True)
class Group:
    """A command with sub-commands (`meldcode register init`): the app registers each."""

    name: str
    help: str
    panel: str
    commands: tuple[Command, ...]


GROUPS: tuple[Group, ...] = (
    Group(
        "register",
        "Het gedeelde register van een organisatie op PostgreSQL inrichten (voor de beheerder).",
        REGISTER,
        (
            Command(register.init, REGISTER),
            Command(register.gebruiker, REGISTER),
            Command(register.importeer, REGISTER),
            Command(register.termijnen, REGISTER),
        ),
    ),
)
