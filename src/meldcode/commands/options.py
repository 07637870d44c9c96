"""Options and arguments that several commands share (typer annotations, help in Dutch)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

Uitvoer = Annotated[
    Path | None,
    typer.Option(
        "--uitvoer",
        "-o",
        metavar="BESTAND",
        help="Schrijf naar dit bestand (standaard of '-': het scherm).",
    ),
]
Overschrijf = Annotated[
    bool, typer.Option("--overschrijf", help="Vervang een bestaand uitvoerbestand.")
]
CasusId = Annotated[
    str, typer.Argument(metavar="ID", help="Het id van de casus, bijv. mc-k7q3-x9p2.")
]
Oefening = Annotated[
    bool,
    typer.Option("--oefening", help="Gebruik de oefenopslag (OEFENING) in plaats van de echte."),
]
Json = Annotated[bool, typer.Option("--json", help="Uitvoer als JSON, voor scripts.")]
Eenvoudig = Annotated[
    bool,
    typer.Option(
        "--eenvoudig",
        help="Genummerde keuzes zonder opmaak (voor schermlezers en eenvoudige terminals).",
    ),
]
