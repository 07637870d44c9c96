"""The README and docs/ document what the program does: every command, every exit code, every
error code; the README stays short and every link in them leads somewhere."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import typer.core
import typer.main

from meldcode.cli import app

REPO = Path(__file__).parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
SRC = REPO / "src" / "meldcode"
PAGINAS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def _sectie(naam: str) -> str:
    begin = README.index(f"<!-- sectie: {naam} -->")
    return README[begin : README.index(f"<!-- einde sectie: {naam} -->", begin)]


def command_names() -> list[str]:
    """The names of meldcode's commands: typer builds the app as a group."""
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    return sorted(group.commands)


COMMANDS = command_names()


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


@pytest.mark.parametrize("code", ["0", "1", "2", "3", "130", "141"])
def test_every_exit_code_is_documented(code: str) -> None:
    """The Exitcodes table has a row for each exit code of design.md §6."""
    assert re.search(rf"^\| {code} \|", _sectie("exitcodes"), flags=re.M)


def test_every_flow_problem_code_is_documented() -> None:
    """Each MC1xx code the flow checks can report has a row in docs/flows.md."""
    flows = (REPO / "docs" / "flows.md").read_text(encoding="utf-8")
    codes = set()
    for path in SRC.rglob("*.py"):
        codes |= set(re.findall(r'"(MC1\d\d)"', path.read_text(encoding="utf-8")))
    assert len(codes) >= 19
    assert [] == [code for code in sorted(codes) if f"| {code} |" not in flows]


def test_the_readme_is_short() -> None:
    """A newcomer reads the README in five minutes: under 250 lines; the reference is in docs/."""
    assert len(README.splitlines()) < 250


def _anker(kop: str) -> str:
    """The anchor GitHub gives a heading."""
    kop = re.sub(r"[^\w\- ]", "", kop.strip().lower())
    return kop.replace(" ", "-")


def _tekst(pad: Path) -> str:
    """The page without its code blocks and code spans."""
    tekst = re.sub(r"^\s*```.*?^\s*```", "", pad.read_text(encoding="utf-8"), flags=re.M | re.S)
    return re.sub(r"`[^`\n]*`", "", tekst)


def _ankers(pad: Path) -> set[str]:
    koppen = re.findall(r"^#+ (.+)$", pad.read_text(encoding="utf-8"), flags=re.M)
    return {_anker(kop) for kop in koppen} - {""}


@pytest.mark.parametrize("pagina", PAGINAS, ids=lambda p: p.name)
def test_every_link_leads_somewhere(pagina: Path) -> None:
    """Each relative link in README and docs/ names a file that exists, and a heading in it."""
    kapot = []
    for doel in re.findall(r"\]\(([^)\s]+)\)", _tekst(pagina)):
        if re.match(r"[a-z]+:", doel):
            continue
        bestand, _, anker = doel.partition("#")
        pad = (pagina.parent / bestand).resolve() if bestand else pagina
        if not pad.exists() or (anker and anker not in _ankers(pad)):
            kapot.append(doel)
    assert [] == kapot


def test_every_document_a_message_names_exists() -> None:
    """A message that sends the user to the README or to docs/ names a heading or file that is
    there (the answers file format moved from the README to docs/antwoorden.md)."""
    bron = "\n".join(
        node.value
        for p in SRC.rglob("*.py")
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    )
    koppen = set(re.findall(r"^#+ (.+)$", README, flags=re.M))
    secties = re.findall(r"'([^']+)' in de README", bron)
    documenten = set(re.findall(r"docs/[\w.-]+\.(?:md|json)", bron))
    assert [] == [s for s in secties if s not in koppen]
    assert [] == [d for d in sorted(documenten) if not (REPO / d).exists()]
