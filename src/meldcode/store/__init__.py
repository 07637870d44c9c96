"""The store: cases and their chained events behind one interface (store/interface.py).

Light on purpose: importing this package loads no database module (`meldcode --help` must not
import sqlite3; tests/test_startup.py). The SQLite backend is store/sqlite.py, opened through
`open_store`.
"""

from meldcode.store.interface import CaseStore
from meldcode.store.open import open_store
from meldcode.store.records import CaseChain, Casus, Counts, Event, NieuwEvent, RegisterEntry

__all__ = [
    "CaseChain",
    "CaseStore",
    "Casus",
    "Counts",
    "Event",
    "NieuwEvent",
    "RegisterEntry",
    "open_store",
]
