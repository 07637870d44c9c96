"""The pure engine: given a flow and the answers so far, what comes next (design.md §4).

No I/O, no clock, no questionary, rich or sqlite: same flow and answers, same result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from meldcode.contract import Status
from meldcode.engine.answers import check_antwoord
from meldcode.engine.conditions import holds as holds  # `engine.holds` is the public name
from meldcode.engine.plan import Regels, plan
from meldcode.errors import InvalidAntwoord, NotOnPath, UnexpectedAntwoord
from meldcode.model import (
    Antwoord,
    AnyVraag,
    Flow,
    Mededeling,
    State,
    Uitkomst,
    UitkomstRegel,
    Waarde,
    Wacht,
    is_iso_date,
)

# NOTE: plain strings, not `Status.WACHT` in the walk: it checks an outcome's status for every
# question after the outcome, and looking up an enum member costs more than the check itself.
_WACHT: str = Status.WACHT.value
_VERVOLG: str = Status.VERVOLG.value

# Answers the next question as a walk reaches it (see `replay_by`): given the question, the
# outcome reached so far and the answers on the path so far; None stops the walk there.
Fill = Callable[[AnyVraag, Uitkomst | None, Mapping[str, Waarde]], Antwoord | None]


@dataclass(frozen=True)
class Walk:
    """The active path of a case: answered questions, outcome, and what may come next."""

    pad: tuple[tuple[AnyVraag, Antwoord], ...]
    uitkomst: Uitkomst | None = None
    wacht: Wacht | None = None
    # The next question: the next one to ask, or (after an outcome that allows it) the next
    # one that may still be walked and recorded.
    volgende: AnyVraag | None = None
    gegeven: Mapping[str, Waarde] = field(default_factory=dict)
    # The follow-up of a `vervolg` outcome is not yet recorded: a follow-up question is next,
    # or the afwegingen walked together with Veilig Thuis were begun and not yet finished.
    open_vervolg: bool = False


def _sticky(regel: UitkomstRegel | None) -> bool:
    """Whether an outcome stands once reached (all but hulp-bieden, which waits for 5)."""
    return regel is not None and regel.uitkomst.status != _WACHT


def walk(flow: Flow, state: State, fill: Fill | None = None) -> Walk:
    """Walk the flow in order with the answers of `state`; the one place paths are decided.

    After an outcome with status `vervolg`, its follow-up questions come next; questions that
    were not answered before the outcome are skipped, or (a rule with `vervolg: true`, the
    afwegingen together with Veilig Thuis) asked after the follow-up. `fill` may answer the
    next question as the walk reaches it (see `replay_by`).
    """
    return walk_from(flow, state, None, fill)[0]


@dataclass(frozen=True)
class Stand:
    """Where a walk stopped at a question not yet answered (`walk_from`): what a walk of the
    same answers plus one for that question has built by the time it reaches it."""

    plek: int  # the question's place in the flow's plan (`engine.plan`)
    gegeven: dict[str, Waarde]
    pad: list[tuple[AnyVraag, Antwoord]]
    regel: UitkomstRegel | None
    uitgesteld: AnyVraag | None
    begonnen: bool
    in_vervolg: bool
    waar: list[bool]  # which outcome rules hold


def walk_from(
    flow: Flow, state: State, vanaf: Stand | None, fill: Fill | None = None
) -> tuple[Walk, Stand | None]:
    """`walk`, and where it stopped: at its next question, or None.

    `vanaf` may be where the walk of `state`'s answers but the last stopped, when that last
    answer is to the question it stopped at: the walk then goes on from there, not from the
    start, with the same result (the explorer walks each case one answer on from another).
    """
    antwoorden = {a.vraag_id: a for a in state.antwoorden}
    while True:
        w, uitgesteld, begonnen, stop = _pass(flow, state, antwoorden, fill, vanaf)
        vanaf = None
        if uitgesteld is None or w.wacht is not None or w.volgende is not None:
            return w, stop if w.volgende is not None else None
        antwoord = (
            fill(uitgesteld, w.uitkomst, w.gegeven)
            if fill is not None and state.afgesloten is None
            else None
        )
        if antwoord is None:
            if state.afgesloten is not None:
                return w, None
            # NOTE: afwegingen begun together with Veilig Thuis keep the case in follow-up
            # until their path ends (domain.md §2.5); not yet begun, they may still be walked.
            return Walk(
                pad=w.pad,
                uitkomst=w.uitkomst,
                volgende=uitgesteld,
                gegeven=w.gegeven,
                open_vervolg=begonnen,
            ), None
        antwoorden[uitgesteld.id] = antwoord  # and walk again: it may open later questions


def _pass(  # noqa: PLR0912 - the one walk in flow order; split, it is slower and harder to read
    flow: Flow,
    state: State,
    antwoorden: dict[str, Antwoord],
    fill: Fill | None,
    vanaf: Stand | None,
) -> tuple[Walk, AnyVraag | None, bool, Stand | None]:
    """One walk in flow order, from the start or from `vanaf`; also the first question put
    off until after the follow-up, whether a question after the outcome that is no follow-up
    question was answered, and where it stopped at a question not yet answered."""
    p = plan(flow, state.sector)
    s = vanaf or Stand(0, {}, [], None, None, False, False, list(p.begin))
    gegeven, pad, regels = dict(s.gegeven), list(s.pad), Regels(p, list(s.waar))
    regel, uitgesteld, begonnen, in_vervolg = s.regel, s.uitgesteld, s.begonnen, s.in_vervolg
    for plek, (vraag, als, vereist_als) in enumerate(p.vragen[s.plek :], s.plek):
        if (vraag.vervolg and not in_vervolg) or (als is not None and not als(gegeven)):
            continue
        antwoord = antwoorden.get(vraag.id)
        if antwoord is None:
            eerder = uitgesteld  # as a walk that has this answer finds it here
            if _sticky(regel) and not (vraag.vervolg or vraag.ook_in_vervolg):
                assert regel is not None  # noqa: S101 - _sticky
                if not in_vervolg and not regel.vervolg:
                    break
                if regel.vervolg and uitgesteld is None:
                    uitgesteld = vraag
                if in_vervolg:
                    continue
            # NOTE: a closed case has no next question, so `fill` is not asked then.
            if fill is not None and state.afgesloten is None:
                antwoord = fill(vraag, regel.uitkomst if regel is not None else None, gegeven)
            if antwoord is None:
                stop = (
                    None  # a later answer to an id asked twice would change an earlier place
                    if vraag.id in p.herhaald
                    else Stand(plek, gegeven, pad, regel, eerder, begonnen, in_vervolg, regels.waar)
                )
                w = _ended(flow, state, pad, gegeven, regel, volgende=vraag)
                return w, None, begonnen, stop
            antwoorden[vraag.id] = antwoord  # as if in `state`, should the id come again
        elif in_vervolg and not (vraag.vervolg or vraag.ook_in_vervolg):
            begonnen = True
        gegeven[vraag.id] = antwoord.waarde
        pad.append((vraag, antwoord))
        if vraag.vereist is not None and antwoord.waarde != vraag.vereist and vereist_als(gegeven):
            if state.afgesloten is not None:  # a waiting case can still be closed
                return _ended(flow, state, pad, gegeven, None, volgende=None), None, False, None
            wacht = Wacht(vraag_id=vraag.id, tekst=vraag.vereist_uitleg or vraag.tekst)
            return Walk(pad=tuple(pad), wacht=wacht, gegeven=gegeven), None, False, None
        gevonden = regels.na(vraag.id, gegeven)
        if not _sticky(regel):
            regel = gevonden or regel
            in_vervolg = regel is not None and regel.uitkomst.status == _VERVOLG
    return _ended(flow, state, pad, gegeven, regel, volgende=None), uitgesteld, begonnen, None


def _ended(
    flow: Flow,
    state: State,
    pad: list[tuple[AnyVraag, Antwoord]],
    gegeven: dict[str, Waarde],
    regel: UitkomstRegel | None,
    volgende: AnyVraag | None,
) -> Walk:
    uitkomst = regel.uitkomst if regel is not None else None
    if state.afgesloten is not None:
        if uitkomst is None or uitkomst.status == _WACHT:
            uitkomst = afsluit_uitkomst(flow, state.afgesloten)
        # A case closed with a reason has nothing left to walk; a melding keeps its outcome.
        volgende = None
    open_vervolg = (
        uitkomst is not None
        and uitkomst.status == _VERVOLG
        and volgende is not None
        and (volgende.vervolg or volgende.ook_in_vervolg)
    )
    return Walk(
        pad=tuple(pad),
        uitkomst=uitkomst,
        volgende=volgende,
        gegeven=gegeven,
        open_vervolg=open_vervolg,
    )


def case_status(w: Walk) -> Status:
    """The case status for a walk (design.md §6): open, wacht-op-evaluatie, vervolg, afgerond."""
    if w.wacht is not None or w.uitkomst is None:
        return Status.OPEN
    if w.uitkomst.status == _WACHT:
        return Status.WACHT
    return Status.VERVOLG if w.open_vervolg else Status.AFGEROND


def afsluit_uitkomst(flow: Flow, reden: str) -> Uitkomst:
    """The outcome of a case closed early with `reden`."""
    return Uitkomst(id="afsluiten", reden=reden, tekst=flow.afsluiten_tekst)


def what_next(flow: Flow, state: State) -> AnyVraag | Uitkomst | Wacht:
    """The next question, or the outcome reached, or why the case must wait."""
    w = walk(flow, state)
    if w.wacht is not None:
        return w.wacht
    if w.uitkomst is not None:
        return w.uitkomst
    if w.volgende is None:
        # A path without outcome: `meldcode valideer` refuses such flows.
        msg = f"flow '{flow.sector.id}' ends without an outcome"
        raise RuntimeError(msg)
    return w.volgende


def vervolg(flow: Flow, state: State) -> AnyVraag | None:
    """After an outcome: the next question that may still be walked (e.g. afweging-5)."""
    w = walk(flow, state)
    return w.volgende if w.uitkomst is not None and w.wacht is None else None


def nog_vast_te_leggen(flow: Flow, state: State) -> tuple[AnyVraag, ...]:
    """The questions on the case's path that the meldcode asks to record, left empty."""
    return tuple(
        v for v, a in walk(flow, state).pad if v.vastleggen and a.waarde in (None, "", [], ())
    )


def afgerond(flow: Flow, state: State) -> bool:
    """Whether a case has its final outcome and no question that may still be walked."""
    w = walk(flow, state)
    return w.wacht is None and w.uitkomst is not None and w.volgende is None


def advance(flow: Flow, state: State, antwoord: Antwoord) -> State:
    """Return the state after answering the question that is next (or may be walked on)."""
    w = walk(flow, state)
    if w.wacht is not None or w.volgende is None or w.volgende.id != antwoord.vraag_id:
        verwacht = w.volgende.id if w.volgende is not None and w.wacht is None else None
        raise UnexpectedAntwoord(vraag_id=antwoord.vraag_id, verwacht=verwacht)
    checked = antwoord.model_copy(update={"waarde": check_antwoord(w.volgende, antwoord.waarde)})
    return state.model_copy(update={"antwoorden": (*state.antwoorden, checked)})


def wijzig(flow: Flow, state: State, antwoord: Antwoord) -> State:
    """Change an answer on the active path; answers no longer on the new path are dropped."""
    w = walk(flow, state)
    if not any(v.id == antwoord.vraag_id for v, _ in w.pad):
        raise NotOnPath(vraag_id=antwoord.vraag_id)
    vraag = flow.vraag(antwoord.vraag_id)
    checked = antwoord.model_copy(update={"waarde": check_antwoord(vraag, antwoord.waarde)})
    replaced = tuple(checked if a.vraag_id == checked.vraag_id else a for a in state.antwoorden)
    return active(flow, state.model_copy(update={"antwoorden": replaced}))


def active(flow: Flow, state: State) -> State:
    """`state` with only the answers that lie on its active path."""
    op_pad = {v.id for v, _ in walk(flow, state).pad}
    kept = tuple(a for a in state.antwoorden if a.vraag_id in op_pad)
    return state.model_copy(update={"antwoorden": kept})


def terug(flow: Flow, state: State, vraag_id: str) -> tuple[State, dict[str, Waarde]]:
    """Go back to `vraag_id`: the state before it, and the later answers as pre-fills."""
    ids = [v.id for v, _ in walk(flow, state).pad]
    if vraag_id not in ids:
        raise NotOnPath(vraag_id=vraag_id)
    keep = set(ids[: ids.index(vraag_id)])
    kept = tuple(a for a in state.antwoorden if a.vraag_id in keep)
    prefill = {a.vraag_id: a.waarde for a in state.antwoorden if a.vraag_id not in keep}
    return state.model_copy(update={"antwoorden": kept, "afgesloten": None}), prefill


def afsluiten(
    flow: Flow,
    state: State,
    reden: str,
    toelichting: str | None = None,
    *,
    overgenomen_door: str | None = None,
    nagaan_op: str | None = None,
) -> State:
    """Close the case early with one of the flow's reasons. Some need a toelichting; a
    handover (`overdracht`) needs who took over and the ISO date to check the help started."""
    opties = {o.id: o for o in flow.afsluitredenen}
    if reden not in opties:
        toegestaan = ", ".join(opties)
        raise InvalidAntwoord(vraag_id="afsluiten", reden=f"kies een van: {toegestaan}.")
    optie = opties[reden]
    if optie.toelichting_verplicht and not (toelichting or "").strip():
        raise InvalidAntwoord(
            vraag_id="afsluiten", reden=f"bij de reden '{optie.label}' hoort een toelichting."
        )
    if optie.overdracht and not (
        (overgenomen_door or "").strip() and nagaan_op is not None and _datum(nagaan_op)
    ):
        raise InvalidAntwoord(
            vraag_id="afsluiten",
            reden=(
                f"bij de reden '{optie.label}' horen wie de zorg overnam (functie en "
                "organisatie) en de datum waarop u nagaat of de hulp is gestart."
            ),
        )
    return state.model_copy(update={"afgesloten": reden})


def _datum(tekst: str) -> bool:
    """Whether `tekst` is an existing ISO date."""
    try:
        dt.date.fromisoformat(tekst)
    except ValueError:
        return False
    return is_iso_date(tekst)


def mededelingen(flow: Flow, state: State, stap: str) -> tuple[Mededeling, ...]:
    """The notices for `stap` whose condition holds with the answers so far."""
    gegeven = walk(flow, state).gegeven
    return tuple(
        m for m in flow.mededelingen if m.stap == stap and holds(m.als, state.sector, gegeven)
    )


def replay_by(flow: Flow, state: State, fill: Fill) -> State:
    """The one replay: walk on from `state`, answering each question the path reaches with
    `fill`, until it gives None or the path ends (an outcome, a wait). Nothing is checked
    here: `fill` checks what it gives (`check_antwoord`), as advance() would.
    """
    nieuw: list[Antwoord] = []

    def record(
        vraag: AnyVraag, uitkomst: Uitkomst | None, gegeven: Mapping[str, Waarde]
    ) -> Antwoord | None:
        antwoord = fill(vraag, uitkomst, gegeven)
        if antwoord is not None:
            nieuw.append(antwoord)
        return antwoord

    # NOTE: one walk that answers each next question as it reaches it, the same as advance()
    # once per answer but linear, not quadratic: replay speed is a budget (design.md §7).
    walk(flow, state, record)
    return state.model_copy(update={"antwoorden": (*state.antwoorden, *nieuw)}) if nieuw else state


def replay(flow: Flow, state: State, antwoorden: Mapping[str, object]) -> State:
    """Answer every question the path reaches from `antwoorden`; stop at the first gap."""

    def fill(vraag: AnyVraag, *_: object) -> Antwoord | None:
        if vraag.id not in antwoorden:
            return None
        return Antwoord(vraag_id=vraag.id, waarde=check_antwoord(vraag, antwoorden[vraag.id]))

    return replay_by(flow, state, fill)
