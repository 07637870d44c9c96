"""The process boundary, once for every command: the installed console script in a process of
its own gives the exit code, stdout and stderr that the tests' in-process runner gives.

Most tests run meldcode in-process (tests/inprocess.py), which is only sound while a process
behaves the same; here each command family runs once as a real process, on one shared store.
A command that only reads must give byte for byte what `run_meldcode` gives (same exit code,
same stdout, same stderr, kept apart); one that writes must end as documented, its result on
stdout and nothing on stderr.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from casussen import MELDEN_MET_LABEL
from inprocess import run_meldcode

MELDCODE = str(Path(sys.executable).parent / "meldcode")
# What a clock gives: verifieer's speed.
TIJD = re.compile(r"\d+([.,]\d+)? (s|seconden|per seconde)\b")


def process(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The console script, with no MELDCODE_ or PG variable of the caller's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MELDCODE_", "PG"))}
    env.update(MELDCODE_HOME=str(home), NO_COLOR="1", COLUMNS="120")
    return subprocess.run(
        [MELDCODE, *args], input=stdin, capture_output=True, text=True, env=env,
        timeout=60, check=False,
    )  # fmt: skip


def inproc(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The same command line and environment, in-process."""
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith(("MELDCODE_", "PG"))}
    env.update(MELDCODE_HOME=str(home), NO_COLOR="1", COLUMNS="120")
    return run_meldcode(args, env=env, input=stdin)


@pytest.fixture(scope="module")
def casus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store with one case (melden, with a label); the store's folder and the case's id."""
    home = tmp_path_factory.mktemp("grens") / "home"
    home.mkdir(mode=0o700)
    r = inproc(home, "start", "--antwoorden", "-", "--standaard", "--json", stdin=MELDEN_MET_LABEL)
    assert 0 == r.returncode, r.stderr
    return home, str(json.loads(r.stdout)["casus"]["id"])


# Commands that change nothing: (command line, its exit code). {id} is the stored case.
LEZEN = [
    (["--help"], 0),
    (["lijst", "--foo"], 2),  # a usage error, in Dutch
    (["lijst", "--json"], 0),
    (["toon", "{id}"], 0),
    (["exporteer", "{id}", "--formaat", "json"], 0),
    (["verifieer", "{id}"], 0),
    (["statistiek", "--json"], 0),
    (["herbereken", "{id}"], 0),
    (["melding", "{id}"], 0),
    (["opschonen", "--ouder-dan", "20j"], 0),
    (["sectoren"], 0),
    (["valideer"], 0),
    (["schema"], 0),
    (["graaf", "--sector", "basis"], 0),
    (["oefen"], 0),
    (["overdragen", "{id}", "--aan", "bert"], 2),  # only on a shared register
    (["register", "termijnen"], 2),  # no MELDCODE_DATABASE
]


@pytest.mark.parametrize(("opdracht", "code"), LEZEN, ids=[" ".join(a) for a, _ in LEZEN])
def test_a_reading_command_gives_in_a_process_what_it_gives_in_process(
    casus: tuple[Path, str], opdracht: list[str], code: int
) -> None:
    home, casus_id = casus
    args = [a.format(id=casus_id) for a in opdracht]
    echt = process(home, *args)
    assert code == echt.returncode, echt.stderr
    assert (echt.stdout + echt.stderr).strip()  # it says something
    if code != 0:
        assert "" == echt.stdout
    binnen = inproc(home, *args)
    gelijk = [(r.returncode, TIJD.sub("T", r.stdout), r.stderr) for r in (echt, binnen)]
    assert gelijk[0] == gelijk[1]


def test_writing_commands_in_a_process(tmp_path: Path) -> None:
    """start, hervat, verwijder and oefen's practice store: the result on stdout, nothing on
    stderr, and what they wrote is there for the next process."""
    home = tmp_path / "home"
    start = process(home, "start", "--antwoorden", "-", "--standaard", "--json",
                    stdin=MELDEN_MET_LABEL)  # fmt: skip
    assert (0, "") == (start.returncode, start.stderr)
    casus_id = json.loads(start.stdout)["casus"]["id"]
    terugkoppeling = "antwoorden:\n  terugkoppeling-veilig-thuis: 'VT, 12/11: gedaan.'\n"
    hervat = process(home, "hervat", casus_id, "--antwoorden", "-", "--json", stdin=terugkoppeling)
    assert (0, "") == (hervat.returncode, hervat.stderr)
    assert "afgerond" == json.loads(hervat.stdout)["casus"]["status"]
    weg = process(home, "verwijder", casus_id, "--ja")
    assert 0 == weg.returncode, weg.stderr
    assert 2 == process(home, "toon", casus_id).returncode
