"""The state of a case from its decision log: the answers on the active path, in order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from meldcode import engine
from meldcode.model import Antwoord, Flow, State
from meldcode.store.log import Event


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


# The follow-up a `vervolg` case is due on (docs/vervolg.md): what Veilig Thuis reported back,
# or in a staff route when the houder / the leiding (bevoegd gezag) was told.
TERUGKOPPELING = "terugkoppeling-veilig-thuis"
LEIDING_INGELICHT = ("houder-ingelicht", "leiding-ingelicht")


def case_fields(flow: Flow, state: State) -> dict[str, Any]:
    """The case-row fields a state gives: status, outcome, evaluation date and, for a case in
    `vervolg`, which follow-up that `lijst --evaluatie-verlopen` watches is still open.

    The one place these rules live: the Recorder writes them, `verifieer` replays the log
    and compares them with the stored row.
    """
    walk = engine.walk(flow, state)
    u = walk.uitkomst
    evaluatiedatum = state.waarde("evaluatiedatum")
    status = engine.case_status(walk)
    return {
        "status": status,
        "uitkomst_id": u.id if u else None,
        "uitkomst_reden": u.reden if u else None,
        "meldnorm": u.meldnorm if u else None,
        "evaluatiedatum": evaluatiedatum if isinstance(evaluatiedatum, str) else None,
        "vervolg_open": vervolg_open(flow, state, walk.gegeven) if status == "vervolg" else None,
    }


def vervolg_open(flow: Flow, state: State, gegeven: Mapping[str, Any]) -> str | None:
    """`terugkoppeling` while the case's path has `terugkoppeling-veilig-thuis` and it is not
    recorded; `leiding` while a staff route's notification of the houder / the leiding is not;
    else None."""
    gevolgd = [(TERUGKOPPELING, "terugkoppeling")] + [(i, "leiding") for i in LEIDING_INGELICHT]
    for vraag_id, open_punt in gevolgd:
        if (
            flow.has_vraag(vraag_id)
            and state.waarde(vraag_id) in (None, "")
            and engine.holds(flow.vraag(vraag_id).als, state.sector, gegeven)
        ):
            return open_punt
    return None
