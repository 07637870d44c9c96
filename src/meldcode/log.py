"""The decision log: events chained by SHA-256, and the case state they add up to."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from meldcode import engine
from meldcode.model import Antwoord, Flow, State

GENESIS = "0" * 64

EventSoort = Literal[
    "start",  # the case is created: sector, flow version and hash
    "antwoord",  # an answer to a question (a repeated one supersedes the earlier answer)
    "wijziging",  # an answer changed from the overview: old value in toelichting's context
    "terug",  # the user went back to `vraag`; later answers become pre-fills
    "advies-veilig-thuis",  # Veilig Thuis consulted at some step: when, anonymised, the advice
    "afsluiten",  # closed early; antwoord = reason id, toelichting = explanation
    "uitkomst",  # an outcome was reached: antwoord = {id, reden, meldnorm}
    "pauze",  # the user paused; hervat continues
    "hervat",  # the case was resumed
    "herbereken",  # the case's answers were replayed against other flows (no state change)
]


class Event(BaseModel):
    """One entry of the decision log, as stored and exported."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    volgnummer: int
    tijd: str
    soort: EventSoort
    stap: str | None = None
    vraag: str | None = None
    antwoord: Any = None
    toelichting: str | None = None
    vorige_hash: str
    hash: str


def event_hash(casus_id: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the canonical JSON of an event's fields (everything but `hash`)."""
    canon = json.dumps(
        {"casus": casus_id, **fields}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


class Tail(Protocol):
    """What the next event needs of the one before it."""

    @property
    def volgnummer(self) -> int: ...
    @property
    def hash(self) -> str: ...


def chain(
    casus_id: str,
    vorige: Tail | None,
    *,
    tijd: str,
    soort: EventSoort,
    stap: str | None = None,
    vraag: str | None = None,
    antwoord: Any = None,
    toelichting: str | None = None,
) -> Event:
    """The next event after `vorige` (None for the first), with its hash."""
    fields: dict[str, Any] = {
        "volgnummer": 1 if vorige is None else vorige.volgnummer + 1,
        "tijd": tijd,
        "soort": soort,
        "stap": stap,
        "vraag": vraag,
        "antwoord": list(antwoord) if isinstance(antwoord, tuple) else antwoord,
        "toelichting": toelichting,
        "vorige_hash": GENESIS if vorige is None else vorige.hash,
    }
    return Event(**fields, hash=event_hash(casus_id, fields))


def first_broken(casus_id: str, events: Sequence[Event]) -> Event | None:
    """The first event whose hash or link does not match, or None when the chain is intact."""
    vorige_hash = GENESIS
    for nummer, e in enumerate(events, start=1):
        fields = e.model_dump(exclude={"hash"})
        if (
            e.volgnummer != nummer
            or e.vorige_hash != vorige_hash
            or e.hash != event_hash(casus_id, fields)
        ):
            return e
        vorige_hash = e.hash
    return None


def _waarde(antwoord: Any) -> Any:
    return tuple(antwoord) if isinstance(antwoord, list) else antwoord


def state_from_events(flow: Flow, sector: str, events: Iterable[Event]) -> State:
    """The state of a case after its events: the answers on the active path, in order."""
    state = State(sector=sector)
    for e in events:
        if e.soort in ("antwoord", "wijziging") and e.vraag is not None:
            nieuw = Antwoord(
                vraag_id=e.vraag, waarde=_waarde(e.antwoord), toelichting=e.toelichting
            )
            if state.heeft(e.vraag):
                replaced = tuple(nieuw if a.vraag_id == e.vraag else a for a in state.antwoorden)
                state = engine.active(flow, state.model_copy(update={"antwoorden": replaced}))
            else:
                state = state.model_copy(update={"antwoorden": (*state.antwoorden, nieuw)})
        elif e.soort == "terug" and e.vraag is not None and state.heeft(e.vraag):
            state = engine.terug(flow, state, e.vraag)[0]
        elif e.soort == "afsluiten" and isinstance(e.antwoord, str):
            state = state.model_copy(update={"afgesloten": e.antwoord})
    return state


def prefill_from_events(flow: Flow, sector: str, events: Sequence[Event]) -> dict[str, Any]:
    """Earlier answers no longer on the active path, offered again as pre-filled defaults."""
    state = state_from_events(flow, sector, events)
    latest: dict[str, Any] = {}
    for e in events:
        if e.soort in ("antwoord", "wijziging") and e.vraag is not None:
            latest[e.vraag] = _waarde(e.antwoord)
    return {k: v for k, v in latest.items() if not state.heeft(k)}
