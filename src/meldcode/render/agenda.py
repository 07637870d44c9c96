"""What is due after a decision: the terugkoppeling of Veilig Thuis, evaluations, open cases
nobody touched; as a list for `lijst --te-doen` and as iCalendar (RFC 5545) for `--agenda`.

The calendar holds only case ids and what is due: no label, no answer, no case text, so a file
synchronised to a phone or shared agenda says nothing about anyone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from meldcode.contract import Status
from meldcode.deadlines import (
    OPEN_DAGEN,
    TERUGKOPPELING_WERKDAGEN,
    open_aandacht_op,
    terugkoppeling_op,
    werkdagen_terug,
)
from meldcode.store import CaseStore as Store
from meldcode.store import Casus

# What is due, in the order `lijst --te-doen` shows it, with its words.
SOORTEN: dict[str, str] = {
    "terugkoppeling": "terugkoppeling van Veilig Thuis nagaan (5 werkdagen na de melding)",
    "evaluatie": "evaluatie van de hulp (afweging 5)",
    "open": "open casus, 14 dagen niet bijgewerkt",
}
VERDER: dict[str, str] = {
    "terugkoppeling": "Geen bericht? Bel Veilig Thuis (0800-2000); leg het vast met "
    "'meldcode hervat {id}'.",
    "evaluatie": "Evalueer de hulp met 'meldcode hervat {id}'.",
    "open": "Ga verder met 'meldcode hervat {id}', of sluit de casus af met een reden.",
}


@dataclass(frozen=True)
class TeDoen:
    """One follow-up of one case: what, and on which date (ISO)."""

    casus_id: str
    soort: str
    datum: str


def vervolgdata(store: Store) -> Iterator[TeDoen]:
    """Every follow-up date, upcoming and overdue: the terugkoppeling after a melding whose
    terugkoppeling is not recorded, and each evaluation date of a case still waiting for it."""
    for c in store.iter_casussen(status=Status.VERVOLG):
        if c.uitkomst_tijd and not _teruggekoppeld(store, c):
            yield TeDoen(c.id, "terugkoppeling", terugkoppeling_op(c.uitkomst_tijd))
        if c.evaluatiedatum:
            yield TeDoen(c.id, "evaluatie", c.evaluatiedatum)
    for c in store.iter_casussen(status=Status.WACHT):
        if c.evaluatiedatum:
            yield TeDoen(c.id, "evaluatie", c.evaluatiedatum)


def te_doen(store: Store, vandaag: dt.date) -> list[TeDoen]:
    """What is due today or overdue, oldest first: follow-ups past their date (the store's own
    filter for `lijst --evaluatie-verlopen`) and open cases untouched for 14 days."""
    dag = vandaag.isoformat()
    items = []
    melding_voor = werkdagen_terug(vandaag, TERUGKOPPELING_WERKDAGEN)
    for c in store.iter_casussen(evaluatie_voor=dag, vervolg_voor=melding_voor):
        if c.evaluatiedatum and c.evaluatiedatum <= dag:
            items.append(TeDoen(c.id, "evaluatie", c.evaluatiedatum))
        if (
            c.status == Status.VERVOLG
            and c.uitkomst_tijd
            and c.uitkomst_tijd[:10] <= melding_voor
            and not _teruggekoppeld(store, c)
        ):
            items.append(TeDoen(c.id, "terugkoppeling", terugkoppeling_op(c.uitkomst_tijd)))
    grens = (vandaag - dt.timedelta(days=OPEN_DAGEN)).isoformat()
    items += [
        TeDoen(c.id, "open", open_aandacht_op(c.bijgewerkt))
        for c in store.iter_casussen(status=Status.OPEN, bijgewerkt_voor=grens)
    ]
    return sorted(items, key=lambda t: (t.datum, list(SOORTEN).index(t.soort), t.casus_id))


def _teruggekoppeld(store: Store, c: Casus) -> bool:
    """Whether the case's log holds a terugkoppeling of Veilig Thuis."""
    antwoorden = {
        e.vraag: e.antwoord for e in store.events(c.id) if e.soort in ("antwoord", "wijziging")
    }
    return bool(antwoorden.get("terugkoppeling-veilig-thuis"))


def ical(items: list[TeDoen], *, nu: dt.datetime, oefening: bool) -> str:
    """The follow-ups as an iCalendar file: one all-day event each, CRLF line ends."""
    stempel = nu.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    regels = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//meldcode//vervolgdata//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for t in items:
        begin = dt.date.fromisoformat(t.datum)
        merk = "OEFENING " if oefening else ""
        regels += [
            "BEGIN:VEVENT",
            f"UID:{t.casus_id}-{t.soort}-{t.datum}@meldcode.invalid",
            f"DTSTAMP:{stempel}",
            f"DTSTART;VALUE=DATE:{begin:%Y%m%d}",
            f"DTEND;VALUE=DATE:{begin + dt.timedelta(days=1):%Y%m%d}",
            _tekst("SUMMARY", f"{merk}meldcode {t.casus_id}: {SOORTEN[t.soort]}"),
            _tekst("DESCRIPTION", VERDER[t.soort].format(id=t.casus_id)),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    regels.append("END:VCALENDAR")
    return "".join(_vouw(r) + "\r\n" for r in regels)


def _tekst(naam: str, waarde: str) -> str:
    """A TEXT property with RFC 5545 §3.3.11 escapes."""
    for teken, vervang in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        waarde = waarde.replace(teken, vervang)
    return f"{naam}:{waarde}"


def _vouw(regel: str) -> str:
    """A content line folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character."""
    delen: list[str] = []
    huidig, lengte = "", 0
    for teken in regel:
        n = len(teken.encode("utf-8"))
        if lengte + n > (75 if not delen else 74):
            delen.append(huidig)
            huidig, lengte = "", 0
        huidig += teken
        lengte += n
    delen.append(huidig)
    return "\r\n ".join(delen)
