"""The real `meldcode start` and `hervat` in a pseudo-terminal: keys, Ctrl-C, resume."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

from meldcode.store.sqlite import Store

TIMEOUT = 20  # a 2-core CI box with a cold disk can be slow
DOWN, UP, ENTER, SUBMIT_MULTILINE = "\x1b[B", "\x1b[A", "\r", "\x1b\r"
ID = re.compile(r"meldcode hervat (mc-[a-z0-9]{4}-[a-z0-9]{4})")


def spawn(
    home: Path, *args: str, term: str = "xterm", extra: dict[str, str] | None = None
) -> pexpect.spawn[str]:
    """`python -m meldcode ARGS` in a 40x120 pseudo-terminal with its own store."""
    env = {
        **os.environ,
        **(extra or {}),
        "MELDCODE_HOME": str(home),
        "TERM": term,
        # pexpect does not answer cursor-position requests; tell prompt_toolkit not to ask.
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    return pexpect.spawn(
        sys.executable,
        ["-m", "meldcode", *args],
        env=env,
        encoding="utf-8",
        dimensions=(40, 120),
        timeout=TIMEOUT,
    )


def matched(child: pexpect.spawn[str]) -> str:
    """Group 1 of the pattern the last `expect` found (the case id of ID)."""
    assert isinstance(child.match, re.Match), child.match
    return str(child.match.group(1))


def finish(child: pexpect.spawn[str]) -> int:
    """Wait for the end and return the exit code."""
    child.expect(pexpect.EOF)
    child.wait()  # reaped: closing needs no pause to learn the exit status
    child.ptyproc.delayafterclose = 0  # type: ignore[attr-defined]  # not in the stubs
    child.close()
    assert child.exitstatus is not None, child.signalstatus
    return child.exitstatus


def answer_first_two(child: pexpect.spawn[str]) -> None:
    """acuut-gevaar: nee; signalen: the first option; then wait for the next question."""
    child.expect("acuut gevaar voor")
    child.send(ENTER)  # the cursor starts on nee: ja would end the case
    child.expect("signalen ziet")
    child.send(" " + ENTER)
    child.expect("Beschrijf de feiten")


def plain_to_signalen(child: pexpect.spawn[str]) -> None:
    """--eenvoudig: acuut-gevaar nee (2), then wait for the numbered signal list."""
    child.expect("Kies een nummer")
    child.sendline("2")
    child.expect("Kies een of meer nummers")


def test_ctrl_c_exits_130_and_hervat_continues_at_the_same_question(tmp_path: Path) -> None:
    """Ctrl-C saves what was answered; hervat shows the recap and asks the same question."""
    child = spawn(tmp_path, "start", "--sector", "basis")
    answer_first_two(child)
    child.sendcontrol("c")
    child.expect(ID)
    casus_id = matched(child)
    assert 130 == finish(child)

    again = spawn(tmp_path, "hervat", casus_id)
    again.expect("2 vragen beantwoord")
    again.expect("Beschrijf de feiten")
    again.sendcontrol("c")
    assert 130 == finish(again)
    store = Store(tmp_path / "meldcode.db")
    antwoorden = [(e.vraag, e.antwoord) for e in store.events(casus_id) if e.soort == "antwoord"]
    store.close()
    assert [("acuut-gevaar", "nee"), ("signalen", ["lichamelijk-geweld"])] == antwoorden


def test_acuut_gevaar_ends_with_the_summary_and_both_numbers(tmp_path: Path) -> None:
    """Ja at acuut-gevaar, confirmed, ends the walk: the summary names 112, 0800-2000 and the
    case id."""
    child = spawn(tmp_path, "start", "--sector", "basis")
    child.expect(r"Casus (mc-\S+) is aangemaakt")
    casus_id = matched(child)
    child.expect("acuut gevaar voor")
    child.send(UP + ENTER)  # the cursor starts on nee
    child.expect("bel nu 112")
    child.expect("Acuut gevaar vastleggen")
    child.send(UP + ENTER)  # the cursor starts on Annuleren
    # Contract 2: the case goes on in `vervolg`; the follow-up can wait (design.md §4).
    child.expect("Nee, nu stoppen")
    child.send("\x1b[B" + ENTER)
    child.expect("Samenvatting casus")
    child.expect("112")
    child.expect("0800-2000")
    child.expect("Casus-id: ")
    child.expect(casus_id)
    assert 0 == finish(child)


def test_pauze_from_the_action_menu_exits_0_with_the_hint(tmp_path: Path) -> None:
    """The last menu entry pauses: exit 0 and the hervat line."""
    child = spawn(tmp_path, "start", "--sector", "basis")
    child.expect("Pauzeren")
    child.send(UP + UP + ENTER)  # up from nee to ja, then it wraps to the last: pauzeren
    child.expect(ID)
    assert 0 == finish(child)


@pytest.mark.parametrize(
    ("args", "term"),
    [(("--eenvoudig",), "xterm"), ((), "dumb")],
    ids=["eenvoudig", "term-dumb"],
)
def test_plain_numbered_walk_in_a_terminal(
    tmp_path: Path, args: tuple[str, ...], term: str
) -> None:
    """--eenvoudig (or TERM=dumb) asks by number; :pauze stops with the hint."""
    child = spawn(tmp_path, "start", "--sector", "basis", *args, term=term)
    child.expect("2. nee")
    plain_to_signalen(child)
    child.sendline(":pauze")
    child.expect(ID)
    assert 0 == finish(child)


def test_sector_is_picked_by_typing_a_profession(tmp_path: Path) -> None:
    """Without --sector, typing 'school' filters the list to onderwijs."""
    child = spawn(tmp_path, "start")
    child.expect("In welke sector")
    child.send("school")
    child.expect("Leerkracht")
    child.send(ENTER)
    child.expect(r"Casus (mc-\S+) is aangemaakt")
    casus_id = matched(child)
    child.expect("acuut gevaar")
    child.sendcontrol("c")
    assert 130 == finish(child)
    store = Store(tmp_path / "meldcode.db")
    assert "onderwijs" == store.get(casus_id).sector
    store.close()


def test_ctrl_d_in_plain_mode_says_the_input_closed(tmp_path: Path) -> None:
    """Ctrl-D at a numbered question: not 'no terminal' but 'input closed', exit 2, hervat."""
    child = spawn(tmp_path, "start", "--sector", "basis", "--eenvoudig")
    child.expect("Kies een nummer")
    child.sendeof()
    child.expect("De invoer is gesloten")
    child.expect(ID)
    assert "geen terminal" not in (child.before or "")
    assert 2 == finish(child)


def test_ctrl_d_at_a_text_prompt_says_the_input_closed(tmp_path: Path) -> None:
    """Ctrl-D at an empty one-line text prompt (questionary) ends like closed input."""
    child = spawn(tmp_path, "start", "--sector", "basis")
    answer_first_two(child)
    child.send(":afsluiten" + SUBMIT_MULTILINE)
    child.expect("Waarom sluit")
    child.send(DOWN + ENTER)  # the cursor starts on Annuleren (last): down wraps to the first
    child.expect("Toelichting")
    child.sendcontrol("d")
    child.expect("De invoer is gesloten")
    child.expect(r"Alle antwoorden tot nu toe\s+zijn bewaard")  # wrapped at a word boundary
    child.expect(ID)
    assert 2 == finish(child)


def test_eenvoudig_prints_no_escape_codes_on_a_colour_terminal(tmp_path: Path) -> None:
    """--eenvoudig on xterm: the hervat header and the summary are plain text. (The case, paused
    after its first answer, is prepared in-process.)"""
    from test_kill import prepare

    casus_id = prepare(tmp_path, {"acuut-gevaar": "nee"})
    again = spawn(tmp_path, "hervat", casus_id, "--eenvoudig")
    again.expect("1 vragen beantwoord")
    again.expect("Kies een of meer nummers")
    kop = again.before or ""
    again.sendline(":acuut")
    again.expect("Kies een nummer")
    again.sendline("1")  # ja, acuut gevaar vastleggen
    again.expect("Doorgaan")  # contract 2: the follow-up may wait
    again.expect("Kies een nummer")
    again.sendline("2")  # nee, nu stoppen
    again.expect("Casus-id: ")
    einde = again.before or ""
    assert 0 == finish(again)
    assert ("\x1b" in kop, "\x1b" in einde) == (False, False)


def test_typed_accents_work_whatever_the_locale_says(tmp_path: Path) -> None:
    """With PYTHONIOENCODING=ascii a typed 'ë' is still read (the terminal sends UTF-8) and
    stored, instead of ending the walk with exit 1."""
    child = spawn(tmp_path, "start", "--sector", "basis", "--eenvoudig",
                  extra={"PYTHONIOENCODING": "ascii"})
    plain_to_signalen(child)
    child.sendline("2")
    child.expect("lege regel")
    child.sendline("Zoë vertelt over geschreeuw.")
    child.sendline("")
    child.expect("Kies een nummer")
    child.sendline(":pauze")
    child.expect(ID)
    casus_id = matched(child)
    assert 0 == finish(child)
    store = Store(tmp_path / "meldcode.db")
    teksten = [e.antwoord for e in store.events(casus_id) if e.vraag == "signalen-beschrijving"]
    store.close()
    assert ["Zoë vertelt over geschreeuw."] == teksten
