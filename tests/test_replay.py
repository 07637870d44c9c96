"""The one replay (engine.replay_by), the one path explorer (engine.explore) and the contract
tables they and every other module read (meldcode.contract)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from meldcode import engine
from meldcode.contract import MELDNORM, SECTOREN, Besluit, Status
from meldcode.engine.answers import check_antwoord
from meldcode.engine.explore import explore
from meldcode.flows import load_flow
from meldcode.model import Antwoord, AnyVraag, Flow, State, Uitkomst, Waarde

SCENARIOS = sorted((Path(__file__).parent / "scenarios" / "engine").glob("*.yaml"))


def _antwoorden(path: Path) -> tuple[Flow, dict[str, Any]]:
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    flow = load_flow(data["sector"])
    leeg: dict[str, Any] = {v.id: None for v in flow.vragen if not v.verplicht}
    return flow, {**leeg, **data["antwoorden"]}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_replay_gives_what_advance_gives_one_answer_at_a_time(path: Path) -> None:
    """The one-walk replay ends in the same state as advancing answer by answer."""
    flow, antwoorden = _antwoorden(path)
    state = State(sector=flow.sector.id)
    while (vraag := engine.walk(flow, state).volgende) is not None and vraag.id in antwoorden:
        if engine.walk(flow, state).wacht is not None:
            break
        waarde = check_antwoord(vraag, antwoorden[vraag.id])
        state = engine.advance(flow, state, Antwoord(vraag_id=vraag.id, waarde=waarde))
    assert state == engine.replay(flow, State(sector=flow.sector.id), antwoorden)


def test_replay_by_hands_fill_the_outcome_reached_so_far() -> None:
    """After acute danger, the questions that follow are asked with the melding already reached."""
    flow = load_flow("basis")
    gezien: list[tuple[str, str | None]] = []

    def fill(vraag: AnyVraag, uitkomst: Uitkomst | None, _: object) -> Antwoord | None:
        gezien.append((vraag.id, uitkomst.reden if uitkomst else None))
        if len(gezien) > 2:
            return None
        waarde = "ja" if vraag.id == "acuut-gevaar" else vraag.standaard
        return Antwoord(vraag_id=vraag.id, waarde=check_antwoord(vraag, waarde or "tekst"))

    state = engine.replay_by(flow, State(sector="basis"), fill)
    assert [("acuut-gevaar", None)] == gezien[:1]
    assert all(reden == "acuut-gevaar" for _, reden in gezien[1:])
    assert [i for i, _ in gezien[:2]] == [a.vraag_id for a in state.antwoorden]


def test_replay_by_stops_where_fill_gives_nothing() -> None:
    """A fill that answers nothing leaves the state as it was."""
    flow = load_flow("basis")
    state = State(sector="basis")
    assert state is engine.replay_by(flow, state, lambda *_: None)


def _alle_waarden(vraag: AnyVraag) -> list[Waarde]:
    if vraag.soort == "ja-nee":
        return ["ja", "nee"]
    if vraag.soort == "keuze":
        return [o.id for o in vraag.opties]
    if vraag.soort == "meerkeuze":
        return [(o.id,) for o in vraag.opties[:2]]
    return ["2027-01-01" if vraag.soort == "datum" else "tekst"]


def test_explorer_yields_every_case_once_with_the_answer_it_came_from() -> None:
    """Each case but the empty one is the walk before it plus one answer to its next question;
    together they reach every outcome the meldnorm decides in the basis flow."""
    flow = load_flow("basis")
    gelezen = sorted(
        {i for r in flow.uitkomsten for i in r.als.vraag_ids()}.union(
            *(c.vraag_ids() for v in flow.vragen for c in (v.als, v.vereist_als) if c)
        )
    )

    def sleutel(w: engine.Walk) -> object:
        assert w.volgende is not None
        return w.volgende.id, tuple(w.gegeven.get(i) for i in gelezen)

    takken = list(explore(flow, _alle_waarden, sleutel))
    assert takken[0].voor is None
    assert takken[0].state == State(sector="basis")
    for tak in takken[1:]:
        assert tak.voor is not None
        assert tak.voor.volgende is not None
        laatste = tak.state.antwoorden[-1]
        assert (tak.voor.volgende.id, tak.waarde) == (laatste.vraag_id, laatste.waarde)
    bereikt = {Besluit.of(t.walk.uitkomst) for t in takken}
    gesteld = {v.id for t in takken for v, _ in t.walk.pad}
    assert {r.besluit for r in MELDNORM if r.vraag_id in gesteld} <= bereikt


@pytest.mark.parametrize("sector", SECTOREN)
def test_explorer_walks_on_from_the_case_before_as_a_walk_from_the_start_would(
    sector: str,
) -> None:
    """The explorer goes on from where the case before stopped (engine.walk_from); every case
    it reaches has the walk `engine.walk` gives from the start, also where `vast` answers
    questions inside the walk (as `meldcode valideer` does)."""
    flow = load_flow(sector)
    gelezen = sorted(
        {i for r in flow.uitkomsten for i in r.als.vraag_ids()}.union(
            *(c.vraag_ids() for v in flow.vragen for c in (v.als, v.vereist_als) if c)
        )
    )

    def sleutel(w: engine.Walk) -> object:
        assert w.volgende is not None
        return w.volgende.id, tuple(w.gegeven.get(i) for i in gelezen)

    vast = {
        v.id: Antwoord(vraag_id=v.id, waarde="tekst")
        for v in flow.vragen
        if v.soort == "tekst" and v.id not in gelezen
    }

    def fill(vraag: AnyVraag, *_: object) -> Antwoord | None:
        return vast.get(vraag.id)

    for met_vast in (None, vast):
        takken = list(explore(flow, _alle_waarden, sleutel, met_vast))
        assert len(takken) > 50
        for tak in takken:
            assert tak.walk == engine.walk(flow, tak.state, fill if met_vast else None), tak.state


def test_statuses_are_the_contract_strings() -> None:
    """design.md §6: the four case statuses, as the store and the exports write them."""
    assert ["open", "wacht-op-evaluatie", "vervolg", "afgerond"] == [str(s) for s in Status]


@pytest.mark.parametrize("sector", SECTOREN)
def test_every_sector_of_the_contract_ships(sector: str) -> None:
    """Every sector id design.md §6 names has a flow."""
    assert sector == load_flow(sector).sector.id


def test_case_status_is_a_status() -> None:
    """The engine says a case's status with the contract's enum, not a loose string."""
    flow = load_flow("basis")
    w = engine.walk(flow, State(sector="basis"))
    assert engine.case_status(w) is Status.OPEN


def test_an_outcome_as_json_has_the_contract_keys() -> None:
    """The outcome value writes the `uitkomst` keys of the JSON export, in that order."""
    besluit = Besluit("melden", "acuut-gevaar", 1)
    assert {"id": "melden", "reden": "acuut-gevaar", "meldnorm": 1} == besluit.as_json()
    assert ["id", "reden", "meldnorm"] == list(besluit.as_json())
