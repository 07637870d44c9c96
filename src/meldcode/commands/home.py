"""Where meldcode keeps its data (design.md §5): the CLI layer finds the folder and hands it to
the store, so the store itself never imports typer."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from meldcode.store.interface import CaseStore


def data_dir() -> Path:
    """$MELDCODE_HOME, else the platform's application folder for meldcode."""
    eigen = os.environ.get("MELDCODE_HOME")
    if eigen:
        return Path(eigen)
    import typer  # design.md §5: typer's app dir, looked up only when no MELDCODE_HOME is set

    return Path(typer.get_app_dir("meldcode"))


def open_store(*, oefening: bool = False, lezen: bool = False) -> CaseStore:
    """The store in the user's data folder: meldcode.store.open_store(home=data_dir(), ...)."""
    from meldcode.store import open_store as open_in

    return open_in(home=data_dir(), oefening=oefening, lezen=lezen)
