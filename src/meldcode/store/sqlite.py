"""SQLite store: cases and their events, one transaction per event, owner-only files."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Unpack

from meldcode.errors import CasusNotFound, StoreCorrupt
from meldcode.store import connection, queries
from meldcode.store.connection import NeedsWrite
from meldcode.store.files import hold_lock
from meldcode.store.log import GENESIS, chain_after, new_kop
from meldcode.store.records import (
    ID_ALPHABET,
    CaseChain,
    Casus,
    CasusFilter,
    Counts,
    Event,
    NieuweCasus,
    NieuwEvent,
    RegisterEntry,
    new_casus_id,
    now_iso,
)
from meldcode.store.tables import (
    CASUS_COLUMNS,
    EVENT_COLUMNS,
    SCHEMA_VERSION,
    append_register,
    casus_from_row,
    event_to_row,
    events_from_rows,
)

BUSY_TIMEOUT_MS = 5000  # how long a write waits for another process's write to finish
LEZER_WACHT_MS = 2000  # how long a delete waits for other readers to let go of old pages

__all__ = [
    "ID_ALPHABET",
    "SCHEMA_VERSION",
    "NeedsWrite",
    "Store",
    "new_casus_id",
    "now_iso",
    "open_sqlite",
]


class Store:
    """A meldcode database file; every write is its own committed transaction.

    The SQLite backend of store/interface.py's CaseStore.
    """

    def __init__(
        self, path: Path, *, clock: Callable[[], str] = now_iso, lezen: bool = False
    ) -> None:
        """Open (or create) the store; `lezen` opens an existing, current one read-only
        (`mode=ro`), and raises NeedsWrite when it must be created or migrated first."""
        self.path = path
        self.clock = clock
        self._locks: dict[str, IO[str]] = {}
        self.conn = connection.connect(path, lezen=lezen, busy_ms=BUSY_TIMEOUT_MS)

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error; SQLite errors become StoreErrors."""
        return connection.transaction(self.conn, self.path)

    def _rows(self, sql: str, args: Sequence[Any] = ()) -> Iterator[Any]:
        """The rows of a read query, one at a time; SQLite errors become StoreErrors."""
        return connection.rows(self.conn, self.path, sql, args)

    @property
    def location(self) -> str:
        """The database file."""
        return str(self.path)

    @property
    def schema_version(self) -> int:
        """PRAGMA user_version."""
        return int(next(self._rows("PRAGMA user_version"))[0])

    def eindverantwoordelijke(self, casus_id: str) -> str | None:  # noqa: ARG002
        return None  # one professional's store: the walk's question records it

    def damage(self) -> list[str]:
        """What SQLite's `PRAGMA quick_check` finds wrong in the file's pages; [] when intact.

        It reads every page of every table and index (not whether the indexes match their
        tables), so damage that no query of a command happens to touch is found too. A file
        too damaged to check raises StoreCorrupt.
        """
        found = [str(r[0]) for r in self._rows("PRAGMA quick_check")]
        return [] if found == ["ok"] else found

    def close(self) -> None:
        """Release locks and close the connection."""
        for casus_id in list(self._locks):
            self.unlock(casus_id)
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        """Leaving a `with` block closes the store, also after an error."""
        self.close()

    # --- cases ----------------------------------------------------------------------------

    def create(self, **nieuw: Unpack[NieuweCasus]) -> Casus:
        """A new, empty case, committed; its first answer will be event 1 of the chain.

        Sector, flow version and hash live in the case row (and every export), so the log
        holds only what the professional did, starting with `acuut-gevaar` (design.md §6).
        """
        casus_id = nieuw.get("casus_id") or new_casus_id()
        tijd = self.clock()
        # The kop chains the particulars: event 1 links to it (see log.kop_hash).
        kop = new_kop(casus_id, tijd, nieuw)
        waarden = (nieuw["sector"], nieuw.get("label"), bool(nieuw.get("oefening", False)))
        try:
            flow = (nieuw["flow_versie"], nieuw["flow_hash"])
            self._insert_casus(casus_id, *waarden, tijd, *flow, kop)
        except BaseException:
            if casus_id in self._locks:  # taken for this new case: no stray lock file stays
                with contextlib.suppress(OSError):
                    self._lock_path(casus_id).unlink()
            raise
        return self.get(casus_id)

    def _insert_casus(self, casus_id: str, *waarden: Any) -> None:
        sector, label, oefening, tijd, flow_versie, flow_hash, kop = waarden
        with self.transaction() as c:
            c.execute(
                "INSERT INTO casussen (id, sector, status, label, oefening, aangemaakt, bijgewerkt,"
                " flow_versie, flow_hash, laatste_hash, aantal_events)"
                " VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, 0)",
                (casus_id, sector, label, int(oefening), tijd, tijd, flow_versie, flow_hash, kop),
            )
            self._register(c, casus_id, "nieuw", kop, 0)

    def get(self, casus_id: str) -> Casus:
        """The case with this id, or CasusNotFound."""
        sql = f"SELECT {CASUS_COLUMNS} FROM casussen WHERE id = ?"
        row = next(self._rows(sql, (casus_id,)), None)
        if row is None:
            # The id is typed by the user: an escape sequence in it is shown, never run.
            getoond = casus_id if casus_id.isprintable() else ascii(casus_id)[1:-1]
            raise CasusNotFound(casus_id=getoond)
        return casus_from_row(row)

    def casussen(self, **filters: Unpack[CasusFilter]) -> list[Casus]:
        """Cases, newest first, filtered as `iter_casussen` does, as a list."""
        return list(self.iter_casussen(**filters))

    def iter_casussen(self, **filters: Unpack[CasusFilter]) -> Iterator[Casus]:
        """Cases, newest first, filtered by status, sector or what is due; one at a time:
        memory stays one row, whatever the store's size (CaseStore.iter_casussen)."""
        sql, args = queries.casussen_query(**filters)
        for r in self._rows(sql, args):
            yield casus_from_row(r)

    def events(self, casus_id: str) -> list[Event]:
        """Every event of a case in order."""
        sql = f"SELECT {EVENT_COLUMNS} FROM events WHERE casus_id = ? ORDER BY volgnummer"
        return events_from_rows(self._rows(sql, (casus_id,)), str(self.path))

    def append(self, casus: Casus, *nieuw: NieuwEvent, **update: Any) -> tuple[Casus, list[Event]]:
        """Append events (e.g. an answer and the outcome it causes) and update the case row,
        all in one committed transaction: either all of them are on disk, or none."""
        with self.transaction() as c:
            row = c.execute(
                "SELECT laatste_hash, aantal_events FROM casussen WHERE id = ?", (casus.id,)
            ).fetchone()
            tijd = self.clock()
            events, vorige = chain_after(casus.id, row, tijd, nieuw)
            for e in events:
                self._insert_event(c, casus.id, e)
            if update.get("uitkomst_tijd") is not None:
                update["uitkomst_tijd"] = tijd  # the time of the events that record it
            update.update(
                bijgewerkt=tijd, laatste_hash=vorige.hash, aantal_events=vorige.volgnummer
            )
            if nieuw:
                self._register(c, casus.id, "bij", vorige.hash, vorige.volgnummer)
            sets = ", ".join(f"{k} = ?" for k in update)
            c.execute(f"UPDATE casussen SET {sets} WHERE id = ?", (*update.values(), casus.id))
        return self.get(casus.id), events

    def delete(self, *casus_ids: str, compact: bool = True) -> str | None:
        """Remove these cases, their events and lock files in one transaction, then compact
        the file (unless `compact` is False: the caller compacts once after several deletes).

        Deleted content is overwritten (secure_delete) either way; the result is what kept
        the file from being compacted (see `compact`), None when it was.
        """
        with self.transaction() as c:
            for casus_id in casus_ids:
                row = c.execute(
                    "SELECT laatste_hash, aantal_events FROM casussen WHERE id = ?", (casus_id,)
                ).fetchone()
                if row is None:
                    raise CasusNotFound(casus_id=casus_id)
                c.execute("DELETE FROM events WHERE casus_id = ?", (casus_id,))
                c.execute("DELETE FROM casussen WHERE id = ?", (casus_id,))
                # The register keeps that the case existed and was deleted: id and hashes only.
                self._register(c, casus_id, "verwijderd", row[0], row[1])
        for casus_id in casus_ids:
            with contextlib.suppress(OSError):
                self._lock_path(casus_id).unlink(missing_ok=True)
            self.unlock(casus_id)
        return self.compact() if compact else None

    def compact(self) -> str | None:
        """VACUUM, then move the WAL into the file, so deleted pages leave both.

        None when done; "vacuum" when VACUUM, or moving its result into the file, failed (e.g.
        a full disk: the file keeps its old pages); "lezer" when another connection still reads
        an older snapshot, so old page versions stay in the -wal file (waited for up to
        LEZER_WACHT_MS). SQLite reports that busy reader in the row, an I/O error as an error.
        """
        try:
            self.conn.execute("VACUUM")
        except sqlite3.Error:
            return "vacuum"
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {LEZER_WACHT_MS}")
            busy = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite3.Error:
            return "vacuum"
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        return "lezer" if busy else None

    def _register(
        self, c: sqlite3.Connection, casus_id: str, soort: str, kop: str, aantal: int
    ) -> None:
        """Append the case's new head to the store-wide register (inside the caller's write)."""
        laatste = c.execute(
            "SELECT volgnummer, hash FROM register ORDER BY volgnummer DESC LIMIT 1"
        ).fetchone()
        nummer, vorige = laatste if laatste is not None else (0, GENESIS)
        append_register(c, nummer + 1, casus_id, soort, kop, aantal, vorige)

    def _insert_event(self, c: sqlite3.Connection, casus_id: str, e: Event) -> None:
        c.execute(
            "INSERT INTO events (casus_id, volgnummer, tijd, soort, stap, vraag, antwoord,"
            " toelichting, vorige_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            event_to_row(casus_id, e),
        )

    # --- locking ----------------------------------------------------------------------------

    def _lock_path(self, casus_id: str) -> Path:
        return self.path.parent / "locks" / f"{casus_id}.lock"

    def lock(self, casus_id: str) -> None:
        """Hold the case for this process; a second writer gets StoreLocked (exit 3)."""
        self._locks[casus_id] = hold_lock(self._lock_path(casus_id), casus_id)

    def unlock(self, casus_id: str) -> None:
        """Release the case lock if this process holds it."""
        fh = self._locks.pop(casus_id, None)
        if fh is not None:
            fh.close()

    # --- maintenance, integrity, statistics (SQL in store/queries.py) ---------------------

    def changed_before(self, grens: str) -> list[tuple[str, str]]:
        """Cases last changed before the instant `grens`, oldest first (for opschonen)."""
        return queries.changed_before(self._rows, grens)

    def register(self) -> Iterator[RegisterEntry]:
        """The store-wide register, by volgnummer."""
        return queries.register(self._rows)

    def chains(self, casus_id: str | None = None) -> Iterator[CaseChain]:
        """Each case's row, events (as stored) and register entries, by case id."""
        if casus_id is None:
            return queries.all_chains(self._rows)
        casus = self.get(casus_id)
        events = queries.chain_events(self._rows, casus_id)
        entries = queries.case_entries(self._rows, casus_id)
        return iter([CaseChain(casus_id, casus, events, entries)])

    def counts(self) -> Counts:
        """The figures behind statistiek; StoreCorrupt when an index disagrees with its table."""
        found = queries.counts(self._rows)
        if found is None:
            raise StoreCorrupt(pad=str(self.path))
        return found



def open_sqlite(path: Path, *, lezen: bool = False) -> Store:
    """The store in this file. `lezen`: for a command that only reads: opened read-only where
    it can be, so a nearly full disk or a read-only copy can still be listed and exported."""
    if lezen:
        try:
            return Store(path, lezen=True)
        except NeedsWrite:
            pass
    return Store(path)
