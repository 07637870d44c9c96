"""`meldcode graaf`: the flow of a sector as a Mermaid or Graphviz diagram."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from meldcode.commands.options import Overschrijf, Uitvoer
from meldcode.commands.output import write_or_print


class GraafFormaat(StrEnum):
    """The diagram languages `--formaat` offers; the values are what users type."""

    MERMAID = "mermaid"
    DOT = "dot"
    SVG = "svg"


def graaf(
    sector: Annotated[
        str | None,
        typer.Option(
            "--sector",
            "-s",
            help="De sector (zie 'meldcode sectoren'); standaard basis, of die van --casus.",
        ),
    ] = None,
    formaat: Annotated[
        GraafFormaat,
        typer.Option(
            "--formaat",
            "-f",
            help="mermaid (voor markdown op GitHub of GitLab), dot (Graphviz) of svg (een plaatje; "
            "daarvoor moet Graphviz geïnstalleerd zijn).",
        ),
    ] = GraafFormaat.MERMAID,
    uitvoer: Uitvoer = None,
    overschrijf: Overschrijf = False,
    casus: Annotated[
        str | None,
        typer.Option(
            "--casus", metavar="ID", help="Markeer het pad dat deze opgeslagen casus nam."
        ),
    ] = None,
    oefening: Annotated[
        bool, typer.Option("--oefening", help="Zoek de casus bij de oefencasussen.")
    ] = False,
) -> None:
    """Toon de flow van een sector als stroomschema: stappen, vragen, antwoorden en uitkomsten."""
    from meldcode.flows import load_flow
    from meldcode.graph import render

    if casus is None:
        sector = sector or "basis"
        tekst = render(load_flow(sector), formaat.value)
    else:
        sector, tekst = _met_pad(casus, sector, formaat.value, oefening=oefening)
    if write_or_print(tekst, uitvoer, overschrijf=overschrijf):
        typer.echo(f"Stroomschema van sector {sector} geschreven naar {uitvoer}.", err=True)


def _met_pad(casus_id: str, sector: str | None, formaat: str, *, oefening: bool) -> tuple[str, str]:
    """The sector of a stored case and its diagram, with the path that case took highlighted.

    A `sector` other than the case's own is refused (SectorMismatch): that flow's diagram
    would mark a path the case never took.
    """
    from meldcode.commands.home import open_store
    from meldcode.errors import FlowChanged, MeldcodeError, SectorMismatch
    from meldcode.flows import load_flow
    from meldcode.graph import pad_van, render
    from meldcode.store.history import state_from_events

    with open_store(oefening=oefening) as store:
        gevonden = store.get(casus_id)
        if sector is not None and sector != gevonden.sector:
            raise SectorMismatch(casus_id=casus_id, sector=sector, casus_sector=gevonden.sector)
        flow = load_flow(gevonden.sector)
        events = store.events(casus_id)  # a damaged store is exit 3, not a changed flow
        try:
            pad = pad_van(flow, state_from_events(flow, gevonden.sector, events))
        except MeldcodeError:
            if flow.hash == gevonden.flow_hash:
                raise
            raise FlowChanged(casus_id=casus_id, versie=gevonden.flow_versie) from None
    return gevonden.sector, render(flow, formaat, pad)
