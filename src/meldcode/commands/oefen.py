"""`meldcode oefen`: fictional practice cases, walked for real in the practice store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from meldcode.commands.options import Eenvoudig

if TYPE_CHECKING:
    from meldcode.practice import OefenCasus
    from meldcode.prompts.dialog import DialogPrompter


def oefen(
    casus: Annotated[
        str | None,
        typer.Argument(
            metavar="CASUS", help="Het id van de oefencasus; zonder id ziet u de lijst."
        ),
    ] = None,
    map_: Annotated[
        Path | None,
        typer.Option(
            "--map",
            metavar="MAP",
            help="Map met eigen oefencasussen (YAML), naast de meegeleverde.",
        ),
    ] = None,
    presentatie: Annotated[
        bool,
        typer.Option(
            "--presentatie",
            help="Groot en rustig voor een projector: één vraag per scherm, alleen toetsenbord.",
        ),
    ] = False,
    eenvoudig: Eenvoudig = False,
    schema: Annotated[
        bool, typer.Option("--schema", help="Druk het JSON Schema van een oefencasus af.")
    ] = False,
    hervat: Annotated[
        str | None,
        typer.Option(
            "--hervat", metavar="ID", help="Ga verder met een gepauzeerde oefening (het casus-id)."
        ),
    ] = None,
) -> None:
    """Oefen met verzonnen casussen; wordt apart bewaard en telt nooit mee (OEFENING)."""
    from meldcode import practice as oefenen

    if schema:
        typer.echo(oefenen.case_schema_json())
        return
    cases = oefenen.load_cases(map_)
    if hervat is not None:
        casus = _oefencasus_van(hervat)
    if casus is None:
        _lijst([c for _, c in cases.values()])
        return
    if casus not in cases:
        from meldcode.errors import UnknownOefenCasus

        raise UnknownOefenCasus(casus_id=casus, bekend=sorted(cases))
    _oefening(cases[casus][1], eenvoudig=eenvoudig, presentatie=presentatie, hervat=hervat)


def _oefencasus_van(casus_id: str) -> str:
    """The practice case a stored practice walk belongs to (its label is `oefen:<id>`)."""
    from meldcode.commands.home import open_store
    from meldcode.commands.lookup import elders
    from meldcode.errors import CasusNotFound

    with elders(casus_id, oefening=True), open_store(oefening=True) as store:
        label = store.get(casus_id).label or ""
    if not label.startswith("oefen:"):
        raise CasusNotFound(casus_id=casus_id)
    return label.removeprefix("oefen:")


def _lijst(cases: list[OefenCasus]) -> None:
    """The practice cases: id, titel, sector (never the intended outcome)."""
    from rich.console import Console

    from meldcode.render import views

    rijen = [(c.id, c.titel, c.sector) for c in sorted(cases, key=lambda c: (c.sector, c.id))]
    views.oefencasussen(Console(), rijen)


def _prompter(eenvoudig: bool) -> DialogPrompter:
    """questionary where it can draw; else numbered choices (also over a pipe: nothing is real)."""
    from meldcode.commands.walking import dialog_prompter

    if sys.stdin is None:  # started with stdin closed (`<&-`): refuse before a case is made
        from meldcode.errors import NoInput

        raise NoInput
    return dialog_prompter(eenvoudig)


def _oefening(casus: OefenCasus, *, eenvoudig: bool, presentatie: bool, hervat: str | None) -> None:
    """Walk `casus` (or go on with practice walk `hervat`), then compare with the intention."""
    from meldcode.commands.home import open_store
    from meldcode.commands.walking import OEFENING, tell_stop
    from meldcode.flows import load_flow
    from meldcode.practice import vergelijk
    from meldcode.prompts.practice import OefenPrompter
    from meldcode.walk.case import CaseWalk, Ending

    flow = load_flow(casus.sector)
    inner = _prompter(eenvoudig)
    inner.flow = flow
    prompter = OefenPrompter(inner, flow, casus, presentatie=presentatie)
    # NOTE: oefening=True opens oefen.db, never meldcode.db: practice never mixes with real cases.
    store = open_store(oefening=True)
    if hervat is None:
        walk = CaseWalk.start(store, flow, label=f"oefen:{casus.id}", oefening=True)
    else:
        walk = CaseWalk.resume(store, hervat, flow)
    with walk:
        casus_id = walk.casus.id
        # prompter.start is inside the walk: it may wait for Enter, and see Ctrl-C.
        result = walk.run(prompter, begin=lambda: prompter.start(casus_id))
    tell_stop(
        result,
        verder=f"Verder met: meldcode oefen --hervat {casus_id}",
        stops=OEFENING,
        eenvoudig=inner.eenvoudig,
    )
    if result.ending is Ending.DONE:
        prompter.nabespreking(vergelijk(flow, casus, result.state))
