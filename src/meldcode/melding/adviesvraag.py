"""`meldcode melding ID --advies`: an anonymous adviesvraag for Veilig Thuis.

Veilig Thuis records nothing about the people in an adviesvraag (domain.md §6), so the draft
holds no label, no case id, no dates and no places; free text is included only after numbers
that identify someone (postcodes, phone numbers, BSN-like numbers, full dates) are replaced,
and a warning names every text that still looks identifying (names, initials).
"""

from __future__ import annotations

import re
from typing import ClassVar

from meldcode.dossier.build import PRIVACY, Dossier
from meldcode.dossier.draft import (
    BELLEN,
    VERSTUURT_NIETS,
    Antwoorden,
    Concept,
    Onderdeel,
    Sectie,
    afweging_kop,
    in_te_vullen,
)
from meldcode.errors import MeldcodeError

ANONIEM = (
    "Een adviesvraag is anoniem: noem geen namen, adressen, woonplaatsen, geboortedata of de "
    "naam van een school of instelling. Veilig Thuis legt dan niets vast over de mensen in uw "
    "vraag. Blijkt uit het gesprek acute of structurele onveiligheid, dan kan het advies een "
    "melding worden."
)
# Replaced before any free text is included: (pattern, replacement, what it looked like).
VERVANG: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\b\d{4}\s?[A-Z]{2}\b"), "[postcode]", "een postcode"),
    (
        re.compile(r"(?<![\w-])(?:\+31|0031|0)(?:[\s-]?\d){9}(?![\w-])"),
        "[telefoonnummer]",
        "een telefoonnummer",
    ),
    (
        re.compile(r"(?<![\d.-])\d{3}[.\s]?\d{3}[.\s]?\d{3}(?![\d-])"),
        "[nummer]",
        "een BSN-achtig nummer",
    ),
    (
        re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}\b|\b(?:19|20)\d{2}-\d{2}-\d{2}\b"),
        "[datum]",
        "een volledige datum (mogelijk een geboortedatum)",
    ),
)
INITIALEN = re.compile(r"(?<![\w.])(?:[A-Z]\.){1,3}(?!\w)")
# Capitalised words that name no one: institutions, terms of the meldcode.
GEEN_NAAM = frozenset(
    (
        "Veilig", "Thuis", "Haags", "Protocol", "Interpretatie", "Aandachtsfunctionaris",
        "Afweging", "Kindcheck", "Meldcode", "Stap", "Bij", "Op", "Ik", "Hij", "Zij", "Ze",
        "Wij", "We", "De", "Het", "Een", "En", "Na", "Maar", "Volgens", "Ma", "Mw", "Dhr",
        "Collega",
    )
)  # fmt: skip
WOORD = re.compile(r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?")


class GeenAdviesvraag(MeldcodeError):
    """A closed case: advice is asked while the case is open."""

    exit_code: ClassVar[int] = 2

    def __init__(self, *, casus_id: str) -> None:
        super().__init__(
            f"Casus {casus_id} is afgerond; een adviesvraag hoort bij een casus die nog loopt. "
            "Heeft u nieuwe zorgen, start dan een nieuwe casus met 'meldcode start'."
        )


def herkenbaar(tekst: str) -> tuple[str, list[str]]:
    """`tekst` with identifying numbers replaced, and what it looked like (kinds, once each)."""
    soorten: list[str] = []
    for patroon, vervanging, soort in VERVANG:
        tekst, n = patroon.subn(vervanging, tekst)
        if n:
            soorten.append(soort)
    if INITIALEN.search(tekst) or _namen(tekst):
        soorten.insert(0, "een naam of initialen")
    return tekst, soorten


def _namen(tekst: str) -> bool:
    """Whether a capitalised word stands where a sentence does not start (a name or place)."""
    for zin in re.split(r"(?<=[.!?:;])\s+|\n+|\(", tekst):
        woorden = zin.split()
        for w in woorden[1:]:
            kaal = w.strip(",.;:!?'\")")
            if WOORD.fullmatch(kaal) and kaal not in GEEN_NAAM:
                return True
    return False


def concept(d: Dossier) -> Concept:
    """The anonymous adviesvraag of dossier `d` (any case still running)."""
    if d.casus.status == "afgerond":
        raise GeenAdviesvraag(casus_id=d.casus.id)
    a = Antwoorden.van(d)
    waarschuwingen: list[str] = []

    def vrij(vraag_id: str, waar: str, tekst: str) -> str:
        schoon, soorten = herkenbaar(tekst)
        if soorten:
            waarschuwingen.append(
                f"De tekst bij '{waar}' ({vraag_id}) lijkt herkenbare gegevens te bevatten: "
                f"{', '.join(soorten)}. Haal die weg voordat u de adviesvraag gebruikt."
            )
        return schoon

    feiten = []
    if t := a.tekst("signalen-beschrijving"):
        feiten.append(
            Onderdeel(
                "Wat ik zag of hoorde",
                vrij("signalen-beschrijving", "beschrijving van de signalen", t),
            )
        )
    if signalen := a.antwoord("signalen"):
        feiten.append(Onderdeel("Soorten signalen", "", tuple(signalen.split("; "))))
    if t := a.tekst("kindcheck-kinderen"):
        feiten.append(Onderdeel("Kinderen", vrij("kindcheck-kinderen", "kindcheck", t)))
    gedaan = ["Collegiale consultatie: gehouden"] if a.tekst("collegiale-consultatie") else []
    if g := a.antwoord("gesprek-gevoerd"):
        gedaan.append(f"Gesprek met de cliënt gevoerd: {g}")
    if t := a.tekst("gesprek-verslag"):
        gedaan.append("Uit het gesprek: " + vrij("gesprek-verslag", "het gesprek", t))
    if gedaan:
        feiten.append(Onderdeel("Wat ik al deed", "", tuple(gedaan)))
    twijfel = [
        f"{afweging_kop(r)}: {r.antwoord}"
        + (f" ({vrij(r.vraag_id, afweging_kop(r), r.toelichting)})" if r.toelichting else "")
        for s in d.stappen
        for r in s.regels
        if r.afweging
    ]
    if t := a.tekst("weging"):
        twijfel.insert(0, "Mijn weging: " + vrij("weging", "weging", t))
    return Concept(
        titel="Adviesvraag aan Veilig Thuis (anoniem)",
        oefening=d.casus.oefening,
        privacy=PRIVACY,
        notities=(ANONIEM, BELLEN, VERSTUURT_NIETS),
        waarschuwingen=tuple(waarschuwingen),
        secties=(
            Sectie(
                "Mijn vraag",
                (
                    Onderdeel("Vraag", _vraag(d)),
                    Onderdeel(
                        "In mijn eigen woorden", in_te_vullen("wat wilt u van Veilig Thuis weten?")
                    ),
                ),
            ),
            Sectie(
                "Wie ik ben",
                (Onderdeel("Sector", d.sector_naam),),
                "Noem uw sector en functie, niet uw organisatie.",
            ),
            Sectie(
                "Wat er speelt",
                tuple(feiten)
                or (Onderdeel("Feiten", in_te_vullen("de feiten, zonder herkenbare gegevens")),),
            ),
            Sectie(
                "Mijn twijfel",
                (
                    Onderdeel(
                        "Waar ik over twijfel", in_te_vullen("uw twijfel, in een paar zinnen")
                    ),
                    *(
                        (Onderdeel("Wat ik tot nu toe afwoog", "", tuple(twijfel)),)
                        if twijfel
                        else ()
                    ),
                ),
            ),
        ),
    )


def _vraag(d: Dossier) -> str:
    """The question to ask, after where the case stands."""
    if d.casus.status == "vervolg":
        return (
            "Ik heb een melding gedaan of sta op het punt dat te doen. Wat kan ik in het vervolg "
            "zelf blijven doen voor de cliënt of het gezin, en wat doet Veilig Thuis?"
        )
    if d.casus.status == "wacht-op-evaluatie":
        return (
            "Ik bied hulp en evalueer die binnenkort. Waar let ik op bij de vraag of de hulp "
            "voldoende resultaat heeft, en wanneer is een melding dan nodig?"
        )
    return (
        "Ik maak mij zorgen over de veiligheid van een cliënt of een kind. Is er volgens u "
        "sprake van (een vermoeden van) huiselijk geweld of kindermishandeling, en van acute of "
        "structurele onveiligheid? Kan ik zelf hulp bieden of organiseren, of is een melding "
        "nodig? Hoe bespreek ik mijn zorgen met de cliënt?"
    )
