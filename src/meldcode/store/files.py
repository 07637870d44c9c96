"""The store's files on disk: owner-only modes, case lock files, and what SQLite's errors mean."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path
from typing import IO

from meldcode.errors import (
    StoreBusy,
    StoreCorrupt,
    StoreLocked,
    StoreShared,
    StoreUnwritable,
)


def create_owner_only(path: Path) -> None:
    """The database's folder and an empty database file, owner-only; never loosen a mode.

    A folder meldcode makes (with any missing parents) is 0700, a new database 0600. Existing
    ones only lose their group and other bits: a database its owner made read-only stays so
    (and a write then fails as StoreUnwritable). A folder others use is refused (StoreShared).
    """
    private_folder(path.parent)
    try:
        # Create the file owner-only before SQLite opens it; another process may win.
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    except OSError:
        raise StoreUnwritable(pad=str(path.parent)) from None
    owner_only(path)  # e.g. a backup restored with looser modes


def private_folder(folder: Path) -> None:
    """Make `folder` (and missing parents) 0700, or check and tighten the folder that is there.

    An existing folder that others can write in (group- or world-writable, like /tmp) or that
    belongs to another user is not meldcode's to change: StoreShared. Any other
    existing folder (e.g. 0755 from mkdir) loses its group and other bits.
    """
    try:
        _make_folders(folder)
    except FileExistsError:
        pass
    except OSError:
        raise StoreUnwritable(pad=str(folder)) from None
    else:
        return
    try:
        st = folder.stat()
    except OSError:
        raise StoreUnwritable(pad=str(folder)) from None
    if not stat.S_ISDIR(st.st_mode):
        raise StoreUnwritable(pad=str(folder))
    if os.name == "posix":  # elsewhere the mode bits say nothing about other users
        if stat.S_IMODE(st.st_mode) & (stat.S_IWGRP | stat.S_IWOTH):
            raise StoreShared(pad=str(folder), andermans=False)
        if st.st_uid != os.geteuid():
            raise StoreShared(pad=str(folder), andermans=True)
    owner_only(folder)


def _make_folders(folder: Path) -> None:
    """mkdir 0700, with each missing parent 0700 too; FileExistsError if `folder` is there.

    Path.mkdir(parents=True) would make the parents with the umask's mode (0777 under 000).
    """
    try:
        folder.mkdir(mode=0o700)
    except FileNotFoundError:
        if folder.parent == folder:
            raise
        with contextlib.suppress(FileExistsError):  # e.g. another process made it first
            _make_folders(folder.parent)
        folder.mkdir(mode=0o700)


def owner_only(path: Path) -> None:
    """Remove the group and other bits of an existing file or folder; never add any.

    Some filesystems refuse chmod; that is fine.
    """
    with contextlib.suppress(OSError):
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            path.chmod(mode & ~0o077)


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
