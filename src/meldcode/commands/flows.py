"""Commands about the flow files themselves: valideer, schema, sectoren."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def sectoren(
    json_uitvoer: Annotated[
        bool, typer.Option("--json", help="Uitvoer als JSON, voor scripts.")
    ] = False,
) -> None:
    """Toon de sectoren met hun beroepen, wetten en de plaats van de afwegingen."""
    from meldcode.flows import flowset
    from meldcode.render import summary

    fs = flowset()
    summary.sectoren(fs.sectoren.model.sectoren, as_json=json_uitvoer)


def valideer(
    map_: Annotated[
        Path | None,
        typer.Argument(
            metavar="MAP",
            help="Map met stappen/ en afwegingskader/ (standaard: de meegeleverde flows).",
        ),
    ] = None,
    oefencasussen: Annotated[
        Path | None,
        typer.Option(
            "--oefencasussen",
            metavar="MAP",
            help="Controleer in plaats daarvan een map met oefencasussen (YAML).",
        ),
    ] = None,
) -> None:
    """Controleer de flowbestanden en meld elk probleem met bestand en regel."""
    if oefencasussen is not None:
        from meldcode.practice import validate_cases

        n = validate_cases(oefencasussen, map_)
        typer.echo(f"In orde: {n} oefencasussen in {oefencasussen} zijn geldig.")
        return
    from meldcode.flows import flows_dir, validate_dir

    root = map_ or flows_dir()
    aantal = validate_dir(root)
    typer.echo(f"In orde: {aantal} sectorflows in {root} zijn geldig.")


def schema(
    oefencasus: Annotated[
        bool, typer.Option("--oefencasus", help="Het schema van een oefencasus (meldcode oefen).")
    ] = False,
) -> None:
    """Druk het JSON Schema van de flowbestanden af."""
    if oefencasus:
        from meldcode.practice import case_schema_json

        typer.echo(case_schema_json())
        return
    from meldcode.model.jsonschema import flow_schema_json

    typer.echo(flow_schema_json())
