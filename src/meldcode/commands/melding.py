"""`meldcode melding`: a draft melding or anonymous adviesvraag for Veilig Thuis (contract 2)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from meldcode.commands.lookup import find_casus
from meldcode.commands.options import Oefening, Overschrijf, Uitvoer
from meldcode.commands.output import err, write_or_print


class Formaat(StrEnum):
    """The formats of `meldcode melding --formaat`: what users type."""

    TEKST = "tekst"
    MARKDOWN = "markdown"
    HTML = "html"


CasusOptie = Annotated[
    str | None,
    typer.Argument(metavar="ID", help="Het id van de casus (niet nodig met --profiel)."),
]
Advies = Annotated[
    bool,
    typer.Option("--advies", help="Een anonieme adviesvraag, voor elke casus die nog loopt."),
]
FormaatOptie = Annotated[
    Formaat,
    typer.Option("--formaat", "-f", help="Het formaat: tekst (om te plakken), markdown of html."),
]
Profiel = Annotated[
    bool,
    typer.Option(
        "--profiel",
        help="Toon uw melderprofiel, of bewaar het met --organisatie, --functie, --telefoon.",
    ),
]
Organisatie = Annotated[
    str | None, typer.Option("--organisatie", help="Met --profiel: uw organisatie.")
]
Functie = Annotated[str | None, typer.Option("--functie", help="Met --profiel: uw functie.")]
Telefoon = Annotated[
    str | None, typer.Option("--telefoon", help="Met --profiel: uw telefoonnummer.")
]


def melding(
    casus_id: CasusOptie = None,
    advies: Advies = False,
    formaat: FormaatOptie = Formaat.TEKST,
    uitvoer: Uitvoer = None,
    overschrijf: Overschrijf = False,
    oefening: Oefening = False,
    profiel: Profiel = False,
    organisatie: Organisatie = None,
    functie: Functie = None,
    telefoon: Telefoon = None,
) -> None:
    """Maak een concept-melding (of met --advies een anonieme adviesvraag) voor Veilig Thuis;
    er wordt niets verstuurd."""
    if profiel:
        _profiel(organisatie=organisatie, functie=functie, telefoon=telefoon)
        return
    if casus_id is None or organisatie or functie or telefoon:
        err(
            "Geef het id van een casus ('meldcode melding ID'), of bewaar uw gegevens als "
            "melder met 'meldcode melding --profiel --organisatie … --functie … --telefoon …'."
        )
        raise typer.Exit(2)
    from meldcode.dossier import build as dossier
    from meldcode.export.concept import FORMATEN

    store, casus = find_casus(casus_id, oefening=oefening, lezen=True)
    d = dossier.build(store, casus.id)
    if advies:
        from meldcode.melding import adviesvraag

        c = adviesvraag.concept(d)
    else:
        from meldcode.commands.home import data_dir
        from meldcode.melding import form as concept_melding
        from meldcode.melding import profile as melder

        c = concept_melding.concept(d, melder.lees(data_dir()))
    for w in c.waarschuwingen:
        err(f"Let op: {w}")
    tekst = FORMATEN[formaat.value](c)
    if write_or_print(tekst, uitvoer, overschrijf=overschrijf):
        wat = "Adviesvraag" if advies else "Concept-melding"
        err(
            f"{wat} geschreven naar {uitvoer} (alleen leesbaar voor u). Er is niets "
            "verstuurd; het bestand hoort in het cliëntdossier."
        )


def _profiel(**waarden: str | None) -> None:
    """Show the melder profile, or save it with the given fields."""
    from meldcode.commands.home import data_dir
    from meldcode.export import write_new
    from meldcode.melding import profile as melder

    map_ = data_dir()
    huidig = melder.lees(map_)
    if all(v is None for v in waarden.values()):
        typer.echo(huidig.toml().split("\n", 1)[1].rstrip("\n") or "(leeg)")
        err(f"Uw melderprofiel: {melder.pad(map_)}")
        return
    map_.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_new(melder.pad(map_), huidig.aangevuld(**waarden).toml(), overschrijf=True)
    err(f"Melderprofiel bewaard in {melder.pad(map_)} (alleen leesbaar voor u).")
