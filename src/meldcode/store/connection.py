"""The SQLite backend's connection: opening the file read-only or set up (WAL, pragmas,
forward migrations), one transaction, and reads whose SQLite errors are StoreErrors."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from meldcode.errors import StoreError
from meldcode.store.files import as_store_error, create_owner_only, is_busy, owner_only
from meldcode.store.tables import SCHEMA_VERSION, check_version, migrate


class NeedsWrite(Exception):
    """A read-only open found a store that must first be created or migrated."""


def connect(path: Path, *, lezen: bool, busy_ms: int) -> sqlite3.Connection:
    """The open, set-up connection to the store file; `lezen` opens an existing, current one
    read-only (`mode=ro`), and raises NeedsWrite when it must be created or migrated first.
    `busy_ms`: how long a write waits for another process's write to finish."""
    if not lezen:
        create_owner_only(path)
    elif not path.is_file():
        raise NeedsWrite
    conn = _connect(path, "?mode=ro" if lezen else None, busy_ms)
    try:
        if lezen:
            return _check_readable(conn, path, busy_ms)
        _setup(conn, path, busy_ms)
    except (sqlite3.Error, StoreError, NeedsWrite) as e:
        with contextlib.suppress(sqlite3.Error):
            conn.close()
        if isinstance(e, StoreError | NeedsWrite):
            raise
        raise as_store_error(e, path) from None
    return conn


def _connect(path: Path, uri_query: str | None, busy_ms: int) -> sqlite3.Connection:
    """A connection to the file, or with `uri_query` (e.g. "?mode=ro") to its URI."""
    try:
        if uri_query is None:
            return sqlite3.connect(path, isolation_level=None, timeout=busy_ms / 1000)
        uri = "file:" + quote(str(path.absolute())) + uri_query
        return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=busy_ms / 1000)
    except sqlite3.Error as e:
        raise as_store_error(e, path) from None


def _check_readable(conn: sqlite3.Connection, path: Path, busy_ms: int) -> sqlite3.Connection:
    """A read-only open: the file is ours and current (NeedsWrite when it is older)."""
    conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
    try:
        versie = check_version(conn, path)
    except sqlite3.OperationalError:
        immutable = _reopen_immutable(conn, path)
        if immutable is None:
            raise
        conn = immutable
        try:
            versie = check_version(conn, path)
        except BaseException:
            conn.close()
            raise
    if versie < SCHEMA_VERSION:
        conn.close()
        raise NeedsWrite
    return conn


def _reopen_immutable(conn: sqlite3.Connection, path: Path) -> sqlite3.Connection | None:
    """Reopen a store whose folder takes no new file (a full disk, a read-only archive) as
    immutable, so SQLite needs no `-shm` file; only when no `-wal` file holds changes that
    the database file lacks (None: the first error stands)."""
    wal = Path(str(path) + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return None
    conn.close()
    uri = "file:" + quote(str(path.absolute())) + "?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, isolation_level=None)


def _setup(c: sqlite3.Connection, path: Path, busy_ms: int) -> None:
    c.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
    # Check before WAL mode changes the file: it may be a database that is not ours.
    versie = check_version(c, path)
    _wal(c, busy_ms)
    # NOTE: in WAL mode NORMAL can lose the last commit on power loss; an answer the user
    # saw accepted must survive that.
    c.execute("PRAGMA synchronous = FULL")
    c.execute("PRAGMA foreign_keys = ON")
    c.execute("PRAGMA secure_delete = ON")  # deleted cases are overwritten, not just freed
    if versie < SCHEMA_VERSION:
        with transaction(c, path):
            migrate(c, path)
    for suffix in ("-wal", "-shm"):
        owner_only(Path(str(path) + suffix))


def _wal(c: sqlite3.Connection, busy_ms: int) -> None:
    """Switch to WAL mode, waiting (like busy_timeout) while another process opens it."""
    # NOTE: changing the journal mode returns SQLITE_BUSY at once, without calling the
    # busy handler, when another connection holds a lock (e.g. two first uses at once).
    deadline = time.monotonic() + busy_ms / 1000
    while True:
        try:
            c.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as e:
            if not is_busy(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
        else:
            return


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error; SQLite errors become StoreErrors."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as e:
        raise as_store_error(e, path) from None
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as e:
        # SQLite rolls back by itself on some errors (a full disk); a failing ROLLBACK
        # must not hide the error that caused it.
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        if isinstance(e, sqlite3.Error):
            raise as_store_error(e, path) from None
        raise


def rows(conn: sqlite3.Connection, path: Path, sql: str, args: Sequence[Any]) -> Iterator[Any]:
    """The rows of a read query, one at a time; SQLite errors become StoreErrors.

    A store can be damaged past its first page: opening it works, reading a case fails.
    """
    # NOTE: not `yield from`: closing a half-read generator (an error while the caller
    # handled a row) would then close the cursor too, which fails once the store is closed.
    try:
        cursor = conn.execute(sql, args)
        row = cursor.fetchone()
        while row is not None:
            yield row
            row = cursor.fetchone()
    except sqlite3.Error as e:
        raise as_store_error(e, path) from None
