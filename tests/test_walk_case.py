"""The one case walk (walk/case.py) and the loop behind it, which needs no store: any recorder
that implements the loop's `Recorder` protocol will do."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from meldcode import engine
from meldcode.flows import load_flow
from meldcode.model import Antwoord, AnyVraag, Flow, State, Uitkomst
from meldcode.prompts.interface import Actie, Pauzeren, VraagContext
from meldcode.prompts.scripted import ScriptedPrompter, plan
from meldcode.store.sqlite import Store
from meldcode.walk import loop
from meldcode.walk.case import CaseWalk, Ending
from test_invoer import BASIS


@dataclass
class MemoryRecorder:
    """The loop's Recorder protocol, kept in a list: (soort, vraag id or None, value)."""

    casus_id: str = "mc-test-mem0"
    nieuw: bool = True
    events: list[tuple[str, str | None, object]] = field(default_factory=list)

    def antwoord(self, vraag: AnyVraag, antwoord: Antwoord, state: State) -> None:  # noqa: ARG002
        self.events.append(("antwoord", vraag.id, antwoord.waarde))

    def onderbouwing(self, vraag: AnyVraag, tekst: str, state: State) -> None:  # noqa: ARG002
        self.events.append(("onderbouwing", vraag.id, tekst))

    def wijziging(
        self, vraag: AnyVraag, antwoord: Antwoord, reden: str, state: State  # noqa: ARG002
    ) -> None:
        self.events.append(("wijziging", vraag.id, antwoord.waarde))

    def terug(self, vraag: AnyVraag, state: State) -> None:  # noqa: ARG002
        self.events.append(("terug", vraag.id, None))

    def advies(self, stap: str | None, toelichting: str, state: State) -> None:  # noqa: ARG002
        self.events.append(("advies-veilig-thuis", stap, toelichting))

    def afsluiten(self, reden: str, toelichting: str | None, state: State) -> None:  # noqa: ARG002
        self.events.append(("afsluiten", None, reden))

    def pauze(self, state: State) -> None:  # noqa: ARG002
        self.events.append(("pauze", None, None))


@pytest.fixture
def flow() -> Flow:
    return load_flow("basis")


def test_the_loop_records_every_answer_through_the_protocol_without_a_store(flow: Flow) -> None:
    """An answers file walked with an in-memory recorder: the outcome is reached and every
    answer the loop took was recorded, in order, before the next question."""
    begin = State(sector="basis")
    gepland = plan(flow, begin, BASIS, standaard=True)
    recorder = MemoryRecorder()
    state = loop.run(flow, begin, ScriptedPrompter(gepland.antwoorden), recorder)
    assert isinstance(engine.what_next(flow, state), Uitkomst)
    recorded = [(vraag, waarde) for soort, vraag, waarde in recorder.events if soort == "antwoord"]
    assert [(a.vraag_id, a.waarde) for a in state.antwoorden] == recorded


def test_the_loop_does_not_load_sqlite() -> None:
    """The loop depends on the Recorder protocol, not on the store: importing it in a fresh
    interpreter loads no sqlite3 (it did while it imported walk.recorder)."""
    code = "import sys, meldcode.walk.loop; print('sqlite3' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "False" == out.strip()


class PauseAtSignalen(ScriptedPrompter):
    """Answers what it is given, and pauses at the signalen."""

    def ask(self, vraag: AnyVraag, context: VraagContext) -> Antwoord | Actie:
        if vraag.id == "signalen":
            return Pauzeren()
        return super().ask(vraag, context)


class CtrlCAtSignalen(ScriptedPrompter):
    """Answers what it is given; Ctrl-C at the signalen."""

    def ask(self, vraag: AnyVraag, context: VraagContext) -> Antwoord | Actie:
        if vraag.id == "signalen":
            raise KeyboardInterrupt
        return super().ask(vraag, context)


def test_a_walk_ends_in_one_result_and_leaving_it_releases_the_lock(
    tmp_path: Path, flow: Flow
) -> None:
    """Paused and interrupted are results, not exceptions; after the `with` block the case
    can be locked again (by `hervat`), and resuming records one `hervat` event."""
    store = Store(tmp_path / "meldcode.db")
    with CaseWalk.start(store, flow) as walk:
        result = walk.run(PauseAtSignalen({"acuut-gevaar": "nee"}))
    assert (Ending.PAUSED, None) == (result.ending, result.stop)
    with CaseWalk.resume(store, result.casus_id, flow) as walk:
        assert walk.state.heeft("acuut-gevaar")
        result = walk.run(CtrlCAtSignalen({}))
    assert Ending.INTERRUPTED == result.ending
    assert isinstance(result.stop, KeyboardInterrupt)
    soorten = [e.soort for e in store.events(result.casus_id)]
    assert ["antwoord", "pauze", "hervat"] == soorten
    store.lock(result.casus_id)  # free again: no StoreLocked
    store.close()


def test_an_error_inside_the_walk_block_releases_the_lock(tmp_path: Path, flow: Flow) -> None:
    """Whatever goes wrong between start and the end of the block, the lock is released."""
    store = Store(tmp_path / "meldcode.db")
    walk = CaseWalk.start(store, flow)

    def fails_inside() -> None:
        with walk:
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fails_inside()
    store.lock(walk.casus.id)
    store.close()
