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


def _aantal(n: int) -> str:
    return "1 probleem" if n == 1 else f"{n} problemen"


class FlowError(MeldcodeError):
    """The flow files are broken; lists every problem with file and line."""

    def __init__(self, problemen: Sequence[Probleem]) -> None:
        self.problemen = tuple(problemen)
        regels = "\n".join(f"  {p}" for p in self.problemen)
        super().__init__(
            f"De flowbestanden kloppen niet ({_aantal(len(self.problemen))}):\n"
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


class NoConfirmation(MeldcodeError):
    """`verwijder` asked for confirmation, but its input closed without an answer."""

    def __init__(self) -> None:
        super().__init__(
            "Er kwam geen bevestiging: de invoer is gesloten voordat u 'ja' typte. Er is niets "
            "verwijderd. Gebruik '--ja' om in een script zonder vraag te verwijderen."
        )


class InputClosed(NotInteractive):
    """The input closed at a question (Ctrl-D, end of piped input) during a walk."""

    def __init__(self, *, afweging: str | None = None) -> None:
        self.afweging = afweging  # the afweging whose onderbouwing was being asked, if any
        bewaard = (
            f" Uw keuze bij {afweging.replace('-', ' ')} is bewaard, zonder onderbouwing; het "
            "dossier toont dat er geen onderbouwing is vastgelegd."
            if afweging
            else ""
        )
        MeldcodeError.__init__(
            self,
            "De invoer is gesloten (bijvoorbeeld met Ctrl-D), dus meldcode kan geen vragen meer "
            f"stellen.{bewaard}",
        )


class NoInput(MeldcodeError):
    """`meldcode oefen` started with its standard input closed (`<&-`): nothing to ask with."""

    def __init__(self) -> None:
        super().__init__(
            "De standaardinvoer is gesloten, dus meldcode kan geen vragen stellen; er is geen "
            "oefening gestart. Start 'meldcode oefen' in een terminal (of geef de antwoorden via "
            "standaardinvoer)."
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


class WalkNotFinished(StoreError):
    """A write failed mid-walk: the case exists with the answers before it, but is not done."""

    def __init__(self, *, oorzaak: StoreError, casus_id: str, nieuw: bool) -> None:
        self.oorzaak = oorzaak
        self.casus_id = casus_id
        opnieuw = (
            f"Start de run niet opnieuw met 'start' (dan ontstaat een tweede casus): ga, als het "
            f"probleem is opgelost, verder met 'meldcode hervat {casus_id} --antwoorden BESTAND' "
            f"(met hetzelfde bestand; wat al is vastgelegd, slaat meldcode over), of verwijder "
            f"de casus met 'meldcode verwijder {casus_id}'."
            if nieuw
            else f"Ga, als het probleem is opgelost, verder met 'meldcode hervat {casus_id} "
            "--antwoorden BESTAND' (met hetzelfde bestand; wat al is vastgelegd, slaat meldcode "
            "over)."
        )
        super().__init__(
            f"{oorzaak} Casus {casus_id} staat in de opslag met de antwoorden van vóór de fout, "
            f"maar is niet afgemaakt. {opnieuw}"
        )


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
            f"De opslag {pad} is beschadigd of is geen meldcode-database. meldcode probeert het "
            "bestand niet te herstellen; wat meldcode deed toen dit bleek, is niet opgeslagen. "
            "Zet een reservekopie terug of vraag uw beheerder om hulp; met MELDCODE_HOME kunt u "
            "intussen een andere map gebruiken."
        )


class StoreUnwritable(StoreError):
    """The data directory or database cannot be written."""

    def __init__(self, *, pad: str) -> None:
        super().__init__(
            f"meldcode kan niet schrijven in {pad}. Controleer de rechten en de vrije ruimte, "
            "of kies met MELDCODE_HOME een andere map. Er is niets overschreven."
        )


class StoreShared(StoreError):
    """The data folder exists and is not meldcode's to make private (e.g. /tmp)."""

    def __init__(self, *, pad: str, andermans: bool) -> None:
        waarom = (
            "is van een andere gebruiker"
            if andermans
            else "is gedeeld: andere gebruikers kunnen erin schrijven (zoals in /tmp)"
        )
        super().__init__(
            f"De map {pad} {waarom}. meldcode bewaart daar geen casussen en verandert de "
            "rechten van die map niet. Kies met MELDCODE_HOME een eigen map, bijvoorbeeld een "
            "nieuwe submap in uw thuismap; meldcode maakt die aan, alleen toegankelijk voor u."
        )


class StoreTooNew(StoreError):
    """The database was written by a newer meldcode."""

    def __init__(self, *, pad: str, versie: int) -> None:
        super().__init__(
            f"De opslag {pad} heeft schemaversie {versie}, nieuwer dan deze meldcode kent. "
            "Werk meldcode bij; het bestand is niet gewijzigd."
        )


class AnswersFileError(MeldcodeError):
    """The answers file cannot be read as an answers file (YAML, shape, keys)."""

    def __init__(self, *, bron: str, probleem: str) -> None:
        super().__init__(
            f"Het antwoordenbestand {bron} is niet bruikbaar: {probleem} Zie "
            "docs/antwoorden.md voor het formaat (sector, label, antwoorden)."
        )


class UnknownVraagIds(MeldcodeError):
    """Answers to question ids that no sector has; with a suggestion per id."""

    def __init__(self, *, ids: dict[str, str | None]) -> None:
        self.ids = dict(ids)
        delen = [f"'{i}' (bedoelde u '{s}'?)" if s else f"'{i}'" for i, s in self.ids.items()]
        super().__init__(
            f"Het antwoordenbestand noemt onbekende vraag-id's: {', '.join(delen)}. Geen enkele "
            "sector heeft zo'n vraag; verbeter de id's en probeer het opnieuw."
        )


class MissingAnswers(MeldcodeError):
    """Questions reached on the path that the answers file does not answer."""

    def __init__(self, *, ids: list[str]) -> None:
        self.ids = list(ids)
        super().__init__(
            f"Het antwoordenbestand mist antwoorden op vragen die op het pad liggen: "
            f"{', '.join(self.ids)}. Vul ze aan, of gebruik '--standaard' om vragen met een "
            "standaardantwoord (en niet-verplichte vragen) automatisch in te vullen. Er is "
            "niets opgeslagen."
        )


class AnswerRefused(MeldcodeError):
    """The engine refused an answer from the answers file during the run."""

    def __init__(self, *, melding: str) -> None:
        super().__init__(f"{melding} Pas het antwoordenbestand aan en probeer het opnieuw.")


class ExportExists(MeldcodeError):
    """The export file exists already and --overschrijf was not given."""

    def __init__(self, *, pad: str) -> None:
        super().__init__(
            f"Het bestand {pad} bestaat al; meldcode overschrijft het niet. Kies een andere "
            "naam met '--uitvoer', of geef '--overschrijf' als u het bestand wilt vervangen."
        )


class ExportUnwritable(MeldcodeError):
    """The export file cannot be created."""

    def __init__(self, *, pad: str) -> None:
        super().__init__(
            f"meldcode kan het bestand {pad} niet aanmaken. Controleer of de map bestaat en of "
            "u er mag schrijven."
        )


class InvalidDuur(MeldcodeError):
    """A retention term that is not like 20j, 15j or 6m."""

    def __init__(self, *, waarde: str) -> None:
        super().__init__(
            f"'{waarde}' is geen geldige termijn. Geef een getal met j (jaren) of m (maanden), "
            "bijvoorbeeld 20j, 15j of 6m."
        )


class OefenCasusError(FlowError):
    """Practice case files are broken; lists every problem with file and line."""

    def __init__(self, problemen: Sequence[Probleem]) -> None:
        self.problemen = tuple(problemen)
        regels = "\n".join(f"  {p}" for p in self.problemen)
        MeldcodeError.__init__(
            self,
            f"De oefencasussen kloppen niet ({len(self.problemen)} probleem/problemen):\n"
            f"{regels}\nHerstel de genoemde regels en controleer opnieuw met "
            "'meldcode valideer --oefencasussen MAP'.",
        )


class UnknownOefenCasus(MeldcodeError):
    """A practice case id that no case file has."""

    def __init__(self, *, casus_id: str, bekend: Sequence[str]) -> None:
        import difflib

        hint = difflib.get_close_matches(casus_id, bekend, n=1)
        bedoeld = f" Bedoelde u '{hint[0]}'?" if hint else ""
        super().__init__(
            f"Oefencasus '{casus_id}' bestaat niet.{bedoeld} Bekijk de oefencasussen met "
            "'meldcode oefen' (eigen casussen: 'meldcode oefen --map MAP')."
        )


class StoreBusy(StoreError):
    """Another meldcode process keeps the database busy longer than the store waits."""

    def __init__(self, *, pad: str) -> None:
        super().__init__(
            f"De opslag {pad} is bezig met een ander meldcode-proces. Wacht even en probeer het "
            "daarna opnieuw; er is niets verloren gegaan."
        )


class SectorMismatch(MeldcodeError):
    """A --sector that differs from the sector of the stored case it goes with."""

    def __init__(self, *, casus_id: str, sector: str, casus_sector: str) -> None:
        super().__init__(
            f"Casus {casus_id} hoort bij sector '{casus_sector}', niet bij '{sector}'. Laat "
            f"'--sector' weg of geef '--sector {casus_sector}'."
        )


class FlowChanged(MeldcodeError):
    """A stored case no longer fits the current flows (they changed since it was walked)."""

    def __init__(self, *, casus_id: str, versie: str) -> None:
        super().__init__(
            f"Casus {casus_id} is doorlopen met flowversie {versie}, en zijn antwoorden passen "
            "niet meer op de huidige flows, dus het pad kan niet worden getoond. Zie met "
            f"'meldcode herbereken {casus_id}' wat er verandert, of bekijk de casus met "
            f"'meldcode toon {casus_id}'."
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

    def __init__(self, *, pad: str, soort: str) -> None:
        MeldcodeError.__init__(
            self,
            f"{pad} is {soort}, geen gewoon bestand; meldcode schrijft een export alleen naar een "
            "nieuw of gewoon bestand en laat dit ongemoeid. Kies met '--uitvoer' een "
            "bestandsnaam, of laat '--uitvoer' weg (of geef '-') voor het scherm.",
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


class VerificatieMislukt(MeldcodeError):
    """verifieer found a case, the register or a kept anchor that does not hold."""

    def __init__(self, *, aantal: int) -> None:
        super().__init__(
            f"verifieer vond {aantal} afwijking(en): er is na het vastleggen iets gewijzigd, "
            "verwijderd of toegevoegd buiten meldcode om. Zet een reservekopie terug of meld "
            "dit aan de functionaris gegevensbescherming; wat afwijkt, staat hierboven."
        )


class KopZonderCasus(MeldcodeError):
    """verifieer --kop without the case it belongs to."""

    def __init__(self) -> None:
        super().__init__(
            "Een kop hoort bij één casus: geef ook het id, bijvoorbeeld 'meldcode verifieer "
            "mc-k7q3-x9p2 --kop HASH'. Voor de hele opslag gebruikt u --anker met de wortel."
        )


class Beeindigd(KeyboardInterrupt):
    """A walk ended by a signal: SIGTERM (shut down) or SIGHUP (the terminal was closed).

    A KeyboardInterrupt, so it stops a walk exactly as Ctrl-C does: every answer the screen
    accepted is already saved. The exit code is the shell's for that signal (128 + its number).
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.exit_code = 128 + signum
        super().__init__(f"signaal {signum}")


class InvalidText(MeldcodeError):
    """Text that is not valid UTF-8: an argument, an environment variable, typed input."""

    def __init__(self, *, waar: str) -> None:
        super().__init__(
            f"{waar} bevat tekens die geen geldige UTF-8 zijn (bijvoorbeeld uit een terminal of "
            "bestand in Latin-1). Geef de waarde opnieuw, in UTF-8; er is niets vastgelegd."
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
