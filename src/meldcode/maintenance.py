"""Case management behind the commands: verify chains, apply retention, replay on new flows."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from meldcode import engine
from meldcode.errors import (
    InvalidAntwoord,
    InvalidDuur,
    MeldcodeError,
    StoreCorrupt,
    StoreLocked,
)
from meldcode.history import state_from_events
from meldcode.log import GENESIS, Event, first_broken
from meldcode.model import Antwoord, Flow, State, Uitkomst, Waarde, Wacht
from meldcode.store import EVENT_COLUMNS, Casus, Store, event_for_chain_check

# --- verifieer ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Breuk:
    """The first event of a case whose hash or link does not hold."""

    casus_id: str
    volgnummer: int


@dataclass
class Verificatie:
    """What `verifieer` found."""

    casussen: int = 0
    events: int = 0
    breuken: list[Breuk] = field(default_factory=list)
    # Cases walked with flows other than the current ones: information, not an error.
    andere_flow: dict[str, int] = field(default_factory=dict)


def verify(store: Store, casus_id: str | None = None) -> Verificatie:
    """Recompute every hash chain (or one case's) and compare flow hashes with today's flows.

    The file itself is checked first: a damaged page (also of an index that no chain needs)
    is StoreCorrupt (exit 3), never "in orde".
    """
    from meldcode.loader import load_flow

    if store.damage():
        raise StoreCorrupt(pad=str(store.path))
    huidig: dict[str, str | None] = {}
    result = Verificatie()
    for casus, events in _cases_with_events(store, casus_id):
        result.casussen += 1
        result.events += len(events)
        broken = first_broken(casus.id, events)
        if broken is not None:
            result.breuken.append(Breuk(casus.id, broken.volgnummer))
        elif (events[-1].hash if events else GENESIS, len(events)) != (
            casus.laatste_hash,
            casus.aantal_events,
        ):
            # The chain holds but ends early: events after the last one were removed.
            result.breuken.append(Breuk(casus.id, len(events) + 1))
        if casus.sector not in huidig:
            try:
                huidig[casus.sector] = load_flow(casus.sector).hash
            except MeldcodeError:
                huidig[casus.sector] = None
        if casus.flow_hash != huidig[casus.sector]:
            result.andere_flow[casus.sector] = result.andere_flow.get(casus.sector, 0) + 1
    return result


def _cases_with_events(store: Store, casus_id: str | None) -> Iterator[tuple[Casus, list[Event]]]:
    """Each case with its events, in one ordered scan of the events table."""
    if casus_id is not None:
        casus = store.get(casus_id)
        rows = store.rows(
            f"SELECT casus_id, {EVENT_COLUMNS} FROM events WHERE casus_id = ? ORDER BY volgnummer",
            (casus_id,),
        )
        yield casus, [_event(r) for r in rows]
        return
    casussen = {c.id: c for c in store.casussen()}
    rows = store.rows(f"SELECT casus_id, {EVENT_COLUMNS} FROM events ORDER BY casus_id, volgnummer")
    huidig: str | None = None
    events: list[Event] = []
    for r in rows:
        if r[0] != huidig:
            if huidig is not None and huidig in casussen:
                yield casussen.pop(huidig), events
            huidig, events = r[0], []
        events.append(_event(r))
    if huidig is not None and huidig in casussen:
        yield casussen.pop(huidig), events
    for casus in casussen.values():  # a case row without any event left
        yield casus, []


def _event(r: Sequence[Any]) -> Event:
    # An answer that is no longer valid JSON is reported as a broken event, not a crash.
    return event_for_chain_check(r[1:])


# --- opschonen ------------------------------------------------------------------------------


def cutoff(duur: str, vandaag: dt.date) -> dt.date:
    """The date before which a case's last change must lie to be past `duur` (20j, 6m)."""
    m = re.fullmatch(r"\s*(\d{1,3})\s*([jm])\s*", duur.lower())
    if m is None or int(m.group(1)) == 0:
        raise InvalidDuur(waarde=duur)
    maanden = int(m.group(1)) * (12 if m.group(2) == "j" else 1)
    jaar, maand = divmod(vandaag.year * 12 + vandaag.month - 1 - maanden, 12)
    dag = min(vandaag.day, 28 if maand + 1 == 2 else 30 if maand + 1 in (4, 6, 9, 11) else 31)
    return dt.date(jaar, maand + 1, dag)


def expired(store: Store, voor: dt.date) -> list[tuple[str, str]]:
    """(id, date of last change) of every case last changed before `voor`, oldest first."""
    rows = store.rows(
        "SELECT id, substr(bijgewerkt, 1, 10) FROM casussen WHERE bijgewerkt < ?"
        " ORDER BY bijgewerkt, id",
        (voor.isoformat(),),
    )
    return [(r[0], r[1]) for r in rows]


@dataclass(frozen=True)
class Opschoning:
    """What `opschonen --uitvoeren` did."""

    verwijderd: list[str]
    overgeslagen: list[str]  # open in another meldcode process: kept
    opgeschoond: bool  # whether the database file could be compacted (VACUUM)


def purge(store: Store, ids: list[str]) -> Opschoning:
    """Delete these cases, each under its lock; a case open elsewhere is skipped."""
    vrij: list[str] = []
    bezet: list[str] = []
    for casus_id in ids:
        try:
            store.lock(casus_id)
        except StoreLocked:
            bezet.append(casus_id)
        else:
            vrij.append(casus_id)
    opgeschoond = store.delete(*vrij) if vrij else True
    return Opschoning(verwijderd=vrij, overgeslagen=bezet, opgeschoond=opgeschoond)


# --- herbereken -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Vergelijking:
    """One question of the stored case replayed against other flows."""

    vraag_id: str
    antwoord: Waarde
    oordeel: str  # "gelijk", "vervalt", "ongeldig", "nieuw"


@dataclass(frozen=True)
class Herberekening:
    """The stored path and outcome next to what the other flows would give."""

    vragen: tuple[Vergelijking, ...]
    oud: tuple[str | None, str | None, int | None]
    nieuw: Uitkomst | None
    wacht: Wacht | None
    volgende: str | None  # the first question the other flows ask that the case never answered
    flow_hash: str
    # The flow version the case was walked with, and that of the other flows (e.g. 2026.2 and
    # 2026.3), and the case status now and with the other flows (contract 2 adds `vervolg`).
    versie: tuple[str, str] = ("", "")
    status: tuple[str, str] = ("", "")

    @property
    def status_gewijzigd(self) -> bool:
        """Whether the case status would differ (e.g. a melding now keeps its follow-up)."""
        return self.status[0] != self.status[1]

    @property
    def pad_gewijzigd(self) -> bool:
        """Whether any question would be dropped, refused or added."""
        return any(v.oordeel != "gelijk" for v in self.vragen)

    @property
    def uitkomst_gewijzigd(self) -> bool:
        """Whether the outcome (id, reden, meldnorm) would differ."""
        n = self.nieuw
        return self.oud != ((n.id, n.reden, n.meldnorm) if n else (None, None, None))


def herbereken(
    casus: Casus, events: list[Event], oud_flow: Flow, nieuw_flow: Flow
) -> Herberekening:
    """Replay the case's active answers, in order, against `nieuw_flow`; nothing is stored."""
    oud_state = state_from_events(oud_flow, casus.sector, events)
    gegeven = {a.vraag_id: a for a in oud_state.antwoorden}
    state = State(sector=casus.sector)
    vragen: list[Vergelijking] = []
    while True:
        w = engine.walk(nieuw_flow, state)
        vraag = w.volgende
        if w.wacht is not None or vraag is None:
            break
        if vraag.id not in gegeven:
            gebruikt = {v.vraag_id for v in vragen}
            if vraag.verplicht or gegeven.keys() <= gebruikt:
                break
            # A question the other flows add and that may stay empty (e.g. the kindcheck's
            # toelichting in 2026.3) does not stop the replay of a case that went further: it
            # is new, and left empty.
            state = engine.advance(nieuw_flow, state, Antwoord(vraag_id=vraag.id))
            vragen.append(Vergelijking(vraag.id, None, "nieuw"))
            continue
        oud = gegeven[vraag.id]
        try:
            state = engine.advance(nieuw_flow, state, oud)
        except InvalidAntwoord:
            vragen.append(Vergelijking(vraag.id, oud.waarde, "ongeldig"))
            break
        vragen.append(Vergelijking(vraag.id, oud.waarde, "gelijk"))
    if oud_state.afgesloten is not None:
        state = state.model_copy(update={"afgesloten": oud_state.afgesloten})
    w = engine.walk(nieuw_flow, state)
    volgende = None
    if w.volgende is not None and w.uitkomst is None and w.wacht is None:
        volgende = w.volgende.id
        vragen.append(Vergelijking(volgende, None, "nieuw"))
    nieuw_pad = {v.vraag_id for v in vragen if v.oordeel in ("gelijk", "nieuw")}
    vragen += [
        Vergelijking(a.vraag_id, a.waarde, "vervalt")
        for a in oud_state.antwoorden
        if a.vraag_id not in nieuw_pad and all(v.vraag_id != a.vraag_id for v in vragen)
    ]
    return Herberekening(
        vragen=tuple(vragen),
        oud=(casus.uitkomst_id, casus.uitkomst_reden, casus.meldnorm),
        nieuw=w.uitkomst,
        wacht=w.wacht,
        volgende=volgende,
        flow_hash=nieuw_flow.hash,
        versie=(casus.flow_versie, nieuw_flow.versie),
        status=(casus.status, engine.case_status(w)),
    )
