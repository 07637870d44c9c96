"""Standard output that fails: full disk, closed, a reader that went away, an ASCII encoding.

Each command under test runs as the installed console script (`run`), so what Python itself
does at exit (its last flush of stdout, "Exception ignored ... BrokenPipeError") is part of what
is checked. Only the set-up and the look afterwards (the stored case, its export) run in-process
(`inproc`, tests/inprocess.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from inprocess import run_meldcode
from test_scripted import SCENARIOS, scenario

MELDCODE = str(Path(sys.executable).parent / "meldcode")
CASUS_ID = re.compile(r"mc-[a-z0-9]{4}-[a-z0-9]{4}")
LABEL = "dossier-Zoë-4711"


def run(home: Path, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    """The console script with its store in `home`; stdin empty, stderr captured as bytes."""
    env = {k: v for k, v in os.environ.items() if k not in ("MELDCODE_DEBUG", "MELDCODE_FLOWS")}
    env.update({"MELDCODE_HOME": str(home), "NO_COLOR": "1"}, **kwargs.pop("env", {}))
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [MELDCODE, *args], stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
        timeout=60, check=False, **kwargs,
    )  # fmt: skip


def inproc(home: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """What `run` gives on a working stdout, without a process: for set-up and checks."""
    env = {"MELDCODE_HOME": str(home), "NO_COLOR": "1", "MELDCODE_DEBUG": None}
    return run_meldcode(args, env={**env, "MELDCODE_FLOWS": None}, text=False)


def stderr(result: subprocess.CompletedProcess[bytes]) -> str:
    """stderr as one line of text (meldcode writes UTF-8)."""
    return " ".join(result.stderr.decode("utf-8").split())


def answers(tmp_path: Path) -> Path:
    """An answers file that ends in 'hulp-bieden', waiting for afweging 5."""
    bestand, _ = scenario(SCENARIOS / "hulp-bieden-wacht-op-evaluatie.yaml", tmp_path)
    return bestand


@pytest.fixture
def casus(tmp_path: Path) -> str:
    """A stored case (with a non-ASCII label); its id."""
    result = inproc(
        tmp_path, "start", "--antwoorden", str(answers(tmp_path)), "--standaard", "--json",
        "--label", LABEL,
    )  # fmt: skip
    assert 0 == result.returncode, stderr(result)
    return str(json.loads(result.stdout)["casus"]["id"])


def disk_full(_: Path) -> dict[str, Any]:
    """stdout on /dev/full: every write fails with ENOSPC."""
    return {"stdout": Path("/dev/full").open("wb")}


def closed(_: Path) -> dict[str, Any]:
    """stdout closed when meldcode starts (`>&-`)."""
    return {"stdout": None, "preexec_fn": lambda: os.close(1)}


def reader_gone(_: Path) -> dict[str, Any]:
    """stdout a pipe whose reader has already gone (`| head` that stopped)."""
    lees, schrijf = os.pipe()
    os.close(lees)
    return {"stdout": schrijf}


def _close(kwargs: dict[str, Any]) -> None:
    uit = kwargs.get("stdout")
    if isinstance(uit, int):
        os.close(uit)
    elif uit is not None and hasattr(uit, "close"):
        uit.close()


def run_with(
    home: Path, stdout: Callable[[Path], dict[str, Any]], *args: str, **extra: Any
) -> subprocess.CompletedProcess[bytes]:
    kwargs = stdout(home)
    try:
        return run(home, *args, **kwargs, **extra)
    finally:
        _close(kwargs)


COMMANDS = [
    ("exporteer",),
    ("exporteer", "--formaat", "html"),
    ("toon",),
    ("lijst",),
    ("statistiek",),
]


def _args(command: tuple[str, ...], casus_id: str) -> list[str]:
    """The command line: exporteer and toon take the case id."""
    if command[0] in ("exporteer", "toon"):
        return [command[0], casus_id, *command[1:]]
    return list(command)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize(
    ("stdout", "reden"),
    [(disk_full, "de schijf is vol"), (closed, "de standaarduitvoer is gesloten")],
    ids=["vol", "gesloten"],
)
def test_failing_stdout_is_a_dutch_message_with_exit_2(
    command: tuple[str, ...],
    stdout: Callable[[Path], dict[str, Any]],
    reden: str,
    casus: str,
    tmp_path: Path,
) -> None:
    """`> /dev/full` and `>&-`: exit 2, one Dutch paragraph naming the cause; no traceback,
    no 'programmeerfout', and no second complaint from Python at exit."""
    result = run_with(tmp_path, stdout, *_args(command, casus))
    tekst = stderr(result)
    assert (2, True) == (result.returncode, f"naar de standaarduitvoer schrijven: {reden}" in tekst)
    assert not any(w in tekst for w in ("Traceback", "programmeerfout", "Exception", "Error"))


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_reader_that_went_away_ends_quietly_with_141(
    command: tuple[str, ...], casus: str, tmp_path: Path
) -> None:
    """`meldcode ... | head`: like a Unix tool ended by SIGPIPE, exit 141 and nothing on stderr
    (no traceback, no "Exception ignored ... BrokenPipeError" from Python's last flush)."""
    result = run_with(tmp_path, reader_gone, *_args(command, casus))
    assert (141, b"") == (result.returncode, result.stderr)


def _only_case(home: Path) -> str:
    result = inproc(home, "lijst", "--json")
    assert 0 == result.returncode, stderr(result)
    ids = CASUS_ID.findall(result.stdout.decode("utf-8"))
    assert 1 == len(set(ids)), ids
    return str(ids[0])


@pytest.mark.parametrize(
    ("stdout", "code"), [(disk_full, 2), (closed, 2), (reader_gone, 141)],
    ids=["vol", "gesloten", "pijp-dicht"],
)  # fmt: skip
@pytest.mark.parametrize("json_uit", [True, False], ids=["json", "samenvatting"])
def test_scripted_start_names_the_stored_case_when_stdout_fails(
    stdout: Callable[[Path], dict[str, Any]], code: int, json_uit: bool, tmp_path: Path
) -> None:
    """The case is stored before its result is written: the message names it, says it is
    stored and how to get its export, so a script does not retry and make a second one."""
    opties = ["--json"] if json_uit else []
    result = run_with(
        tmp_path, stdout, "start", "--antwoorden", str(answers(tmp_path)), "--standaard", *opties
    )
    casus_id = _only_case(tmp_path)
    tekst = stderr(result)
    assert (code, True, True) == (
        result.returncode,
        f"Casus {casus_id} is vastgelegd" in tekst,
        f"'meldcode exporteer {casus_id}'" in tekst,
    ), tekst
    assert "programmeerfout" not in tekst
    assert casus_id == json.loads(inproc(tmp_path, "exporteer", casus_id).stdout)["casus"]["id"]


def test_scripted_hervat_names_the_case_when_stdout_fails(casus: str, tmp_path: Path) -> None:
    """`hervat ID --antwoorden --json > /dev/full`: the evaluation is stored; the message says
    so and names the export command."""
    verder = tmp_path / "evaluatie.yaml"
    verder.write_text("antwoorden:\n  afweging-5: ja\n", encoding="utf-8")
    result = run_with(tmp_path, disk_full, "hervat", casus, "--antwoorden", str(verder), "--json")
    tekst = stderr(result)
    assert (2, True, True) == (
        result.returncode,
        f"Casus {casus} is vastgelegd" in tekst,
        f"'meldcode exporteer {casus}'" in tekst,
    ), tekst
    doc = json.loads(inproc(tmp_path, "exporteer", casus).stdout)
    assert "hulp-afsluiten" == doc["uitkomst"]["id"]


def test_ascii_encoding_still_writes_utf8(casus: str, tmp_path: Path) -> None:
    """`PYTHONIOENCODING=ascii`: meldcode writes UTF-8 anyway (documented), on stdout and
    stderr, so Dutch text and labels never crash the command or get lost."""
    ascii_env = {"PYTHONIOENCODING": "ascii"}
    toon = run(tmp_path, "toon", casus, env=ascii_env)
    assert (0, True) == (toon.returncode, LABEL in toon.stdout.decode("utf-8")), stderr(toon)
    export = run(tmp_path, "exporteer", casus, env=ascii_env)
    assert export.stdout == inproc(tmp_path, "exporteer", casus).stdout
    assert LABEL == json.loads(export.stdout.decode("utf-8"))["casus"]["label"]
    bestand = run(
        tmp_path, "exporteer", casus, "--uitvoer", str(tmp_path / "x.json"), env=ascii_env
    )
    assert (0, True) == (bestand.returncode, "cliëntdossier" in stderr(bestand))


@pytest.mark.parametrize("optie", ["--help", "--version", "-h"])
def test_help_and_version_on_a_full_disk_are_a_dutch_message(optie: str, tmp_path: Path) -> None:
    """`--help` and `--version` run before any command's error boundary: a full stdout is
    still one Dutch paragraph with exit 2, not a traceback."""
    result = run_with(tmp_path, disk_full, optie)
    tekst = stderr(result)
    assert (2, True, False) == (
        result.returncode, "de schijf is vol" in tekst, "Traceback" in tekst
    ), tekst
