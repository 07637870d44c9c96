"""Finding the store and the case a command is about."""

from __future__ import annotations

from typing import TYPE_CHECKING

from meldcode.commands.home import data_dir, open_store

if TYPE_CHECKING:
    from meldcode.store import CaseStore, Casus

__all__ = ["find_casus", "open_store"]


def find_casus(
    casus_id: str, *, oefening: bool = False, lezen: bool = False
) -> tuple[CaseStore, Casus]:
    """The store holding the case: the real one, else the practice store if it exists."""
    from meldcode.errors import CasusNotFound

    store = open_store(oefening=oefening, lezen=lezen)
    try:
        return store, store.get(casus_id)
    except CasusNotFound:
        store.close()
        if oefening or not (data_dir() / "oefen.db").exists():
            raise
    store = open_store(oefening=True, lezen=lezen)
    return store, store.get(casus_id)
