"""Case management: toon, exporteer, statistiek, herbereken."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from meldcode.commands.lookup import find_casus, open_store
from meldcode.commands.options import CasusId, Json, Oefening, Overschrijf, Uitvoer
from meldcode.commands.output import echo_json, err, write_or_print
from meldcode.export.interface import ExportFormat

Log = Annotated[
    bool, typer.Option("--log", help="Toon elke gebeurtenis, ook vervangen antwoorden.")
]


def toon(casus_id: CasusId, log: Log = False, oefening: Oefening = False) -> None:
    """Toon één casus: gegevens, uitkomst en de antwoorden per stap."""
    from rich.console import Console

    from meldcode.dossier import build as dossier
    from meldcode.render import views

    store, casus = find_casus(casus_id, oefening=oefening, lezen=True)
    views.toon(Console(), dossier.build(store, casus.id), log=log)


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
    from meldcode.store import stats

    cijfers = stats.statistiek(open_store(oefening=False, lezen=True), exact=exact)
    if json_uitvoer:
        echo_json(cijfers)
        return
    from rich.console import Console

    from meldcode.render import views

    views.statistiek(Console(), cijfers)


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
    from meldcode.contract import Besluit
    from meldcode.flows import load_flow
    from meldcode.store import maintenance

    store, casus = find_casus(casus_id, oefening=oefening, lezen=True)
    huidig = load_flow(casus.sector)
    # Other flows are validated first, as `start` does with MELDCODE_FLOWS.
    ander = load_flow(casus.sector, flows) if flows else huidig
    h = maintenance.herbereken(casus, store.events(casus.id), huidig, ander)
    if json_uitvoer:
        # Question ids and verdicts only: the answers themselves stay in the store.
        echo_json(
            {
                "casus": casus.id,
                "flow": {"hash": h.flow_hash, "versie": h.versie[1]},
                "versie": dict(zip(("oud", "nieuw"), h.versie, strict=True)),
                "status": dict(zip(("oud", "nieuw"), h.status, strict=True)),
                "pad_gewijzigd": h.pad_gewijzigd,
                "uitkomst_gewijzigd": h.uitkomst_gewijzigd,
                "oud": h.oud.as_json() if h.oud else dict.fromkeys(Besluit._fields),
                "nieuw": None if h.nieuw is None else Besluit.of(h.nieuw).as_json(),
                "wacht": h.wacht.vraag_id if h.wacht else None,
                "vragen": [{"vraag": v.vraag_id, "oordeel": v.oordeel} for v in h.vragen],
            }
        )
        return
    from rich.console import Console

    from meldcode.render import views

    views.herberekening(Console(), casus, h, huidig)
