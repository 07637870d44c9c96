"""The store's files on disk: owner-only modes, case lock files, and what SQLite's errors mean."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path
from typing import IO

from meldcode.errors import StoreBusy, StoreCorrupt, StoreLocked, StoreUnwritable


def create_owner_only(path: Path) -> None:
    """The database's folder (0700) and an empty file (0600) if they are missing; tighten both."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Create the file owner-only before SQLite opens it; another process may win.
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    except OSError:
        raise StoreUnwritable(pad=str(path.parent)) from None
    owner_only(path.parent, 0o700)  # e.g. a backup restored with looser modes
    owner_only(path, 0o600)


def owner_only(path: Path, mode: int) -> None:
    """Tighten the mode of an existing file or folder; some filesystems refuse, that is fine."""
    with contextlib.suppress(OSError):
        if path.exists() and stat.S_IMODE(path.stat().st_mode) != mode:
            path.chmod(mode)


def hold_lock(pad: Path, casus_id: str) -> IO[str]:
    """The open, exclusively locked lock file of a case; StoreLocked if another process holds it."""
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
    return fh


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


def is_busy(e: sqlite3.Error) -> bool:
    """Whether another connection holds the lock this error waited for."""
    text = str(e).lower()
    return _code(e) in _BUSY or "locked" in text or "busy" in text


def _is_unwritable(e: sqlite3.Error) -> bool:
    text = str(e).lower()
    return _code(e) in _UNWRITABLE or any(
        woord in text for woord in ("readonly", "unable to open", "disk i/o", "is full")
    )


def as_store_error(e: sqlite3.Error, path: Path) -> Exception:
    """The StoreError an SQLite error on this file means; a bug in meldcode stays as it is."""
    if isinstance(e, sqlite3.ProgrammingError | sqlite3.InterfaceError):
        return e  # a bug in meldcode (e.g. a closed connection), not a problem with the file
    if is_busy(e):
        return StoreBusy(pad=str(path))
    if _is_unwritable(e):
        return StoreUnwritable(pad=str(path))
    return StoreCorrupt(pad=str(path))
