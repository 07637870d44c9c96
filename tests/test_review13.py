"""Acceptance review after the issue-13 redesign: what a user saw that was wrong.

Each test drives the real command line, as a person or a script would: in a pseudo-terminal
read through pyte, or through the console script's entry point in-process (tests/inprocess.py).
"""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

from inprocess import run_meldcode
from terminal import Terminal


def meldcode(home: Path, *args: str, cols: int = 80) -> subprocess.CompletedProcess[str]:
    """`meldcode ARGS` with its own store, output captured."""
    return run_meldcode(args, env={"MELDCODE_HOME": str(home), "COLUMNS": str(cols)})


def test_practice_pause_line_is_not_cut_inside_a_word(home: Path) -> None:
    """At 80 columns `:pauze` in a practice walk ended with 'Verder met: me' / 'ldcode oefen
    --hervat ID': the practice stop messages were not broken at word boundaries, unlike a real
    case's (issue 11: no line cut inside a word)."""
    term = Terminal(home, "oefen", "basis-val-op-de-trap", "--eenvoudig", cols=80)
    term.wait_raw("Kies een nummer")
    term.send("2\r")  # acuut gevaar: nee
    term.wait_raw("Kies een of meer nummers")
    term.send(":pauze\r")
    assert 0 == term.finish()
    assert "Verder met: meldcode oefen --hervat mc-" in term.text()
    assert [] == term.cut_words()


def test_practice_ctrl_c_line_is_not_cut_inside_a_word(home: Path) -> None:
    """Ctrl-C in a practice walk at 60 columns: exit 130, and the message that says how to go
    on is broken at word boundaries."""
    term = Terminal(home, "oefen", "basis-val-op-de-trap", "--eenvoudig", cols=60)
    term.wait_raw("Kies een nummer")
    term.interrupt()
    assert 130 == term.finish()
    assert "Verder met: meldcode oefen --hervat mc-" in term.text()
    assert [] == term.cut_words()


def test_verifieer_of_one_case_says_casus_not_casussen(home: Path) -> None:
    """`meldcode verifieer ID` checks one case and said 'Gecontroleerd: 1 casussen'."""
    bestand = home.parent / "casus.yaml"
    bestand.write_text("sector: basis\nantwoorden:\n  acuut-gevaar: ja\n", encoding="utf-8")
    gemaakt = meldcode(home, "start", "--antwoorden", str(bestand), "--standaard")
    assert 0 == gemaakt.returncode, gemaakt.stderr
    casus_id = gemaakt.stdout.split("Casus ", 1)[1].split()[0]
    uit = meldcode(home, "verifieer", casus_id)
    assert 0 == uit.returncode, uit.stderr
    assert "Gecontroleerd: 1 casus, " in uit.stdout
    assert "1 casussen" not in uit.stdout


def test_command_overview_has_no_hard_line_break_inside_a_description(home: Path) -> None:
    """`meldcode --help`: the overview broke the descriptions of verifieer, statistiek and
    melding where their docstrings break ('tegen haar logboek, het' / 'register van …'),
    leaving half-empty lines; each description must flow as one paragraph."""
    uit = meldcode(home, "--help", cols=80)
    assert 0 == uit.returncode
    rijen: list[list[str]] = []  # per command: its description lines
    for regel in uit.stdout.splitlines():
        if not regel.startswith("│ "):
            continue
        inhoud = regel[2:].rstrip("│").rstrip()
        naam, beschrijving = inhoud[:12].strip(), inhoud[12:].strip()
        if naam and not naam.startswith("-"):
            rijen.append([beschrijving])
        elif rijen and not naam and beschrijving:
            rijen[-1].append(beschrijving)
    breedte = max(len(r) for rij in rijen for r in rij)
    gebroken = [
        (a, b)
        for rij in rijen
        for a, b in itertools.pairwise(rij)
        if len(a) + 1 + len(b.split()[0]) <= breedte
    ]
    assert [] == gebroken


def test_ctrl_c_in_plain_mode_starts_its_message_on_a_new_line(home: Path) -> None:
    """`start --eenvoudig`, Ctrl-C at 'Kies een nummer: ': the message went on after the echoed
    '^C' and the terminal cut it inside a word ('tot nu toe z' / 'ijn bewaard')."""
    term = Terminal(home, "start", "--sector", "basis", "--eenvoudig", cols=60)
    term.wait_raw("Kies een nummer")
    term.interrupt()
    assert 130 == term.finish()
    assert "Verder met: meldcode hervat mc-" in term.text()
    assert any(regel.startswith("Onderbroken.") for regel in term.lines())
    assert [] == term.cut_words()


def test_usage_lines_show_an_optional_argument_in_single_brackets(home: Path) -> None:
    """`valideer`, `verifieer` and `melding --help` said 'Gebruik: meldcode valideer [OPTIES]
    [[MAP]]': the metavar carried its own brackets and typer added a second pair."""
    for opdracht, argument in (("valideer", "MAP"), ("verifieer", "ID"), ("melding", "ID")):
        uit = meldcode(home, opdracht, "--help")
        assert 0 == uit.returncode
        gebruik = next(r for r in uit.stdout.splitlines() if "Gebruik:" in r)
        assert gebruik.split()[-3:] == [opdracht, "[OPTIES]", f"[{argument}]"]


def test_agenda_file_errors_name_the_agenda_option(home: Path, tmp_path: Path) -> None:
    """`lijst --agenda BESTAND` where the file exists (or is a folder) told the user to choose
    another name with '--uitvoer', an option `lijst` does not have."""
    agenda = tmp_path / "vervolg.ics"
    assert 0 == meldcode(home, "lijst", "--agenda", str(agenda)).returncode
    for doel in (agenda, tmp_path):
        uit = meldcode(home, "lijst", "--agenda", str(doel))
        assert 2 == uit.returncode
        assert "'--agenda'" in uit.stderr
        assert "--uitvoer" not in uit.stderr
        assert "Traceback" not in uit.stderr
