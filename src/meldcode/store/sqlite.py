"""SQLite store: cases and their events, one transaction per event, owner-only files."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from meldcode.errors import CasusNotFound, StoreCorrupt, StoreError
from meldcode.store.files import as_store_error, create_owner_only, hold_lock, is_busy, owner_only
from meldcode.store.log import GENESIS, Event, NieuwEvent, chain, kop_hash
from meldcode.store.tables import (
    _MIGRATIONS,  # noqa: F401 - re-exported: tests build a version-1 store with it and _split
    SCHEMA_VERSION,
    Casus,
    UnreadableEvent,
    _split,  # noqa: F401
    append_register,
    casus_from_row,
    check_version,
    event_for_chain_check,
    event_from_row,
    event_to_row,
    migrate,
)

BUSY_TIMEOUT_MS = 5000  # how long a write waits for another process's write to finish
LEZER_WACHT_MS = 2000  # how long a delete waits for other readers to let go of old pages
ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read aloud

__all__ = [
    "EVENT_COLUMNS",
    "SCHEMA_VERSION",
    "Casus",
    "Store",
    "data_dir",
    "event_for_chain_check",
    "event_from_row",
    "new_casus_id",
    "now_iso",
    "open_store",
]


_COLUMNS = ", ".join(Casus.__dataclass_fields__)
# The events columns event_from_row reads, in its order.
EVENT_COLUMNS = "volgnummer, tijd, soort, stap, vraag, antwoord, toelichting, vorige_hash, hash"


def now_iso() -> str:
    """The local time with its UTC offset, to the second."""
    return dt.datetime.now().astimezone().replace(microsecond=0).isoformat()


def data_dir() -> Path:
    """$MELDCODE_HOME, else the platform's application folder for meldcode."""
    eigen = os.environ.get("MELDCODE_HOME")
    if eigen:
        return Path(eigen)
    import typer  # design.md §5: typer's app dir, imported only when no MELDCODE_HOME is set

    return Path(typer.get_app_dir("meldcode"))


def new_casus_id() -> str:
    """A pseudonymous case id such as `mc-k7q3-x9p2`: random, says nothing about the client."""
    chars = "".join(secrets.choice(ID_ALPHABET) for _ in range(8))
    return f"mc-{chars[:4]}-{chars[4:]}"


class Store:
    """A meldcode database file; every write is its own committed transaction."""

    def __init__(
        self, path: Path, *, clock: Callable[[], str] = now_iso, lezen: bool = False
    ) -> None:
        """Open (or create) the store; `lezen` opens an existing, current one read-only
        (`mode=ro`), and raises NeedsWrite when it must be created or migrated first."""
        self.path = path
        self.clock = clock
        self._locks: dict[str, IO[str]] = {}
        if not lezen:
            create_owner_only(path)
        elif not path.is_file():
            raise NeedsWrite
        try:
            if lezen:
                uri = "file:" + quote(str(path.absolute())) + "?mode=ro"
                self.conn = sqlite3.connect(
                    uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
                )
            else:
                self.conn = sqlite3.connect(
                    path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
                )
        except sqlite3.Error as e:
            raise as_store_error(e, path) from None
        try:
            if lezen:
                self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
                try:
                    versie = check_version(self.conn, path)
                except sqlite3.OperationalError:
                    if not self._reopen_immutable(path):
                        raise
                    versie = check_version(self.conn, path)
                if versie < SCHEMA_VERSION:
                    raise NeedsWrite
                return
            self._setup()
        except (sqlite3.Error, StoreError, NeedsWrite) as e:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
            if isinstance(e, StoreError | NeedsWrite):
                raise
            raise as_store_error(e, path) from None

    def _reopen_immutable(self, path: Path) -> bool:
        """Reopen a store whose folder takes no new file (a full disk, a read-only archive) as
        immutable, so SQLite needs no `-shm` file; only when no `-wal` file holds changes that
        the database file lacks (False: the first error stands)."""
        wal = Path(str(path) + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return False
        self.conn.close()
        uri = "file:" + quote(str(path.absolute())) + "?mode=ro&immutable=1"
        self.conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        return True

    def _setup(self) -> None:
        c = self.conn
        c.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        # Check before WAL mode changes the file: it may be a database that is not ours.
        versie = check_version(c, self.path)
        self._wal()
        # NOTE: in WAL mode NORMAL can lose the last commit on power loss; an answer the user
        # saw accepted must survive that.
        c.execute("PRAGMA synchronous = FULL")
        c.execute("PRAGMA foreign_keys = ON")
        c.execute("PRAGMA secure_delete = ON")  # deleted cases are overwritten, not just freed
        if versie < SCHEMA_VERSION:
            with self.transaction():
                migrate(c, self.path)
        for suffix in ("-wal", "-shm"):
            owner_only(Path(str(self.path) + suffix))

    def _wal(self) -> None:
        """Switch to WAL mode, waiting (like busy_timeout) while another process opens it."""
        # NOTE: changing the journal mode returns SQLITE_BUSY at once, without calling the
        # busy handler, when another connection holds a lock (e.g. two first uses at once).
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as e:
                if not is_busy(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
            else:
                return

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error; SQLite errors become StoreErrors."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise as_store_error(e, self.path) from None
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as e:
            # SQLite rolls back by itself on some errors (a full disk); a failing ROLLBACK
            # must not hide the error that caused it.
            if self.conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            if isinstance(e, sqlite3.Error):
                raise as_store_error(e, self.path) from None
            raise

    def rows(self, sql: str, args: Sequence[Any] = ()) -> Iterator[Any]:
        """The rows of a read query, one at a time; SQLite errors become StoreErrors.

        A store can be damaged past its first page: opening it works, reading a case fails.
        """
        # NOTE: not `yield from`: closing a half-read generator (an error while the caller
        # handled a row) would then close the cursor too, which fails once the store is closed.
        try:
            cursor = self.conn.execute(sql, args)
            row = cursor.fetchone()
            while row is not None:
                yield row
                row = cursor.fetchone()
        except sqlite3.Error as e:
            raise as_store_error(e, self.path) from None

    def damage(self) -> list[str]:
        """What SQLite's `PRAGMA quick_check` finds wrong in the file's pages; [] when intact.

        It reads every page of every table and index (not whether the indexes match their
        tables), so damage that no query of a command happens to touch is found too. A file
        too damaged to check raises StoreCorrupt.
        """
        found = [str(r[0]) for r in self.rows("PRAGMA quick_check")]
        return [] if found == ["ok"] else found

    def close(self) -> None:
        """Release locks and close the connection."""
        for casus_id in list(self._locks):
            self.unlock(casus_id)
        self.conn.close()

    # --- cases ----------------------------------------------------------------------------

    def create(
        self,
        *,
        sector: str,
        flow_versie: str,
        flow_hash: str,
        label: str | None = None,
        oefening: bool = False,
        casus_id: str | None = None,
    ) -> Casus:
        """A new, empty case, committed; its first answer will be event 1 of the chain.

        Sector, flow version and hash live in the case row (and every export), so the log
        holds only what the professional did, starting with `acuut-gevaar` (design.md §6).
        """
        casus_id = casus_id or new_casus_id()
        tijd = self.clock()
        # The kop chains the particulars: event 1 links to it (see log.kop_hash).
        kop = kop_hash(
            casus_id,
            {
                "sector": sector,
                "label": label,
                "oefening": oefening,
                "aangemaakt": tijd,
                "flow_versie": flow_versie,
                "flow_hash": flow_hash,
            },
        )
        try:
            self._insert_casus(casus_id, sector, label, oefening, tijd, flow_versie, flow_hash, kop)
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
                (
                    casus_id,
                    sector,
                    label,
                    int(oefening),
                    tijd,
                    tijd,
                    flow_versie,
                    flow_hash,
                    kop,
                ),
            )
            self._register(c, casus_id, "nieuw", kop, 0)

    def get(self, casus_id: str) -> Casus:
        """The case with this id, or CasusNotFound."""
        row = next(self.rows(f"SELECT {_COLUMNS} FROM casussen WHERE id = ?", (casus_id,)), None)
        if row is None:
            # The id is typed by the user: an escape sequence in it is shown, never run.
            getoond = casus_id if casus_id.isprintable() else ascii(casus_id)[1:-1]
            raise CasusNotFound(casus_id=getoond)
        return casus_from_row(row)

    def casussen(self, **filters: Any) -> list[Casus]:
        """Cases, newest first, filtered as `iter_casussen` does, as a list."""
        return list(self.iter_casussen(**filters))

    def iter_casussen(
        self,
        *,
        status: str | None = None,
        sector: str | None = None,
        evaluatie_voor: str | None = None,
        vervolg_voor: str | None = None,
        bijgewerkt_voor: str | None = None,
        limit: int | None = None,
    ) -> Iterator[Casus]:
        """Cases, newest first, filtered by status, sector or what is due: an evaluation date
        (<= `evaluatie_voor`), or a melding in `vervolg` made on or before `vervolg_voor` whose
        terugkoppeling is still open, or a staff route not yet told to the houder/leiding; one
        at a time: memory stays one row, whatever the store's size. `bijgewerkt_voor`: last
        changed on or before that date (an open case nobody touched)."""
        where, args = [], []
        if status:
            where.append("status = ?")
            args.append(status)
        if sector:
            where.append("sector = ?")
            args.append(sector)
        if evaluatie_voor and vervolg_voor:
            # Due: an evaluation on or past its date; a melding whose terugkoppeling is not
            # recorded 5 working days after it (`vervolg_voor`); a staff route whose houder /
            # leiding is not yet told (the duty is at once: due from the day of the outcome).
            where.append(
                "((status IN ('wacht-op-evaluatie', 'vervolg') AND evaluatiedatum <= ?)"
                " OR (status = 'vervolg' AND vervolg_open = 'terugkoppeling'"
                " AND substr(uitkomst_tijd, 1, 10) <= ?)"
                " OR (status = 'vervolg' AND vervolg_open = 'leiding'"
                " AND substr(uitkomst_tijd, 1, 10) <= ?))"
            )
            args += [evaluatie_voor, vervolg_voor, evaluatie_voor]
        elif evaluatie_voor:
            where.append("status = 'wacht-op-evaluatie' AND evaluatiedatum <= ?")
            args.append(evaluatie_voor)
        if bijgewerkt_voor:
            where.append("substr(bijgewerkt, 1, 10) <= ?")
            args.append(bijgewerkt_voor)
        sql = f"SELECT {_COLUMNS} FROM casussen"
        if where:
            sql += " WHERE " + " AND ".join(where)
        # Newest first as instants: times carry the offset they were written with; within one
        # second, the case stored last first (rowid: the index's own order, no sort step).
        sql += " ORDER BY julianday(aangemaakt) DESC, rowid DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        for r in self.rows(sql, args):
            yield casus_from_row(r)

    def events(self, casus_id: str) -> list[Event]:
        """Every event of a case in order."""
        rows = self.rows(
            f"SELECT {EVENT_COLUMNS} FROM events WHERE casus_id = ? ORDER BY volgnummer",
            (casus_id,),
        )
        try:
            return [event_from_row(r) for r in rows]
        except UnreadableEvent:
            raise StoreCorrupt(pad=str(self.path)) from None

    def append(self, casus: Casus, *nieuw: NieuwEvent, **update: Any) -> tuple[Casus, list[Event]]:
        """Append events (e.g. an answer and the outcome it causes) and update the case row,
        all in one committed transaction: either all of them are on disk, or none."""
        events: list[Event] = []
        with self.transaction() as c:
            row = c.execute(
                "SELECT laatste_hash, aantal_events FROM casussen WHERE id = ?", (casus.id,)
            ).fetchone()
            if row is None:
                raise CasusNotFound(casus_id=casus.id)
            vorige: _Tail | Event = _Tail(volgnummer=row[1], hash=row[0])
            tijd = self.clock()
            for n in nieuw:
                vorige = chain(
                    casus.id,
                    vorige,
                    tijd=tijd,
                    soort=n.soort,
                    stap=n.stap,
                    vraag=n.vraag,
                    antwoord=n.antwoord,
                    toelichting=n.toelichting,
                )
                self._insert_event(c, casus.id, vorige)
                events.append(vorige)
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

        None when done; "vacuum" when VACUUM failed (e.g. a full disk); "lezer" when another
        connection still reads an older snapshot, so old page versions stay in the -wal file
        (waited for up to LEZER_WACHT_MS).
        """
        try:
            self.conn.execute("VACUUM")
        except sqlite3.Error:
            return "vacuum"
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {LEZER_WACHT_MS}")
            busy = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite3.Error:
            busy = 1
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


@dataclass(frozen=True)
class _Tail:
    volgnummer: int
    hash: str


class NeedsWrite(Exception):
    """A read-only open found a store that must first be created or migrated."""


def open_store(*, oefening: bool = False, home: Path | None = None, lezen: bool = False) -> Store:
    """The real store (`meldcode.db`) or the separate practice store (`oefen.db`).

    `lezen`: for a command that only reads. The file is opened read-only where it can be, so a
    nearly full disk or a read-only copy can still be listed and exported.
    """
    folder = home or data_dir()
    path = folder / ("oefen.db" if oefening else "meldcode.db")
    if lezen:
        try:
            return Store(path, lezen=True)
        except NeedsWrite:
            pass
    return Store(path)
