"""Case management: lijst, toon, exporteer, verwijder, opschonen, verifieer, statistiek, …"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from meldcode.commands.base import Overschrijf, Uitvoer, app, err, error_boundary, write_or_print
from meldcode.export.interface import ExportFormat

if TYPE_CHECKING:
    from meldcode.store import CaseStore as Store
    from meldcode.store import Casus, integrity


class Status(StrEnum):
    """Case statuses `lijst --status` filters on."""

    OPEN = "open"
    WACHT = "wacht-op-evaluatie"
    VERVOLG = "vervolg"
    AFGEROND = "afgerond"


CasusId = Annotated[
    str, typer.Argument(metavar="ID", help="Het id van de casus, bijv. mc-k7q3-x9p2.")
]
Oefening = Annotated[
    bool,
    typer.Option("--oefening", help="Gebruik de oefenopslag (OEFENING) in plaats van de echte."),
]
Json = Annotated[bool, typer.Option("--json", help="Uitvoer als JSON, voor scripts.")]
MAX_AANTAL = 1_000_000  # `lijst --aantal`: beyond any store, and well within SQLite's LIMIT


def _store(*, oefening: bool, lezen: bool = False) -> Store:
    """The store; `lezen`: for a command that only reads (see open_store)."""
    from meldcode.commands.home import open_store

    return open_store(oefening=oefening, lezen=lezen)


def find_casus(
    casus_id: str, *, oefening: bool = False, lezen: bool = False
) -> tuple[Store, Casus]:
    """The store holding the case: the real one, else the practice store if it exists."""
    from meldcode.commands.home import data_dir
    from meldcode.errors import CasusNotFound

    store = _store(oefening=oefening, lezen=lezen)
    try:
        return store, store.get(casus_id)
    except CasusNotFound:
        store.close()
        if oefening or not (data_dir() / "oefen.db").exists():
            raise
    store = _store(oefening=True, lezen=lezen)
    return store, store.get(casus_id)


def _echo_json(data: object) -> None:
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command(rich_help_panel="Casussen beheren")
def lijst(
    status: Annotated[
        Status | None, typer.Option("--status", help="Alleen casussen met deze status.")
    ] = None,
    sector: Annotated[
        str | None, typer.Option("--sector", help="Alleen casussen van deze sector.")
    ] = None,
    evaluatie_verlopen: Annotated[
        bool,
        typer.Option(
            "--evaluatie-verlopen",
            help="Alleen casussen die aan de beurt zijn: een evaluatie (afweging 5) op of na "
            "haar datum, of een melding in vervolg 5 werkdagen na de melding (terugkoppeling "
            "van Veilig Thuis).",
        ),
    ] = False,
    aantal: Annotated[
        int,
        typer.Option(
            "--aantal",
            min=0,
            max=MAX_AANTAL,
            help="Hoeveel casussen, nieuwste eerst (0 = alle).",
        ),
    ] = 50,
    te_doen: Annotated[
        bool,
        typer.Option(
            "--te-doen",
            help="Toon wat aan de beurt is: een terugkoppeling van Veilig Thuis die 5 werkdagen "
            "na de melding uitblijft, een evaluatie op of na haar datum, een open casus die 14 "
            "dagen niet is bijgewerkt.",
        ),
    ] = False,
    agenda: Annotated[
        Path | None,
        typer.Option(
            "--agenda",
            metavar="BESTAND.ics",
            help="Schrijf elke vervolgdatum (terugkoppeling, evaluatie; komend en verlopen) als "
            "agenda (iCalendar): alleen casus-id en wat er moet gebeuren.",
        ),
    ] = None,
    overschrijf: Overschrijf = False,
    oefening: Oefening = False,
    json_uitvoer: Json = False,
) -> None:
    """Toon de casussen, nieuwste eerst, met de evaluaties die aan de beurt zijn."""
    with error_boundary():
        import datetime as dt

        if te_doen or agenda is not None:
            if status or sector or evaluatie_verlopen:
                err(
                    "--te-doen en --agenda gaan over alle casussen; ze gaan niet samen met "
                    "--status, --sector of --evaluatie-verlopen. Zie 'meldcode lijst --help'."
                )
                raise typer.Exit(2)
            _te_doen(agenda, overschrijf=overschrijf, oefening=oefening, json_uitvoer=json_uitvoer)
            return

        if sector:
            from meldcode.errors import UnknownSector
            from meldcode.loading import flowset

            bekend = flowset().sector_ids()
            if sector not in bekend:
                raise UnknownSector(sector=sector, bekend=bekend)
        from meldcode.engine.deadlines import TERUGKOPPELING_WERKDAGEN, werkdagen_terug

        vandaag = dt.date.today().isoformat()
        filters = {
            "status": status.value if status else None,
            "sector": sector,
            "evaluatie_voor": vandaag if evaluatie_verlopen else None,
            "vervolg_voor": werkdagen_terug(dt.date.today(), TERUGKOPPELING_WERKDAGEN)
            if evaluatie_verlopen
            else None,
        }
        store = _store(oefening=oefening, lezen=True)
        # One more than asked tells whether there are more, without counting them all; the
        # rows stream (a store of 100,000 cases is never in memory at once).
        casussen = store.iter_casussen(**filters, limit=aantal + 1 if aantal else None)
        if json_uitvoer:
            _stream_json(_casus_json(c, vandaag) for c in islice(casussen, aantal or None))
            return
        from rich.console import Console

        from meldcode.render import views

        views.lijst(Console(), casussen, aantal=aantal, vandaag=vandaag, oefening=oefening)


def _te_doen(agenda: Path | None, *, overschrijf: bool, oefening: bool, json_uitvoer: bool) -> None:
    """`lijst --te-doen` (what is due, one view) or `lijst --agenda` (every follow-up date)."""
    import datetime as dt

    from meldcode.render import agenda as vervolg

    store = _store(oefening=oefening, lezen=True)
    if agenda is not None:
        items = sorted(vervolg.vervolgdata(store), key=lambda t: (t.datum, t.casus_id))
        tekst = vervolg.ical(items, nu=dt.datetime.now(dt.UTC), oefening=oefening)
        if write_or_print(tekst, agenda, overschrijf=overschrijf):
            err(
                f"{len(items)} vervolgdatum(s) geschreven naar {agenda} (alleen leesbaar voor "
                "u): alleen casus-id's en wat er moet gebeuren, geen kenmerken of casusinhoud."
            )
        return
    items = vervolg.te_doen(store, dt.date.today())
    if json_uitvoer:
        _echo_json([{"id": t.casus_id, "wat": t.soort, "datum": t.datum} for t in items])
        return
    from rich.console import Console

    from meldcode.render import views

    views.te_doen(Console(), items, oefening=oefening)


def _stream_json(items: Iterator[dict[str, object]]) -> None:
    """A JSON array written item by item, one case per line (the C encoder: 100,000 cases in
    well under a second, and memory stays one case)."""
    import json

    encode = json.JSONEncoder(ensure_ascii=False).encode
    out = sys.stdout
    eerste = True
    for item in items:
        out.write(("[\n  " if eerste else ",\n  ") + encode(item))
        eerste = False
    out.write("[]\n" if eerste else "\n]\n")


def _casus_json(c: Casus, vandaag: str) -> dict[str, object]:
    uitkomst = None
    if c.uitkomst_id:
        uitkomst = {"id": c.uitkomst_id, "reden": c.uitkomst_reden, "meldnorm": c.meldnorm}
    verlopen = c.status == "wacht-op-evaluatie" and (c.evaluatiedatum or "9999") <= vandaag
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


@app.command(rich_help_panel="Casussen beheren")
def toon(
    casus_id: CasusId,
    log: Annotated[
        bool, typer.Option("--log", help="Toon elke gebeurtenis, ook vervangen antwoorden.")
    ] = False,
    oefening: Oefening = False,
) -> None:
    """Toon één casus: gegevens, uitkomst en de antwoorden per stap."""
    with error_boundary():
        from rich.console import Console

        from meldcode.dossier import build as dossier
        from meldcode.render import views

        store, casus = find_casus(casus_id, oefening=oefening, lezen=True)
        views.toon(Console(), dossier.build(store, casus.id), log=log)


@app.command(rich_help_panel="Casussen beheren")
def exporteer(
    casus_id: CasusId,
    formaat: Annotated[
        ExportFormat, typer.Option("--formaat", "-f", help="Het formaat van de export.")
    ] = ExportFormat.JSON,
    uitvoer: Uitvoer = None,
    zonder_label: Annotated[
        bool, typer.Option("--zonder-label", help="Laat het eigen kenmerk (label) weg.")
    ] = False,
    overschrijf: Overschrijf = False,
    oefening: Oefening = False,
) -> None:
    """Exporteer een casus voor het cliëntdossier (json, markdown, csv of html)."""
    with error_boundary():
        from meldcode.dossier import build as dossier
        from meldcode.export import EXPORTERS

        store, casus = find_casus(casus_id, oefening=oefening, lezen=True)
        d = dossier.build(store, casus.id, zonder_label=zonder_label)
        if d.keten_fout is not None:
            err(
                f"Let op: de hashketen van casus {casus.id} klopt niet ({d.keten_fout}). De "
                f"export is gemaakt, maar is niet te vertrouwen; zie 'meldcode verifieer "
                f"{casus.id}'."
            )
        text = EXPORTERS[formaat](d)
        if not write_or_print(text, uitvoer, overschrijf=overschrijf):
            return
        err(
            f"Export geschreven naar {uitvoer} (alleen leesbaar voor u). Het bestand hoort in "
            "het cliëntdossier; verwijder losse kopieën als het daar staat."
        )


@app.command(rich_help_panel="Casussen beheren")
def verwijder(
    casus_id: CasusId,
    ja: Annotated[
        bool, typer.Option("--ja", help="Niet om bevestiging vragen (voor scripts).")
    ] = False,
    oefening: Oefening = False,
) -> None:
    """Verwijder een casus onherroepelijk, met elke gebeurtenis uit het logboek."""
    with error_boundary():
        from meldcode.text.formatting import datum_nl

        store, casus = find_casus(casus_id, oefening=oefening)
        if not ja:
            err(
                f"Casus {casus.id} (aangemaakt {datum_nl(casus.aangemaakt)}) en al haar "
                "gebeurtenissen worden onherroepelijk verwijderd. Typ 'ja' om door te gaan:"
            )
            # No stdin at all (`<&-`) is input that closed before 'ja': the same answer.
            antwoord = sys.stdin.readline() if sys.stdin is not None else ""
            if not antwoord:
                from meldcode.errors import NoConfirmation

                raise NoConfirmation
            if antwoord.strip().lower() not in ("j", "ja"):
                err("Niets verwijderd.")
                return
        try:
            store.lock(casus.id)
            probleem = store.delete(casus.id)
        finally:
            store.close()
        if probleem is not None:
            typer.echo(f"Casus {casus.id} is onherroepelijk uit de opslag verwijderd.")
            _niet_opgeschoond(probleem)
            return
        typer.echo(
            f"Casus {casus.id} is onherroepelijk verwijderd; het databasebestand is opgeschoond "
            "(VACUUM), zodat de gegevens er ook niet meer in staan."
        )


def _niet_opgeschoond(probleem: str) -> None:
    """Say what is still true after a delete whose compaction did not finish (exit stays 0)."""
    if probleem == "lezer":
        err(
            "Let op: een ander meldcode-proces (of een ander programma) leest de opslag nog. Tot "
            "dat stopt, kan het de verwijderde gegevens nog zien en staan oude versies ervan nog "
            "in het bestand ernaast (meldcode.db-wal). Sluit dat proces; zodra het laatste proces "
            "de opslag sluit, of bij de volgende verwijdering, verdwijnen ze."
        )
        return
    err(
        "Let op: de verwijdering is gelukt, maar het databasebestand kon niet worden "
        "opgeschoond (VACUUM), bijvoorbeeld door te weinig vrije schijfruimte. Maak ruimte vrij; "
        "bij de volgende verwijdering schoont meldcode het bestand alsnog op."
    )


@app.command(rich_help_panel="Casussen beheren")
def opschonen(
    ouder_dan: Annotated[
        str,
        typer.Option(
            "--ouder-dan",
            metavar="DUUR",
            help="Bewaartermijn sinds de laatste wijziging, bijv. 20j, 15j of 6m.",
        ),
    ],
    uitvoeren: Annotated[
        bool, typer.Option("--uitvoeren", help="Verwijder echt (zonder: alleen tonen).")
    ] = False,
    oefening: Oefening = False,
) -> None:
    """Pas een bewaartermijn toe: toon (of verwijder) casussen waarvan de termijn voorbij is."""
    with error_boundary():
        import datetime as dt

        from meldcode.store import maintenance
        from meldcode.text.formatting import datum_nl

        voor = maintenance.cutoff(ouder_dan, dt.date.today())
        store = _store(oefening=oefening)
        oud = maintenance.expired(store, voor)
        for casus_id, datum in oud:
            typer.echo(f"{casus_id}  {datum_nl(datum)}")
        if not uitvoeren:
            err(
                f"Proefdraai: {len(oud)} casus(sen) laatst gewijzigd vóór "
                f"{datum_nl(str(voor))}. Niets verwijderd; geef --uitvoeren om ze te verwijderen."
            )
            return
        gedaan = maintenance.Opschoning()
        try:
            maintenance.purge(store, [c for c, _ in oud], gedaan)
        except BaseException:
            if gedaan.verwijderd:  # the message of the error follows: say what did happen
                err(
                    f"Voordat de fout optrad, zijn {len(gedaan.verwijderd)} van de {len(oud)} "
                    "casus(sen) al onherroepelijk verwijderd; de rest staat er nog."
                )
            raise
        finally:
            store.close()
        for casus_id in gedaan.overgeslagen:
            err(f"Casus {casus_id} is geopend in een ander meldcode-proces en is overgeslagen.")
        err(
            f"{len(gedaan.verwijderd)} casus(sen) laatst gewijzigd vóór "
            f"{datum_nl(str(voor))} zijn onherroepelijk verwijderd."
        )
        if gedaan.niet_opgeschoond is not None:
            _niet_opgeschoond(gedaan.niet_opgeschoond)
        if gedaan.overgeslagen:
            from meldcode.errors import StoreLocked

            err("Sluit die casussen af en voer 'meldcode opschonen --uitvoeren' later opnieuw uit.")
            raise typer.Exit(StoreLocked.exit_code)


def _hash_optie(waarde: str | None) -> str | None:
    """A kept anchor or head: 64 hexadecimal characters (upper case allowed)."""
    if waarde is None:
        return None
    import re

    if re.fullmatch(r"[0-9a-fA-F]{64}", waarde.strip()) is None:
        msg = "verwacht 64 tekens 0-9 en a-f, zoals verifieer die toont"
        raise typer.BadParameter(msg)
    return waarde.strip().lower()


@app.command(rich_help_panel="Casussen beheren")
def verifieer(
    casus_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="Alleen deze casus (standaard: alle).")
    ] = None,
    anker: Annotated[
        str | None,
        typer.Option(
            "--anker",
            metavar="HASH",
            callback=_hash_optie,
            help="Een wortel die u eerder buiten meldcode bewaarde: moet in het register staan.",
        ),
    ] = None,
    kop: Annotated[
        str | None,
        typer.Option(
            "--kop",
            metavar="HASH",
            callback=_hash_optie,
            help="Met ID: een kop van die casus die u eerder bewaarde: moet in haar keten staan.",
        ),
    ] = None,
    oefening: Oefening = False,
    json_uitvoer: Json = False,
) -> None:
    """Controleer het opslagbestand, elke hashketen, elke casusrij tegen haar logboek, het
    register van alle casussen en (met --anker/--kop) wat u eerder bewaarde."""
    with error_boundary():
        import time

        from meldcode.errors import VerificatieMislukt
        from meldcode.store import integrity

        if kop is not None and casus_id is None:
            from meldcode.errors import KopZonderCasus

            raise KopZonderCasus
        store = (
            find_casus(casus_id, oefening=oefening, lezen=True)[0]
            if casus_id
            else _store(oefening=oefening, lezen=True)
        )
        begin = time.perf_counter()
        result = integrity.verify(store, casus_id, anker=anker, kop=kop)
        if json_uitvoer:
            _echo_json(_verificatie_json(result, casus_id, anker=anker, kop=kop))
        else:
            from rich.console import Console

            from meldcode.render import views

            views.verificatie(Console(), result, seconden=time.perf_counter() - begin)
        if result.breuken:
            raise VerificatieMislukt(aantal=len(result.breuken))


def _verificatie_json(
    result: integrity.Verificatie, casus_id: str | None, *, anker: str | None, kop: str | None
) -> dict[str, object]:
    intact = not result.breuken
    doc: dict[str, object] = {
        "intact": intact,
        "casussen": result.casussen,
        "gebeurtenissen": result.events,
        "breuken": [
            {"casus": b.casus_id, "volgnummer": b.volgnummer, "wat": b.wat}
            for b in result.breuken
        ],
        "andere_flow": result.andere_flow,
        "zonder_kop": result.zonder_kop,
        "wortel": None
        if any(b.casus_id == "register" for b in result.breuken)
        else {"volgnummer": result.wortel[0], "hash": result.wortel[1]},
        "anker": None if anker is None else not any(b.casus_id == "anker" for b in result.breuken),
    }
    if casus_id is not None:
        doc["kop"] = result.kop
        doc["kop_bewaard"] = None if kop is None else intact
    return doc


@app.command(rich_help_panel="Casussen beheren")
def statistiek(
    exact: Annotated[
        bool,
        typer.Option(
            "--exacte-aantallen",
            help="Toon ook aantallen onder 5 (standaard '<5'): alleen voor eigen gebruik, want "
            "kleine aantallen kunnen personen herkenbaar maken.",
        ),
    ] = False,
    json_uitvoer: Json = False,
) -> None:
    """Tellingen per sector, uitkomst, reden en maand: zonder labels, vrije tekst of ids;
    aantallen onder 5 als '<5'."""
    with error_boundary():
        from meldcode.store import stats

        cijfers = stats.statistiek(_store(oefening=False, lezen=True), exact=exact)
        if json_uitvoer:
            _echo_json(cijfers)
            return
        from rich.console import Console

        from meldcode.render import views

        views.statistiek(Console(), cijfers)


@app.command(rich_help_panel="Casussen beheren")
def herbereken(
    casus_id: CasusId,
    flows: Annotated[
        Path | None,
        typer.Option(
            "--flows",
            metavar="MAP",
            help="Map met andere flows (stappen/ en afwegingskader/); standaard de huidige.",
        ),
    ] = None,
    oefening: Oefening = False,
    json_uitvoer: Json = False,
) -> None:
    """Speel de antwoorden van een casus opnieuw af op (andere) flows; de casus blijft gelijk."""
    with error_boundary():
        from meldcode.loading import load_flow
        from meldcode.store import maintenance

        store, casus = find_casus(casus_id, oefening=oefening, lezen=True)
        huidig = load_flow(casus.sector)
        # Other flows are validated first, as `start` does with MELDCODE_FLOWS.
        ander = load_flow(casus.sector, flows) if flows else huidig
        h = maintenance.herbereken(casus, store.events(casus.id), huidig, ander)
        if json_uitvoer:
            # Question ids and verdicts only: the answers themselves stay in the store.
            _echo_json(
                {
                    "casus": casus.id,
                    "flow": {"hash": h.flow_hash, "versie": h.versie[1]},
                    "versie": dict(zip(("oud", "nieuw"), h.versie, strict=True)),
                    "status": dict(zip(("oud", "nieuw"), h.status, strict=True)),
                    "pad_gewijzigd": h.pad_gewijzigd,
                    "uitkomst_gewijzigd": h.uitkomst_gewijzigd,
                    "oud": dict(zip(("id", "reden", "meldnorm"), h.oud, strict=True)),
                    "nieuw": None
                    if h.nieuw is None
                    else {"id": h.nieuw.id, "reden": h.nieuw.reden, "meldnorm": h.nieuw.meldnorm},
                    "wacht": h.wacht.vraag_id if h.wacht else None,
                    "vragen": [{"vraag": v.vraag_id, "oordeel": v.oordeel} for v in h.vragen],
                }
            )
            return
        from rich.console import Console

        from meldcode.render import views

        views.herberekening(Console(), casus, h, huidig)
