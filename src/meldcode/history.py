"""The state of a case from its decision log: the answers on the active path, in order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from meldcode import engine
from meldcode.log import Event
from meldcode.model import Antwoord, Flow, State


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
        elif e.soort == "onderbouwing" and e.vraag is not None and state.heeft(e.vraag):
            # The reasoning belongs to the afweging it follows (asked after it was recorded).
            met = tuple(
                a.model_copy(update={"toelichting": e.toelichting}) if a.vraag_id == e.vraag else a
                for a in state.antwoorden
            )
            state = state.model_copy(update={"antwoorden": met})
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


def case_fields(flow: Flow, state: State) -> dict[str, Any]:
    """The case-row fields a state gives: status, outcome and evaluation date.

    The one place these rules live: the Recorder writes them, `verifieer` replays the log
    and compares them with the stored row.
    """
    walk = engine.walk(flow, state)
    u = walk.uitkomst
    evaluatiedatum = state.waarde("evaluatiedatum")
    return {
        "status": engine.case_status(walk),
        "uitkomst_id": u.id if u else None,
        "uitkomst_reden": u.reden if u else None,
        "meldnorm": u.meldnorm if u else None,
        "evaluatiedatum": evaluatiedatum if isinstance(evaluatiedatum, str) else None,
    }
