"""SQLite store: cases and their events, one transaction per event, owner-only files."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meldcode.errors import (
    CasusNotFound,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    StoreTooNew,
    StoreUnwritable,
)
from meldcode.log import GENESIS, Event, NieuwEvent, chain

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 5000  # how long a write waits for another process's write to finish
ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read aloud

_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE casussen (
        id TEXT PRIMARY KEY,
        sector TEXT NOT NULL,
        status TEXT NOT NULL,
        label TEXT,
        oefening INTEGER NOT NULL DEFAULT 0,
        aangemaakt TEXT NOT NULL,
        bijgewerkt TEXT NOT NULL,
        uitkomst_id TEXT,
        uitkomst_reden TEXT,
        meldnorm INTEGER,
        uitkomst_tijd TEXT,
        evaluatiedatum TEXT,
        flow_versie TEXT NOT NULL,
        flow_hash TEXT NOT NULL,
        laatste_hash TEXT NOT NULL,
        aantal_events INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX casussen_status ON casussen(status);
    CREATE INDEX casussen_sector ON casussen(sector);
    CREATE INDEX casussen_evaluatie ON casussen(evaluatiedatum) WHERE evaluatiedatum IS NOT NULL;
    CREATE INDEX casussen_aangemaakt ON casussen(aangemaakt);
    CREATE INDEX casussen_statistiek ON casussen(
        oefening, sector, status, uitkomst_id, uitkomst_reden, aangemaakt, uitkomst_tijd
    );
    CREATE TABLE events (
        casus_id TEXT NOT NULL REFERENCES casussen(id) ON DELETE CASCADE,
        volgnummer INTEGER NOT NULL,
        tijd TEXT NOT NULL,
        soort TEXT NOT NULL,
        stap TEXT,
        vraag TEXT,
        antwoord TEXT,
        toelichting TEXT,
        vorige_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (casus_id, volgnummer)
    ) WITHOUT ROWID;
    """,
    # Expression indexes, so statistiek groups by month and counts days without sorting.
    2: """
    CREATE INDEX casussen_maand_gestart ON casussen(substr(aangemaakt, 1, 7))
        WHERE oefening = 0;
    CREATE INDEX casussen_maand_uitkomst ON casussen(substr(uitkomst_tijd, 1, 7))
        WHERE oefening = 0 AND uitkomst_tijd IS NOT NULL;
    CREATE INDEX casussen_tienden ON casussen(
        CAST(round((julianday(uitkomst_tijd) - julianday(aangemaakt)) * 10) AS INTEGER)
    ) WHERE oefening = 0 AND uitkomst_tijd IS NOT NULL;
    """,
}


@dataclass(frozen=True)
class Casus:
    """One case as the store keeps it (its events are read separately)."""

    id: str
    sector: str
    status: str
    label: str | None
    oefening: bool
    aangemaakt: str
    bijgewerkt: str
    uitkomst_id: str | None
    uitkomst_reden: str | None
    meldnorm: int | None
    uitkomst_tijd: str | None
    evaluatiedatum: str | None
    flow_versie: str
    flow_hash: str
    laatste_hash: str
    aantal_events: int


_COLUMNS = ", ".join(Casus.__dataclass_fields__)


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

    def __init__(self, path: Path, *, clock: Callable[[], str] = now_iso) -> None:
        self.path = path
        self.clock = clock
        self._locks: dict[str, Any] = {}
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            # Create the file owner-only before SQLite opens it; another process may win.
            with contextlib.suppress(FileExistsError):
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
        except OSError:
            raise StoreUnwritable(pad=str(path.parent)) from None
        _owner_only(path.parent, 0o700)  # e.g. a backup restored with looser modes
        _owner_only(path, 0o600)
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as e:
            raise _as_store_error(e, path) from None
        try:
            self._setup()
        except (sqlite3.Error, StoreError) as e:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
            if isinstance(e, StoreError):
                raise
            raise _as_store_error(e, path) from None

    def _setup(self) -> None:
        c = self.conn
        c.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        # Check before WAL mode changes the file: it may be a database that is not ours.
        versie = self._check_version()
        self._wal()
        # NOTE: in WAL mode NORMAL can lose the last commit on power loss; an answer the user
        # saw accepted must survive that.
        c.execute("PRAGMA synchronous = FULL")
        c.execute("PRAGMA foreign_keys = ON")
        c.execute("PRAGMA secure_delete = ON")  # deleted cases are overwritten, not just freed
        if versie < SCHEMA_VERSION:
            with self.transaction():
                # Another process may have migrated since the check above: read it again
                # now that this one holds the write lock.
                for v in range(self._check_version() + 1, SCHEMA_VERSION + 1):
                    for statement in _split(_MIGRATIONS[v]):
                        c.execute(statement)
                    c.execute(f"PRAGMA user_version = {v}")
        for suffix in ("-wal", "-shm"):
            _owner_only(Path(str(self.path) + suffix), 0o600)

    def _wal(self) -> None:
        """Switch to WAL mode, waiting (like busy_timeout) while another process opens it."""
        # NOTE: changing the journal mode returns SQLITE_BUSY at once, without calling the
        # busy handler, when another connection holds a lock (e.g. two first uses at once).
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as e:
                if not _is_busy(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
            else:
                return

    def _check_version(self) -> int:
        """The schema version; StoreTooNew or StoreCorrupt if it is not ours to use."""
        # One statement, so the version and the tables come from the same snapshot.
        versie, tabellen = self.conn.execute(
            "SELECT (SELECT user_version FROM pragma_user_version),"
            " (SELECT count(*) FROM sqlite_master WHERE type = 'table')"
        ).fetchone()
        if versie > SCHEMA_VERSION:
            raise StoreTooNew(pad=str(self.path), versie=versie)
        if versie == 0 and tabellen:
            raise StoreCorrupt(pad=str(self.path))  # a database, but not one of ours
        return int(versie)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error; SQLite errors become StoreErrors."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise _as_store_error(e, self.path) from None
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
                raise _as_store_error(e, self.path) from None
            raise

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
                    GENESIS,
                ),
            )
        return self.get(casus_id)

    def get(self, casus_id: str) -> Casus:
        """The case with this id, or CasusNotFound."""
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM casussen WHERE id = ?", (casus_id,)
        ).fetchone()
        if row is None:
            raise CasusNotFound(casus_id=casus_id)
        return _casus(row)

    def casussen(
        self,
        *,
        status: str | None = None,
        sector: str | None = None,
        evaluatie_voor: str | None = None,
        limit: int | None = None,
    ) -> list[Casus]:
        """Cases, newest first, filtered by status, sector or evaluation date (<= the date)."""
        where, args = [], []
        if status:
            where.append("status = ?")
            args.append(status)
        if sector:
            where.append("sector = ?")
            args.append(sector)
        if evaluatie_voor:
            where.append("status = 'wacht-op-evaluatie' AND evaluatiedatum <= ?")
            args.append(evaluatie_voor)
        sql = f"SELECT {_COLUMNS} FROM casussen"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY aangemaakt DESC, id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [_casus(r) for r in self.conn.execute(sql, args)]

    def events(self, casus_id: str) -> list[Event]:
        """Every event of a case in order."""
        rows = self.conn.execute(
            "SELECT volgnummer, tijd, soort, stap, vraag, antwoord, toelichting, vorige_hash, hash"
            " FROM events WHERE casus_id = ? ORDER BY volgnummer",
            (casus_id,),
        ).fetchall()
        return [event_from_row(r) for r in rows]

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
            update.update(
                bijgewerkt=tijd, laatste_hash=vorige.hash, aantal_events=vorige.volgnummer
            )
            sets = ", ".join(f"{k} = ?" for k in update)
            c.execute(f"UPDATE casussen SET {sets} WHERE id = ?", (*update.values(), casus.id))
        return self.get(casus.id), events

    def delete(self, *casus_ids: str) -> bool:
        """Remove these cases, their events and lock files in one transaction, then VACUUM.

        Deleted content is overwritten (secure_delete) either way; the result says whether
        the file could also be compacted (VACUUM fails e.g. when the disk is full).
        """
        with self.transaction() as c:
            for casus_id in casus_ids:
                c.execute("DELETE FROM events WHERE casus_id = ?", (casus_id,))
                if c.execute("DELETE FROM casussen WHERE id = ?", (casus_id,)).rowcount == 0:
                    raise CasusNotFound(casus_id=casus_id)
        for casus_id in casus_ids:
            with contextlib.suppress(OSError):
                self._lock_path(casus_id).unlink(missing_ok=True)
            self.unlock(casus_id)
        try:
            self.conn.execute("VACUUM")
        except sqlite3.Error:
            compacted = False
        else:
            compacted = True
        with contextlib.suppress(sqlite3.Error):
            # Old page versions in the WAL go too; fails only if another reader holds them.
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return compacted

    def _insert_event(self, c: sqlite3.Connection, casus_id: str, e: Event) -> None:
        c.execute(
            "INSERT INTO events (casus_id, volgnummer, tijd, soort, stap, vraag, antwoord,"
            " toelichting, vorige_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                casus_id,
                e.volgnummer,
                e.tijd,
                e.soort,
                e.stap,
                e.vraag,
                None if e.antwoord is None else json.dumps(e.antwoord, ensure_ascii=False),
                e.toelichting,
                e.vorige_hash,
                e.hash,
            ),
        )

    # --- locking ----------------------------------------------------------------------------

    def _lock_path(self, casus_id: str) -> Path:
        return self.path.parent / "locks" / f"{casus_id}.lock"

    def lock(self, casus_id: str) -> None:
        """Hold the case for this process; a second writer gets StoreLocked (exit 3)."""
        pad = self._lock_path(casus_id)
        try:
            pad.parent.mkdir(mode=0o700, exist_ok=True)
            fd = os.open(pad, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError:
            raise StoreUnwritable(pad=str(pad.parent)) from None
        fh = os.fdopen(fd, "a")
        try:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - Windows: no advisory locks, single user
            pass
        except OSError:
            fh.close()
            raise StoreLocked(casus_id=casus_id) from None
        self._locks[casus_id] = fh

    def unlock(self, casus_id: str) -> None:
        """Release the case lock if this process holds it."""
        fh = self._locks.pop(casus_id, None)
        if fh is not None:
            fh.close()


@dataclass(frozen=True)
class _Tail:
    volgnummer: int
    hash: str


def _split(script: str) -> Sequence[str]:
    return [s for s in (part.strip() for part in script.split(";")) if s]


def _casus(row: Sequence[Any]) -> Casus:
    values = list(row)
    values[4] = bool(values[4])
    return Casus(*values)


def event_from_row(row: Sequence[Any]) -> Event:
    """An event from its row (volgnummer … hash, in table order after casus_id)."""
    return Event(
        volgnummer=row[0],
        tijd=row[1],
        soort=row[2],
        stap=row[3],
        vraag=row[4],
        antwoord=None if row[5] is None else json.loads(row[5]),
        toelichting=row[6],
        vorige_hash=row[7],
        hash=row[8],
    )


def _owner_only(path: Path, mode: int) -> None:
    """Tighten the mode of an existing file or folder; some filesystems refuse, that is fine."""
    with contextlib.suppress(OSError):
        if path.exists() and stat.S_IMODE(path.stat().st_mode) != mode:
            path.chmod(mode)


# SQLite's primary result codes (the low byte of an extended code).
_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_UNWRITABLE = {
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_PERM,
}


def _code(e: sqlite3.Error) -> int | None:
    code = getattr(e, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def _is_busy(e: sqlite3.Error) -> bool:
    text = str(e).lower()
    return _code(e) in _BUSY or "locked" in text or "busy" in text


def _is_unwritable(e: sqlite3.Error) -> bool:
    text = str(e).lower()
    return _code(e) in _UNWRITABLE or any(
        woord in text for woord in ("readonly", "unable to open", "disk i/o", "is full")
    )


def _as_store_error(e: sqlite3.Error, path: Path) -> Exception:
    if isinstance(e, sqlite3.ProgrammingError | sqlite3.InterfaceError):
        return e  # a bug in meldcode (e.g. a closed connection), not a problem with the file
    if _is_busy(e):
        return StoreBusy(pad=str(path))
    if _is_unwritable(e):
        return StoreUnwritable(pad=str(path))
    return StoreCorrupt(pad=str(path))


def open_store(*, oefening: bool = False, home: Path | None = None) -> Store:
    """The real store (`meldcode.db`) or the separate practice store (`oefen.db`)."""
    folder = home or data_dir()
    return Store(folder / ("oefen.db" if oefening else "meldcode.db"))
