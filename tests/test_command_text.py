"""What the command layer shows a user: usage lines as the docs write them, error paragraphs
broken at the terminal's width, hints that name the right command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from meldcode.cli import app
from meldcode.commands.table import COMMANDS, GROUPS

REPO = Path(__file__).resolve().parents[1]
DOCS = "\n".join(
    p.read_text(encoding="utf-8") for p in [REPO / "README.md", *sorted(REPO.glob("docs/*.md"))]
)
# What the user types for each command: `start`, ..., and a group's `register init`.
NAMES = [
    c.name for c in COMMANDS
] + [g.name for g in GROUPS] + [f"{g.name} {c.name}" for g in GROUPS for c in g.commands]


def _usage(name: str, home: Path) -> str:
    """The 'Gebruik:' line of `meldcode NAME --help`."""
    result = CliRunner().invoke(
        app, [*name.split(), "--help"], env={"MELDCODE_HOME": str(home), "COLUMNS": "200"}
    )
    assert 0 == result.exit_code, result.output
    return next(r for r in result.output.splitlines() if "Gebruik:" in r).strip()


@pytest.mark.parametrize("name", NAMES)
def test_usage_line_writes_arguments_as_the_docs_do(name: str, tmp_path: Path) -> None:
    """`meldcode toon --help` said 'Gebruik: meldcode toon [OPTIES] {ID}' where README and docs
    write `meldcode toon ID`: a required argument is its bare name, an optional one `[NAAM]`,
    and each is written so (bare or in brackets) after its command somewhere in the docs."""
    usage = _usage(name, tmp_path)
    assert usage.startswith(f"Gebruik: meldcode {name} [OPTIES]")
    assert ("{" in usage, "}" in usage) == (False, False), usage
    argumenten = usage.removeprefix(f"Gebruik: meldcode {name} [OPTIES]").split()
    if argumenten and argumenten[0] == "OPDRACHT":
        return  # a group: 'OPDRACHT [ARGUMENTEN]...'
    woord = name.rsplit(maxsplit=1)[-1]
    for argument in argumenten:
        kaal = argument.strip("[]")
        assert re.search(rf"\b{woord} \[?{kaal}\]?[\s`|\\]", DOCS), (name, argument)


def test_required_argument_in_usage_is_bare(tmp_path: Path) -> None:
    """The exact usage lines of commands with a required argument, a group's included."""
    assert [
        "Gebruik: meldcode toon [OPTIES] ID",
        "Gebruik: meldcode hervat [OPTIES] ID",
        "Gebruik: meldcode register gebruiker [OPTIES] NAAM",
    ] == [_usage(n, tmp_path) for n in ("toon", "hervat", "register gebruiker")]
