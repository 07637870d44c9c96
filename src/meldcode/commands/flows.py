"""Commands about the flow files themselves: valideer, schema, sectoren."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from meldcode.cli import app, error_boundary


@app.command()
def sectoren(
    json_uitvoer: Annotated[
        bool, typer.Option("--json", help="Uitvoer als JSON, voor scripts.")
    ] = False,
) -> None:
    """Toon de sectoren met hun beroepen, wetten en de plaats van de afwegingen."""
    with error_boundary():
        from meldcode import render
        from meldcode.loader import flowset

        fs = flowset()
        render.sectoren(fs.sectoren[1].sectoren, as_json=json_uitvoer)


@app.command()
def valideer(
    map_: Annotated[
        Path | None,
        typer.Argument(
            metavar="[MAP]",
            help="Map met stappen/ en afwegingskader/ (standaard: de meegeleverde flows).",
        ),
    ] = None,
) -> None:
    """Controleer de flowbestanden en meld elk probleem met bestand en regel."""
    with error_boundary():
        from meldcode.loader import flows_dir
        from meldcode.validate import validate_dir

        root = map_ or flows_dir()
        aantal = validate_dir(root)
        typer.echo(f"In orde: {aantal} sectorflows in {root} zijn geldig.")


@app.command()
def schema() -> None:
    """Druk het JSON Schema van de flowbestanden af."""
    with error_boundary():
        from meldcode.flowschema import flow_schema_json

        typer.echo(flow_schema_json())
