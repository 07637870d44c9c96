"""A walk killed at any prompt loses nothing the screen accepted (issue 17 item 1).

In a pseudo-terminal, in both modes, at every kind of prompt (the onderbouwing included), with
SIGKILL, SIGTERM and SIGHUP: the answer given just before the prompt is in the log afterwards,
and SIGTERM and SIGHUP end the walk as Ctrl-C does, with their own exit code.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest

from meldcode import engine
from meldcode.flows import load_flow
from meldcode.model import State, Waarde
from meldcode.store import open_store
from meldcode.walk.case import CaseWalk
from terminal import ENTER, Terminal
from test_interactive import BASIS

SUBMIT_MULTILINE = "\x1b\r"


@dataclass(frozen=True)
class Geval:
    """A case prepared up to one question, what is typed there, and the prompt that follows."""

    voorbereid: dict[str, Waarde] | None  # None: a fresh `start`
    pijltjes: str  # keys in arrow mode
    eenvoudig: str  # keys in plain mode
    bewaard: tuple[tuple[str, str], ...]  # (soort, vraag) that must be in the log afterwards
    daarna: str  # text of the prompt at which the process is stopped (on screen only there)


AFWEGINGEN_1_3 = {**BASIS, "afweging-1": "ja", "afweging-2": "nee", "afweging-3": "ja"}
GEVALLEN = {
    "meerkeuze": Geval(None, ENTER, "2\r", (("antwoord", "acuut-gevaar"),), "signalen ziet"),
    "tekst": Geval(
        {"acuut-gevaar": "nee"}, " " + ENTER, "1\r", (("antwoord", "signalen"),), "Beschrijf"
    ),
    "ja-nee": Geval(
        {"acuut-gevaar": "nee", "signalen": ("psychisch-geweld",)},
        "Kind vertelt het." + SUBMIT_MULTILINE,
        "Kind vertelt het.\r\r",
        (("antwoord", "signalen-beschrijving"),),
        "minderjarige",
    ),
    "onderbouwing": Geval(
        BASIS, ENTER, "1\r", (("antwoord", "afweging-1"),), "Korte onderbouwing"
    ),
    "tekst-na-onderbouwing": Geval(
        AFWEGINGEN_1_3,
        ENTER + "Hulp loopt." + ENTER,
        "1\rHulp loopt.\r",
        (("antwoord", "afweging-4"), ("onderbouwing", "afweging-4")),
        "Welke hulp is afgesproken",  # not "hulp": afweging 3 and 4 on screen say it too
    ),
    "datum": Geval(
        {**AFWEGINGEN_1_3, "afweging-4": "ja"},
        "Wekelijks gesprek." + SUBMIT_MULTILINE,
        "Wekelijks gesprek.\r\r",
        (("antwoord", "hulp-afspraken"),),
        "dd-mm-jjjj",
    ),
}
SIGNALEN = {"SIGKILL": signal.SIGKILL, "SIGTERM": signal.SIGTERM, "SIGHUP": signal.SIGHUP}


def prepare(home: Path, antwoorden: dict[str, Waarde]) -> str:
    """A basis case with `antwoorden` recorded, as an earlier walk would have left it."""
    flow = load_flow("basis")
    state = engine.replay(flow, State(sector="basis"), antwoorden)
    with open_store(home=home) as store, CaseWalk.start(store, flow) as walk:
        for a in state.antwoorden:
            walk.recorder.antwoord(flow.vraag(a.vraag_id), a, state)
        return walk.casus.id


def logged(home: Path) -> list[tuple[str, str | None]]:
    """(soort, vraag) of every event of the one case in the store."""
    store = open_store(home=home)
    try:
        (casus,) = store.casussen()
        return [(e.soort, e.vraag) for e in store.events(casus.id)]
    finally:
        store.close()


@pytest.mark.parametrize("naam", list(SIGNALEN))
@pytest.mark.parametrize("modus", ["pijltjes", "eenvoudig"])
@pytest.mark.parametrize("soort", list(GEVALLEN))
def test_what_the_screen_accepted_survives_a_kill(
    tmp_path: Path, soort: str, modus: str, naam: str
) -> None:
    """Stopped at the prompt after an answer: that answer (and onderbouwing) is in the log;
    SIGTERM and SIGHUP say so and exit 128 + the signal's number."""
    geval = GEVALLEN[soort]
    args = ["--eenvoudig"] if modus == "eenvoudig" else []
    if geval.voorbereid is None:
        term = Terminal(tmp_path, "start", "--sector", "basis", *args)
        term.wait_for("acuut gevaar voor")
    else:
        casus_id = prepare(tmp_path, geval.voorbereid)
        term = Terminal(tmp_path, "hervat", casus_id, *args)
        term.wait_for("beantwoord")
    term.settle()
    for toets in geval.pijltjes if modus == "pijltjes" else geval.eenvoudig:
        term.send(toets)
        if toets in "\r\x1b":
            term.settle(0.15)
    term.wait_for(geval.daarna)
    term.settle(0.2)
    assert [] == term.english()  # every prompt kind, in both modes, speaks Dutch
    assert term.child.pid is not None
    os.kill(term.child.pid, SIGNALEN[naam])
    code = term.finish()
    assert 128 + SIGNALEN[naam] == code
    if naam != "SIGKILL":
        term.wait_for("Alle antwoorden tot nu toe zijn bewaard")
    events = logged(tmp_path)
    for verwacht in geval.bewaard:
        assert verwacht in events, events
