"""Choose and open the store backend (kept light: no database module is imported here)."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Protocol

from meldcode.store.interface import CaseStore


class UrlOpener(Protocol):
    """How a backend behind `MELDCODE_DATABASE` is opened."""

    def __call__(self, url: str, *, home: Path, lezen: bool) -> CaseStore: ...


# HOOK (issue 15): URL scheme of MELDCODE_DATABASE -> "module:function" of a UrlOpener,
# imported only when chosen. The PostgreSQL backend adds e.g.
#   "postgresql": "meldcode.store.postgres:open_postgres", "postgres": (the same)
# A scheme not listed here (and an unset or empty variable) keeps the embedded SQLite store,
# as before MELDCODE_DATABASE was read at all.
BACKENDS: dict[str, str] = {
    "postgresql": "meldcode.store.postgres:open_postgres",
    "postgres": "meldcode.store.postgres:open_postgres",
}


def open_store(*, home: Path, oefening: bool = False, lezen: bool = False) -> CaseStore:
    """The store of the data folder `home` (found by the CLI layer: $MELDCODE_HOME or the
    platform's application folder, design.md §5): `meldcode.db`, or the separate practice
    store `oefen.db`; or the database `MELDCODE_DATABASE` names (not for practice cases,
    which stay in the local practice store).

    `lezen`: for a command that only reads. An SQLite file is opened read-only where it can
    be, so a nearly full disk or a read-only copy can still be listed and exported.
    """
    url = os.environ.get("MELDCODE_DATABASE", "")
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if not oefening and scheme in BACKENDS:
        module, function = BACKENDS[scheme].split(":")
        opener: UrlOpener = getattr(importlib.import_module(module), function)
        return opener(url, home=home, lezen=lezen)
    from meldcode.store.sqlite import open_sqlite  # sqlite3 only when it is used

    return open_sqlite(home / ("oefen.db" if oefening else "meldcode.db"), lezen=lezen)
