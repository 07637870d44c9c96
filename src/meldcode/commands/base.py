"""The typer app and the one error boundary (design.md §6); commands register on `app`.

Only typer is imported at module level, so `meldcode --help` stays light (design.md §7); each
command module imports what it needs inside its command functions.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from meldcode import __version__

INTERNAL_ERROR = (
    "Er ging iets mis in meldcode zelf (een programmeerfout). Wat u al had vastgelegd, blijft "
    "bewaard. Meld dit aan de beheerder met de opdracht die u gaf, zonder casusgegevens; met "
    "MELDCODE_DEBUG=1 ziet de beheerder de technische details."
)

app = typer.Typer(
    name="meldcode",
    help="Beslisondersteuning voor de Meldcode huiselijk geweld en kindermishandeling.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
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


def err(text: str) -> None:
    """Print a message for the user on stderr, without markup."""
    sys.stderr.write(text.rstrip("\n") + "\n")
    sys.stderr.flush()


@contextmanager
def error_boundary() -> Iterator[None]:
    """The one place where exceptions become a Dutch message and an exit code."""
    from meldcode.errors import MeldcodeError

    try:
        yield
    except MeldcodeError as e:
        err(str(e))
        raise typer.Exit(e.exit_code) from None
    except KeyboardInterrupt:
        err("Onderbroken. Wat u al had vastgelegd, is bewaard.")
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception:
        if os.environ.get("MELDCODE_DEBUG"):
            raise
        err(INTERNAL_ERROR)
        raise typer.Exit(1) from None
