"""Outcome ids and reasons in plain Dutch (design.md §6, domain.md §2.2-§2.3); stdlib only,
so the light commands (`lijst`, `statistiek`) show them without loading the flows."""

from __future__ import annotations

# Outcome ids and reasons in plain Dutch (design.md §6, domain.md §2.2-§2.3).
UITKOMST_NAMEN: dict[str, str] = {
    "afsluiten": "Afsluiten: geen melding, de meldcode stopt",
    "melden": "Melden bij Veilig Thuis",
    "hulp-bieden": "Hulp bieden of organiseren, en later evalueren (afweging 5)",
    "hulp-afsluiten": "Hulp afsluiten: de veiligheid is hersteld",
    "medewerkersroute": "Wettelijke route bij geweld door een medewerker",
}
REDENEN: dict[str, str] = {
    "geen-vermoeden": "er is geen vermoeden (afweging 1: nee)",
    "acuut-gevaar": "er is acuut gevaar",
    "acute-of-structurele-onveiligheid": "er is (een vermoeden van) acute of structurele "
    "onveiligheid (afweging 2: ja)",
    "geen-effectieve-hulp": "u kunt geen effectieve hulp bieden of organiseren (afweging 3: nee)",
    "hulp-niet-aanvaard": "de betrokkenen aanvaarden de hulp niet (afweging 4: nee)",
    "onvoldoende-resultaat": "de hulp heeft onvoldoende resultaat (afweging 5: nee)",
    "resultaat-bereikt": "de hulp heeft de veiligheid hersteld (afweging 5: ja)",
    "haags-protocol": "Haags protocol: een ouder op de spoedeisende hulp; de situatie van de "
    "kinderen wordt gemeld, zonder weging met het afwegingskader",
    "gedrag-past-bij-ontwikkeling": "het gedrag tussen de kinderen past bij hun leeftijd en "
    "ontwikkeling",
    "maatregelen-kinderen-onderling": "grensoverschrijdend gedrag tussen kinderen: maatregelen "
    "en nazorg binnen de opvang",
    "kinderen-onderling-naar-veilig-thuis": "gedrag tussen kinderen: advies van Veilig Thuis en "
    "zo nodig een aparte casus voor de thuissituatie",
    # The basis flow's reasons to close early (`afsluitredenen`): their labels without the
    # instruction they carry in the menu ("(licht toe)"); tests/test_dialog.py keeps them equal.
    "andere-verklaring": "er is een andere verklaring voor de signalen gevonden",
    "zorg-weggenomen": "het gesprek of de consultatie heeft de zorg weggenomen",
    "overgedragen": "een andere professional heeft de zorg voor de veiligheid aantoonbaar "
    "overgenomen",
    "geen-contact-meer": "er is geen contact meer en na advies van Veilig Thuis is melden niet "
    "nodig",
    "anders": "een andere reden",
}


def reden_naam(reden: str, afsluitredenen: dict[str, str] | None = None) -> str:
    """A reason id in plain Dutch: the one place every screen, export and graph takes it from.

    A reason this table does not know (an organisation's own flow) reads as the flow's label,
    else as its words. The table comes first, so that a command that loads no flow
    (`statistiek`) says what the summary says.
    """
    if reden in REDENEN:
        return REDENEN[reden]
    if afsluitredenen and reden in afsluitredenen:
        return afsluitredenen[reden]
    return reden.replace("-", " ")
