"""The command-line interface: the typer app with every command registered (design.md §6).

Only typer is imported at module level, so `meldcode --help` stays light (design.md §7); each
command module imports what it needs inside its command functions.
"""

from __future__ import annotations

# Import order is help order: walking a case first, then managing, flows, practice.
from meldcode.commands import casus  # isort: skip
from meldcode.commands import beheer  # isort: skip
from meldcode.commands import flows, graaf, oefen  # isort: skip
from meldcode.commands.base import app

# The imports above register each module's commands on `app`.
COMMAND_MODULES = (casus, beheer, flows, graaf, oefen)

__all__ = ["app", "main"]


def main() -> None:
    """Entry point for `python -m meldcode`."""
    app()
