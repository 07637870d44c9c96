"""Finding the store and the case a command is about."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from meldcode.store.sqlite import Casus, Store


def open_store(*, oefening: bool, lezen: bool = False) -> Store:
    """The store; `lezen`: for a command that only reads (see store.sqlite.open_store)."""
    from meldcode.store.sqlite import open_store as open_

    return open_(oefening=oefening, lezen=lezen)


def find_casus(
    casus_id: str, *, oefening: bool = False, lezen: bool = False
) -> tuple[Store, Casus]:
    """The store holding the case: the real one, else the practice store if it exists."""
    from meldcode.errors import CasusNotFound
    from meldcode.store.sqlite import data_dir

    store = open_store(oefening=oefening, lezen=lezen)
    try:
        return store, store.get(casus_id)
    except CasusNotFound:
        store.close()
        if oefening or not (data_dir() / "oefen.db").exists():
            raise
    store = open_store(oefening=True, lezen=lezen)
    return store, store.get(casus_id)
