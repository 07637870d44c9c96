"""Wrong use of the command line gets one Dutch paragraph and exit 2, never click's English."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from inprocess import run_meldcode


def meldcode(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run the console script's entry point (in-process, tests/inprocess.py), as a user's
    shell would; test_process_boundary.py runs the script itself."""
    return run_meldcode(args, env={"MELDCODE_HOME": str(home)})


@pytest.mark.parametrize(
    ("args", "verwacht"),
    [
        (["bestaatniet"], "De opdracht 'bestaatniet' bestaat niet."),
        (["lijst", "--foo"], "De optie --foo bestaat niet bij 'meldcode lijst'."),
        (["exporteer", "mc-aaaa-aaaa", "--formaat", "pdf"],
         "De waarde 'pdf' is niet toegestaan voor '--formaat'/'-f'; kies uit 'json'"),
        (["lijst", "--aantal", "veel"], "verwacht een geheel getal"),
        (["lijst", "--aantal", "-1"], "verwacht minstens 0"),
        (["lijst", "--aantal", "99999999999"], "verwacht hoogstens 1000000"),
        (["toon"], "Bij 'meldcode toon' ontbreekt het argument ID."),
        (["toon", "a", "b"], "'meldcode toon' krijgt te veel argumenten (b)."),
        (["lijst", "--status"], "De optie --status heeft een waarde nodig."),
        # click raised these without its command: the hint named 'meldcode --help'
        (["register", "init", "--eindverantwoordelijke"],
         "De optie --eindverantwoordelijke heeft een waarde nodig. Bekijk de mogelijkheden met "
         "'meldcode register init --help'."),
        (["oefen", "--hervat"], "Bekijk de mogelijkheden met 'meldcode oefen --help'."),
        # English left in the message, or the near miss click and typer name dropped
        (["lijst", "--json=ja"], "De optie --json heeft geen waarde (schrijf alleen --json)."),
        (["lijs"], "De opdracht 'lijs' bestaat niet. Bedoelt u 'lijst'?"),
        (["register", "gebr"], "De opdracht 'gebr' bestaat niet. Bedoelt u 'gebruiker'?"),
        (["lijst", "--stat", "open"], "De optie --stat bestaat niet bij 'meldcode lijst'. "
         "Bedoelt u --status?"),
        (["opschonen"], "Bij 'meldcode opschonen' ontbreekt de optie --ouder-dan."),
    ],
)
def test_usage_error_is_one_dutch_paragraph(args: list[str], verwacht: str, tmp_path: Path) -> None:
    """Each kind of wrong use exits 2 with a Dutch message that points to --help."""
    result = meldcode(*args, home=tmp_path)
    assert 2 == result.returncode
    assert verwacht in result.stderr
    assert "--help'." in result.stderr
    for engels in ("Usage:", "Error", "Traceback", "No such", "Invalid value", "Option",
                   "Did you mean", "Possible"):
        assert engels not in result.stderr


def test_help_and_version_still_exit_0(tmp_path: Path) -> None:
    """The Dutch wrapper leaves --help and --version alone."""
    assert 0 == meldcode("--help", home=tmp_path).returncode
    version = meldcode("--version", home=tmp_path)
    assert (0, "meldcode") == (version.returncode, version.stdout.split()[0])


def test_a_meldcode_error_keeps_its_exit_code(tmp_path: Path) -> None:
    """An error of our own (unknown case) still exits 2 with its own message."""
    result = meldcode("toon", "mc-aaaa-aaaa", home=tmp_path)
    assert 2 == result.returncode
    assert "bestaat niet in deze opslag" in result.stderr


COMMANDS = [
    "start", "hervat", "lijst", "toon", "exporteer", "verwijder", "opschonen", "verifieer",
    "statistiek", "herbereken", "sectoren", "valideer", "schema", "graaf", "oefen",
]


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_help_speaks_dutch(command: list[str], tmp_path: Path) -> None:
    """`--help` of the app and of every command has no English words of typer's own."""
    from typer.testing import CliRunner

    from meldcode.cli import app

    result = CliRunner().invoke(
        app, [*command, "--help"], env={"MELDCODE_HOME": str(tmp_path), "COLUMNS": "200"}
    )
    engels = [
        woord
        for woord in ("Show this message", "Usage:", "Options", "Arguments", "Commands",
                      "[default:", "[required]", "<bool>", "<int", "[OPTIONS]")
        if woord in result.output
    ]
    assert (0, [], True) == (result.exit_code, engels, "Toon deze hulp en stop." in result.output)
