"""`meldcode start` and `meldcode hervat`: the walk at the terminal, saved answer by answer."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from meldcode.commands.options import Eenvoudig
from meldcode.commands.output import err
from meldcode.contract import Status

if TYPE_CHECKING:
    from rich.console import Console

    from meldcode.prompts.dialog import DialogPrompter
    from meldcode.walk.case import CaseWalk, WalkResult

ANTWOORDEN_HELP = "Antwoordenbestand (YAML) voor een run zonder vragen; '-' leest standaardinvoer."
Antwoorden = Annotated[
    str | None, typer.Option("--antwoorden", metavar="BESTAND|-", help=ANTWOORDEN_HELP)
]
Standaard = Annotated[
    bool,
    typer.Option("--standaard", help="Met --antwoorden: neem de standaard bij ontbrekende vragen."),
]
JsonUit = Annotated[
    bool, typer.Option("--json", help="Met --antwoorden: de casus als JSON op standaarduitvoer.")
]
Sector = Annotated[
    str | None,
    typer.Option("--sector", help="Sector-id (zie 'meldcode sectoren'); anders kiest u."),
]
Label = Annotated[
    str | None,
    typer.Option("--label", help="Uw eigen kenmerk voor de casus, bijv. een dossiernummer."),
]
HervatId = Annotated[str, typer.Argument(metavar="ID", help="Het casus-id, bijv. mc-k7q3-x9p2.")]


def start(
    sector: Sector = None, label: Label = None, eenvoudig: Eenvoudig = False,
    antwoorden: Antwoorden = None, standaard: Standaard = False, json_uit: JsonUit = False,
) -> None:  # fmt: skip
    """Start een nieuwe casus en doorloop de meldcode vraag voor vraag."""
    if (scripted := _scripted(antwoorden, standaard, json_uit)) is not None:
        from meldcode.walk.scripted_run import run_answers

        with scripted["store"]:
            code = run_answers(antwoorden or "", **scripted, sector=sector, label=label)
        raise typer.Exit(code)
    from meldcode.commands.home import open_store
    from meldcode.flows import flowset, load_flow
    from meldcode.walk.case import CaseWalk

    with open_store() as store:
        # Broken flows or an unknown sector are named before anything else can go wrong.
        fs = flowset()
        gekozen = load_flow(sector) if sector else None
        prompter = _prompter(eenvoudig)
        sector_id = sector or prompter.kies_sector(fs.sectoren.model.sectoren)
        flow = gekozen or load_flow(sector_id)
        prompter.flow = flow
        with CaseWalk.start(store, flow, label=label) as walk:
            prompter.say(f"Casus {walk.casus.id} is aangemaakt; elk antwoord wordt meteen bewaard.")
            walk_at_terminal(walk, prompter)


def hervat(
    casus_id: HervatId, eenvoudig: Eenvoudig = False, antwoorden: Antwoorden = None,
    standaard: Standaard = False, json_uit: JsonUit = False,
) -> None:  # fmt: skip
    """Ga verder met een gepauzeerde, onderbroken of wachtende casus (bijv. afweging 5)."""
    from meldcode.commands.lookup import elders

    with elders(casus_id, oefening=False):  # a practice case id names `oefen --hervat`
        _hervat(casus_id, eenvoudig, antwoorden, standaard=standaard, json_uit=json_uit)


def _hervat(
    casus_id: str, eenvoudig: bool, antwoorden: str | None, *, standaard: bool, json_uit: bool
) -> None:
    """Go on with the case from the answers file, or at the terminal."""
    if (scripted := _scripted(antwoorden, standaard, json_uit)) is not None:
        from meldcode.walk.scripted_run import resume_answers

        with scripted["store"]:
            code = resume_answers(casus_id, antwoorden or "", **scripted)
        raise typer.Exit(code)
    from meldcode.commands.home import open_store
    from meldcode.flows import load_flow
    from meldcode.render import summary
    from meldcode.walk.case import CaseWalk
    from meldcode.walk.scripted_run import nothing_left

    with open_store() as store:
        flow = load_flow(store.get(casus_id).sector)
        with CaseWalk.resume(store, casus_id, flow) as walk:
            if walk.finished:
                # Nothing left to ask: no event, so an old case keeps its retention term.
                err(nothing_left(casus_id))
                return
            prompter = _prompter(eenvoudig)
            prompter.flow = flow
            prompter.volg(walk.state)
            summary.recap(_console(eenvoudig=prompter.eenvoudig), flow, walk.casus, walk.state)
            walk_at_terminal(walk, prompter)


def _scripted(antwoorden: str | None, standaard: bool, json_uit: bool) -> dict[str, Any] | None:
    """With --antwoorden: the keyword arguments every scripted run takes (options, store and
    the three streams); without: None. --standaard and --json belong to scripted runs."""
    if antwoorden is None:
        if standaard or json_uit:
            err("De opties --standaard en --json werken alleen samen met --antwoorden BESTAND.")
            raise typer.Exit(2)
        return None
    from meldcode.commands.home import open_store

    return {
        "standaard": standaard,
        "as_json": json_uit,
        "store": open_store(),
        "stdin": sys.stdin,
        "out": sys.stdout,
        "err": sys.stderr,
    }


def _prompter(eenvoudig: bool) -> DialogPrompter:
    """questionary when the terminal can run it, else numbered choices; no terminal: exit 2."""
    from meldcode.commands.walking import dialog_prompter
    from meldcode.errors import NotInteractive

    if sys.stdin is None or not sys.stdin.isatty():  # None: started with stdin closed (`<&-`)
        raise NotInteractive
    return dialog_prompter(eenvoudig)


def walk_at_terminal(walk: CaseWalk, prompter: DialogPrompter) -> None:
    """Walk until an outcome, a wait, a pause or a stop (Ctrl-C, SIGTERM, SIGHUP, closed input,
    a failed write), then say how it ended; a stop's exit code is the error boundary's."""
    from meldcode.commands.walking import CASUS, tell_stop
    from meldcode.walk.case import Ending

    prompter.hervat_opdracht = f"meldcode hervat {walk.casus.id}"
    verder = f"Verder met: {prompter.hervat_opdracht}"
    result = walk.run(prompter, signals=True)
    tell_stop(result, verder=verder, stops=CASUS, eenvoudig=prompter.eenvoudig)
    if result.ending is Ending.DONE:
        _einde(walk, result, verder, eenvoudig=prompter.eenvoudig)


def _console(*, eenvoudig: bool) -> Console:
    """The console for the recap and the summary; plain text (no escape codes) for screen
    readers with `--eenvoudig`, also in a terminal that could draw bold."""
    from rich.console import Console

    return Console(highlight=False, color_system=None if eenvoudig else "auto")


def _einde(walk: CaseWalk, result: WalkResult, verder: str, *, eenvoudig: bool) -> None:
    """The summary, and what happens next with this case."""
    from meldcode import engine
    from meldcode.render import summary
    from meldcode.text.phrases import datum_nl

    casus, state = walk.casus, result.state
    events = walk.recorder.store.events(casus.id)
    summary.samenvatting(
        _console(eenvoudig=eenvoudig), walk.flow, casus, state, events, eenvoudig=eenvoudig
    )
    w = engine.walk(walk.flow, state)
    datum = state.waarde("evaluatiedatum")
    if casus.status == Status.WACHT and isinstance(datum, str):
        err(f"De casus wacht op de evaluatie van afweging 5 op {datum_nl(datum)}. {verder}")
    elif w.wacht is not None or w.uitkomst is None:
        err(f"De casus blijft open. {verder}")
