"""The README documents what the program does: every command, every exit code, every error code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from meldcode.cli import app

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
SRC = Path(__file__).parents[1] / "src" / "meldcode"


def _sectie(naam: str) -> str:
    begin = README.index(f"<!-- sectie: {naam} -->")
    return README[begin : README.index(f"<!-- einde sectie: {naam} -->", begin)]


COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_commands_table(command: str) -> None:
    """Each registered command has a row in the README's Opdrachten table."""
    assert f"| `meldcode {command}" in _sectie("opdrachten")


def test_the_contract_commands_all_exist() -> None:
    """Every command design.md §6 names is registered."""
    contract = {"start", "hervat", "lijst", "toon", "exporteer", "verwijder", "opschonen",
                "verifieer", "statistiek", "herbereken", "sectoren", "valideer", "schema",
                "graaf", "oefen"}
    assert contract <= set(COMMANDS)


@pytest.mark.parametrize("code", ["0", "1", "2", "3", "130"])
def test_every_exit_code_is_documented(code: str) -> None:
    """The Exitcodes table has a row for each exit code of design.md §6."""
    assert re.search(rf"^\| {code} \|", _sectie("exitcodes"), flags=re.M)


def test_every_flow_problem_code_is_documented() -> None:
    """Each MCxxx code the validator can report has a row in the valideer section."""
    codes = set()
    for path in ("loading/__init__.py", "checks/validate.py", "checks/paths.py"):
        codes |= set(re.findall(r'"(MC1\d\d)"', (SRC / path).read_text(encoding="utf-8")))
    assert codes
    for code in sorted(codes):
        assert f"| {code} |" in _sectie("valideer"), code
