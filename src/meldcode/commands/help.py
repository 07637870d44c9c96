"""Typer's help screens in Dutch: panel titles, the help option, value types, usage lines."""

from __future__ import annotations

import re
from typing import Any

# typer's help words (its rich_utils reads these module names each time it renders help).
_HULPWOORDEN = {
    "OPTIONS_PANEL_TITLE": "Opties",
    "ARGUMENTS_PANEL_TITLE": "Argumenten",
    "COMMANDS_PANEL_TITLE": "Opdrachten",
    "DEFAULT_STRING": "[standaard: {}]",
    "REQUIRED_LONG_STRING": "[verplicht]",
    "DEPRECATED_STRING": "(verouderd) ",
    "ENVVAR_STRING": "[omgevingsvariabele: {}]",
}


_GEBRUIKSWOORDEN = (
    ("Usage: ", "Gebruik: "),
    ("[OPTIONS]", "[OPTIES]"),
    ("COMMAND [ARGS]...", "OPDRACHT [ARGUMENTEN]..."),
)


# click's own words on the plain help screen of a narrow terminal (see DutchHelp.format_help).
_KLIKWOORDEN = (
    *_GEBRUIKSWOORDEN,
    ("Options:", "Opties:"),
    ("Commands:", "Opdrachten:"),
    ("Arguments:", "Argumenten:"),
    ("[default: ", "[standaard: "),
    ("[required]", "[verplicht]"),
)

# Narrower than this, help is click's plain list: typer's option table cut option names and
# words ('--evaluatie-ver…', 'wacht-op-evaluat…') to fit its columns.
SMAL = 80

# typer's usage piece for a required argument: '{ID}' or '{ID}...'.
_VERPLICHT_ARGUMENT = re.compile(r"^\{([^{}]+)\}(?=(\.\.\.)?$)")

# The value a typer option takes, named in Dutch ('<int range>' → GETAL); others stay.
_SOORTEN = {"str": "TEKST", "int": "GETAL", "float": "GETAL", "path": "PAD", "Path": "PAD"}


def _dutch_help(ctx: Any) -> None:
    """Let typer's help screen speak Dutch: panel titles, the help option, flags without a type."""
    from typer import rich_utils

    for naam, tekst in _HULPWOORDEN.items():
        setattr(rich_utils, naam, tekst)
    help_option = ctx.command.get_help_option(ctx)
    if help_option is not None:
        help_option.help = "Toon deze hulp en stop."
    for param in [*ctx.command.params, help_option]:
        if param is not None and param.param_type_name == "argument":
            # An argument's name (ID, MAP) says what it takes; typer adds '<str>' or '<path>'.
            param.display_type_rich = _geen_soort
            continue
        if param is None:
            continue
        # NOTE: typer shows a range as '[0<=x<=1000000]' beside the type, a long unbreakable
        # word that made a narrow terminal cut option names ('--evaluatie-ve…'); a command's
        # help says its range in words instead.
        param._get_number_range_help_str = _geen_bereik
        if param.metavar is not None:
            continue
        if getattr(param, "is_flag", False):
            param.metavar = ""  # a flag takes no value; typer would show '<bool>'
        elif param.param_type_name == "option":
            soort = str(param.display_type_rich(ctx) or "")
            param.metavar = _SOORTEN.get(soort.strip("<>").partition(" ")[0])


def _nederlands(tekst: str) -> str:
    """click's words on a plain help screen, in Dutch."""
    for engels, nederlands in _KLIKWOORDEN:
        tekst = tekst.replace(engels, nederlands)
    return tekst


def _geen_bereik() -> None:
    """No range next to an option's type in help (see `_dutch_help`)."""


def _geen_soort(ctx: Any) -> None:
    """No value type next to an argument in help (typer would show '<str>')."""


class DutchHelp:
    """Mixin for typer's command classes: help and usage lines in Dutch."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """typer's help panels, or on a terminal narrower than SMAL click's plain list, which
        wraps every text between words and cuts nothing (in Dutch as well)."""
        import shutil

        _dutch_help(ctx)
        kolommen = shutil.get_terminal_size().columns
        if kolommen >= SMAL:
            super().format_help(ctx, formatter)  # type: ignore[misc]
            return
        formatter.width = max(kolommen - 2, 40)  # click's test runner forces 80 otherwise
        mode = getattr(self, "rich_markup_mode", None)
        self.rich_markup_mode = None  # typer's switch to click's own help
        try:
            super().format_help(ctx, formatter)  # type: ignore[misc]
        finally:
            self.rich_markup_mode = mode
        formatter.buffer[:] = [_nederlands(regel) for regel in formatter.buffer]

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        """The usage line of the plain help screen, in Dutch before click wraps it."""
        pieces = " ".join(self.collect_usage_pieces(ctx))
        formatter.write_usage(ctx.command_path, _nederlands(pieces), prefix="Gebruik: ")

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Parse as click does; a usage error click raised without its command (an option
        without its value) gets it, so the Dutch message names this command's --help."""
        try:
            rest: list[str] = super().parse_args(ctx, args)  # type: ignore[misc]
        except Exception as e:
            if hasattr(e, "ctx") and e.ctx is None:
                e.ctx = ctx
            raise
        return rest

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """The usage line's pieces, a required argument written as the docs write it (`ID`;
        typer shows `{ID}`), an optional one in brackets (`[ID]`)."""
        pieces: list[str] = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        return [_VERPLICHT_ARGUMENT.sub(r"\1", piece) for piece in pieces]

    def get_usage(self, ctx: Any) -> str:
        usage: str = super().get_usage(ctx)  # type: ignore[misc]
        for engels, nederlands in _GEBRUIKSWOORDEN:
            usage = usage.replace(engels, nederlands, 1)
        return usage
