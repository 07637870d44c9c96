"""The typer app: every command of `commands.table` registered, each run inside the error
boundary, with help in Dutch (design.md §6).

Only typer is imported at module level, so `meldcode --help` stays light (design.md §7); each
command module imports what it needs inside its command functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandFunctionType

from meldcode import __version__
from meldcode.commands.boundary import error_boundary, run_app
from meldcode.commands.help import DutchHelp
from meldcode.commands.table import COMMANDS, GROUPS, Command


class MeldcodeCommand(DutchHelp, TyperCommand):
    """A command whose help is in Dutch and whose body runs inside the error boundary."""

    def invoke(self, ctx: Any) -> Any:
        """Run the command: here, and only here, every command enters the boundary."""
        with error_boundary():
            return super().invoke(ctx)


class MeldcodeGroup(DutchHelp, TyperGroup):
    """The top-level group, with help in Dutch."""


class MeldcodeApp(typer.Typer):
    """A typer app that reports wrong use (unknown option, bad value) in Dutch, with exit 2."""

    def command(
        self, *args: Any, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        """Register a command whose help is in Dutch and that runs inside the boundary."""
        kwargs.setdefault("cls", MeldcodeCommand)
        return super().command(*args, **kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run as the console script: the boundary around the whole command line."""
        if "standalone_mode" in kwargs:
            return super().__call__(*args, **kwargs)
        run_app(lambda **extra: typer.Typer.__call__(self, *args, **kwargs, **extra))
        return None  # pragma: no cover - run_app exits


def _app(name: str, help_: str) -> MeldcodeApp:
    """The app, or one of its command groups, with the same Dutch help and settings."""
    return MeldcodeApp(
        name=name,
        cls=MeldcodeGroup,
        help=help_,
        no_args_is_help=True,
        rich_markup_mode="rich",
        pretty_exceptions_show_locals=False,
        add_completion=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


app = _app(
    "meldcode", "Beslisondersteuning voor de Meldcode huiselijk geweld en kindermishandeling."
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"meldcode {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", help="Toon de versie en stop.", callback=_version, is_eager=True),
    ] = False,
) -> None:
    """Beslisondersteuning voor de Meldcode huiselijk geweld en kindermishandeling."""


def _short(command: Command) -> str | None:
    """The overview's line for a command: its docstring's first paragraph as one line of text
    (rich markup keeps a docstring's own line breaks, which left half-empty lines)."""
    return " ".join((command.function.__doc__ or "").split("\n\n")[0].split()) or None


# The table's order is the help's order.
for _command in COMMANDS:
    app.command(_command.name, rich_help_panel=_command.panel, short_help=_short(_command))(
        _command.function
    )
for _group in GROUPS:
    _sub = _app(_group.name, _group.help)
    for _command in _group.commands:
        _sub.command(_command.name, short_help=_short(_command))(_command.function)
    app.add_typer(_sub, name=_group.name, rich_help_panel=_group.panel)
