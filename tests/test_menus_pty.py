"""The walk's menus in a real terminal at 60 and 120 columns, read as a person sees them (the
help also at 80, where it changes form; a few checks at 80 only).

Every action menu can be cancelled (Annuleren, and Esc in arrow mode) without recording
anything; a reflex Enter records no outcome; no line is cut inside a word (issue 11). A test
that checks several things in one walk (one process, one terminal) names the failing part.
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

import pexpect
import pytest
from typer.testing import CliRunner

from meldcode import engine
from meldcode.cli import app
from meldcode.flows import load_flow
from meldcode.model import AnyVraag, Flow, State, Uitkomst, Waarde
from meldcode.prompts.interface import Stoppen
from meldcode.prompts.plain import PlainPrompter
from meldcode.store.sqlite import Store
from meldcode.walk import loop
from terminal import ENTER, ESC, Terminal
from test_interactive import BASIS

BREEDTES = [60, 120]  # narrow and wide; 80 is no boundary of the walk's layout
ROUTE = "Waar gaat uw zorg over?"
EERSTE = "Is er nu acuut gevaar voor"


def events(home: Path) -> list[tuple[str, str | None]]:
    """(soort, vraag) of every event of the one case in the store, and the case row's outcome."""
    store = Store(home / "meldcode.db")
    try:
        (casus,) = store.casussen()
        return [(e.soort, e.vraag) for e in store.events(casus.id)] + [
            ("uitkomst-rij", casus.uitkomst_id)
        ]
    finally:
        store.close()


NIETS_VASTGELEGD = [("antwoord", "acuut-gevaar"), ("uitkomst-rij", None)]


def stop_and_read_signalen(term: Terminal, home: Path) -> list[Any]:
    """Ctrl-C (exit 130), then every answer to `signalen` the one case in the store logged."""
    term.interrupt()
    assert 130 == term.finish()
    store = Store(home / "meldcode.db")
    try:
        (casus,) = store.casussen()
        return [e.antwoord for e in store.events(casus.id) if e.vraag == "signalen"]
    finally:
        store.close()


def at_first_question(term: Terminal) -> None:
    """Until the first question's menu is on screen and reads keys."""
    term.wait_asked(EERSTE)
    term.settle(0.15)


def at_route(term: Terminal) -> None:
    """Answer acuut-gevaar with the Enter the cursor offers, then wait for the route menu."""
    at_first_question(term)
    term.send(ENTER)
    again_at_route(term, "the first time")


def again_at_route(term: Terminal, na: str, *, heel: bool = True) -> None:
    """The route question is asked again, its cursor on the first entry; with `heel`, nothing on
    screen is cut inside a word and nothing is English. `na`: what came before, for a failure."""
    term.wait_asked(f"{ROUTE} (pijltjes")
    term.wait_cursor("Over de thuissituatie")
    term.settle(0.15)
    if heel:
        assert [] == term.cut_words(), na
        assert [] == term.english(), na


ACTIES = [
    ("acuut gevaar (", "! Acuut gevaar", "Acuut gevaar vastleggen?"),
    ("terug naar een", "← Terug", "Naar welke vraag wilt u terug?"),
    ("overzicht:", "≡ Overzicht", "Welk antwoord wilt u wijzigen?"),
    ("casus afsluiten", "× Casus afsluiten", "Waarom sluit u de casus af?"),
]
AFSLUITMENU = "Waarom sluit u de casus af?"


def cancel(term: Terminal, menu: str, manier: str) -> None:
    """At `menu` (no word cut), cancel it by `manier` (Esc or Annuleren): the route again."""
    term.wait_asked(menu)
    term.settle(0.15)
    assert [] == term.cut_words(), menu
    if manier == "esc":
        term.send(ESC)
    else:
        term.pick("Annuleren")
    again_at_route(term, f"{manier} at {menu!r}")


def cancel_handover(term: Terminal) -> None:
    """× Casus afsluiten, overgedragen: Esc at who took over, then (after an answer there) Esc at
    the check date; the route question comes again each time."""
    for getypt, vraag in [("", "wie"), ("Wijkteam, jeugdconsulent", "de datum")]:
        term.search("casus afsluiten", "× Casus afsluiten")
        term.wait_asked(AFSLUITMENU)
        term.pick("Een andere professional")
        term.wait_asked("wie heeft de zorg", menu=False)
        term.settle(0.15)
        if getypt:
            term.send(getypt + ENTER)
            term.wait_asked("Op welke datum gaat u na", menu=False)
            term.settle(0.15)
        term.send(ESC)
        # A typed answer is wrapped by the terminal at the edge, inside a word: no `heel` then.
        again_at_route(term, f"Esc at {vraag!r}", heel=not getypt)


@pytest.mark.parametrize("cols", BREEDTES)
def test_every_action_menu_cancels_to_the_same_question(tmp_path: Path, cols: int) -> None:
    """Acuut gevaar, terug, overzicht, advies and afsluiten, each cancelled with Annuleren and
    again with Esc; Esc at the advice date (its hint says Esc cancels), and at who took over and
    the check date of a handover: the route question comes back every time, and the store holds
    only the first answer."""
    term = Terminal(tmp_path, "start", "--sector", "onderwijs", cols=cols)
    at_route(term)
    for manier in ("annuleren", "esc"):
        for zoek, actie, menu in ACTIES:
            term.search(zoek, actie)  # the route menu filters as one types
            cancel(term, menu, manier)
        term.search("advies van", "✆ Advies")
        term.wait_asked("Wanneer sprak u Veilig Thuis?", menu=False)
        term.settle(0.15)
        if manier == "esc":
            regels = term.lines()
            vraag = max(i for i, r in enumerate(regels) if r.startswith("? Wanneer sprak u"))
            assert "Esc annuleert" in regels[vraag - 1], "the advice date's hint line"
            term.send(ESC)
            again_at_route(term, "Esc at the advice date")
            term.search("advies van", "✆ Advies")
            term.wait_asked("Wanneer sprak u Veilig Thuis?", menu=False)
            term.settle(0.15)
        term.send(ENTER)  # today
        cancel(term, "Was het gesprek geanonimiseerd?", manier)
    cancel_handover(term)
    term.interrupt()
    assert 130 == term.finish()
    assert NIETS_VASTGELEGD == events(tmp_path)


def test_esc_cancels_without_half_a_second_of_waiting(tmp_path: Path) -> None:
    """Esc in an action's menu answers within vim's 0.1 s wait for an escape sequence, not
    prompt_toolkit's 0.5 s (Esc seemed not to work). The fastest of three tries: a busy machine
    can slow one redraw, never shorten the old wait."""
    term = Terminal(tmp_path, "start", "--sector", "onderwijs", cols=80)
    at_route(term)
    tijden = []
    for _ in range(3):
        term.search("casus afsluiten", "× Casus afsluiten")
        term.wait_asked(AFSLUITMENU)
        term.settle(0.15)
        begin = time.monotonic()
        term.send(ESC)
        term.wait_asked("Waar gaat uw zorg over?")
        tijden.append(time.monotonic() - begin)
        again_at_route(term, "Esc at the close menu")
    assert min(tijden) < 0.4, tijden
    term.interrupt()
    assert 130 == term.finish()


@pytest.mark.parametrize("cols", BREEDTES)
def test_every_typed_action_cancels_in_plain_mode(tmp_path: Path, cols: int) -> None:
    """--eenvoudig: each action's dialogue ends with Annuleren and asks the question again."""
    term = Terminal(tmp_path, "start", "--sector", "onderwijs", "--eenvoudig", cols=cols)
    term.wait_raw("Kies een nummer")
    term.send("2\r")
    keer = 1
    term.wait_raw(ROUTE, keer)
    for getypt in [":acuut", ":terug", ":overzicht", ":afsluiten", ":advies\r"]:
        term.wait_raw("Kies een nummer", keer + 1)
        term.send(getypt + "\r")
        term.wait_raw("Annuleren, terug naar de vraag", keer)
        term.send("annuleren\r")
        keer += 1
        term.wait_raw(ROUTE, keer)
    term.wait_raw("Kies een nummer", keer + 1)
    term.settle(0.15)
    assert [] == term.cut_words()
    assert [] == term.english()
    term.send(":pauze\r")
    assert 0 == term.finish()
    assert [*NIETS_VASTGELEGD[:1], ("pauze", None), NIETS_VASTGELEGD[1]] == events(tmp_path)


@pytest.mark.parametrize("cols", BREEDTES)
def test_a_reflex_enter_on_the_first_question_records_no_outcome(tmp_path: Path, cols: int) -> None:
    """Enter, Enter, Enter as the walk starts: no outcome, the case stays open."""
    term = Terminal(tmp_path, "start", "--sector", "basis", cols=cols)
    at_first_question(term)
    assert [] == term.cut_words()
    term.send(ENTER)
    term.settle(0.5)
    term.send(ENTER)  # a second reflex Enter, wherever it lands
    term.settle(0.5)
    term.interrupt()
    assert 130 == term.finish()
    assert ("uitkomst-rij", None) == events(tmp_path)[-1]
    assert ("uitkomst", None) not in events(tmp_path)


def at_signalen(home: Path, cols: int) -> Terminal:
    """A new basis case in arrow mode, acuut-gevaar answered (nee), at the signal checkbox."""
    term = Terminal(home, "start", "--sector", "basis", cols=cols)
    at_first_question(term)
    term.send(ENTER)
    term.wait_asked("Welke soorten signalen ziet u?")
    term.settle(0.1)
    return term


def at_doorgaan_after_acute_danger(home: Path, cols: int) -> Terminal:
    """A new onderwijs case in arrow mode, acute danger confirmed, at "Doorgaan?"."""
    term = Terminal(home, "start", "--sector", "onderwijs", cols=cols, rows=60)
    at_first_question(term)
    term.pick("ja")
    term.wait_asked("Acuut gevaar vastleggen?")
    term.pick("Ja, acuut gevaar vastleggen")
    term.wait_asked("Doorgaan?")
    term.settle(0.15)
    return term


@pytest.mark.parametrize("cols", BREEDTES)
def test_checkbox_search_with_a_space_ticks_what_was_typed(tmp_path: Path, cols: int) -> None:
    """Typing 'geweld tussen' and Enter ticks partnergeweld, not the option under the cursor.
    Then the text prompt that follows: a hint line names :terug and :pauze, and the multi-line
    box starts on a line of its own, so typed text gets the whole width."""
    term = at_signalen(tmp_path, cols)
    assert [] == term.cut_words()
    assert [] == term.english()
    term.send("geweld tussen")
    term.wait_cursor("○ Geweld tussen (ex-)partners")
    term.settle(0.1)
    term.send(ENTER)  # tick what was found
    term.wait_for("● Geweld tussen (ex-)partners")  # ticked; the search is cleared
    term.settle(0.1)
    term.send(ENTER)  # confirm
    term.wait_asked("Beschrijf de feiten", menu=False)
    term.wait_for(":terug")
    term.wait_for(":pauze")
    assert [] == term.english(), "at the text prompt"
    woord = "feit " * (cols // 5 - 2)
    term.send(woord)
    term.wait_for(woord)
    term.settle(0.1)
    # The typed text starts at the left edge: the whole width is the box's.
    assert any(line.startswith(woord.strip()) for line in term.lines()), term.lines()
    assert [] == term.cut_words(), "at the text prompt"
    signalen = stop_and_read_signalen(term, tmp_path)
    assert [["partnergeweld"]] == signalen


OPDRACHTEN = [
    "start", "hervat", "lijst", "toon", "exporteer", "verwijder", "opschonen", "verifieer",
    "statistiek", "herbereken", "sectoren", "valideer", "schema", "graaf", "oefen",
]  # fmt: skip


@pytest.mark.parametrize("cols", [60, 80, 120])  # the help changes form at 80 (help.py, SMAL)
def test_help_lines_are_not_cut_and_show_no_type_names(tmp_path: Path, cols: int) -> None:
    """`meldcode --help`, `start --help`, `hervat --help` in a terminal: Dutch, no '<str>',
    no word cut at the edge."""
    for opdracht in ["", "start", "hervat"]:
        term = Terminal(tmp_path, *opdracht.split(), "--help", cols=cols, rows=200)
        assert 0 == term.finish()
        assert "Gebruik" in term.text()
        assert [] == term.english(), opdracht
        assert [] == term.cut_words(), opdracht


@pytest.mark.parametrize("opdracht", OPDRACHTEN)
def test_no_command_help_shows_english_or_type_names(opdracht: str) -> None:
    """Every command's `--help` at 60 columns: no '<str>', '<path>', 'Usage' or 'TEXT'."""
    result = CliRunner().invoke(app, [opdracht, "--help"], env={"COLUMNS": "60"})
    assert 0 == result.exit_code
    for engels in ("<str>", "<path>", "Usage", "TEXT"):
        assert engels not in result.output


def plain(typed: str) -> tuple[PlainPrompter, io.StringIO]:
    """A plain prompter for the basis flow reading `typed`."""
    out = io.StringIO()
    return PlainPrompter(load_flow("basis"), input=io.StringIO(typed), output=out), out


def after_outcome(flow: Flow, antwoorden: dict[str, Waarde]) -> tuple[State, Uitkomst, AnyVraag]:
    """The state after `antwoorden`, the outcome they reach and the question that may follow."""
    state = engine.replay(flow, State(sector="basis"), antwoorden)
    reached = engine.what_next(flow, state)
    volgende = engine.vervolg(flow, state)
    assert isinstance(reached, Uitkomst)
    assert volgende is not None
    return state, reached, volgende


@pytest.mark.parametrize("getypt", [":pauze", "?", ":afsluiten", ":terug", ":acuut"])
def test_commands_at_doorgaan_do_what_they_say(getypt: str) -> None:
    """At "Doorgaan?" after melden a command is no "Ja" (issue 17 item 4): :pauze stops, ?
    explains and asks again, another command is done before the next question; cancelled,
    "Doorgaan?" comes again (review finding 7), where :pauze stops the walk."""
    flow = load_flow("basis")
    antwoorden = {**BASIS, "afweging-1": "ja", "afweging-2": "ja"}
    state, reached, volgende = after_outcome(flow, antwoorden)
    p, out = plain(f"{getypt}\n2\n")
    gaat_door = p.walk_on(reached, volgende)
    if getypt in (":pauze", "?"):
        assert gaat_door is False  # ? explained, then "2" (Nee, nu stoppen)
        assert ("Ja: u legt nu" in out.getvalue()) == (getypt == "?")
        return
    assert gaat_door is True
    context = loop.context_for(flow, state, volgende, {}, vervolg=True)
    # The command comes first: its dialogue, which "annuleren" ends; then "Doorgaan?" again.
    p.input = io.StringIO("annuleren\n:pauze\n")
    assert Stoppen() == p.ask(volgende, context)
    getoond = out.getvalue()
    assert "Doorgaan?" in getoond.split("Annuleren, terug naar de vraag")[-1]
    assert volgende.tekst not in getoond  # the next question was never asked


@pytest.mark.parametrize("getypt", [":pauze", "?", ":afsluiten", ":terug"])
def test_commands_at_the_early_evaluation_question_are_no_yes(getypt: str) -> None:
    """ "Wilt u afweging 5 nu al beoordelen?" with a command: never a silent "Ja, nu evalueren"
    (:pauze and ? keep the case waiting)."""
    flow = load_flow("basis")
    antwoorden = {
        **BASIS,
        "afweging-1": "ja",
        "afweging-2": "nee",
        "afweging-3": "ja",
        "afweging-4": "ja",
        "evaluatiedatum": "2099-01-01",
    }
    state, reached, volgende = after_outcome(flow, antwoorden)
    p, _ = plain(f"{getypt}\n\n")
    p.volg(state)
    gaat_door = p.walk_on(reached, volgende)
    assert gaat_door is (getypt not in (":pauze", "?"))
    if gaat_door:
        # The command is done first, at the next ask: its dialogue, which "annuleren" ends;
        # then the early-evaluation question comes again, where :pauze stops the walk.
        context = loop.context_for(flow, state, volgende, {}, vervolg=True)
        p.input = io.StringIO("annuleren\n:pauze\n")
        assert Stoppen() == p.ask(volgende, context)


def test_the_advice_is_shown_when_the_outcome_is_reached() -> None:
    """Afweging 2 = ja: the outcome's advice, meldnorm and punten (as the summary has them) are
    on screen before "Doorgaan?", so a user who stops there has seen them (review finding 1)."""
    flow = load_flow("basis")
    _, reached, volgende = after_outcome(flow, {**BASIS, "afweging-1": "ja", "afweging-2": "ja"})
    p, out = plain("2\n")
    assert p.walk_on(reached, volgende) is False
    voor = out.getvalue().split("Doorgaan?")[0]
    assert "Meldnorm 1" in voor
    assert " ".join(reached.tekst.split()[:8]) in " ".join(voor.split())
    assert all(" ".join(punt.split()[:5]) in " ".join(voor.split()) for punt in reached.punten)


@pytest.mark.parametrize("cols", [60, 80])
def test_arrow_mode_shows_the_acute_advice_with_the_staff_duty(tmp_path: Path, cols: int) -> None:
    """Onderwijs, acute danger confirmed: the box with the bevoegd gezag duty is on screen at
    "Doorgaan?", whose wording fits what follows (what was seen, whom called). There ':pauze'
    and Enter stops the walk (it recorded "Ja" and went on)."""
    term = at_doorgaan_after_acute_danger(tmp_path, cols)
    scherm = " ".join(term.text().split())
    assert "bevoegd gezag" in scherm
    assert "wie u belde" in scherm
    assert "samen met Veilig Thuis" not in scherm
    assert [] == term.cut_words()
    term.send(":pauze")
    term.wait_for("/ :pauze")
    term.send(ENTER)
    assert 0 == term.finish(), ":pauze at Doorgaan?"
    assert "Doorgaan? » " in term.text()
    assert "Ja, nu verder" not in term.text().split("Doorgaan? » ")[-1][:20]


def test_resuming_a_vervolg_case_names_its_outcome_once(tmp_path: Path) -> None:
    """`hervat` of a case in follow-up: the outcome block appears before "Doorgaan?", and the
    recap does not name the outcome a second time ("Uitkomst tot nu toe")."""
    import yaml

    from test_pty import spawn

    home = tmp_path / "home"
    bestand = tmp_path / "a.yaml"
    antwoorden = {
        k: list(v) if isinstance(v, tuple) else v
        for k, v in BASIS.items()
        if k not in ("terugkoppeling-veilig-thuis", "vervolgafspraken")
    }
    antwoorden.update({"afweging-1": "ja", "afweging-2": "ja"})
    bestand.write_text(yaml.safe_dump({"sector": "basis", "antwoorden": antwoorden}), "utf-8")
    result = CliRunner().invoke(
        app,
        ["start", "--antwoorden", str(bestand), "--standaard", "--json"],
        env={"MELDCODE_HOME": str(home)},
    )
    assert 0 == result.exit_code, result.stderr
    casus_id = json.loads(result.stdout)["casus"]["id"]
    child = spawn(home, "hervat", casus_id, "--eenvoudig")
    scherm = io.StringIO()
    child.logfile_read = scherm
    child.expect("Doorgaan")
    child.expect("Kies een nummer")
    child.sendline("2")
    child.expect(pexpect.EOF)
    voor = scherm.getvalue().split("Doorgaan")[0]
    assert "Uitkomst tot nu toe" not in voor
    assert 1 == voor.count("Melden bij Veilig Thuis")
    assert "Meldnorm 1" in voor


def test_esc_then_enter_at_a_menu_is_enter(tmp_path: Path) -> None:
    """Esc then Enter (how a text of several lines ends) at the signal checkbox: a typed
    command runs, and without a search the ticks are recorded. prompt_toolkit's own Meta+Enter
    answered the menu with an empty line: the ticks were dropped, "(niets gekozen)"."""
    term = at_signalen(tmp_path, 80)
    term.search("psych", "○ Psychisch")
    term.wait_for("● Psychisch of emotioneel geweld")
    term.send(":overzicht" + ESC + ENTER)
    term.wait_asked("Welk antwoord wilt u wijzigen?")
    assert "(niets gekozen)" not in term.text()
    term.pick("Annuleren")
    term.wait_asked("Welke soorten signalen ziet u?")
    term.send(ESC + ENTER)
    term.wait_for("Beschrijf de feiten")
    assert "(niets gekozen)" not in term.text()
    assert [["psychisch-geweld"]] == stop_and_read_signalen(term, tmp_path)


def test_checkbox_search_and_enter_never_unticks_nor_does_a_cancelled_acute_danger(
    tmp_path: Path,
) -> None:
    """'partners' + Enter ticks partnergeweld; the same search + Enter again keeps it ticked
    (it unticked it). The hint says what Enter does. Then '! Acuut gevaar' ticked and cancelled:
    the checkbox comes back with partnergeweld still ticked, and Enter records it."""
    term = at_signalen(tmp_path, 80)
    assert "Enter zonder zoektekst bevestigt" in " ".join(term.text().split())
    for keer in ("once", "twice"):
        term.send("partners")
        term.settle()
        term.send(ENTER)
        term.settle()
        assert "● Geweld tussen (ex-)partners" in term.text(), f"search + Enter {keer}"
    term.move_to("! Acuut gevaar")
    term.send(" " + ENTER)
    term.wait_asked("Acuut gevaar vastleggen?")
    term.pick("Annuleren")
    term.wait_asked("Welke soorten signalen ziet u? (")
    term.wait_asked("● Geweld tussen (ex-)partners")  # still ticked after the cancel
    term.settle(0.15)
    assert "● ! Acuut gevaar" not in term.text(), "the cancelled action is still ticked"
    term.send(ENTER)
    term.wait_asked("Beschrijf de feiten", menu=False)
    signalen = stop_and_read_signalen(term, tmp_path)
    assert [["partnergeweld"]] == signalen


def test_the_overview_cancels_and_wraps_with_its_indent(tmp_path: Path) -> None:
    """At 60 columns. ':overzicht' typed at a text prompt, change the signals, Esc at their
    checkbox: the question comes again and nothing changes (it crashed: "Er ging iets mis in
    meldcode zelf"). Then ≡ Overzicht from a menu: a question or answer that wraps goes on under
    its own text (after "1. " or the answer's indent), never at the left edge."""
    import re

    term = at_signalen(tmp_path, 60)
    term.send(" " + ENTER)
    term.wait_asked("Beschrijf de feiten", menu=False)
    term.settle(0.15)
    term.send(":overzicht" + ESC + ENTER)  # a multi-line prompt: Esc and Enter end it
    term.wait_asked("Welk antwoord wilt u wijzigen")
    term.pick("Welke soorten signalen")
    term.wait_asked("Annuleren, terug naar de vraag")
    term.settle(0.15)
    term.send(ESC)
    term.wait_asked(
        "Beschrijf de feiten met datum en bron; houd uw interpretaties apart.", menu=False
    )
    term.settle(0.3)
    assert "programmeerfout" not in term.text(), "Esc at the signals from the overview"

    term.send("feit " * 25 + ESC + ENTER)
    term.wait_asked("(pijltjes")
    term.pick("≡ Overzicht")
    term.wait_asked("Welk antwoord wilt u wijzigen")
    term.settle(0.15)
    tekst = "\n".join(term.lines()).split("Overzicht van uw antwoorden:")[-1]
    lijst = tekst.split("? Welk antwoord wilt u wijzigen")[0].strip("\n").splitlines()
    assert len(lijst) > 6, lijst  # three answers, wrapped
    assert all(re.match(r"\d+\. |   \S", regel) for regel in lijst if regel.strip()), lijst
    term.interrupt()
    assert 130 == term.finish()


# --- typed commands and searches at every menu (terminal-trust pass) ---------------------------


@pytest.mark.parametrize("cols", BREEDTES)
def test_a_command_typed_at_a_searchable_menu_does_what_it_says(tmp_path: Path, cols: int) -> None:
    """':afsluiten' (and ':Afsluiten ') and Enter at the route menu opens the close dialogue (it
    recorded 'thuis', the option under the cursor); Esc there brings the route question back,
    nothing recorded. Then ✆ Advies to the end: a line says the advice is in the log (the route
    question used to come back with nothing said), and the log holds it before the question is
    asked again."""
    term = Terminal(tmp_path, "start", "--sector", "onderwijs", cols=cols)
    at_route(term)
    for getypt in [":afsluiten", ":Afsluiten "]:
        term.send(getypt)
        term.wait_for(f"/ {getypt}")
        term.settle(0.1)
        term.send(ENTER)
        term.wait_asked(AFSLUITMENU)
        term.settle(0.15)
        term.send(ESC)
        again_at_route(term, f"Esc after {getypt!r}")

    term.search("advies van", "✆ Advies")
    term.wait_asked("Wanneer sprak u Veilig Thuis?", menu=False)
    term.settle(0.15)
    term.send(ENTER)  # today
    term.wait_asked("geanonimiseerd?")
    term.settle(0.1)
    term.send(ENTER)  # ja
    term.wait_asked("Wat adviseerde Veilig Thuis?", menu=False)
    term.settle(0.15)
    term.send("Gesprek voeren met de ouders.")
    term.send(ESC + ENTER)
    term.wait_for("Vastgelegd in het logboek")
    again_at_route(term, "the advice recorded")
    assert "het advies van Veilig Thuis (gesprek van" in " ".join(term.text().split())
    term.interrupt()
    assert 130 == term.finish()
    assert [*NIETS_VASTGELEGD[:1], ("advies-veilig-thuis", None), NIETS_VASTGELEGD[1]] == events(
        tmp_path
    ), "the advice only: the close dialogues recorded nothing"


@pytest.mark.parametrize("cols", BREEDTES)
def test_enter_on_a_search_that_finds_nothing_records_nothing(tmp_path: Path, cols: int) -> None:
    """An unknown command, a word that matches nothing, or a command this menu does not offer
    (no earlier answer at the first question): Enter keeps the menu and says what to do. The
    ja/nee menu is short (no search before: ':' was swallowed and Enter recorded 'nee'): the
    typed text is on screen, and ':afsluiten' Enter opens the close dialogue."""
    term = Terminal(tmp_path, "start", "--sector", "basis", cols=cols)
    at_first_question(term)
    assert "typ om te zoeken" in term.text()
    for getypt in [":xyz", "zzz", ":terug"]:
        term.send(getypt)
        term.wait_for(f"/ {getypt}")
        term.settle(0.1)
        term.send(ENTER)
        term.wait_for("Backspace wist de zoektekst")
        term.settle(0.1)
        assert "er is niets gekozen" in term.text(), getypt
        assert ":afsluiten" in term.text(), getypt  # the commands that can be typed here
        assert [] == term.cut_words(), getypt
        term.send("\x7f" * len(getypt))  # Backspace
        term.wait_gone("Backspace wist")
        term.wait_gone(f"/ {getypt}")
    term.send(":afsluiten")
    term.wait_for("/ :afsluiten")
    term.send(ENTER)
    term.wait_asked(AFSLUITMENU)
    term.settle(0.15)
    term.send(ESC)
    term.wait_asked(EERSTE)
    term.interrupt()
    assert 130 == term.finish()
    assert [("uitkomst-rij", None)] == events(tmp_path)


def test_a_command_typed_in_the_checkbox_keeps_the_ticks(tmp_path: Path) -> None:
    """At the signals, one ticked: ':pauze' Enter pauses (the search was cleared and nothing
    happened); the answer is not recorded, the case waits at the signals. The echo said
    "» Lichamelijk geweld of mishandeling; ‖ Pauzeren …" above "alles is bewaard": now it names
    the action and says the tick is not recorded."""
    term = at_signalen(tmp_path, 80)
    eerste = term.pointed()
    term.send(" ")
    term.wait_pointed(eerste.replace(" » ○", " » ●"))
    term.send(":pauze")
    term.wait_for("/ :pauze")
    term.settle(0.1)
    term.send(ENTER)
    assert 0 == term.finish()
    scherm = " ".join(term.text().split())
    assert "(aangevinkt, niet vastgelegd: Lichamelijk geweld of mishandeling)" in scherm
    assert "» Lichamelijk geweld of mishandeling;" not in scherm
    assert [("antwoord", "acuut-gevaar"), ("pauze", None), ("uitkomst-rij", None)] == events(
        tmp_path
    )
