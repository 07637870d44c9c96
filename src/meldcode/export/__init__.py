"""Exporters: one module per format, one registry keyed by `ExportFormat`.

The registry imports an exporter only when it is used, so a command module may import
`ExportFormat` at its top without slowing down `meldcode --help` (design.md §7).
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import cast

from meldcode.export.interface import Exporter, ExportFormat

# One line per format: the module under meldcode.export whose `render` makes it.
_MODULES: Mapping[ExportFormat, str] = MappingProxyType(
    {
        ExportFormat.JSON: "json",
        ExportFormat.MARKDOWN: "markdown",
        ExportFormat.CSV: "csv",
        ExportFormat.HTML: "html",
    }
)


class _Registry(Mapping[ExportFormat, Exporter]):
    """Read-only mapping from format to exporter, importing each exporter on first use."""

    def __getitem__(self, key: ExportFormat) -> Exporter:
        module = importlib.import_module(f"meldcode.export.{_MODULES[key]}")
        return cast("Exporter", module.render)

    def __iter__(self) -> Iterator[ExportFormat]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


EXPORTERS: Mapping[ExportFormat, Exporter] = _Registry()

__all__ = ["EXPORTERS", "ExportFormat", "Exporter", "write_new"]


def write_new(path: Path, text: str, *, overschrijf: bool = False) -> None:
    """Write `text` to a file only the owner may read; never replace one unless asked.

    The text goes to a new owner-only temporary file in the same folder, is flushed to disk and
    then renamed onto `path`, so `path` is either the old file or the whole new one, never a
    half-written one. Only a regular file is ever replaced; a folder, device, pipe or
    `/dev/stdout` is refused and left as it is. meldcode changes the mode of no file but its own.
    """
    import tempfile  # late, like the errors: not needed for --help

    from meldcode.errors import ExportExists

    doel = _doel(path)
    if doel is not None and not overschrijf:
        raise ExportExists(pad=str(path))
    reservering: Path | None = None
    if doel is None:
        # Claim the name (O_EXCL: an existing name, even a dangling link, is never opened).
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise ExportExists(pad=str(path)) from None
        except OSError as e:
            raise _schrijffout(path, e, aanmaken=True) from None
        doel = reservering = path
    tijdelijk: str | None = None
    try:
        fd, tijdelijk = tempfile.mkstemp(prefix=f".{doel.name}.", suffix=".tmp", dir=doel.parent)
        try:  # mkstemp creates its file owner-only (0600) whatever the umask
            _write_all(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        Path(tijdelijk).replace(doel)
        tijdelijk = None
    except BaseException as e:  # also Ctrl-C: no half file and no reserved name stay behind
        for pad in (tijdelijk, reservering):
            if pad is not None:
                with contextlib.suppress(OSError):
                    Path(pad).unlink()
        if isinstance(e, OSError):
            raise _schrijffout(path, e, aanmaken=False) from None
        raise
    _sync_folder(doel.parent)


def _doel(path: Path) -> Path | None:
    """The regular file `path` names (through links), or None if nothing is there."""
    from meldcode.errors import ExportNotAFile

    link = False
    try:
        link = path.is_symlink()
        if link and str(path.absolute()).startswith(("/dev/", "/proc/")):
            # /dev/stdout, /dev/fd/1, /proc/self/fd/1: a stream of this process, not a file.
            soort = "een verwijzing naar een invoer- of uitvoerkanaal"
            raise ExportNotAFile(pad=str(path), soort=soort)
        st = path.stat()
    except FileNotFoundError:
        if link:
            soort = "een verwijzing naar een ontbrekend bestand"
            raise ExportNotAFile(pad=str(path), soort=soort) from None
        return None
    except OSError as e:  # no access to the folder, a link loop, a name too long
        raise _schrijffout(path, e, aanmaken=True) from None
    if not stat.S_ISREG(st.st_mode):
        raise ExportNotAFile(pad=str(path), soort=_soort(st.st_mode))
    return path.resolve()


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
    from meldcode.uitvoer import reden

    if aanmaken and e.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG):
        return ExportUnwritable(pad=str(path))
    return ExportWriteFailed(pad=str(path), reden=reden(e))
