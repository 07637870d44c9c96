"""One error tree: each error carries its Dutch message and its exit code (design.md §6)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar


class MeldcodeError(Exception):
    """Something the user can fix; `str(error)` is the whole Dutch message."""

    exit_code: ClassVar[int] = 2


class Probleem:
    """One finding in a flow file: where, what, and its stable code."""

    __slots__ = ("bestand", "code", "regel", "tekst")

    def __init__(self, code: str, bestand: Path | str, regel: int | None, tekst: str) -> None:
        self.code = code
        self.bestand = str(bestand)
        self.regel = regel
        self.tekst = tekst

    def __str__(self) -> str:
        waar = f"{self.bestand}:{self.regel}" if self.regel else self.bestand
        return f"{waar}: {self.code} {self.tekst}"

    def __repr__(self) -> str:
        return f"Probleem({self!s})"


class FlowError(MeldcodeError):
    """The flow files are broken; lists every problem with file and line."""

    def __init__(self, problemen: Sequence[Probleem]) -> None:
        self.problemen = tuple(problemen)
        regels = "\n".join(f"  {p}" for p in self.problemen)
        super().__init__(
            f"De flowbestanden kloppen niet ({len(self.problemen)} probleem/problemen):\n"
            f"{regels}\nHerstel de genoemde regels en controleer opnieuw met "
            "'meldcode valideer'."
        )


class UnknownSector(MeldcodeError):
    """A sector id that the sector definitions do not have."""

    def __init__(self, *, sector: str, bekend: Sequence[str]) -> None:
        self.sector = sector
        super().__init__(
            f"Sector '{sector}' bestaat niet. Kies een van: {', '.join(bekend)} "
            "(zie 'meldcode sectoren')."
        )


class InvalidAntwoord(MeldcodeError):
    """An answer the question does not accept; names the question, never the answer."""

    def __init__(self, *, vraag_id: str, reden: str) -> None:
        self.vraag_id = vraag_id
        super().__init__(f"Ongeldig antwoord op vraag '{vraag_id}': {reden}")


class UnexpectedAntwoord(MeldcodeError):
    """An answer to a question that is not the one being asked."""

    def __init__(self, *, vraag_id: str, verwacht: str | None) -> None:
        self.vraag_id = vraag_id
        nu = (
            f"de vraag die nu aan de beurt is, is '{verwacht}'"
            if verwacht
            else ("de casus heeft al een uitkomst")
        )
        super().__init__(f"Vraag '{vraag_id}' is nu niet aan de beurt: {nu}.")


class NotOnPath(MeldcodeError):
    """Going back to a question that is not on the active path."""

    def __init__(self, *, vraag_id: str) -> None:
        self.vraag_id = vraag_id
        super().__init__(
            f"Vraag '{vraag_id}' is in deze casus (nog) niet beantwoord; u kunt alleen "
            "teruggaan naar een vraag die al beantwoord is."
        )


class NotInteractive(MeldcodeError):
    """No terminal to ask questions on, and no answers file."""

    def __init__(self) -> None:
        super().__init__(
            "Er is geen terminal om vragen te stellen (de invoer is geen terminal of is "
            "gesloten). Geef de antwoorden in een bestand met '--antwoorden BESTAND' "
            "(of '--antwoorden -' voor standaardinvoer), of start meldcode in een terminal."
        )


class CasusNotFound(MeldcodeError):
    """No case with this id in the store."""

    def __init__(self, *, casus_id: str) -> None:
        self.casus_id = casus_id
        super().__init__(
            f"Casus '{casus_id}' bestaat niet in deze opslag. Bekijk de casussen met "
            "'meldcode lijst' (oefencasussen: 'meldcode lijst --oefening')."
        )


class StoreError(MeldcodeError):
    """The store cannot be used; nothing recorded is lost or overwritten."""

    exit_code = 3


class StoreLocked(StoreError):
    """Another meldcode process has this case open."""

    def __init__(self, *, casus_id: str) -> None:
        super().__init__(
            f"Casus {casus_id} is al geopend in een ander meldcode-venster of -proces. Sluit "
            "dat eerst af en probeer het daarna opnieuw; wat al is vastgelegd, blijft bewaard."
        )


class StoreCorrupt(StoreError):
    """The database file is not a readable meldcode store."""

    def __init__(self, *, pad: str) -> None:
        super().__init__(
            f"De opslag {pad} is beschadigd of is geen meldcode-database. meldcode heeft het "
            "bestand niet gewijzigd. Zet een reservekopie terug of vraag uw beheerder om hulp; "
            "met MELDCODE_HOME kunt u intussen een andere map gebruiken."
        )


class StoreUnwritable(StoreError):
    """The data directory or database cannot be written."""

    def __init__(self, *, pad: str) -> None:
        super().__init__(
            f"meldcode kan niet schrijven in {pad}. Controleer de rechten en de vrije ruimte, "
            "of kies met MELDCODE_HOME een andere map. Er is niets overschreven."
        )


class StoreTooNew(StoreError):
    """The database was written by a newer meldcode."""

    def __init__(self, *, pad: str, versie: int) -> None:
        super().__init__(
            f"De opslag {pad} heeft schemaversie {versie}, nieuwer dan deze meldcode kent. "
            "Werk meldcode bij; het bestand is niet gewijzigd."
        )
