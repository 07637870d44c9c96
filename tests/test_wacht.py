"""A case that must wait (KNMG: Veilig Thuis first), changed answers as logged, stops mid-answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from meldcode import engine
from meldcode.cli import app
from meldcode.errors import InputClosed
from meldcode.loading import load_flow
from meldcode.model import Antwoord, AnyVraag, State, Uitkomst, Wacht
from meldcode.prompts.interface import (
    Actie,
    Afsluiten,
    AnswerThenStop,
    VraagContext,
    Wijzig,
)
from meldcode.store.history import state_from_events
from meldcode.store.sqlite import Store
from meldcode.walk import loop
from meldcode.walk.recorder import Recorder

ARTSEN = {
    "acuut-gevaar": "nee",
    "signalen": ("verwaarlozing",),
    "signalen-beschrijving": "Gebitsverwaarlozing gezien op 3/11 (eigen waarneming).",
    "kindcheck": "nee",
    "collegiale-consultatie": "Aandachtsfunctionaris, 4/11.",
    "gesprek-gevoerd": "ja",
    "afweging-1": "ja",
    "afweging-2": "ja",
}


class Script:
    """Answers per question from a queue (the last one repeats); waits are offered once."""

    def __init__(self, antwoorden: dict[str, list[object]]) -> None:
        self.antwoorden = antwoorden
        self.wachten: list[str] = []

    def ask(self, vraag: AnyVraag, context: VraagContext) -> Antwoord | Actie:  # noqa: ARG002
        queue = self.antwoorden.get(vraag.id, [None])
        result = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(result, Afsluiten | Wijzig):
            return result
        if isinstance(result, BaseException):
            raise result
        return Antwoord(vraag_id=vraag.id, waarde=result)  # type: ignore[arg-type]

    def onderbouwing(self, vraag: AnyVraag) -> str | None:  # noqa: ARG002
        return None

    def invalid(self, vraag: AnyVraag, melding: str) -> None:  # noqa: ARG002
        raise AssertionError(melding)

    def walk_on(self, reached: Uitkomst, volgende: AnyVraag) -> bool:  # noqa: ARG002
        return False

    def waiting(self, wacht: Wacht) -> bool:
        self.wachten.append(wacht.vraag_id)
        return len(self.wachten) == 1


def walk(tmp_path: Path, sector: str, antwoorden: dict[str, list[object]]) -> tuple[Store, str]:
    """Walk a new case with `antwoorden`; the store and the case id."""
    flow = load_flow(sector)
    store = Store(tmp_path / "meldcode.db")
    recorder = Recorder.start(store, flow)
    try:
        loop.run(flow, State(sector=sector), Script(antwoorden), recorder)
    finally:
        recorder.close()
    return store, recorder.casus.id


def queues(antwoorden: dict[str, object], **extra: list[object]) -> dict[str, list[object]]:
    return {**{k: [v] for k, v in antwoorden.items()}, **extra}


def test_a_waiting_case_goes_on_when_the_answer_changes(tmp_path: Path) -> None:
    """KNMG: Veilig Thuis 'nee' makes the case wait; asked again, 'ja' lets it go on."""
    store, casus_id = walk(tmp_path, "artsen", queues(ARTSEN, **{
        "veilig-thuis-geraadpleegd": ["nee", "ja"]}))
    casus = store.get(casus_id)
    vt = [e.antwoord for e in store.events(casus_id) if e.vraag == "veilig-thuis-geraadpleegd"]
    store.close()
    # A melding stays in `vervolg` until its follow-up is recorded (contract 2).
    assert (["nee", "ja"], "melden", "vervolg") == (vt, casus.uitkomst_id, casus.status)


def test_a_waiting_case_stays_open_when_the_answer_stays(tmp_path: Path) -> None:
    """Asked again and still 'nee': the walk ends, the case is open without outcome."""
    store, casus_id = walk(tmp_path, "artsen", queues(ARTSEN, **{
        "veilig-thuis-geraadpleegd": ["nee", "nee"]}))
    casus = store.get(casus_id)
    store.close()
    assert ("open", None) == (casus.status, casus.uitkomst_id)


def test_a_waiting_case_can_be_closed(tmp_path: Path) -> None:
    """At the question it waits on, the user may close the case with a reason."""
    sluiten = Afsluiten(
        reden="overgedragen", overgenomen_door="Huisarts", nagaan_op="2099-01-01"
    )
    store, casus_id = walk(tmp_path, "artsen", queues(ARTSEN, **{
        "veilig-thuis-geraadpleegd": ["nee", sluiten]}))
    casus = store.get(casus_id)
    store.close()
    assert ("afsluiten", "overgedragen", "afgerond") == (
        casus.uitkomst_id, casus.uitkomst_reden, casus.status)


def test_a_changed_answer_is_logged_as_the_engine_keeps_it(tmp_path: Path) -> None:
    """A change from the overview is logged checked: choices in flow order, no repeats."""
    rommelig = Antwoord(vraag_id="signalen",
                        waarde=("verwaarlozing", "lichamelijk-geweld", "verwaarlozing"))
    store, casus_id = walk(tmp_path, "basis", queues(
        {**ARTSEN, "veilig-thuis-geraadpleegd": "ja", "afweging-2": "nee", "afweging-3": "nee"},
        **{"afweging-1": [Wijzig(antwoord=rommelig, reden="nog een signaal"), "ja"]}))
    events = store.events(casus_id)
    store.close()
    gewijzigd = [e.antwoord for e in events if e.soort == "wijziging"]
    assert [["lichamelijk-geweld", "verwaarlozing"]] == gewijzigd
    herbouwd = state_from_events(load_flow("basis"), "basis", events)
    assert ("lichamelijk-geweld", "verwaarlozing") == herbouwd.waarde("signalen")


@pytest.mark.parametrize("oorzaak", [KeyboardInterrupt(), InputClosed(afweging="afweging-1")])
def test_a_confirmed_afweging_survives_a_stop_at_its_reasoning(
    tmp_path: Path, oorzaak: BaseException
) -> None:
    """Ctrl-C or closed input at the onderbouwing: the confirmed afweging is saved first
    (without onderbouwing), so `hervat` goes on with the next question."""
    stop = AnswerThenStop(Antwoord(vraag_id="afweging-1", waarde="ja"), oorzaak)
    with pytest.raises(type(oorzaak)):
        walk(tmp_path, "basis", queues(
            {**ARTSEN, "veilig-thuis-geraadpleegd": "nee"}, **{"afweging-1": [stop]}))
    store = Store(tmp_path / "meldcode.db")
    (casus,) = store.casussen()
    events = store.events(casus.id)
    store.close()
    assert [("ja", None)] == [(e.antwoord, e.toelichting) for e in events
                              if e.vraag == "afweging-1"]
    flow = load_flow("basis")
    volgende = engine.what_next(flow, state_from_events(flow, "basis", events))
    assert "afweging-2" == getattr(volgende, "id", None)


def run(home: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin, env={"MELDCODE_HOME": str(home)})
    return result.exit_code, result.stdout, result.stderr


def test_hervat_from_a_file_lets_a_waiting_case_go_on(tmp_path: Path) -> None:
    """`hervat ID --antwoorden` with Veilig Thuis now 'ja' continues the waiting artsen case."""
    eerst = {k: list(v) if isinstance(v, tuple) else v for k, v in ARTSEN.items()}
    bestand = tmp_path / "a.yaml"
    deel = {k: v for k, v in eerst.items() if not k.startswith("afweging")}
    bestand.write_text(yaml.safe_dump({"sector": "artsen", "antwoorden": {
        **deel, "veilig-thuis-geraadpleegd": "nee"}}), encoding="utf-8")
    code, out, _ = run(tmp_path, "start", "--antwoorden", str(bestand), "--standaard", "--json")
    doc = json.loads(out)
    assert (0, "open", None) == (code, doc["casus"]["status"], doc["uitkomst"])
    verder = tmp_path / "b.yaml"
    verder.write_text(yaml.safe_dump({"antwoorden": {
        "veilig-thuis-geraadpleegd": "ja", "gesprek-gevoerd": "ja", "afweging-1": "ja",
        "afweging-2": "ja"}}), encoding="utf-8")
    casus_id = doc["casus"]["id"]
    code, out, err = run(tmp_path, "hervat", casus_id, "--antwoorden", str(verder),
                         "--standaard", "--json")
    assert 0 == code, err
    assert ("melden", "vervolg") == (json.loads(out)["uitkomst"]["id"],
                                      json.loads(out)["casus"]["status"])
    assert "blijft open" not in err  # it went on: no stale 'the case stays open' on stderr


def test_hervat_of_a_finished_case_writes_nothing(tmp_path: Path) -> None:
    """Resuming a finished case only says so: no event, so its retention term stays."""
    store, casus_id = walk(tmp_path, "basis", queues(
        {**ARTSEN, "veilig-thuis-geraadpleegd": "nee", "afweging-1": "nee"}))
    voor = store.get(casus_id)
    store.close()
    code, _, err = run(tmp_path, "hervat", casus_id, "--eenvoudig")
    na = Store(tmp_path / "meldcode.db")
    rij = na.get(casus_id)
    na.close()
    assert (0, True) == (code, "is afgerond" in err)
    assert (voor.aantal_events, voor.bijgewerkt) == (rij.aantal_events, rij.bijgewerkt)
