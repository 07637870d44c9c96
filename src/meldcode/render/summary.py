"""rich at the edge: the summary and recap of a walk, the outcome block, the sector table."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.markup import escape

from meldcode import engine
from meldcode.contract import Status
from meldcode.dossier.value import afsluit_toelichting
from meldcode.model import STAPPEN, Antwoord, AnyVraag, Flow, Sector, State, Uitkomst, Wacht
from meldcode.store import Casus, Event
from meldcode.text.control_chars import zonder_stuurtekens
from meldcode.text.formatting import tijd_nl
from meldcode.text.phrases import (
    NOG_VAST_TE_LEGGEN,
    NOG_VAST_TE_LEGGEN_UITLEG,
    datum_nl,
    kort,
    meldnorm_tekst,
    reden_tekst,
    uitkomst_naam,
    waarde_tekst,
)

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


def _e(text: str) -> str:
    """Text for rich markup: its own brackets escaped, control characters left out (stored
    answers and labels may hold them; see text/control_chars.py)."""
    return escape(zonder_stuurtekens(text))


def sectoren(items: Sequence[Sector], *, as_json: bool) -> None:
    """Print each sector as a block (no truncated columns), or JSON for scripts."""
    if as_json:
        data = [s.model_dump(mode="json") for s in items]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for s in items:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row("beroepen", ", ".join(s.beroepen))
        grid.add_row("wetten", "; ".join(s.wetten))
        grid.add_row("afwegingen", s.afwegingen)
        grid.add_row("routes", ", ".join(s.routes))
        console.print(f"[bold]{_e(s.id)}[/bold] — {_e(s.naam)}")
        console.print(grid)
        console.print()
    console.print("Start met: meldcode start --sector ID (of zonder --sector: kies uw beroep).")


# --- the summary of a case (start, hervat, toon) ---------------------------------------------


def samenvatting(
    console: Console,
    flow: Flow,
    casus: Casus,
    state: State,
    events: Sequence[Event],
    *,
    eenvoudig: bool = False,
) -> None:
    """Print the case: sector, steps with answers, afwegingen, outcome, what to do next, id.

    `eenvoudig` prints lines only (no rules, tables or boxes), for screen readers.
    """
    from rich.rule import Rule

    w = engine.walk(flow, state)
    oefen = " [bold magenta](OEFENING)[/]" if casus.oefening else ""
    titel = f"Samenvatting casus {casus.id}{oefen}"
    console.print(titel if eenvoudig else Rule(titel))
    console.print(f"Sector: {_e(flow.sector.naam)} ({casus.sector})")
    if casus.label:
        console.print(f"Eigen kenmerk: {_e(casus.label)}")
    console.print(f"Status: {casus.status} · flowversie {casus.flow_versie}")
    _stappen(console, flow, w.pad)
    _afwegingen(console, [(v, a) for v, a in w.pad if v.id.startswith("afweging-")], eenvoudig)
    _notities(console, events)
    if ontbreekt := engine.nog_vast_te_leggen(flow, state):
        punten = _punten([_e(" ".join(v.tekst.split())) for v in ontbreekt])
        _blok(
            console, NOG_VAST_TE_LEGGEN, _e(NOG_VAST_TE_LEGGEN_UITLEG), punten, eenvoudig=eenvoudig
        )
    toelichting = afsluit_toelichting(events, w.uitkomst)
    _uitkomst(console, flow, w.uitkomst, w.wacht, state, toelichting, eenvoudig=eenvoudig)
    console.print(f"\nCasus-id: [bold]{casus.id}[/] (bewaar dit id; het zegt niets over de cliënt)")


def _stappen(console: Console, flow: Flow, pad: Sequence[tuple[AnyVraag, Antwoord]]) -> None:
    """The answers on the path per step, the afwegingen left out (they have their own block)."""
    for stap in STAPPEN:
        regels = [
            (v, a)
            for v, a in pad
            if v.stap == stap and not v.id.startswith("afweging-") and a.waarde is not None
        ]
        if not regels:
            continue
        console.print(f"\n[bold]{stap.replace('stap-', 'Stap ')}: {_e(flow.stap_namen[stap])}[/]")
        for v, a in regels:
            _punt(console, _e(kort(v.tekst)))
            _ingesprongen(console, _e(waarde_tekst(v, a.waarde)), 4)


def _afwegingen(
    console: Console, afwegingen: Sequence[tuple[AnyVraag, Antwoord]], eenvoudig: bool
) -> None:
    """The afwegingen with answer and onderbouwing: a table, or for screen readers lines."""
    from rich.table import Table

    if afwegingen and eenvoudig:
        console.print("\n[bold]Afwegingen[/]")
        for v, a in afwegingen:
            onderbouwing = f" (onderbouwing: {a.toelichting})" if a.toelichting else ""
            _punt(
                console,
                f"{_e(v.tekst.split(':')[0])}: {_e(waarde_tekst(v, a.waarde) + onderbouwing)}",
            )
    elif afwegingen:
        console.print()
        table = Table(title="Afwegingen", show_lines=True, title_justify="left")
        for kolom in ("afweging", "antwoord", "onderbouwing"):
            table.add_column(kolom)
        for v, a in afwegingen:
            table.add_row(
                _e(v.tekst.split(":")[0]),
                _e(waarde_tekst(v, a.waarde)),
                _e(a.toelichting or "–"),
            )
        console.print(table)


def _punten(markup: Sequence[str]) -> RenderableType:
    """Bullets whose wrapped lines stay under their text (a hanging indent)."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for punt in markup:
        grid.add_row("•", punt)
    return grid


def _punt(console: Console, markup: str, inspring: int = 2) -> None:
    """One bullet, indented, with a hanging indent."""
    _ingesprongen(console, _punten([markup]), inspring)


def _ingesprongen(console: Console, inhoud: str | RenderableType, inspring: int) -> None:
    """`inhoud` (markup or a renderable) indented by `inspring` columns, every line of it."""
    from rich.padding import Padding
    from rich.text import Text

    tekst = Text.from_markup(inhoud) if isinstance(inhoud, str) else inhoud
    console.print(Padding(tekst, (0, 0, 0, inspring)))


def _notities(console: Console, events: Sequence[Event]) -> None:
    """Consultations of Veilig Thuis and changed answers, from the log."""
    advies = [e for e in events if e.soort == "advies-veilig-thuis"]
    for e in advies:
        console.print(f"\nAdvies Veilig Thuis ({tijd_nl(e.tijd)}): {_e(e.toelichting or '')}")
    wijzigingen = sum(1 for e in events if e.soort == "wijziging")
    if wijzigingen:
        console.print(
            f"\nGewijzigde antwoorden: {wijzigingen} (oude antwoorden staan in het logboek)"
        )


def _blok(
    console: Console,
    titel: str,
    tekst: str,
    punten: RenderableType | None = None,
    *,
    eenvoudig: bool,
) -> None:
    """A titled block of text and bullets: a box, or for screen readers a heading and lines."""
    from rich.console import Group
    from rich.text import Text

    inhoud = Group(Text.from_markup(tekst), *([punten] if punten is not None else []))
    if eenvoudig:
        console.print(f"\n[bold]{titel}[/]")
        console.print(inhoud)
        return
    from rich.panel import Panel

    console.print(Panel(inhoud, title=titel, title_align="left"))


def _uitkomst(
    console: Console,
    flow: Flow,
    u: Uitkomst | None,
    wacht: Wacht | None,
    state: State,
    toelichting: str | None,
    *,
    eenvoudig: bool,
) -> None:
    if wacht is not None:
        _blok(console, "De casus wacht", _e(wacht.tekst), eenvoudig=eenvoudig)
        return
    if u is None:
        console.print("\nNog geen uitkomst: ga verder met 'meldcode hervat'.")
        return
    datum = state.waarde("evaluatiedatum")
    uitkomst_blok(
        console,
        flow,
        u,
        evaluatiedatum=datum if isinstance(datum, str) else None,
        toelichting=toelichting,
        eenvoudig=eenvoudig,
    )


def uitkomst_blok(
    console: Console,
    flow: Flow,
    u: Uitkomst,
    *,
    evaluatiedatum: str | None = None,
    eenvoudig: bool,
    toelichting: str | None = None,
) -> None:
    """The outcome and its advice (what to do next, the punten), as the summary shows it; the
    walk shows the same block the moment the outcome is reached. `toelichting`: what the
    professional wrote when closing the case early."""
    redenen = {o.id: o.label for o in flow.afsluitredenen}
    regels = [f"[bold]{_e(uitkomst_naam(u))}[/]"]
    if reden := reden_tekst(u, redenen):
        regels.append(f"Reden: {_e(reden)}")
    if toelichting:
        regels.append(f"Toelichting: {_e(toelichting)}")
    if norm := meldnorm_tekst(u.meldnorm):
        regels.append(_e(norm[0].upper() + norm[1:]))
    if Status(u.status) is Status.WACHT and evaluatiedatum is not None:
        regels.append(f"Evaluatiedatum: {datum_nl(evaluatiedatum)}")
    regels += ["", "[bold]Wat nu:[/]", _e(u.tekst)]
    punten = None
    if u.punten:
        regels.append("")
        punten = _punten([_e(p) for p in u.punten])
    _blok(console, "Uitkomst", "\n".join(regels), punten, eenvoudig=eenvoudig)


def recap(console: Console, flow: Flow, casus: Casus, state: State) -> None:
    """A short recap before a resumed case goes on: where it stands and the last answer."""
    w = engine.walk(flow, state)
    oefen = " (OEFENING)" if casus.oefening else ""
    console.print(f"[bold]Casus {casus.id}{oefen}[/] · {_e(flow.sector.naam)} · {casus.status}")
    console.print(f"{len(w.pad)} vragen beantwoord, laatst bijgewerkt {tijd_nl(casus.bijgewerkt)}.")
    if w.pad:
        v, a = w.pad[-1]
        console.print(
            f"Laatste antwoord: {_e(kort(v.tekst))} → {_e(kort(waarde_tekst(v, a.waarde), 40))}"
        )
    # A case in follow-up shows its whole outcome block as the walk goes on: not twice.
    if w.uitkomst is not None and casus.status != Status.VERVOLG:
        console.print(f"Uitkomst tot nu toe: {_e(uitkomst_naam(w.uitkomst))}")
