"""`meldcode melding ID`: a draft melding for Veilig Thuis from a case whose outcome is melden.

The sections follow Veilig Thuis' regional online forms (domain.md §9): Meldcode, Melder,
Betrokkenen, De melding, Ondersteunend netwerk, Overige informatie, and apart the part not to
be shown to the people involved (parents and children of 12 and older may read a melding).
The melder comes from a local profile, never from the case; the tool stores no names, so
Betrokkenen holds placeholders and what the kindcheck recorded.
"""

from __future__ import annotations

from typing import ClassVar

from meldcode.dossier.build import PRIVACY, Dossier
from meldcode.dossier.draft import (
    BELLEN,
    IN_TE_VULLEN,
    VERSTUURT_NIETS,
    Antwoorden,
    Concept,
    Onderdeel,
    Sectie,
    in_te_vullen,
)
from meldcode.errors import MeldcodeError
from meldcode.melding.profile import Profiel
from meldcode.melding.sections import de_melding
from meldcode.text.formatting import datum_nl
from meldcode.text.phrases import reden_naam

BEL_EERST = (
    "Bel Veilig Thuis eerst (0800-2000): Veilig Thuis bespreekt een melding graag eerst aan de "
    "telefoon. Een schriftelijke melding heeft de voorkeur, want uw eigen tekst is leidend."
)
NIET_TER_INZAGE_UITLEG = (
    "Ouders en kinderen vanaf 12 jaar kunnen een melding lezen. Geef wat hieronder staat "
    "apart door, in het deel van het formulier dat niet ter inzage is voor betrokkenen."
)


class GeenMelding(MeldcodeError):
    """The case has no outcome `melden`: there is nothing to report (yet)."""

    exit_code: ClassVar[int] = 2

    def __init__(self, *, casus_id: str, uitkomst: str | None, reden: str | None) -> None:
        advies = (
            f" Wilt u eerst (anoniem) advies van Veilig Thuis, gebruik dan 'meldcode melding "
            f"{casus_id} --advies'."
        )
        if uitkomst is None:
            wat = (
                f"Casus {casus_id} heeft nog geen uitkomst. Een concept-melding kan pas als de "
                "meldcode uitkomt op melden: beantwoord eerst de stappen en afwegingen die nog "
                f"open zijn, met 'meldcode hervat {casus_id}'."
            )
        elif uitkomst == "medewerkersroute":
            wat = (
                f"Casus {casus_id} volgt de wettelijke route bij geweld door een medewerker "
                f"({reden}). Daar meldt u aan de houder, het bevoegd gezag of de inspectie en "
                "zo nodig de politie, niet met het meldformulier van Veilig Thuis; wat u moet "
                f"doen staat in 'meldcode toon {casus_id}'."
            )
        elif uitkomst == "hulp-bieden":
            wat = (
                f"Casus {casus_id} staat op hulp bieden: er is (nog) geen melding nodig. "
                "Een melding volgt pas als de hulp bij de evaluatie onvoldoende resultaat heeft "
                f"(afweging 5: nee); evalueer met 'meldcode hervat {casus_id}'."
            )
        else:
            wat = (
                f"Casus {casus_id} is afgesloten zonder melding ({reden_naam(reden or uitkomst)})."
                " Er is niets te melden; komen er nieuwe signalen, start dan een nieuwe casus."
            )
        # A closed case gets no adviesvraag (adviesvraag.GeenAdviesvraag): no hint there.
        super().__init__(wat if uitkomst in ("afsluiten", "hulp-afsluiten") else wat + advies)


def concept(d: Dossier, profiel: Profiel) -> Concept:
    """The draft melding of dossier `d`; GeenMelding when its outcome is not melden."""
    u = d.uitkomst
    if u is None or u.id != "melden":
        raise GeenMelding(
            casus_id=d.casus.id,
            uitkomst=u.id if u else None,
            reden=u.reden if u else None,
        )
    a = Antwoorden.van(d)
    notities = [BEL_EERST, BELLEN]
    if d.casus.sector == "artsen":
        geraadpleegd = a.waarden.get("veilig-thuis-geraadpleegd")
        notities.append(
            "KNMG: een arts raadpleegt Veilig Thuis voordat hij of zij meldt. In deze casus: "
            + (
                f"Veilig Thuis is geraadpleegd{a.datum('veilig-thuis-geraadpleegd')}."
                if geraadpleegd == "ja"
                else "niet vastgelegd dat Veilig Thuis is geraadpleegd; doe dat eerst."
            )
        )
    if a.waarden.get("route") == "medewerker":
        notities.append(
            "Geweld door een medewerker: de wettelijke route geldt ook. Licht de houder, het "
            f"bevoegd gezag of de inspectie direct in (zie 'meldcode toon {d.casus.id}')."
        )
    notities.append(VERSTUURT_NIETS)
    return Concept(
        titel=f"Concept-melding voor Veilig Thuis, casus {d.casus.id}",
        oefening=d.casus.oefening,
        privacy=PRIVACY,
        notities=tuple(notities),
        secties=(
            _meldcode(d),
            _melder(profiel),
            _betrokkenen(a),
            de_melding(d, a),
            Sectie(
                "Ondersteunend netwerk",
                (
                    Onderdeel(
                        "Netwerk",
                        in_te_vullen(
                            "wie steunt het gezin of de cliënt (familie, buren, school, "
                            "huisarts, andere hulpverleners), en is dat netwerk op de hoogte?"
                        ),
                    ),
                ),
            ),
            _overige(d),
            _niet_ter_inzage(a),
        ),
    )


def _meldcode(d: Dossier) -> Sectie:
    return Sectie(
        "Meldcode",
        (
            Onderdeel("Gevolgde meldcode", f"{d.sector_naam}, flows {d.casus.flow_versie}"),
            Onderdeel("Besluit", f"Melden bij Veilig Thuis: {d.reden_naam()}."),
        ),
    )


def _melder(p: Profiel) -> Sectie:
    return Sectie(
        "Melder",
        (
            Onderdeel("Naam", in_te_vullen("uw naam (meldcode bewaart geen namen)")),
            Onderdeel("Organisatie", p.organisatie or IN_TE_VULLEN),
            Onderdeel("Functie", p.functie or IN_TE_VULLEN),
            Onderdeel("Telefoon", p.telefoon or IN_TE_VULLEN),
        ),
        uitleg="Uit uw melderprofiel ('meldcode melding --profiel'), nooit uit de casus.",
    )


def _betrokkenen(a: Antwoorden) -> Sectie:
    kindcheck = a.waarden.get("kindcheck")
    if kinderen := a.tekst("kindcheck-kinderen"):
        kind = kinderen + a.datum("kindcheck-kinderen")
    elif kindcheck == "ja":
        kind = in_te_vullen("aantal en leeftijden van de kinderen (kindcheck: ja, details leeg)")
    elif kindcheck == "nee":
        kind = "Geen minderjarige kinderen volgens de kindcheck" + (
            f": {t}" if (t := a.tekst("kindcheck-toelichting")) else "."
        )
    else:
        kind = in_te_vullen("aantal en leeftijden van de kinderen")
    return Sectie(
        "Betrokkenen",
        (
            Onderdeel("Kinderen", kind),
            Onderdeel(
                "Namen, geboortedata en adressen",
                in_te_vullen("uit het cliëntdossier; meldcode bewaart geen namen"),
            ),
            Onderdeel("Ouders of verzorgers, gezag", IN_TE_VULLEN),
            Onderdeel("Vermoedelijke pleger en relatie tot het slachtoffer", IN_TE_VULLEN),
        ),
        uitleg="Vul de gegevens van de betrokkenen zelf in vanuit het cliëntdossier.",
    )


def _overige(d: Dossier) -> Sectie:
    return Sectie(
        "Overige informatie",
        (
            Onderdeel(
                "Bijlagen",
                "Bijlagen (zoals een verslag) mogen, maar vervangen de "
                "beschrijving hierboven niet.",
            ),
            Onderdeel(
                "Herkomst",
                f"Concept uit meldcode, casus {d.casus.id}, gemaakt op "
                f"{datum_nl(d.gegenereerd)}. Het cliëntdossier is leidend.",
            ),
        ),
    )


def _niet_ter_inzage(a: Antwoorden) -> Sectie:
    delen = []
    waarde = a.waarden.get("open-melden")
    if isinstance(waarde, str) and waarde != "verteld":
        r = a.regels["open-melden"]
        delen.append(
            Onderdeel(
                f"Waarom de cliënt niet vooraf is verteld dat ik meld{a.datum('open-melden')}",
                r.antwoord + (f"\n{r.toelichting}" if r.toelichting else ""),
            )
        )
    if a.waarden.get("gesprek-gevoerd") == "nee":
        gronden = a.tekst("gesprek-overgeslagen-gronden") or in_te_vullen("de gronden")
        delen.append(
            Onderdeel(
                "Waarom ik geen gesprek met de cliënt voerde",
                f"{a.antwoord('gesprek-overgeslagen-reden') or IN_TE_VULLEN}\n{gronden}",
            )
        )
    delen.append(
        Onderdeel(
            "Zorgen over de veiligheid van uzelf of anderen",
            in_te_vullen("wat Veilig Thuis moet weten, maar de betrokkenen niet mogen lezen"),
        )
    )
    return Sectie("Niet ter inzage voor betrokkenen", tuple(delen), NIET_TER_INZAGE_UITLEG, True)
