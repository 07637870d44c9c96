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
from meldcode.commands.table import COMMANDS

FAKE = "Kind vertelt op 3/11 dat vader slaat (GEHEIME-CASUSTEKST)"
NAMES = [c.name for c in COMMANDS]


def _required(name: str) -> list[str]:
    """Made-up values for what the command requires, so it gets past click to its body."""
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
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
    group = typer.main.get_command(app)
    assert sorted(NAMES) == sorted(group.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", NAMES)
def test_an_internal_error_in_any_command_is_exit_1_without_case_text(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A RuntimeError carrying case text, raised inside the command: exit 1, the Dutch
    message, no traceback and not a word of the case text."""
    monkeypatch.delenv("MELDCODE_DEBUG", raising=False)
    info = next(i for i in app.registered_commands if i.callback is not None
                and i.callback.__name__.strip("_").replace("_", "-") == name)
    monkeypatch.setattr(info, "callback", _exploding(info.callback))  # type: ignore[arg-type]
    result = CliRunner().invoke(
        app, [name, *_required(name)], env={"MELDCODE_HOME": str(tmp_path)}
    )
    assert 1 == result.exit_code, result.output
    assert INTERNAL_ERROR in result.output
    assert "GEHEIME-CASUSTEKST" not in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
