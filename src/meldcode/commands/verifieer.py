"""`meldcode verifieer`: the store file, every hash chain, every case row and the register."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from meldcode.commands.lookup import find_casus, open_store
from meldcode.commands.options import Json, Oefening
from meldcode.commands.output import echo_json

if TYPE_CHECKING:
    from meldcode.store import integrity


def _hash_optie(waarde: str | None) -> str | None:
    """A kept anchor or head: 64 hexadecimal characters (upper case allowed)."""
    if waarde is None:
        return None
    import re

    if re.fullmatch(r"[0-9a-fA-F]{64}", waarde.strip()) is None:
        msg = "verwacht 64 tekens 0-9 en a-f, zoals verifieer die toont"
        raise typer.BadParameter(msg)
    return waarde.strip().lower()


def verifieer(
    casus_id: Annotated[
        str | None, typer.Argument(metavar="ID", help="Alleen deze casus (standaard: alle).")
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
    import time

    from meldcode.errors import VerificatieMislukt
    from meldcode.store import integrity

    if kop is not None and casus_id is None:
        from meldcode.errors import KopZonderCasus

        raise KopZonderCasus
    store = (
        find_casus(casus_id, oefening=oefening, lezen=True)[0]
        if casus_id
        else open_store(oefening=oefening, lezen=True)
    )
    begin = time.perf_counter()
    result = integrity.verify(store, casus_id, anker=anker, kop=kop)
    if json_uitvoer:
        echo_json(_verificatie_json(result, casus_id, anker=anker, kop=kop))
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
