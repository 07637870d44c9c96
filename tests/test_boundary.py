"""The error boundary is entered where commands are invoked, so no command can go without it:
an internal error in any command of the table is exit 1 with the short Dutch message, and
nothing of what the error carried (case text) reaches the screen."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from meldcode.cli import app
from meldcode.commands.boundary import INTERNAL_ERROR
from meldcode.commands.table import COMMANDS, GROUPS

FAKE = "Kind vertelt op 3/11 dat vader slaat (GEHEIME-CASUSTEKST)"
# What the user types for each command: `start`, ..., and a group's `register init`.
NAMES = [c.name for c in COMMANDS] + [f"{g.name} {c.name}" for g in GROUPS for c in g.commands]


def _registered(name: str) -> Any:
    """The typer registration of command `name` (a top-level one, or 'group command')."""
    *group, command = name.split()
    infos = app.registered_commands
    if group:
        sub = next(g for g in app.registered_groups if g.name == group[0])
        assert sub.typer_instance is not None
        infos = sub.typer_instance.registered_commands
    return next(i for i in infos if i.name == command)


def _required(name: str) -> list[str]:
    """Made-up values for what the command requires, so it gets past click to its body."""
    command: Any = typer.main.get_command(app)
    for part in name.split():
        command = command.commands[part]
    args: list[str] = []
    for param in command.params:
        if param.required:
            value = "mc-test-0000"
            args += [value] if param.param_type_name == "argument" else [param.opts[0], value]
    return args


def _exploding(function: Callable[..., None]) -> Callable[..., None]:
    """`function` with the same parameters, failing inside with a programming error."""

    @functools.wraps(function)
    def boom(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError(FAKE)

    return boom


def test_the_table_is_what_the_app_offers() -> None:
    """Every command in the table is registered, in its order, and nothing else is."""
    registered = [info.callback for info in app.registered_commands]
    assert [c.function for c in COMMANDS] == registered
    for g in GROUPS:
        sub = next(r for r in app.registered_groups if r.name == g.name)
        assert sub.typer_instance is not None
        assert [c.function for c in g.commands] == [
            i.callback for i in sub.typer_instance.registered_commands
        ]
    group = typer.main.get_command(app)
    offered = [
        f"{n} {sub}" if hasattr(c, "commands") else n
        for n, c in group.commands.items()  # type: ignore[attr-defined]
        for sub in (getattr(c, "commands", None) or [None])
    ]
    assert sorted(NAMES) == sorted(offered)


@pytest.mark.parametrize("name", NAMES)
def test_an_internal_error_in_any_command_is_exit_1_without_case_text(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A RuntimeError carrying case text, raised inside the command: exit 1, the Dutch
    message, no traceback and not a word of the case text."""
    monkeypatch.delenv("MELDCODE_DEBUG", raising=False)
    info = _registered(name)
    monkeypatch.setattr(info, "callback", _exploding(info.callback))
    result = CliRunner().invoke(
        app, [*name.split(), *_required(name)], env={"MELDCODE_HOME": str(tmp_path)}
    )
    assert 1 == result.exit_code, result.output
    assert INTERNAL_ERROR in result.output
    assert "GEHEIME-CASUSTEKST" not in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
