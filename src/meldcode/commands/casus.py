"""`meldcode start` and `meldcode hervat`: the walk at the terminal, saved answer by answer."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from meldcode.commands.base import app, err, error_boundary

if TYPE_CHECKING:
    from rich.console import Console

    from meldcode.errors import WalkNotFinished
    from meldcode.model import Flow, State, Waarde
    from meldcode.prompts.dialog import DialogPrompter
    from meldcode.walk.recorder import Recorder

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
Eenvoudig = Annotated[
    bool,
    typer.Option(
        "--eenvoudig",
        help="Genummerde keuzes zonder opmaak (voor schermlezers en eenvoudige terminals).",
    ),
]


def _only_with_answers(antwoorden: str | None, standaard: bool, json_uit: bool) -> None:
    """--standaard and --json belong to scripted runs."""
    if antwoorden is None and (standaard or json_uit):
        err("De opties --standaard en --json werken alleen samen met --antwoorden BESTAND.")
        raise typer.Exit(2)


@app.command(rich_help_panel="Een casus doorlopen")
def start(
    sector: Annotated[
        str | None,
        typer.Option("--sector", help="Sector-id (zie 'meldcode sectoren'); anders kiest u."),
    ] = None,
    label: Annotated[
        str | None,
        typer.Option("--label", help="Uw eigen kenmerk voor de casus, bijv. een dossiernummer."),
    ] = None,
    eenvoudig: Eenvoudig = False,
    antwoorden: Antwoorden = None,
    standaard: Standaard = False,
    json_uit: JsonUit = False,
) -> None:
    """Start een nieuwe casus en doorloop de meldcode vraag voor vraag."""
    _only_with_answers(antwoorden, standaard, json_uit)
    with error_boundary():
        from meldcode.commands.home import open_store

        if antwoorden is not None:
            from meldcode.walk.scripted_run import run_answers

            code = run_answers(
                antwoorden, **_scripted(standaard, json_uit), sector=sector, label=label
            )
            raise typer.Exit(code)
        from meldcode.loading import flowset, load_flow
        from meldcode.model import State
        from meldcode.walk.recorder import Recorder

        store = open_store()
        # Broken flows or an unknown sector are named before anything else can go wrong.
        fs = flowset()
        gekozen = load_flow(sector) if sector else None
        prompter = _prompter(eenvoudig)
        sector_id = sector or prompter.kies_sector(fs.sectoren[1].sectoren)
        flow = gekozen or load_flow(sector_id)
        prompter.flow = flow
        recorder = Recorder.start(store, flow, label=label)
        prompter.say(f"Casus {recorder.casus.id} is aangemaakt; elk antwoord wordt meteen bewaard.")
        raise typer.Exit(_walk(prompter, flow, recorder, State(sector=sector_id), {}))


@app.command(rich_help_panel="Een casus doorlopen")
def hervat(
    casus_id: Annotated[
        str, typer.Argument(metavar="ID", help="Het casus-id, bijv. mc-k7q3-x9p2.")
    ],
    eenvoudig: Eenvoudig = False,
    antwoorden: Antwoorden = None,
    standaard: Standaard = False,
    json_uit: JsonUit = False,
) -> None:
    """Ga verder met een gepauzeerde, onderbroken of wachtende casus (bijv. afweging 5)."""
    _only_with_answers(antwoorden, standaard, json_uit)
    with error_boundary():
        from meldcode.commands.home import open_store

        if antwoorden is not None:
            from meldcode.walk.scripted_run import resume_answers

            code = resume_answers(casus_id, antwoorden, **_scripted(standaard, json_uit))
            raise typer.Exit(code)
        from meldcode import engine, render
        from meldcode.loading import load_flow
        from meldcode.store.history import prefill_from_events
        from meldcode.walk.recorder import Recorder
        from meldcode.walk.scripted_run import nothing_left

        store = open_store()
        flow = load_flow(store.get(casus_id).sector)
        recorder, state = Recorder.resume(store, casus_id, flow)
        if engine.afgerond(flow, state):
            # Nothing left to ask: no event, so looking at an old case keeps its retention term.
            recorder.close()
            err(nothing_left(casus_id))
            raise typer.Exit(0)
        try:
            prompter = _prompter(eenvoudig)
        except BaseException:
            recorder.close()
            raise
        prompter.flow = flow
        prompter.volg(state)
        render.recap(_console(eenvoudig=prompter.eenvoudig), flow, recorder.casus, state)
        events = store.events(casus_id)
        prefill = prefill_from_events(flow, state.sector, events)
        if any(e.soort == "advies-veilig-thuis" for e in events) and not state.heeft(
            "veilig-thuis-geraadpleegd"
        ):
            prefill.setdefault("veilig-thuis-geraadpleegd", "ja")  # as in the walk itself
        recorder.hervat(state)
        raise typer.Exit(_walk(prompter, flow, recorder, state, prefill))


def _scripted(standaard: bool, json_uit: bool) -> dict[str, Any]:
    """The keyword arguments every scripted run takes: options, store and the three streams."""
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
    from meldcode.errors import NotInteractive

    if sys.stdin is None or not sys.stdin.isatty():  # None: started with stdin closed (`<&-`)
        raise NotInteractive
    if not eenvoudig:
        from meldcode.prompts.interactive import InteractivePrompter, can_run

        if can_run():
            return InteractivePrompter()
    from meldcode.prompts.plain import PlainPrompter

    return PlainPrompter(input=sys.stdin, output=sys.stdout)


def _walk(
    prompter: DialogPrompter,
    flow: Flow,
    recorder: Recorder,
    state: State,
    prefill: dict[str, Waarde],
) -> int:
    """Walk until an outcome, a wait, a pause or Ctrl-C; the exit code."""
    from meldcode.errors import Beeindigd, NotInteractive, WalkNotFinished
    from meldcode.walk import loop

    casus_id = recorder.casus.id
    prompter.hervat_opdracht = f"meldcode hervat {casus_id}"
    verder = f"Verder met: {prompter.hervat_opdracht}"
    try:
        with stops_on_signals():
            state = loop.run(flow, state, prompter, recorder, prefill)
    except loop.Paused:
        melding(f"Gepauzeerd; alles is bewaard. {verder}")
        return 0
    except Beeindigd as e:
        # SIGHUP: the terminal may be gone; the message is for the terminal that is left.
        with contextlib.suppress(OSError):
            if prompter.eenvoudig:  # the prompt line ("Kies een nummer: ") is still open
                err("")
            melding(f"Beëindigd ({SIGNAALNAMEN.get(e.signum, e.signum)}). {BEWAARD} {verder}")
        return e.exit_code
    except KeyboardInterrupt:
        melding(f"Onderbroken. {BEWAARD} {verder}")
        return 130
    except NotInteractive as e:
        melding(f"{e} {BEWAARD} {verder}")
        return e.exit_code
    except WalkNotFinished as e:
        melding(f"{niet_bewaard(e)} {verder}")
        return e.exit_code
    finally:
        recorder.close()
    _einde(flow, recorder, state, verder, eenvoudig=prompter.eenvoudig)
    return 0


# What a stop kept: every confirmed answer (an afweging stopped at its onderbouwing too).
BEWAARD = "Alle antwoorden tot nu toe zijn bewaard."
SIGNAALNAMEN = {1: "de terminal is gesloten", 15: "SIGTERM: afgesloten van buitenaf"}


@contextlib.contextmanager
def stops_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP end the walk as Ctrl-C does (Beeindigd), not silently mid-question.

    In a questionary prompt the stop goes through prompt_toolkit, so the terminal is restored.
    """
    import signal

    from meldcode.errors import Beeindigd

    def stop(signum: int, _frame: object) -> None:
        app = _running_prompt()
        if app is not None:
            app.loop.call_soon_threadsafe(lambda: app.exit(exception=Beeindigd(signum)))
            return
        raise Beeindigd(signum)

    signalen = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    vorige = {s: signal.signal(s, stop) for s in signalen}
    try:
        yield
    finally:
        for s, handler in vorige.items():
            signal.signal(s, handler)


def _running_prompt() -> Any:
    """The prompt_toolkit application waiting for a key, if one is."""
    if "prompt_toolkit" not in sys.modules:
        return None
    from prompt_toolkit.application.current import get_app_or_none

    app = get_app_or_none()
    if app is None or not app.is_running or app.loop is None or app.future is None:
        return None
    return None if app.future.done() else app


def melding(text: str) -> None:
    """A message at the end of a walk; on a terminal broken at word boundaries, not mid-word."""
    if sys.stderr is not None and sys.stderr.isatty():
        import shutil
        import textwrap

        breedte = shutil.get_terminal_size((80, 24)).columns - 1
        text = textwrap.fill(text, max(breedte, 20), break_long_words=False)
    err(text)


def niet_bewaard(e: WalkNotFinished) -> str:
    """A write that failed mid-walk, for a person at the terminal: what is and is not saved."""
    return (
        f"{e.oorzaak} Het antwoord dat u net gaf, is daardoor niet bewaard; de eerdere antwoorden "
        f"van casus {e.casus_id} wel. Los eerst het probleem op en ga dan verder waar u was."
    )


def _console(*, eenvoudig: bool) -> Console:
    """The console for the recap and the summary; plain text (no escape codes) for screen
    readers with `--eenvoudig`, also in a terminal that could draw bold."""
    from rich.console import Console

    return Console(highlight=False, color_system=None if eenvoudig else "auto")


def _einde(flow: Flow, recorder: Recorder, state: State, verder: str, *, eenvoudig: bool) -> None:
    """The summary, and what happens next with this case."""
    from meldcode import engine, render
    from meldcode.text.phrases import datum_nl

    casus = recorder.casus
    render.samenvatting(
        _console(eenvoudig=eenvoudig),
        flow,
        casus,
        state,
        recorder.store.events(casus.id),
        eenvoudig=eenvoudig,
    )
    w = engine.walk(flow, state)
    datum = state.waarde("evaluatiedatum")
    if casus.status == "wacht-op-evaluatie" and isinstance(datum, str):
        melding(f"De casus wacht op de evaluatie van afweging 5 op {datum_nl(datum)}. {verder}")
    elif w.wacht is not None or w.uitkomst is None:
        melding(f"De casus blijft open. {verder}")
