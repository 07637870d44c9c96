"""Writing a finished text (an export, a graph, an agenda, a profile) to a new owner-only file,
atomically; the exporters themselves only make text."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path


def write_new(
    path: Path, text: str, *, overschrijf: bool = False, optie: str = "--uitvoer"
) -> None:
    """Write `text` to a file only the owner may read; never replace one unless asked.

    The text goes to a new owner-only temporary file in the same folder and is flushed to disk;
    a new target is then hard-linked to it (atomic, and never over an existing name), an
    existing one replaced by a rename. So `path` is absent, the old file or the whole new one:
    never empty or half written. Only a regular file is ever replaced; a folder, device, pipe,
    symbolic link or `/dev/stdout` is refused and left as it is. A temporary file that an
    interrupted export left behind is removed (and said so) on the next export to that name.
    `optie` is the option that named `path`, for the error messages.
    """
    import tempfile  # late, like the errors: not needed for --help

    from meldcode.errors import ExportExists

    doel = _doel(path, optie)
    if doel is not None and not overschrijf:
        raise ExportExists(pad=str(path), optie=optie)
    _opruimen(path)
    tijdelijk: str | None = None
    try:
        fd, tijdelijk = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:  # mkstemp creates its file owner-only (0600) whatever the umask
            _write_all(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        if doel is not None:
            Path(tijdelijk).replace(doel)
        else:
            _link_new(Path(tijdelijk), path)
        tijdelijk = None
    except BaseException as e:  # also Ctrl-C: no half file stays behind
        if tijdelijk is not None:
            with contextlib.suppress(OSError):
                Path(tijdelijk).unlink()
        if isinstance(e, FileExistsError):
            raise ExportExists(pad=str(path), optie=optie) from None
        if isinstance(e, OSError):
            raise _schrijffout(path, e, aanmaken=tijdelijk is None) from None
        raise
    _sync_folder(path.parent)


def _link_new(tijdelijk: Path, path: Path) -> None:
    """Give the finished temporary file the name `path`, which must not exist yet."""
    try:
        os.link(tijdelijk, path)  # atomic: the name appears with all of its content
    except FileExistsError:
        raise
    except OSError as e:
        if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        # A filesystem without hard links (FAT, some network shares): claim the name first
        # (O_EXCL), then rename onto it; only here can a kill leave the name empty.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        try:
            tijdelijk.replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                path.unlink()  # no reserved, empty name stays behind
            raise
        return
    tijdelijk.unlink()


# How long a temporary export file may be another export still running (not left behind).
_OUD_GENOEG = 60.0


def _opruimen(path: Path) -> None:
    """Remove the temporary files an interrupted export to `path` left, and say so on stderr
    (without content); a recent one (maybe an export running now) is only reported."""
    import re
    import sys
    import time

    patroon = re.compile(rf"\.{re.escape(path.name)}\.[A-Za-z0-9_]{{8}}\.tmp")
    try:
        kandidaten = [p for p in path.parent.iterdir() if patroon.fullmatch(p.name)]
    except OSError:
        return
    for pad in kandidaten:
        try:
            st = pad.lstat()
            if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
                continue
            if time.time() - st.st_mtime < _OUD_GENOEG:
                sys.stderr.write(
                    f"Let op: {pad} is een tijdelijk exportbestand van een andere export die "
                    "mogelijk nog loopt; meldcode laat het staan.\n"
                )
                continue
            pad.unlink()
        except OSError:
            continue
        sys.stderr.write(
            f"Een tijdelijk bestand van een eerder onderbroken export ({pad}) is verwijderd; "
            "het bevatte een (deel van een) dossier.\n"
        )


def _doel(path: Path, optie: str = "--uitvoer") -> Path | None:
    """The regular file `path` names, or None if nothing is there; a symbolic link is
    refused (replacing through it would change another file and its mode)."""
    from meldcode.errors import ExportNotAFile

    try:
        st = path.lstat()
    except FileNotFoundError:
        return None
    except OSError as e:  # no access to the folder, a name too long
        raise _schrijffout(path, e, aanmaken=True) from None
    if stat.S_ISLNK(st.st_mode):
        kanaal = ("/dev/", "/proc/")
        if str(path.absolute()).startswith(kanaal) or str(path.readlink()).startswith(kanaal):
            # /dev/stdout, /dev/fd/1, /proc/self/fd/1: a stream of this process, not a file.
            soort = "een verwijzing naar een invoer- of uitvoerkanaal"
        else:
            soort = "een symbolische koppeling (meldcode schrijft niet via een koppeling)"
        raise ExportNotAFile(pad=str(path), soort=soort, optie=optie)
    if not stat.S_ISREG(st.st_mode):
        raise ExportNotAFile(pad=str(path), soort=_soort(st.st_mode), optie=optie)
    return path


def _soort(mode: int) -> str:
    """What a non-regular file is, in Dutch."""
    if stat.S_ISDIR(mode):
        return "een map"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "een apparaat"
    if stat.S_ISFIFO(mode):
        return "een pijp (FIFO)"
    if stat.S_ISSOCK(mode):
        return "een socket"
    return "een speciaal bestand"


def _write_all(fd: int, data: bytes) -> None:
    """All of `data` to `fd` (os.write may write less than asked)."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        if n <= 0:  # pragma: no cover - a file that accepts nothing
            raise OSError(errno.EIO, "write returned 0")
        view = view[n:]


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; a folder that cannot be synced is no error."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _schrijffout(path: Path, e: OSError, *, aanmaken: bool) -> Exception:
    """The Dutch error for an OSError while creating or writing the export at `path`."""
    from meldcode.errors import ExportUnwritable, ExportWriteFailed
    from meldcode.text.stdout import reden

    if aanmaken and e.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG):
        return ExportUnwritable(pad=str(path))
    return ExportWriteFailed(pad=str(path), reden=reden(e))
