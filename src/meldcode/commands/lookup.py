"""Finding the store and the case a command is about."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from meldcode.commands.home import data_dir, open_store

if TYPE_CHECKING:
    from meldcode.store import CaseStore, Casus

__all__ = ["elders", "find_casus", "open_store"]


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


@contextmanager
def elders(casus_id: str, *, oefening: bool) -> Iterator[None]:
    """Around going on with `casus_id` in the real store (or with `oefening`, the practice
    store): a case that is not there but in the other one is an error that names the command
    that goes on with it (`meldcode oefen --hervat ID`, `meldcode hervat ID`)."""
    from meldcode.errors import CasusElders, CasusNotFound

    try:
        yield
    except CasusNotFound as e:
        if e.casus_id != casus_id or not _staat_in(casus_id, oefening=not oefening):
            raise
        raise CasusElders(casus_id=casus_id, oefening=not oefening) from None


def _staat_in(casus_id: str, *, oefening: bool) -> bool:
    """Whether the local store (practice or real) holds `casus_id`; never creates a store, and
    does not look in a shared register (`MELDCODE_DATABASE`)."""
    from meldcode.errors import MeldcodeError

    if not oefening and os.environ.get("MELDCODE_DATABASE"):
        return False
    if not (data_dir() / ("oefen.db" if oefening else "meldcode.db")).exists():
        return False
    try:
        with open_store(oefening=oefening, lezen=True) as store:
            store.get(casus_id)
    except MeldcodeError:
        return False
    return True
