"""The parts of a dossier document as plain rows, shared by the Markdown and HTML exports."""

from __future__ import annotations

from dataclasses import dataclass

from meldcode.contract import Status
from meldcode.dossier.value import (
    OEFENING,
    PRIVACY,
    Dossier,
    Regel,
    antwoord_tekst,
    vraag_tekst,
)
from meldcode.text.formatting import datum_nl, tijd_nl
from meldcode.text.phrases import NOG_VAST_TE_LEGGEN, NOG_VAST_TE_LEGGEN_UITLEG, meldnorm_tekst

__all__ = [
    "NOG_VAST_TE_LEGGEN",
    "NOG_VAST_TE_LEGGEN_UITLEG",
    "OEFENING",
    "PRIVACY",
    "LogRegel",
    "gegevens",
    "log",
    "stap_titel",
    "uitkomst",
    "velden",
    "verantwoording",
]

STATUS_NAMEN: dict[str, str] = {
    Status.OPEN: "open (nog geen uitkomst)",
    Status.AFGEROND: "afgerond",
    Status.WACHT: "wacht op evaluatie (afweging 5)",
    Status.VERVOLG: "vervolg (na de uitkomst is het vervolg nog vast te leggen)",
}


def titel(d: Dossier) -> str:
    """The document title."""
    return f"Meldcodedossier casus {d.casus.id}"


def gegevens(d: Dossier) -> list[tuple[str, str]]:
    """The case's particulars, label left out when exported without it."""
    c = d.casus
    rows = [("Casus", c.id)]
    if d.label:
        rows.append(("Eigen kenmerk", d.label))
    rows += [
        ("Sector", f"{d.sector_naam} ({c.sector})"),
        ("Status", f"vervolg ({d.vervolg})" if d.vervolg else STATUS_NAMEN.get(c.status, c.status)),
        ("Aangemaakt", tijd_nl(c.aangemaakt)),
        ("Laatst bijgewerkt", tijd_nl(c.bijgewerkt)),
    ]
    if d.eindverantwoordelijke:
        rows.append(("Eindverantwoordelijke (organisatie)", d.eindverantwoordelijke))
    if c.evaluatiedatum and c.status == Status.WACHT:
        rows.append(("Evaluatiedatum (afweging 5)", datum_nl(c.evaluatiedatum)))
    if c.oefening:
        rows.insert(0, ("Soort", "OEFENING"))
    return rows


def uitkomst(d: Dossier) -> list[tuple[str, str]]:
    """The outcome: decision, reason, meldnorm and what it means, the advice."""
    u = d.uitkomst
    if u is None:
        return [("Besluit", "Nog geen uitkomst: de casus is open.")]
    rows = [("Besluit", d.uitkomst_naam)]
    if u.reden:
        rows.append(("Reden", d.reden_naam()))
    if toelichting := d.afsluit_toelichting:
        rows.append(("Toelichting", toelichting))
    if u.meldnorm is not None:
        tekst = meldnorm_tekst(u.meldnorm) or str(u.meldnorm)
        rows.append(("Meldnorm", tekst[0].upper() + tekst[1:] + "."))
    else:
        rows.append(("Meldnorm", "geen (er is geen melding op grond van een meldnorm)"))
    rows.append(("Wat u nu doet", u.tekst))
    return rows


def verantwoording(d: Dossier) -> list[tuple[str, str]]:
    """Flow version and hash, the log's size and last hash, and when this was made."""
    c = d.casus
    actueel = (
        "gelijk aan de huidige flows"
        if d.flow_actueel
        else "de huidige flows wijken af (zie 'meldcode herbereken')"
    )
    return [
        ("Flow", f"{c.sector}, versie {c.flow_versie}"),
        ("Flow-hash", f"{c.flow_hash} ({actueel})"),
        ("Logboek", logboek(d)),
        ("Gegenereerd op", tijd_nl(d.gegenereerd)),
    ]


def keten_waarschuwing(d: Dossier) -> str | None:
    """At the top of a dossier whose chain or case row does not hold: do not trust it."""
    if d.keten_fout is None:
        return None
    return (
        "LET OP: dit dossier klopt niet met zijn vastgelegde logboek (de hashketen of de "
        "casusgegevens zijn na het vastleggen gewijzigd). Vertrouw de gegevens hieronder niet; "
        f"zie 'meldcode verifieer {d.casus.id}'."
    )


def logboek(d: Dossier) -> str:
    """The log's size and its head hash, computed from the verified events (never the row)."""
    if d.keten_fout is None:
        return f"{len(d.events)} gebeurtenissen, laatste hash (kop) {d.kop}"
    return (
        f"{len(d.events)} gebeurtenissen. LET OP: de keten klopt niet ({d.keten_fout}); "
        f"dit dossier is niet te vertrouwen. Zie 'meldcode verifieer {d.casus.id}'."
    )


def stap_titel(stap_id: str, naam: str) -> str:
    """`Stap 2 – Collegiale consultatie …` for a step id and its name."""
    if stap_id.startswith("stap-"):
        return f"Stap {stap_id.removeprefix('stap-')} – {naam}"
    return naam


def velden(r: Regel) -> list[tuple[str, str]]:
    """What a document shows under a question: the answer, and the toelichting when there is
    one or the question is an afweging (whose reasoning belongs in the dossier)."""
    uit = [("Antwoord", r.antwoord)] if r.antwoord else []
    if r.afweging or r.toelichting:
        uit.append(("Toelichting", r.toelichting or "(geen toelichting vastgelegd)"))
    return uit


@dataclass(frozen=True)
class LogRegel:
    """One event as a row of the log table."""

    volgnummer: str
    tijd: str
    soort: str
    vraag: str
    antwoord: str
    toelichting: str


def log(d: Dossier) -> list[LogRegel]:
    """Every event, superseded answers included; questions and answers in words (the JSON
    and CSV exports keep the ids)."""
    return [
        LogRegel(
            str(e.volgnummer),
            tijd_nl(e.tijd),
            e.soort,
            vraag_tekst(e.vraag, d.flow),
            antwoord_tekst(e, d.flow),
            e.toelichting or "",
        )
        for e in d.events
    ]
