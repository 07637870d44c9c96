"""Errors writing what meldcode makes: exports, standard output, a Graphviz picture."""

from __future__ import annotations

from meldcode.errors.base import MeldcodeError


class ExportExists(MeldcodeError):
    """The export file exists already and --overschrijf was not given."""

    def __init__(self, *, pad: str, optie: str = "--uitvoer") -> None:
        super().__init__(
            f"Het bestand {pad} bestaat al; meldcode overschrijft het niet. Kies een andere "
            f"naam met '{optie}', of geef '--overschrijf' als u het bestand wilt vervangen."
        )


class ExportUnwritable(MeldcodeError):
    """The export file cannot be created."""

    def __init__(self, *, pad: str) -> None:
        super().__init__(
            f"meldcode kan het bestand {pad} niet aanmaken. Controleer of de map bestaat en of "
            "u er mag schrijven."
        )


class ExportWriteFailed(ExportUnwritable):
    """Writing the export failed halfway (disk full, I/O error); nothing was left behind."""

    def __init__(self, *, pad: str, reden: str) -> None:
        MeldcodeError.__init__(
            self,
            f"meldcode kon de export {pad} niet schrijven: {reden}. Er is geen half bestand "
            "achtergebleven en een bestaand bestand is niet gewijzigd. Maak ruimte vrij of kies "
            "met '--uitvoer' een andere plek, en probeer het daarna opnieuw.",
        )


class ExportNotAFile(ExportUnwritable):
    """The export target exists but is no regular file (a folder, device, pipe, /dev/stdout)."""

    def __init__(self, *, pad: str, soort: str, optie: str = "--uitvoer") -> None:
        # Without --uitvoer an export goes to the screen; without --agenda there is no agenda.
        scherm = f"geef '{optie} -'"
        if optie == "--uitvoer":
            scherm = "laat '--uitvoer' weg (of geef '-')"
        MeldcodeError.__init__(
            self,
            f"{pad} is {soort}, geen gewoon bestand; meldcode schrijft een export alleen naar een "
            f"nieuw of gewoon bestand en laat dit ongemoeid. Kies met '{optie}' een "
            f"bestandsnaam, of {scherm} voor het scherm.",
        )


class OutputFailed(MeldcodeError):
    """Writing to standard output failed (disk full, closed); what was stored stays stored."""

    def __init__(self, *, reden: str) -> None:
        super().__init__(
            f"meldcode kon niet naar de standaarduitvoer schrijven: {reden}. De uitvoer ontbreekt "
            "of is onvolledig; wat meldcode al had vastgelegd of gewijzigd, blijft zo. Controleer "
            "de omleiding en de vrije schijfruimte, of schrijf met '--uitvoer BESTAND' naar een "
            "bestand bij opdrachten die dat kennen (zoals exporteer)."
        )


class CasusOutputFailed(MeldcodeError):
    """A scripted run stored its case, but its result could not be written to stdout."""

    def __init__(self, *, casus_id: str, reden: str) -> None:
        self.casus_id = casus_id
        super().__init__(
            f"Casus {casus_id} is vastgelegd, maar meldcode kon het resultaat niet naar de "
            f"standaarduitvoer schrijven: {reden}. Start de run niet opnieuw (met 'start' ontstaat "
            f"dan een tweede casus). Haal de export op met 'meldcode exporteer {casus_id}' (of met "
            f"'--uitvoer BESTAND' naar een bestand)."
        )


class GraphvizMissing(MeldcodeError):
    """`graaf --formaat svg` needs the Graphviz program `dot`, and it is not installed."""

    def __init__(self) -> None:
        super().__init__(
            "Voor --formaat svg is Graphviz nodig (het programma 'dot'), maar dat staat niet op "
            "deze computer. Installeer Graphviz (bijvoorbeeld 'sudo apt install graphviz' of "
            "'brew install graphviz') en probeer het opnieuw, of kies --formaat dot en zet dat "
            "bestand op een computer met Graphviz om in een plaatje."
        )
