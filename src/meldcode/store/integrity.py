"""`meldcode verifieer`: every case replayed from its chained log and compared with its row,
the store-wide register of case heads, and the anchors a user kept (docs/integriteit.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from meldcode.errors import MeldcodeError, StoreCorrupt
from meldcode.store.interface import CaseStore
from meldcode.store.log import GENESIS, KOP_VELDEN, event_hash, kop_hash, register_hash
from meldcode.store.records import DERIVED_FIELDS, Casus, Event, RegisterEntry

# The row fields a replay of the log gives (history.case_fields).
_AFGELEID = DERIVED_FIELDS


@dataclass(frozen=True)
class Breuk:
    """The first thing of a case (or of the register) that does not hold, and what it is."""

    casus_id: str  # or "register" / "anker"
    volgnummer: int | None  # the first broken event; None when it is not one event
    wat: str  # what differs, in Dutch; names fields, never their content


@dataclass
class Verificatie:
    """What `verifieer` found."""

    casussen: int = 0
    events: int = 0
    breuken: list[Breuk] = field(default_factory=list)
    # Cases walked with flows other than the current ones: information, not an error.
    andere_flow: dict[str, int] = field(default_factory=dict)
    # Cases made before their particulars were chained (event 1 links to GENESIS).
    zonder_kop: int = 0
    wortel: tuple[int, str] = (0, GENESIS)  # the register's last entry: the store's root
    kop: str | None = None  # the verified head of the one case asked for


def verify(
    store: CaseStore,
    casus_id: str | None = None,
    *,
    anker: str | None = None,
    kop: str | None = None,
) -> Verificatie:
    """Check the file, every case (or one) against its log, the register and the anchors.

    A damaged page (also of an index that no chain needs) is StoreCorrupt (exit 3), never
    "in orde".
    """
    if store.damage():
        raise StoreCorrupt(pad=store.location)
    result = Verificatie()
    ankers_gezien = _check_register(store, result, anker)
    if anker is not None and not ankers_gezien:
        wat = (
            "het bewaarde anker staat niet in het register: de opslag is sindsdien herschreven, "
            "ingekort of vervangen (of het anker hoort bij een andere opslag)"
        )
        result.breuken.append(Breuk("anker", None, wat))
    flows: dict[str, Any] = {}
    for keten in store.chains(casus_id):
        casus, events = keten.casus, keten.events
        if casus is not None:
            result.casussen += 1
            result.events += len(events)
        breuk = _check_case(keten.casus_id, casus, events, keten.entries, flows, result)
        if breuk is not None:
            result.breuken.append(breuk)
        elif casus is not None and casus_id is not None:
            result.kop = events[-1].hash if events else casus.laatste_hash
    if kop is not None and casus_id is not None:
        _check_kop(store, casus_id, kop, result)
    return result


def _check_register(store: CaseStore, result: Verificatie, anker: str | None) -> bool:
    """Walk the register's chain; a break is reported. True if `anker` is one of its hashes."""
    vorige, gezien, nummer = GENESIS, False, 0
    for r in store.register():
        nummer += 1
        hashed = (r.volgnummer, r.casus_id, r.soort, r.kop, r.aantal, r.vorige_hash)
        if r.volgnummer != nummer or r.vorige_hash != vorige or r.hash != register_hash(*hashed):
            wat = f"registerregel {nummer} is gewijzigd, verwijderd of tussengevoegd"
            result.breuken.append(Breuk("register", nummer, wat))
            return False
        vorige = r.hash
        gezien = gezien or r.hash == anker
    result.wortel = (nummer, vorige)
    return gezien


def _check_kop(store: CaseStore, casus_id: str, kop: str, result: Verificatie) -> None:
    """The kept head must be the start or an event hash of the case's (intact) chain."""
    if any(b.casus_id == casus_id for b in result.breuken):
        return  # the chain itself is already reported
    casus = store.get(casus_id)
    (keten,) = store.chains(casus_id)
    events = keten.events
    hashes = {_begin(casus, events), *(e.hash for e in events)}
    if kop.lower() not in hashes:
        wat = "de bewaarde kop staat niet in de keten: het logboek is herschreven of ingekort"
        result.breuken.append(Breuk(casus_id, None, wat))


def _begin(casus: Casus, events: Sequence[Event]) -> str:
    """What event 1 links to: the case's kop, or GENESIS for a case made before the
    particulars were chained (schema version 2 and older)."""
    eerste = events[0].vorige_hash if events else casus.laatste_hash
    if eerste == GENESIS:
        return GENESIS
    return kop_hash(casus.id, {k: getattr(casus, k) for k in KOP_VELDEN})


def _check_case(
    casus_id: str,
    casus: Casus | None,
    events: Sequence[Event],
    entries: Sequence[RegisterEntry],
    flows: dict[str, Any],
    result: Verificatie,
) -> Breuk | None:
    """The first problem of one case, or None."""
    laatste = entries[-1] if entries else None
    if casus is None:
        if laatste is None or laatste.soort == "verwijderd":
            return None
        wat = "de casus ontbreekt, maar het register heeft geen verwijdering vastgelegd"
        return Breuk(casus_id, None, wat)
    begin = _begin(casus, events)
    if begin == GENESIS:
        result.zonder_kop += 1
    breuk = (
        first_broken(casus.id, events, begin)
        or _check_head(casus, events, begin)
        or _check_entries(casus.id, events, entries, begin)
    )
    if breuk is not None:
        return breuk
    verschil = _row_differs(casus, events, flows, result)
    return Breuk(casus.id, None, verschil) if verschil else None


def _check_head(casus: Casus, events: Sequence[Event], begin: str) -> Breuk | None:
    """The row's head hash and count must be those of the chain."""
    kop = events[-1].hash if events else begin
    if (kop, len(events)) == (casus.laatste_hash, casus.aantal_events):
        return None
    if not events and casus.aantal_events == 0:
        wat = "de gegevens van de casus (sector, label, oefening, aangemaakt of flow) wijken af"
        return Breuk(casus.id, None, wat)
    if casus.aantal_events > len(events):
        wat = "de laatste gebeurtenissen ontbreken (de casusrij telt er meer)"
        return Breuk(casus.id, len(events) + 1, wat)
    return Breuk(casus.id, None, "laatste_hash of aantal_events in de casusrij wijkt af")


def first_broken(casus_id: str, events: Sequence[Event], begin: str = GENESIS) -> Breuk | None:
    """The first event whose number, link or own hash does not hold, and which of these.

    `begin` is what event 1 links to: the hash of the case's particulars (GENESIS for cases
    made before they were chained). A gap in the numbers names the missing event.
    """
    vorige = begin
    for nummer, e in enumerate(events, start=1):
        if e.volgnummer != nummer:
            wat = "volgnummer klopt niet: een gebeurtenis is verwijderd of verplaatst"
        elif e.hash != event_hash(casus_id, e.hashed_fields()):
            wat = "inhoud gewijzigd (de hash klopt niet)"
        elif e.vorige_hash != vorige:
            wat = (
                "de gegevens van de casus (sector, label, oefening, aangemaakt of flow) wijken "
                "af van de keten"
                if nummer == 1 and begin != GENESIS
                else "de verwijzing naar de vorige gebeurtenis klopt niet (herschreven keten)"
            )
        else:
            vorige = e.hash
            continue
        return Breuk(casus_id, e.volgnummer if e.volgnummer == nummer else nummer, wat)
    return None


def _check_entries(
    casus_id: str, events: Sequence[Event], entries: Sequence[RegisterEntry], begin: str
) -> Breuk | None:
    """Each head the register recorded for the case must still be on its chain."""
    if not entries:
        return Breuk(casus_id, None, "de casus staat niet in het register")
    for entry in entries:
        if entry.soort == "verwijderd":
            continue
        if entry.aantal > len(events):
            wat = "de laatste gebeurtenissen ontbreken (het register kent er meer)"
            return Breuk(casus_id, len(events) + 1, wat)
        verwacht = events[entry.aantal - 1].hash if entry.aantal else begin
        if entry.soort != "bestaand" and entry.kop != verwacht:
            wat = "de keten is herschreven (het register kent een andere hash)"
            return Breuk(casus_id, max(entry.aantal, 1), wat)
    laatste = entries[-1]
    if laatste.soort == "verwijderd":
        return Breuk(casus_id, None, "het register zegt dat deze casus verwijderd is")
    if laatste.aantal != len(events):
        wat = "gebeurtenissen toegevoegd buiten meldcode om (niet in het register)"
        return Breuk(casus_id, laatste.aantal + 1, wat)
    return None


def _row_differs(
    casus: Casus, events: Sequence[Event], flows: dict[str, Any], result: Verificatie
) -> str | None:
    """The row fields that differ from what its log gives (names only), or None."""
    verkeerd: list[str] = []
    if casus.bijgewerkt != (events[-1].tijd if events else casus.aangemaakt):
        verkeerd.append("bijgewerkt")
    uitkomsten = [e for e in events if e.soort == "uitkomst"]
    flow = _flow(casus, flows, result)
    verwacht = _replay(flow, casus, events) if flow is not None else None
    if verwacht is not None:
        verkeerd += [k for k in _AFGELEID if getattr(casus, k) != verwacht[k]]
    elif casus.uitkomst_id is not None:
        # Other flows: the row's outcome must at least be the last one the log records.
        a = uitkomsten[-1].antwoord if uitkomsten else {}
        rij = (casus.uitkomst_id, casus.uitkomst_reden, casus.meldnorm)
        if not isinstance(a, dict) or rij != (a.get("id"), a.get("reden"), a.get("meldnorm")):
            verkeerd.append("uitkomst")
    if casus.uitkomst_id is None:
        if casus.uitkomst_tijd is not None:
            verkeerd.append("uitkomst_tijd")
    elif not uitkomsten or not _same_second(casus.uitkomst_tijd, uitkomsten[-1].tijd):
        verkeerd.append("uitkomst_tijd")
    if not verkeerd:
        return None
    return "de casusrij wijkt af van het logboek: " + ", ".join(verkeerd)


def _flow(casus: Casus, flows: dict[str, Any], result: Verificatie) -> Any:
    """The current flow of the case's sector if the case was walked with it, else None."""
    from meldcode.loading import load_flow

    if casus.sector not in flows:
        try:
            flows[casus.sector] = load_flow(casus.sector)
        except MeldcodeError:
            flows[casus.sector] = None
    flow = flows[casus.sector]
    if flow is None or flow.hash != casus.flow_hash:
        result.andere_flow[casus.sector] = result.andere_flow.get(casus.sector, 0) + 1
        return None
    return flow


def _replay(flow: Any, casus: Casus, events: Sequence[Event]) -> dict[str, Any] | None:
    """The row fields the log gives when replayed on `flow`; None when it no longer fits."""
    from meldcode.store.history import case_fields, state_from_events

    try:
        return case_fields(flow, state_from_events(flow, casus.sector, events))
    except (MeldcodeError, ValueError):  # an answer the flow refuses (pydantic: ValueError)
        return None


def _same_second(a: str | None, b: str) -> bool:
    """Equal times; a store from before uitkomst_tijd was the event's own time may differ by
    the clock tick between two readings."""
    if a == b:
        return True
    try:
        verschil = dt.datetime.fromisoformat(a or "") - dt.datetime.fromisoformat(b)
    except ValueError:
        return False
    return abs(verschil.total_seconds()) <= 1


def check_one(store: CaseStore, casus_id: str, flow: Any) -> tuple[str | None, str | None]:
    """For a dossier: the case's head hash from its verified events, or None and what does not
    hold (the file itself and the register are left to `verifieer`)."""
    result = Verificatie()
    flows = {} if flow is None else {flow.sector.id: flow}
    for keten in store.chains(casus_id):
        casus, events = keten.casus, keten.events
        breuk = _check_case(keten.casus_id, casus, events, keten.entries, flows, result)
        if breuk is not None:
            plaats = f"gebeurtenis {breuk.volgnummer}: " if breuk.volgnummer else ""
            return None, plaats + breuk.wat
        if casus is not None:
            return (events[-1].hash if events else casus.laatste_hash), None
    return None, "de casus ontbreekt"  # pragma: no cover - chains() raises CasusNotFound first
