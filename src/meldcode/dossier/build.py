"""Building a case's dossier: read its row and log from the store, read its answers with a flow
(by default the sector's current one) and check its chain; the value itself is in value.py."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from meldcode import engine
from meldcode.contract import Status
from meldcode.dossier.value import Dossier, Regel, Stap, antwoord_nl, display
from meldcode.errors import FlowError, NotOnPath, UnknownSector
from meldcode.model import Flow, State, Uitkomst
from meldcode.store import CaseStore as Store
from meldcode.store import Casus, Event
from meldcode.store.history import state_from_events
from meldcode.store.records import now_iso
from meldcode.text.formatting import datum_nl

STAP_BUITEN = "Voorafgaand"


def build(
    store: Store,
    casus_id: str,
    *,
    zonder_label: bool = False,
    flow: Flow | None = None,
    clock: Callable[[], str] = now_iso,
) -> Dossier:
    """The dossier of one case; `flow` defaults to the current flow of its sector."""
    casus = store.get(casus_id)
    events = tuple(store.events(casus_id))
    if flow is None:
        flow = _current_flow(casus.sector)
    state = _state(casus, events, flow)
    from meldcode.store.integrity import check_one

    kop, keten_fout = check_one(store, casus_id, flow)
    return Dossier(
        casus=casus,
        label=None if zonder_label else casus.label,
        sector_naam=flow.sector.naam if flow else casus.sector,
        events=events,
        uitkomst=uitkomst_of(casus, flow, state),
        stappen=_stappen(events, flow, state),
        gegenereerd=clock(),
        flow_actueel=flow is not None and flow.hash == casus.flow_hash,
        nog_vast_te_leggen=_nog_vast_te_leggen(flow, state, events, casus),
        kop=kop,
        keten_fout=keten_fout,
        flow=flow,
        vervolg=vervolg_tekst(flow, state, casus.evaluatiedatum)
        if casus.status == Status.VERVOLG and flow is not None and state is not None
        else None,
        eindverantwoordelijke=store.eindverantwoordelijke(casus_id),
    )


def _nog_vast_te_leggen(
    flow: Flow | None, state: State | None, events: Sequence[Event], casus: Casus
) -> tuple[str, ...]:
    """The empty `vastleggen` questions, then what the dossier check finds (completeness.py)."""
    if flow is None or state is None:
        return ()
    from meldcode.dossier.completeness import ontbreekt

    leeg = tuple(v.tekst for v in engine.nog_vast_te_leggen(flow, state))
    op_pad = frozenset(v.id for v, _ in engine.walk(flow, state).pad)
    return leeg + ontbreekt(state, events, casus.uitkomst_id, op_pad)


def vervolg_tekst(flow: Flow, state: State, evaluatiedatum: str | None) -> str | None:
    """What a case in `vervolg` still waits for, derived from its answers: the terugkoppeling
    of Veilig Thuis, the vervolgafspraken, the staff route's notification, or afweging 5
    (together with Veilig Thuis) on its date."""
    from meldcode.store.history import vervolg_open

    w = engine.walk(flow, state)
    open_punt = vervolg_open(flow, state, w.gegeven)
    delen = []
    if open_punt == "terugkoppeling":
        delen.append("de terugkoppeling van Veilig Thuis")
    elif open_punt == "leiding":
        delen.append("het inlichten van de houder of de leiding")
    if (
        flow.has_vraag("vervolgafspraken")
        and state.waarde("vervolgafspraken") in (None, "")
        and engine.holds(flow.vraag("vervolgafspraken").als, state.sector, w.gegeven)
    ):
        delen.append("de vervolgafspraken")
    if delen:
        return " en ".join(delen) + " nog vast te leggen"
    volgende = w.volgende
    if volgende is not None and volgende.id == "afweging-5":
        op = f" op {datum_nl(evaluatiedatum)}" if evaluatiedatum else ""
        return f"wacht op afweging 5, samen met Veilig Thuis{op}"
    if volgende is not None:
        return f"nog vast te leggen: {volgende.tekst}"
    return None


def _state(casus: Casus, events: Sequence[Event], flow: Flow | None) -> State | None:
    """The case's answers on their path in `flow`, or None when the log no longer fits it."""
    if flow is None:
        return None
    try:
        return state_from_events(flow, casus.sector, events)
    except NotOnPath:
        # NOTE: the log steps back to a question the flow no longer has on the path (the flows
        # changed since). The dossier is still made, from the log alone: every latest answer
        # (_stappen), and `flow_actueel` is False, so it says the flows differ.
        return None


def _current_flow(sector: str) -> Flow | None:
    """The sector's current flow, or None when the flow files no longer give one."""
    from meldcode.flows import load_flow

    try:
        return load_flow(sector)
    except (FlowError, UnknownSector):
        # NOTE: a record that was made must stay readable when the flows broke or lost the
        # sector since: the dossier is made from the log, with question ids for their texts,
        # and says the flows differ. Any other error is a real failure and reaches the boundary.
        return None


def uitkomst_of(casus: Casus, flow: Flow | None, state: State | None) -> Uitkomst | None:
    """The case's outcome with its advice text from the flow, or None when there is none.

    The text is the one the walk reached: two rules can share an outcome and reason with
    different advice (a staff route where the houder is the suspect, or is not).
    """
    besluit = casus.besluit
    if besluit is None:
        return None
    tekst = "Zie het logboek hieronder."
    punten: tuple[str, ...] = ()  # the advice's points (flows 2026.3: in the YAML)
    bereikt = engine.walk(flow, state).uitkomst if flow and state else None
    if bereikt is not None and (bereikt.id, bereikt.reden) == (
        casus.uitkomst_id,
        casus.uitkomst_reden,
    ):
        tekst, punten = bereikt.tekst, bereikt.punten
    elif flow is not None:
        for regel in flow.uitkomsten:
            u = regel.uitkomst
            if (u.id, u.reden) == (casus.uitkomst_id, casus.uitkomst_reden):
                tekst, punten = u.tekst, u.punten
                break
        else:
            if casus.uitkomst_id == "afsluiten":
                tekst = flow.afsluiten_tekst
    return Uitkomst.model_validate(
        {
            **besluit.as_json(),
            "tekst": tekst,
            "punten": punten,
            "status": casus.status
            if casus.status in (Status.WACHT, Status.VERVOLG)
            else Status.AFGEROND,
        }
    )


def _stappen(events: Sequence[Event], flow: Flow | None, state: State | None) -> tuple[Stap, ...]:
    """The answers on the active path (and recorded advice), grouped per step in order."""
    # When the log no longer fits the flow, every latest answer is shown.
    actief = (
        {a.vraag_id for a in state.antwoorden}
        if state is not None
        else {e.vraag for e in events if e.vraag is not None}
    )
    laatste: dict[str, Event] = {}
    onderbouwing: dict[str, str | None] = {}  # the reasoning recorded after an afweging
    for e in events:
        if e.soort in ("antwoord", "wijziging") and e.vraag is not None:
            laatste[e.vraag] = e
            onderbouwing.pop(e.vraag, None)
        elif e.soort == "onderbouwing" and e.vraag in laatste:
            onderbouwing[e.vraag] = e.toelichting
    per_stap: dict[str, list[Regel]] = {}
    for e in events:
        if e.soort == "advies-veilig-thuis":
            regel = Regel(
                "advies-veilig-thuis", "Advies van Veilig Thuis", "", e.toelichting, False
            )
        elif e.vraag in actief and laatste.get(e.vraag) is e:
            regel = _regel(e, flow, onderbouwing.get(e.vraag))
        else:
            continue
        per_stap.setdefault(e.stap or STAP_BUITEN, []).append(regel)
    namen = flow.stap_namen if flow else {}
    volgorde = sorted(per_stap, key=lambda s: (s != STAP_BUITEN, s))
    return tuple(Stap(s, namen.get(s, s), tuple(per_stap[s])) for s in volgorde)


def _regel(e: Event, flow: Flow | None, onderbouwing: str | None = None) -> Regel:
    vraag_id = e.vraag or ""
    tekst, antwoord = vraag_id, display(e.antwoord)
    if flow is not None and flow.has_vraag(vraag_id):
        vraag = flow.vraag(vraag_id)
        tekst, antwoord = vraag.tekst, antwoord_nl(vraag, e.antwoord)
    toelichting = onderbouwing or e.toelichting
    return Regel(vraag_id, tekst, antwoord or "(niet ingevuld)", toelichting, _is_afweging(e))


def _is_afweging(e: Event) -> bool:
    return (e.vraag or "").startswith("afweging-")
