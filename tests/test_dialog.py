"""The dialogue around a question over plain streams: confirmations, detours, pre-fills.

Issue 11 items 2, 7, 9, 10 and issue 17 items 1, 4, 5, as a person at `--eenvoudig` meets them.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import ClassVar

import pytest

from meldcode import engine
from meldcode.dossier.build import build
from meldcode.errors import InvalidAntwoord
from meldcode.model import Antwoord, AnyVraag, Flow, State, Waarde
from meldcode.prompts.interface import AcuutGevaar, Afsluiten, Pauzeren, VraagContext
from meldcode.prompts.plain import PlainPrompter
from meldcode.prompts.screen import Menu
from meldcode.store import open_store
from meldcode.store.history import state_from_events
from meldcode.walk import loop
from meldcode.walk.case import CaseWalk
from test_interactive import BASIS

VANDAAG = dt.date(2027, 1, 15)


def plain(flow: Flow, typed: str) -> tuple[PlainPrompter, io.StringIO]:
    out = io.StringIO()
    return PlainPrompter(flow, input=io.StringIO(typed), output=out, vandaag=VANDAAG), out


def at(flow: Flow, vraag_id: str, antwoorden: dict[str, Waarde]) -> tuple[State, VraagContext]:
    state = engine.replay(flow, State(sector="basis"), antwoorden)
    assert vraag_id == getattr(engine.what_next(flow, state), "id", None)
    return state, loop.context_for(flow, state, flow.vraag(vraag_id), {})


def test_ja_at_acuut_gevaar_asks_for_confirmation_and_annuleren_asks_again(flow: Flow) -> None:
    """'ja' then Enter (the cursor's Annuleren) records nothing; the question comes again."""
    _, context = at(flow, "acuut-gevaar", {})
    p, out = plain(flow, "1\n\n2\n")
    assert Antwoord(vraag_id="acuut-gevaar", waarde="nee") == p.ask(
        flow.vraag("acuut-gevaar"), context
    )
    assert "Acuut gevaar vastleggen?" in out.getvalue()
    assert 2 == out.getvalue().count("Is er nu acuut gevaar")


@pytest.mark.parametrize("getypt", [":pauze", ":terug", ":afsluiten"])
def test_a_command_typed_in_the_acute_confirmation_does_what_it_says(
    flow: Flow, getypt: str
) -> None:
    """At "Acuut gevaar vastleggen?" a command is no "Ja": it is done at the question."""
    _, context = at(flow, "signalen", {"acuut-gevaar": "nee"})
    p, _ = plain(flow, f":acuut\n{getypt}\nannuleren\n:pauze\n")
    result = p.ask(flow.vraag("signalen"), context)
    assert not isinstance(result, AcuutGevaar)
    assert Pauzeren() == result


def test_the_cursor_never_starts_on_an_answer_that_ends_the_case(flow: Flow) -> None:
    """Arrow mode: at acuut-gevaar the cursor is on nee, at afweging-2 (ja = melden) on nee,
    at afweging-1 (nee = afsluiten) on ja: a reflex Enter records that answer."""
    from meldcode.prompts.interactive import InteractivePrompter

    class Enter(InteractivePrompter):
        """Presses Enter at every choice: the answer is where the cursor starts."""

        def choose(self, menu: Menu) -> object:
            return menu.default

    p = Enter(flow, vandaag=VANDAAG)
    for vraag_id, antwoorden, start in [
        ("acuut-gevaar", {}, "nee"),
        ("afweging-1", BASIS, "ja"),
        ("afweging-2", {**BASIS, "afweging-1": "ja"}, "nee"),
    ]:
        _, context = at(flow, vraag_id, antwoorden)
        assert Antwoord(vraag_id=vraag_id, waarde=start) == p.ask(flow.vraag(vraag_id), context)


def test_a_refused_answer_names_the_question_by_its_text(flow: Flow) -> None:
    """'Ongeldig antwoord op vraag ...' shows the question a person saw, not its id."""
    p, out = plain(flow, "")
    vraag = flow.vraag("signalen")
    p.invalid(vraag, str(InvalidAntwoord(vraag_id="signalen", reden="kies er minstens één.")))
    assert "'signalen'" not in out.getvalue()
    assert "Welke soorten signalen ziet u?" in out.getvalue()


AFWEGING_4 = {**BASIS, "afweging-1": "ja", "afweging-2": "nee", "afweging-3": "ja"}
TOT_DATUM = {**AFWEGING_4, "afweging-4": "ja", "hulp-afspraken": "Wekelijks gesprek."}


def test_a_past_evaluation_date_asks_for_confirmation(flow: Flow) -> None:
    """A date before today: Enter (Annuleren) asks again; a confirmed one is kept."""
    _, context = at(flow, "evaluatiedatum", TOT_DATUM)
    p, out = plain(flow, "01-01-2027\n\n01-01-2027\n1\n")
    result = p.ask(flow.vraag("evaluatiedatum"), context)
    assert Antwoord(vraag_id="evaluatiedatum", waarde="2027-01-01") == result
    assert 2 == out.getvalue().count("ligt in het verleden")


def test_a_future_evaluation_date_is_taken_at_once(flow: Flow) -> None:
    """No question for a date still to come."""
    _, context = at(flow, "evaluatiedatum", TOT_DATUM)
    p, out = plain(flow, "01-03-2027\n")
    result = p.ask(flow.vraag("evaluatiedatum"), context)
    assert Antwoord(vraag_id="evaluatiedatum", waarde="2027-03-01") == result
    assert "verleden" not in out.getvalue()


GESPREK = {k: v for k, v in BASIS.items() if k not in ("gesprek-gevoerd", "gesprek-verslag")}


def test_stap_3_nee_offers_a_pause_until_the_conversation(flow: Flow) -> None:
    """gesprek-gevoerd = nee: pausing records no 'nee'; the question comes back on hervat."""
    tot = list(BASIS).index("gesprek-gevoerd")
    gegeven = {k: v for k, v in GESPREK.items() if list(BASIS).index(k) < tot}
    _, context = at(flow, "gesprek-gevoerd", gegeven)
    p, _ = plain(flow, "2\n1\n")
    assert Pauzeren() == p.ask(flow.vraag("gesprek-gevoerd"), context)
    p, _ = plain(flow, "2\n2\n")
    assert Antwoord(vraag_id="gesprek-gevoerd", waarde="nee") == p.ask(
        flow.vraag("gesprek-gevoerd"), context
    )


def test_advies_with_the_action_prefills_veilig_thuis_geraadpleegd(
    flow: Flow, tmp_path: Path
) -> None:
    """✆ at signalen, then at veilig-thuis-geraadpleegd Enter takes 'ja'."""
    store = open_store(home=tmp_path)
    walk = CaseWalk.start(store, flow)
    recorder = walk.recorder
    typed = [
        "2",  # acuut-gevaar: nee
        ":advies",
        "",  # today
        "1",  # geanonimiseerd: ja
        "Gesprek voeren met de ouders.",
        "",
        "2",  # signalen
        "Kind vertelt het.",
        "",
        "2",  # kindcheck: nee
        "Geen kinderen in het gezin; nagevraagd bij de moeder.",  # kindcheck-toelichting
        "",
        "Aandachtsfunctionaris.",
        "",
        "",  # veilig-thuis-geraadpleegd: Enter = the pre-filled ja
        ":pauze",
    ]
    p, _ = plain(flow, "\n".join(typed) + "\n")
    with walk, pytest.raises(loop.Paused) as e:
        loop.run(flow, State(sector="basis"), p, recorder)
    assert "ja" == e.value.state.waarde("veilig-thuis-geraadpleegd")
    store.close()


def test_recorded_advice_is_confirmed_before_the_question_comes_again(
    flow: Flow, tmp_path: Path
) -> None:
    """✆ Advies van Veilig Thuis ended with nothing on screen but the question again: the
    professional could not tell it was kept. Now a line says it is in the log, with the day of
    the conversation, once the log holds it."""
    store = open_store(home=tmp_path)
    walk = CaseWalk.start(store, flow)
    typed = ["2", ":advies", "", "1", "Gesprek voeren met de ouders.", "", ":pauze"]
    p, out = plain(flow, "\n".join(typed) + "\n")
    with walk, pytest.raises(loop.Paused):
        loop.run(flow, State(sector="basis"), p, walk.recorder)
    scherm = out.getvalue()
    soorten = [e.soort for e in store.events(walk.recorder.casus_id)]
    store.close()
    dag = VANDAAG.strftime("%d-%m-%Y")
    bevestiging = f"Vastgelegd in het logboek: het advies van Veilig Thuis (gesprek van {dag})"
    # Once: after the advice was typed, before the signalen question is asked again.
    na_advies = scherm.split("Wat adviseerde Veilig Thuis?")[-1]
    assert (1, True) == (
        scherm.count(bevestiging),
        na_advies.index(bevestiging) < na_advies.index("Welke soorten signalen"),
    )
    assert ["antwoord", "advies-veilig-thuis", "pauze"] == soorten


def test_the_afweging_is_recorded_before_its_onderbouwing_is_asked(
    flow: Flow, tmp_path: Path
) -> None:
    """The log holds the afweging before the onderbouwing prompt; the onderbouwing is its own
    event, and the dossier shows it with its afweging."""
    state, _ = at(flow, "afweging-1", BASIS)
    store = open_store(home=tmp_path)
    walk = CaseWalk.start(store, flow)
    recorder = walk.recorder
    for a in state.antwoorden:
        recorder.antwoord(flow.vraag(a.vraag_id), a, state)

    class Kijker(PlainPrompter):
        """Looks in the store when the onderbouwing is asked."""

        gezien: ClassVar[list[str | None]] = []

        def onderbouwing(self, vraag: AnyVraag) -> str | None:
            self.gezien.extend(e.vraag for e in store.events(recorder.casus.id))
            return super().onderbouwing(vraag)

    p = Kijker(flow, input=io.StringIO("1\nHet vermoeden blijft.\n:pauze\n"), output=io.StringIO())
    with walk, pytest.raises(loop.Paused):
        loop.run(flow, state, p, recorder)
    assert "afweging-1" in Kijker.gezien
    events = store.events(recorder.casus.id)
    soorten = [(e.soort, e.vraag, e.toelichting) for e in events if e.vraag == "afweging-1"]
    assert [
        ("antwoord", "afweging-1", None),
        ("onderbouwing", "afweging-1", "Het vermoeden blijft."),
    ] == soorten
    herbouwd = state_from_events(flow, "basis", events)
    assert "Het vermoeden blijft." == next(
        a.toelichting for a in herbouwd.antwoorden if a.vraag_id == "afweging-1"
    )
    dossier = build(store, recorder.casus.id, flow=flow)
    regels = [r for s in dossier.stappen for r in s.regels if r.vraag_id == "afweging-1"]
    assert ["Het vermoeden blijft."] == [r.toelichting for r in regels]
    store.close()


@pytest.mark.parametrize("getypt", [":pauze", "?\nHet vermoeden blijft.\n:pauze"])
def test_commands_at_the_onderbouwing_do_what_they_say(
    flow: Flow, tmp_path: Path, getypt: str
) -> None:
    """:pauze at the onderbouwing pauses (the afweging is kept, no empty reasoning stored);
    ? shows the afweging's uitleg and asks the onderbouwing again."""
    state, _ = at(flow, "afweging-1", BASIS)
    store = open_store(home=tmp_path)
    walk = CaseWalk.start(store, flow)
    recorder = walk.recorder
    for a in state.antwoorden:
        recorder.antwoord(flow.vraag(a.vraag_id), a, state)
    p, out = plain(flow, f"1\n{getypt}\n")
    with walk, pytest.raises(loop.Paused):
        loop.run(flow, state, p, recorder)
    events = [(e.soort, e.vraag) for e in store.events(recorder.casus.id)][-3:]
    store.close()
    if getypt == ":pauze":
        assert [("antwoord", "afweging-1"), ("pauze", None)] == events[-2:]
    else:
        assert [("onderbouwing", "afweging-1"), ("pauze", None)] == events[-2:]
        assert "Uitleg: " in out.getvalue()


@pytest.mark.parametrize("vraag_nr", ["1", "2"], ids=["ja-nee", "meerkeuze"])
def test_changing_an_answer_from_the_overview_can_be_cancelled(flow: Flow, vraag_nr: str) -> None:
    """≡ Overzicht, pick an answer, then Annuleren at its question: nothing changes and the
    question comes again (the overview's own step has Annuleren too)."""
    _, context = at(
        flow, "signalen-beschrijving", {"acuut-gevaar": "nee", "signalen": ("psychisch-geweld",)}
    )
    p, out = plain(flow, f":overzicht\n{vraag_nr}\nannuleren\n:pauze\n")
    assert Pauzeren() == p.ask(flow.vraag("signalen-beschrijving"), context)
    assert 2 == out.getvalue().count("Annuleren, terug naar de vraag")


def test_closing_as_overgedragen_keeps_the_reason_and_records_who_and_when(flow: Flow) -> None:
    """× Casus afsluiten, overgedragen: left empty, who took over is asked again (the reason is
    kept, review finding 9); a past check date is refused; who and when end up in the log."""
    _, context = at(flow, "signalen", {"acuut-gevaar": "nee"})
    nummer = 1 + [o.id for o in flow.afsluitredenen].index("overgedragen")
    p, out = plain(
        flow,
        f":afsluiten\n{nummer}\n\n1\nWijkteam Noord, casemanager\n01-01-2027\n01-03-2027\n\n",
    )
    result = p.ask(flow.vraag("signalen"), context)
    assert (
        Afsluiten(
            reden="overgedragen",
            overgenomen_door="Wijkteam Noord, casemanager",
            nagaan_op="2027-03-01",
        )
        == result
    )
    assert isinstance(result, Afsluiten)
    assert "Wijkteam Noord, casemanager" in (result.vastgelegd or "")
    assert "01-03-2027" in (result.vastgelegd or "")
    getoond = out.getvalue()
    assert "in het verleden" in getoond
    assert "'overgedragen'" not in getoond
    assert 1 == getoond.count("Waarom sluit u de casus af?")


def test_closing_as_overgedragen_can_be_cancelled_at_the_empty_who(flow: Flow) -> None:
    """Left empty, then Annuleren: nothing is recorded and the question comes again."""
    _, context = at(flow, "signalen", {"acuut-gevaar": "nee"})
    nummer = 1 + [o.id for o in flow.afsluitredenen].index("overgedragen")
    p, out = plain(flow, f":afsluiten\n{nummer}\n\n2\n:pauze\n")
    assert Pauzeren() == p.ask(flow.vraag("signalen"), context)
    assert 2 == out.getvalue().count("Welke soorten signalen")


@pytest.mark.parametrize("getypt", [":terug", ":overzicht"])
def test_an_empty_enter_in_terug_and_overzicht_cancels_as_elsewhere(
    flow: Flow, getypt: str
) -> None:
    """Plain :terug and :overzicht offer "[Enter = Annuleren]" as the other dialogues do, and an
    empty Enter asks the question again (it said "Fout: Kies een nummer…")."""
    _, context = at(
        flow, "signalen-beschrijving", {"acuut-gevaar": "nee", "signalen": ("psychisch-geweld",)}
    )
    p, out = plain(flow, f"{getypt}\n\n:pauze\n")
    assert Pauzeren() == p.ask(flow.vraag("signalen-beschrijving"), context)
    getoond = out.getvalue()
    assert "Fout:" not in getoond
    assert "[Enter = 3]" in getoond  # 3. Annuleren, terug naar de vraag
    assert 2 == getoond.count("Beschrijf de feiten")


def test_a_case_closed_for_another_reason_reads_the_same_everywhere(flow: Flow, home: Path) -> None:
    """Closed with "Een andere reden (licht toe)" and an explanation: the summary, `toon` and
    `statistiek` all name the reason as "een andere reden" (the summary said "(licht toe)",
    toon and statistiek the id "anders"), and the summary and toon give the explanation."""
    from rich.console import Console
    from typer.testing import CliRunner

    from meldcode.cli import app
    from meldcode.render import summary
    from test_interactive import script

    uitleg = "Het gezin is naar het buitenland verhuisd."
    prompter = script({}, first={"signalen": [Afsluiten("anders", uitleg)]})
    store = open_store(home=home)
    try:
        with CaseWalk.start(store, flow) as walk:
            state = loop.run(flow, State(sector="basis"), prompter, walk.recorder)
        casus = store.get(walk.casus.id)
        scherm = io.StringIO()
        console = Console(file=scherm, width=200, color_system=None)
        summary.samenvatting(console, flow, casus, state, store.events(casus.id), eenvoudig=True)
    finally:
        store.close()
    samenvatting = scherm.getvalue()
    env = {"MELDCODE_HOME": str(home), "COLUMNS": "200"}
    toon = CliRunner().invoke(app, ["toon", casus.id], env=env)
    statistiek = CliRunner().invoke(app, ["statistiek"], env=env)
    assert (0, 0) == (toon.exit_code, statistiek.exit_code)
    assert "Reden: een andere reden" in samenvatting
    assert uitleg in samenvatting
    assert "licht toe" not in samenvatting + toon.stdout + statistiek.stdout
    assert "│ Reden" in toon.stdout
    assert "een andere reden" in toon.stdout.split("│ Reden")[1].split("\n")[0]
    assert uitleg in toon.stdout.split("Stap 1")[0]  # in the outcome, not only in the log
    assert "een andere reden" in statistiek.stdout
    assert " anders " not in statistiek.stdout


def test_the_closing_reasons_read_as_their_labels_without_the_instruction(flow: Flow) -> None:
    """Each reason to close early is named (text/labels.py, for commands that load no flow) as
    its menu label says it, without the instruction in brackets after it."""
    from meldcode.text.labels import REDENEN

    for optie in flow.afsluitredenen:
        label = optie.label[0].lower() + optie.label[1:]
        assert label.split(" (")[0] == REDENEN[optie.id]


def test_plain_annuleren_at_the_advice_date_asks_the_question_again(flow: Flow) -> None:
    """--eenvoudig has no Esc: 'annuleren' at "Wanneer sprak u Veilig Thuis?" ends the dialogue
    as Annuleren does in its menus (it was refused as an invalid date, again and again)."""
    _, context = at(flow, "signalen", {"acuut-gevaar": "nee"})
    p, out = plain(flow, ":advies\nannuleren\n:pauze\n")
    assert Pauzeren() == p.ask(flow.vraag("signalen"), context)
    getoond = out.getvalue()
    assert "Ongeldige datum" not in getoond
    assert "annuleren" in getoond.split("Wanneer sprak u Veilig Thuis?")[1].split(">")[0]
    assert 2 == getoond.count("Welke soorten signalen ziet u?")
