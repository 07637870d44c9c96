"""`meldcode oefen`: fictional practice cases, walked for real in the practice store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from meldcode.commands.base import app, err, error_boundary
from meldcode.commands.casus import Eenvoudig

if TYPE_CHECKING:
    from meldcode.practice import OefenCasus
    from meldcode.prompts.dialog import DialogPrompter


@app.command(rich_help_panel="Oefenen")
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
    with error_boundary():
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
        raise typer.Exit(
            _walk(cases[casus][1], eenvoudig=eenvoudig, presentatie=presentatie, hervat=hervat)
        )


def _oefencasus_van(casus_id: str) -> str:
    """The practice case a stored practice walk belongs to (its label is `oefen:<id>`)."""
    from meldcode.commands.home import open_store
    from meldcode.errors import CasusNotFound

    store = open_store(oefening=True)
    try:
        label = store.get(casus_id).label or ""
    finally:
        store.close()
    if not label.startswith("oefen:"):
        raise CasusNotFound(casus_id=casus_id)
    return label.removeprefix("oefen:")


def _lijst(cases: list[OefenCasus]) -> None:
    """The practice cases as a table: id, titel, sector (never the intended outcome)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Oefencasussen (OEFENING)")
    for kolom in ("id", "titel", "sector"):
        table.add_column(kolom, no_wrap=kolom == "id")
    for c in sorted(cases, key=lambda c: (c.sector, c.id)):
        table.add_row(c.id, c.titel, c.sector)
    console = Console()
    console.print(table)
    console.print("Start een oefening met: meldcode oefen ID", markup=False, highlight=False)


def _prompter(eenvoudig: bool) -> DialogPrompter:
    """questionary where it can draw; else numbered choices (also over a pipe: nothing is real)."""
    if sys.stdin is None:  # started with stdin closed (`<&-`): refuse before a case is made
        from meldcode.errors import NoInput

        raise NoInput
    if not eenvoudig:
        from meldcode.prompts.interactive import InteractivePrompter, can_run

        if can_run():
            return InteractivePrompter()
    from meldcode.prompts.plain import PlainPrompter

    return PlainPrompter(input=sys.stdin, output=sys.stdout)


def _walk(casus: OefenCasus, *, eenvoudig: bool, presentatie: bool, hervat: str | None) -> int:
    """Walk `casus` (or go on with practice walk `hervat`), then compare with the intention."""
    from meldcode.commands.casus import BEWAARD, niet_bewaard
    from meldcode.commands.home import open_store
    from meldcode.errors import NotInteractive, WalkNotFinished
    from meldcode.loading import load_flow
    from meldcode.model import State
    from meldcode.practice import vergelijk
    from meldcode.prompts.practice import OefenPrompter
    from meldcode.store.history import prefill_from_events
    from meldcode.walk import loop
    from meldcode.walk.recorder import Recorder

    flow = load_flow(casus.sector)
    inner = _prompter(eenvoudig)
    inner.flow = flow
    prompter = OefenPrompter(inner, flow, casus, presentatie=presentatie)
    # NOTE: oefening=True opens oefen.db, never meldcode.db: practice never mixes with real cases.
    store = open_store(oefening=True)
    if hervat is None:
        recorder = Recorder.start(store, flow, label=f"oefen:{casus.id}", oefening=True)
        state, prefill = State(sector=flow.sector.id), {}
    else:
        recorder, state = Recorder.resume(store, hervat, flow)
        prefill = prefill_from_events(flow, state.sector, store.events(hervat))
        recorder.hervat(state)
    verder = f"Verder met: meldcode oefen --hervat {recorder.casus.id}"
    try:
        prompter.start(recorder.casus.id)  # inside: it may wait for Enter, and see Ctrl-C
        state = loop.run(flow, state, prompter, recorder, prefill)
    except loop.Paused:
        err(f"De oefening is gepauzeerd; de antwoorden staan in de oefenopslag. {verder}")
        return 0
    except KeyboardInterrupt:
        err(f"De oefening is onderbroken. {BEWAARD} {verder}")
        return 130
    except NotInteractive as e:
        err(f"De oefening is gestopt. {e} {BEWAARD} {verder}")
        return e.exit_code
    except WalkNotFinished as e:
        err(f"De oefening is gestopt. {niet_bewaard(e)} {verder}")
        return e.exit_code
    finally:
        recorder.close()
    prompter.nabespreking(vergelijk(flow, casus, state))
    return 0
