"""Case management behind the commands: verify chains, apply retention, replay on new flows."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from meldcode import engine
from meldcode.errors import (
    InvalidAntwoord,
    InvalidDuur,
    StoreLocked,
)
from meldcode.model import Antwoord, Flow, State, Uitkomst, Waarde, Wacht
from meldcode.store.history import state_from_events
from meldcode.store.interface import CaseStore
from meldcode.store.records import Casus, Event

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


def expired(store: CaseStore, voor: dt.date) -> list[tuple[str, str]]:
    """(id, date of last change) of every case last changed before `voor`, oldest first."""
    # Instants, not text: a time written under another UTC offset (a DST change) compares by
    # the moment it names. `voor` is local midnight.
    return store.changed_before(dt.datetime.combine(voor, dt.time()).astimezone().isoformat())


# Cases locked and deleted at a time: far below any open-file limit (each lock is an open file).
BATCH = 200


@dataclass
class Opschoning:
    """What `opschonen --uitvoeren` did so far (also when it stopped on an error)."""

    verwijderd: list[str] = field(default_factory=list)
    overgeslagen: list[str] = field(default_factory=list)  # open in another process: kept
    # What kept the file from being compacted (Store.compact), None when it was.
    niet_opgeschoond: str | None = None


def purge(store: CaseStore, ids: list[str], gedaan: Opschoning | None = None) -> Opschoning:
    """Delete these cases in batches, each case under its lock; a case open elsewhere is
    skipped. `gedaan` (if given) is filled as batches are committed, so a caller that sees an
    error can still say what was deleted."""
    gedaan = gedaan if gedaan is not None else Opschoning()
    for begin in range(0, len(ids), BATCH):
        vrij: list[str] = []
        try:
            for casus_id in ids[begin : begin + BATCH]:
                try:
                    store.lock(casus_id)
                except StoreLocked:
                    gedaan.overgeslagen.append(casus_id)
                else:
                    vrij.append(casus_id)
            if vrij:
                store.delete(*vrij, compact=False)
                gedaan.verwijderd += vrij
        finally:
            for casus_id in vrij:
                store.unlock(casus_id)
    if gedaan.verwijderd:
        gedaan.niet_opgeschoond = store.compact()
    return gedaan


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
