"""`meldcode lijst`: the cases, newest first; what is due (`--te-doen`, `--agenda`)."""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from meldcode.commands.lookup import open_store
from meldcode.commands.options import Json, Oefening, Overschrijf
from meldcode.commands.output import echo_json, err, stream_json, write_or_print
from meldcode.contract import Status

if TYPE_CHECKING:
    from meldcode.store import Casus

MAX_AANTAL = 1_000_000  # `lijst --aantal`: beyond any store, and well within SQLite's LIMIT


StatusOptie = Annotated[
    Status | None,
    typer.Option(
        "--status",
        metavar="STATUS",  # the choices in the help: in the type column they crowd out the rest
        help="Alleen casussen met deze status: open, wacht-op-evaluatie, vervolg of afgerond.",
    ),
]
SectorOptie = Annotated[
    str | None, typer.Option("--sector", help="Alleen casussen van deze sector.")
]
EvaluatieVerlopen = Annotated[
    bool,
    typer.Option(
        "--evaluatie-verlopen",
        help="Alleen casussen die aan de beurt zijn: een evaluatie (afweging 5) op of na "
        "haar datum, of een melding in vervolg 5 werkdagen na de melding (terugkoppeling "
        "van Veilig Thuis).",
    ),
]
Aantal = Annotated[
    int,
    typer.Option(
        "--aantal",
        min=0,
        max=MAX_AANTAL,
        help=f"Hoeveel casussen, nieuwste eerst (0 = alle; hoogstens {MAX_AANTAL}).",
    ),
]
TeDoen = Annotated[
    bool,
    typer.Option(
        "--te-doen",
        help="Toon wat aan de beurt is: een terugkoppeling van Veilig Thuis die 5 werkdagen "
        "na de melding uitblijft, een evaluatie op of na haar datum, een open casus die 14 "
        "dagen niet is bijgewerkt.",
    ),
]
Agenda = Annotated[
    Path | None,
    typer.Option(
        "--agenda",
        metavar="BESTAND.ics",
        help="Schrijf elke vervolgdatum (terugkoppeling, evaluatie; komend en verlopen) als "
        "agenda (iCalendar): alleen casus-id en wat er moet gebeuren.",
    ),
]


def lijst(
    status: StatusOptie = None,
    sector: SectorOptie = None,
    evaluatie_verlopen: EvaluatieVerlopen = False,
    aantal: Aantal = 50,
    te_doen: TeDoen = False,
    agenda: Agenda = None,
    overschrijf: Overschrijf = False,
    oefening: Oefening = False,
    json_uitvoer: Json = False,
) -> None:
    """Toon de casussen, nieuwste eerst, met de evaluaties die aan de beurt zijn."""
    if te_doen or agenda is not None:
        if status or sector or evaluatie_verlopen:
            err(
                "--te-doen en --agenda gaan over alle casussen; ze gaan niet samen met "
                "--status, --sector of --evaluatie-verlopen. Zie 'meldcode lijst --help'."
            )
            raise typer.Exit(2)
        _te_doen(agenda, overschrijf=overschrijf, oefening=oefening, json_uitvoer=json_uitvoer)
        return
    import datetime as dt

    if sector:
        from meldcode.errors import UnknownSector
        from meldcode.flows import flowset

        bekend = flowset().sector_ids()
        if sector not in bekend:
            raise UnknownSector(sector=sector, bekend=bekend)
    vandaag = dt.date.today().isoformat()
    filters = _filters(status, sector, vandaag if evaluatie_verlopen else None)
    store = open_store(oefening=oefening, lezen=True)
    # One more than asked tells whether there are more, without counting them all; the
    # rows stream (a store of 100,000 cases is never in memory at once).
    casussen = store.iter_casussen(**filters, limit=aantal + 1 if aantal else None)
    if json_uitvoer:
        stream_json(_casus_json(c, vandaag) for c in islice(casussen, aantal or None))
        return
    from rich.console import Console

    from meldcode.render import views

    views.lijst(Console(), casussen, aantal=aantal, vandaag=vandaag, oefening=oefening)


def _filters(status: Status | None, sector: str | None, verlopen_op: str | None) -> dict[str, Any]:
    """What `iter_casussen` filters on; `verlopen_op`: today, with --evaluatie-verlopen."""
    import datetime as dt

    from meldcode.deadlines import TERUGKOPPELING_WERKDAGEN, werkdagen_terug

    vervolg_voor = None
    if verlopen_op is not None:
        vervolg_voor = werkdagen_terug(dt.date.fromisoformat(verlopen_op), TERUGKOPPELING_WERKDAGEN)
    return {
        "status": status.value if status else None,
        "sector": sector,
        "evaluatie_voor": verlopen_op,
        "vervolg_voor": vervolg_voor,
    }


def _te_doen(agenda: Path | None, *, overschrijf: bool, oefening: bool, json_uitvoer: bool) -> None:
    """`lijst --te-doen` (what is due, one view) or `lijst --agenda` (every follow-up date)."""
    import datetime as dt

    from meldcode.render import agenda as vervolg

    store = open_store(oefening=oefening, lezen=True)
    if agenda is not None:
        items = sorted(vervolg.vervolgdata(store), key=lambda t: (t.datum, t.casus_id))
        tekst = vervolg.ical(items, nu=dt.datetime.now(dt.UTC), oefening=oefening)
        if write_or_print(tekst, agenda, overschrijf=overschrijf, optie="--agenda"):
            err(
                f"{len(items)} vervolgdatum(s) geschreven naar {agenda} (alleen leesbaar voor "
                "u): alleen casus-id's en wat er moet gebeuren, geen kenmerken of casusinhoud."
            )
        return
    items = vervolg.te_doen(store, dt.date.today())
    if json_uitvoer:
        echo_json([{"id": t.casus_id, "wat": t.soort, "datum": t.datum} for t in items])
        return
    from rich.console import Console

    from meldcode.render import views

    views.te_doen(Console(), items, oefening=oefening)


def _casus_json(c: Casus, vandaag: str) -> dict[str, object]:
    uitkomst = c.besluit.as_json() if c.besluit and c.uitkomst_id else None
    verlopen = c.status == Status.WACHT and (c.evaluatiedatum or "9999") <= vandaag
    return {
        "id": c.id,
        "sector": c.sector,
        "status": c.status,
        "label": c.label,
        "oefening": c.oefening,
        "aangemaakt": c.aangemaakt,
        "bijgewerkt": c.bijgewerkt,
        "uitkomst": uitkomst,
        "evaluatiedatum": c.evaluatiedatum,
        "evaluatie_verlopen": verlopen,
    }
