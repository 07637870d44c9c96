"""Deleting cases: one (`verwijder`) or all past a retention term (`opschonen`)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from meldcode.commands.lookup import find_casus, open_store
from meldcode.commands.options import CasusId, Oefening
from meldcode.commands.output import err

Ja = Annotated[bool, typer.Option("--ja", help="Niet om bevestiging vragen (voor scripts).")]


def verwijder(casus_id: CasusId, ja: Ja = False, oefening: Oefening = False) -> None:
    """Verwijder een casus onherroepelijk, met elke gebeurtenis uit het logboek."""
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
    with store:
        store.lock(casus.id)
        probleem = store.delete(casus.id)
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
    import datetime as dt

    from meldcode.store import maintenance
    from meldcode.text.formatting import datum_nl

    voor = maintenance.cutoff(ouder_dan, dt.date.today())
    store = open_store(oefening=oefening)
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
    with store:
        try:
            maintenance.purge(store, [c for c, _ in oud], gedaan)
        except BaseException:
            if gedaan.verwijderd:  # the message of the error follows: say what did happen
                err(
                    f"Voordat de fout optrad, zijn {len(gedaan.verwijderd)} van de {len(oud)} "
                    "casus(sen) al onherroepelijk verwijderd; de rest staat er nog."
                )
            raise
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
