"""The section "De melding" of a draft melding (melding.py): what Veilig Thuis reads first."""

from __future__ import annotations

import re

from meldcode.dossier.build import Dossier
from meldcode.dossier.draft import (
    IN_TE_VULLEN,
    Antwoorden,
    Onderdeel,
    Sectie,
    afweging_kop,
    in_te_vullen,
)
from meldcode.text.formatting import datum_nl
from meldcode.text.phrases import meldnorm_tekst

# Questions the sections below already show; the rest of the path follows under "Verder".
_GETOOND = frozenset(
    {
        "acuut-gevaar", "acuut-gezien", "acuut-gebeld", "route", "signalen",
        "signalen-beschrijving", "kindcheck", "kindcheck-kinderen", "kindcheck-toelichting",
        "haags-protocol", "haags-protocol-overleg", "collegiale-consultatie",
        "veilig-thuis-geraadpleegd", "veilig-thuis-advies", "advies-veilig-thuis", "letselduiding",
        "gesprek-gevoerd", "gesprek-verslag", "gesprek-overgeslagen-reden",
        "gesprek-overgeslagen-gronden", "weging", "eindverantwoordelijke", "open-melden",
        "terugkoppeling-veilig-thuis", "vervolgafspraken", "hulp-afspraken", "evaluatiedatum",
    }
)  # fmt: skip
_INTERPRETATIE = re.compile(r"\binterpretaties?\s*:", re.IGNORECASE)


def de_melding(d: Dossier, a: Antwoorden) -> Sectie:
    """Section "De melding": facts and interpretation apart, signals, what was done with
    dates, each afweging with its onderbouwing, the meldnorm, who decided, open melden and
    what the professional keeps doing; the rest of the path under "Verder vastgelegd"."""
    delen: list[Onderdeel] = []
    feiten, interpretatie = _splits(a.tekst("signalen-beschrijving"))
    delen.append(
        Onderdeel(
            f"Feiten met bron{a.datum('signalen-beschrijving')}",
            feiten or in_te_vullen("wat u zag of hoorde, met datum en bron"),
        )
    )
    delen.append(
        Onderdeel(
            "Interpretatie (apart van de feiten)",
            interpretatie or in_te_vullen("uw interpretatie en zorgen, apart van de feiten"),
        )
    )
    if signalen := a.antwoord("signalen"):
        delen.append(Onderdeel("Soorten signalen", "", tuple(signalen.split("; "))))
    if a.waarden.get("acuut-gevaar") == "ja":
        delen.append(
            Onderdeel(
                "Acuut gevaar",
                "",
                tuple(
                    f"{kop}{a.datum(v)}: {a.tekst(v) or IN_TE_VULLEN}"
                    for v, kop in (("acuut-gezien", "Wat ik zag"), ("acuut-gebeld", "Wie ik belde"))
                ),
            )
        )
    delen.append(Onderdeel("Wat ik heb gedaan", "", _gedaan(d, a)))
    if weging := a.tekst("weging"):
        delen.append(Onderdeel(f"Weging{a.datum('weging')}", weging))
    for r in (r for s in d.stappen for r in s.regels if r.afweging):
        onderbouwing = r.toelichting or "(geen onderbouwing vastgelegd)"
        delen.append(
            Onderdeel(afweging_kop(r), f"Antwoord: {r.antwoord}\nOnderbouwing: {onderbouwing}")
        )
    u = d.uitkomst
    norm = meldnorm_tekst(u.meldnorm if u else None)
    delen.append(Onderdeel("Meldnorm", norm or f"geen meldnorm ({d.reden_naam()})"))
    delen.append(
        Onderdeel(
            "Besluit genomen door",
            a.tekst("eindverantwoordelijke") or in_te_vullen("de eindverantwoordelijke (functie)"),
        )
    )
    delen.append(Onderdeel("Is de cliënt verteld dat ik meld?", _open_melden(a)))
    blijf = [t for v in ("vervolgafspraken", "hulp-afspraken") if (t := a.tekst(v))]
    delen.append(
        Onderdeel(
            "Wat ik zelf blijf doen",
            "\n".join(blijf)
            or in_te_vullen(
                "wat u blijft doen voor de cliënt of het gezin, en wat u met Veilig Thuis afspreekt"
            ),
        )
    )
    verder = tuple(
        f"{r.tekst} {r.antwoord}" + (f" ({r.toelichting})" if r.toelichting else "")
        for s in d.stappen
        for r in s.regels
        if r.vraag_id not in _GETOOND and not r.afweging and r.antwoord != "(niet ingevuld)"
    )
    if verder:
        delen.append(Onderdeel("Verder vastgelegd", "", verder))
    return Sectie("De melding", tuple(delen))


def _splits(beschrijving: str) -> tuple[str, str]:
    """The facts and, after 'Interpretatie:', the interpretation the professional kept apart."""
    delen = _INTERPRETATIE.split(beschrijving, maxsplit=1)
    if len(delen) == 1:
        return beschrijving, ""
    return delen[0].strip(), delen[1].strip()


def _gedaan(d: Dossier, a: Antwoorden) -> tuple[str, ...]:
    """What the professional did, each with the date it was recorded."""
    punten = []
    if a.tekst("haags-protocol-overleg") or a.waarden.get("haags-protocol") == "ja":
        punten.append(
            f"Haags protocol: ouder gezien op de spoedeisende hulp"
            f"{a.datum('haags-protocol')}; overleg: "
            f"{a.tekst('haags-protocol-overleg') or IN_TE_VULLEN}"
        )
    if t := a.tekst("collegiale-consultatie"):
        punten.append(f"Collegiale consultatie{a.datum('collegiale-consultatie')}: {t}")
    if "veilig-thuis-geraadpleegd" in a.waarden:
        ja = a.waarden["veilig-thuis-geraadpleegd"] == "ja"
        advies = f": {t}" if (t := a.tekst("veilig-thuis-advies")) else ""
        punten.append(
            f"Advies van Veilig Thuis{a.datum('veilig-thuis-geraadpleegd')}: "
            + (f"gevraagd{advies}" if ja else "niet gevraagd")
        )
    punten += [
        f"Advies van Veilig Thuis ({datum_nl(e.tijd)}): {e.toelichting or ''}".rstrip(": ")
        for e in d.events
        if e.soort == "advies-veilig-thuis"
    ]
    if t := a.tekst("letselduiding"):
        punten.append(f"Letselduiding{a.datum('letselduiding')}: {t}")
    if a.waarden.get("gesprek-gevoerd") == "ja":
        verslag = a.tekst("gesprek-verslag") or in_te_vullen("wat is besproken en de reactie")
        punten.append(f"Gesprek met de cliënt{a.datum('gesprek-gevoerd')}: {verslag}")
    elif a.waarden.get("gesprek-gevoerd") == "nee":
        punten.append(
            f"Geen gesprek met de cliënt{a.datum('gesprek-gevoerd')}: "
            f"{a.antwoord('gesprek-overgeslagen-reden') or IN_TE_VULLEN} (gronden: "
            "zie 'Niet ter inzage voor betrokkenen')"
        )
    if datum := a.tekst("evaluatiedatum"):
        punten.append(
            f"Hulp geboden of georganiseerd, geëvalueerd op {datum_nl(datum)} (afweging 5)"
        )
    if "kindcheck" in a.waarden:
        punten.append(f"Kindcheck{a.datum('kindcheck')}: {a.antwoord('kindcheck')}")
    return tuple(punten) or (IN_TE_VULLEN,)


def _open_melden(a: Antwoorden) -> str:
    waarde = a.waarden.get("open-melden")
    if waarde == "verteld":
        r = a.regels["open-melden"]
        return f"Ja, vooraf verteld{a.datum('open-melden')}." + (
            f" {r.toelichting}" if r.toelichting else ""
        )
    if isinstance(waarde, str):
        return "Nee, een uitzondering op open melden; zie 'Niet ter inzage voor betrokkenen'."
    if a.waarden.get("acuut-gevaar") == "ja":
        return in_te_vullen("acuut gevaar: of en wanneer de cliënt is verteld dat u meldde")
    return in_te_vullen(
        "of en hoe u de cliënt vooraf vertelde dat u meldt en de reactie, of welke "
        "uitzondering geldt ('meldcode hervat' vraagt het)"
    )
