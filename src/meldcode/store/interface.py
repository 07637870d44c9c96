"""The one interface every store backend implements (SQLite today, PostgreSQL for issue 15).

Code outside a backend (commands, the walk, the dossier, render, integrity, stats,
maintenance) uses only these operations and the values of store/records.py; all SQL stays
inside the backend. Errors are the store errors of meldcode.errors (exit 3: StoreBusy,
StoreCorrupt, StoreLocked, StoreUnwritable, ...) and CasusNotFound; a backend never lets a
driver's exception, SQL text or a password escape.

What every backend keeps the same (tests/test_store_contract.py): the hash chain (the same
bytes hashed, store/log.py), one committed transaction per `append`, the register of case
heads, the schema version with forward migrations, and one writer per case (`lock`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol, Unpack

from meldcode.store import records
from meldcode.store.records import Casus, Event


class CaseStore(Protocol):
    """A meldcode store: cases, their chained events, the register and the case locks."""

    # The time every write records (records.now_iso by default; tests pass a fixed one).
    clock: Callable[[], str]

    @property
    def location(self) -> str:
        """Where the store lives, for messages: a file path, or a database name (never a
        password)."""
        ...

    @property
    def schema_version(self) -> int:
        """The schema version of the open store: tables.SCHEMA_VERSION once opened for writing
        (older stores are migrated forward on open; a newer one is StoreTooNew)."""
        ...

    def eindverantwoordelijke(self, casus_id: str) -> str | None:
        """Who is eindverantwoordelijk for the case as the store records it (the shared
        register: set once by `register init`, issue 15); None where the store keeps none (the
        embedded store: the walk's question `eindverantwoordelijke` records it)."""
        ...

    def close(self) -> None:
        """Release this store's case locks and its connection."""
        ...

    def __enter__(self) -> CaseStore:
        """`with open_store(...) as store:` closes the store when the block ends."""
        ...

    def __exit__(self, *_exc: object) -> None:
        """Close the store, also after an error."""
        ...

    # --- cases ----------------------------------------------------------------------------

    def create(self, **casus: Unpack[records.NieuweCasus]) -> Casus:
        """A new case with no events, committed, status "open"; its `laatste_hash` is the kop
        (log.kop_hash of its particulars, which event 1 links to); registered as "nieuw"."""
        ...

    def get(self, casus_id: str) -> Casus:
        """The case with this id, or CasusNotFound (the id shown printable)."""
        ...

    def iter_casussen(self, **filters: Unpack[records.CasusFilter]) -> Iterator[Casus]:
        """Cases, newest first (by the instant `aangemaakt` names; within one second the one
        stored last first), one at a time: memory stays one case whatever the store's size.

        - `status`, `sector`: equal to.
        - `evaluatie_voor` (a date) alone: status "wacht-op-evaluatie" and evaluatiedatum on or
          before it.
        - `evaluatie_voor` and `vervolg_voor` (dates): what is due: status
          "wacht-op-evaluatie" or "vervolg" with evaluatiedatum <= evaluatie_voor; or status
          "vervolg" with vervolg_open "terugkoppeling" and the date of uitkomst_tijd <=
          vervolg_voor; or status "vervolg" with vervolg_open "leiding" and the date of
          uitkomst_tijd <= evaluatie_voor.
        - `bijgewerkt_voor` (a date): the date of `bijgewerkt` on or before it.
        - `limit`: at most this many (None or 0: all).
        """
        ...

    def casussen(self, **filters: Unpack[records.CasusFilter]) -> list[Casus]:
        """`iter_casussen` as a list."""
        ...

    def events(self, casus_id: str) -> list[Event]:
        """Every event of the case in order ([] for an unknown id); StoreCorrupt when one
        cannot be read back."""
        ...

    def append(
        self, casus: Casus, *nieuw: records.NieuwEvent, **update: Any
    ) -> tuple[Casus, list[Event]]:
        """Chain the new events after the case's head (log.chain, all with one `clock()`
        time) and set the `update` fields of its row (records.CASE_UPDATE_FIELDS), with
        `bijgewerkt`, `laatste_hash` and `aantal_events`, in one committed transaction: all
        on disk or none. A non-None `uitkomst_tijd` is replaced by the events' time. New
        events add a "bij" register entry. The case as now stored, and the new events;
        CasusNotFound if it is gone."""
        ...

    def delete(self, *casus_ids: str, compact: bool = True) -> str | None:
        """Remove these cases and their events in one transaction (all or none; CasusNotFound
        for an unknown id), register each as "verwijderd" (id and hashes only) and release
        their locks; then `compact()` unless `compact` is False. Its result, else None."""
        ...

    def compact(self) -> str | None:
        """Make deleted content unreadable in the store's files. None when done, else why not
        (SQLite: "vacuum" or "lezer"; see sqlite.Store.compact)."""
        ...

    # --- locks ----------------------------------------------------------------------------

    def lock(self, casus_id: str) -> None:
        """Hold the case for this store until `unlock` or `close`; StoreLocked (exit 3, the
        same message on every backend) while another store, in this process or another,
        holds it."""
        ...

    def unlock(self, casus_id: str) -> None:
        """Release the case if this store holds it; nothing otherwise."""
        ...

    # --- maintenance, integrity, statistics -----------------------------------------------

    def changed_before(self, grens: str) -> list[tuple[str, str]]:
        """(id, date of last change "YYYY-MM-DD") of every case whose `bijgewerkt` is an
        instant before `grens` (an ISO time with offset), oldest first, then by id."""
        ...

    def damage(self) -> list[str]:
        """What the backend's own check finds wrong in its storage ([] when intact); a store
        too damaged to check raises StoreCorrupt."""
        ...

    def register(self) -> Iterator[records.RegisterEntry]:
        """Every register entry, by volgnummer, as stored."""
        ...

    def chains(self, casus_id: str | None = None) -> Iterator[records.CaseChain]:
        """Each case id that has a row, events or register entries, in id order, with all
        three (one case at a time in memory); or only `casus_id` (CasusNotFound when it has
        no row). Events come as stored: one whose answer cannot be decoded comes back with
        its answer as the stored text and hash "" (so a chain check reports it)."""
        ...

    def counts(self) -> records.Counts:
        """The figures behind `statistiek`, over non-practice cases; StoreCorrupt when the
        backend finds its own figures inconsistent."""
        ...
