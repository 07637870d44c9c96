"""The parts of a dossier document as plain rows, shared by the Markdown and HTML exports."""

from __future__ import annotations

from dataclasses import dataclass

from meldcode.dossier.build import OEFENING, PRIVACY, Dossier, antwoord_nl, display
from meldcode.model import Flow
from meldcode.store.records import Event
from meldcode.text.formatting import datum_nl, tijd_nl
from meldcode.text.phrases import (
    NOG_VAST_TE_LEGGEN,
    NOG_VAST_TE_LEGGEN_UITLEG,
    UITKOMST_NAMEN,
    meldnorm_tekst,
    reden_naam,
)

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
    "verantwoording",
]

STATUS_NAMEN: dict[str, str] = {
    "open": "open (nog geen uitkomst)",
    "afgerond": "afgerond",
    "wacht-op-evaluatie": "wacht op evaluatie (afweging 5)",
    "vervolg": "vervolg (na de uitkomst is het vervolg nog vast te leggen)",
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
    if c.evaluatiedatum and c.status == "wacht-op-evaluatie":
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


def vraag_tekst(vraag_id: str | None, flow: Flow | None) -> str:
    """A question's text for its id, the id when the flow does not know it."""
    if vraag_id is None:
        return ""
    if flow is not None and flow.has_vraag(vraag_id):
        return flow.vraag(vraag_id).tekst
    return vraag_id


def antwoord_tekst(e: Event, flow: Flow | None = None) -> str:
    """What an event recorded, for a reader: an outcome and a closing reason in words, an
    answer with its option labels and dates as dd-mm-jjjj (when `flow` knows the question)."""
    if e.soort == "uitkomst" and isinstance(e.antwoord, dict):
        u = e.antwoord
        delen = [UITKOMST_NAMEN.get(str(u.get("id")), str(u.get("id")))]
        if u.get("reden"):
            delen.append(f"reden: {reden_naam(str(u['reden']))}")
        if u.get("meldnorm"):
            delen.append(f"meldnorm {u['meldnorm']}")
        return "; ".join(delen)
    if e.soort == "afsluiten" and isinstance(e.antwoord, str):
        return reden_naam(e.antwoord)
    if flow is not None and e.vraag is not None and flow.has_vraag(e.vraag):
        return antwoord_nl(flow.vraag(e.vraag), e.antwoord)
    return display(e.antwoord)
