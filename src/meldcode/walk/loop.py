"""The one loop: ask (Prompter), advance (engine), record (Recorder) — for every adapter."""

from __future__ import annotations

from typing import Protocol

from meldcode import engine
from meldcode.errors import InvalidAntwoord, StoreError, WalkNotFinished
from meldcode.model import Antwoord, AnyVraag, Flow, State, Uitkomst, Waarde
from meldcode.prompts.interface import (
    AcuutGevaar,
    AdviesVeiligThuis,
    Afsluiten,
    AnswerThenStop,
    Pauzeren,
    Prompter,
    Stoppen,
    Terug,
    VraagContext,
    Wijzig,
)


class Recorder(Protocol):
    """Where the loop records what happens, event by event; `walk.recorder.Recorder` writes
    to the store, a test may keep the events in memory."""

    @property
    def casus_id(self) -> str:
        """The case being walked."""
        ...

    @property
    def nieuw(self) -> bool:
        """True if this run made the case (start), False if it goes on with one (hervat)."""
        ...

    def antwoord(self, vraag: AnyVraag, antwoord: Antwoord, state: State) -> None: ...
    def onderbouwing(self, vraag: AnyVraag, tekst: str, state: State) -> None: ...
    def wijziging(self, vraag: AnyVraag, antwoord: Antwoord, reden: str, state: State) -> None: ...
    def terug(self, vraag: AnyVraag, state: State) -> None: ...
    def advies(self, stap: str | None, toelichting: str, state: State) -> None: ...
    def afsluiten(self, reden: str, toelichting: str | None, state: State) -> None: ...
    def pauze(self, state: State) -> None: ...


class Paused(Exception):
    """The user chose to pause; the state so far is recorded."""

    def __init__(self, state: State) -> None:
        super().__init__("gepauzeerd")
        self.state = state


def context_for(
    flow: Flow, state: State, vraag: AnyVraag, prefill: dict[str, Waarde], *, vervolg: bool = False
) -> VraagContext:
    """What the prompter shows around `vraag`: step, default, notices, the path so far."""
    walk = engine.walk(flow, state)
    pad = tuple((v.id, v.tekst, a.waarde) for v, a in walk.pad)
    nieuwe_stap = not any(v.stap == vraag.stap for v, _ in walk.pad)
    standaard = prefill.get(vraag.id, vraag.standaard)
    return VraagContext(
        stap=vraag.stap,
        stap_naam=flow.stap_namen.get(vraag.stap, vraag.stap),
        nieuwe_stap=nieuwe_stap,
        standaard=standaard,
        mededelingen=engine.mededelingen(flow, state, vraag.stap) if nieuwe_stap else (),
        pad=pad,
        vervolg=vervolg,
        state=state,
    )


def next_vraag(flow: Flow, state: State, prompter: Prompter) -> tuple[AnyVraag, bool] | None:
    """The question to ask now and whether it comes after an outcome; None when done."""
    nxt = engine.what_next(flow, state)
    if isinstance(nxt, Uitkomst):
        volgende = engine.vervolg(flow, state)
        if volgende is None or not prompter.walk_on(nxt, volgende):
            return None
        return volgende, True
    if not isinstance(nxt, AnyVraag):  # a Wacht: the case cannot go on yet
        # The question it waits on comes again, so the user can change the answer (or close).
        return (flow.vraag(nxt.vraag_id), False) if prompter.waiting(nxt) else None
    return nxt, False


def run(
    flow: Flow,
    state: State,
    prompter: Prompter,
    recorder: Recorder,
    prefill: dict[str, Waarde] | None = None,
) -> State:
    """Ask until there is an outcome (or a wait); each answer is on disk before the next."""
    prefill = dict(prefill or {})
    while (todo := next_vraag(flow, state, prompter)) is not None:
        vraag, vervolg = todo
        context = context_for(flow, state, vraag, prefill, vervolg=vervolg)
        stop: BaseException | None = None
        try:
            result: object = prompter.ask(vraag, context)
        except AnswerThenStop as e:
            result, stop = e.antwoord, e.oorzaak
        if isinstance(result, Stoppen):
            return state
        try:
            state = _apply(flow, state, vraag, result, recorder, prefill)
            if isinstance(result, AdviesVeiligThuis):
                prompter.bevestig(result)
            if stop is None and _wants_onderbouwing(vraag, result):
                # NOTE: only now, with the afweging on disk: a crash here loses no choice.
                state = _onderbouwing(vraag, state, prompter, recorder)
        except InvalidAntwoord as e:
            prompter.invalid(vraag, str(e))
        except StoreError as e:
            # The case exists with everything before this answer: name it, so the user goes on
            # with it instead of starting a second one (at the terminal, the hervat hint follows).
            raise WalkNotFinished(
                oorzaak=e, casus_id=recorder.casus_id, nieuw=recorder.nieuw
            ) from e
        if stop is not None:
            raise stop from None
    return state


def _wants_onderbouwing(vraag: AnyVraag, result: object) -> bool:
    """An afweging just recorded without its reasoning."""
    return (
        isinstance(result, Antwoord)
        and vraag.id.startswith("afweging-")
        and result.vraag_id == vraag.id
        and result.toelichting is None
    )


def _onderbouwing(vraag: AnyVraag, state: State, prompter: Prompter, recorder: Recorder) -> State:
    """Ask the reasoning behind an afweging and record it as its own event."""
    tekst = prompter.onderbouwing(vraag)
    if not tekst:
        return state
    recorder.onderbouwing(vraag, tekst, state)
    antwoorden = tuple(
        a.model_copy(update={"toelichting": tekst}) if a.vraag_id == vraag.id else a
        for a in state.antwoorden
    )
    return state.model_copy(update={"antwoorden": antwoorden})


def _checked(state: State, vraag_id: str) -> Antwoord:
    """The answer to `vraag_id` as the engine keeps it (checked and normalised)."""
    return next(a for a in state.antwoorden if a.vraag_id == vraag_id)


def _apply(
    flow: Flow,
    state: State,
    vraag: AnyVraag,
    result: object,
    recorder: Recorder,
    prefill: dict[str, Waarde],
) -> State:
    """One user result applied to the state and recorded; the engine refuses bad answers."""
    if isinstance(result, Antwoord):
        # NOTE: the engine first, so an answer it refuses never reaches the log. A question
        # already on the path (the one a waiting case waits on) is answered again: a change.
        if state.heeft(result.vraag_id):
            new = engine.wijzig(flow, state, result)
        else:
            new = engine.advance(flow, state, result)
        recorder.antwoord(vraag, _checked(new, result.vraag_id), new)
        prefill.pop(vraag.id, None)
        return new
    if isinstance(result, Terug):
        new, later = engine.terug(flow, state, result.vraag_id)
        prefill.update(later)
        recorder.terug(flow.vraag(result.vraag_id), new)
        return new
    if isinstance(result, Wijzig):
        vraag_id = result.antwoord.vraag_id
        new = engine.wijzig(flow, state, result.antwoord)
        recorder.wijziging(flow.vraag(vraag_id), _checked(new, vraag_id), result.reden, new)
        return new
    if isinstance(result, AcuutGevaar):
        return _acuut_gevaar(flow, state, recorder)
    if isinstance(result, AdviesVeiligThuis):
        recorder.advies(vraag.stap, result.toelichting, state)
        # Consulted now: offered as the answer when the question comes (design.md §6).
        if not state.heeft("veilig-thuis-geraadpleegd"):
            prefill["veilig-thuis-geraadpleegd"] = "ja"
        return state
    if isinstance(result, Afsluiten):
        new = engine.afsluiten(
            flow,
            state,
            result.reden,
            result.toelichting,
            overgenomen_door=result.overgenomen_door,
            nagaan_op=result.nagaan_op,
        )
        recorder.afsluiten(result.reden, result.vastgelegd, new)
        return new
    if isinstance(result, Pauzeren):
        recorder.pauze(state)
        raise Paused(state)
    msg = f"unknown prompter result {type(result).__name__}"
    raise TypeError(msg)


def _acuut_gevaar(flow: Flow, state: State, recorder: Recorder) -> State:
    """Acute danger reported mid-walk: `acuut-gevaar` answered (or changed to) 'ja'."""
    antwoord = Antwoord(vraag_id="acuut-gevaar", waarde="ja")
    new = (
        engine.wijzig(flow, state, antwoord)
        if state.heeft("acuut-gevaar")
        else (engine.advance(flow, state, antwoord))
    )
    recorder.wijziging(
        flow.vraag("acuut-gevaar"),
        _checked(new, "acuut-gevaar"),
        "acuut gevaar gemeld",
        new,
    )
    return new
