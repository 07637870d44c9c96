"""Errors of the store and the cases in it (exit 3 when the store cannot be used)."""

from __future__ import annotations

from meldcode.errors.base import MeldcodeError


class CasusNotFound(MeldcodeError):
    """No case with this id in the store."""

    def __init__(self, *, casus_id: str) -> None:
        self.casus_id = casus_id
        super().__init__(
            f"Casus '{casus_id}' bestaat niet in deze opslag. Bekijk de casussen met "
            "'meldcode lijst' (oefencasussen: 'meldcode lijst --oefening')."
        )


class CasusElders(CasusNotFound):
    """The case is not in this store but in the other one (practice or real): exit 2, and the
    message names the command that goes on with it there."""

    def __init__(self, *, casus_id: str, oefening: bool) -> None:
        wat, opdracht = (
            ("een oefening (OEFENING); die staat apart", f"meldcode oefen --hervat {casus_id}")
            if oefening
            else ("een echte casus, geen oefening", f"meldcode hervat {casus_id}")
        )
        self.casus_id = casus_id
        MeldcodeError.__init__(
            self, f"Casus '{casus_id}' is {wat}. Ga ermee verder met '{opdracht}'."
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


class InvalidDuur(MeldcodeError):
    """A retention term that is not like 20j, 15j or 6m."""

    def __init__(self, *, waarde: str) -> None:
        super().__init__(
            f"'{waarde}' is geen geldige termijn. Geef een getal met j (jaren) of m (maanden), "
            "bijvoorbeeld 20j, 15j of 6m."
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
