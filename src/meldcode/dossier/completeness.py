"""The dossier check: what domain.md §4.1 asks the dossier to hold and the case still lacks.

It adds to the questions the meldcode asks to record (`vastleggen`, engine.nog_vast_te_leggen):
those name an empty answer; these look inside an answer (a consultation without its date, facts
without a source) or at a decision nobody owns. Both are listed under one heading ("Nog vast te
leggen"). The checks are deliberately simple word patterns: they remind, they never refuse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from meldcode.model import State
from meldcode.store.records import Event

_MAANDEN = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_DAGEN = "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
DATUM = re.compile(
    rf"\d{{1,2}}[-/.]\d{{1,2}}|\d{{4}}-\d{{2}}-\d{{2}}|\b\d{{1,2}}\s+(?:{_MAANDEN})\b|"
    rf"\b(?:{_DAGEN}|{_MAANDEN}|vandaag|gisteren|eergisteren|vanochtend|vanmiddag|vanavond|"
    r"vorige week|deze week|afgelopen week)\b",
    re.IGNORECASE,
)
BRON = re.compile(
    r"eigen waarneming|\bzelf\b|\bzag\b|gezien|\bhoor|gehoord|vertel|verteld|\bzegt\b|\bzei\b|"
    r"volgens|\bbron\b|meldt|gemeld|collega|moeder|vader|ouder|leerkracht|mentor|"
    r"buren|buurvrouw|buurman|politie|huisarts|school|\bbrief\b|dossier|waargenomen",
    re.IGNORECASE,
)
INTERPRETATIE = re.compile(
    r"interpret|vermoed|\bzorg|\bdenk|\blijkt|indruk|mogelijk|vermoedelijk|waarschijnlijk",
    re.IGNORECASE,
)
AANTAL = re.compile(
    r"\d|\b(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|geen)\b|zwanger",
    re.IGNORECASE,
)
# Outcomes that are a decision someone is finally responsible for (domain.md §4.1 "outcome").
BESLUITEN = frozenset({"melden", "afsluiten", "hulp-bieden", "hulp-afsluiten"})
UITZONDERING_ZONDER_GRONDEN = (
    "De gronden waarom u de cliënt niet vooraf vertelde dat u meldt, en uw pogingen om de "
    "cliënt te bereiken (open melden, tenzij)."
)


def ontbreekt(
    state: State, events: Sequence[Event], uitkomst_id: str | None, op_pad: frozenset[str]
) -> tuple[str, ...]:
    """What the dossier lacks beyond the empty `vastleggen` questions, as plain Dutch items;
    `op_pad` holds the ids of the questions on the case's path."""
    antwoorden = {a.vraag_id: a.waarde for a in state.antwoorden}

    def tekst(vraag_id: str) -> str:
        waarde = antwoorden.get(vraag_id)
        return waarde if isinstance(waarde, str) else ""

    uit: list[str] = []
    if feiten := tekst("signalen-beschrijving"):
        if not DATUM.search(feiten):
            uit.append("De datum van de feiten in de beschrijving van de signalen.")
        if not BRON.search(feiten):
            uit.append(
                "De bron van elk feit in de beschrijving van de signalen: eigen waarneming, "
                "of wie het vertelde."
            )
        if not INTERPRETATIE.search(feiten):
            uit.append(
                "Uw interpretatie, apart van de feiten, in de beschrijving van de signalen "
                "(bijvoorbeeld na 'Interpretatie:')."
            )
    for vraag_id, wat in (
        ("collegiale-consultatie", "De datum van de collegiale consultatie."),
        ("veilig-thuis-advies", "De datum waarop u Veilig Thuis om advies vroeg."),
    ):
        if (t := tekst(vraag_id)) and not DATUM.search(t):
            uit.append(wat)
    if uitkomst_id in BESLUITEN and "eindverantwoordelijke" not in op_pad:
        uit.append(
            "Wie eindverantwoordelijk is voor het besluit (functie, geen naam; Besluit "
            "verplichte meldcode art. 2)."
        )
    open_melden = antwoorden.get("open-melden")
    if isinstance(open_melden, str) and open_melden != "verteld" and not _toegelicht(events):
        uit.append(UITZONDERING_ZONDER_GRONDEN)
    if (kinderen := tekst("kindcheck-kinderen")) and not AANTAL.search(kinderen):
        uit.append("Het aantal en de leeftijden van de kinderen (kindcheck).")
    return tuple(uit)


def _toegelicht(events: Sequence[Event]) -> bool:
    """Whether the latest open-melden answer carries a reasoning (toelichting or onderbouwing)."""
    toegelicht = False
    for e in events:
        if e.vraag != "open-melden":
            continue
        if e.soort in ("antwoord", "wijziging"):
            toegelicht = bool(e.toelichting)
        elif e.soort == "onderbouwing":
            toegelicht = toegelicht or bool(e.toelichting)
    return toegelicht
